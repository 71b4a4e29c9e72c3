import { addDays, isDay, total, traffic, TrafficTerms } from "../traffic";
import { SandboxRequest, SandboxResponse, json } from "../routes";
import { Authorized, EmulatorBase, ErrorShape, JsonObject, Problems, RateLimiter, credential, fieldsOf, intParam, isDateTime, nonJsonBody, offsetPage } from "../emulator";

/**
 * What the Interchange API accepts, as the emulator knows it from the API's
 * documentation (see docs/interchange.md). Deliberately the emulator's own copy,
 * not the provider's constants, so the sandbox tests the provider's rules.
 */
const API = {
  CAMPAIGN_TYPES: ["DECISIONED", "ROUTED"] as const,
  DAY: /^\d{4}-\d{2}-\d{2}$/,
  FREQUENCY_CAP_UNITS: ["seconds", "minutes", "hours", "days", "campaign"] as const,
  MAX_BRIEF: 5000,
  MAX_NAME: 255,
  MAX_PACING_PERIODS: 52,
  MAX_SAFE_ID: 9_007_199_254_740_991,
  MAX_STOREFRONTS: 50,
  OPTIMIZATION_APPLY_MODES: ["AUTO", "MANUAL"] as const,
  PACING: ["EVEN", "ASAP", "FRONTLOADED"] as const,
  PACING_PERIOD_MODES: ["weight", "budget"] as const,
  RATE_LIMIT: { limit: 100, windowMs: 60_000 },
  STATUSES: ["DRAFT", "ACTIVE", "PAUSED", "COMPLETED", "CANCELED", "ARCHIVED"] as const,
  // Audiences, UTM parameters and data delivery: the buyer API's request schemas
  // (CreateCampaignBody / UpdateCampaignBody in the scope3 SDK's src/schemas/buyer.ts).
  MAX_AUDIENCES: 100,
  MAX_UTM_PARAMS: 20,
  UTM_PARAM_KEY: /^[a-zA-Z0-9_-]{1,100}$/,
  MAX_UTM_VALUE: 200,
  DATA_DELIVERY_TYPES: ["MB_DELIVERY", "IMPRESSIONS", "CLICKS", "VAST_EVENTS", "CAPI_ATTRIBUTION", "MMP_POSTBACKS"] as const,
  CADENCES: ["HOURLY", "DAILY", "WEEKLY"] as const,
  DESTINATIONS: ["GCS", "S3", "AZURE_BLOB"] as const,
  FORMATS: ["JSONL", "PARQUET", "CSV"] as const,
  CREDENTIAL_NAME: /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/,
  MAX_PATH_PREFIX: 1024,
};

/** Default sandbox account; override with `new InterchangeSandbox({...})`. */
export const INTERCHANGE_SANDBOX_CREDENTIALS = { apiKey: "scope3_sandbox_interchange_key" };

interface Budget {
  total: number;
  currency: string;
  dailyCap?: number;
  pacing?: string;
}

/**
 * A campaign body as validate() lets it through: on create the required
 * keys are present (null passes where a key is only required), on update any
 * subset; keys it does not know are kept out of the campaign.
 */
interface CampaignBody {
  advertiserId?: number | null;
  name?: string | null;
  flightDates?: { startDate: string; endDate: string } | null;
  budget?: { total?: number; currency?: string; dailyCap?: number | null; pacing?: string } | null;
  campaignType?: string | null;
  mode?: string;
  optimizationApplyMode?: string;
  storefrontIds?: number[];
  discoveryId?: string | null;
  productIds?: string[];
  audienceConfig?: { targetAudienceIds?: string[]; suppressAudienceIds?: string[]; deleteMissing?: boolean };
  catalogId?: number | null;
  utmConfig?: { params: Array<{ paramKey: string; paramValue: string }>; deleteMissing?: boolean };
  dataDelivery?: { outputs?: DataDeliveryOutput[] };
  frequencyCaps?: Array<{ max_impressions: number; window: { interval: number; unit: string } }>;
  /** brief, constraints, performanceConfig, pacingPeriods: kept as sent, null removes them. */
  [key: string]: unknown;
}

interface DataDeliveryOutput {
  dataDeliveryType: string;
  cadence: string;
  syncWeeklyDay?: number;
  enabled?: boolean;
  credentialName: string;
  deliveryConfig: { type: string; pathPrefix?: string; format?: string };
}

/** A campaign as stored and served (`GET /campaigns/{id}`'s `campaign`). */
interface Campaign {
  campaignId: string;
  advertiserId: string;
  name: string | null | undefined;
  status: string;
  campaignType: string | null | undefined;
  mode?: string;
  optimizationApplyMode: string;
  createdAt: string;
  updatedAt: string;
  flightDates?: { startDate: string; endDate: string };
  /** Set on create (required), kept by updates. */
  budget?: Budget;
  mediaBudget?: { total: number; currency: string };
  allocatedBudget: number;
  unallocatedBudget?: number;
  fees: unknown[];
  storefronts: Array<{ id: number; platformId: string; name: string }>;
  /** Reported while DRAFT only. */
  discoveryId?: string;
  products?: Array<{ productId: string }>;
  productCount?: number;
  catalogId?: number;
  audiences: Array<{ audienceId: string; type: string; name: null; status: string; enabledAt: string }>;
  utmConfig?: Array<{ paramKey: string; paramValue: string; source: string }>;
  dataDelivery?: { outputs: JsonObject[] };
  frequencyCaps: JsonObject[];
  mediaBuys: unknown[];
  mediaBuyRefs: Array<{ status: string }>;
  /** brief, constraints, performanceConfig, pacingPeriods: as sent. */
  [key: string]: unknown;
}

