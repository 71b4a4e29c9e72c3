import type FormData from "form-data";
import { ApiError, FieldError } from "./errors";
import type { SettingSpec } from "../config/config";
import { redact, redactUrl } from "./redact";
import { debug, progress } from "../config/log";
import type { RateLimiter, Slot } from "./ratelimit";

// node-fetch (with whatwg-url and tr46) and qs (with its ten helper packages) load on the first request:
// a no-op preview sends none, and loading them cost the provider host about 60 ms of CPU (issue #35).
const nodeFetch: FetchLike = (...a) => ((require("node-fetch") as typeof import("node-fetch")).default as unknown as FetchLike)(...a);
const qs = (): typeof import("qs") => require("qs") as typeof import("qs");

/** The subset of fetch that the layer uses; injectable for tests. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string | Buffer | FormData; signal?: AbortSignal },
) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

export type Query = Record<string, unknown>;

export type Body =
  | { json: unknown }
  // application/x-www-form-urlencoded, PHP-style brackets. Lists are indexed
  // (`a[0]=x`) unless arrayFormat says "brackets" (`a[]=x`); objects keyed
  // "0", "1", ... still give `[n]`, so a network can mix both as it needs.
  | { form: Record<string, unknown>; arrayFormat?: "indices" | "brackets" }
  | { multipart: () => FormData }; // rebuilt for every attempt (streams are single-use)

export interface RequestSpec {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path relative to the base URL, e.g. "/campaigns/12". */
  path: string;
  query?: Query;
  body?: Body;
  headers?: Record<string, string>;
  /**
   * Whether the request may be replayed after an ambiguous failure (the
   * request may have reached the server). Defaults to true for everything but
   * POST. A POST create without an idempotency key must say false and give
   * `recover`.
   */
  idempotent?: boolean;
  /**
   * For non-idempotent requests: called after an ambiguous failure (lost
   * response, 5xx) to look the object up by its natural key. A defined result
   * is taken as the response; undefined means "not created", so retrying is
   * safe.
   */
  recover?: () => Promise<unknown | undefined>;
  /** Extra statuses accepted as success (e.g. 404 on delete). */
  okStatuses?: number[];
  /**
   * A login, or another call made only to authenticate: its failure is
   * about the credentials or the base URL (a 404 names the base URL and its
   * setting), never about an object.
   */
  auth?: boolean;
  timeoutMs?: number;
  /** At most this many attempts (a read that must answer quickly, e.g. statistics at preview: 1, no retry). */
  attempts?: number;
}

export interface HttpResponse<T = unknown> {
  status: number;
  body: T;
  headers: { get(name: string): string | null };
  /** True when the body came from `recover` instead of the network. */
  recovered?: boolean;
}

export interface RetryPolicy {
  /**
   * Attempts in total, the first included: a sanity cap. Retries are bounded
   * by `budgetMs` first; this only stops a tight loop of instant failures.
   */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After honoured; longer advice is clamped to this. */
  maxRetryAfterMs: number;
  /**
   * Total time a request may spend retrying: the sleeps between attempts plus
   * the time the failed attempts themselves took. An outage shorter than this
   * is ridden out ($ADNET_HTTP_RETRY_BUDGET_MS overrides the default).
   */
  budgetMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 60,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 65_000,
  budgetMs: 150_000,
};

export interface ErrorDetails {
  message?: string;
  code?: string;
  fieldErrors?: FieldError[];
}

