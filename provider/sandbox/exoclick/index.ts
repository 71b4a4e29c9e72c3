import * as crypto from "crypto";
import { imageSize } from "image-size";
import * as countries from "i18n-iso-countries";
import { SandboxRequest, SandboxResponse, json } from "../server";
import { Authorized, EmulatorBase, ErrorShape, credential, intParam, offsetPage } from "../emulator";

/**
 * What the ExoClick API accepts, as the emulator knows it from the API's
 * documentation (see docs/exoclick.md). Deliberately the emulator's own copy,
 * not the provider's constants, so the sandbox tests the provider's rules.
 */
const API = {
  ADVERTISER_AD_TYPES: [0, 7, 21, 22] as const,
  BANNER_SIZE: /^(\d{1,4})x(\d{1,4})$/,
  CAMPAIGN_STATUS: [0, 1] as const,
  LIBRARY_FILE_TYPES: ["image", "video", "video_banner"] as const,
  MAX_NAME: 255,
  MEDIA_STORAGE_TEMPLATES: ["img_banner", "link", "native_ad"] as const,
  PRICING_MODELS: [1, 2, 3, 4, 5] as const,
  TARGETING_TYPES: ["targeted", "blocked"] as const,
  ZERO_ONE: [0, 1] as const,
};

/** Default sandbox account; override with `new ExoClickSandbox({...})`. */
export const EXOCLICK_SANDBOX_CREDENTIALS = {
  apiToken: "sandbox-exoclick-api-token",
  username: "sandbox",
  password: "sandbox-password",
};

interface State {
  nextId: number;
  urls: Record<string, { id: number; url: string }>;
  files: Record<string, Record<string, any>>;
  campaigns: Record<string, Record<string, any>>;
  variations: Record<string, Record<string, any>>;
  /** Uploaded bytes by file id (base64), served at the file's `url`. */
  blobs: Record<string, string>;
  tokens: Record<string, number>; // token -> expiry (ms)
  logins: number;
}

const fresh = (): State => ({ nextId: 6_500_000, urls: {}, files: {}, campaigns: {}, variations: {}, blobs: {}, tokens: {}, logins: 0 });
const RATE_LIMIT = 150_000;

/**
 * ExoClick API v2 emulator: login (token or username/password), bearer
 * checks, library urls and files (multipart, real image decoding),
 * campaigns (validation, play/pause, soft delete) and variations.
 */
export class ExoClickSandbox extends EmulatorBase<State> {
  readonly name = "exoclick";

  /** Whether the request is this account's: a login with its credentials, a session token it issued, or a download of a file of its library. */
  claims(q: SandboxRequest): boolean {
    const file = /^\/static\/library\/(\d+)\./.exec(q.path);
    if (file) return this.s.files[file[1]] !== undefined;
    const t = credential(q, { bearer: true });
    if (t) return this.s.tokens[t] !== undefined;
    const b = q.body ?? {};
    return b.api_token !== undefined ? b.api_token === this.creds.apiToken : b.username !== undefined && b.username === this.creds.username;
  }
  readonly bodyFormat = "json";
  tokenLifetimeMs = 43_200_000;
  /** ExoClick's error body: `{"message": "..."}`. */
  errorShape: ErrorShape = (status, messages) => json(status, { message: messages.join("; ") });

