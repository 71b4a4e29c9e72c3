import type * as http from "http";
import type * as qs from "qs";

/**
 * What a network emulator is made of: its routes, the request and answer
 * they see, and the helpers they share. The server (server.ts) mounts
 * emulators; the emulators import this, not the server.
 */

/** A parsed request as a route handler sees it. */
export interface SandboxRequest {
  method: string;
  /** Path below the network's prefix, e.g. "/v2/campaigns/12". */
  path: string;
  params: Record<string, string>;
  query: Record<string, unknown>;
  headers: http.IncomingHttpHeaders;
  contentType: string;
  body: unknown;
  /**
   * How the body was read: "json" also when a JSON network got a body that
   * parses as JSON under no or another content type (real servers bind it).
   */
  bodyKind: "none" | "json" | "form" | "multipart" | "text";
  files: Record<string, UploadedFile>;
  rawBody: Buffer;
}

export interface UploadedFile {
  filename: string;
  mimeType: string;
  data: Buffer;
}

export interface SandboxResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (req: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>;

/**
 * Routes are data: method, path template (":name" segments), handler. A
 * segment may constrain its value, `:id(\\d+)`, so a word where the network
 * has a fixed sub-path (`/campaigns/groups`) is not taken for an id (the
 * pattern has no capturing groups and no "/").
 */
export interface Route {
  method: string;
  path: string;
  handler: Handler;
  /** Marks routes that create objects (used by fault injection's "lost response"). */
  creates?: boolean;
}

/**
 * One emulated network, mounted under `/<name>` on the shared server. A
 * network may be served for several accounts with separate data: one
 * emulator per account, the same routes, each request answered by the
 * emulator whose credentials it carries (as a network tells accounts apart
 * by their credentials, at one address).
 */
export interface NetworkEmulator {
  name: string;
  /** A fixed date for the reporting routes (`SandboxOptions.today`); none: $ADNET_SANDBOX_TODAY, else the machine's UTC date. */
  fixedToday?: string;
  /** The account this emulator serves, when it is not the network's first (default) one. */
  account?: string;
  /** Whether the request carries this account's credentials (another account's emulator answers it otherwise). */
  claims?(req: SandboxRequest): boolean;
  routes: Route[];
  /** Serializable state, persisted when the sandbox is given a file. */
  state(): unknown;
  load(state: unknown): void;
  reset(): void;
  /** Live (not archived or deleted) objects per kind, for tables and tests. */
  inventory(): Record<string, unknown[]>;
  /**
   * How this network decodes urlencoded and multipart form fields (qs
   * options). Default: lists as arrays. A network whose `[n]` keys carry
   * meaning (Affise's `sub[allow][1][]`) can keep indices as object keys.
   */
  formParse?: qs.IParseOptions;
  /** How this network decodes the query string (qs options); default: repeated keys become lists. */
  queryParse?: qs.IParseOptions;
  /** Runs before routing, e.g. a rate limiter; may answer instead. */
  before?(req: SandboxRequest): SandboxResponse | undefined;
  /**
   * "json": the API speaks JSON, so a body that parses as JSON is JSON
   * whatever its declared content type (none, text/plain, ...), as real
   * clients that never set the header rely on. "form": only declared types.
   */
  bodyFormat?: "json" | "form";
  /** The network's own error body, for answers the server gives (unknown route, bad JSON). */
  errorShape?(status: number, messages: string[]): SandboxResponse;
}

/** Helpers shared by the network emulators. */
export function json(status: number, body: unknown, headers?: Record<string, string>): SandboxResponse {
  return { status, body, headers };
}

export function bearer(req: SandboxRequest): string | undefined {
  const h = String(req.headers.authorization ?? "");
  const m = /^Bearer\s+(.+)$/i.exec(h);
  return m ? m[1].trim() : undefined;
}
