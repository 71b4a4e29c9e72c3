/**
 * Input validation for `check`. Every failure names the field and what is
 * allowed. Values that Pulumi does not know yet at preview (the unknown
 * placeholder) are skipped: they are checked again when they are known.
 */
import { didYouMean } from "./text";

export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface CheckFailure {
  property: string;
  reason: string;
}

export function isUnknown(v: unknown): boolean {
  return v === UNKNOWN;
}

/** True when `v` or anything inside it is still unknown. */
export function containsUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v && typeof v === "object") return Object.values(v).some(containsUnknown);
  return false;
}

type Path = string;

/** Collects failures; each helper returns the (possibly coerced) value. */
export class Checker {
  readonly failures: CheckFailure[] = [];
  /** The currency of the resource's amounts, when known (money fields check their decimals with it). */
  currency?: string;
  constructor(readonly resource: string) {}

  /**
   * Records a failure. Pulumi prints a top-level property's value beside the
   * reason, but finds nothing for a nested path (it printed `value {<nil>}`),
   * and must not print a secret or an unknown field's value: those are
   * reported without a property, the path being in the reason.
   */
  fail(property: Path, reason: string, opts: { hideValue?: boolean } = {}): void {
    const simple = /^[A-Za-z_][A-Za-z0-9_]*$/.test(property);
    this.failures.push({ property: simple && !opts.hideValue ? property : "", reason });
  }

  private has(v: unknown): boolean {
    return v !== undefined && v !== null && !isUnknown(v);
  }

  required(property: Path, v: unknown): boolean {
    if (v === undefined || v === null || v === "") {
      this.fail(property, `${property} is required`);
      return false;
    }
    return !isUnknown(v);
  }

  string(property: Path, v: unknown, opts: { required?: boolean; min?: number; max?: number; pattern?: RegExp; patternHint?: string } = {}): void {
    if (opts.required && !this.required(property, v)) return;
    if (!this.has(v)) return;
    if (typeof v !== "string") return this.fail(property, `${property} must be a string, got ${typeOf(v)}`);
    if (opts.min !== undefined && v.length < opts.min) this.fail(property, `${property} must be at least ${opts.min} characters, got ${v.length}`);
    if (opts.max !== undefined && v.length > opts.max) this.fail(property, `${property} must be at most ${opts.max} characters, got ${v.length}`);
    if (opts.pattern && !opts.pattern.test(v)) this.fail(property, `${property} must be ${opts.patternHint ?? `match ${opts.pattern}`}, got ${JSON.stringify(v)}`);
  }

  number(property: Path, v: unknown, opts: { required?: boolean; integer?: boolean; min?: number; max?: number; exclusiveMin?: number; exclusiveMax?: number } = {}): void {
    if (opts.required && !this.required(property, v)) return;
    if (!this.has(v)) return;
    if (typeof v !== "number" || !Number.isFinite(v)) return this.fail(property, `${property} must be a number, got ${typeOf(v)}`);
    if (opts.integer && !Number.isInteger(v)) return this.fail(property, `${property} must be a whole number, got ${v}`);
    const range = describeRange(opts);
    if (opts.min !== undefined && v < opts.min) this.fail(property, `${property} must be ${range}, got ${v}`);
    else if (opts.max !== undefined && v > opts.max) this.fail(property, `${property} must be ${range}, got ${v}`);
    else if (opts.exclusiveMin !== undefined && v <= opts.exclusiveMin) this.fail(property, `${property} must be ${range}, got ${v}`);
    else if (opts.exclusiveMax !== undefined && v >= opts.exclusiveMax) this.fail(property, `${property} must be ${range}, got ${v}`);
  }

  boolean(property: Path, v: unknown, opts: { required?: boolean } = {}): void {
    if (opts.required && !this.required(property, v)) return;
    if (!this.has(v)) return;
    if (typeof v !== "boolean") this.fail(property, `${property} must be true or false, got ${typeOf(v)}`);
  }

  oneOf<T>(property: Path, v: unknown, allowed: readonly T[], opts: { required?: boolean } = {}): void {
    if (opts.required && !this.required(property, v)) return;
    if (!this.has(v)) return;
    if (!allowed.includes(v as T)) {
      this.fail(property, `${property} must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}; got ${JSON.stringify(v)}`);
    }
  }

