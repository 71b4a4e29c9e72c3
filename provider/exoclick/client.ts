import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
// form-data (and its dependencies: 0.1-0.3 s to load) on the first upload, not in every process that loads the network.
import type FormDataT from "form-data";
const formData = (): FormDataT => new (require("form-data") as typeof FormDataT)();
import { ErrorDetails, HttpClient, HttpClientOptions, RequestSpec } from "../core/http/http";
import { asObject, JsonObject } from "../core/http/json";
import { ApiClient } from "../core/http/client";
import { collectPages, full } from "../core/http/paging";
import { ApiError } from "../core/http/errors";
import { registerSecret } from "../core/http/redact";
import { Existed, idMark } from "../core/http/recover";
import { ReadCache, SharedReads } from "../core/http/readcache";
import { LIBRARY_FILE_TYPES } from "./constants";
import { settings } from "./settings";
import type { RoutedTargetingKind, TargetingMode } from "./constants";

/** ExoClick wraps answers in `result`. */
type Result<T> = { result?: T };
/** What a create answers. */
type Created = { id: number };
export interface LibraryUrlWire {
  id: number;
  url: string;
}
/** A variation as ExoClick lists it (the read names differ from the create form's). */
export interface VariationWire {
  idvariation: number;
  idcampaign?: number;
  idvariations_url: number | string;
  idvariations_file: number | string;
  active: number | string;
}

/**
 * What the client itself reads of ExoClick's objects and sends of its
 * forms. The resources declare their whole shapes (exoclick/campaign.ts
 * `CampaignWire`, exoclick/libraryFile.ts `LibraryFileWire`, the forms from
 * their fields) and the network makes its client with them, so the client
 * never imports its resources.
 */
export interface ExoClickShapes {
  campaign: { id: number; name?: unknown; status?: number };
  /** The campaign form (create and update). */
  campaignInput: { name?: unknown };
  libraryFile: { id: number; file_hash_original?: string };
  /** The variation form. */
  variationInput: { id_library_url?: string | number; id_library_file?: string | number };
}
/** Detailed targeting as `GET /campaigns/{id}?detailed=true` answers it. */
export interface TargetingWire<E> {
  targeted?: E[];
  blocked?: E[];
}
/** An element of a routed targeting list as read back: an object of the reference list (`{id, name, ...}`), or `{url}`, `{keyword}`, `{ip_range}`. */
export type TargetingElement = { id?: number | string; url?: string; keyword?: string; ip_range?: string } | number | string;
export interface CampaignDetail<C = ExoClickShapes["campaign"]> {
  campaign?: C;
  categories?: TargetingWire<{ id: number }>;
  countries?: TargetingWire<{ iso3: string; regions?: Array<{ id: number }> }>;
  /** Day parting as read back: at the result's top level, days 1 (Monday) to 7. */
  day_parting?: Array<{ day: number | string; hours: Array<number | string> }> | null;
  zones?: Array<{ idzone: number; price?: number; sub_id_target_type?: number; sub_ids?: number[] }> | null;
  zone_targeting?: { type?: number | string; network_selection?: number | string; partner_networks?: number | string | boolean } | null;
  /** Publisher ad types as objects of ExoClick's list (`{id, name, ...}`). */
  publisher_ad_types?: Array<{ id: number } | number> | null;
  /** The campaign's variations, as `GET /campaigns/{id}/variations` lists them. */
  variations?: VariationWire[] | null;
}
/** The detailed read also holds each routed targeting kind as `{targeted, blocked}`. */
export type CampaignDetailWithTargeting<C = ExoClickShapes["campaign"]> = CampaignDetail<C> & Partial<Record<RoutedTargetingKind, TargetingWire<TargetingElement>>>;
/** An entry of one of ExoClick's reference lists (`GET /collections/<name>`): an id and a name at least. */
export type CollectionEntry = { id: number | string; name?: string } & Record<string, unknown>;


