import * as crypto from "crypto";
import { HttpClient, HttpClientOptions, RequestSpec } from "./http";
import { registerSecret } from "./redact";
import { createGuard, Existed } from "./recover";
import { limiterFor } from "./ratelimit";

/**
 * The shared base of every network client: the HTTP layer set up with the
 * network's auth and error shape, the account scope (network, base URL and
 * a hash of the credentials) that caches and lost-create guards key on, and
 * creates through the shared lost-create guard.
 */
export interface ApiClientOptions {
  /** Human name used in errors, e.g. "Topsort". */
  network: string;
  baseUrl: string;
  /** The credentials: registered for redaction, hashed into the account scope. */
  secrets: Array<string | undefined>;
  /** Other values that tell accounts apart (a user name, an organization), hashed with the secrets. */
  identity?: Array<string | undefined>;
  authHeaders: HttpClientOptions["authHeaders"];
  parseError?: HttpClientOptions["parseError"];
  bodyError?: HttpClientOptions["bodyError"];
  /** The network's declared settings: errors name the one to check (the credential, the base URL). */
  settings?: HttpClientOptions["settings"];
}

export interface GuardedCreate<T, R = unknown> {
  /** Kind of object, e.g. "campaign" (with the account, the guard's scope). */
  kind: string;
  request: RequestSpec;
  /** The id of a listed object. */
  id(t: T): string;
  /** Listed objects matching the create's natural key. */
  candidates(): Promise<T[]>;
  /**
   * What exists before the first create of the kind (core/http/recover.ts: `idMark`,
   * `timeMark`, a bounded request); give it when several resources may share a natural key.
   */
  existedBefore?(): Promise<Existed<T>>;
  /** A found object as the create's response body (default: the object). */
  asResponse?(t: T): unknown;
  /** The new id in the create's response body. */
  createdId(body: R): string | number | undefined;
}

export class ApiClient {
  readonly http: HttpClient;
  /** network|base URL|hash of the credentials. */
  readonly account: string;

  constructor(o: ApiClientOptions, http: Partial<HttpClientOptions> = {}) {
    for (const s of o.secrets) registerSecret(s);
    const hash = crypto.createHash("sha256").update(JSON.stringify([o.secrets, o.identity ?? []])).digest("hex").slice(0, 16);
    this.account = `${o.network}|${o.baseUrl}|${hash}`;
    this.http = new HttpClient({
      network: o.network,
      baseUrl: o.baseUrl,
      parseError: o.parseError,
      bodyError: o.bodyError,
      settings: o.settings,
      // One limiter per network and account, shared by every client of the process (core/http/ratelimit.ts).
      limiter: limiterFor(this.account, { name: o.network }),
      ...http,
      authHeaders: o.authHeaders,
    });
  }

  /** A request's response body. */
  async request<T = unknown>(spec: RequestSpec): Promise<T> {
    return (await this.http.request<T>(spec)).body;
  }

  /**
   * A POST create without an idempotency key: after an ambiguous failure the
   * object is looked up by its natural key (never one that existed before
   * this process first created the kind, by a mark of one request, nor one
   * another resource owns) and
   * posted again only if it is not there (core/http/recover.ts).
   */
  async create<T, R = unknown>(c: GuardedCreate<T, R>): Promise<R> {
    const g = createGuard<T>({ scope: `${this.account}|${c.kind}`, id: c.id, existedBefore: c.existedBefore, candidates: c.candidates });
    await g.prepare();
    try {
      const body = await this.request<R>({
        ...c.request,
        idempotent: false,
        recover: async () => {
          const found = await g.recover();
          return found === undefined ? undefined : c.asResponse ? c.asResponse(found) : found;
        },
      });
      const id = c.createdId(body);
      if (id !== undefined) g.claim(id);
      return body;
    } finally {
      g.done();
    }
  }
}