  constructor(readonly creds = EXOCLICK_SANDBOX_CREDENTIALS) {
    super(fresh);
    const r = this.route.bind(this);
    r("POST", "/v2/login", (q) => this.login(q), { open: true });
    // Ids are integers: a documented word in an id's place (GET /campaigns/groups) is no id,
    // it answers 404 (no route) instead of "Campaign not found".
    const ID = { id: "id(\\d+)" };
    this.collection("/v2/library/url", {
      list: (q) => this.list(Object.values(this.s.urls), q), create: (q) => this.createUrl(q),
      get: (q) => this.one(this.s.urls[q.params.id], "Library url"), update: (q) => this.updateUrl(q),
      remove: (q) => this.remove(this.s.urls, q.params.id, "Library url"),
    }, ID);
    this.collection("/v2/library/file", {
      list: (q) => this.list(Object.values(this.s.files).filter((f) => !q.query.type || f.type === q.query.type).map((f) => this.fileView(f, q)), q),
      create: (q) => this.uploadFile(q),
      get: (q) => this.one(this.s.files[q.params.id] && this.fileView(this.s.files[q.params.id], q), "Library file"),
      remove: (q) => this.remove(this.s.files, q.params.id, "Library file"),
    }, ID);
    // The stored creative, where the file object's `url` points (a CDN in ExoClick: no token).
    r("GET", "/static/library/:name", (q) => this.download(q), { open: true });
    r("POST", "/v2/campaigns", (q) => this.createCampaign(q), { creates: true });
    r("GET", "/v2/campaigns", (q) => this.listCampaigns(q));
    r("PUT", "/v2/campaigns/play", (q) => this.setStatus(q, 1));
    r("PUT", "/v2/campaigns/pause", (q) => this.setStatus(q, 0));
    r("PUT", "/v2/campaigns/delete", (q) => this.setStatus(q, -1));
    r("GET", "/v2/campaigns/:id(\\d+)", (q) => this.getCampaign(q));
    r("PUT", "/v2/campaigns/:id(\\d+)", (q) => this.updateCampaign(q));
    r("POST", "/v2/campaigns/:id(\\d+)/variation", (q) => this.createVariation(q), { creates: true });
    r("GET", "/v2/campaigns/:id(\\d+)/variations", (q) => this.listVariations(q));
    r("PUT", "/v2/campaigns/:id(\\d+)/variation/:vid(\\d+)/play", (q) => this.variationActive(q, 1));
    r("PUT", "/v2/campaigns/:id(\\d+)/variation/:vid(\\d+)/pause", (q) => this.variationActive(q, 0));
    r("DELETE", "/v2/campaigns/:id(\\d+)/variation/:vid(\\d+)", (q) => this.deleteVariation(q));
  }

  inventory() {
    return {
      libraryUrls: Object.values(this.s.urls),
      libraryFiles: Object.values(this.s.files).map(({ id, type, width, height, file_name }) => ({ id, type, width, height, file_name })),
      campaigns: Object.values(this.s.campaigns).filter((c) => c.status !== -1),
      variations: Object.values(this.s.variations),
    };
  }

  /**
   * Test hook: the account's API token is replaced (as when a user rotates it
   * in the dashboard): the old one no longer logs in, and sessions end.
   */
  rotateApiToken(token: string): void {
    (this as { creds: typeof EXOCLICK_SANDBOX_CREDENTIALS }).creds = { ...this.creds, apiToken: token };
    this.s.tokens = {};
  }

  /** Number of successful logins (tests assert one per deployment). */
  get logins() { return this.s.logins; }
  /** Invalidates every issued token, as an expiry would. */
  expireTokens() { this.s.tokens = {}; }

  private id() { return this.nextId("nextId"); }

  protected headers(): Record<string, string> {
    return { "X-Rate-Limit-Limit": String(RATE_LIMIT), "X-Rate-Limit-Remaining": String(RATE_LIMIT - 1), "X-Rate-Limit-Reset": "900" };
  }

  protected authorize(q: SandboxRequest): Authorized<void> {
    const t = credential(q, { bearer: true });
    const exp = t ? this.s.tokens[t] : undefined;
    if (!t || !exp) return { refuse: this.fail(401, t ? "Invalid or expired token" : "Authorization header with a Bearer token is required") };
    if (exp < Date.now()) {
      delete this.s.tokens[t];
      return { refuse: this.fail(401, "Token expired") };
    }
    if (q.method === "POST" || q.method === "PUT") {
      const refused = this.contentTypeRefusal(q, true);
      if (refused) return { refuse: refused };
    }
    return { auth: undefined };
  }

