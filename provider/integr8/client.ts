import { ErrorDetails, HttpClientOptions, Query, RequestSpec } from "../core/http/http";
import { asArray, asObject, JsonObject } from "../core/http/json";

/**
 * An OfferAccessRequest as Integr8 answers it (field names inferred, see
 * docs/integr8.md); the resource's outputs are read from it by hand, as the
 * names are not confirmed.
 */
export interface ApplicationWire {
  id: string | number;
  offer_id?: string | number;
  status?: string;
  reason?: string;
  status_reason?: string;
  created_at?: string;
  decided_at?: string;
}
import { ApiClient } from "../core/http/client";
import { full, pages } from "../core/http/paging";
import { ApiError, ConfigError } from "../core/http/errors";
import { ReadCache } from "../core/http/readcache";
import { expand, RouteName, ROUTES } from "./routes";
import { MAX_PAGE_SIZE } from "./constants";

import { settings } from "./settings";

export interface Integr8Credentials {
  baseUrl: string;
  apiKey: string;
  organizationId?: string;
}

export { withOrganization } from "./organization";

/** The organization's read cache in `caches`, made on first use from its listing and the objects' keys. */
function perOrganization<T>(caches: Map<string, ReadCache<T>>, org: string, list: () => Promise<T[]>, key: (x: T) => string): ReadCache<T> {
  let c = caches.get(org);
  if (!c) caches.set(org, (c = new ReadCache<T>(list, key)));
  return c;
}

/** Integr8 error bodies are not documented: read any of the usual shapes. */
export function parseError(body: unknown, status: number): ErrorDetails {
  const b = asObject(body);
  if (b) {
    const list = asArray(b.errors).map((e) => asObject(e) ?? {});
    const first: JsonObject = list[0] ?? {};
    const m = asObject(b.error)?.message ?? b.error ?? b.message ?? first.detail ?? first.message ?? first.title;
    const fieldErrors = list
      .map((e) => ({ e, source: asObject(e.source) }))
      .filter(({ e, source }) => e.field || source?.pointer || source?.parameter)
      .map(({ e, source }) => ({ field: String(e.field ?? source?.parameter ?? String(source?.pointer).replace(/^\/(data\/)?(attributes\/)?/, "")), message: String(e.detail ?? e.message ?? e.title ?? "invalid") }));
    if (typeof m === "string") return { message: m, code: typeof b.code === "string" ? b.code : undefined, fieldErrors: fieldErrors.length ? fieldErrors : undefined };
  }
  if (typeof body === "string" && body.trim()) return { message: body.trim().slice(0, 300) };
  return { message: `HTTP ${status}` };
}

/** Single objects may come bare or as `{"data": {...}}`; accept both. */
export function unwrap<T>(body: unknown): T {
  const data = asObject(asObject(body)?.data);
  return (data ?? body) as T;
}

export interface PageOptions {
  /** Items per request, 1-100 (default 100). */
  pageSize?: number;
  /** Stop after this many items (default: every item). */
  limit?: number;
}

/** Never more than this many page requests for one listing (a bound on the loop). */
const MAX_PAGES = 10_000;

type Params = Record<string, string>;

/**
 * What the client itself reads of Integr8's postbacks. The resource declares
 * their whole shapes (integr8/postback.ts `Integr8Objects`, from its fields)
 * and the network makes its client with them, so the client never imports
 * its resources.
 */
export interface Integr8Shapes {
  postback: { id?: string; name?: unknown; integration?: unknown; service_type?: unknown; url?: unknown };
  /** What a create sends (the natural key among it). */
  postbackInput: { name?: unknown; integration?: unknown; service_type?: unknown; url?: unknown; [field: string]: unknown };
}

/** Integr8 publisher API client over the shared HTTP layer (`API-KEY` header). */
export class Integr8Client<W extends Integr8Shapes = Integr8Shapes> extends ApiClient {
  readonly organizationId?: string;

  /**
   * Reads at list speed, per organization: List Postbacks and List Offer
   * Applications return the same objects as their reads by id (seed 004:
   * `csapi.PostbackManager` and `csapi.OfferAccessRequest` both ways), so a
   * refresh or adoption of many reads them with one listing
   * (core/http/readcache.ts). Applications are keyed "<offerId>/<id>" like
   * their read route.
   */
  private readonly postbackReads = new Map<string, ReadCache<Integr8Shapes["postback"]>>();
  private readonly applicationReads = new Map<string, ReadCache<ApplicationWire>>();
  private postbackCache(org: string): ReadCache<Integr8Shapes["postback"]> {
    return perOrganization(this.postbackReads, org, () => this.collect<W["postback"]>("listPostbacks", { organizationID: org }), (p) => String(p.id));
  }
  private applicationCache(org: string): ReadCache<ApplicationWire> {
    return perOrganization(this.applicationReads, org, () => this.collect<ApplicationWire>("listOfferApplications", { organizationID: org }), (a) => `${a.offer_id}/${a.id}`);
  }