interface State {
  nextId: number;
  campaigns: Record<string, Campaign>;
}

/** Create's discriminator (`directed` is deprecated and refused). */
const CREATE_MODES = ["discovery", "performance"];

const fresh = (): State => ({ nextId: 987_654_320, campaigns: {} });

/** The default `error.code` of each status. */
const CODES: Record<number, string> = {
  400: "BAD_REQUEST", 401: "UNAUTHORIZED", 402: "CREDIT_LIMIT_EXCEEDED", 403: "FORBIDDEN", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED",
  409: "CONFLICT", 429: "RATE_LIMITED", 500: "INTERNAL_ERROR",
};

/** Interchange's error envelope: `{data: null, error: {code, message, field?, details?}}`. */
const errorShape: ErrorShape = (status, messages, fields, opts = {}) => {
  const field = fields?.[0]?.field;
  return json(status, { data: null, error: { code: opts.code ?? CODES[status] ?? "ERROR", message: messages.join("; "), ...(field ? { field } : {}), ...(opts.details !== undefined ? { details: opts.details } : {}) } });
};

/** A small Zod-like validator that reports every issue with its path. */
class Issues extends Problems {
  issue(path: Array<string | number>, message: string, code = "custom") {
    this.add(path.join("."), message, code, path);
  }
  type(path: Array<string | number>, v: unknown, type: "string"): v is string;
  type(path: Array<string | number>, v: unknown, type: "number" | "integer"): v is number;
  type(path: Array<string | number>, v: unknown, type: "object"): v is JsonObject;
  type(path: Array<string | number>, v: unknown, type: "array"): v is unknown[];
  type(path: Array<string | number>, v: unknown, type: "string" | "number" | "object" | "array" | "integer"): boolean {
    const ok = type === "array" ? Array.isArray(v)
      : type === "object" ? !!v && typeof v === "object" && !Array.isArray(v)
      : type === "integer" ? typeof v === "number" && Number.isInteger(v)
      : typeof v === type && (type !== "number" || Number.isFinite(v as number));
    if (!ok) this.issue(path, `Expected ${type}, received ${v === null ? "null" : Array.isArray(v) ? "array" : typeof v}`, "invalid_type");
    return ok;
  }
  enumOf(path: Array<string | number>, v: unknown, allowed: readonly string[]) {
    if (!allowed.includes(v as string)) this.issue(path, `Invalid enum value. Expected ${allowed.map((a) => `'${a}'`).join(" | ")}, received '${String(v)}'`, "invalid_enum_value");
  }
  /** The first issue as the message, every issue in details (Zod's shape). */
  answer(): SandboxResponse | undefined {
    const issues = this.list.map((i) => ({ path: i.path, message: i.message, code: i.code }));
    return this.response(errorShape, 400, ([first]) => [`${first.field}: ${first.message}`], { code: "VALIDATION_ERROR", details: { issues } });
  }
}

/**
 * Interchange (Scope3) buyer API v2 emulator: bearer (or x-scope3-api-key)
 * checks, the `{data: null, error: {...}}` envelope, `cmp_` ids, campaign
 * create / get / list / partial PUT / soft delete, the status machine
 * (DRAFT -> ACTIVE -> PAUSED -> ACTIVE, any -> ARCHIVED, 409 otherwise) and a
 * fixed-window rate limit (100 requests per minute by default; tests shrink
 * `rateLimit.windowMs` and `rateLimit.limit`) answered with 429 and Retry-After.
 * Routes are served both at the network root and under /api/v2/buyer.
 */
export class InterchangeSandbox extends EmulatorBase<State> {
  readonly name = "interchange";

  claims(q: SandboxRequest): boolean {
    return credential(q, { bearer: true, headers: ["x-scope3-api-key"] }) === this.creds.apiKey;
  }
  readonly bodyFormat = "json";
  readonly errorShape = errorShape;
  /** Requests allowed per window; change it in tests (reset() restores the default). */
  rateLimit = { ...API.RATE_LIMIT };
  /** 429s answered so far. */
  rateLimited = 0;
  readonly limiter = new RateLimiter(() => this.rateLimit);