export interface HttpClientOptions {
  /** Human name used in errors, e.g. "ExoClick". */
  network: string;
  baseUrl: string;
  fetch?: FetchLike;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Headers added to every request (credentials); resolved per attempt. */
  authHeaders?: () => Promise<Record<string, string>> | Record<string, string>;
  /** Extracts the network's own message from an error body. */
  parseError?: (body: unknown, status: number) => ErrorDetails;
  /**
   * Some networks answer HTTP 200 with an error envelope (Affise's
   * `status: 2`). Returning details here turns the response into an ApiError.
   */
  bodyError?: (body: unknown, status: number) => ErrorDetails | undefined;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Clock for the time spent in attempts (tests inject one with `sleep`). */
  now?: () => number;
  /**
   * What to do about an error, appended to its message (default: from the
   * network's settings, found by its name: the credential for a 401, the
   * base URL for an unreachable host or a 404 on a login or on a base URL
   * that has not answered yet, `pulumi refresh` for a 404 on a write to an
   * existing object).
   */
  hint?: (err: ApiError, call: CallInfo) => string | undefined;
  /** The network's declared settings (core/config/config.ts), so that hints name the credential and base URL settings. */
  settings?: Record<string, SettingSpec>;
  /** The account's shared rate limiter (core/http/ratelimit.ts): every attempt waits for a slot and feeds it the answer's counters. */
  limiter?: RateLimiter;
}

/**
 * How long a request retries a connection that is refused or whose host
 * name does not resolve, when nothing in this process has ever reached that
 * base URL: a wrong URL or a sandbox that is not running fails fast, while a
 * short outage at the very start (under this) is still ridden out. Once the
 * network has answered, outages get the whole retry budget.
 * $ADNET_HTTP_CONNECT_BUDGET_MS overrides it.
 */
export const FIRST_CONNECT_BUDGET_MS = 8_000;

/** Base URLs that have answered (any HTTP status) in this process. */
const reached = new Set<string>();
/** Base URLs that have answered a request with success (2xx) in this process: a 404 from one that never has is likely a wrong base URL. */
const succeeded = new Set<string>();

/** What the hint of a failed request knows about the call (core/http/http.ts defaultHint). */
export interface CallInfo {
  /** The client's base URL. */
  baseUrl: string;
  /** A login (RequestSpec.auth). */
  auth?: boolean;
  /** A create: a POST that is not idempotent (a new object, so never "deleted outside Pulumi"). */
  create?: boolean;
  /** Some request to this base URL succeeded earlier in this process. */
  answeredBefore?: boolean;
}
/** Base URLs found unreachable in this process: later requests fail at once, and say it once. */
const unreachable = new Map<string, { error: ApiError; told: boolean }>();

/**
 * An unreachable network is said once per process, in full; every other
 * operation that fails for it (each resource of an update) says so in a
 * line. Called where errors leave the provider (core/registry.ts).
 */
export function sayOnce(e: unknown): unknown {
  const base = e instanceof ApiError && e.unreachable ? e.baseUrl : undefined;
  const state = base !== undefined ? unreachable.get(base) : undefined;
  if (!state) return e;
  if (!state.told) {
    state.told = true;
    return e;
  }
  return new ApiError({
    network: state.error.network, status: 0, method: (e as ApiError).method, url: (e as ApiError).url, transportCode: state.error.transportCode,
    message: `not sent: ${state.error.network} is unreachable at ${base} (see the first error for why and what to set)`,
  });
}

/** For tests: forget which networks were reached. */
export function resetReachability(): void {
  reached.clear();
  succeeded.clear();
  unreachable.clear();
}

/** The base URL setting and the credentials among a network's declared settings. */
function settingRoles(settings: Record<string, SettingSpec> | undefined): { baseUrl?: SettingSpec; secrets: SettingSpec[] } | undefined {
  if (!settings) return undefined;
  const all = Object.values(settings);
  return { baseUrl: all.find((x) => x.key.endsWith(":baseUrl")), secrets: all.filter((x) => x.secret) };
}

/**
 * The default hint: what the user can do about an error, from the
 * network's declared settings, fitting the failed call. A 404 on a login,
 * or on a base URL that has not answered any request of this process with
 * success, names the base URL and the setting that sets it (a wrong path
 * in the base URL answers 404 to everything); a login or a create is never
 * told to refresh (there is no object of the stack behind it); a 404 on a
 * write to an existing object suggests `pulumi refresh`.
 */
