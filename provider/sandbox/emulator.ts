import { defaultToday } from "./traffic";
import type { NetworkEmulator, Route, SandboxRequest, SandboxResponse } from "./routes";

/**
 * The common part of every network emulator: a state store (state, load,
 * reset, data), monotonic ids kept in that state (so they survive
 * persistence), routes as data wrapped by one auth step, an error collector
 * and the network's own error shape. What stays in each network's file is
 * what is really that network's: its credentials, validation rules and
 * messages, paging style and error body. Emulators never import provider
 * resource code: they are written from the API documentation, so the
 * sandbox tests the provider.
 */

/** One problem of a request, with the field it is about. */
export interface FieldProblem {
  field: string;
  message: string;
  /** A network's code for the problem (Zod issue codes, ...). */
  code?: string;
  /** A structured location, where a network reports one. */
  path?: Array<string | number>;
}

export interface ErrorOptions {
  /** The network's error code (Topsort `errCode`, Interchange `code`), when not the status's default. */
  code?: string;
  details?: unknown;
  /** The field to name, for a single-message error. */
  field?: string;
  headers?: Record<string, string>;
}

/** A network's error body: status, messages (at least one), and per-field problems. */
export type ErrorShape = (status: number, messages: string[], fields?: FieldProblem[], opts?: ErrorOptions) => SandboxResponse;

/** The result of an emulator's auth step: the caller's context, or the answer that refuses it. */
export type Authorized<A> = { auth: A } | { refuse: SandboxResponse };

export type RouteHandler<A> = (q: SandboxRequest, auth: A) => SandboxResponse;

export interface CollectionHandlers<A> {
  list?: RouteHandler<A>;
  create?: RouteHandler<A>;
  get?: RouteHandler<A>;
  update?: RouteHandler<A>;
  remove?: RouteHandler<A>;
}

/** A JSON object as the emulators keep them. */
export type Obj = Record<string, any>;

/** A JSON object of a request (a parsed body, or an object in it): its values unknown until the emulator's own validation narrows them. */
export type JsonObject = Record<string, unknown>;

/**
 * The keys of a body or of a value in it, read as JavaScript reads them: an
 * object (or array) as it is, anything else as having none (`body?.x` of a
 * missing or text body is undefined).
 */
export function fieldsOf(v: unknown): JsonObject {
  return v !== null && typeof v === "object" ? (v as JsonObject) : {};
}

/** Whether `v` is one of `allowed` (the network's list of values; narrows `v`). */
export function isOneOf<T>(allowed: readonly T[], v: unknown): v is T {
  return (allowed as readonly unknown[]).includes(v);
}

export interface RouteOptions {
  /** Creates an object (fault injection's "lost response" targets these). */
  creates?: boolean;
  /** Skips the auth step (a login route, sandbox administration). */
  open?: boolean;
}

export abstract class EmulatorBase<S extends object, A = void> implements NetworkEmulator {
  abstract readonly name: string;
  /** The account this emulator serves when the sandbox serves several of the network (none: the default one). */
  account?: string;
  /**
   * Added to every id this emulator hands out: a network whose ids are
   * unique across its accounts (ExoClick, Interchange) gives another
   * account's emulator its own range, so an id never names objects of two accounts.
   */
  idOffset = 0;
  /** A fixed "today" for the reporting routes (sandbox/traffic.ts); none: $ADNET_SANDBOX_TODAY, else the machine's UTC date. */
  fixedToday?: string;
  readonly routes: Route[] = [];
  /**
   * What list answers cost, counted (deterministic, unlike time): `built`
   * items shaped into an answer, `scanned` related objects read to shape
   * them. A page builds only its own items (tests compare pages at 1,000
   * and 10,000 objects).
   */
  readonly listWork = { built: 0, scanned: 0 };
  protected s: S;

  constructor(private readonly fresh: () => S) {
    this.s = fresh();
  }

  /** The sandbox's date ("YYYY-MM-DD"): the reporting routes serve nothing for it or later days. */
  today(): string {
    return this.fixedToday ?? defaultToday();
  }

  // ---- state store ----
  state(): S {
    return this.s;
  }
  /** A saved state over a fresh one, so fields added since it was saved get their defaults. */
  load(state: unknown): void {
    this.s = { ...this.fresh(), ...(state as S) };
  }
  reset(): void {
    this.s = this.fresh();
    this.onReset();
  }
  /** Runtime settings (rate limits, switches) to restore on reset. */
  protected onReset(): void {}
  abstract inventory(): Record<string, unknown[]>;
  /** Direct access for out-of-band edits in tests ("the dashboard"). */
  get data(): S {
    return this.s;
  }