  constructor(readonly creds = INTERCHANGE_SANDBOX_CREDENTIALS) {
    super(fresh);
    for (const prefix of ["", "/api/v2/buyer"]) {
      this.collection(`${prefix}/campaigns`, {
        list: (q) => this.list(q), create: (q) => this.create(q), get: (q) => this.get(q), update: (q) => this.update(q), remove: (q) => this.remove(q),
      });
      for (const action of ["execute", "pause", "reactivate"] as const) this.route("POST", `${prefix}/campaigns/:id/${action}`, (q) => this.transition(q, action));
      this.route("GET", `${prefix}/reporting/metrics`, (q) => this.metrics(q));
    }
  }

  /**
   * `GET /api/v2/buyer/reporting/metrics` (the buyer skill's documentation):
   * `view` summary (default; advertiser -> campaign breakdown with
   * `metrics`) or timeseries (one row per day), `days` (default 7, at most
   * 90; the last whole days, today excluded) unless both `startDate` and
   * `endDate` are given, `advertiserId` and `campaignId` filters. Metrics:
   * impressions, spend (USD, major units), clicks, conversions, ctr, cpc,
   * ecpm; `totals`, `periodStart`, `periodEnd`. Traffic from
   * sandbox/traffic.ts: only ACTIVE campaigns inside their flight dates;
   * `budget.dailyCap` caps a day, `budget.total` the whole flight. The
   * sandbox has no media buys or packages (`mediaBuys` is empty).
   */
  private metrics(q: SandboxRequest): SandboxResponse {
    const bad = (field: string, message: string) => this.fail(400, `${field}: ${message}`, { code: "VALIDATION_ERROR", field });
    const view = q.query.view ?? "summary";
    if (view !== "summary" && view !== "timeseries") return bad("view", `Invalid enum value. Expected 'summary' | 'timeseries', received '${view}'`);
    const today = this.today();
    let from: string, to: string;
    if (q.query.startDate !== undefined && q.query.endDate !== undefined) {
      if (!isDay(q.query.startDate)) return bad("startDate", "Invalid date, expected YYYY-MM-DD");
      if (!isDay(q.query.endDate)) return bad("endDate", "Invalid date, expected YYYY-MM-DD");
      if (q.query.endDate < q.query.startDate) return bad("endDate", "endDate must not be before startDate");
      if (addDays(q.query.startDate, 366) <= q.query.endDate) return bad("endDate", "a period of at most 366 days");
      from = q.query.startDate;
      to = q.query.endDate;
    } else {
      const days = q.query.days === undefined ? 7 : Number(q.query.days);
      if (!Number.isInteger(days) || days < 1 || days > 90) return bad("days", "Number must be an integer from 1 to 90");
      from = addDays(today, -days);
      to = addDays(today, -1);
    }
    const advertiserId = q.query.advertiserId === undefined ? undefined : String(q.query.advertiserId);
    const campaignId = q.query.campaignId === undefined ? undefined : String(q.query.campaignId);
    type M = { impressions: number; clicks: number; conversions: number; spend: number };
    const zero = (): M => ({ impressions: 0, clicks: 0, conversions: 0, spend: 0 });
    const add = (a: M, b: M) => { for (const k of ["impressions", "clicks", "conversions", "spend"] as const) a[k] += b[k]; };
    const metrics = (m: M) => ({
      impressions: m.impressions, spend: m.spend / 100, clicks: m.clicks, conversions: m.conversions,
      ctr: m.impressions ? Number((m.clicks / m.impressions).toFixed(4)) : 0, cpc: m.clicks ? Number((m.spend / 100 / m.clicks).toFixed(2)) : 0,
      ecpm: m.impressions ? Number(((m.spend / 100 / m.impressions) * 1000).toFixed(2)) : 0,
    });
    const advertisers = new Map<string, { total: M; campaigns: Array<Record<string, unknown>> }>();
    const byDay = new Map<string, M>();
    const all = zero();
    for (const c of Object.values(this.s.campaigns).sort((a, b) => Number(a.campaignId) - Number(b.campaignId))) {
      if (c.status === "ARCHIVED" || (advertiserId !== undefined && c.advertiserId !== advertiserId) || (campaignId !== undefined && c.campaignId !== campaignId)) continue;
      const b: Partial<Budget> = c.budget ?? {};
      const terms: TrafficTerms = {
        running: c.status === "ACTIVE", start: c.flightDates?.startDate, end: c.flightDates?.endDate,
        ...(typeof b.dailyCap === "number" ? { dailyCap: Math.round(b.dailyCap * 100) } : {}),
        ...(typeof b.total === "number" ? { totalCap: Math.round(b.total * 100) } : {}),
      };
      const list = traffic(`interchange|${c.campaignId}`, from, to, terms, today);
      const t = total(list);
      add(all, t);
      for (const d of list) add(byDay.get(d.day) ?? byDay.set(d.day, zero()).get(d.day)!, d);
      const a = advertisers.get(c.advertiserId) ?? advertisers.set(c.advertiserId, { total: zero(), campaigns: [] }).get(c.advertiserId)!;
      add(a.total, t);
      a.campaigns.push({ campaignId: c.campaignId, campaignName: c.name, metrics: metrics(t), mediaBuys: [] });
    }
    const totals = { impressions: all.impressions, spend: all.spend / 100 };
    if (view === "timeseries") {
      return json(200, { timeseries: [...byDay.entries()].map(([date, m]) => ({ date, metrics: metrics(m) })), totals, periodStart: from, periodEnd: to });
    }
    return json(200, {
      advertisers: [...advertisers.entries()].map(([id, a]) => ({ advertiserId: id, advertiserName: `Advertiser ${id}`, metrics: metrics(a.total), campaigns: a.campaigns })),
      totals, periodStart: from, periodEnd: to,
    });
  }

