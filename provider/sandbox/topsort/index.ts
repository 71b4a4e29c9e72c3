import { addDays, isDay, total, traffic, TrafficTerms } from "../traffic";
import * as crypto from "crypto";
import { SandboxRequest, SandboxResponse, json } from "../routes";
import { Authorized, EmulatorBase, ErrorShape, Obj, Problems, credential, fieldsOf, isDateTime, isWebUrl, offsetPage } from "../emulator";

/**
 * What the Topsort API accepts, as the emulator knows it from the API's
 * documentation (see docs/topsort.md). Deliberately the emulator's own copy,
 * not the provider's constants, so the sandbox tests the provider's rules.
 */
const API = {
  AD_FORMATS: ["listing", "banner"] as const,
  BUDGET_TYPES: ["daily", "weekly", "monthly", "total"] as const,
  CAMPAIGN_TYPES: ["manual", "autobidding", "exclusive"] as const,
  CHARGE_TYPES: ["CPM", "CPC", "CPA"] as const,
  DEFAULT_CHARGE_TYPE: { listing: "CPC", banner: "CPM" } as Record<string, string>,
  DEVICE_TYPES: ["desktop", "mobile"] as const,
  DOC_URL: "https://docs.topsort.com/reference/errors",
  LEGACY_PATH_PREFIX: "/v1/campaign-service",
  MAX_AMOUNT_EXCLUSIVE: 2_000_000_000,
  MAX_PAGE: 100,
  MAX_URL: 2083,
  PATH_PREFIX: "/public/v1/campaign-service",
  REVIEW_STATUSES: ["approved", "pending", "rejected"] as const,
  SLOT_ID: /^[\w!"#$%&'()*+,\-._/:;<>?@\[\]^{}~=\\]*$/,
  SORT_BY_DATE: ["asc", "desc"] as const,
  TARGET_ROAS: { min: 0.5, max: 20 },
  UUID: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  // Create / update docs: "The objective of the campaign, only for autobidding campaigns."
  AUTOBIDDING_OBJECTIVES: ["impressions", "clicks", "conversions", "revenue"] as const,
  // Audience targeting changelog (2025-08-13): "up to three segments with OR logic and bid multipliers between 1.0x and 5.0x".
  MAX_SEGMENTS: 3,
  MULTIPLIER: { min: 1, max: 5 },
  SEGMENT_TYPES: ["user_segment"] as const,
  RESTRICTION_STATUSES: ["active", "inactive"] as const,
};

/**
 * The marketplace's restriction types (Get Restriction Types: an id, an
 * interaction counted per period, at campaign or bid level). The docs show
 * type 1 as daily impressions per campaign; the rest of this catalogue is the
 * sandbox's own.
 */
const RESTRICTION_TYPES: Obj[] = [
  { id: 1, interactionType: "impressions", frequencyType: "daily", level: "campaign" },
  { id: 2, interactionType: "impressions", frequencyType: "weekly", level: "campaign" },
  { id: 3, interactionType: "impressions", frequencyType: "monthly", level: "campaign" },
  { id: 4, interactionType: "clicks", frequencyType: "daily", level: "campaign" },
  { id: 5, interactionType: "clicks", frequencyType: "weekly", level: "campaign" },
  { id: 6, interactionType: "conversions", frequencyType: "daily", level: "bid" },
];

/** Default sandbox account; override with `new TopsortSandbox({...})`. */
export const TOPSORT_SANDBOX_CREDENTIALS = { apiKey: "ts_sandbox_private_key_0001" };

interface State {
  seq: number;
  marketplaceId: string;
  campaigns: Record<string, Obj>;
  /** Bids per campaign id. */
  bids: Record<string, Obj[]>;
  /** Restrictions (frequency caps) per campaign id; ids are integers. */
  restrictions: Record<string, Obj[]>;
  nextRestrictionId: number;
  /** Default wallet per vendor. */
  wallets: Record<string, string>;
}

const fresh = (): State => ({ seq: 0, marketplaceId: "5b1f4c6e-0d3a-4e8b-9a77-2f9d1c0e6a11", campaigns: {}, bids: {}, wallets: {}, restrictions: {}, nextRestrictionId: 1 });

/** The default `errCode` of each status. */
const CODES: Record<number, string> = {
  400: "bad_request", 403: "invalid_api_key", 404: "not_found", 405: "method_not_allowed", 422: "bad_request", 429: "too_many_requests", 500: "internal_error",
};

/** Topsort's error body: a JSON array of `{errCode, docUrl, message}`, one per message. */
const errorShape: ErrorShape = (status, messages, _fields, opts = {}) => {
  const errCode = opts.code ?? CODES[status] ?? "error";
  return json(status, messages.map((message) => ({ errCode, docUrl: `${API.DOC_URL}#${errCode}`, ...(message ? { message } : {}) })));
};
const fail = (status: number, errCode: string, message: string) => errorShape(status, [message], undefined, { code: errCode });

/** Collects every problem of a body, each message prefixed with its location. */
class Checks extends Problems {
  int(loc: string, v: unknown, min: number, exclusiveMax?: number): boolean {
    if (typeof v !== "number" || !Number.isInteger(v)) return this.add(loc, "value is not a valid integer"), false;
    if (v < min) return this.add(loc, `ensure this value is greater than or equal to ${min}`), false;
    if (exclusiveMax !== undefined && v >= exclusiveMax) return this.add(loc, `ensure this value is less than ${exclusiveMax}`), false;
    return true;
  }
  str(loc: string, v: unknown, min = 1): boolean {
    if (typeof v !== "string") return this.add(loc, "str type expected"), false;
    if (v.length < min) return this.add(loc, `ensure this value has at least ${min} characters`), false;
    return true;
  }
  enumOf(loc: string, v: unknown, allowed: readonly string[]) {
    if (!allowed.includes(v as string)) this.add(loc, `value is not a valid enumeration member; permitted: ${allowed.map((a) => `'${a}'`).join(", ")}`);
  }
  date(loc: string, v: unknown) {
    if (typeof v !== "string" || !isDateTime(v)) this.add(loc, "invalid datetime format (RFC 3339 with a timezone)");
  }
  answer(): SandboxResponse | undefined {
    return this.response(errorShape, 422, (list) => list.map((p) => `${p.field}: ${p.message}`));
  }
}

const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);

