import { addDays, isDay, traffic, TrafficTerms } from "../traffic";
import * as crypto from "crypto";
import * as countries from "i18n-iso-countries";
import { SandboxRequest, SandboxResponse, json } from "../routes";
import { Authorized, EmulatorBase, ErrorShape, Obj, Refusal, afterCursor, credential, listParam, numberedPage } from "../emulator";

/**
 * What the Affise API accepts, as the emulator knows it from the API's
 * documentation (see docs/affise.md). Deliberately the emulator's own copy,
 * not the provider's constants, so the sandbox tests the provider's rules.
 */
const API = {
  CAP_PERIODS: ["hour", "day", "month", "all"] as const,
  CAP_SCOPES: ["all", "each", "exact"] as const,
  CAP_TYPES: ["budget", "conversions", "clicks", "impressions"] as const,
  CAPS_STATUS: ["confirmed", "pending", "hold", "declined"] as const,
  CONNECTIONS: ["wi-fi", "cellular"] as const,
  CURRENCY: /^[A-Z]{3}$/,
  DEVICES: ["desktop", "mobile", "tablet", "mediahub", "ereader", "console", "tv", "smartwatch"] as const,
  // Targeting groups, caps and schedule (issue #20): the 3.2 contract's targeting_group_structure,
  // offer_caps_structure and offer_schedule_structure, and the Go SDK's TargetingGroup.
  CONDITIONS: ["and", "or"] as const,
  COMPARISONS: ["LT", "LTE", "EQ", "GT", "GTE"] as const,
  CAP_SUB_NUMBERS: ["2"] as const,
  DURATION: /^(?=\d)(\d+y)?(\d+m)?(\d+w)?(\d+d)?(\d+h)?(\d+i)?(\d+s)?$/,
  HEX24: /^[0-9a-f]{24}$/,
  INTEGRATION_METHODS: ["all", "default", "skad", "probabilistic_attribution"] as const,
  LANDING_TYPES: ["landing", "transit"] as const,
  OFFER_STATUS: ["active", "stopped", "suspended"] as const,
  PAYMENT_TYPES: ["fixed", "percent", "mixed", "cpc", "cpm", "first_cpa", "first_cps", "baseline_onetime", "baseline_accumulating"] as const,
  POSTBACK_STATUS: ["by_creating", "confirmed", "pending", "declined", "hold"] as const,
  PRIVACY: ["public", "protected", "private"] as const,
  REDIRECT_TYPES: ["http302", "http302hidden", "js", "meta"] as const,
};

/** Default sandbox account. */
export const AFFISE_SANDBOX_CREDENTIALS = { apiKey: "sandbox-affise-api-key" };

interface State {
  nextOfferId: number;
  nextPostbackId: number;
  nextChildId: number;
  offers: Record<string, Obj>;
  postbacks: Record<string, Obj>;
}

const fresh = (): State => ({ nextOfferId: 1000, nextPostbackId: 100, nextChildId: 0, offers: {}, postbacks: {} });

/**
 * GET /3.0/offers parameters: every one the contract documents
 * (api-evangelist/affise openapi/affise-admin-offers-api-openapi.yml, `get30Offers`;
 * reference affise.md §1.4), plus `ids` (string offer ids: the official Go
 * SDK's `OfferListOpts.IDs`) and the `api-key` query credential (seed 002).
 */
const OFFER_FILTERS = [
  "q", "int_id", "ids", "status", "advertiser", "privacy", "updated_at", "is_top", "external_offer_id", "countries", "categories",
  "smartlink_categories", "sort", "page", "limit", "api-key", "os", "caps_type", "caps_country", "bundle_id", "advertiser_manager_id",
  "additional_fields",
];
/** GET /3.0/admin/postbacks parameters (`verbose` only changes the detail of the answer). */
const POSTBACK_FILTERS = ["partner_id", "offer_ids", "only_global", "after_id", "verbose", "page", "limit", "api-key"];
/** The offers list's `caps_type` values (contract enum) and `additional_fields` values (contract sample). */
const CAPS_TYPES_FILTER = ["clicks", "conversions", "budget", "impressions"];
const ADDITIONAL_FIELDS = ["enabled_affiliates"];
/** The list's privacy filter: 0 public, 1 premoderated, 2 private. */
const PRIVACY_LEVELS: Record<string, string> = { "0": "public", "1": "premoderated", "2": "private" };
const OFFER_SORTS: Record<string, string> = { id: "id", title: "title", created: "created_at", is_top: "is_top" };

/** Languages the server fills in description_lang (the real list is longer). */
const LANGS = ["en", "ru", "es", "de", "fr"];
const OFFER_FIELDS = [
  "title", "advertiser", "url", "url_preview", "trafficback_url", "cross_postback_url", "macro_url", "description_lang", "kpi",
  "status", "privacy", "is_top", "is_cpi", "redirect_type", "start_at", "is_redirect_overcap", "click_session", "minimal_click_session",
  "smartlink_categories", "creativeUrls", "creativeFiles", "logo", "payments", "partner_payments", "landings", "caps", "caps_status",
  "targeting", "external_offer_id", "tags", "categories", "notes", "bundle_id",
  "stopDate", "schedule", "caps_timezone", "caps_goal_overcap", "hide_caps", "notice_percent_overcap", "is_impression_overcap",
];
/** Keys of a targeting group (contract `targeting_group_structure`; `macros_replacement*` need a feature the sandbox does not have). */
const TARGETING_KEYS = [
  "id", "enabled", "name", "condition", "country", "region", "city", "os", "os_deny", "isp", "isp_organization", "ip", "device_type",
  "device_type_deny", "device_model", "browser_version", "browser", "brand", "sub", "connection", "connection_deny", "block_proxy",
  "block_known_bots", "affiliate_id", "url", "urls", "referrer", "ua", "zip",
];
const POSTBACK_FIELDS = ["url", "pid", "offer_id", "status", "goal", "integration_method", "forced", "custom_filter_field", "custom_filter_text"];

/** An error answer thrown from inside validation (nothing is saved). */
class Bad extends Refusal {}
const notEmpty = (field: string) => new Bad(400, `[${field}].data: Specify not empty '${field}'`);
const invalid = (field: string, allowed: readonly unknown[], got: unknown) =>
  new Bad(400, `[${field}].data: This value is not valid. Allowed: ${allowed.join(", ")}; got ${JSON.stringify(got)}`);
const badTargeting = (detail: string) => new Bad(400, `400 Bad Request: ${detail}`);

/** A form list: `a[]=x` and `a[n]=x` both decode to objects keyed by index (formParse keeps indices). */
function listOf(v: unknown): unknown[] {
  if (v === undefined || v === null || v === "") return [];
  if (Array.isArray(v)) return v;
  if (typeof v === "object") {
    const keys = Object.keys(v as Obj);
    if (keys.every((k) => /^\d+$/.test(k))) return keys.sort((a, b) => +a - +b).map((k) => (v as Obj)[k]);
  }
  return [v];
}
const isMap = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);
const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
const has = (b: Obj, k: string) => b[k] !== undefined;