export interface ExoClickCredentials {
  baseUrl: string;
  apiToken?: string;
  username?: string;
  password?: string;
}


const parseError = (body: unknown): ErrorDetails => {
  const b = asObject(body);
  if (b) {
    const m = b.message ?? asObject(b.error)?.message ?? b.error;
    const errors = b.errors && typeof b.errors === "object" ? (b.errors as JsonObject) : undefined;
    const fieldErrors = errors
      ? Object.entries(errors).map(([field, v]) => ({ field, message: Array.isArray(v) ? v.join("; ") : String(v) }))
      : undefined;
    if (typeof m === "string") {
      // The sandbox and ExoClick prefix validation messages with the field.
      const fm = /^([a-z_.]+): (.+)$/.exec(m);
      return { message: m, fieldErrors: fieldErrors ?? (fm ? [{ field: fm[1], message: fm[2] }] : undefined) };
    }
  }
  return { message: typeof body === "string" && body ? body.slice(0, 300) : undefined };
};

interface CachedToken {
  token: Promise<string>;
}

/** Bearer tokens per process, keyed by base URL and a hash of the credentials. */
const tokenCache = new Map<string, CachedToken>();
/** Login count per process (the benchmark reports it). */
export const loginStats = { logins: 0 };

function cacheKey(c: ExoClickCredentials): string {
  const h = crypto.createHash("sha256").update(JSON.stringify([c.apiToken, c.username, c.password])).digest("hex");
  return `${c.baseUrl}|${h}`;
}

/**
 * ExoClick API v2 client over the shared HTTP layer. Logs in once per
 * process and credentials; on a 401 it logs in again once and retries.
 * `W`: the shapes of the objects and forms it moves.
 */
export class ExoClickClient<W extends ExoClickShapes = ExoClickShapes> extends ApiClient {
  private readonly key: string;
  /** Reference lists fetched by this client (one client per process and configuration): each at most once per run, a failure included. */
  private readonly collections = new Map<string, Promise<CollectionEntry[]>>();

  /** Reads of library URLs and files at list speed (their lists return whole objects; core/http/readcache.ts). */
  readonly urlReads = new ReadCache<LibraryUrlWire>(() => this.listLibraryUrls(), (u) => String(u.id));
  readonly fileReads = new ReadCache<ExoClickShapes["libraryFile"]>(async () => (await Promise.all(LIBRARY_FILE_TYPES.map((t) => this.listLibraryFiles(t)))).flat(), (f) => String(f.id));
  /**
   * A campaign's detail, read once per run for the campaign and its variations (the detail holds them:
   * ExoClick has no account-wide variation list; core/http/readcache.ts SharedReads). Kept as the base
   * campaign shape, so the client stays covariant in W.
   */
  readonly campaignReads = new SharedReads<CampaignDetailWithTargeting | undefined>(async (id) =>
    (await this.request<Result<CampaignDetailWithTargeting>>({ method: "GET", path: `/campaigns/${id}`, query: { detailed: "true" } })).result);

  constructor(private readonly creds: ExoClickCredentials, opts: Partial<HttpClientOptions> = {}) {
    super({
      network: "ExoClick",
      settings,
      baseUrl: creds.baseUrl,
      secrets: [creds.apiToken, creds.password],
      identity: [creds.username],
      parseError,
      authHeaders: async () => ({ Authorization: `Bearer ${await this.token()}` }),
    }, opts);
    this.key = cacheKey(creds);
  }

  private token(): Promise<string> {
    let cached = tokenCache.get(this.key);
    if (!cached) {
      cached = { token: this.login() };
      tokenCache.set(this.key, cached);
      cached.token.catch(() => tokenCache.delete(this.key));
    }
    return cached.token;
  }