/**
 * Topsort campaign-service emulator: bearer checks (403 invalid_api_key),
 * errors as Topsort's array of `{errCode, docUrl, message}`, uuid ids,
 * campaigns (create with bids, get, list with offset/limit paging, hasMore
 * and next, PATCH with Topsort's update rules, delete) and the bid
 * endpoints. Served under both path prefixes (/public/v1/campaign-service
 * and the seed's /v1/campaign-service).
 */
export class TopsortSandbox extends EmulatorBase<State> {
  readonly name = "topsort";

  claims(q: SandboxRequest): boolean {
    return credential(q, { bearer: true }) === this.creds.apiKey;
  }
  readonly bodyFormat = "json";
  readonly errorShape = errorShape;

  constructor(readonly creds = TOPSORT_SANDBOX_CREDENTIALS) {
    super(fresh);
    // Campaign and bid ids are uuids (docs: path `campaign-id`, `bid-id` string<uuid>), so a word in
    // their place (/campaigns/bids) is no id: it answers 404 (no route) in Topsort's error shape.
    const UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
    for (const prefix of [API.PATH_PREFIX, API.LEGACY_PATH_PREFIX]) {
      this.collection(`${prefix}/campaigns`, {
        list: (q) => this.list(q), create: (q) => this.create(q), get: (q) => this.get(q), update: (q) => this.update(q), remove: (q) => this.remove(q),
      }, { updateMethod: "PATCH", id: `id(${UUID})` });
      this.collection(`${prefix}/campaigns/:id(${UUID})/bids`, {
        list: (q) => this.listBids(q), create: (q) => this.createBids(q), update: (q) => this.updateBid(q), remove: (q) => this.removeBid(q),
      }, { updateMethod: "PATCH", id: `bidId(${UUID})` });
      // Restrictions: GET and POST .../restrictions (docs); the PATCH of one restriction by its integer id is inferred
      // ("Update Campaign Restriction" is listed, its page is not among the sources). No DELETE is documented.
      this.collection(`${prefix}/campaigns/:id(${UUID})/restrictions`, {
        list: (q) => this.listRestrictions(q), create: (q) => this.createRestriction(q), update: (q) => this.updateRestriction(q),
      }, { updateMethod: "PATCH", id: "restrictionId(\\d+)" });
    }
    // Reporting: one campaign per request (reporting-service beside campaign-service, both prefixes).
    for (const prefix of [API.PATH_PREFIX, API.LEGACY_PATH_PREFIX]) {
      this.route("GET", `${prefix.replace("campaign-service", "reporting-service")}/campaigns/:id(${UUID})`, (q) => this.report(q));
    }
  }

  inventory() {
    return { campaigns: Object.values(this.s.campaigns), bids: Object.values(this.s.bids).flat() };
  }