  protected onReset() {
    this.rateLimit = { ...API.RATE_LIMIT };
    this.rateLimited = 0;
    this.limiter.clear();
  }
  inventory() {
    return { campaigns: Object.values(this.s.campaigns).filter((c) => c.status !== "ARCHIVED") };
  }

  /** Fixed-window limiter over every request to this network. */
  before(_q: SandboxRequest): SandboxResponse | undefined {
    const hit = this.limiter.hit();
    if (!hit.limited) return undefined;
    this.rateLimited++;
    const { limit, windowMs } = this.rateLimit;
    const resetS = Math.max(1, Math.ceil(hit.resetMs / 1000));
    const res = this.fail(429, `Rate limit exceeded: ${limit} requests per ${Math.round(windowMs / 1000) || 1} s. Retry after ${resetS} s.`, { details: { limit, retryAfter: resetS } });
    res.headers = { "Retry-After": String(resetS), "RateLimit-Limit": String(limit), "RateLimit-Remaining": "0", "RateLimit-Reset": String(resetS) };
    return res;
  }

  protected headers(): Record<string, string> {
    const w = this.limiter.peek();
    return { "RateLimit-Limit": String(this.rateLimit.limit), "RateLimit-Remaining": String(w.remaining), "RateLimit-Reset": String(Math.ceil(w.resetMs / 1000)) };
  }

  protected authorize(q: SandboxRequest): Authorized<void> {
    const key = credential(q, { bearer: true, headers: ["x-scope3-api-key"] });
    if (!key) return { refuse: this.fail(401, "Missing API key: send Authorization: Bearer <key>") };
    if (key !== this.creds.apiKey) return { refuse: this.fail(401, "Invalid API key") };
    if (nonJsonBody(q, ["POST", "PUT"])) return { refuse: this.fail(400, `Content-Type must be application/json, got ${q.contentType || "(none)"}`) };
    return { auth: undefined };
  }

  // ---- validation ----