  /**
   * The next id of a counter kept in the state: monotonic, and persisted with
   * the objects, so an id is never handed out twice, also across restarts.
   */
  protected nextId(counter: { [K in keyof S]: S[K] extends number ? K : never }[keyof S]): number {
    const n = (this.s[counter] as unknown as number) + 1;
    (this.s as Record<string, unknown>)[counter as string] = n;
    return n + this.idOffset;
  }

  // ---- errors ----
  abstract errorShape: ErrorShape;
  /** One error in the network's shape. */
  fail(status: number, message: string, opts: ErrorOptions = {}): SandboxResponse {
    const fields = opts.field ? [{ field: opts.field, message }] : undefined;
    return this.errorShape(status, [message], fields, opts);
  }

  // ---- routes ----
  /** Who is calling: the context handlers get, or the refusal. */
  protected abstract authorize(q: SandboxRequest): Authorized<A>;
  /** Headers every authorized answer carries (rate-limit counters, ...). */
  protected headers(): Record<string, string> | undefined {
    return undefined;
  }

  /** Adds a route: data (method, path, handler), run behind the auth step unless `open`. */
  protected route(method: string, path: string, handler: RouteHandler<A>, opts: RouteOptions = {}): void {
    const run = opts.open
      ? (q: SandboxRequest) => this.handle(() => handler(q, undefined as A))
      : (q: SandboxRequest) => {
          const who = this.authorize(q);
          if ("refuse" in who) return who.refuse;
          const res = this.handle(() => handler(q, who.auth));
          const extra = this.headers();
          return extra ? { ...res, headers: { ...extra, ...(res.headers ?? {}) } } : res;
        };
    this.routes.push({ method, path, creates: opts.creates ?? false, handler: run });
  }

  /**
   * A collection's usual routes: list and create at `path`, get, update and
   * delete at `path/:<id>` (each only if given; creates are marked for fault
   * injection).
   */
  protected collection(path: string, h: CollectionHandlers<A>, opts: { updateMethod?: "PUT" | "PATCH"; id?: string } = {}): void {
    const one = `${path}/:${opts.id ?? "id"}`;
    if (h.list) this.route("GET", path, h.list);
    if (h.create) this.route("POST", path, h.create, { creates: true });
    if (h.get) this.route("GET", one, h.get);
    if (h.update) this.route(opts.updateMethod ?? "PUT", one, h.update);
    if (h.remove) this.route("DELETE", one, h.remove);
  }

  /** Runs a handler; a thrown Refusal becomes the network's error answer. */
  protected handle(h: () => SandboxResponse): SandboxResponse {
    try {
      return h();
    } catch (e) {
      if (e instanceof Refusal) return this.fail(e.status, e.message, e.opts);
      throw e;
    }
  }
}

/** Thrown from deep inside validation: answered as `fail(status, message, opts)`. */
export class Refusal extends Error {
  constructor(readonly status: number, message: string, readonly opts: ErrorOptions = {}) {
    super(message);
  }
}

/** Collects every problem of a request before answering (networks that report them all). */
export class Problems {
  readonly list: FieldProblem[] = [];
  add(field: string, message: string, code?: string, path?: Array<string | number>): void {
    this.list.push({ field, message, ...(code ? { code } : {}), ...(path ? { path } : {}) });
  }
  get empty(): boolean {
    return this.list.length === 0;
  }
  /** The network's error answer for what was collected, or undefined when nothing was. */
  response(shape: ErrorShape, status: number, messages: (p: FieldProblem[]) => string[], opts?: ErrorOptions): SandboxResponse | undefined {
    return this.empty ? undefined : shape(status, messages(this.list), this.list, opts);
  }
}

// ---- auth ----

/** The credential a request carries: a bearer token, or else the first of the named headers or query parameters. */
export function credential(q: SandboxRequest, from: { bearer?: boolean; headers?: string[]; query?: string[] }): string | undefined {
  if (from.bearer) {
    const m = /^Bearer\s+(.+)$/i.exec(String(q.headers.authorization ?? ""));
    if (m) return m[1].trim();
  }
  for (const h of from.headers ?? []) {
    const v = q.headers[h.toLowerCase()];
    if (v !== undefined && v !== "") return String(v);
  }
  for (const k of from.query ?? []) if (typeof q.query[k] === "string" && q.query[k]) return q.query[k];
  return undefined;
}

