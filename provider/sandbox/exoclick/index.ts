import * as crypto from "crypto";
import * as net from "net";
import { imageSize } from "image-size";
import * as countries from "i18n-iso-countries";
import { SandboxRequest, SandboxResponse, json } from "../routes";
import { addDays, isDay, traffic, TrafficTerms } from "../traffic";
import { Authorized, EmulatorBase, ErrorShape, JsonObject, credential, fieldsOf, intParam, isOneOf, offsetPage } from "../emulator";

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
  /** `zone_targeting.type`: 0 only the listed zones, 1 all but them, 2 every zone (the default); inferred from client code. */
  ZONE_TARGETING_TYPES: [0, 1, 2] as const,
  /** `/campaigns/{id}/{targeted|blocked}/{kind}` (exads-api-client-php, the 2018 Django client): plain JSON arrays. */
  ROUTED_KINDS: ["browsers", "carriers", "devices", "languages", "operating_systems", "sites", "keywords", "ip_ranges"] as const,
};

/**
 * SANDBOX DATA. ExoClick's reference lists (`GET /v2/collections/<name>`,
 * exads-api-client-php's Collection and the Django client's constants) as
 * the sandbox serves them: the documented shapes (the public type file of
 * the detailed campaign: browsers {id, name, status}, carriers {id, name,
 * country_id, enabled}, devices {id, name, device_type}, languages {id, name,
 * iso2, iso2_two}, operating systems {id, name, operating_system_type,
 * status}, countries {id, short_name, long_name, iso2, iso3, ...}) with
 * plausible entries whose ids are the sandbox's own, not ExoClick's. The
 * timezone list's entries ({id, name}) are inferred: one client reads
 * `/collections/timezones` and campaigns hold `parting_timezone` as a number.
 * The region list (`/collections/regions`, entries {id, name, country_iso3},
 * ids of regions of a country as `countries.elements[].regions` takes them)
 * is inferred: campaigns take region ids per country, so ExoClick keeps a
 * list of them; a few regions of a few countries, ids the sandbox's own,
 * numbered within their country.
 */