  /**
   * ExoClick's documented content types (docs.exoclick.com/docs/api-manual-http-headers):
   * application/json, and multipart/form-data for uploads; "415: the content
   * type is missing or is not supported" (text/json, form-urlencoded, text/plain
   * ...). Undecodable JSON is 400 (answered by the server). One exception, from
   * a client in use: adam-szerdahelyi/go-exoclick logs in with a JSON body and
   * no Content-Type at all, so a body without a declared type is read as JSON.
   */
  private contentTypeRefusal(q: SandboxRequest, uploads: boolean): SandboxResponse | undefined {
    if (!q.rawBody.length) return undefined;
    const declared = q.contentType.split(";")[0].trim().toLowerCase();
    const ok = declared === "application/json" || (uploads && declared === "multipart/form-data") || (declared === "" && q.bodyKind === "json");
    if (ok) return undefined;
    const accepted = uploads ? "application/json, or multipart/form-data for uploads" : "application/json";
    return this.fail(415, `Unsupported Content-Type ${declared || "(none)"}: ExoClick accepts ${accepted}`);
  }

  private login(q: SandboxRequest): SandboxResponse {
    const refused = this.contentTypeRefusal(q, false);
    if (refused) return refused;
    const b = q.body ?? {};
    const ok = b.api_token !== undefined
      ? b.api_token === this.creds.apiToken
      : b.username === this.creds.username && b.password === this.creds.password;
    if (b.api_token === undefined && (b.username === undefined || b.password === undefined)) {
      return this.fail(400, "Provide either api_token, or username and password");
    }
    if (!ok) return this.fail(401, "Invalid credentials");
    const token = crypto.randomBytes(24).toString("hex");
    this.s.tokens[token] = Date.now() + this.tokenLifetimeMs;
    this.s.logins++;
    return json(200, { token, type: "Bearer", expires_in: Math.round(this.tokenLifetimeMs / 1000) });
  }

  private list(items: unknown[], q: SandboxRequest): SandboxResponse {
    const offset = Math.max(0, intParam(q.query.offset, 0) || 0);
    const limit = Math.min(1000, Math.max(1, intParam(q.query.limit, 50) || 1));
    return json(200, { result: offsetPage(items, offset, limit).slice });
  }

  private one(item: unknown, what: string): SandboxResponse {
    return item ? json(200, { result: item }) : this.fail(404, `${what} not found`);
  }

  private remove(store: Record<string, unknown>, id: string, what: string): SandboxResponse {
    if (!store[id]) return this.fail(404, `${what} not found`);
    if (what === "Library file" || what === "Library url") {
      const key = what === "Library file" ? "idvariations_file" : "idvariations_url";
      const user = Object.values(this.s.variations).find((v) => String(v[key]) === id && this.s.campaigns[v.idcampaign]?.status !== -1);
      if (user) return this.fail(409, `${what} ${id} is used by variation ${user.idvariation}`);
    }
    delete store[id];
    if (what === "Library file") delete this.s.blobs[id];
    return json(200, { message: `${what} deleted` });
  }

  private createUrl(q: SandboxRequest): SandboxResponse {
    const url = q.body?.url;
    if (typeof url !== "string" || !/^https?:\/\/[^\s/]+/.test(url)) return this.fail(400, "url: must be a valid http or https URL");
    const item = { id: this.id(), url };
    this.s.urls[item.id] = item;
    return json(200, item);
  }

  private updateUrl(q: SandboxRequest): SandboxResponse {
    const item = this.s.urls[q.params.id];
    if (!item) return this.fail(404, "Library url not found");
    const url = q.body?.url;
    if (typeof url !== "string" || !/^https?:\/\/[^\s/]+/.test(url)) return this.fail(400, "url: must be a valid http or https URL");
    item.url = url;
    return json(200, { message: "Library url updated" });
  }