  url(property: Path, v: unknown, opts: { required?: boolean; allowMacros?: boolean } = {}): void {
    if (opts.required && !this.required(property, v)) return;
    if (!this.has(v)) return;
    if (typeof v !== "string") return this.fail(property, `${property} must be an http(s) URL string, got ${typeOf(v)}`);
    if (!isHttpUrl(v, opts.allowMacros)) this.fail(property, `${property} must be an absolute http:// or https:// URL, got ${JSON.stringify(v)}`);
  }

  /** Calendar date "YYYY-MM-DD". */
  date(property: Path, v: unknown, opts: { required?: boolean } = {}): void {
    if (opts.required && !this.required(property, v)) return;
    if (!this.has(v)) return;
    if (typeof v !== "string" || !isIsoDate(v)) this.fail(property, `${property} must be a date in the form YYYY-MM-DD, got ${JSON.stringify(v)}`);
  }

  /** RFC 3339 date-time, e.g. 2026-03-02T00:00:00Z. */
  dateTime(property: Path, v: unknown, opts: { required?: boolean } = {}): void {
    if (opts.required && !this.required(property, v)) return;
    if (!this.has(v)) return;
    if (typeof v !== "string" || !isRfc3339(v)) this.fail(property, `${property} must be an RFC 3339 date-time such as 2026-03-02T00:00:00Z, got ${JSON.stringify(v)}`);
  }

  array(property: Path, v: unknown, opts: { required?: boolean; min?: number; max?: number } = {}): v is unknown[] {
    if (opts.required && !this.required(property, v)) return false;
    if (!this.has(v)) return false;
    if (!Array.isArray(v)) {
      this.fail(property, `${property} must be a list, got ${typeOf(v)}`);
      return false;
    }
    if (opts.min !== undefined && v.length < opts.min) this.fail(property, `${property} must have at least ${opts.min} item${opts.min === 1 ? "" : "s"}, got ${v.length}`);
    if (opts.max !== undefined && v.length > opts.max) this.fail(property, `${property} must have at most ${opts.max} items, got ${v.length}`);
    return true;
  }

  object(property: Path, v: unknown, opts: { required?: boolean } = {}): v is Record<string, unknown> {
    if (opts.required && !this.required(property, v)) return false;
    if (!this.has(v)) return false;
    if (typeof v !== "object" || Array.isArray(v)) {
      this.fail(property, `${property} must be an object, got ${typeOf(v)}`);
      return false;
    }
    return true;
  }

  /** Rejects keys the resource does not know (typos surface at preview). */
  knownKeys(property: Path | undefined, v: Record<string, unknown>, allowed: readonly string[]): void {
    for (const k of Object.keys(v)) {
      if (k.startsWith("__")) continue;
      if (!allowed.includes(k)) {
        const where = property ? `${property}.${k}` : k;
        this.fail(where, `unknown field ${where}${didYouMean(k, allowed)}; allowed fields are ${allowed.join(", ")}`, { hideValue: true });
      }
    }
  }
}

export function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "string") return v.length > 200 ? `the string ${JSON.stringify(v.slice(0, 200))}… (${v.length} characters)` : `the string ${JSON.stringify(v)}`;
  return typeof v === "object" ? "an object" : `${typeof v} ${String(v)}`;
}

function describeRange(o: { min?: number; max?: number; exclusiveMin?: number; exclusiveMax?: number }): string {
  const lo = o.min !== undefined ? `>= ${o.min}` : o.exclusiveMin !== undefined ? `> ${o.exclusiveMin}` : undefined;
  const hi = o.max !== undefined ? `<= ${o.max}` : o.exclusiveMax !== undefined ? `< ${o.exclusiveMax}` : undefined;
  return [lo, hi].filter(Boolean).join(" and ");
}

export function isHttpUrl(v: string, allowMacros = false): boolean {
  // Tracking URLs carry macros such as {clickid} or {{sub1}}; they are not
  // valid URL characters, so they are replaced before parsing.
  const candidate = allowMacros ? v.replace(/\{+[^{}]*\}+/g, "x") : v;
  if (/\s/.test(candidate)) return false;
  // WHATWG URL parsing turns "https:///only/a/path" into host "only": insist on a host after "//".
  if (!/^https?:\/\/[^/\\?#@\s]/i.test(candidate)) return false;
  try {
    const u = new URL(candidate);
    return (u.protocol === "http:" || u.protocol === "https:") && !!u.hostname;
  } catch {
    return false;
  }
}

export function isIsoDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

export function isRfc3339(v: string): boolean {
  const m = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.exec(v);
  return !!m && isIsoDate(m[1]) && +m[2] < 24 && +m[3] < 60 && +m[4] < 61 && Number.isFinite(Date.parse(v));
}