const DEVICE_TYPES = [
  { id: 1, name: "Desktop" }, { id: 2, name: "Smartphone" }, { id: 3, name: "Tablet" }, { id: 4, name: "Smart TV" }, { id: 5, name: "Console" },
];
const OS_TYPES = { desktop: { id: 1, name: "Desktop" }, mobile: { id: 2, name: "Mobile" }, tv: { id: 3, name: "TV" } };
const COLLECTIONS: Record<string, Array<Record<string, unknown>>> = {
  browsers: ["Chrome", "Firefox", "Safari", "Edge", "Opera", "Internet Explorer", "Samsung Internet", "UC Browser", "Yandex Browser", "Android Browser", "Brave", "Vivaldi", "Silk", "Facebook In-App", "Other"]
    .map((name, i) => ({ id: i + 1, name, status: 1 })),
  carriers: [
    ["Verizon Wireless", 840], ["AT&T", 840], ["T-Mobile US", 840], ["Telekom Deutschland", 276], ["Vodafone Germany", 276], ["O2 Germany", 276],
    ["Orange France", 250], ["SFR", 250], ["Bouygues Telecom", 250], ["EE", 826], ["Vodafone UK", 826], ["Three UK", 826],
    ["Movistar Spain", 724], ["TIM", 380], ["Claro Brasil", 76], ["Vivo", 76], ["NTT Docomo", 392], ["Telcel", 484],
  ].map(([name, country], i) => ({ id: 101 + i, name, country_id: country, enabled: 1 })),
  "device-types": DEVICE_TYPES,
  devices: [
    ["Windows PC", 1], ["Mac", 1], ["Linux PC", 1], ["iPhone", 2], ["Samsung Galaxy", 2], ["Google Pixel", 2], ["Xiaomi", 2], ["Huawei", 2], ["OnePlus", 2],
    ["iPad", 3], ["Samsung Galaxy Tab", 3], ["Amazon Fire", 3], ["Samsung Smart TV", 4], ["LG Smart TV", 4], ["PlayStation", 5], ["Xbox", 5],
  ].map(([name, type], i) => ({ id: i + 1, name, device_type: DEVICE_TYPES.find((t) => t.id === type) })),
  languages: [["English", "en"], ["German", "de"], ["French", "fr"], ["Spanish", "es"], ["Italian", "it"], ["Portuguese", "pt"], ["Russian", "ru"], ["Japanese", "ja"], ["Chinese", "zh"], ["Arabic", "ar"], ["Dutch", "nl"], ["Polish", "pl"], ["Turkish", "tr"], ["Korean", "ko"], ["Hindi", "hi"]]
    .map(([name, iso], i) => ({ id: i + 1, name, iso2: iso, iso2_two: iso })),
  "operating-systems": [
    ["Windows", OS_TYPES.desktop], ["macOS", OS_TYPES.desktop], ["Linux", OS_TYPES.desktop], ["Chrome OS", OS_TYPES.desktop], ["Android", OS_TYPES.mobile],
    ["iOS", OS_TYPES.mobile], ["iPadOS", OS_TYPES.mobile], ["Windows Phone", OS_TYPES.mobile], ["KaiOS", OS_TYPES.mobile], ["Tizen", OS_TYPES.tv], ["webOS", OS_TYPES.tv],
  ].map(([name, type], i) => ({ id: i + 1, name, operating_system_type: type, status: 1 })),
  timezones: ["UTC", "Europe/London", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin", "Europe/Madrid", "Europe/Rome", "Europe/Amsterdam", "Europe/Warsaw", "Europe/Athens",
    "Europe/Kyiv", "Europe/Istanbul", "Europe/Moscow", "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Mexico_City",
    "America/Sao_Paulo", "America/Argentina/Buenos_Aires", "Asia/Dubai", "Asia/Kolkata", "Asia/Bangkok", "Asia/Shanghai", "Asia/Tokyo", "Asia/Seoul",
    "Australia/Sydney", "Pacific/Auckland"].map((name, i) => ({ id: i + 1, name })),
  // Categories (`/collections/categories`, {id, name}): the seed's campaign targets 97, 98 and 99; the names are the sandbox's.
  categories: [[1, "Amateur"], [2, "Anime"], [12, "Dating"], [25, "Gaming"], [31, "Mainstream"], [44, "Social"], [58, "Streaming"], [97, "Entertainment"], [98, "News"], [99, "Sports"], [100, "Technology"], [101, "Travel"]]
    .map(([id, name]) => ({ id, name })),
  regions: ([
    ["DEU", ["Baden-Württemberg", "Bavaria", "Berlin", "Brandenburg", "Bremen", "Hamburg", "Hesse", "Lower Saxony", "Mecklenburg-Vorpommern", "North Rhine-Westphalia", "Rhineland-Palatinate", "Saarland", "Saxony", "Saxony-Anhalt", "Schleswig-Holstein", "Thuringia"], 1],
    ["USA", ["California", "Texas", "Florida", "New York", "Illinois", "Pennsylvania", "Ohio", "Georgia", "Washington", "Massachusetts"], 1],
    ["FRA", ["Île-de-France", "Auvergne-Rhône-Alpes", "Provence-Alpes-Côte d'Azur", "Occitanie", "Nouvelle-Aquitaine", "Hauts-de-France"], 1],
    ["GBR", ["England", "Scotland", "Wales", "Northern Ireland"], 1],
    ["ESP", ["Madrid", "Catalonia", "Andalusia", "Valencia"], 1],
  ] as Array<[string, string[], number]>).flatMap(([iso3, names, first]) => names.map((name, i) => ({ id: first + i, name, country_iso3: iso3 }))),
  countries: Object.entries(countries.getAlpha3Codes()).map(([iso3, iso2]) => ({
    id: Number(countries.alpha3ToNumeric(iso3)), short_name: iso2, long_name: countries.getName(iso3, "en") ?? iso3, iso2, iso3,
    is_eu_member: ["AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE"].includes(iso3) ? 1 : 0,
    has_vat_exemption_territories: 0,
  })),
};
/** The collections each routed targeting kind takes ids of (sites, keywords and IP ranges take text). */
const KIND_COLLECTION: Record<string, string> = { browsers: "browsers", carriers: "carriers", devices: "devices", languages: "languages", operating_systems: "operating-systems" };

const ipv4Number = (ip: string) => ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);
/** An IP address, a CIDR block or an IPv4 range low-high (the sandbox's reading of "IP ranges"). */
function validIpRange(v: unknown): boolean {
  if (typeof v !== "string") return false;
  if (net.isIP(v)) return true;
  const cidr = /^([^/\s]+)\/(\d{1,3})$/.exec(v);
  if (cidr) return net.isIP(cidr[1]) !== 0 && Number(cidr[2]) <= (net.isIPv4(cidr[1]) ? 32 : 128);
  const range = /^([\d.]+)\s*-\s*([\d.]+)$/.exec(v);
  return !!range && net.isIPv4(range[1]) && net.isIPv4(range[2]) && ipv4Number(range[1]) <= ipv4Number(range[2]);
}

/** Default sandbox account; override with `new ExoClickSandbox({...})`. */
export const EXOCLICK_SANDBOX_CREDENTIALS = {
  apiToken: "sandbox-exoclick-api-token",
  username: "sandbox",
  password: "sandbox-password",
};

/** A library file as stored (the upload's decoded size and type; `url_path` where its bytes are served). */
interface LibraryFile {
  id: number;
  type: string;
  width?: number;
  height?: number;
  width_public?: number;
  height_public?: number;
  file_name: string;
  file_extension?: string;
  file_size_original: number;
  file_size_public: number;
  file_hash_original: string;
  url_path?: string;
  is_archived: number;
  status: number;
  /** Saved states from before `url_path` kept an absolute url. */
  url?: string;
}

/** `categories`, `countries`, `device_types` as sent and kept: the listed elements are targeted or blocked. */
interface TargetingList<E> {
  type: "targeted" | "blocked";
  elements: E[];
}

/** A day of `day_parting` as kept: weekday 1 (Monday) to 7, hours 0 to 23. */
interface PartingDay {
  day: number;
  hours: number[];
}