  /**
   * Adds `count` campaigns straight to the store (for paging tests and the
   * demo), alternating banner and listing, with one bid each.
   */
  addCampaigns(count: number, o: { vendorId?: string; namePrefix?: string; isActive?: (i: number) => boolean } = {}): Obj[] {
    const out: Obj[] = [];
    for (let i = 0; i < Math.min(count, 100_000); i++) {
      const banner = i % 2 === 0;
      const c = this.store({
        name: `${o.namePrefix ?? "bulk"} ${i + 1}`, adFormat: banner ? "banner" : "listing", campaignType: "manual",
        budget: { amount: 10_000 + i, type: "daily" }, startDate: "2026-01-01T00:00:00Z", endDate: "2026-12-31T00:00:00Z",
        isActive: o.isActive ? o.isActive(i) : true,
        bids: [{ amount: 100, target: { id: `p-${i}`, type: "product" }, ...(banner ? { formatProperties: { adFormat: "banner", slotId: "home-top", bannerAssets: [{ url: "https://cdn.example/b.png", contentType: "image/png", dimensions: { width: 300, height: 250 }, size: 1000 }] } } : {}) }],
      }, o.vendorId ?? "vendor-bulk");
      out.push(c);
    }
    return out;
  }

  protected authorize(q: SandboxRequest): Authorized<void> {
    const key = credential(q, { bearer: true });
    if (!key) return { refuse: fail(403, "invalid_api_key", "Missing Authorization header: send Authorization: Bearer <YOUR-API-KEY>") };
    if (key !== this.creds.apiKey) return { refuse: fail(403, "invalid_api_key", "The API key is invalid") };
    if (q.method === "POST" || q.method === "PATCH") {
      if (!q.rawBody.length) return { refuse: fail(400, "empty_request", "The request body is empty") };
      if (q.bodyKind !== "json") return { refuse: fail(400, "invalid_json", `Content-Type must be application/json, got ${q.contentType || "(none)"}`) };
    }
    return { auth: undefined };
  }

  // ---- campaigns ----

  private now(): string {
    return new Date().toISOString();
  }

  private uuid(): string {
    return crypto.randomUUID();
  }

  /** Validates a bid of a campaign with the given format. */
  private checkBid(p: Checks, loc: string, b: unknown, adFormat: string | undefined) {
    if (!isObj(b)) return p.add(loc, "value is not a valid dict");
    p.int(`${loc}.amount`, b.amount, 1, API.MAX_AMOUNT_EXCLUSIVE);
    if (!isObj(b.target)) p.add(`${loc}.target`, "field required");
    else {
      p.str(`${loc}.target.id`, b.target.id);
      p.str(`${loc}.target.type`, b.target.type);
    }
    if (b.trigger !== undefined && b.trigger !== null && !isObj(b.trigger)) p.add(`${loc}.trigger`, "value is not a valid dict");
    const fp = b.formatProperties;
    if (adFormat === "listing" && fp !== undefined && fp !== null) p.add(`${loc}.formatProperties`, "must be absent for listing campaigns");
    if (adFormat === "banner") {
      if (!isObj(fp)) return p.add(`${loc}.formatProperties`, "field required for banner campaigns");
      this.checkFormat(p, `${loc}.formatProperties`, fp);
    }
  }

  private checkFormat(p: Checks, loc: string, fp: Obj) {
    if (fp.adFormat !== "banner") p.add(`${loc}.adFormat`, "unexpected value; permitted: 'banner'");
    if (p.str(`${loc}.slotId`, fp.slotId) && !API.SLOT_ID.test(fp.slotId)) p.add(`${loc}.slotId`, "string does not match the slot id pattern");
    if (fp.deviceType !== undefined) p.enumOf(`${loc}.deviceType`, fp.deviceType, API.DEVICE_TYPES);
    if (!Array.isArray(fp.bannerAssets) || fp.bannerAssets.length < 1) return p.add(`${loc}.bannerAssets`, "ensure this value has at least 1 items");
    fp.bannerAssets.forEach((a: unknown, i: number) => {
      const l = `${loc}.bannerAssets.${i}`;
      if (!isObj(a)) return p.add(l, "value is not a valid dict");
      if (typeof a.url !== "string" || !isWebUrl(a.url) || a.url.length > API.MAX_URL) p.add(`${l}.url`, `invalid or missing URL scheme (at most ${API.MAX_URL} characters)`);
      p.str(`${l}.contentType`, a.contentType);
      if (!isObj(a.dimensions)) p.add(`${l}.dimensions`, "field required");
      else {
        p.int(`${l}.dimensions.width`, a.dimensions.width, 1);
        p.int(`${l}.dimensions.height`, a.dimensions.height, 1);
      }
      p.int(`${l}.size`, a.size, 0);
    });
  }

