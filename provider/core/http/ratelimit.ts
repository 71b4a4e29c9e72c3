/**
 * One rate limiter per network and account, shared by every resource of a
 * run (the provider host serves them all in one process): requests wait for
 * a slot instead of each meeting the limit on its own.
 *
 * It is fed by what the network says:
 *  - the counters on every answer: `RateLimit-Limit/-Remaining/-Reset`
 *    (IETF draft; Interchange), `X-RateLimit-*` (Topsort), `X-Rate-Limit-*`
 *    (ExoClick); Reset in seconds from now (or an epoch time in seconds);
 *  - `Retry-After` on a 429 (or 503): every request of the account waits
 *    until then, not only the one refused.
 * With counters known, it lets through what remains of the window (minus the
 * requests still on the way) and holds the rest until the window resets;
 * first, and after a reset, one request goes alone to learn the counters
 * (the others wait for its answer, at most a second). A network that sends no counters is not paced (429s still hold the
 * account). A separate budget (statistics reads) is a second instance with
 * its own `budget`, handed to the requests that spend it.
 */
import { progress } from "../config/log";

export interface LimiterOptions {
  /** Who is limited, for the progress line (e.g. "Interchange"). */
  name?: string;
  /** A budget of our own on top of the network's counters: at most `limit` requests per `windowMs`. */
  budget?: { limit: number; windowMs: number };
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Where the "waiting" line goes (default: the resource's progress). */
  say?: (line: string) => void;
}

export interface Slot {
  /** The request was answered: its status and headers feed the limiter. */
  done(status: number, headers: { get(name: string): string | null }): void;
  /** The request failed without an answer (after `done`, nothing). */
  failed(): void;
}

/** The longest a request waits for the answer that tells a new window's counters (a held or slow request does not hold the others longer). */
const PROBE_WAIT_MS = 1_000;
/**
 * The longest a Retry-After holds the account (the HTTP layer's own bound):
 * past it a request goes and the network's answer decides (a used-up quota
 * then fails at once in the HTTP layer, saying when it resets).
 */
const MAX_HOLD_MS = 65_000;
/** Waits shorter than this are not worth a progress line. */
const SAY_AFTER_MS = 2_000;

export class RateLimiter {
  private limit?: number;
  private remaining?: number;
  private resetAt?: number;
  /** The network answered without counters: no pacing. */
  private headerless = false;
  /** A 429's Retry-After: nothing is sent before. */
  private blockedUntil = 0;
  /** Sent and not answered yet. */
  private pending = 0;
  /** Waiting for a slot. */
  private waiting = 0;
  private ownWindow = { start: -Infinity, count: 0 };
  private saidUntil = 0;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private wake: Array<() => void> = [];
  /** Counts, for tests and the bench: slots given, waits, 429s seen. */
  readonly stats = { sent: 0, waits: 0, throttled: 0 };