function intOf(field: string, v: unknown, min = 0): number {
  const n = Number(v);
  if (v === "" || !Number.isInteger(n) || n < min) throw new Bad(400, `[${field}].data: This value should be an integer >= ${min}; got ${JSON.stringify(v)}`);
  return n;
}
function numOf(field: string, v: unknown): number {
  const n = Number(v);
  if (v === "" || !Number.isFinite(n) || n < 0) throw new Bad(400, `[${field}].data: This value should be a number >= 0; got ${JSON.stringify(v)}`);
  return n;
}
function oneOf<T>(field: string, v: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(v as T)) throw invalid(field, allowed, v);
  return v as T;
}
function bit(field: string, v: unknown): 0 | 1 {
  if (v === "1" || v === "true") return 1;
  if (v === "0" || v === "false") return 0;
  throw invalid(field, ["0", "1"], v);
}
function country(field: string, v: unknown): string {
  if (typeof v !== "string" || v.length !== 2 || !countries.isValid(v)) throw new Bad(400, `[${field}].data: Unknown country ${JSON.stringify(v)}`);
  return v;
}
function url(field: string, v: unknown): string {
  const s = String(v ?? "");
  if (!/^https?:\/\/[^\s]+$/.test(s)) throw new Bad(400, `[${field}].data: This value is not a valid URL`);
  return s;
}
function date(field: string, v: unknown): string {
  if (typeof v !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v))) throw new Bad(400, `[${field}].data: This value is not a valid date (YYYY-MM-DD)`);
  return v;
}
function timezone(field: string, v: unknown): string {
  try {
    if (typeof v !== "string" || !v) throw new Error();
    new Intl.DateTimeFormat("en-US", { timeZone: v });
    return v;
  } catch {
    throw new Bad(400, `[${field}].data: This value is not a valid timezone`);
  }
}
/** An IP, a range "a-b" or "address/mask" (the Go SDK's documented formats). */
function ipRange(field: string, v: unknown): string {
  const s = String(v ?? "");
  const ip = (x: string) => /^(\d{1,3})(\.\d{1,3}){3}$/.test(x) && x.split(".").every((n) => +n <= 255) || (/^[0-9a-fA-F:]+$/.test(x) && x.includes(":"));
  const m = /^(.+)\/(\d{1,3})$/.exec(s);
  const parts = s.split("-");
  if (m ? ip(m[1]) : parts.length <= 2 && parts.every(ip)) return s;
  throw badTargeting(`${field}: ${JSON.stringify(s)} is not an IP, a range or an IP/mask`);
}
function now() {
  return new Date().toISOString().replace("T", " ").slice(0, 19);
}

/**
 * SANDBOX DATA. Affise's region list (`GET /3.1/regions?country=US`:
 * `{regions: [{id, name, country_code}]}`, affise/go-sdk's fixture shape)
 * with a few regions of a few countries, ids the sandbox's own; its OS list
 * (`GET /3.1/oses`, a map of names).
 */
const REGIONS = ([
  ["US", ["California", "Texas", "Florida", "New York", "Illinois", "Ohio", "Georgia", "Washington"], 1],
  ["DE", ["Bavaria", "Berlin", "Hamburg", "Hesse", "Saxony"], 100],
  ["FR", ["Île-de-France", "Occitanie", "Brittany", "Normandy"], 200],
  ["GB", ["England", "Scotland", "Wales", "Northern Ireland"], 300],
  ["RU", ["Moscow", "Saint Petersburg", "Tatarstan"], 33],
] as Array<[string, string[], number]>).flatMap(([code, names, first]) => names.map((name, i) => ({ id: first + i, name, country_code: code })));
const OSES = ["Android", "iOS", "Windows", "Mac OS X", "Linux", "Chrome OS", "Windows Phone", "BlackBerry OS"];

/**
 * Affise API 3.0 emulator: `API-Key` check, the numeric `status` envelope
 * with `error` texts, PHP-bracket forms (urlencoded or multipart; `[]`,
 * `[n]` and percent-encoded brackets), offers with payouts, landings, caps
 * and targeting (a malformed sub whitelist/blacklist is a "400 Bad Request"
 * and nothing is saved), creatives, partner postbacks, paged lists, and the
 * server's type quirks (string pids, `[]` for empty maps, "premoderated").
 */
export class AffiseSandbox extends EmulatorBase<State> {
  readonly name = "affise";

  claims(q: SandboxRequest): boolean {
    return credential(q, { headers: ["api-key"], query: ["api-key"] }) === this.creds.apiKey;
  }
  /** Keep `[n]` indices as keys: `sub[allow][1][]` names sub1. */
  readonly formParse = { depth: 10, arrayLimit: 0, parameterLimit: 10000 };
  /**
   * Affise is PHP (Symfony, reference affise.md §0): a key repeated without
   * `[]` keeps its last value (`ids=a&ids=b` is `ids=b`), as PHP's query
   * parsing does (php.net parse_str, note 76792); `ids[]=a&ids[]=b` is a list.
   */
  readonly queryParse = { depth: 5, duplicates: "last" as const };
  readonly bodyFormat = "form";
  /** Answer errors with HTTP 200 and `status: 2` (some Affise endpoints do). */
  errorsWithHttp200 = false;
  /** Affise's error body: the numeric `status: 2` envelope with an `error` text. */
  errorShape: ErrorShape = (status, messages) => json(this.errorsWithHttp200 ? 200 : status, { status: 2, error: messages.join("; ") });

  constructor(readonly creds = AFFISE_SANDBOX_CREDENTIALS) {
    super(fresh);
    const r = this.route.bind(this);
    r("POST", "/3.0/admin/offer", (q) => this.createOffer(q), { creates: true });
    r("GET", "/3.0/offers", (q) => this.listOffers(q));
    r("GET", "/3.0/stats/custom", (q) => this.statsCustom(q));
    // Ids are integers (contract: path `id` of type integer), so a documented
    // sub-path such as /3.0/offer/categories is not an offer id: it answers 404 (no route).
    r("GET", "/3.0/offer/:id(\\d+)", (q) => this.ok({ offer: this.offer(q.params.id) }));
    r("POST", "/3.0/admin/offer/delete", (q) => this.deleteOffers(q));
    r("POST", "/3.0/admin/offer/:id(\\d+)", (q) => this.updateOffer(q));
    r("DELETE", "/3.0/admin/offer/:id(\\d+)/remove-creative", (q) => this.removeCreatives(q));
    r("POST", "/3.0/partner/postback", (q) => this.createPostback(q), { creates: true });
    r("POST", "/3.0/partner/postback/:id(\\d+)", (q) => this.updatePostback(q));
    r("DELETE", "/3.0/partner/postback/:id(\\d+)/remove", (q) => this.deletePostback(q));
    r("GET", "/3.0/admin/postbacks", (q) => this.listPostbacks(q));
    r("GET", "/3.0/admin/partners", (q) => this.listPartners(q));
    // Reference lists ("Other" in Affise's API 3.1: affise/go-sdk OtherService, affise/php-sdk OtherProvider).
    r("GET", "/3.1/countries", () => this.ok({ countries: Object.entries(countries.getAlpha2Codes()).map(([code]) => ({ code, name: countries.getName(code, "en") ?? code })) }));
    r("GET", "/3.1/regions", (q) => this.regionsOf(q));
    r("GET", "/3.1/oses", () => this.ok({ oses: Object.fromEntries(OSES.map((n) => [n, n])) }));
  }

  /** `GET /3.1/regions?country=US` (the country is required: php-sdk refuses to send without it): `{regions: [{id, name, country_code}]}`. */
  private regionsOf(q: SandboxRequest): SandboxResponse {
    const raw = q.query.country;
    const wanted = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map((x) => String(x).toUpperCase());
    if (!wanted.length) throw new Bad(400, "Parameter 'country' is required");
    return this.ok({ regions: REGIONS.filter((x) => wanted.includes(x.country_code)) });
  }