  /** The audience fields of a create or update body (targeting, exclusion, multipliers; docs and changelogs). */
  private checkAudience(p: Checks, b: Obj) {
    if (b.isAutoTrigger !== undefined && typeof b.isAutoTrigger !== "boolean") p.add("body.isAutoTrigger", "value could not be parsed to a boolean");
    if (b.autobiddingObjective !== undefined && b.autobiddingObjective !== null) p.enumOf("body.autobiddingObjective", b.autobiddingObjective, API.AUTOBIDDING_OBJECTIVES);
    const segments = (loc: string, list: unknown, max: number | undefined, multiplier: boolean) => {
      if (!Array.isArray(list)) return p.add(loc, "value is not a valid list");
      if (max !== undefined && list.length > max) p.add(loc, `ensure this value has at most ${max} items`);
      list.forEach((x: unknown, i: number) => {
        const l = `${loc}.${i}`;
        if (!isObj(x)) return p.add(l, "value is not a valid dict");
        p.enumOf(`${l}.type`, x.type, API.SEGMENT_TYPES);
        if (!(typeof x.segmentId === "string" && x.segmentId) && !Number.isInteger(x.segmentId)) p.add(`${l}.segmentId`, "field required");
        if (multiplier && (typeof x.multiplier !== "number" || x.multiplier < API.MULTIPLIER.min || x.multiplier > API.MULTIPLIER.max)) {
          p.add(`${l}.multiplier`, `ensure this value is between ${API.MULTIPLIER.min} and ${API.MULTIPLIER.max}`);
        }
      });
    };
    for (const [key, list, max, multiplier] of [["targetingFilters", "targetingFilters", API.MAX_SEGMENTS, false], ["exclusionFilters", "exclusionFilters", undefined, false], ["multiplierConfig", "multipliers", API.MAX_SEGMENTS, true]] as const) {
      const v = b[key];
      if (v === undefined || v === null) continue;
      if (!isObj(v)) {
        p.add(`body.${key}`, "value is not a valid dict");
        continue;
      }
      if (v.isActive !== undefined && typeof v.isActive !== "boolean") p.add(`body.${key}.isActive`, "value could not be parsed to a boolean");
      segments(`body.${key}.${list}`, v[list], max, multiplier);
    }
  }

  private checkBudget(p: Checks, b: unknown) {
    if (!isObj(b)) return p.add("body.budget", "value is not a valid dict");
    p.int("body.budget.amount", b.amount, 0, API.MAX_AMOUNT_EXCLUSIVE);
    p.enumOf("body.budget.type", b.type, API.BUDGET_TYPES);
  }

  private store(b: Obj, vendorId: string): Obj {
    const now = this.now();
    const id = this.uuid();
    const wallet = b.walletId ?? (this.s.wallets[vendorId] ??= this.uuid());
    const first = (b.bids ?? [])[0];
    const c: Obj = {
      campaignId: id, marketplaceId: this.s.marketplaceId, vendorId, externalVendorId: vendorId, walletId: wallet,
      name: b.name, adFormat: b.adFormat, campaignType: b.campaignType, chargeType: b.chargeType ?? API.DEFAULT_CHARGE_TYPE[b.adFormat],
      isActive: b.isActive ?? true, isSmart: false, isVendorCampaign: false,
      startDate: b.startDate, endDate: b.endDate, createdAt: now, bidCount: 0,
      budget: { amount: b.budget.amount, amountCarryover: 0, amountRemaining: b.budget.amount, amountUsed: 0, type: b.budget.type },
      promotionType: b.adFormat === "banner" && first?.formatProperties ? { ...first.formatProperties } : { adFormat: b.adFormat },
      // Banners wait for review; listings are auto-approved.
      status: b.adFormat === "banner" ? (b.status ?? "pending") : "approved",
      statusUpdatedBy: null, exclusivityPrice: null, targetRoas: b.targetRoas ?? null, externalCampaignId: b.externalCampaignId ?? null,
      isAutoTrigger: b.isAutoTrigger ?? false, autobiddingObjective: b.autobiddingObjective ?? null,
      multiplierConfig: b.multiplierConfig ?? null, targetingFilters: b.targetingFilters ?? null, exclusionFilters: b.exclusionFilters ?? null,
      campaignBehaviorData: null, campaignBehaviorDataByDay: null,
      _seq: ++this.s.seq,
    };
    this.s.campaigns[id] = c;
    this.s.bids[id] = [];
    this.s.restrictions[id] = [];
    for (const bid of b.bids ?? []) this.addBid(c, bid);
    return c;
  }

  private addBid(c: Obj, b: Obj): Obj {
    const bid = {
      bidId: this.uuid(), campaignId: c.campaignId, amount: b.amount, target: { id: String(b.target.id), type: b.target.type },
      isActive: true, state: "active", trigger: b.trigger ?? null, location: b.location ?? null,
      formatProperties: b.formatProperties ?? null, bidsBehaviorData: null,
    };
    this.s.bids[c.campaignId].push(bid);
    c.bidCount = this.s.bids[c.campaignId].length;
    return bid;
  }

  private view(c: Obj): Obj {
    const { _seq, ...rest } = c;
    return rest;
  }