export function defaultHint(err: ApiError, settings?: Record<string, SettingSpec>, call?: CallInfo): string | undefined {
  const s = settingRoles(settings);
  if ((err.status === 401 || err.status === 403) && s?.secrets.length) {
    const keys = s.secrets.map((x) => x.key);
    return `${err.network} did not accept the credential: check ${keys.join(" or ")} (pulumi config set --secret ${keys[0]} <value>; or the environment: ${s.secrets.map((x) => x.env).join(" or ")})`;
  }
  if (err.status !== 404) return undefined;
  const setting = s?.baseUrl ? `stack config ${s.baseUrl.key} (pulumi config set ${s.baseUrl.key} <url>) or environment ${s.baseUrl.env}` : "the network's base URL setting";
  const base = call?.baseUrl ?? err.baseUrl;
  const baseText = base ? `${base} ` : "";
  if (call?.auth) {
    return `${err.network} answered 404 Not Found to its login (${err.method} ${err.url}), so the base URL ${baseText}is wrong (a wrong host or path answers 404 to every request); check ${setting}`;
  }
  if (call?.create) {
    return `the address the create posts to was not found on ${err.network}: check that the objects it names exist (an id another resource gave), and the base URL ${baseText}(${setting})`;
  }
  const first = call?.answeredBefore === false;
  if (err.method !== "GET") {
    return "if the object was deleted outside Pulumi (in the dashboard), run `pulumi refresh` to drop it from the stack, then `pulumi up` to create it again"
      + (first ? `; if every request answers 404, the base URL ${baseText}is wrong: check ${setting}` : "");
  }
  if (first) {
    return `nothing of this run has reached ${err.network} at ${baseText}yet, so the base URL is probably wrong (a wrong host or path answers 404 to every request); check ${setting}`;
  }
  return undefined;
}

/** The same error with a sentence added to the network's message. */
function withHint(err: ApiError, hint: string | undefined): ApiError {
  if (!hint) return err;
  const out = new ApiError({
    network: err.network, status: err.status, method: err.method, url: err.url, code: err.code,
    fieldErrors: err.fieldErrors, body: err.body, requestBody: err.requestBody, attempts: err.attempts,
    retryAfterMs: err.retryAfterMs, transportCode: err.transportCode, unreachable: err.unreachable, baseUrl: err.baseUrl, auth: err.auth,
    message: `${err.networkMessage.replace(/[.\s]+$/, "")}. ${hint}`,
  });
  return out;
}

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
/** Transport errors raised before any byte of the request left this machine. */
const NEVER_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A 429 whose Retry-After is beyond the retry budget: fails at once, naming when the quota resets. */
export function quotaError(err: ApiError, retryAfterMs: number, now: number, budgetMs: number): ApiError {
  const resets = new Date(now + retryAfterMs).toISOString().replace(/\.\d{3}Z$/, "Z");
  return new ApiError({
    network: err.network, status: err.status, method: err.method, url: err.url, code: err.code,
    fieldErrors: err.fieldErrors, body: err.body, requestBody: err.requestBody, attempts: err.attempts,
    message: `${err.networkMessage}. ${err.network}'s request quota is used up and resets at ${resets} (in ${humanDuration(retryAfterMs)}, by its Retry-After), `
      + `longer than the ${humanDuration(budgetMs)} retry budget (ADNET_HTTP_RETRY_BUDGET_MS), so this was not retried; run the command again after that time`,
  });
}

/** 9h 5m, 3m 20s, 45s. */
export function humanDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  if (h) return `${h}h ${m}m`;
  if (m) return r ? `${m}m ${r}s` : `${m}m`;
  return `${r}s`;
}

/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** Capped exponential backoff with full jitter: uniform in [0, min(cap, base*2^n)). */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

function defaultParseError(body: unknown): ErrorDetails {
  if (body && typeof body === "object") {
    const b = body as { message?: unknown; error?: { message?: unknown } | unknown; detail?: unknown };
    const msg = b.message ?? (b.error as { message?: unknown } | undefined)?.message ?? b.error ?? b.detail;
    if (typeof msg === "string") return { message: msg };
  }
  if (typeof body === "string" && body.trim()) return { message: body.trim().slice(0, 500) };
  return {};
}

/**
 * The one HTTP layer that every network client uses: timeouts, retries with
 * capped exponential backoff and full jitter on 429/5xx/transport errors,
 * Retry-After honoured within bounds, no blind replay of creates, and errors
 * that carry status, the network's message and a redacted request.
 */