  private validate(body: unknown, partial: boolean): SandboxResponse | undefined {
    const v = new Issues();
    if (!body || typeof body !== "object" || Array.isArray(body)) return this.fail(400, "Request body must be a JSON object");
    const b = body as JsonObject;
    const has = (k: string) => b[k] !== undefined;
    const need = (k: string) => {
      if (!partial && !has(k)) v.issue([k], "Required", "invalid_type");
      return has(k) && b[k] !== null;
    };
    if (need("advertiserId") && v.type(["advertiserId"], b.advertiserId, "integer") && (b.advertiserId < 1 || b.advertiserId > API.MAX_SAFE_ID)) v.issue(["advertiserId"], "Number must be a positive safe integer", "too_big");
    if (need("name") && v.type(["name"], b.name, "string") && (b.name.length < 1 || b.name.length > API.MAX_NAME)) v.issue(["name"], `String must contain between 1 and ${API.MAX_NAME} character(s)`, "too_big");
    if (need("flightDates") && v.type(["flightDates"], b.flightDates, "object")) {
      for (const k of ["startDate", "endDate"]) {
        const d = b.flightDates[k];
        if (typeof d !== "string" || !isDateTime(d)) v.issue(["flightDates", k], "Invalid datetime", "invalid_string");
      }
      if (isDateTime(String(b.flightDates.startDate)) && isDateTime(String(b.flightDates.endDate)) && Date.parse(String(b.flightDates.endDate)) <= Date.parse(String(b.flightDates.startDate))) {
        v.issue(["flightDates", "endDate"], "endDate must be after startDate");
      }
    }
    if (need("budget") && v.type(["budget"], b.budget, "object")) {
      const g = b.budget;
      if ((!partial || g.total !== undefined) && v.type(["budget", "total"], g.total, "number") && g.total <= 0) v.issue(["budget", "total"], "Number must be greater than 0", "too_small");
      if (g.currency !== undefined && (typeof g.currency !== "string" || g.currency.length !== 3)) v.issue(["budget", "currency"], "String must contain exactly 3 character(s)", "too_small");
      if (g.dailyCap !== undefined && g.dailyCap !== null && v.type(["budget", "dailyCap"], g.dailyCap, "number") && g.dailyCap <= 0) v.issue(["budget", "dailyCap"], "Number must be greater than 0", "too_small");
      if (g.pacing !== undefined) v.enumOf(["budget", "pacing"], g.pacing, API.PACING);
    }
    if (need("campaignType")) v.enumOf(["campaignType"], b.campaignType, API.CAMPAIGN_TYPES);
    if (has("brief") && b.brief !== null && v.type(["brief"], b.brief, "string") && b.brief.length > API.MAX_BRIEF) v.issue(["brief"], `String must contain at most ${API.MAX_BRIEF} character(s)`, "too_big");
    if (has("constraints") && b.constraints !== null) v.type(["constraints"], b.constraints, "object");
    if (has("storefrontIds") && v.type(["storefrontIds"], b.storefrontIds, "array")) {
      if (b.storefrontIds.length > API.MAX_STOREFRONTS) v.issue(["storefrontIds"], `Array must contain at most ${API.MAX_STOREFRONTS} element(s)`, "too_big");
      b.storefrontIds.forEach((x: unknown, i: number) => v.type(["storefrontIds", i], x, "integer"));
    }
    if (has("mode")) v.enumOf(["mode"], b.mode, CREATE_MODES);
    if (has("optimizationApplyMode")) v.enumOf(["optimizationApplyMode"], b.optimizationApplyMode, API.OPTIMIZATION_APPLY_MODES);
    if (has("performanceConfig") && b.performanceConfig !== null && v.type(["performanceConfig"], b.performanceConfig, "object")) {
      const goals = b.performanceConfig.optimizationGoals;
      if (v.type(["performanceConfig", "optimizationGoals"], goals, "array") && goals.length < 1) v.issue(["performanceConfig", "optimizationGoals"], "Array must contain at least 1 element(s)", "too_small");
    }
    if (has("pacingPeriods") && b.pacingPeriods !== null && v.type(["pacingPeriods"], b.pacingPeriods, "object")) {
      v.enumOf(["pacingPeriods", "mode"], b.pacingPeriods.mode, API.PACING_PERIOD_MODES);
      const ps = b.pacingPeriods.periods;
      if (v.type(["pacingPeriods", "periods"], ps, "array")) {
        if (ps.length < 1 || ps.length > API.MAX_PACING_PERIODS) v.issue(["pacingPeriods", "periods"], `Array must contain between 1 and ${API.MAX_PACING_PERIODS} element(s)`, "too_small");
        ps.forEach((p, i) => {
          if (!v.type(["pacingPeriods", "periods", i], p, "object")) return;
          if (typeof p.label !== "string" || p.label.length < 1 || p.label.length > 100) v.issue(["pacingPeriods", "periods", i, "label"], "String must contain between 1 and 100 character(s)");
          for (const k of ["start", "end"]) if (typeof p[k] !== "string" || !API.DAY.test(String(p[k]))) v.issue(["pacingPeriods", "periods", i, k], "Invalid", "invalid_string");
          if (p.weight !== undefined && (typeof p.weight !== "number" || p.weight < 0 || p.weight > 10)) v.issue(["pacingPeriods", "periods", i, "weight"], "Number must be between 0 and 10");
          if (p.budget !== undefined && (typeof p.budget !== "number" || p.budget < 0)) v.issue(["pacingPeriods", "periods", i, "budget"], "Number must be greater than or equal to 0");
        });
      }
    }
    if (has("discoveryId") && b.discoveryId !== null && v.type(["discoveryId"], b.discoveryId, "string") && b.discoveryId.length < 1) v.issue(["discoveryId"], "String must contain at least 1 character(s)", "too_small");
    if (has("productIds")) {
      if (partial) v.issue(["productIds"], "Unrecognized key: productIds can only be set when the campaign is created", "unrecognized_keys");
      else if (v.type(["productIds"], b.productIds, "array")) {
        b.productIds.forEach((x: unknown, i: number) => v.type(["productIds", i], x, "string"));
        if (b.productIds.length && (typeof b.discoveryId !== "string" || !b.discoveryId)) v.issue(["productIds"], "productIds requires discoveryId");
      }
    }
    if (has("audienceConfig") && v.type(["audienceConfig"], b.audienceConfig, "object")) {
      for (const k of ["targetAudienceIds", "suppressAudienceIds"]) {
        const list = b.audienceConfig[k];
        if (list === undefined || !v.type(["audienceConfig", k], list, "array")) continue;
        if (list.length > API.MAX_AUDIENCES) v.issue(["audienceConfig", k], `Array must contain at most ${API.MAX_AUDIENCES} element(s)`, "too_big");
        list.forEach((x: unknown, i: number) => {
          if (v.type(["audienceConfig", k, i], x, "string") && !(x as string).length) v.issue(["audienceConfig", k, i], "String must contain at least 1 character(s)", "too_small");
        });
      }
      if (b.audienceConfig.deleteMissing !== undefined && typeof b.audienceConfig.deleteMissing !== "boolean") v.issue(["audienceConfig", "deleteMissing"], "Expected boolean", "invalid_type");
    }
    if (has("catalogId") && b.catalogId !== null && v.type(["catalogId"], b.catalogId, "integer") && (b.catalogId < 1 || b.catalogId > API.MAX_SAFE_ID)) v.issue(["catalogId"], "Number must be a positive safe integer", "too_big");
    if (has("utmConfig") && v.type(["utmConfig"], b.utmConfig, "object")) {
      const ps = b.utmConfig.params;
      if (v.type(["utmConfig", "params"], ps, "array")) {
        if (ps.length > API.MAX_UTM_PARAMS) v.issue(["utmConfig", "params"], `Array must contain at most ${API.MAX_UTM_PARAMS} element(s)`, "too_big");
        ps.forEach((x, i) => {
          if (!v.type(["utmConfig", "params", i], x, "object")) return;
          if (typeof x.paramKey !== "string" || !API.UTM_PARAM_KEY.test(x.paramKey)) v.issue(["utmConfig", "params", i, "paramKey"], "Invalid", "invalid_string");
          if (typeof x.paramValue !== "string" || x.paramValue.length < 1 || x.paramValue.length > API.MAX_UTM_VALUE) v.issue(["utmConfig", "params", i, "paramValue"], `String must contain between 1 and ${API.MAX_UTM_VALUE} character(s)`, "too_big");
        });
      }
      if (b.utmConfig.deleteMissing !== undefined && typeof b.utmConfig.deleteMissing !== "boolean") v.issue(["utmConfig", "deleteMissing"], "Expected boolean", "invalid_type");
    }
    if (has("dataDelivery") && v.type(["dataDelivery"], b.dataDelivery, "object") && b.dataDelivery.outputs !== undefined && v.type(["dataDelivery", "outputs"], b.dataDelivery.outputs, "array")) {
      b.dataDelivery.outputs.forEach((o, i) => {
        const at = (...k: Array<string | number>) => ["dataDelivery", "outputs", i, ...k];
        if (!v.type(at(), o, "object")) return;
        v.enumOf(at("dataDeliveryType"), o.dataDeliveryType, API.DATA_DELIVERY_TYPES);
        v.enumOf(at("cadence"), o.cadence, API.CADENCES);
        if (o.syncWeeklyDay !== undefined && (typeof o.syncWeeklyDay !== "number" || !Number.isInteger(o.syncWeeklyDay) || o.syncWeeklyDay < 0 || o.syncWeeklyDay > 6)) v.issue(at("syncWeeklyDay"), "Number must be an integer between 0 and 6");
        if (o.enabled !== undefined && typeof o.enabled !== "boolean") v.issue(at("enabled"), "Expected boolean", "invalid_type");
        if (typeof o.credentialName !== "string" || o.credentialName.length > 64 || !API.CREDENTIAL_NAME.test(o.credentialName)) v.issue(at("credentialName"), "Invalid", "invalid_string");
        if (v.type(at("deliveryConfig"), o.deliveryConfig, "object")) {
          const d = o.deliveryConfig;
          v.enumOf(at("deliveryConfig", "type"), d.type, API.DESTINATIONS);
          if (d.pathPrefix !== undefined && (typeof d.pathPrefix !== "string" || d.pathPrefix.length > API.MAX_PATH_PREFIX)) v.issue(at("deliveryConfig", "pathPrefix"), `String must contain at most ${API.MAX_PATH_PREFIX} character(s)`, "too_big");
          if (d.format !== undefined) v.enumOf(at("deliveryConfig", "format"), d.format, API.FORMATS);
        }
      });
    }
    if (has("frequencyCaps") && v.type(["frequencyCaps"], b.frequencyCaps, "array")) {
      b.frequencyCaps.forEach((f, i) => {
        if (!v.type(["frequencyCaps", i], f, "object")) return;
        v.type(["frequencyCaps", i, "max_impressions"], f.max_impressions, "integer");
        if (v.type(["frequencyCaps", i, "window"], f.window, "object")) {
          if (typeof f.window.interval !== "number" || f.window.interval < 1) v.issue(["frequencyCaps", i, "window", "interval"], "Number must be greater than or equal to 1");
          v.enumOf(["frequencyCaps", i, "window", "unit"], f.window.unit, API.FREQUENCY_CAP_UNITS);
        }
      });
    }
    return v.answer();
  }