/**
 * A campaign as stored: what was sent, as sent (validated; keys the sandbox
 * does not check are kept too), over ExoClick's defaults, with the frequency
 * cap and day parting in their read-back form.
 */
interface StoredCampaign {
  id: number;
  /** 1 running, 0 paused, -1 deleted. */
  status: number;
  name?: string;
  advertiser_ad_type?: number;
  media_storage_template?: string;
  size: string;
  pricing_model: number;
  price: number;
  start_date: string;
  end_date: string | null;
  daily_limit_type: number;
  max_daily_budget: number;
  total_budget_limit?: number | null;
  categories?: TargetingList<number>;
  countries?: TargetingList<{ country: string; regions?: number[] }>;
  capping: { quantity: number; frequency: number };
  day_parting: PartingDay[];
  parting_timezone: number | null;
  zones: Array<{ idzone: number; price: number; sub_id_target_type: unknown; sub_ids: unknown }>;
  zone_targeting: JsonObject;
  publisher_ad_types: number[];
  [key: string]: unknown;
}

/** A variation as stored (its image is the library file's, served by `variationView`). */
interface StoredVariation {
  idvariation: number;
  idcampaign: number;
  idvariations_url: number;
  idvariations_file: number;
  url: string;
  active: number;
  status: number;
  /** As sent (a form field). */
  name: unknown;
  description: unknown;
  /** Saved states from before kept a (broken) copy of the image url. */
  imgurl?: string;
}

interface State {
  nextId: number;
  urls: Record<string, { id: number; url: string }>;
  files: Record<string, LibraryFile>;
  campaigns: Record<string, StoredCampaign>;
  /** Routed targeting by campaign id and kind: the values sent (ids or text). */
  targeting: Record<string, Record<string, { targeted: Array<number | string>; blocked: Array<number | string> }>>;
  variations: Record<string, StoredVariation>;
  /** Uploaded bytes by file id (base64), served at the file's `url`. */
  blobs: Record<string, string>;
  tokens: Record<string, number>; // token -> expiry (ms)
  logins: number;
}

