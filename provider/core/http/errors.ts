import { redact, redactString, redactUrl } from "./redact";

/**
 * An error whose message says all the user needs: the provider host prints
 * no JavaScript stack trace for it (core/engine/dynamicHost.ts drops the stock
 * host's `console.error` of it; the message still reaches the engine).
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserError";
  }
  toString(): string {
    return `${QUIET_MARK}${this.message}`;
  }
}

/** Starts what `String(error)` gives for a UserError: how the host recognizes it in a log line. */
export const QUIET_MARK = "\u2063adnet\u2063";

export interface FieldError {
  field: string;
  message: string;
}

export interface ApiErrorInit {
  network: string;
  status: number;
  method: string;
  url: string;
  message: string;
  code?: string;
  fieldErrors?: FieldError[];
  body?: unknown;
  requestBody?: unknown;
  attempts?: number;
  /** The answer's Retry-After, in ms, when it gave one (429, 503). */
  retryAfterMs?: number;
  /** For a transport failure (status 0): the system's code, e.g. "ECONNREFUSED", "ETIMEDOUT". */
  transportCode?: string;
  /** The network was never reached in this process at `baseUrl` (core/http/http.ts: fail fast, say it once). */
  unreachable?: boolean;
  /** With `unreachable`: the base URL tried. */
  baseUrl?: string;
  /** The failed request was a login (or another call that only authenticates): a 404 there is a wrong base URL, never a missing object. */
  auth?: boolean;
}

/**
 * An error answered by a network (or a transport failure talking to it).
 * Carries the HTTP status (0 for transport errors), the network's own message
 * and field errors, and the request that caused it, with every credential
 * redacted.
 */
export class ApiError extends UserError {
  readonly network: string;
  readonly status: number;
  readonly method: string;
  readonly url: string;
  readonly networkMessage: string;
  readonly code?: string;
  readonly fieldErrors: FieldError[];
  readonly body?: unknown;
  readonly requestBody?: unknown;
  readonly attempts: number;
  /** The answer's Retry-After, in ms, when it gave one (429, 503). */
  readonly retryAfterMs?: number;
  /** For a transport failure (status 0): the system's code, e.g. "ECONNREFUSED", "ETIMEDOUT". */
  readonly transportCode?: string;
  /** The network was never reached in this process at `baseUrl` (core/http/http.ts: fail fast, say it once). */
  readonly unreachable?: boolean;
  /** With `unreachable`: the base URL tried. */
  readonly baseUrl?: string;
  /** The failed request was a login: its 404 is a wrong base URL, never a missing object. */
  readonly auth?: boolean;

  constructor(init: ApiErrorInit) {
    const url = redactUrl(init.url);
    const networkMessage = redactString(init.message);
    const fields = (init.fieldErrors ?? []).map((f) => ({ field: f.field, message: redactString(f.message) }));
    const parts = [`${init.network} ${init.status ? `API error ${init.status}` : "request failed"} on ${init.method} ${url}: ${networkMessage}`];
    if (init.code && !networkMessage.includes(init.code)) parts.push(`[code ${init.code}]`);
    // The field errors the network's message does not already say (it often repeats its first one).
    const more = fields.filter((f) => !networkMessage.includes(f.message));
    if (more.length) parts.push(`(${more.map((f) => `${f.field}: ${f.message}`).join("; ")})`);
    super(parts.join(" "));
    this.name = "ApiError";
    this.network = init.network;
    this.status = init.status;
    this.method = init.method;
    this.url = url;
    this.networkMessage = networkMessage;
    this.code = init.code;
    this.fieldErrors = fields;
    this.body = redact(init.body);
    this.requestBody = redact(init.requestBody);
    this.attempts = init.attempts ?? 1;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.transportCode !== undefined) this.transportCode = init.transportCode;
    if (init.unreachable) this.unreachable = true;
    if (init.baseUrl !== undefined) this.baseUrl = init.baseUrl;
    if (init.auth) this.auth = true;
  }

  /** The object the request named is gone (a 404 of a login is not: the base URL is wrong, and a read must not drop the resource). */
  get isNotFound(): boolean {
    return this.status === 404 && !this.auth;
  }
}

/** A problem with the provider's own configuration (credentials, base URL). */
export class ConfigError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/**
 * Thrown from create when the object exists remotely but a later step
 * failed: the dynamic-provider host turns `id`/`properties` into
 * ErrorResourceInitFailed, so Pulumi records the object instead of leaking it.
 */
export class PartialCreateError extends Error {
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly reasons: string[];
  constructor(id: string, properties: Record<string, unknown>, cause: Error) {
    super(`created ${id}, but a later step failed: ${cause.message}`);
    this.name = "PartialCreateError";
    this.id = id;
    this.properties = properties;
    this.reasons = [cause.message];
  }
}

/**
 * What a caught value may carry (Node's system and child-process errors,
 * pg's, the engine's, ours), read without trusting its type: the value
 * itself when it is an object, else nothing (as reading a property of a
 * thrown string or number gave).
 */
export interface Thrown {
  message?: string;
  code?: string | number;
  stderr?: string | Buffer;
  stdout?: string | Buffer;
  cause?: unknown;
  id?: string;
}
export function thrown(e: unknown): Thrown {
  return typeof e === "object" && e !== null ? (e as Thrown) : {};
}