export class HttpClient {
  readonly network: string;
  readonly baseUrl: string;
  private readonly fetchImpl: FetchLike;
  private readonly timeoutMs: number;
  private readonly policy: RetryPolicy;
  private readonly opts: HttpClientOptions;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly connectBudget: number;
  private readonly hint: (err: ApiError, call: CallInfo) => string | undefined;

  constructor(opts: HttpClientOptions) {
    this.opts = opts;
    this.network = opts.network;
    this.baseUrl = opts.baseUrl.replace(/\/+$/, "");
    this.fetchImpl = opts.fetch ?? nodeFetch;
    this.timeoutMs = opts.timeoutMs ?? Number(process.env.ADNET_HTTP_TIMEOUT_MS ?? 30_000);
    const envBudget = Number(process.env.ADNET_HTTP_RETRY_BUDGET_MS);
    this.policy = { ...DEFAULT_RETRY, ...(Number.isFinite(envBudget) && envBudget >= 0 && process.env.ADNET_HTTP_RETRY_BUDGET_MS ? { budgetMs: envBudget } : {}), ...opts.retry };
    this.sleep = opts.sleep ?? defaultSleep;
    this.random = opts.random ?? Math.random;
    this.now = opts.now ?? Date.now;
    const envConnect = Number(process.env.ADNET_HTTP_CONNECT_BUDGET_MS);
    this.connectBudget = process.env.ADNET_HTTP_CONNECT_BUDGET_MS && Number.isFinite(envConnect) && envConnect >= 0 ? envConnect : FIRST_CONNECT_BUDGET_MS;
    this.hint = opts.hint ?? ((e, call) => defaultHint(e, opts.settings, call));
  }

  url(path: string, query?: Query): string {
    const q = query ? qs().stringify(query, { arrayFormat: "brackets", skipNulls: true, encodeValuesOnly: true }) : "";
    return `${this.baseUrl}${path.startsWith("/") ? path : `/${path}`}${q ? `?${q}` : ""}`;
  }

  async request<T = unknown>(spec: RequestSpec): Promise<HttpResponse<T>> {
    // Found unreachable in this process: every later request fails at once.
    const known = unreachable.get(this.baseUrl);
    if (known) throw known.error;
    try {
      return await this.send<T>(spec);
    } catch (e) {
      if (e instanceof ApiError && e.unreachable && e.baseUrl === this.baseUrl && !unreachable.has(this.baseUrl)) unreachable.set(this.baseUrl, { error: e, told: false });
      throw e;
    }
  }

