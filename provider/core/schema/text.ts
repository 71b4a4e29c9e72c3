/**
 * Text for messages: values echoed short, names suggested.
 * No runtime dependency on @pulumi/pulumi.
 */

/** At most `max` characters of a text, then how long it was: "aaaa… (10000 characters)". */
export function clip(s: string, max = 200): string {
  return s.length <= max ? s : `${s.slice(0, max)}… (${s.length} characters)`;
}

/**
 * A message with every quoted value longer than `max` characters shortened
 * ("aaaa…" (10000 characters)), and at most 2,000 characters in all: a
 * value echoed in a message never makes it unreadable.
 */
export function clipValues(message: string, max = 200): string {
  const out = message.replace(/"(?:[^"\\]|\\.)*"/g, (q) => (q.length - 2 > max ? `"${q.slice(1, max + 1)}…" (${q.length - 2} characters)` : q));
  return clip(out, 2000);
}

/** Edit distance (insertions, deletions, substitutions, adjacent transpositions); limit + 1 once it is exceeded. */
export function distance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j], before[j - 2] + 1);
      best = Math.min(best, cur[j]);
    }
    if (best > limit) return limit + 1;
    before = prev;
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The candidate closest to `given` (case ignored), when it is close enough
 * to be a typo: at most 1 edit for short words, 2 for 5+ characters, 3 for
 * 9+; undefined when none is, or when two are equally close.
 */
export function nearest(given: string, candidates: readonly string[]): string | undefined {
  const g = given.toLowerCase();
  const limit = g.length >= 9 ? 3 : g.length >= 5 ? 2 : 1;
  let best: string | undefined;
  let bestD = limit + 1;
  let tie = false;
  for (const c of candidates) {
    const d = distance(g, c.toLowerCase(), limit);
    if (d < bestD) {
      best = c;
      bestD = d;
      tie = false;
    } else if (d === bestD && c !== best) tie = true;
  }
  return best !== undefined && bestD <= limit && !tie ? best : undefined;
}

/** " (did you mean X?)" or "". */
export function didYouMean(given: unknown, candidates: readonly string[]): string {
  if (typeof given !== "string") return "";
  const n = nearest(given, candidates);
  return n !== undefined ? ` (did you mean ${JSON.stringify(n)}?)` : "";
}