  private create(q: SandboxRequest): SandboxResponse {
    const b = q.body;
    const vendorId = q.query.vendor_id;
    if (typeof vendorId !== "string" || !vendorId) return fail(422, "bad_request", "query.vendor_id: field required");
    if (!isObj(b)) return fail(400, "bad_request", "The request body must be a JSON object");
    const p = new Checks();
    p.str("body.name", b.name);
    // adFormat is optional in the create body (docs: not marked required; `promotionType` is the
    // deprecated way to say it). Without it the format follows from what was sent: the deprecated
    // promotionType's adFormat, else the bids (formatProperties "required for banner ads, should be
    // not set for listing ads").
    if (b.adFormat === undefined) b.adFormat = this.impliedFormat(b);
    if (b.adFormat === undefined) p.add("body.adFormat", "field required: neither promotionType nor the bids say the format (formatProperties on every bid means banner, on none listing)");
    else p.enumOf("body.adFormat", b.adFormat, API.AD_FORMATS);
    p.enumOf("body.campaignType", b.campaignType, API.CAMPAIGN_TYPES);
    if (b.chargeType !== undefined) p.enumOf("body.chargeType", b.chargeType, API.CHARGE_TYPES);
    this.checkBudget(p, b.budget);
    p.date("body.startDate", b.startDate);
    p.date("body.endDate", b.endDate);
    if (isDateTime(String(b.startDate)) && isDateTime(String(b.endDate)) && Date.parse(b.endDate) <= Date.parse(b.startDate)) p.add("body.endDate", "the end date must be after the start date");
    if (b.isActive !== undefined && typeof b.isActive !== "boolean") p.add("body.isActive", "value could not be parsed to a boolean");
    if (!Array.isArray(b.bids) || b.bids.length < 1) p.add("body.bids", "ensure this value has at least 1 items");
    else b.bids.forEach((x: unknown, i: number) => this.checkBid(p, `body.bids.${i}`, x, b.adFormat));
    if (b.walletId !== undefined && (typeof b.walletId !== "string" || !API.UUID.test(b.walletId))) p.add("body.walletId", "value is not a valid uuid");
    if (b.status !== undefined) p.enumOf("body.status", b.status, API.REVIEW_STATUSES);
    if (b.targetRoas !== undefined && (typeof b.targetRoas !== "number" || b.targetRoas < API.TARGET_ROAS.min || b.targetRoas > API.TARGET_ROAS.max)) p.add("body.targetRoas", `ensure this value is between ${API.TARGET_ROAS.min} and ${API.TARGET_ROAS.max}`);
    this.checkAudience(p, b);
    const bad = p.answer();
    if (bad) return bad;
    const rules = this.rules(b);
    if (rules) return rules;
    if (b.externalCampaignId && Object.values(this.s.campaigns).some((c) => c.externalCampaignId === b.externalCampaignId && c.adFormat === b.adFormat)) {
      return fail(400, "invalid_operation", `externalCampaignId ${JSON.stringify(b.externalCampaignId)} is already used by another ${b.adFormat} campaign`);
    }
    return json(201, this.view(this.store(b, vendorId)));
  }

  /** The ad format a create body without `adFormat` implies (see `create`). */
  private impliedFormat(b: Obj): string | undefined {
    if (isObj(b.promotionType) && typeof b.promotionType.adFormat === "string") return b.promotionType.adFormat === "banner" ? "banner" : "listing";
    if (!Array.isArray(b.bids) || !b.bids.length) return undefined;
    const banner = b.bids.map((x: unknown) => isObj(x) && isObj(x.formatProperties));
    return banner.every(Boolean) ? "banner" : banner.some(Boolean) ? undefined : "listing";
  }

  /** Rules across fields (create docs), on a merged campaign-like object. */
  private rules(c: Obj): SandboxResponse | undefined {
    const charge = c.chargeType ?? API.DEFAULT_CHARGE_TYPE[c.adFormat];
    if (c.campaignType === "exclusive" && c.adFormat !== "banner") return fail(400, "invalid_operation", "exclusive campaigns must be banner campaigns");
    if (charge === "CPA" && c.adFormat !== "listing") return fail(400, "invalid_operation", "CPA charge type is only available for listing campaigns");
    if (charge === "CPA" && c.budget?.type !== "total") return fail(400, "invalid_operation", "CPA campaigns need a total budget");
    if (c.targetRoas !== undefined && c.targetRoas !== null && !(c.adFormat === "listing" && c.campaignType === "autobidding")) {
      return fail(400, "invalid_operation", "targetRoas only applies to autobidding listing campaigns");
    }
    if (c.autobiddingObjective !== undefined && c.autobiddingObjective !== null && c.campaignType !== "autobidding") {
      return fail(400, "invalid_operation", "autobiddingObjective only applies to autobidding campaigns");
    }
    return undefined;
  }

  private find(id: string): Obj | undefined {
    return this.s.campaigns[id];
  }

  private notFound(id: string): SandboxResponse {
    return fail(404, "not_found", `campaign ${id} does not exist`);
  }