  // ---- handlers ----

  private find(id: string): Campaign | undefined {
    return this.s.campaigns[id];
  }

  private notFound(id: string): SandboxResponse {
    return this.fail(404, `Campaign ${id} not found`);
  }

  /** Applies the writable fields of a (validated) body to a campaign. */
  private apply(c: Campaign, b: CampaignBody, now: string) {
    if (b.name !== undefined) c.name = b.name;
    // (A null passes validate as sent and fails here, a 500, as it always has.)
    if (b.flightDates !== undefined) c.flightDates = { startDate: b.flightDates!.startDate, endDate: b.flightDates!.endDate };
    if (b.budget !== undefined) {
      // Partial budget updates keep the fields not sent.
      const merged: CampaignBody["budget"] = { ...(c.budget ?? {}), ...b.budget };
      c.budget = { total: merged.total as number, currency: merged.currency ?? "USD", ...(merged.dailyCap != null ? { dailyCap: merged.dailyCap } : {}), ...(merged.pacing ? { pacing: merged.pacing } : {}) };
      c.mediaBudget = { total: c.budget.total, currency: c.budget.currency };
      c.unallocatedBudget = c.budget.total - (c.allocatedBudget ?? 0);
    }
    for (const k of ["brief", "constraints", "performanceConfig", "pacingPeriods"]) {
      if (b[k] === null) delete c[k];
      else if (b[k] !== undefined) c[k] = b[k];
    }
    if (b.optimizationApplyMode !== undefined) c.optimizationApplyMode = b.optimizationApplyMode;
    if (b.storefrontIds !== undefined) c.storefronts = b.storefrontIds.map((id) => ({ id, platformId: `storefront-${id}`, name: `Storefront ${id}` }));
    if (b.discoveryId === null) delete c.discoveryId;
    else if (b.discoveryId !== undefined) c.discoveryId = b.discoveryId;
    if (b.productIds !== undefined) {
      c.products = b.productIds.map((productId) => ({ productId }));
      c.productCount = c.products.length;
    }
    if (b.catalogId === null) delete c.catalogId;
    else if (b.catalogId !== undefined) c.catalogId = b.catalogId;
    if (b.audienceConfig !== undefined) {
      // Additive unless deleteMissing: true (update docs); on create the listed audiences are attached.
      const keep = b.audienceConfig.deleteMissing === true ? [] : (c.audiences ?? []);
      const sent = [
        ...(b.audienceConfig.targetAudienceIds ?? []).map((audienceId) => ({ audienceId, type: "TARGET" })),
        ...(b.audienceConfig.suppressAudienceIds ?? []).map((audienceId) => ({ audienceId, type: "SUPPRESS" })),
      ];
      const merged = [...keep.filter((a) => !sent.some((x) => x.audienceId === a.audienceId)), ...sent.map((x) => ({ ...x, name: null, status: "READY", enabledAt: now }))];
      c.audiences = merged;
    }
    if (b.utmConfig !== undefined) {
      // Additive unless deleteMissing: true (update docs). Reported as the advertiser's are, with `source` (inferred for campaigns).
      const keep = b.utmConfig.deleteMissing === true ? [] : (c.utmConfig ?? []);
      const sent = (b.utmConfig.params ?? []).map((p) => ({ paramKey: p.paramKey, paramValue: p.paramValue, source: "campaign" }));
      c.utmConfig = [...keep.filter((p) => !sent.some((x) => x.paramKey === p.paramKey)), ...sent];
    }
    if (b.dataDelivery !== undefined && b.dataDelivery.outputs !== undefined) {
      // The outputs sent are the campaign's outputs (inferred: a sent list replaces the old one).
      c.dataDelivery = {
        outputs: b.dataDelivery.outputs.map((o, i) => ({
          outputConfigId: `ddo_${c.campaignId.slice(4)}_${i}`, dataDeliveryType: o.dataDeliveryType, cadence: o.cadence,
          ...(o.syncWeeklyDay !== undefined ? { syncWeeklyDay: o.syncWeeklyDay } : {}), enabled: o.enabled ?? true,
          credentialId: `cred_${o.credentialName}`, credentialName: o.credentialName,
          deliveryConfig: { type: o.deliveryConfig.type, pathPrefix: o.deliveryConfig.pathPrefix ?? "", format: o.deliveryConfig.format ?? "JSONL" },
          source: "campaign", createdAt: now, updatedAt: now,
        })),
      };
    }
    if (b.frequencyCaps !== undefined) {
      c.frequencyCaps = b.frequencyCaps.map((f, i) => ({
        max_impressions: f.max_impressions, window: { interval: f.window.interval, unit: f.window.unit },
        id: `${c.campaignId.slice(4)}${i}`, targetLevel: "CAMPAIGN", targetId: c.campaignId, createdAt: now, updatedAt: now,
      }));
    }
    c.updatedAt = now;
  }