  private async login(): Promise<string> {
    const loginHttp = new HttpClient({ network: "ExoClick", baseUrl: this.creds.baseUrl, parseError, settings });
    const body = this.creds.apiToken ? { api_token: this.creds.apiToken } : { username: this.creds.username, password: this.creds.password };
    // Login creates nothing, so it is safe to retry.
    const res = await loginHttp.request<{ token: string; type?: string }>({ method: "POST", path: "/login", body: { json: body }, idempotent: true, auth: true });
    if (!res.body?.token) throw new Error("ExoClick login answered without a token");
    if (res.body.type && res.body.type !== "Bearer") throw new Error(`ExoClick login answered with a ${res.body.type} challenge (two-factor login is not supported; use an API token)`);
    registerSecret(res.body.token);
    loginStats.logins++;
    return res.body.token;
  }

  /** The cheapest authenticated call: the login (once per process and credentials; the token is then used by the run). */
  async verifyCredentials(): Promise<void> {
    await this.token();
  }

  /** A request with the bearer token; one re-login on 401. */
  override async request<T = unknown>(spec: RequestSpec): Promise<T> {
    try {
      return await super.request<T>(spec);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401 && tokenCache.has(this.key)) {
        tokenCache.delete(this.key);
        return super.request<T>(spec);
      }
      throw e;
    }
  }

  // Natural keys: the objects a create with these values may have made. Used
  // after a lost response (here) and after a killed deployment (`find`).
  async libraryUrlsWith(url: string) {
    return (await this.listLibraryUrls()).filter((u) => u.url === url);
  }
  async libraryFilesWith(type: string, md5: string) {
    return (await this.listLibraryFiles(type)).filter((f) => f.file_hash_original === md5);
  }
  async campaignsNamed(name: string) {
    return (await this.listAll<W["campaign"]>("/campaigns", { custom_search: name })).filter((c) => c.name === name && c.status !== -1);
  }
  async variationsLinking(campaignId: string | number, urlId: string | number | undefined, fileId: string | number | undefined) {
    return (await this.listVariations(campaignId)).filter((v) => String(v.idvariations_url) === String(urlId) && String(v.idvariations_file) === String(fileId));
  }

  async createLibraryUrl(url: string): Promise<Created> {
    return this.create<LibraryUrlWire, Created>({
      kind: "url", id: (u) => String(u.id), createdId: (b) => b?.id,
      existedBefore: () => this.idMark("/library/url"), candidates: () => this.libraryUrlsWith(url),
      request: { method: "POST", path: "/library/url", body: { json: { url } } },
    });
  }
  async getLibraryUrl(id: string | number): Promise<LibraryUrlWire | undefined> {
    return this.urlReads.read(String(id), async () => (await this.request<Result<LibraryUrlWire>>({ method: "GET", path: `/library/url/${id}` })).result);
  }
  async listLibraryUrls(): Promise<LibraryUrlWire[]> {
    return this.listAll("/library/url");
  }
  async updateLibraryUrl(id: string | number, url: string): Promise<void> {
    this.urlReads.written(id);
    await this.request({ method: "PUT", path: `/library/url/${id}`, body: { json: { url } } });
  }
  async deleteLibraryUrl(id: string | number): Promise<void> {
    this.urlReads.written(id);
    await this.request({ method: "DELETE", path: `/library/url/${id}` });
  }

  // ---- library files ----
  async uploadLibraryFile(filePath: string, type: string, md5: string): Promise<W["libraryFile"]> {
    const data = fs.readFileSync(filePath);
    return this.create<W["libraryFile"], W["libraryFile"]>({
      kind: "file", id: (f) => String(f.id), createdId: (b) => b?.id,
      existedBefore: () => this.idMark("/library/file", { type }), candidates: () => this.libraryFilesWith(type, md5),
      request: {
        method: "POST", path: "/library/file",
        body: {
          multipart: () => {
            const fd = formData();
            fd.append("file", data, { filename: path.basename(filePath) });
            fd.append("type", type);
            return fd;
          },
        },
      },
    });
  }
  async getLibraryFile(id: string | number): Promise<W["libraryFile"] | undefined> {
    // The cache holds what listLibraryFiles and this read answered: files of shape W["libraryFile"] (kept as the base shape, so the client stays covariant in W).
    return this.fileReads.read(String(id), async () => (await this.request<Result<W["libraryFile"]>>({ method: "GET", path: `/library/file/${id}` })).result) as Promise<W["libraryFile"] | undefined>;
  }
  async listLibraryFiles(type: string): Promise<W["libraryFile"][]> {
    return this.listAll("/library/file", { type });
  }
  async deleteLibraryFile(id: string | number): Promise<void> {
    this.fileReads.written(id);
    await this.request({ method: "DELETE", path: `/library/file/${id}` });
  }

  // ---- campaigns ----
  async createCampaign(body: W["campaignInput"]): Promise<{ id: number }> {
    const res = await this.create<W["campaign"], Created>({
      kind: "campaign", id: (c) => String(c.id), createdId: (b) => b?.id,
      existedBefore: () => this.idMark("/campaigns"), candidates: () => this.campaignsNamed(String(body.name)),
      request: { method: "POST", path: "/campaigns", body: { json: body } },
    });
    this.campaignReads.written(res.id);
    return { id: res.id };
  }
  /** The campaign in detail (`GET /campaigns/{id}?detailed=true`): targeting, zones and its variations. */
  async getCampaign(id: string | number): Promise<CampaignDetailWithTargeting<W["campaign"]> | undefined> {
    return this.campaignReads.read(String(id), "campaign") as Promise<CampaignDetailWithTargeting<W["campaign"]> | undefined>;
  }
  /** Replaces a routed targeting list (`PUT /campaigns/{id}/{mode}/{kind}`, a plain JSON array; idempotent). */
  async replaceTargeting(id: string | number, mode: TargetingMode, kind: RoutedTargetingKind, values: Array<number | string>): Promise<void> {
    this.campaignReads.written(id);
    await this.request({ method: "PUT", path: `/campaigns/${id}/${mode}/${kind}`, body: { json: values } });
  }
  /** Empties a routed targeting list (`DELETE /campaigns/{id}/{mode}/{kind}/all`). */
  async clearTargeting(id: string | number, mode: TargetingMode, kind: RoutedTargetingKind): Promise<void> {
    this.campaignReads.written(id);
    await this.request({ method: "DELETE", path: `/campaigns/${id}/${mode}/${kind}/all` });
  }

  // ---- reference lists ----
  /** `GET /collections/<name>` (all pages), read once per client: later calls share the answer (or the failure). */
  collection(name: string): Promise<CollectionEntry[]> {
    let list = this.collections.get(name);
    if (!list) {
      list = this.listAll<CollectionEntry>(`/collections/${name}`);
      this.collections.set(name, list);
      list.catch(() => undefined); // kept: the same failure for every resource of the run
    }
    return list;
  }
  /** A reference list as value -> name; timezones are named (`day_parting.timezone` takes the name), the rest by id. */
  async referenceList(name: string): Promise<ReadonlyMap<string, string>> {
    // "regions:USA": the regions of one country (one read of the whole list, shared by every country).
    const [list, country] = name.split(":");
    if (list === "regions" && country !== undefined) {
      const all = await this.collection("regions");
      const mine = all.filter((e) => String(e.country_iso3 ?? "").toUpperCase() === country.toUpperCase());
      return new Map(mine.map((e): [string, string] => [String(e.id), String(e.name ?? e.id)]));
    }
    const key = name === "timezones" ? "name" : "id";
    return new Map((await this.collection(name)).map((e) => [String(e[key]), String(e.name ?? e[key])]));
  }
  async updateCampaign(id: string | number, body: W["campaignInput"]): Promise<void> {
    this.campaignReads.written(id);
    await this.request({ method: "PUT", path: `/campaigns/${id}`, body: { json: body } });
  }
  async setCampaignStatus(ids: Array<string | number>, action: "play" | "pause" | "delete"): Promise<void> {
    for (const id of ids) this.campaignReads.written(id);
    await this.request({ method: "PUT", path: `/campaigns/${action}`, body: { json: { campaign_ids: ids.map(Number) } } });
  }

  // ---- variations ----
  async createVariation(campaignId: string | number, fields: W["variationInput"]): Promise<{ id: number }> {
    // A (campaign, url, file) triple cannot belong to two resources: no snapshot needed.
    this.campaignReads.written(campaignId);
    return this.create<VariationWire, Created>({
      kind: "variation", id: (v) => String(v.idvariation), createdId: (b) => b?.id, asResponse: (v) => ({ id: v.idvariation }),
      candidates: () => this.variationsLinking(campaignId, fields.id_library_url, fields.id_library_file),
      request: {
        method: "POST", path: `/campaigns/${campaignId}/variation`,
        body: {
          multipart: () => {
            const fd = formData();
            for (const [k, v] of Object.entries(fields)) fd.append(k, String(v));
            return fd;
          },
        },
      },
    });
  }
  async listVariations(campaignId: string | number): Promise<VariationWire[]> {
    return (await this.request<Result<VariationWire[]>>({ method: "GET", path: `/campaigns/${campaignId}/variations` })).result ?? [];
  }
  /**
   * One variation of a campaign as the campaign's detail holds it (the detail is read once per run for
   * the campaign and all its variations); the campaign's variation list when a detail lacks them.
   */
  async getVariation(campaignId: string | number, variationId: string | number): Promise<VariationWire | undefined> {
    const detail = await this.campaignReads.read(String(campaignId), `variation ${variationId}`);
    const listed = Array.isArray(detail?.variations) ? detail.variations : await this.listVariations(campaignId);
    return listed.find((v) => String(v.idvariation) === String(variationId));
  }
  async setVariationActive(campaignId: string | number, variationId: string | number, active: boolean): Promise<void> {
    this.campaignReads.written(campaignId);
    await this.request({ method: "PUT", path: `/campaigns/${campaignId}/variation/${variationId}/${active ? "play" : "pause"}` });
  }
  async deleteVariation(campaignId: string | number, variationId: string | number): Promise<void> {
    this.campaignReads.written(campaignId);
    await this.request({ method: "DELETE", path: `/campaigns/${campaignId}/variation/${variationId}` });
  }

  /**
   * What a list holds now, for the lost-create guard: ExoClick's ids grow,
   * so the largest id, from one page newest first (`orderBy=d:id`), marks it
   * (core/http/recover.ts `idMark`; the whole list only if the order was not honoured).
   */
  private idMark<T extends { id: number }>(p: string, query: Record<string, unknown> = {}): Promise<Existed<T>> {
    return idMark<T>((size) => this.listAll<T>(p, { ...query, orderBy: "d:id" }, size, 1), (t) => String(t.id), () => this.listAll<T>(p, query));
  }

  /** Pages through a `{result: [...]}` list with limit/offset. */
  async listAll<T>(p: string, query: Record<string, unknown> = {}, pageSize = 500, maxPages = 200): Promise<T[]> {
    return collectPages(async (n) => {
      // ExoClick may answer the page as an id-keyed object instead of a list.
      const page = (await this.request<Result<T[] | Record<string, T>>>({ method: "GET", path: p, query: { ...query, limit: pageSize, offset: n * pageSize } })).result ?? [];
      const items = (Array.isArray(page) ? page : Object.values(page)) as T[];
      return { items, more: full(items, pageSize) };
    }, maxPages);
  }
}

/** For tests: forget cached tokens. */
export function clearTokenCache(): void {
  tokenCache.clear();
}
