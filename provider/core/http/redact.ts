/**
 * Redaction of credentials. Two mechanisms, both applied everywhere an error,
 * a log line or a journal entry is produced:
 *  - by key: any object key that names a credential has its value replaced;
 *  - by value: every credential the process has seen (registered by the
 *    clients when they read it) is replaced wherever it occurs in a string,
 *    so it cannot leak through a URL, a message or a response body either.
 */
export const REDACTED = "[REDACTED]";

const SECRET_KEY = /pass(word|wd)?$|token|secret|api[-_]?key|authorization|^auth$|credential/i;

const knownSecrets = new Set<string>();

/** Registers a credential value so that it is masked wherever it appears. */
export function registerSecret(value: string | undefined): void {
  if (typeof value === "string" && value.length >= 4) knownSecrets.add(value);
}

/** Whether `s` contains a registered credential. */
export function containsSecret(s: string): boolean {
  for (const secret of knownSecrets) if (s.includes(secret)) return true;
  return false;
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

export function redactString(s: string): string {
  let out = s;
  for (const secret of knownSecrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  // Bearer tokens in free text.
  return out.replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/g, `$1${REDACTED}`);
}

/** Deep copy of `value` with credentials masked. */
export function redact<T>(value: T, depth = 0): T {
  if (depth > 20) return value;
  if (typeof value === "string") return redactString(value) as unknown as T;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1)) as unknown as T;
  if (value && typeof value === "object" && !Buffer.isBuffer(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = isSecretKey(k) && v !== undefined && v !== null && v !== "" ? REDACTED : redact(v, depth + 1);
    }
    return out as T;
  }
  return value;
}

/** Masks credential-bearing query parameters in a URL or path. */
export function redactUrl(url: string): string {
  return redactString(url).replace(/([?&])([^=&#]+)=([^&#]*)/g, (m, sep: string, k: string) =>
    isSecretKey(decodeURIComponent(k)) ? `${sep}${k}=${REDACTED}` : m,
  );
}