  private create(q: SandboxRequest): SandboxResponse {
    const bad = this.validate(q.body, false);
    if (bad) return bad;
    const b = q.body as CampaignBody; // validated
    const now = new Date().toISOString();
    const id = `cmp_${this.nextId("nextId")}`;
    const c: Campaign = {
      campaignId: id, advertiserId: String(b.advertiserId), name: b.name, status: "DRAFT",
      optimizationApplyMode: "AUTO", createdAt: now, updatedAt: now, mediaBuyRefs: [], campaignType: b.campaignType, ...(b.mode !== undefined ? { mode: b.mode } : {}),
      fees: [], allocatedBudget: 0, storefronts: [], productCount: 0, products: [], audiences: [], mediaBuys: [], frequencyCaps: [],
    };
    this.apply(c, b, now);
    c.createdAt = now;
    this.s.campaigns[id] = c;
    return json(201, { campaign: c });
  }

  private get(q: SandboxRequest): SandboxResponse {
    const c = this.find(q.params.id);
    return c ? json(200, { campaign: c }) : this.notFound(q.params.id);
  }

  private list(q: SandboxRequest): SandboxResponse {
    const take = intParam(q.query.take, 50);
    const skip = intParam(q.query.skip, 0);
    if (!Number.isInteger(take) || take < 1 || take > 250) return this.fail(400, "take: Number must be between 1 and 250", { code: "VALIDATION_ERROR", field: "take" });
    if (!Number.isInteger(skip) || skip < 0) return this.fail(400, "skip: Number must be greater than or equal to 0", { code: "VALIDATION_ERROR", field: "skip" });
    const statuses = q.query.status === undefined ? [] : ([] as unknown[]).concat(q.query.status).flatMap((s) => String(s).split(","));
    for (const s of statuses) if (!(API.STATUSES as readonly string[]).includes(s)) return this.fail(400, `status: Invalid enum value '${s}'`, { code: "VALIDATION_ERROR", field: "status" });
    const includeArchived = q.query.includeArchived === "true" || statuses.includes("ARCHIVED");
    let items = Object.values(this.s.campaigns);
    if (q.query.advertiserId !== undefined) items = items.filter((c) => c.advertiserId === String(q.query.advertiserId));
    if (q.query.name) items = items.filter((c) => String(c.name).toLowerCase().includes(String(q.query.name).toLowerCase()));
    if (statuses.length) items = items.filter((c) => statuses.includes(c.status));
    if (!includeArchived) items = items.filter((c) => c.status !== "ARCHIVED");
    const slice = offsetPage(items, skip, take).slice;
    this.listWork.built += slice.length;
    const page = slice.map((c) => ({
      campaignId: c.campaignId, advertiserId: c.advertiserId, name: c.name, status: c.status, campaignType: c.campaignType,
      flightDates: c.flightDates, budget: { total: c.budget?.total, currency: c.budget?.currency }, productCount: c.productCount,
      createdAt: c.createdAt, updatedAt: c.updatedAt,
    }));
    return json(200, { campaigns: page, total: items.length });
  }