  private async send<T = unknown>(spec: RequestSpec): Promise<HttpResponse<T>> {
    const url = this.url(spec.path, spec.query);
    const idempotent = spec.idempotent ?? spec.method !== "POST";
    // Time spent on this request's failures so far: sleeps plus failed attempts.
    let spent = 0;
    let lastError: ApiError | undefined;
    const maxAttempts = Math.max(1, Math.min(spec.attempts ?? this.policy.maxAttempts, this.policy.maxAttempts));
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      if (attempt > 0 && !idempotent && spec.recover && lastError && lastError.status !== 429 && !isNeverSent(lastError)) {
        // The previous attempt may have created the object: look before writing again.
        const found = await spec.recover();
        if (found !== undefined) {
          debug(`${this.network}: ${spec.method} ${redactUrl(url)} recovered after an ambiguous failure`);
          return { status: 200, body: found as T, headers: { get: () => null }, recovered: true };
        }
      }
      // Waiting for the account's rate limit is not time spent failing.
      const slot = await this.opts.limiter?.acquire();
      const began = this.now();
      let outcome: HttpResponse<T> | ApiError;
      try {
        outcome = await this.attempt<T>(spec, url, attempt + 1, slot);
      } finally {
        // Not answered (no response, or a throw before sending): the slot is given back. A no-op once answered.
        slot?.failed();
      }
      if (!(outcome instanceof ApiError) || outcome.status > 0) reached.add(this.baseUrl);
      if (!(outcome instanceof ApiError)) {
        succeeded.add(this.baseUrl);
        return outcome;
      }
      spent += Math.max(0, this.now() - began);
      lastError = outcome;
      if (isNeverSent(outcome) && !reached.has(this.baseUrl) && spent >= this.connectBudget) break;
      const retryable = this.isRetryable(outcome, idempotent, spec);
      if (!retryable || attempt + 1 >= maxAttempts) break;
      const advice = outcome.status === 429 || outcome.status === 503 ? outcome.retryAfterMs : undefined;
      if (outcome.status === 429 && advice !== undefined && advice > this.policy.budgetMs) {
        // A quota (e.g. daily) that resets after the whole retry budget: waiting cannot help, say when it resets.
        throw quotaError(outcome, advice, this.now(), this.policy.budgetMs);
      }
      let delay = advice !== undefined ? Math.min(advice, this.policy.maxRetryAfterMs) : backoffDelay(attempt, this.policy, this.random);
      // Never reached and refused (or no such host): a short budget, so a wrong URL fails fast.
      const budget = isNeverSent(outcome) && !reached.has(this.baseUrl) ? Math.min(this.connectBudget, this.policy.budgetMs) : this.policy.budgetMs;
      if (spent + delay > budget) {
        // The last sleep ends exactly at the budget, so one more attempt is made there.
        delay = budget - spent;
        if (delay <= 0) break;
      }
      debug(`${this.network}: ${spec.method} ${redactUrl(url)} failed (${outcome.status || outcome.transportCode}); retry ${attempt + 1} in ${delay} ms`);
      if (delay > 2_000) progress(`${this.network}: ${outcome.status === 429 ? "rate limited" : `${outcome.status || outcome.transportCode}`} on ${spec.method} ${redactUrl(spec.path)}; waiting ${Math.round(delay / 1000)} s before retrying`);
      await this.sleep(delay);
      spent += delay;
    }
    const err = lastError!;
    if (isNeverSent(err) && !reached.has(this.baseUrl)) throw this.unreachableError(err, spent);
    if (!idempotent && !spec.recover && err.status !== 429 && !isNeverSent(err) && (err.status === 0 || err.status >= 500)) {
      throw new ApiError({
        network: err.network, status: err.status, method: err.method, url: err.url, code: err.code,
        fieldErrors: err.fieldErrors, body: err.body, requestBody: err.requestBody, attempts: err.attempts,
        message: `${err.networkMessage}. The request may have reached ${err.network} and created the object; it was not retried because ${err.network} has no idempotency key. Run \`pulumi refresh\` and check the dashboard before retrying.`,
      });
    }
    throw withHint(err, this.hint(err, { baseUrl: this.baseUrl, auth: spec.auth, create: !idempotent && spec.method === "POST", answeredBefore: succeeded.has(this.baseUrl) }));
  }

  /** The error for a network never reached: the URL tried, the transport error, the setting that sets the URL. */
  private unreachableError(err: ApiError, spent: number): ApiError {
    const code = String(err.transportCode ?? "ERROR");
    const s = settingRoles(this.opts.settings)?.baseUrl;
    const why = code === "ENOTFOUND" || code === "EAI_AGAIN" ? `its host name does not resolve (${code})` : `the connection was refused (${code})`;
    let host = "";
    try {
      host = new URL(this.baseUrl).hostname;
    } catch {
      // An unparsable base URL: the message still names it.
    }
    const local = ["127.0.0.1", "localhost", "::1", "[::1]"].includes(host) ? "; for the local sandbox, start it first (npx adnet-sandbox)" : "";
    const setting = s ? `Check the base URL: stack config ${s.key} (pulumi config set ${s.key} <url>) or environment ${s.env}` : "Check the network's base URL";
    const out = new ApiError({
      network: err.network, status: 0, method: err.method, url: err.url, attempts: err.attempts, transportCode: code, unreachable: true, baseUrl: this.baseUrl,
      message: `cannot reach ${err.network} at ${this.baseUrl}: ${why} on every attempt for ${Math.round(spent / 1000)} s, and nothing in this run has reached it. ${setting}${local}`,
    });
    return out;
  }

  private isRetryable(err: ApiError, idempotent: boolean, spec: RequestSpec): boolean {
    if (err.status === 429) return true; // rejected before processing
    if (isNeverSent(err)) return true;
    const transient = err.status === 0 || RETRY_STATUSES.has(err.status);
    if (!transient) return false;
    if (idempotent) return true;
    // A non-idempotent write may have taken effect: only with a lookup first.
    return spec.recover !== undefined;
  }

  private async attempt<T>(spec: RequestSpec, url: string, attemptNo: number, slot?: Slot): Promise<HttpResponse<T> | ApiError> {
    const headers: Record<string, string> = { Accept: "application/json", ...(spec.headers ?? {}) };
    Object.assign(headers, await this.opts.authHeaders?.());
    let body: string | Buffer | FormData | undefined;
    let logged: unknown;
    if (spec.body && "json" in spec.body) {
      body = JSON.stringify(spec.body.json);
      headers["Content-Type"] = "application/json";
      logged = spec.body.json;
    } else if (spec.body && "form" in spec.body) {
      body = qs().stringify(spec.body.form, { encodeValuesOnly: true, skipNulls: true, arrayFormat: spec.body.arrayFormat ?? "indices" });
      headers["Content-Type"] = "application/x-www-form-urlencoded";
      logged = spec.body.form;
    } else if (spec.body && "multipart" in spec.body) {
      const fd = spec.body.multipart();
      Object.assign(headers, fd.getHeaders());
      body = fd;
      logged = "<multipart>";
    }
    const controller = new AbortController();
    const timeout = spec.timeoutMs ?? this.timeoutMs;
    const timer = setTimeout(() => controller.abort(), timeout);
    const started = Date.now();
    debug(`${this.network}: -> ${spec.method} ${redactUrl(url)} attempt ${attemptNo} ${logged !== undefined ? JSON.stringify(redact(logged)) : ""}`);
    try {
      const res = await this.fetchImpl(url, { method: spec.method, headers, body, signal: controller.signal as AbortSignal });
      slot?.done(res.status, res.headers);
      const text = await res.text();
      const parsed = parseBody(text, res.headers.get("content-type"));
      debug(`${this.network}: <- ${res.status} ${spec.method} ${redactUrl(url)} in ${Date.now() - started} ms`);
      const ok = (res.status >= 200 && res.status < 300) || (spec.okStatuses ?? []).includes(res.status);
      const envelopeError = ok ? this.opts.bodyError?.(parsed, res.status) : undefined;
      if (ok && !envelopeError) return { status: res.status, body: parsed as T, headers: res.headers };
      const details = envelopeError ?? (this.opts.parseError ?? defaultParseError)(parsed, res.status);
      const err = new ApiError({
        network: this.network,
        status: res.status,
        method: spec.method,
        url,
        auth: spec.auth,
        message: details.message ?? `HTTP ${res.status}`,
        code: details.code,
        fieldErrors: details.fieldErrors,
        body: parsed,
        requestBody: logged,
        attempts: attemptNo,
        retryAfterMs: parseRetryAfter(res.headers.get("retry-after")),
      });
      return err;
    } catch (caught) {
      const e = caught as { code?: string; errno?: string | number; type?: string; message?: string } | undefined;
      const code = controller.signal.aborted ? "ETIMEDOUT" : (e?.code ?? e?.errno ?? e?.type ?? "ERROR");
      const err = new ApiError({
        network: this.network,
        status: 0,
        method: spec.method,
        url,
        message: controller.signal.aborted ? `no response within ${timeout} ms` : `${code}: ${e?.message ?? e}`,
        requestBody: logged,
        attempts: attemptNo,
        transportCode: String(code),
      });
      return err;
    } finally {
      clearTimeout(timer);
    }
  }
}

function isNeverSent(err: ApiError): boolean {
  return err.status === 0 && NEVER_SENT.has(err.transportCode ?? "");
}

function parseBody(text: string, contentType: string | null): unknown {
  if (!text) return undefined;
  if ((contentType ?? "").includes("json") || /^[\[{]/.test(text.trim())) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