  private uploadFile(q: SandboxRequest): SandboxResponse {
    if (!q.contentType.includes("multipart/form-data")) return this.fail(415, "Upload must be multipart/form-data");
    const file = q.files.file;
    if (!file) return this.fail(400, "file: a file is required");
    const type = q.body?.type ?? "image";
    if (!(API.LIBRARY_FILE_TYPES as readonly string[]).includes(type)) return this.fail(400, `type: must be one of ${API.LIBRARY_FILE_TYPES.join(", ")}`);
    let dims: { width?: number; height?: number; type?: string } = {};
    try {
      dims = imageSize(new Uint8Array(file.data));
    } catch {
      // Videos are not decoded here; only an "image" must be one.
      if (type === "image") return this.fail(400, "file: The uploaded file is not a valid image");
    }
    if (type === "image" && !["png", "jpg", "gif", "webp"].includes(String(dims.type))) {
      return this.fail(400, `file: image format ${dims.type} is not supported (png, jpg, gif, webp)`);
    }
    const id = this.id();
    const md5 = crypto.createHash("md5").update(file.data).digest("hex");
    const item = {
      id, type, width: dims.width, height: dims.height, width_public: dims.width, height_public: dims.height,
      file_name: file.filename, file_extension: dims.type === "jpg" ? "jpg" : dims.type,
      file_size_original: file.data.length, file_size_public: file.data.length,
      file_hash_original: md5, url_path: `/static/library/${id}.${dims.type ?? String(file.filename).split(".").pop()}`,
      is_archived: 0, status: 1,
    };
    this.s.files[id] = item;
    this.s.blobs[id] = file.data.toString("base64");
    return json(200, this.fileView(item, q));
  }

  /** The file object as served: `url` is absolute, on the host the client called. */
  private fileView(item: Record<string, any>, q: SandboxRequest): Record<string, any> {
    const { url_path, ...rest } = item;
    return { ...rest, url: url_path ? `http://${q.headers.host ?? "127.0.0.1"}/exoclick${url_path}` : item.url };
  }

  private download(q: SandboxRequest): SandboxResponse {
    const id = /^(\d+)\./.exec(q.params.name)?.[1];
    const data = id !== undefined ? this.s.blobs[id] : undefined;
    if (!id || data === undefined || `/static/library/${q.params.name}` !== this.s.files[id]?.url_path) return this.fail(404, "File not found");
    const ext = q.params.name.split(".").pop();
    return { status: 200, body: Buffer.from(data, "base64"), headers: { "Content-Type": `image/${ext === "jpg" ? "jpeg" : ext}` } };
  }

  private validateCampaign(b: any, partial: boolean): string | undefined {
    const need = (k: string) => !partial && (b[k] === undefined || b[k] === null || b[k] === "");
    for (const k of ["name", "advertiser_ad_type", "media_storage_template", "pricing"]) if (need(k)) return `${k}: This value is required`;
    if (b.name !== undefined && (typeof b.name !== "string" || !b.name.trim() || b.name.length > API.MAX_NAME)) return `name: must be a non-empty string of at most ${API.MAX_NAME} characters`;
    if (b.status !== undefined && !(API.CAMPAIGN_STATUS as readonly number[]).includes(b.status)) return `status: must be one of ${API.CAMPAIGN_STATUS.join(", ")}`;
    if (b.advertiser_ad_type !== undefined && !(API.ADVERTISER_AD_TYPES as readonly number[]).includes(b.advertiser_ad_type)) return `advertiser_ad_type: must be one of ${API.ADVERTISER_AD_TYPES.join(", ")}`;
    if (b.media_storage_template !== undefined && !(API.MEDIA_STORAGE_TEMPLATES as readonly string[]).includes(b.media_storage_template)) return `media_storage_template: must be one of ${API.MEDIA_STORAGE_TEMPLATES.join(", ")}`;
    if (b.media_storage_template === "img_banner" && !partial && !API.BANNER_SIZE.test(String(b.size ?? ""))) return "size: required for img_banner, as WIDTHxHEIGHT";
    if (b.pricing !== undefined) {
      if (!(API.PRICING_MODELS as readonly number[]).includes(b.pricing?.model)) return `pricing.model: must be one of ${API.PRICING_MODELS.join(", ")}`;
      if (typeof b.pricing?.price !== "number" || b.pricing.price <= 0) return "Campaign pricing minimum is 1";
    }
    for (const k of ["categories", "countries"]) {
      if (b[k] !== undefined && (!(API.TARGETING_TYPES as readonly string[]).includes(b[k]?.type) || !Array.isArray(b[k]?.elements))) return `${k}: expected {"type": "targeted"|"blocked", "elements": [...]}`;
    }
    for (const c of b.countries?.elements ?? []) {
      if (typeof c?.country !== "string" || c.country.length !== 3 || !countries.isValid(c.country)) return `countries: unknown country ${JSON.stringify(c?.country)} (ISO 3166-1 alpha-3 expected)`;
    }
    for (const k of ["start_date", "end_date"]) {
      if (b[k] !== undefined && b[k] !== null && !/^\d{4}-\d{2}-\d{2}$/.test(b[k])) return `${k}: must be YYYY-MM-DD`;
    }
    for (const k of ["daily_limit_type", "budget_delivery_mode", "run_on_responsive_zones"]) {
      if (b[k] !== undefined && !(API.ZERO_ONE as readonly number[]).includes(b[k])) return `${k}: must be 0 or 1`;
    }
    if (b.max_daily_budget !== undefined && (typeof b.max_daily_budget !== "number" || b.max_daily_budget < -1)) return "max_daily_budget: must be >= 0, or -1 for unlimited";
    return undefined;
  }