/** Whether a write carries a body that is not JSON (however it was declared). */
export function nonJsonBody(q: SandboxRequest, methods: string[]): boolean {
  return methods.includes(q.method) && q.rawBody.length > 0 && q.bodyKind !== "json";
}

// ---- rate limiting ----

/** Fixed-window counter per key (API key, or "" for the whole network); the limits are read at every request, so tests can change them. */
export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();
  /** Requests allowed in each window that ended, in order (how much of the limit a client used). */
  readonly used: number[] = [];
  constructor(private readonly settings: () => { limit: number; windowMs: number }) {}

  /** Counts one request; says whether it is over the limit and when the window ends. */
  hit(key = ""): { limited: boolean; remaining: number; resetMs: number } {
    const { limit, windowMs } = this.settings();
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || now - w.start >= windowMs) {
      if (w) this.used.push(Math.min(w.count, limit));
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    return { limited: w.count > limit, remaining: Math.max(0, limit - w.count), resetMs: Math.max(0, w.start + windowMs - now) };
  }
  /** The current window of a key, without counting. */
  peek(key = ""): { remaining: number; resetMs: number } {
    const { limit, windowMs } = this.settings();
    const w = this.windows.get(key) ?? { start: 0, count: 0 };
    return { remaining: Math.max(0, limit - w.count), resetMs: Math.max(0, w.start + windowMs - Date.now()) };
  }
  /** The allowed requests of every window, the current one last. */
  usage(key = ""): number[] {
    const w = this.windows.get(key);
    return w ? [...this.used, Math.min(w.count, this.settings().limit)] : [...this.used];
  }
  clear(): void {
    this.windows.clear();
    this.used.length = 0;
  }
}

// ---- paging ----

/** A query value as a whole number; `fallback` when absent, NaN when not a whole number. */
export function intParam(v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  return Number.isInteger(n) && String(v).trim() !== "" ? n : NaN;
}

/** limit / offset (and take / skip) paging. Shape the slice, not `items`: a page costs its own size. */
export function offsetPage<T>(items: T[], offset: number, limit: number): { slice: T[]; hasMore: boolean; nextOffset?: number } {
  const slice = items.slice(offset, offset + limit);
  const hasMore = offset + slice.length < items.length;
  return { slice, hasMore, ...(hasMore ? { nextOffset: offset + slice.length } : {}) };
}

/** page / per_page paging, pages counted from 1. */
export function numberedPage<T>(items: T[], page: number, perPage: number): { slice: T[]; total: number; pages: number; nextPage?: number } {
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const more = page * perPage < items.length;
  return { slice, total: items.length, pages: Math.ceil(items.length / perPage), ...(more ? { nextPage: page + 1 } : {}) };
}

/** Cursor paging by id: the items after `after`, in id order (Affise's `after_id`). */
export function afterCursor<T>(items: T[], after: number, idOf: (item: T) => number): T[] {
  return items.filter((x) => idOf(x) > after).sort((a, b) => idOf(a) - idOf(b));
}

/** A list parameter in any of its forms: `a=x`, `a=x,y`, `a[]=x`, `a[0]=x` (qs gives arrays or index-keyed objects). */
export function listParam(v: unknown, commas = false): string[] {
  if (v === undefined || v === null || v === "") return [];
  const raw = Array.isArray(v) ? v : typeof v === "object" ? Object.values(v as object) : [v];
  return raw.flatMap((x) => (commas ? String(x).split(",") : [String(x)])).map((s) => s.trim()).filter((s) => s !== "");
}

// ---- formats (the sandbox's own, independent of the provider's checks) ----

/** An RFC 3339 date-time with a zone (`2026-03-02T00:00:00Z`, `...+02:00`) naming a real day and time. */
export function isDateTime(v: unknown): v is string {
  if (typeof v !== "string") return false;
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/.exec(v);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  const day = new Date(Date.UTC(y, mo - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d && h < 24 && mi < 60 && s < 61 && Number.isFinite(Date.parse(v));
}

/** An absolute http or https URL with a host, no white space. */
export function isWebUrl(v: unknown): boolean {
  if (typeof v !== "string" || /\s/.test(v)) return false;
  try {
    const u = new URL(v);
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "";
  } catch {
    return false;
  }
}