  constructor(private readonly opts: LimiterOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** Waits until a request may be sent; the slot must be closed with `done` or `failed`. */
  async acquire(): Promise<Slot> {
    let waited = false;
    let probed = false;
    for (;;) {
      const wait = this.waitMs();
      if (wait === 0 || (wait === Infinity && probed)) break;
      if (wait === Infinity) probed = true;
      if (!waited) this.stats.waits++;
      waited = true;
      this.waiting++;
      // Said once the requests arriving with this one are counted among those waiting.
      if (!waited || wait !== Infinity) queueMicrotask(() => this.say(wait));
      try {
        // A wait on the clock, or (probing) until the request in flight is answered.
        if (wait === Infinity) await Promise.race([new Promise<void>((r) => this.wake.push(r)), this.sleep(PROBE_WAIT_MS)]);
        else await this.sleep(wait);
      } finally {
        this.waiting--;
      }
    }
    this.pending++;
    this.stats.sent++;
    if (this.opts.budget) this.ownWindow.count++;
    if (this.remaining !== undefined) this.remaining--;
    let closed = false;
    const close = () => {
      if (closed) return false;
      closed = true;
      this.pending--;
      return true;
    };
    return {
      done: (status, headers) => {
        if (close()) this.observe(status, headers);
        this.release();
      },
      failed: () => {
        if (close()) this.release();
      },
    };
  }

  /** How long to wait before sending now: 0 to send, Infinity until an answer arrives. */
  private waitMs(): number {
    const now = this.now();
    if (now < this.blockedUntil) return this.blockedUntil - now;
    const b = this.opts.budget;
    if (b) {
      if (now - this.ownWindow.start >= b.windowMs) this.ownWindow = { start: now, count: 0 };
      if (this.ownWindow.count >= b.limit) return this.ownWindow.start + b.windowMs - now;
    }
    if (this.headerless) return 0;
    if (this.resetAt !== undefined && now >= this.resetAt) {
      // The window is over: what remains is unknown until the next answer.
      this.remaining = undefined;
      this.resetAt = undefined;
    }
    // Unknown (before the first answer, or in a new window): one request goes first and tells the counters.
    if (this.remaining === undefined) return this.pending > 0 ? Infinity : 0;
    if (this.remaining > 0) return 0;
    return this.resetAt !== undefined ? this.resetAt - now : this.pending > 0 ? Infinity : 0;
  }

  private release(): void {
    const w = this.wake;
    this.wake = [];
    for (const f of w) f();
  }

  /** Learns from an answer: the counters, and a 429's Retry-After. */
  observe(status: number, headers: { get(name: string): string | null }): void {
    const now = this.now();
    const read = (name: string) => {
      for (const prefix of ["RateLimit-", "X-RateLimit-", "X-Rate-Limit-"]) {
        const v = headers.get(`${prefix}${name}`);
        if (v !== null && v !== undefined && v !== "" && Number.isFinite(Number(v))) return Number(v);
      }
      return undefined;
    };
    const limit = read("Limit");
    const remaining = read("Remaining");
    const reset = read("Reset");
    if (remaining !== undefined && reset !== undefined) {
      // Reset as seconds from now, or as an epoch time in seconds.
      const resetAt = reset > 1e9 ? reset * 1000 : now + reset * 1000;
      this.limit = limit ?? this.limit;
      if (this.resetAt === undefined || resetAt > this.resetAt + 1000 || this.remaining === undefined) {
        // A new window, or the first we know of: the server's count, minus what is on the way since.
        this.resetAt = resetAt;
        this.remaining = remaining - this.pending;
      } else {
        this.remaining = Math.min(this.remaining, remaining - this.pending);
      }
      this.headerless = false;
    } else if (status !== 429 && this.limit === undefined) {
      // No counters from this network: it is not paced (only a 429 holds it).
      this.headerless = true;
      this.remaining = undefined;
    }
    if (status === 429 || status === 503) {
      this.stats.throttled += status === 429 ? 1 : 0;
      const ra = headers.get("Retry-After");
      const secs = ra === null ? NaN : Number(ra);
      const at = Number.isFinite(secs) ? now + secs * 1000 : ra ? Date.parse(ra) : NaN;
      // Without a Retry-After: a 429 holds the account a second (the counters, when the answer had them, say the
      // rest); a 503 is the HTTP layer's backoff alone (it says nothing of the account's rate).
      const until = Number.isFinite(at) ? at : status === 429 ? now + 1000 : now;
      this.blockedUntil = Math.max(this.blockedUntil, Math.min(until, now + MAX_HOLD_MS));
      // A 429 without counters: what remains is unknown, so after the hold one request goes first and learns it.
      if (status === 429 && (remaining === undefined || reset === undefined)) this.remaining = undefined;
    }
  }

  /** Says once per wait when the account's limit holds requests back, with the expected time for those waiting. */
  private say(waitMs: number): void {
    const now = this.now();
    if (waitMs === Infinity || waitMs < SAY_AFTER_MS || now < this.saidUntil) return;
    this.saidUntil = now + waitMs;
    const name = this.opts.name ?? "the network";
    const perWindow = this.limit ?? this.opts.budget?.limit;
    const windowMs = this.resetAt !== undefined && this.limit !== undefined ? undefined : this.opts.budget?.windowMs;
    let expected = "";
    if (perWindow && this.waiting > 0) {
      const windows = Math.ceil(this.waiting / perWindow);
      const each = windowMs ?? waitMs;
      expected = `; ${this.waiting} request${this.waiting === 1 ? "" : "s"} waiting, about ${seconds(waitMs + (windows - 1) * each)} at ${perWindow} per window`;
    }
    (this.opts.say ?? progress)(`${name}: rate limit reached${perWindow ? ` (${perWindow} requests per window)` : ""}; waiting ${seconds(waitMs)}${expected}`);
  }
}

function seconds(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return s >= 120 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

const limiters = new Map<string, RateLimiter>();

/** The limiter of one network account (`ApiClient.account`), shared by every client of the process. */
export function limiterFor(account: string, opts: LimiterOptions = {}): RateLimiter {
  let l = limiters.get(account);
  if (!l) limiters.set(account, (l = new RateLimiter(opts)));
  return l;
}

/** For tests: forget every limiter. */
export function resetLimiters(): void {
  limiters.clear();
}