  private createCampaign(q: SandboxRequest): SandboxResponse {
    const b = q.body ?? {};
    const err = this.validateCampaign(b, false);
    if (err) return this.fail(400, err);
    const id = this.id();
    // What was sent is stored as sent (an update does the same): ExoClick's defaults fill only what is absent.
    const { pricing, ...sent } = b;
    this.s.campaigns[id] = {
      status: 0, size: "", start_date: new Date().toISOString().slice(0, 10), end_date: null,
      daily_limit_type: 0, max_daily_budget: -1, budget_delivery_mode: 0, run_on_responsive_zones: 0,
      ...sent,
      id, pricing_model: pricing.model, price: pricing.price,
      date_created: new Date().toISOString().slice(0, 10),
    };
    return json(200, { id });
  }

  /**
   * A variation as served: `imgurl` is its image's URL, the library file's
   * `url` (go-exoclick's Variation.ImgUrl and the public type files'
   * `imgurl: string` beside `idvariations_file`; that it is the file's URL is
   * inferred), on the host the client called, like the file object's.
   */
  private variationView(v: Record<string, any>, q: SandboxRequest): Record<string, any> {
    const { imgurl: _stored, ...rest } = v; // saved states from before kept a (broken) copy
    const file = this.s.files[v.idvariations_file];
    return { ...rest, imgurl: file ? this.fileView(file, q).url : "" };
  }

  /** The flat campaign object, as `result.campaign` of a GET and as a list item (go-exoclick's CampaignData): no targeting. */
  private campaignFlat(c: Record<string, any>) {
    const { categories: _c, countries: _t, ...flat } = c;
    return { ...flat, variations_counts: Object.values(this.s.variations).filter((v) => v.idcampaign === c.id).length };
  }

  private campaignView(c: Record<string, any>, detailed: boolean, q: SandboxRequest) {
    const { categories, countries: ctry } = c;
    const targeting = (t: any, map: (e: any) => any) =>
      t ? { targeted: t.type === "targeted" ? t.elements.map(map) : [], blocked: t.type === "blocked" ? t.elements.map(map) : [] } : { targeted: [], blocked: [] };
    const variations = Object.values(this.s.variations).filter((v) => v.idcampaign === c.id).map((v) => this.variationView(v, q));
    return {
      campaign: this.campaignFlat(c),
      variations,
      ...(detailed
        ? {
            categories: targeting(categories, (id: number) => ({ id })),
            countries: targeting(ctry, (e: any) => ({ iso3: e.country, regions: (e.regions ?? []).map((r: number) => ({ id: r })) })),
          }
        : {}),
    };
  }

  private getCampaign(q: SandboxRequest): SandboxResponse {
    const c = this.s.campaigns[q.params.id];
    if (!c) return this.fail(404, "Campaign not found");
    return json(200, { result: this.campaignView(c, q.query.detailed === "true" || q.query.detailed === "1", q) });
  }

  private listCampaigns(q: SandboxRequest): SandboxResponse {
    let items = Object.values(this.s.campaigns);
    if (q.query.status !== undefined) items = items.filter((c) => String(c.status) === String(q.query.status));
    if (q.query.custom_search) items = items.filter((c) => String(c.name).includes(String(q.query.custom_search)));
    if (String(q.query.orderBy ?? "") === "d:id") items = [...items].reverse();
    // List items are flat campaign objects (go-exoclick's List decodes []CampaignData); targeting
    // comes only with GET /campaigns/{id}?detailed=true, as {targeted, blocked} collections.
    return this.list(items.map((c) => this.campaignFlat(c)), q);
  }