  /**
   * `GET /public/v1/reporting-service/campaigns/{campaignId}?start_date&end_date`:
   * the campaign's figures over the days (both required, YYYY-MM-DD,
   * inclusive): auctions, impressions, clicks, purchases {count, amount}
   * and spend, amounts in the marketplace currency's minor units. Traffic
   * from sandbox/traffic.ts: nothing while inactive or outside its dates;
   * a daily budget caps each day, a weekly or monthly one its daily share,
   * a total one the sum since the start.
   */
  private report(q: SandboxRequest): SandboxResponse {
    const c = this.find(q.params.id);
    if (!c) return this.notFound(q.params.id);
    const from = q.query.start_date, to = q.query.end_date;
    const p = new Checks();
    if (!isDay(from)) p.add("query.start_date", "a date YYYY-MM-DD is required");
    if (!isDay(to)) p.add("query.end_date", "a date YYYY-MM-DD is required");
    else if (isDay(from) && to < from) p.add("query.end_date", "the end date must not be before the start date");
    else if (isDay(from) && addDays(from, 366) <= to) p.add("query.end_date", "a period of at most 366 days");
    const bad = p.answer();
    if (bad) return bad;
    const b = c.budget ?? {};
    const per: Record<string, number> = { daily: 1, weekly: 7, monthly: 30 };
    const terms: TrafficTerms = {
      running: c.isActive === true, start: c.startDate, end: c.endDate,
      ...(per[b.type] ? { dailyCap: Math.floor(b.amount / per[b.type]) } : b.type === "total" ? { totalCap: b.amount } : {}),
    };
    const t = total(traffic(`topsort|${c.campaignId}`, String(from), String(to), terms, this.today()));
    // Auctions entered: a seeded multiple of the impressions won; purchases: the conversions, at a seeded basket.
    const auctions = t.impressions * 3;
    return json(200, {
      campaignId: c.campaignId, startDate: from, endDate: to,
      auctions, impressions: t.impressions, clicks: t.clicks,
      purchases: { count: t.conversions, amount: t.conversions * 2_500 }, spend: t.spend,
    });
  }

  private get(q: SandboxRequest): SandboxResponse {
    const c = this.find(q.params.id);
    return c ? json(200, this.view(c)) : this.notFound(q.params.id);
  }

  /** offset / limit paging: `{items, hasMore, next?: {offset, limit}}`. */
  private page(q: SandboxRequest, key: string, items: Obj[], shape: (o: Obj) => Obj = (o) => o): SandboxResponse {
    const p = new Checks();
    const offset = q.query.offset === undefined ? 0 : Number(q.query.offset);
    const limit = q.query.limit === undefined ? API.MAX_PAGE : Number(q.query.limit);
    p.int("query.offset", offset, 0);
    if (p.int("query.limit", limit, 1) && limit > API.MAX_PAGE) p.add("query.limit", `ensure this value is less than or equal to ${API.MAX_PAGE}`);
    const bad = p.answer();
    if (bad) return bad;
    const { slice, hasMore, nextOffset } = offsetPage(items, offset, limit);
    this.listWork.built += slice.length;
    return json(200, { [key]: slice.map(shape), hasMore, ...(hasMore ? { next: { offset: nextOffset, limit } } : {}) });
  }

  private list(q: SandboxRequest): SandboxResponse {
    const p = new Checks();
    if (q.query.status !== undefined) p.enumOf("query.status", q.query.status, API.REVIEW_STATUSES);
    if (q.query.sort_by_date !== undefined) p.enumOf("query.sort_by_date", q.query.sort_by_date, API.SORT_BY_DATE);
    if (q.query.is_active !== undefined && !["true", "false"].includes(String(q.query.is_active))) p.add("query.is_active", "value could not be parsed to a boolean");
    if (q.query.vendor_id !== undefined && !String(q.query.vendor_id)) p.add("query.vendor_id", "ensure this value has at least 1 characters");
    const bad = p.answer();
    if (bad) return bad;
    let items = Object.values(this.s.campaigns);
    if (q.query.vendor_id !== undefined) items = items.filter((c) => c.vendorId === String(q.query.vendor_id));
    if (q.query.status !== undefined) items = items.filter((c) => c.status === q.query.status);
    if (q.query.is_active !== undefined) items = items.filter((c) => c.isActive === (String(q.query.is_active) === "true"));
    items = [...items].sort((a, b) => (q.query.sort_by_date === "desc" ? b._seq - a._seq : a._seq - b._seq));
    return this.page(q, "campaigns", items, (c) => this.view(c));
  }