const fresh = (): State => ({ nextId: 6_500_000, urls: {}, files: {}, campaigns: {}, targeting: {}, variations: {}, blobs: {}, tokens: {}, logins: 0 });
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
    const b = fieldsOf(q.body);
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
      list: (q) => this.list(Object.values(this.s.files).filter((f) => !q.query.type || f.type === q.query.type), q, (page) => page.map((f) => this.fileView(f, q))),
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
    const routed = `/v2/campaigns/:id(\\d+)/:mode(targeted|blocked)/:kind(${API.ROUTED_KINDS.join("|")})`;
    r("POST", routed, (q) => this.targetingWrite(q, "add"));
    r("PUT", routed, (q) => this.targetingWrite(q, "replace"));
    r("DELETE", routed, (q) => this.targetingWrite(q, "remove"));
    r("DELETE", `${routed}/all`, (q) => this.targetingWrite(q, "all"));
    r("GET", `/v2/collections/:name(${Object.keys(COLLECTIONS).join("|")})`, (q) => this.list(COLLECTIONS[q.params.name], q));
    r("POST", "/v2/statistics/a/global", (q) => this.statistics(q));
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
    const b = fieldsOf(q.body);
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

  /**
   * `orderBy=<a|d>:<field>` (campaigns `d:id`, library files `a:id` in go-exoclick;
   * inferred for library urls). Lists are kept in id order, so by id it is a reversal.
   */
  private ordered<T extends object>(items: T[], q: SandboxRequest): T[] {
    const m = /^([ad]):(\w+)$/.exec(String(q.query.orderBy ?? ""));
    if (!m) return items;
    const [, dir, field] = m;
    // JavaScript's own comparison of whatever the field holds (numbers, text).
    const key = (x: T) => (x as Record<string, unknown>)[field] as number | string;
    const sorted = field === "id" ? items : [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    return dir === "d" ? [...sorted].reverse() : sorted;
  }

  /** One page of `items`; `shape` turns only that page into the answer's items. */
  private list<T extends object>(items: T[], q: SandboxRequest, shape?: (page: T[]) => unknown[]): SandboxResponse {
    const offset = Math.max(0, intParam(q.query.offset, 0) || 0);
    const limit = Math.min(1000, Math.max(1, intParam(q.query.limit, 50) || 1));
    const page = offsetPage(this.ordered(items, q), offset, limit).slice;
    this.listWork.built += page.length;
    return json(200, { result: shape ? shape(page) : page });
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
    const url = fieldsOf(q.body).url;
    if (typeof url !== "string" || !/^https?:\/\/[^\s/]+/.test(url)) return this.fail(400, "url: must be a valid http or https URL");
    const item = { id: this.id(), url };
    this.s.urls[item.id] = item;
    return json(200, item);
  }

  private updateUrl(q: SandboxRequest): SandboxResponse {
    const item = this.s.urls[q.params.id];
    if (!item) return this.fail(404, "Library url not found");
    const url = fieldsOf(q.body).url;
    if (typeof url !== "string" || !/^https?:\/\/[^\s/]+/.test(url)) return this.fail(400, "url: must be a valid http or https URL");
    item.url = url;
    return json(200, { message: "Library url updated" });
  }

  private uploadFile(q: SandboxRequest): SandboxResponse {
    if (!q.contentType.includes("multipart/form-data")) return this.fail(415, "Upload must be multipart/form-data");
    const file = q.files.file;
    if (!file) return this.fail(400, "file: a file is required");
    const type = fieldsOf(q.body).type ?? "image";
    if (!isOneOf(API.LIBRARY_FILE_TYPES, type)) return this.fail(400, `type: must be one of ${API.LIBRARY_FILE_TYPES.join(", ")}`);
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
    const item: LibraryFile = {
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
  private fileView(item: LibraryFile, q: SandboxRequest): Omit<LibraryFile, "url_path"> {
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

  private validateCampaign(b: JsonObject, partial: boolean): string | undefined {
    const need = (k: string) => !partial && (b[k] === undefined || b[k] === null || b[k] === "");
    for (const k of ["name", "advertiser_ad_type", "media_storage_template", "pricing"]) if (need(k)) return `${k}: This value is required`;
    if (b.name !== undefined && (typeof b.name !== "string" || !b.name.trim() || b.name.length > API.MAX_NAME)) return `name: must be a non-empty string of at most ${API.MAX_NAME} characters`;
    if (b.status !== undefined && !isOneOf(API.CAMPAIGN_STATUS, b.status)) return `status: must be one of ${API.CAMPAIGN_STATUS.join(", ")}`;
    if (b.advertiser_ad_type !== undefined && !isOneOf(API.ADVERTISER_AD_TYPES, b.advertiser_ad_type)) return `advertiser_ad_type: must be one of ${API.ADVERTISER_AD_TYPES.join(", ")}`;
    if (b.media_storage_template !== undefined && !isOneOf(API.MEDIA_STORAGE_TEMPLATES, b.media_storage_template)) return `media_storage_template: must be one of ${API.MEDIA_STORAGE_TEMPLATES.join(", ")}`;
    if (b.media_storage_template === "img_banner" && !partial && !API.BANNER_SIZE.test(String(b.size ?? ""))) return "size: required for img_banner, as WIDTHxHEIGHT";
    if (b.pricing !== undefined) {
      const pricing = fieldsOf(b.pricing);
      if (!isOneOf(API.PRICING_MODELS, pricing.model)) return `pricing.model: must be one of ${API.PRICING_MODELS.join(", ")}`;
      if (typeof pricing.price !== "number" || pricing.price <= 0) return "Campaign pricing minimum is 1";
    }
    for (const k of ["categories", "countries"]) {
      if (b[k] !== undefined && (!isOneOf(API.TARGETING_TYPES, fieldsOf(b[k]).type) || !Array.isArray(fieldsOf(b[k]).elements))) return `${k}: expected {"type": "targeted"|"blocked", "elements": [...]}`;
    }
    for (const e of (fieldsOf(b.countries).elements ?? []) as unknown[]) {
      const c = fieldsOf(e);
      if (typeof c.country !== "string" || c.country.length !== 3 || !countries.isValid(c.country)) return `countries: unknown country ${JSON.stringify(c.country)} (ISO 3166-1 alpha-3 expected)`;
      // Region ids are the country's own (0: the whole country).
      for (const r of (c.regions ?? []) as Iterable<unknown>) {
        if (r !== 0 && !COLLECTIONS.regions.some((x) => x.id === r && x.country_iso3 === String(c.country).toUpperCase())) return `countries: region ${JSON.stringify(r)} is not a region of ${c.country}`;
      }
    }
    for (const k of ["start_date", "end_date"]) {
      if (b[k] !== undefined && b[k] !== null && !/^\d{4}-\d{2}-\d{2}$/.test(String(b[k]))) return `${k}: must be YYYY-MM-DD`;
    }
    for (const k of ["daily_limit_type", "budget_delivery_mode", "run_on_responsive_zones"]) {
      if (b[k] !== undefined && !isOneOf(API.ZERO_ONE, b[k])) return `${k}: must be 0 or 1`;
    }
    if (b.max_daily_budget !== undefined && (typeof b.max_daily_budget !== "number" || b.max_daily_budget < -1)) return "max_daily_budget: must be >= 0, or -1 for unlimited";
    // Optional keys clients send (TS adapter, the 2018 Django client, ats-lib-ntwk-exoclick); null clears them.
    const positive = (v: unknown) => Number.isInteger(v) && (v as number) >= 1;
    for (const k of ["total_budget_limit", "total_impressions", "max_daily_impressions"]) {
      if (b[k] !== undefined && b[k] !== null && !positive(b[k])) return `${k}: must be a whole number >= 1, or null for none`;
    }
    if (b.daily_limit_delivery_mode !== undefined && !isOneOf(API.ZERO_ONE, b.daily_limit_delivery_mode)) return "daily_limit_delivery_mode: must be 0 or 1";
    const algorithm = b.optimization_algorithm;
    if (algorithm !== undefined && algorithm !== null && !(typeof algorithm === "number" && Number.isInteger(algorithm) && algorithm >= 0)) return "optimization_algorithm: must be a whole number >= 0";
    if (b.publisher_ad_types !== undefined && (!Array.isArray(b.publisher_ad_types) || !b.publisher_ad_types.every(positive))) return "publisher_ad_types: expected a list of publisher ad type ids";
    if (b.device_types !== undefined) {
      const d = fieldsOf(b.device_types);
      if (!isOneOf(API.TARGETING_TYPES, d.type) || !Array.isArray(d.elements)) return `device_types: expected {"type": "targeted"|"blocked", "elements": [...]}`;
      const bad = d.elements.find((e: unknown) => !COLLECTIONS["device-types"].some((t) => t.id === e));
      if (bad !== undefined) return `device_types: unknown device type ${JSON.stringify(bad)}`;
    }
    if (b.frequency_capping !== undefined) {
      const sent = b.frequency_capping;
      if (!sent || typeof sent !== "object" || Array.isArray(sent)) return "frequency_capping: expected {\"enabled\", \"impressions\", \"minutes\"}";
      const f = fieldsOf(sent);
      const on = f.enabled === true || f.enabled === 1 || f.enabled === "1";
      if (on && (!positive(f.impressions) || !positive(f.minutes))) return "frequency_capping: impressions and minutes must be whole numbers >= 1 when enabled";
    }
    if (b.day_parting !== undefined && b.day_parting !== null) {
      // {timezone, parting: [{day, hours}]} (two clients), or the bare list (the 2018 Django client).
      const dp = b.day_parting;
      const parting: unknown = Array.isArray(dp) ? dp : fieldsOf(dp).parting;
      if (!Array.isArray(parting)) return "day_parting: expected {\"timezone\", \"parting\": [{\"day\", \"hours\"}]}";
      const timezone = fieldsOf(dp).timezone;
      if (!Array.isArray(dp) && timezone !== undefined && timezone !== null && !COLLECTIONS.timezones.some((z) => z.name === timezone)) {
        return `day_parting.timezone: unknown timezone ${JSON.stringify(timezone)}`;
      }
      const days = new Set<number>();
      for (const x of parting) {
        const d = fieldsOf(x);
        const day = Number(d.day);
        if (!Number.isInteger(day) || day < 1 || day > 7) return "day_parting: day must be 1 (Monday) to 7 (Sunday)";
        if (days.has(day)) return `day_parting: day ${day} appears twice`;
        days.add(day);
        const hours: number[] | undefined = Array.isArray(d.hours) ? d.hours.map(Number) : undefined;
        if (!hours || !hours.every((h) => Number.isInteger(h) && h >= 0 && h <= 23) || new Set(hours).size !== hours.length) return "day_parting: hours must be distinct whole numbers 0 to 23";
      }
    }
    if (b.zone_targeting !== undefined && b.zone_targeting !== null) {
      const z = b.zone_targeting;
      if (typeof z !== "object" || !isOneOf(API.ZONE_TARGETING_TYPES, fieldsOf(z).type)) return `zone_targeting: type must be one of ${API.ZONE_TARGETING_TYPES.join(", ")}`;
    }
    if (b.zones !== undefined && b.zones !== null) {
      if (!Array.isArray(b.zones)) return "zones: expected a list of {\"idzone\", \"price\"}";
      for (const x of b.zones) {
        const z = fieldsOf(x);
        if (!positive(z.idzone)) return "zones: idzone must be a zone id";
        if (z.price !== undefined && z.price !== null && (typeof z.price !== "number" || z.price < 0)) return "zones: price must be >= 0";
      }
    }
    return undefined;
  }

  /** Stores a body's keys as ExoClick reads them back: the frequency cap as `capping`, day parting as its list and `parting_timezone`. */
  private store(c: Pick<StoredCampaign, "capping" | "day_parting" | "parting_timezone" | "zone_targeting" | "zones">, sent: JsonObject): void {
    const { frequency_capping: cap, day_parting: dp, zone_targeting: zt, ...rest } = sent;
    Object.assign(c, rest);
    if (cap !== undefined) {
      // Validated: a whole number of impressions per a whole number of minutes, when enabled.
      const f = fieldsOf(cap);
      const on = f.enabled === true || f.enabled === 1 || f.enabled === "1";
      c.capping = on ? { quantity: f.impressions as number, frequency: f.minutes as number } : { quantity: 0, frequency: 0 };
    }
    if (dp !== undefined && dp !== null) {
      const parting = (Array.isArray(dp) ? dp : fieldsOf(dp).parting) as unknown[];
      c.day_parting = parting.map((x) => {
        const d = fieldsOf(x);
        return { day: Number(d.day), hours: (d.hours as unknown[]).map(Number) };
      });
      const timezone = fieldsOf(dp).timezone;
      if (!Array.isArray(dp) && timezone) c.parting_timezone = COLLECTIONS.timezones.find((z) => z.name === timezone)!.id as number;
    }
    if (zt !== undefined && zt !== null) c.zone_targeting = { ...(c.zone_targeting ?? {}), ...fieldsOf(zt) };
    if (Array.isArray(sent.zones)) {
      c.zones = sent.zones.map((x: unknown) => {
        const z = fieldsOf(x);
        return { idzone: z.idzone as number, price: (z.price ?? 0) as number, sub_id_target_type: z.sub_id_target_type ?? 0, sub_ids: z.sub_ids ?? [] };
      });
    }
  }

  /**
   * `POST` adds, `PUT` replaces, `DELETE` removes (a JSON array body each),
   * `DELETE .../all` empties one list of `/campaigns/{id}/{targeted|blocked}/{kind}`.
   * Ids must be in the kind's reference list; IP ranges must parse.
   */
  private targetingWrite(q: SandboxRequest, op: "add" | "replace" | "remove" | "all"): SandboxResponse {
    const c = this.s.campaigns[q.params.id];
    if (!c || c.status === -1) return this.fail(404, "Campaign not found");
    const { mode, kind } = q.params as { mode: "targeted" | "blocked"; kind: string };
    let values: Array<number | string> = [];
    if (op !== "all") {
      const body = q.body;
      if (!Array.isArray(body)) return this.fail(400, `${kind}: expected a JSON array`);
      const list = KIND_COLLECTION[kind];
      for (const v of body) {
        if (list) {
          if (!COLLECTIONS[list].some((e) => e.id === v)) return this.fail(400, `${kind}: unknown ${list.replace(/s$/, "").replace("-", " ")} id ${JSON.stringify(v)}`);
        } else if (typeof v !== "string" || !v.trim() || (kind === "sites" && /\s/.test(v))) {
          return this.fail(400, `${kind}: expected non-empty strings${kind === "sites" ? " without spaces" : ""}, got ${JSON.stringify(v)}`);
        } else if (kind === "ip_ranges" && !validIpRange(v)) return this.fail(400, `ip_ranges: not an IP address, CIDR block or range: ${JSON.stringify(v)}`);
      }
      values = body;
    }
    this.s.targeting ??= {};
    const all = (this.s.targeting[c.id] ??= {});
    const t = (all[kind] ??= { targeted: [], blocked: [] });
    const same = (a: number | string, b: number | string) => String(a).toLowerCase() === String(b).toLowerCase();
    if (op === "all") t[mode] = [];
    else if (op === "replace") t[mode] = [...values];
    else if (op === "add") t[mode] = [...t[mode], ...values.filter((v) => !t[mode].some((x) => same(x, v)))];
    else t[mode] = t[mode].filter((x) => !values.some((v) => same(x, v)));
    return json(200, { message: "Campaign successfully updated" });
  }

  /** A routed targeting kind as the detailed read gives it: objects of the reference list, or {url}, {keyword}, {ip_range}. */
  private targetingView(campaignId: number, kind: string) {
    const t = this.s.targeting?.[campaignId]?.[kind] ?? { targeted: [], blocked: [] };
    const list = KIND_COLLECTION[kind];
    const view = (v: number | string) => list ? { ...COLLECTIONS[list].find((e) => e.id === v) }
      : kind === "sites" ? { url: v } : kind === "keywords" ? { keyword: v } : { ip_range: v };
    return { targeted: t.targeted.map(view), blocked: t.blocked.map(view) };
  }

  private createCampaign(q: SandboxRequest): SandboxResponse {
    const b = fieldsOf(q.body);
    const err = this.validateCampaign(b, false);
    if (err) return this.fail(400, err);
    const id = this.id();
    // What was sent is stored as sent (an update does the same): ExoClick's defaults fill only what is absent.
    const { pricing, ...sent } = b;
    const c = {
      status: 0, size: "", start_date: new Date().toISOString().slice(0, 10), end_date: null,
      daily_limit_type: 0, max_daily_budget: -1, budget_delivery_mode: 0, run_on_responsive_zones: 0,
      // Read back when not sent (the public type file's fields): no cap, no schedule, every zone, nothing spent.
      capping: { quantity: 0, frequency: 0 }, day_parting: [], parting_timezone: null, zones: [],
      zone_targeting: { type: 2, network_selection: 0, partner_networks: 0 }, publisher_ad_types: [],
      total_budget_spent: 0, impressions_sent: 0,
    };
    this.store(c, sent);
    // Validated: pricing is {model, price}.
    const { model, price } = fieldsOf(pricing) as { model: number; price: number };
    this.s.campaigns[id] = { ...c, id, pricing_model: model, price, date_created: new Date().toISOString().slice(0, 10) };
    return json(200, { id });
  }

  /**
   * A variation as served: `imgurl` is its image's URL, the library file's
   * `url` (go-exoclick's Variation.ImgUrl and the public type files'
   * `imgurl: string` beside `idvariations_file`; that it is the file's URL is
   * inferred), on the host the client called, like the file object's.
   */
  private variationView(v: StoredVariation, q: SandboxRequest) {
    const { imgurl: _stored, ...rest } = v; // saved states from before kept a (broken) copy
    const file = this.s.files[v.idvariations_file];
    return { ...rest, imgurl: file ? this.fileView(file, q).url : "" };
  }

  /** The flat campaign object, as `result.campaign` of a GET and as a list item (go-exoclick's CampaignData): no targeting. */
  private campaignFlat(c: StoredCampaign, counts = this.variationCounts([c])) {
    const { categories: _c, countries: _t, day_parting: _d, zones: _z, zone_targeting: _zt, publisher_ad_types: _p, ...flat } = c;
    const calculated = c.status === 1 ? { id: 1, status: "Running" } : c.status === -1 ? { id: 7, status: "Archived" } : { id: 2, status: "Paused" };
    return { ...flat, calculated_status: calculated, variations_counts: counts.get(c.id) ?? 0 };
  }

  /** Variations per campaign of `campaigns`, in one pass over the variations (not one per campaign). */
  private variationCounts(campaigns: StoredCampaign[]): Map<unknown, number> {
    const counts = new Map<unknown, number>(campaigns.map((c) => [c.id, 0]));
    const all = Object.values(this.s.variations);
    this.listWork.scanned += all.length;
    for (const v of all) {
      const n = counts.get(v.idcampaign);
      if (n !== undefined) counts.set(v.idcampaign, n + 1);
    }
    return counts;
  }

  private campaignView(c: StoredCampaign, detailed: boolean, q: SandboxRequest) {
    const { categories, countries: ctry } = c;
    const targeting = <E>(t: TargetingList<E> | undefined, map: (e: E) => unknown) =>
      t ? { targeted: t.type === "targeted" ? t.elements.map(map) : [], blocked: t.type === "blocked" ? t.elements.map(map) : [] } : { targeted: [], blocked: [] };
    const variations = Object.values(this.s.variations).filter((v) => v.idcampaign === c.id).map((v) => this.variationView(v, q));
    return {
      campaign: this.campaignFlat(c),
      variations,
      // At the result's top level, detailed or not (ats-lib-ntwk-exoclick reads them from a plain GET).
      day_parting: c.day_parting ?? [],
      zones: c.zones ?? [],
      zone_targeting: c.zone_targeting ?? { type: 2, network_selection: 0, partner_networks: 0 },
      publisher_ad_types: (c.publisher_ad_types ?? []).map((id: number) => ({ id, name: `Publisher ad type ${id}` })),
      ...(detailed
        ? {
            categories: targeting(categories, (id: number) => ({ id })),
            countries: targeting(ctry, (e) => ({ iso3: e.country, regions: (e.regions ?? []).map((r: number) => ({ id: r })) })),
            ...Object.fromEntries(API.ROUTED_KINDS.map((k) => [k, this.targetingView(c.id, k)])),
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
    // List items are flat campaign objects (go-exoclick's List decodes []CampaignData); targeting
    // comes only with GET /campaigns/{id}?detailed=true, as {targeted, blocked} collections.
    return this.list(items, q, (page) => {
      const counts = this.variationCounts(page);
      return page.map((c) => this.campaignFlat(c, counts));
    });
  }

  private updateCampaign(q: SandboxRequest): SandboxResponse {
    const c = this.s.campaigns[q.params.id];
    if (!c || c.status === -1) return this.fail(404, "Campaign not found");
    const b = fieldsOf(q.body);
    const err = this.validateCampaign(b, true);
    if (err) return this.fail(400, err);
    for (const k of ["advertiser_ad_type", "media_storage_template", "size"]) {
      if (b[k] !== undefined && b[k] !== c[k]) return this.fail(400, `${k}: cannot be changed after the campaign is created`);
    }
    const { pricing, status, ...rest } = b;
    this.store(c, rest);
    // Validated: pricing is {model, price}, status 0 or 1.
    if (pricing) Object.assign(c, { pricing_model: fieldsOf(pricing).model, price: fieldsOf(pricing).price });
    if (status !== undefined) c.status = status as number;
    return json(200, { message: "Campaign successfully updated" });
  }

  private setStatus(q: SandboxRequest, status: number): SandboxResponse {
    const ids = fieldsOf(q.body).campaign_ids;
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
    const b = fieldsOf(q.body);
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

  /**
   * `POST /v2/statistics/a/global` (the advertiser's global statistics):
   * `filter{date_from, date_to, campaign_id, variation_id}` (dates required;
   * ids one or a list), `group_by` (required, 1 to 4 of campaign_id,
   * variation_id, date, hour, zone_id, site_id, category_id; the sandbox
   * groups by campaign_id, variation_id and date only), `totals` (1 adds
   * `result_total`), `limit` (at most 500) and `offset`. Rows:
   * `{group_by: {campaign_id: {id, name}, ...}, impressions, clicks, ctr,
   * cost, cpm, cpc, conversions}`, cost in major units of the account's
   * currency. Traffic (sandbox/traffic.ts) is a campaign's, split between
   * its active variations; a campaign without an active one serves nothing.
   */
  private statistics(q: SandboxRequest): SandboxResponse {
    const b = fieldsOf(q.body);
    const f = fieldsOf(b.filter);
    const GROUPS = ["campaign_id", "variation_id", "date", "hour", "zone_id", "site_id", "category_id"];
    if (!isDay(f.date_from) || !isDay(f.date_to)) return this.fail(400, "filter.date_from and filter.date_to are required (YYYY-MM-DD)");
    if (f.date_to < f.date_from) return this.fail(400, "filter.date_to must be >= filter.date_from");
    if (addDays(f.date_from, 366) <= f.date_to) return this.fail(400, "filter: a period of at most 366 days");
    const groupBy: string[] = Array.isArray(b.group_by) ? b.group_by.map(String) : [];
    if (!groupBy.length || groupBy.length > 4 || groupBy.some((g) => !GROUPS.includes(g))) return this.fail(400, `group_by: 1 to 4 of ${GROUPS.join(", ")}`);
    const unsupported = groupBy.filter((g) => !["campaign_id", "variation_id", "date"].includes(g));
    if (unsupported.length) return this.fail(400, `group_by ${unsupported.join(", ")}: not served by the sandbox`);
    const limit = intParam(b.limit, 500);
    const offset = intParam(b.offset, 0);
    if (limit < 1 || limit > 500) return this.fail(400, "limit: must be >= 1 and <= 500");
    const ids = (v: unknown) => (v === undefined || v === null ? undefined : new Set((Array.isArray(v) ? v : [v]).map(String)));
    const campaigns = ids(f.campaign_id);
    const variations = ids(f.variation_id);
    const today = this.today();
    const rows = new Map<string, { group_by: Record<string, unknown>; impressions: number; clicks: number; conversions: number; cost: number }>();
    for (const c of Object.values(this.s.campaigns).sort((x, y) => x.id - y.id)) {
      if (c.status === -1 || (campaigns && !campaigns.has(String(c.id)))) continue;
      const active = Object.values(this.s.variations).filter((v) => v.idcampaign === c.id && v.active === 1).sort((x, y) => x.idvariation - y.idvariation);
      if (!active.length) continue;
      const terms: TrafficTerms = {
        running: c.status === 1, start: c.start_date, end: c.end_date,
        dailyCap: c.daily_limit_type === 1 && c.max_daily_budget >= 0 ? c.max_daily_budget : undefined,
        totalCap: typeof c.total_budget_limit === "number" && c.total_budget_limit > 0 ? c.total_budget_limit : undefined,
      };
      for (const day of traffic(`exoclick|${c.id}`, f.date_from, f.date_to, terms, today)) {
        // The campaign's day split between its active variations by a seeded weight (1 to 4), the remainder to the last.
        const weights = active.map((v) => 1 + (v.idvariation % 4));
        const sum = weights.reduce((a, w) => a + w, 0);
        const left = { impressions: day.impressions, clicks: day.clicks, conversions: day.conversions, spend: day.spend };
        active.forEach((v, i) => {
          const part = i === active.length - 1 ? { ...left } : {
            impressions: Math.floor((day.impressions * weights[i]) / sum), clicks: Math.floor((day.clicks * weights[i]) / sum),
            conversions: Math.floor((day.conversions * weights[i]) / sum), spend: Math.floor((day.spend * weights[i]) / sum),
          };
          for (const k of ["impressions", "clicks", "conversions", "spend"] as const) left[k] -= part[k];
          if (variations && !variations.has(String(v.idvariation))) return;
          const g: Record<string, unknown> = {};
          if (groupBy.includes("campaign_id")) g.campaign_id = { id: c.id, name: c.name ?? "" };
          if (groupBy.includes("variation_id")) g.variation_id = { id: v.idvariation, name: v.name ?? "" };
          if (groupBy.includes("date")) g.date = { id: day.day, name: day.day };
          const key = JSON.stringify(g);
          const row = rows.get(key) ?? { group_by: g, impressions: 0, clicks: 0, conversions: 0, cost: 0 };
          row.impressions += part.impressions;
          row.clicks += part.clicks;
          row.conversions += part.conversions;
          row.cost += part.spend; // hundredths until the answer
          rows.set(key, row);
        });
      }
    }
    const shaped = (r: { impressions: number; clicks: number; conversions: number; cost: number }) => ({
      impressions: r.impressions, clicks: r.clicks, ctr: r.impressions ? Number(((100 * r.clicks) / r.impressions).toFixed(2)) : 0,
      cost: r.cost / 100, cpm: r.impressions ? Number(((r.cost / 100 / r.impressions) * 1000).toFixed(3)) : 0,
      cpc: r.clicks ? Number((r.cost / 100 / r.clicks).toFixed(3)) : 0, conversions: r.conversions,
    });
    const all = [...rows.values()].filter((r) => r.impressions || r.cost);
    const page = all.slice(offset, offset + limit).map((r) => ({ group_by: r.group_by, ...shaped(r) }));
    const totals = all.reduce((a, r) => ({ impressions: a.impressions + r.impressions, clicks: a.clicks + r.clicks, conversions: a.conversions + r.conversions, cost: a.cost + r.cost }), { impressions: 0, clicks: 0, conversions: 0, cost: 0 });
    return json(200, { result: page, total: all.length, ...(Number(b.totals) === 1 ? { result_total: shaped(totals) } : {}) });
  }

  private deleteVariation(q: SandboxRequest): SandboxResponse {
    const v = this.s.variations[q.params.vid];
    if (!v || String(v.idcampaign) !== q.params.id) return this.fail(404, "Variation not found");
    delete this.s.variations[q.params.vid];
    return json(200, { message: "Variation deleted" });
  }
}