  protected onReset() {
    this.errorsWithHttp200 = false;
    this.partnersAllowed = true;
  }
  inventory() {
    return {
      offers: Object.values(this.s.offers).map(({ id, title, status, advertiser }) => ({ id, title, status, advertiser })),
      postbacks: Object.values(this.s.postbacks),
    };
  }

  /** The key is checked before routing: every path, known or not, needs it. */
  before(q: SandboxRequest): SandboxResponse | undefined {
    if (credential(q, { headers: ["api-key"], query: ["api-key"] }) !== this.creds.apiKey) return this.fail(401, "Token is necessary");
    return undefined;
  }
  protected authorize(): Authorized<void> {
    return { auth: undefined };
  }

  /**
   * `GET /3.0/stats/custom`: `slice[]` (offer, day; at least one),
   * `filter[date_from]`, `filter[date_to]` (required, YYYY-MM-DD),
   * `filter[offer][]`, `page`, `limit` (at most 500). Rows: `{slice:
   * {offer: {id, title}, day}, traffic: {raw, uniq}, views, actions:
   * {confirmed, pending, declined, total: {count, revenue, charge,
   * earning}}}`, amounts in the offer's payout currency, major units. The
   * sandbox's traffic (sandbox/traffic.ts): only active offers; a `budget`
   * cap per day limits a day's charge, one for all time the total; all
   * actions are confirmed, charge is what the offer paid for them.
   */
  private statsCustom(q: SandboxRequest): SandboxResponse {
    const slices = listOf(q.query.slice).map(String);
    if (!slices.length || slices.some((x) => x !== "offer" && x !== "day")) return this.fail(400, "slice: at least one of offer, day (the sandbox serves these)");
    const f = isMap(q.query.filter) ? q.query.filter : {};
    if (!isDay(f.date_from) || !isDay(f.date_to)) return this.fail(400, "filter[date_from] and filter[date_to] are required (YYYY-MM-DD)");
    if (f.date_to < f.date_from) return this.fail(400, "filter[date_to]: must not be before filter[date_from]");
    if (addDays(f.date_from, 366) <= f.date_to) return this.fail(400, "filter: a period of at most 366 days");
    const offers = f.offer === undefined ? undefined : new Set(listOf(f.offer).map(String));
    const page = Math.max(1, Number(q.query.page ?? 1) || 1);
    const limit = Number(q.query.limit ?? 100);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) return this.fail(400, "limit: must be from 1 to 500");
    const today = this.today();
    const rows: Obj[] = [];
    const money = (hundredths: number) => hundredths / 100;
    const actions = (count: number, charge: number) => ({ count, revenue: money(Math.round(charge * 1.25)), charge: money(charge), earning: money(Math.round(charge * 0.25)) });
    for (const o of Object.values(this.s.offers).sort((a, b) => a.id - b.id)) {
      if (offers && !offers.has(String(o.id))) continue;
      const budget = (period: string) => (o.caps ?? []).filter((c: Obj) => c.type === "budget" && c.period === period).map((c: Obj) => Math.round(Number(c.value) * 100));
      const daily = budget("day"), all = budget("all");
      const terms: TrafficTerms = {
        running: o.status === "active",
        ...(daily.length ? { dailyCap: Math.min(...daily) } : {}), ...(all.length ? { totalCap: Math.min(...all) } : {}),
      };
      const days = traffic(`affise|${o.id}`, f.date_from, f.date_to, terms, today);
      const groups = slices.includes("day") ? days.map((d) => [d]) : [days];
      for (const g of groups) {
        const t = g.reduce((a, d) => ({ impressions: a.impressions + d.impressions, clicks: a.clicks + d.clicks, conversions: a.conversions + d.conversions, spend: a.spend + d.spend }), { impressions: 0, clicks: 0, conversions: 0, spend: 0 });
        if (!t.impressions && !t.spend) continue;
        const slice: Obj = {};
        if (slices.includes("offer")) slice.offer = { id: o.id, title: o.title };
        if (slices.includes("day")) slice.day = g[0].day;
        const none = actions(0, 0);
        rows.push({ slice, traffic: { raw: t.clicks, uniq: Math.floor(t.clicks * 0.9) }, views: t.impressions, actions: { confirmed: actions(t.conversions, t.spend), pending: none, declined: none, total: actions(t.conversions, t.spend) } });
      }
    }
    return this.ok({ stats: rows.slice((page - 1) * limit, page * limit), pagination: { per_page: limit, total_count: rows.length, page } });
  }

  private ok(body: Obj): SandboxResponse {
    return json(200, { status: 1, ...body });
  }
  /**
   * Symfony forms do not bind JSON: a JSON body arrives empty. A POST's
   * fields are its body (contract: every write declares a requestBody; seed
   * 002 puts only `api-key` in the URL): parameters in the query string (as
   * the official Go SDK sends them) are refused by name, so a write that
   * would change nothing never answers success.
   */
  private form(q: SandboxRequest): Obj {
    if (q.method === "POST") {
      const extra = Object.keys(q.query).filter((k) => k !== "api-key");
      if (extra.length) throw new Bad(400, `Form fields must be sent in the request body (application/x-www-form-urlencoded or multipart/form-data), not in the query string: ${extra.join(", ")}`);
    }
    return isMap(q.body) && !q.contentType.includes("application/json") ? q.body : {};
  }
  private offer(id: string): Obj {
    const o = this.s.offers[id];
    if (!o) throw new Bad(404, "Unknown offer id");
    return o;
  }

  // ---- offers ----
  private createOffer(q: SandboxRequest): SandboxResponse {
    const b = this.form(q);
    for (const f of ["title", "advertiser", "url"]) if (!has(b, f) || b[f] === "") throw notEmpty(f);
    if (!listOf(b.payments).length) throw new Bad(400, "[payments].data: At least one general payout is required");
    const id = this.nextId("nextOfferId");
    const base: Obj = {
      id, offer_id: crypto.randomBytes(12).toString("hex"), title: "", advertiser: "", url: "", url_preview: "", preview_url: "",
      trafficback_url: "", cross_postback_url: "", macro_url: null, description_lang: Object.fromEntries(LANGS.map((l) => [l, ""])),
      // Types as in the contract's offer schema and every example (also the
      // Go SDK's fixtures): is_top an integer, is_cpi and is_redirect_overcap booleans.
      status: "stopped", privacy: "public", is_top: 0, is_cpi: false, redirect_type: "http302", start_at: null, is_redirect_overcap: false,
      click_session: "1y", minimal_click_session: "0s", smartlink_categories: [], creatives: [], logo: null,
      payments: [], partner_payments: [], landings: [], caps: [], caps_status: [], targeting: [], created_at: now(), updated_at: now(),
      external_offer_id: "", bundle_id: "", categories: [], // strings and a list, "" / [] when unset (Go SDK fixtures)
      // Caps settings as in the contract's examples and the Go SDK fixture; an offer without a schedule answers none (inferred).
      stop_at: null, schedule: null, caps_timezone: "UTC", caps_goal_overcap: null, hide_caps: 0, notice_percent_overcap: 0, is_impression_overcap: false,
    };
    const offer = this.apply(base, b, q);
    this.s.offers[id] = offer;
    return this.ok({ id, offer });
  }

  private updateOffer(q: SandboxRequest): SandboxResponse {
    const current = this.offer(q.params.id);
    const b = this.form(q);
    if (has(b, "payments") && !listOf(b.payments).length) throw new Bad(400, "[payments].data: At least one general payout is required");
    for (const f of ["title", "advertiser", "url"]) if (has(b, f) && b[f] === "") throw notEmpty(f);
    const offer = this.apply(JSON.parse(JSON.stringify(current)), b, q);
    offer.updated_at = now();
    this.s.offers[current.id] = offer;
    return this.ok({ id: current.id, offer });
  }

  /** Validates the whole form first, then builds the new offer: nothing is saved on any error. */
  private apply(o: Obj, b: Obj, q: SandboxRequest): Obj {
    for (const k of Object.keys(b)) if (!OFFER_FIELDS.includes(k)) throw new Bad(400, `Method does not allow extra fields: ${k}`);
    for (const k of Object.keys(q.files)) if (!/^(logo|creativeFiles\[\d*\])$/.test(k)) throw new Bad(400, `Method does not allow extra fields: ${k}`);
    if (has(b, "title")) o.title = String(b.title);
    if (has(b, "advertiser")) {
      if (!API.HEX24.test(String(b.advertiser))) throw new Bad(400, `[advertiser].data: Unknown advertiser ${JSON.stringify(b.advertiser)}`);
      o.advertiser = String(b.advertiser);
    }
    if (has(b, "url")) o.url = url("url", String(b.url).replace(/\{[^}]*\}/g, "x")) && String(b.url);
    for (const f of ["url_preview", "trafficback_url", "cross_postback_url"]) {
      if (has(b, f)) o[f] = b[f] === "" ? "" : url(f, String(b[f]).replace(/\{[^}]*\}/g, "x")) && String(b[f]);
    }
    o.preview_url = o.url_preview;
    if (has(b, "macro_url")) o.macro_url = b.macro_url === "" ? null : String(b.macro_url);
    if (has(b, "description_lang")) {
      if (!isMap(b.description_lang)) throw new Bad(400, "[description_lang].data: This value should be a map of language to text");
      o.description_lang = { ...Object.fromEntries(LANGS.map((l) => [l, ""])), ...b.description_lang };
    }
    if (has(b, "status")) o.status = oneOf("status", b.status, API.OFFER_STATUS);
    if (has(b, "privacy")) {
      const p = oneOf("privacy", b.privacy, API.PRIVACY);
      o.privacy = p === "protected" ? "premoderated" : p;
    }
    if (has(b, "is_top")) o.is_top = bit("is_top", b.is_top);
    if (has(b, "is_cpi")) o.is_cpi = bit("is_cpi", b.is_cpi) === 1; // booleans vs 0/1 are not consistent in Affise
    if (has(b, "is_redirect_overcap")) o.is_redirect_overcap = bit("is_redirect_overcap", b.is_redirect_overcap) === 1; // sent 0/1, read back a boolean
    if (has(b, "redirect_type")) o.redirect_type = oneOf("redirect_type", b.redirect_type, API.REDIRECT_TYPES);
    if (has(b, "start_at")) {
      if (!/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/.test(String(b.start_at))) throw new Bad(400, "[start_at].data: This value is not a valid date");
      o.start_at = String(b.start_at).length === 10 ? `${b.start_at} 00:00:00` : String(b.start_at);
    }
    for (const f of ["click_session", "minimal_click_session"]) {
      if (has(b, f)) {
        if (!API.DURATION.test(String(b[f]))) throw new Bad(400, `[${f}].data: This value is not a valid duration`);
        o[f] = String(b[f]);
      }
    }
    // Kept for the list filters `external_offer_id`, `bundle_id` and `categories[]` (strings; categories are 24-hex ids).
    for (const f of ["external_offer_id", "bundle_id"]) if (has(b, f)) o[f] = String(b[f]);
    if (has(b, "categories")) {
      o.categories = listOf(b.categories).filter((x) => x !== "").map((x, i) => {
        if (!API.HEX24.test(String(x))) throw new Bad(400, `[categories][${i}].data: Unknown category`);
        return String(x);
      });
    }
    if (has(b, "smartlink_categories")) {
      o.smartlink_categories = listOf(b.smartlink_categories).filter((x) => x !== "").map((x, i) => {
        if (!API.HEX24.test(String(x))) throw new Bad(400, `[smartlink_categories][${i}].data: Unknown category`);
        return String(x);
      });
    }
    if (has(b, "stopDate")) o.stop_at = b.stopDate === "" ? null : `${date("stopDate", b.stopDate)} 00:00:00`;
    if (has(b, "schedule")) o.schedule = this.schedule(b.schedule, o.schedule);
    if (has(b, "caps_timezone")) o.caps_timezone = timezone("caps_timezone", b.caps_timezone);
    if (has(b, "caps_goal_overcap")) o.caps_goal_overcap = b.caps_goal_overcap === "" ? null : String(b.caps_goal_overcap);
    if (has(b, "hide_caps")) o.hide_caps = bit("hide_caps", b.hide_caps);
    if (has(b, "notice_percent_overcap")) o.notice_percent_overcap = (() => {
      const n = intOf("notice_percent_overcap", b.notice_percent_overcap, 0);
      if (n > 100) throw new Bad(400, "[notice_percent_overcap].data: This value should be 100 or less");
      return n;
    })();
    if (has(b, "is_impression_overcap")) o.is_impression_overcap = bit("is_impression_overcap", b.is_impression_overcap) === 1;
    if (has(b, "payments")) o.payments = listOf(b.payments).map((p, i) => this.payment(`payments[${i}]`, p, false));
    if (has(b, "partner_payments")) o.partner_payments = listOf(b.partner_payments).map((p, i) => this.payment(`partner_payments[${i}]`, p, true));
    if (has(b, "landings")) {
      const known: Obj[] = o.landings ?? [];
      const landings = listOf(b.landings).map((l, i) => this.landing(`landings[${i}]`, l, known));
      const ids = landings.map((l) => l.id);
      if (new Set(ids).size !== ids.length) throw new Bad(400, "[landings].data: The same landing id is sent twice");
      o.landings = landings;
    }
    if (has(b, "caps")) o.caps = listOf(b.caps).map((c, i) => this.cap(`caps[${i}]`, c, [...o.payments, ...o.partner_payments]));
    if (has(b, "caps_status")) o.caps_status = listOf(b.caps_status).map((s, i) => oneOf(`caps_status[${i}]`, s, API.CAPS_STATUS));
    if (has(b, "targeting")) o.targeting = listOf(b.targeting).map((t, i) => this.targetingGroup(`targeting[${i}]`, t));
    // Creatives append; URLs and files share one index space.
    const creatives: Obj[] = [];
    for (const [i, u] of Object.entries(isMap(b.creativeUrls) ? b.creativeUrls : Object.fromEntries(listOf(b.creativeUrls).map((u, i) => [i, u])))) {
      if (u === "") continue;
      creatives.push({ index: +i, id: 0, type: "url", url: url(`creativeUrls[${i}]`, u), file_name: null, size: null });
    }
    for (const [field, f] of Object.entries(q.files)) {
      if (field === "logo") {
        o.logo = `https://cdn.affise.sandbox/logo/${crypto.createHash("sha256").update(f.data).digest("hex").slice(0, 16)}/${f.filename}`;
        continue;
      }
      if (!f.data.length) continue;
      const i = Number(/\[(\d*)\]/.exec(field)?.[1] || 0);
      creatives.push({ index: i, id: 0, type: "file", url: null, file_name: f.filename, size: f.data.length });
    }
    creatives.sort((a, b2) => a.index - b2.index);
    for (const c of creatives) {
      delete c.index;
      c.id = this.nextId("nextChildId");
      o.creatives.push(c);
    }
    return o;
  }

  private payment(p: string, x: unknown, partner: boolean): Obj {
    if (!isMap(x)) throw new Bad(400, `[${p}].data: This value should be a payout`);
    const out: Obj = {
      id: this.nextId("nextChildId"), title: str(x.title) ?? "", with_regions: false,
      countries: listOf(x.countries).filter((c) => c !== "").map((c, i) => country(`${p}[countries][${i}]`, c)),
      country_exclude: has(x, "country_exclude") ? bit(`${p}[country_exclude]`, x.country_exclude) === 1 : false,
      devices: listOf(x.devices).map((d, i) => oneOf(`${p}[devices][${i}]`, d, API.DEVICES)),
      cities: listOf(x.cities).filter((c) => c !== "").map((c, i) => intOf(`${p}[cities][${i}]`, c, 1)),
      os: listOf(x.os).map(String),
      goal: str(x.goal) ?? "1",
      total: has(x, "total") ? numOf(`${p}[total]`, x.total) : 0,
      revenue: has(x, "revenue") ? numOf(`${p}[revenue]`, x.revenue) : 0,
      currency: "", type: "",
    };
    if (!has(x, "currency")) throw notEmpty(`${p}[currency]`);
    if (!API.CURRENCY.test(String(x.currency))) throw new Bad(400, `[${p}[currency]].data: Unknown currency ${JSON.stringify(x.currency)}`);
    out.currency = String(x.currency);
    if (!has(x, "type")) throw notEmpty(`${p}[type]`);
    out.type = oneOf(`${p}[type]`, x.type, API.PAYMENT_TYPES);
    for (let n = 1; n <= 8; n++) out[`sub${n}`] = str(x[`sub${n}`]) ?? null;
    if (partner) {
      const partners = listOf(x.partners).map((v, i) => intOf(`${p}[partners][${i}]`, v, 1));
      if (!partners.length) throw notEmpty(`${p}[partners]`);
      out.partners = partners;
    }
    for (const k of Object.keys(x)) {
      if (!["title", "countries", "country_exclude", "devices", "cities", "os", "goal", "total", "revenue", "currency", "type", "partners", "sub1", "sub2", "sub3", "sub4", "sub5", "sub6", "sub7", "sub8"].includes(k)) {
        throw new Bad(400, `Method does not allow extra fields: ${p}[${k}]`);
      }
    }
    return out;
  }

  /** A landing: with the `id` of one of the offer's landings it edits that landing in place; without, it is a new one (contract). */
  private landing(p: string, x: unknown, known: Obj[]): Obj {
    if (!isMap(x)) throw new Bad(400, `[${p}].data: This value should be a landing`);
    for (const f of ["title", "url", "url_preview"]) if (!x[f]) throw notEmpty(`${p}[${f}]`);
    for (const k of Object.keys(x)) if (!["id", "title", "url", "url_preview", "type"].includes(k)) throw new Bad(400, `Method does not allow extra fields: ${p}[${k}]`);
    let id: number;
    if (has(x, "id") && x.id !== "") {
      id = intOf(`${p}[id]`, x.id, 1);
      if (!known.some((l) => l.id === id)) throw new Bad(400, `[${p}[id]].data: Unknown landing id ${id} for this offer`);
    } else id = this.nextId("nextChildId");
    return {
      id, title: String(x.title),
      url: url(`${p}[url]`, String(x.url).replace(/\{[^}]*\}/g, "x")) && String(x.url),
      url_preview: url(`${p}[url_preview]`, String(x.url_preview).replace(/\{[^}]*\}/g, "x")) && String(x.url_preview),
      type: has(x, "type") ? oneOf(`${p}[type]`, x.type, API.LANDING_TYPES) : "landing",
    };
  }

  private cap(p: string, x: unknown, payouts: Obj[]): Obj {
    if (!isMap(x)) throw new Bad(400, `[${p}].data: This value should be a cap`);
    for (const f of ["period", "type", "value"]) if (!has(x, f) || x[f] === "") throw notEmpty(`${p}[${f}]`);
    const scope = (f: string, list: string) => {
      const v = has(x, f) ? oneOf(`${p}[${f}]`, x[f], API.CAP_SCOPES) : "all";
      if (v === "exact" && !listOf(x[list]).length) throw notEmpty(`${p}[${list}]`);
      return v;
    };
    return {
      period: oneOf(`${p}[period]`, x.period, API.CAP_PERIODS),
      type: oneOf(`${p}[type]`, x.type, API.CAP_TYPES),
      value: numOf(`${p}[value]`, x.value),
      goal_type: scope("goal_type", "goals"),
      goals: this.goalNames(listOf(x.goals).map(String), payouts),
      affiliate_type: scope("affiliate_type", "affiliates"),
      affiliates: listOf(x.affiliates).map((v, i) => intOf(`${p}[affiliates][${i}]`, v, 1)),
      country_type: scope("country_type", "country"),
      country: listOf(x.country).map((c, i) => country(`${p}[country][${i}]`, c)),
      ...(has(x, "sub_number") && x.sub_number !== "" ? { sub_number: Number(oneOf(`${p}[sub_number]`, String(x.sub_number), API.CAP_SUB_NUMBERS)) } : {}),
      ...(has(x, "sub_value") ? { sub_value: listOf(x.sub_value).filter((v) => v !== "").map(String) } : {}),
    };
  }

  /**
   * The offer schedule (contract `offer_schedule_structure`): sent as
   * `schedule[enabled|date_start|date_to|timezone]` and
   * `schedule[intervals][weekday][n][from|to]`, answered as the contract's
   * example shows it, intervals a list of `{day_of_week, from, to}`. The keys
   * sent replace the stored ones (a partial edit keeps the rest, inferred).
   */
  private schedule(v: unknown, current: Obj | null): Obj | null {
    if (v === "") return null;
    if (!isMap(v)) throw new Bad(400, "[schedule].data: This value should be a schedule");
    for (const k of Object.keys(v)) if (!["enabled", "date_start", "date_to", "timezone", "intervals"].includes(k)) throw new Bad(400, `Method does not allow extra fields: schedule[${k}]`);
    const out: Obj = { enabled: false, date_start: null, date_to: null, timezone: null, intervals: [], ...(current ?? {}) };
    if (has(v, "enabled")) out.enabled = bit("schedule[enabled]", v.enabled) === 1;
    if (has(v, "date_start")) out.date_start = v.date_start === "" ? null : date("schedule[date_start]", v.date_start);
    if (has(v, "date_to")) out.date_to = v.date_to === "" ? null : date("schedule[date_to]", v.date_to);
    if (out.date_start && out.date_to && out.date_to < out.date_start) throw new Bad(400, "[schedule][date_to].data: The date of deactivation must not be before the date of launch");
    if (has(v, "timezone")) out.timezone = timezone("schedule[timezone]", v.timezone);
    if (has(v, "intervals")) {
      const days = v.intervals === "" ? {} : v.intervals;
      if (!isMap(days)) throw new Bad(400, "[schedule][intervals].data: use schedule[intervals][weekday][n][from|to]");
      const hour = (f: string, h: unknown) => {
        const n = intOf(f, h, 0);
        if (n > 23) throw new Bad(400, `[${f}].data: This value should be an hour 0-23`);
        return n;
      };
      out.intervals = Object.entries(days).flatMap(([day, list]) => {
        if (!/^[0-6]$/.test(day)) throw new Bad(400, `[schedule][intervals][${day}].data: The weekday must be 0-6`);
        return listOf(list).map((x, n) => {
          const f = `schedule][intervals][${day}][${n}`;
          if (!isMap(x)) throw new Bad(400, `[${f}].data: This value should be {from, to}`);
          const from = hour(`${f}][from`, x.from), to = hour(`${f}][to`, x.to);
          if (to < from) throw new Bad(400, `[${f}].data: The interval ends before it starts`);
          return { day_of_week: Number(day), from, to };
        });
      });
    }
    return out;
  }

  /**
   * A cap's goals as Affise answers them: a map of goal value to goal name
   * (`"goals": {"1": "Install"}` in the Go SDK's offer fixtures; the
   * contract's `offer_affiliate.caps[].goals` is an object), `[]` when there
   * are none (PHP's empty array; the list fixture). The name is the title of
   * the offer's payout for that goal, "" without one (inferred).
   */
  private goalNames(goals: string[], payouts: Obj[]): Obj | [] {
    if (!goals.length) return [];
    return Object.fromEntries(goals.map((g) => [g, payouts.find((p) => p.goal === g)?.title ?? ""]));
  }

  /** The whitelist/blacklist structure the seed warns about: sub[allow|deny][1..8][] = value. */
  private subs(p: string, v: unknown): Obj | [] {
    if (v === undefined || v === "") return [];
    if (!isMap(v)) throw badTargeting(`${p} must map sub numbers 1-8 to lists of values`);
    const out: Obj = {};
    for (const [n, list] of Object.entries(v)) {
      if (!/^[1-8]$/.test(n)) throw badTargeting(`${p}[${n}]: sub number must be 1-8`);
      const values = isMap(list) || Array.isArray(list) ? listOf(list) : undefined;
      if (!values || !values.length || values.some((x) => typeof x !== "string" || x === "")) {
        throw badTargeting(`${p}[${n}] must be a list of values (${p}[${n}][]=value)`);
      }
      out[n] = values;
    }
    return Object.keys(out).length ? out : [];
  }

  /** `{allow: [...], deny: [...]}` of one kind of value, plus the given flags (0/1); [] when none is set, as the contract's example answers. */
  private allowDeny(p: string, v: unknown, item: (f: string, x: unknown) => unknown, flags: string[] = [], keepEmpty = false): Obj | [] {
    if (v === undefined || v === "") return keepEmpty ? { allow: [], deny: [], ...Object.fromEntries(flags.map((f) => [f, 0])) } : [];
    if (!isMap(v)) throw badTargeting(`${p} must have allow or deny lists`);
    for (const k of Object.keys(v)) if (!["allow", "deny", ...flags].includes(k)) throw badTargeting(`${p}[${k}]: only allow, deny${flags.map((f) => `, ${f}`).join("")}`);
    const out: Obj = {
      allow: listOf(v.allow).filter((x) => x !== "").map((x, i) => item(`${p}[allow][${i}]`, x)),
      deny: listOf(v.deny).filter((x) => x !== "").map((x, i) => item(`${p}[deny][${i}]`, x)),
    };
    for (const f of flags) out[f] = has(v, f) ? bit(`${p}[${f}]`, v[f]) : 0;
    return out;
  }

  /** `{allow: {CC: [...]}, deny: {CC: [...]}}`: values per ISO country (regions, cities, ISPs). */
  private byCountry(p: string, v: unknown, item: (f: string, x: unknown) => unknown): Obj {
    if (v === undefined || v === "") return { allow: {}, deny: {} };
    if (!isMap(v)) throw badTargeting(`${p} must have allow or deny maps`);
    const side = (k: "allow" | "deny") => {
      const m = v[k];
      if (m === undefined || m === "") return {};
      if (!isMap(m)) throw badTargeting(`${p}[${k}] must map ISO country codes to lists (${p}[${k}][US][]=...)`);
      return Object.fromEntries(Object.entries(m).map(([cc, list]) => [country(`${p}[${k}][${cc}]`, cc), listOf(list).map((x, i) => item(`${p}[${k}][${cc}][${i}]`, x))]));
    };
    for (const k of Object.keys(v)) if (k !== "allow" && k !== "deny") throw badTargeting(`${p}[${k}]: only allow and deny`);
    return { allow: side("allow"), deny: side("deny") };
  }

  /** `{name, comparison, version}` of an OS or a browser (comparison and version together, or neither: inferred). */
  private versioned(p: string, x: unknown): Obj {
    if (!isMap(x) || typeof x.name !== "string" || !x.name) throw badTargeting(`${p} must be {name, comparison, version}`);
    for (const k of Object.keys(x)) if (!["name", "comparison", "version"].includes(k)) throw badTargeting(`${p}[${k}]: only name, comparison and version`);
    if (has(x, "comparison") !== has(x, "version")) throw badTargeting(`${p}: comparison and version go together`);
    return { name: x.name, ...(has(x, "comparison") ? { comparison: oneOf(`${p}[comparison]`, x.comparison, API.COMPARISONS), version: String(x.version) } : {}) };
  }

  private targetingGroup(p: string, t: unknown): Obj {
    if (!isMap(t)) throw badTargeting(`${p} must be a targeting group`);
    for (const k of Object.keys(t)) if (!TARGETING_KEYS.includes(k)) throw badTargeting(`${p}[${k}] is not a targeting rule`);
    const text = (f: string, x: unknown) => {
      if (typeof x !== "string" || !x) throw badTargeting(`${f} must be a non-empty string`);
      return x;
    };
    const geoId = (f: string, x: unknown) => intOf(f, x, 1);
    const os = t.os === undefined || t.os === "" ? {} : t.os;
    if (!isMap(os)) throw badTargeting(`${p}[os] must have an allow list`);
    for (const k of Object.keys(os)) if (k !== "allow") throw badTargeting(`${p}[os][${k}]: only allow (os_deny blocks them)`);
    const browserVersion = this.allowDeny(`${p}[browser_version]`, t.browser_version, (f, x) => this.versioned(f, x));
    const urls = listOf(t.urls).map((x, i) => {
      if (!isMap(x)) throw badTargeting(`${p}[urls][${i}] must be {url, weight}`);
      const weight = intOf(`${p}[urls][${i}][weight]`, x.weight, 0);
      if (weight > 100) throw badTargeting(`${p}[urls][${i}][weight] must be 0-100`);
      return { url: url(`${p}[urls][${i}][url]`, String(x.url).replace(/\{[^}]*\}/g, "x")) && String(x.url), weight };
    });
    const c = t.country ?? {};
    if (!isMap(c)) throw badTargeting(`${p}[country] must have allow or deny lists`);
    for (const k of Object.keys(c)) if (k !== "allow" && k !== "deny") throw badTargeting(`${p}[country][${k}]: only allow and deny`);
    const sub = t.sub ?? {};
    if (!isMap(sub)) throw badTargeting(`${p}[sub] must have allow or deny`);
    for (const k of Object.keys(sub)) if (k !== "allow" && k !== "deny") throw badTargeting(`${p}[sub][${k}]: only allow and deny (whitelist and blacklist)`);
    const allow = this.subs(`${p}[sub][allow]`, sub.allow);
    const deny = this.subs(`${p}[sub][deny]`, sub.deny);
    for (const n of Object.keys(allow)) if (n in deny) throw badTargeting(`${p}[sub]: sub${n} is both whitelisted and blacklisted`);
    const flag = (k: string) => (has(t, k) ? bit(`${p}[${k}]`, t[k]) === 1 : false);
    // The group as Affise answers it: every rule present, empty ones as [] or {} (contract example of the create answer).
    return {
      id: crypto.randomUUID(), name: str(t.name) ?? "", enabled: has(t, "enabled") ? bit(`${p}[enabled]`, t.enabled) === 1 : true,
      condition: has(t, "condition") ? oneOf(`${p}[condition]`, t.condition, API.CONDITIONS) : "and",
      country: {
        allow: listOf(c.allow).map((x, i) => country(`${p}[country][allow][${i}]`, x)),
        deny: listOf(c.deny).map((x, i) => country(`${p}[country][deny][${i}]`, x)),
      },
      region: this.byCountry(`${p}[region]`, t.region, geoId),
      city: this.byCountry(`${p}[city]`, t.city, geoId),
      os: { allow: listOf(os.allow).map((x, i) => this.versioned(`${p}[os][allow][${i}]`, x)), deny: [] },
      os_deny: flag("os_deny"),
      isp: this.byCountry(`${p}[isp]`, t.isp, text),
      isp_organization: this.allowDeny(`${p}[isp_organization]`, t.isp_organization, text, ["deny_empty"]),
      ip: this.allowDeny(`${p}[ip]`, t.ip, ipRange, ["ipv6_deny"], true),
      browser: this.allowDeny(`${p}[browser]`, t.browser, text, [], true),
      browser_version: browserVersion,
      brand: this.allowDeny(`${p}[brand]`, t.brand, text, [], true),
      device_type: listOf(t.device_type).map((x, i) => oneOf(`${p}[device_type][${i}]`, x, API.DEVICES)),
      device_type_deny: flag("device_type_deny"),
      device_model: this.allowDeny(`${p}[device_model]`, t.device_model, text),
      connection: listOf(t.connection).map((x, i) => oneOf(`${p}[connection][${i}]`, x, API.CONNECTIONS)),
      connection_deny: flag("connection_deny"),
      affiliate_id: listOf(t.affiliate_id).map((x, i) => intOf(`${p}[affiliate_id][${i}]`, x, 1)),
      sub: { allow, deny },
      url: has(t, "url") && t.url !== "" ? url(`${p}[url]`, String(t.url).replace(/\{[^}]*\}/g, "x")) && String(t.url) : "",
      urls,
      referrer: this.allowDeny(`${p}[referrer]`, t.referrer, text, ["deny_empty", "is_regexp"], true),
      ua: this.allowDeny(`${p}[ua]`, t.ua, text, ["deny_crawlers"]),
      zip: this.allowDeny(`${p}[zip]`, t.zip, text),
      block_proxy: flag("block_proxy"),
      block_known_bots: flag("block_known_bots"),
      macros_replacement: [], macros_replacement_enabled: [],
    };
  }

  private removeCreatives(q: SandboxRequest): SandboxResponse {
    const o = this.offer(q.params.id);
    const ids = listOf(q.query.creatives ?? this.form(q).creatives).map(Number);
    const removed = o.creatives.filter((c: Obj) => ids.includes(c.id)).map((c: Obj) => c.id);
    o.creatives = o.creatives.filter((c: Obj) => !ids.includes(c.id));
    return this.ok({ removed });
  }

  private deleteOffers(q: SandboxRequest): SandboxResponse {
    const ids = listOf(this.form(q).offer_id).map(String);
    if (!ids.length) throw notEmpty("offer_id");
    for (const id of ids) this.offer(id);
    for (const id of ids) delete this.s.offers[id];
    return this.ok({ message: `Offer ${ids.join(", ")} is removed successfully.` });
  }

  private page<T>(items: T[], q: SandboxRequest) {
    const limit = Math.min(500, Math.max(1, Number(q.query.limit ?? 100) || 100));
    const page = Math.max(1, Number(q.query.page ?? 1) || 1);
    const { slice, nextPage } = numberedPage(items, page, limit);
    this.listWork.built += slice.length;
    const pagination: Obj = { per_page: limit, total_count: items.length, page };
    if (nextPage) pagination.next_page = nextPage;
    return { slice, pagination };
  }

  /**
   * GET /3.0/offers with every documented filter (contract `get30Offers`,
   * reference §1.4). A filter the contract does not document is an error:
   * never silently ignored, so a client's wrong filter shows here.
   */
  private listOffers(q: SandboxRequest): SandboxResponse {
    const query = q.query as Obj;
    for (const k of Object.keys(query)) if (!OFFER_FILTERS.includes(k)) throw new Bad(400, `Unknown filter: ${k}`);
    const statuses = listParam(query.status).length ? listParam(query.status) : ["active"];
    statuses.forEach((x, i) => oneOf(`status[${i}]`, x, API.OFFER_STATUS));
    const advertisers = listParam(query.advertiser);
    const intIds = listParam(query.int_id, true);
    const ids = listParam(query.ids, true);
    const privacy = listParam(query.privacy).map((p, i) => PRIVACY_LEVELS[p] ?? oneOf(`privacy[${i}]`, p, Object.values(PRIVACY_LEVELS)));
    const countriesOf = listParam(query.countries);
    const categories = listParam(query.categories);
    const smartlinks = listParam(query.smartlink_categories);
    const text = String(query.q ?? "").toLowerCase();
    const updated = query.updated_at === undefined ? undefined : String(query.updated_at);
    if (updated !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(updated)) throw new Bad(400, "[updated_at].data: This value is not a valid date (YYYY-MM-DD)");
    const isTop = query.is_top === undefined ? undefined : bit("is_top", String(query.is_top));
    // os[]: the contract's values (Windows, webOS, macOS, iPadOS, iOS, Android), matched against the
    // payouts' `os` lists, in any case (inferred: the offer's OS is where its payouts apply).
    const oses = listParam(query.os).map((x) => x.toLowerCase());
    // caps_type / caps_country: "will not show offers for the selected cap type if the cap is full"
    // (contract). The sandbox counts no traffic, so no cap is ever full: the values are checked, no offer is hidden.
    if (query.caps_type !== undefined) oneOf("caps_type", String(query.caps_type), CAPS_TYPES_FILTER);
    if (query.caps_country !== undefined) country("caps_country", String(query.caps_country));
    const bundle = query.bundle_id === undefined ? undefined : String(query.bundle_id);
    // advertiser_manager_id[]: the advertisers' managers. The sandbox's advertisers are bare ids with no
    // manager, so no offer matches a manager filter (the ids are still checked: 24-hex like every Affise user id).
    const managers = listParam(query.advertiser_manager_id);
    managers.forEach((m, i) => {
      if (!API.HEX24.test(m)) throw new Bad(400, `[advertiser_manager_id][${i}].data: Unknown manager ${JSON.stringify(m)}`);
    });
    const extras = listParam(query.additional_fields, true);
    extras.forEach((x) => oneOf("additional_fields", x, ADDITIONAL_FIELDS));
    const sort = this.offerSort(query.sort);
    const items = Object.values(this.s.offers)
      .filter((o) => statuses.includes(o.status) && (!advertisers.length || advertisers.includes(o.advertiser)))
      .filter((o) => (!intIds.length || intIds.includes(String(o.id))) && (!ids.length || ids.includes(o.offer_id)))
      .filter((o) => !text || o.title.toLowerCase().includes(text) || String(o.id) === text)
      .filter((o) => !privacy.length || privacy.includes(o.privacy))
      .filter((o) => !countriesOf.length || o.payments.some((p: Obj) => p.countries.some((c: string) => countriesOf.includes(c))))
      .filter((o) => !categories.length || (o.categories ?? []).some((c: string) => categories.includes(c)))
      .filter((o) => !smartlinks.length || o.smartlink_categories.some((c: string) => smartlinks.includes(c)))
      .filter((o) => updated === undefined || String(o.updated_at).slice(0, 10) >= updated)
      .filter((o) => isTop === undefined || o.is_top === isTop)
      .filter((o) => query.external_offer_id === undefined || String(o.external_offer_id ?? "") === String(query.external_offer_id))
      .filter((o) => !oses.length || [...o.payments, ...o.partner_payments].some((p: Obj) => (p.os ?? []).some((x: string) => oses.includes(String(x).toLowerCase()))))
      .filter((o) => bundle === undefined || String(o.bundle_id ?? "") === bundle)
      .filter(() => !managers.length)
      .sort(sort);
    const { slice, pagination } = this.page(items, q);
    // additional_fields=enabled_affiliates adds the affiliates the offer is enabled for; the sandbox
    // does not emulate enable-affiliate, so the list is empty (inferred shape: a list of affiliate ids).
    const offers = extras.includes("enabled_affiliates") ? slice.map((o) => ({ ...o, enabled_affiliates: [] })) : slice;
    return this.ok({ offers, pagination });
  }

  /** `sort[field]=asc|desc` (default: by id). */
  private offerSort(spec: unknown): (a: Obj, b: Obj) => number {
    if (spec === undefined) return (a, b) => a.id - b.id;
    if (!isMap(spec)) throw new Bad(400, "[sort].data: use sort[field]=asc|desc");
    const keys = Object.entries(spec).map(([f, dir]) => {
      const field = OFFER_SORTS[f];
      if (!field) throw new Bad(400, `[sort].data: the sandbox sorts by ${Object.keys(OFFER_SORTS).join(", ")}; got ${f}`);
      return { field, sign: oneOf(`sort[${f}]`, dir, ["asc", "desc"]) === "desc" ? -1 : 1 };
    });
    return (a, b) => {
      for (const { field, sign } of keys) {
        const c = typeof a[field] === "number" ? a[field] - b[field] : String(a[field]).localeCompare(String(b[field]));
        if (c) return sign * c;
      }
      return a.id - b.id;
    };
  }

  // ---- postbacks ----
  private postbackFields(b: Obj, p: Obj) {
    for (const k of Object.keys(b)) if (!POSTBACK_FIELDS.includes(k)) throw new Bad(400, `Method does not allow extra fields: ${k}`);
    if (!b.url) throw notEmpty("url");
    p.url = url("url", String(b.url).replace(/\{[^}]*\}/g, "x")) && String(b.url);
    if (has(b, "pid")) p.pid = String(intOf("pid", b.pid, 1)); // pids come back as strings
    if (has(b, "offer_id")) {
      if (b.offer_id === "") p.offer_id = null;
      else {
        this.offer(String(b.offer_id));
        p.offer_id = String(b.offer_id);
      }
    }
    if (has(b, "status")) p.status = b.status === "" ? null : oneOf("status", b.status === "not_found" ? "declined" : b.status, API.POSTBACK_STATUS);
    if (has(b, "goal")) p.goal = b.goal === "" ? null : String(b.goal);
    if (has(b, "integration_method")) p.integration_method = oneOf("integration_method", b.integration_method, API.INTEGRATION_METHODS);
    if (has(b, "forced")) p.forced = String(bit("forced", b.forced));
  }

  private createPostback(q: SandboxRequest): SandboxResponse {
    const b = this.form(q);
    if (!has(b, "pid") || b.pid === "") throw notEmpty("pid");
    const p: Obj = { id: 0, url: "", status: null, goal: null, created: now(), updated_at: now(), forced: "0", pid: "", offer_id: null, integration_method: "all" };
    this.postbackFields(b, p);
    p.id = this.nextId("nextPostbackId");
    this.s.postbacks[p.id] = p;
    const { offer_id, ...shown } = p; // the create answer has no offer_id key for a global postback
    return this.ok({ postback: offer_id === null ? shown : p });
  }

  private postback(id: string): Obj {
    const p = this.s.postbacks[id];
    if (!p) throw new Bad(404, "Postback not found");
    return p;
  }

  private updatePostback(q: SandboxRequest): SandboxResponse {
    const p = { ...this.postback(q.params.id) };
    this.postbackFields(this.form(q), p);
    p.updated_at = now();
    this.s.postbacks[p.id] = p;
    return this.ok({ postback: p });
  }

  private deletePostback(q: SandboxRequest): SandboxResponse {
    const p = this.postback(q.params.id);
    delete this.s.postbacks[p.id];
    return this.ok({ postback: p });
  }

  /**
   * GET /3.0/admin/partners (affiliates; admin only): numbered pages of at
   * most 500. The sandbox's account has affiliates 1 to 10 (made in the
   * dashboard) and every affiliate a payout, cap, targeting group or
   * postback names.
   */
  private listPartners(q: SandboxRequest): SandboxResponse {
    if (!this.partnersAllowed) throw new Bad(403, "Access denied: the API key's user has no permission to list affiliates");
    const ids = new Set<number>(Array.from({ length: 10 }, (_, i) => i + 1));
    for (const p of Object.values(this.s.postbacks)) ids.add(Number(p.pid));
    for (const o of Object.values(this.s.offers)) {
      for (const p of o.partner_payments ?? []) for (const x of p.partners ?? []) ids.add(Number(x));
      for (const c of o.caps ?? []) for (const x of c.affiliates ?? []) ids.add(Number(x));
    }
    const items = [...ids].filter((n) => n > 0).sort((a, b) => a - b).map((id) => ({ id, status: "active", email: `affiliate${id}@sandbox.example` }));
    const { slice, pagination } = this.page(items, q);
    return this.ok({ partners: slice, pagination });
  }
  /** Test hook: the key's user may not list affiliates (a manager role without that permission). */
  partnersAllowed = true;

  /** GET /3.0/admin/postbacks: `partner_id`, `offer_ids[]`, `only_global`, the `after_id` cursor, pages; nothing else. */
  private listPostbacks(q: SandboxRequest): SandboxResponse {
    for (const k of Object.keys(q.query)) if (!POSTBACK_FILTERS.includes(k)) throw new Bad(400, `Unknown filter: ${k}`);
    if (!q.query.partner_id) throw notEmpty("partner_id");
    const pid = String(q.query.partner_id);
    const offers = listOf(q.query.offer_ids).map(String);
    const after = q.query.after_id === undefined ? 0 : intOf("after_id", q.query.after_id, 0);
    const items = afterCursor(Object.values(this.s.postbacks), after, (p) => p.id)
      .filter((p) => p.pid === pid && (!offers.length || offers.includes(String(p.offer_id))) && (q.query.only_global !== "1" || p.offer_id === null));
    const { slice, pagination } = this.page(items, q);
    return this.ok({ postbacks: slice.map(({ pid: _pid, updated_at: _u, ...rest }) => rest), pagination }); // the list omits pid and updated_at
  }
}