  private update(q: SandboxRequest): SandboxResponse {
    const c = this.find(q.params.id);
    if (!c) return this.notFound(q.params.id);
    const b = q.body;
    if (!isObj(b)) return fail(400, "bad_request", "The request body must be a JSON object");
    for (const k of ["adFormat", "chargeType", "vendorId", "walletId", "bids"]) {
      if (b[k] !== undefined) return fail(400, "invalid_operation", `${k} cannot be updated${k === "bids" ? "; use the campaign's bid endpoints" : ""}`);
    }
    const p = new Checks();
    if (b.name !== undefined) p.str("body.name", b.name);
    if (b.budget !== undefined) this.checkBudget(p, b.budget);
    if (b.startDate !== undefined) p.date("body.startDate", b.startDate);
    if (b.endDate !== undefined) p.date("body.endDate", b.endDate);
    if (b.isActive !== undefined && typeof b.isActive !== "boolean") p.add("body.isActive", "value could not be parsed to a boolean");
    if (b.campaignType !== undefined) p.enumOf("body.campaignType", b.campaignType, API.CAMPAIGN_TYPES);
    if (b.targetRoas !== undefined && b.targetRoas !== null && (typeof b.targetRoas !== "number" || b.targetRoas < API.TARGET_ROAS.min || b.targetRoas > API.TARGET_ROAS.max)) p.add("body.targetRoas", `ensure this value is between ${API.TARGET_ROAS.min} and ${API.TARGET_ROAS.max}`);
    if (b.status !== undefined) p.enumOf("body.status", b.status, API.REVIEW_STATUSES);
    this.checkAudience(p, b);
    const bad = p.answer();
    if (bad) return bad;
    if (b.campaignType !== undefined && b.campaignType !== c.campaignType && b.campaignType !== "autobidding") {
      return fail(400, "invalid_operation", `campaignType can only be changed to autobidding (it is ${c.campaignType})`);
    }
    // A start date in the past is set to now.
    const start = b.startDate === undefined ? c.startDate : Date.parse(b.startDate) < Date.now() ? this.now() : b.startDate;
    const end = b.endDate ?? c.endDate;
    if (Date.parse(end) <= Date.parse(start)) return fail(422, "bad_request", "body.endDate: the end date must be after the start date");
    const merged = { ...c, ...b, budget: b.budget ?? c.budget };
    const rules = this.rules(merged);
    if (rules) return rules;
    if (b.name !== undefined) c.name = b.name;
    if (b.budget !== undefined) {
      const used = c.budget.amountUsed ?? 0;
      c.budget = { ...c.budget, amount: b.budget.amount, type: b.budget.type, amountRemaining: Math.max(0, b.budget.amount - used) };
    }
    c.startDate = start;
    c.endDate = end;
    for (const k of ["isActive", "campaignType", "status", "statusUpdatedBy", "isSmart"]) if (b[k] !== undefined) c[k] = b[k];
    for (const k of ["targetRoas", "externalCampaignId", "isAutoTrigger", "autobiddingObjective", "multiplierConfig", "targetingFilters", "exclusionFilters"]) if (b[k] !== undefined) c[k] = b[k];
    return json(200, this.view(c));
  }

  private remove(q: SandboxRequest): SandboxResponse {
    const c = this.find(q.params.id);
    if (!c) return this.notFound(q.params.id);
    delete this.s.campaigns[c.campaignId];
    delete this.s.bids[c.campaignId];
    delete this.s.restrictions[c.campaignId];
    return { status: 204 };
  }

  // ---- bids ----

  private listBids(q: SandboxRequest): SandboxResponse {
    const c = this.find(q.params.id);
    if (!c) return this.notFound(q.params.id);
    return this.page(q, "bids", this.s.bids[c.campaignId]);
  }

  private createBids(q: SandboxRequest): SandboxResponse {
    const c = this.find(q.params.id);
    if (!c) return this.notFound(q.params.id);
    const list = fieldsOf(q.body).bids;
    const p = new Checks();
    if (!Array.isArray(list) || list.length < 1) p.add("body.bids", "ensure this value has at least 1 items");
    else list.forEach((x: unknown, i: number) => this.checkBid(p, `body.bids.${i}`, x, c.adFormat));
    const bad = p.answer();
    if (bad) return bad;
    const sent = list as Obj[]; // checked: bid objects
    const taken = new Set(this.s.bids[c.campaignId].map((x) => `${x.target.type}:${x.target.id}|${JSON.stringify(x.trigger)}`));
    for (const x of sent) {
      if (taken.has(`${x.target.type}:${x.target.id}|${JSON.stringify(x.trigger ?? null)}`)) return fail(400, "invalid_operation", `the campaign already has a bid on ${x.target.type} ${x.target.id}`);
    }
    return json(201, { bids: sent.map((x) => this.addBid(c, x)) });
  }

  private findBid(q: SandboxRequest): { c?: Obj; bid?: Obj; res?: SandboxResponse } {
    const c = this.find(q.params.id);
    if (!c) return { res: this.notFound(q.params.id) };
    const bid = this.s.bids[c.campaignId].find((x) => x.bidId === q.params.bidId);
    if (!bid) return { res: fail(404, "not_found", `bid ${q.params.bidId} does not exist in campaign ${c.campaignId}`) };
    return { c, bid };
  }