  private updateCampaign(q: SandboxRequest): SandboxResponse {
    const c = this.s.campaigns[q.params.id];
    if (!c || c.status === -1) return this.fail(404, "Campaign not found");
    const b = q.body ?? {};
    const err = this.validateCampaign(b, true);
    if (err) return this.fail(400, err);
    for (const k of ["advertiser_ad_type", "media_storage_template", "size"]) {
      if (b[k] !== undefined && b[k] !== c[k]) return this.fail(400, `${k}: cannot be changed after the campaign is created`);
    }
    const { pricing, status, ...rest } = b;
    Object.assign(c, rest);
    if (pricing) Object.assign(c, { pricing_model: pricing.model, price: pricing.price });
    if (status !== undefined) c.status = status;
    return json(200, { message: "Campaign successfully updated" });
  }

  private setStatus(q: SandboxRequest, status: number): SandboxResponse {
    const ids = q.body?.campaign_ids;
    if (!Array.isArray(ids) || !ids.length) return this.fail(400, "campaign_ids: a non-empty array is required");
    const missing = ids.filter((id: unknown) => !this.s.campaigns[String(id)] || (status !== -1 && this.s.campaigns[String(id)].status === -1));
    if (missing.length) return this.fail(404, `Campaign not found: ${missing.join(", ")}`);
    for (const id of ids) this.s.campaigns[String(id)].status = status;
    return json(200, { message: "Campaigns updated" });
  }

  private createVariation(q: SandboxRequest): SandboxResponse {
    const camp = this.s.campaigns[q.params.id];
    if (!camp || camp.status === -1) return this.fail(404, "Campaign not found");
    if (!q.contentType.includes("multipart/form-data")) return this.fail(415, "Variation must be sent as multipart/form-data");
    const b = q.body ?? {};
    const urlId = String(b.id_library_url ?? "");
    const fileId = String(b.id_library_file ?? "");
    if (!this.s.urls[urlId]) return this.fail(400, `id_library_url: library url ${urlId || "(none)"} not found`);
    if (!this.s.files[fileId]) return this.fail(400, `id_library_file: library file ${fileId || "(none)"} not found`);
    const file = this.s.files[fileId];
    if (camp.media_storage_template === "img_banner" && `${file.width}x${file.height}` !== camp.size) {
      return this.fail(400, `id_library_file: image size ${file.width}x${file.height} does not match campaign size ${camp.size}`);
    }
    const active = b.active === undefined ? 1 : Number(b.active);
    if (active !== 0 && active !== 1) return this.fail(400, "active: must be 0 or 1");
    const id = this.id();
    this.s.variations[id] = {
      idvariation: id, idcampaign: camp.id, idvariations_url: Number(urlId), idvariations_file: Number(fileId),
      url: this.s.urls[urlId].url, active, status: 1, name: b.name ?? "", description: b.description ?? "",
    };
    return json(200, { id });
  }

  private listVariations(q: SandboxRequest): SandboxResponse {
    const c = this.s.campaigns[q.params.id];
    if (!c) return this.fail(404, "Campaign not found");
    return json(200, { result: Object.values(this.s.variations).filter((v) => String(v.idcampaign) === q.params.id).map((v) => this.variationView(v, q)) });
  }

  private variationActive(q: SandboxRequest, active: number): SandboxResponse {
    const v = this.s.variations[q.params.vid];
    if (!v || String(v.idcampaign) !== q.params.id) return this.fail(404, "Variation not found");
    v.active = active;
    return json(200, { message: "Variation updated" });
  }

  private deleteVariation(q: SandboxRequest): SandboxResponse {
    const v = this.s.variations[q.params.vid];
    if (!v || String(v.idcampaign) !== q.params.id) return this.fail(404, "Variation not found");
    delete this.s.variations[q.params.vid];
    return json(200, { message: "Variation deleted" });
  }
}