  private update(q: SandboxRequest): SandboxResponse {
    const c = this.find(q.params.id);
    if (!c) return this.notFound(q.params.id);
    if (c.status === "ARCHIVED") return this.fail(409, `Campaign ${c.campaignId} is ARCHIVED and cannot be updated`);
    const sent = q.body ?? {};
    const bad = this.validate(sent, true);
    if (bad) return bad;
    const b = sent as CampaignBody; // validated
    if (b.campaignType !== undefined && b.campaignType !== c.campaignType) return this.fail(400, "campaignType is immutable after creation", { code: "VALIDATION_ERROR", field: "campaignType" });
    if (b.advertiserId !== undefined && String(b.advertiserId) !== c.advertiserId) return this.fail(400, "advertiserId cannot be changed", { code: "VALIDATION_ERROR", field: "advertiserId" });
    const currency = b.budget?.currency;
    if (currency !== undefined && currency !== c.budget?.currency) {
      return this.fail(400, `Budget currency ${currency} does not match the advertiser's currency ${c.budget?.currency}`, { code: "CURRENCY_MISMATCH", field: "budget.currency" });
    }
    if (b.pacingPeriods !== undefined && c.status !== "DRAFT") return this.fail(409, `pacingPeriods can only be changed while the campaign is DRAFT (it is ${c.status})`, { field: "pacingPeriods" });
    this.apply(c, b, new Date().toISOString());
    return json(200, { campaign: c });
  }

  private remove(q: SandboxRequest): SandboxResponse {
    const c = this.find(q.params.id);
    if (!c) return this.notFound(q.params.id);
    // Soft delete: any status -> ARCHIVED (again is a no-op).
    c.status = "ARCHIVED";
    c.updatedAt = new Date().toISOString();
    for (const m of c.mediaBuyRefs ?? []) m.status = "ARCHIVED";
    return { status: 204 };
  }

  private transition(q: SandboxRequest, action: "execute" | "pause" | "reactivate"): SandboxResponse {
    const c = this.find(q.params.id);
    if (!c) return this.notFound(q.params.id);
    // The buyer contract: execute takes a JSON object body (`{}` is enough, or `{"debug": true}`).
    if (action === "execute" && (q.bodyKind !== "json" || !q.body || typeof q.body !== "object" || Array.isArray(q.body))) {
      return this.fail(400, `${action} takes a JSON object body ({} is enough)`, { code: "VALIDATION_ERROR" });
    }
    const rule = { execute: ["DRAFT", "ACTIVE"], pause: ["ACTIVE", "PAUSED"], reactivate: ["PAUSED", "ACTIVE"] }[action];
    const previousStatus = c.status;
    if (previousStatus !== rule[0]) {
      return this.fail(409, `Cannot ${action} campaign ${c.campaignId}: illegal state transition from ${previousStatus} (${action} requires ${rule[0]})`, { field: "status", details: { currentStatus: previousStatus, requiredStatus: rule[0] } });
    }
    c.status = rule[1];
    c.updatedAt = new Date().toISOString();
    // The discovery session and its products are reported only while DRAFT; after execution they are media buys.
    if (action === "execute") {
      delete c.discoveryId;
      delete c.products;
      delete c.productCount;
    }
    if (action === "execute") return json(200, { campaignId: c.campaignId, previousStatus, newStatus: c.status, success: true });
    return json(200, { campaignId: c.campaignId, previousStatus, newStatus: c.status, mediaBuyResults: [], successCount: 0, failureCount: 0 });
  }
}