  private updateBid(q: SandboxRequest): SandboxResponse {
    const { c, bid, res } = this.findBid(q);
    if (res) return res;
    const b = q.body;
    if (!isObj(b)) return fail(400, "bad_request", "The request body must be a JSON object");
    if (b.target !== undefined) return fail(400, "invalid_operation", "a bid's target cannot be changed; create a new bid");
    const p = new Checks();
    if (b.amount !== undefined) p.int("body.amount", b.amount, 1, API.MAX_AMOUNT_EXCLUSIVE);
    if (b.isActive !== undefined && typeof b.isActive !== "boolean") p.add("body.isActive", "value could not be parsed to a boolean");
    if (b.formatProperties !== undefined) {
      if (c!.adFormat !== "banner") p.add("body.formatProperties", "must be absent for listing campaigns");
      else if (!isObj(b.formatProperties)) p.add("body.formatProperties", "value is not a valid dict");
      else this.checkFormat(p, "body.formatProperties", b.formatProperties);
    }
    const bad = p.answer();
    if (bad) return bad;
    for (const k of ["amount", "isActive", "trigger", "location"]) if (b[k] !== undefined) bid![k] = b[k];
    if (b.formatProperties !== undefined) {
      bid!.formatProperties = b.formatProperties;
      c!.promotionType = { ...b.formatProperties };
    }
    return json(200, bid);
  }

  private removeBid(q: SandboxRequest): SandboxResponse {
    const { c, bid, res } = this.findBid(q);
    if (res) return res;
    const list = this.s.bids[c!.campaignId];
    if (list.length === 1) return fail(400, "invalid_operation", "a campaign must keep at least one bid");
    this.s.bids[c!.campaignId] = list.filter((x) => x !== bid);
    c!.bidCount = this.s.bids[c!.campaignId].length;
    return { status: 204 };
  }

  // ---- restrictions (frequency caps) ----

  private restrictionsOf(c: Obj): Obj[] {
    return (this.s.restrictions[c.campaignId] ??= []);
  }

  private listRestrictions(q: SandboxRequest): SandboxResponse {
    const c = this.find(q.params.id);
    if (!c) return this.notFound(q.params.id);
    return json(200, { restrictions: this.restrictionsOf(c) });
  }

  private createRestriction(q: SandboxRequest): SandboxResponse {
    const c = this.find(q.params.id);
    if (!c) return this.notFound(q.params.id);
    const b = q.body;
    if (!isObj(b)) return fail(400, "bad_request", "The request body must be a JSON object");
    const p = new Checks();
    p.int("body.limit", b.limit, 1);
    p.int("body.restrictionTypeId", b.restrictionTypeId, 1);
    const bad = p.answer();
    if (bad) return bad;
    const type = RESTRICTION_TYPES.find((t) => t.id === b.restrictionTypeId);
    if (!type) return fail(404, "not_found", `restriction type ${b.restrictionTypeId} does not exist`);
    if (this.restrictionsOf(c).some((r) => r.restrictionType.id === type.id)) {
      return fail(400, "invalid_operation", `the campaign already has a restriction of type ${type.id}; update it instead`);
    }
    const now = this.now();
    const r = { id: this.s.nextRestrictionId++, campaignId: c.campaignId, marketplaceId: this.s.marketplaceId, restrictionType: { ...type }, limit: b.limit, createdAt: now, updatedAt: now, status: "active" };
    this.restrictionsOf(c).push(r);
    return json(201, r);
  }

  private updateRestriction(q: SandboxRequest): SandboxResponse {
    const c = this.find(q.params.id);
    if (!c) return this.notFound(q.params.id);
    const r = this.restrictionsOf(c).find((x) => String(x.id) === q.params.restrictionId);
    if (!r) return fail(404, "not_found", `restriction ${q.params.restrictionId} does not exist in campaign ${c.campaignId}`);
    const b = q.body;
    if (!isObj(b)) return fail(400, "bad_request", "The request body must be a JSON object");
    if (b.restrictionTypeId !== undefined && b.restrictionTypeId !== r.restrictionType.id) return fail(400, "invalid_operation", "a restriction's type cannot be changed; create a new restriction");
    const p = new Checks();
    if (b.limit !== undefined) p.int("body.limit", b.limit, 1);
    if (b.status !== undefined) p.enumOf("body.status", b.status, API.RESTRICTION_STATUSES);
    const bad = p.answer();
    if (bad) return bad;
    if (b.limit !== undefined) r.limit = b.limit;
    if (b.status !== undefined) r.status = b.status;
    r.updatedAt = this.now();
    return json(200, r);
  }
}