  constructor(creds: Integr8Credentials, opts: Partial<HttpClientOptions> = {}) {
    super({ network: "Integr8", settings, baseUrl: creds.baseUrl, secrets: [creds.apiKey], parseError, authHeaders: () => ({ "API-KEY": creds.apiKey }) }, opts);
    this.organizationId = creds.organizationId;
  }

  /** The organization to use: the given one, else the configured one. */
  org(explicit?: string): string {
    const o = explicit || this.organizationId;
    if (!o) throw new ConfigError(`Integr8 organization is missing: set stack config ${settings.organizationId.key} or environment ${settings.organizationId.env} (or pass organizationId). For example: pulumi config set ${settings.organizationId.key} <organization id>`);
    return o;
  }

  async call<T = unknown>(route: RouteName, params: Params, spec: Omit<RequestSpec, "method" | "path"> = {}): Promise<T> {
    return this.request<T>(this.route(route, params, spec));
  }

  route(route: RouteName, params: Params, spec: Omit<RequestSpec, "method" | "path"> = {}): RequestSpec {
    return { method: ROUTES[route].method, path: expand(route, params), ...spec };
  }

  /**
   * Every item of a numbered-page listing (`page[number]`, `page[size]`,
   * `meta.total_page`), fetched one page at a time as the consumer iterates.
   */
  async *paginate<T = JsonObject>(route: RouteName, params: Params, query: Query = {}, opts: PageOptions = {}): AsyncGenerator<T> {
    const size = opts.pageSize ?? MAX_PAGE_SIZE;
    if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) throw new RangeError(`pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}, got ${size}`);
    const limit = opts.limit ?? Infinity;
    if (!(limit >= 0)) throw new RangeError(`limit must be >= 0, got ${opts.limit}`);
    if (limit === 0) return;
    let yielded = 0;
    for await (const item of pages<T>(async (n) => {
      const body = await this.call<T[] | { data?: T[]; meta?: { total_page?: unknown } }>(route, params, { query: { ...query, page: { number: n + 1, size } } });
      const items: T[] = Array.isArray(body) ? body : Array.isArray(body?.data) ? body.data : [];
      const totalPages = Number(Array.isArray(body) ? undefined : body?.meta?.total_page);
      return { items, more: Number.isFinite(totalPages) ? n + 1 < totalPages : full(items, size) };
    }, MAX_PAGES)) {
      yield item;
      if (++yielded >= limit) return;
    }
  }

  async collect<T = JsonObject>(route: RouteName, params: Params, query: Query = {}, opts: PageOptions = {}): Promise<T[]> {
    const out: T[] = [];
    for await (const item of this.paginate<T>(route, params, query, opts)) out.push(item);
    return out;
  }

  /** The cheapest authenticated read: one offer of the configured organization (none configured: the resources name theirs, nothing to verify). */
  async verifyCredentials(): Promise<void> {
    if (!this.organizationId) return;
    await this.call("listOffers", { organizationID: this.organizationId }, { query: { page: { number: 1, size: 1 } } });
  }

  // ---- postbacks ----
  async createPostback(org: string, body: W["postbackInput"]): Promise<W["postback"]> {
    // No idempotency key: after an ambiguous failure, look for the postback by its natural key.
    const created = unwrap<W["postback"]>(await this.create<W["postback"]>({
      kind: `postback|${org}`, id: (p) => String(p.id), createdId: (b) => unwrap<W["postback"] | undefined>(b)?.id, asResponse: (data) => ({ data }),
      candidates: () => this.postbacksMatching(org, body),
      request: this.route("createPostback", { organizationID: org }, { body: { json: body } }),
    }));
    if (created?.id !== undefined) this.postbackCache(org).written(created.id);
    return created;
  }
  /** Natural key of a postback: name, integration, service type and URL (lost creates, `find`). */
  async postbacksMatching(org: string, key: { name?: unknown; integration?: unknown; service_type?: unknown; url?: unknown }): Promise<W["postback"][]> {
    const all = await this.collect<W["postback"]>("listPostbacks", { organizationID: org });
    return all.filter((p) => p.name === key.name && String(p.integration) === String(key.integration) && p.service_type === key.service_type && p.url === key.url);
  }
  async getPostback(org: string, id: string): Promise<W["postback"] | undefined> {
    return this.postbackCache(org).read(id, async () => unwrap<W["postback"] | undefined>(await this.call("getPostback", { organizationID: org, postbackID: id }))) as Promise<W["postback"] | undefined>;
  }
  async updatePostback(org: string, id: string, body: Record<string, unknown>): Promise<void> {
    this.postbackCache(org).written(id);
    await this.call("updatePostback", { organizationID: org, postbackID: id }, { body: { json: body } });
  }
  async deletePostback(org: string, id: string): Promise<void> {
    this.postbackCache(org).written(id);
    await this.call("deletePostback", { organizationID: org, postbackID: id }, { okStatuses: [204] });
  }
  /** Bulk Update Postbacks Status: `{"active": bool, "data": [ids]}`. Setting a status twice is harmless. */
  async setPostbacksActive(org: string, ids: string[], active: boolean): Promise<void> {
    for (const id of ids) this.postbackCache(org).written(id);
    await this.call("bulkUpdatePostbackStatus", { organizationID: org }, { body: { json: { active, data: ids } } });
  }

  // ---- offers and applications ----
  /** Offers looked up one by one at preview (one `GET /offers/{id}` per offer, organization and run). */
  private readonly offersSeen = new Map<string, Promise<{ found: boolean; name?: string }>>();
  /** Whether the organization sees the offer, and its name: one read-only request, cached per run; a 404 is "not found". */
  offerEntry(org: string, offerId: string): Promise<{ found: boolean; name?: string }> {
    const key = `${org}\u0000${offerId}`;
    let p = this.offersSeen.get(key);
    if (!p) {
      p = this.getOffer(org, offerId).then(
        (o) => ({ found: true, name: typeof o?.name === "string" ? o.name : undefined }),
        (e) => {
          if (e instanceof ApiError && e.isNotFound) return { found: false };
          throw e;
        },
      );
      this.offersSeen.set(key, p);
      p.catch(() => undefined);
    }
    return p;
  }
  /** Every offer the organization sees, as id -> name (`GET /offers`, all pages). */
  async offerList(org: string): Promise<ReadonlyMap<string, string>> {
    const all = await this.collect<JsonObject>("listOffers", { organizationID: org });
    return new Map(all.filter((o) => o?.id !== undefined).map((o): [string, string] => [String(o.id), typeof o.name === "string" ? o.name : String(o.id)]));
  }
  async getOffer(org: string, offerId: string): Promise<JsonObject> {
    return unwrap<JsonObject>(await this.call("getOffer", { organizationID: org, offerID: offerId }));
  }
  async agreeToOfferTerms(org: string, offerId: string): Promise<void> {
    await this.call("agreeToOfferTerms", { organizationID: org, offerID: offerId });
  }
  async applyForOffer(org: string, offerId: string): Promise<ApplicationWire> {
    // One application per offer: after an ambiguous failure, find it instead of applying twice.
    const made = unwrap<ApplicationWire>(await this.create<ApplicationWire>({
      kind: `application|${org}`, id: (a) => String(a.id), createdId: (b) => unwrap<ApplicationWire | undefined>(b)?.id, asResponse: (data) => ({ data }),
      candidates: async () => {
        const found = await this.findApplication(org, offerId);
        return found ? [found] : [];
      },
      request: this.route("applyForOffer", { organizationID: org, offerID: offerId }),
    }));
    if (made?.id !== undefined) this.applicationCache(org).written(`${offerId}/${made.id}`);
    return made;
  }
  async findApplication(org: string, offerId: string): Promise<ApplicationWire | undefined> {
    const all = await this.collect<ApplicationWire>("listOfferApplications", { organizationID: org }, { filter: { offer_id: offerId } });
    return all.filter((a) => String(a.offer_id) === offerId).pop();
  }
  async getApplication(org: string, offerId: string, applicationId: string): Promise<ApplicationWire | undefined> {
    return this.applicationCache(org).read(`${offerId}/${applicationId}`, async () =>
      unwrap<ApplicationWire | undefined>(await this.call("getOfferApplication", { organizationID: org, offerID: offerId, offerAccessRequestID: applicationId })));
  }
  async deleteApplication(org: string, offerId: string, applicationId: string): Promise<void> {
    this.applicationCache(org).written(`${offerId}/${applicationId}`);
    await this.call("deleteOfferApplication", { organizationID: org, offerID: offerId, offerAccessRequestID: applicationId }, { okStatuses: [204] });
  }
}
