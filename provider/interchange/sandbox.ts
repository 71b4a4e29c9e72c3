import { NetworkEmulator, Route, SandboxRequest, SandboxResponse, bearer, json } from "../sandbox/server";
import { isRfc3339 } from "../core/validate";
import {
  CAMPAIGN_TYPES, DAY, FREQUENCY_CAP_UNITS, MAX_BRIEF, MAX_NAME, MAX_PACING_PERIODS, MAX_SAFE_ID, MAX_STOREFRONTS,
  OPTIMIZATION_APPLY_MODES, PACING, PACING_PERIOD_MODES, RATE_LIMIT, STATUSES,
} from "./constants";

/** Default sandbox account; override with `new InterchangeSandbox({...})`. */
export const INTERCHANGE_SANDBOX_CREDENTIALS = { apiKey: "scope3_sandbox_interchange_key" };

type Campaign = Record<string, any>;

interface State {
  nextId: number;
  campaigns: Record<string, Campaign>;
}

const fresh = (): State => ({ nextId: 987_654_320, campaigns: {} });

/** Interchange's error envelope. */
function fail(status: number, code: string, message: string, field?: string, details?: unknown): SandboxResponse {
  return json(status, { data: null, error: { code, message, ...(field ? { field } : {}), ...(details !== undefined ? { details } : {}) } });
}

interface Issue {
  path: Array<string | number>;
  message: string;
  code: string;
}

/** A small Zod-like validator that reports every issue with its path. */
class Issues {
  readonly list: Issue[] = [];
  add(path: Array<string | number>, message: string, code = "custom") {
    this.list.push({ path, message, code });
  }
  type(path: Array<string | number>, v: unknown, type: "string" | "number" | "object" | "array" | "integer"): boolean {
    const ok = type === "array" ? Array.isArray(v)
      : type === "object" ? !!v && typeof v === "object" && !Array.isArray(v)
      : type === "integer" ? typeof v === "number" && Number.isInteger(v)
      : typeof v === type && (type !== "number" || Number.isFinite(v as number));
    if (!ok) this.add(path, `Expected ${type}, received ${v === null ? "null" : Array.isArray(v) ? "array" : typeof v}`, "invalid_type");
    return ok;
  }
  enumOf(path: Array<string | number>, v: unknown, allowed: readonly string[]) {
    if (!allowed.includes(v as string)) this.add(path, `Invalid enum value. Expected ${allowed.map((a) => `'${a}'`).join(" | ")}, received '${String(v)}'`, "invalid_enum_value");
  }
  response(): SandboxResponse | undefined {
    if (!this.list.length) return undefined;
    const first = this.list[0];
    return fail(400, "VALIDATION_ERROR", `${first.path.join(".")}: ${first.message}`, first.path.join("."), { issues: this.list });
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
export class InterchangeSandbox implements NetworkEmulator {
  readonly name = "interchange";
  private s: State = fresh();
  readonly routes: Route[];
  /** Requests allowed per window; change it in tests (reset() restores the default). */
  rateLimit = { ...RATE_LIMIT };
  /** 429s answered so far. */
  rateLimited = 0;
  private window = { start: 0, count: 0 };

  constructor(readonly creds = INTERCHANGE_SANDBOX_CREDENTIALS) {
    const routes: Route[] = [];
    for (const prefix of ["", "/api/v2/buyer"]) {
      const r = (method: string, path: string, handler: (q: SandboxRequest) => SandboxResponse, creates = false) =>
        routes.push({ method, path: prefix + path, creates, handler: (q) => this.authed(q, handler) });
      r("GET", "/campaigns", (q) => this.list(q));
      r("POST", "/campaigns", (q) => this.create(q), true);
      r("GET", "/campaigns/:id", (q) => this.get(q));
      r("PUT", "/campaigns/:id", (q) => this.update(q));
      r("DELETE", "/campaigns/:id", (q) => this.remove(q));
      r("POST", "/campaigns/:id/execute", (q) => this.transition(q, "execute"));
      r("POST", "/campaigns/:id/pause", (q) => this.transition(q, "pause"));
      r("POST", "/campaigns/:id/reactivate", (q) => this.transition(q, "reactivate"));
    }
    this.routes = routes;
  }

  // ---- NetworkEmulator ----
  state() { return this.s; }
  load(state: unknown) { this.s = { ...fresh(), ...(state as State) }; }
  reset() {
    this.s = fresh();
    this.rateLimit = { ...RATE_LIMIT };
    this.rateLimited = 0;
    this.window = { start: 0, count: 0 };
  }
  inventory() {
    return { campaigns: Object.values(this.s.campaigns).filter((c) => c.status !== "ARCHIVED") };
  }
  /** Direct access for out-of-band edits in tests ("the dashboard"). */
  get data() { return this.s; }

  /** Fixed-window limiter over every request to this network. */
  before(_q: SandboxRequest): SandboxResponse | undefined {
    const now = Date.now();
    if (now - this.window.start >= this.rateLimit.windowMs) this.window = { start: now, count: 0 };
    this.window.count++;
    if (this.window.count <= this.rateLimit.limit) return undefined;
    this.rateLimited++;
    const resetS = Math.max(1, Math.ceil((this.window.start + this.rateLimit.windowMs - now) / 1000));
    const res = fail(429, "RATE_LIMITED", `Rate limit exceeded: ${this.rateLimit.limit} requests per ${Math.round(this.rateLimit.windowMs / 1000) || 1} s. Retry after ${resetS} s.`, undefined, { limit: this.rateLimit.limit, retryAfter: resetS });
    res.headers = { "Retry-After": String(resetS), "RateLimit-Limit": String(this.rateLimit.limit), "RateLimit-Remaining": "0", "RateLimit-Reset": String(resetS) };
    return res;
  }

  private rateHeaders(): Record<string, string> {
    const reset = Math.max(0, Math.ceil((this.window.start + this.rateLimit.windowMs - Date.now()) / 1000));
    return {
      "RateLimit-Limit": String(this.rateLimit.limit),
      "RateLimit-Remaining": String(Math.max(0, this.rateLimit.limit - this.window.count)),
      "RateLimit-Reset": String(reset),
    };
  }

  private authed(q: SandboxRequest, h: (q: SandboxRequest) => SandboxResponse): SandboxResponse {
    const key = bearer(q) ?? (q.headers["x-scope3-api-key"] as string | undefined);
    if (!key) return fail(401, "UNAUTHORIZED", "Missing API key: send Authorization: Bearer <key>");
    if (key !== this.creds.apiKey) return fail(401, "UNAUTHORIZED", "Invalid API key");
    if ((q.method === "POST" || q.method === "PUT") && q.rawBody.length && !q.contentType.includes("application/json")) {
      return fail(400, "BAD_REQUEST", `Content-Type must be application/json, got ${q.contentType || "(none)"}`);
    }
    const res = h(q);
    return { ...res, headers: { ...this.rateHeaders(), ...(res.headers ?? {}) } };
  }

  // ---- validation ----

  private validate(b: any, partial: boolean): SandboxResponse | undefined {
    const v = new Issues();
    const has = (k: string) => b[k] !== undefined;
    const need = (k: string) => {
      if (!partial && !has(k)) v.add([k], "Required", "invalid_type");
      return has(k) && b[k] !== null;
    };
    if (!b || typeof b !== "object" || Array.isArray(b)) return fail(400, "BAD_REQUEST", "Request body must be a JSON object");
    if (need("advertiserId") && v.type(["advertiserId"], b.advertiserId, "integer") && (b.advertiserId < 1 || b.advertiserId > MAX_SAFE_ID)) v.add(["advertiserId"], "Number must be a positive safe integer", "too_big");
    if (need("name") && v.type(["name"], b.name, "string") && (b.name.length < 1 || b.name.length > MAX_NAME)) v.add(["name"], `String must contain between 1 and ${MAX_NAME} character(s)`, "too_big");
    if (need("flightDates") && v.type(["flightDates"], b.flightDates, "object")) {
      for (const k of ["startDate", "endDate"]) {
        const d = b.flightDates[k];
        if (typeof d !== "string" || !isRfc3339(d)) v.add(["flightDates", k], "Invalid datetime", "invalid_string");
      }
      if (isRfc3339(String(b.flightDates.startDate)) && isRfc3339(String(b.flightDates.endDate)) && Date.parse(b.flightDates.endDate) <= Date.parse(b.flightDates.startDate)) {
        v.add(["flightDates", "endDate"], "endDate must be after startDate");
      }
    }
    if (need("budget") && v.type(["budget"], b.budget, "object")) {
      const g = b.budget;
      if ((!partial || g.total !== undefined) && v.type(["budget", "total"], g.total, "number") && g.total <= 0) v.add(["budget", "total"], "Number must be greater than 0", "too_small");
      if (g.currency !== undefined && (typeof g.currency !== "string" || g.currency.length !== 3)) v.add(["budget", "currency"], "String must contain exactly 3 character(s)", "too_small");
      if (g.dailyCap !== undefined && g.dailyCap !== null && v.type(["budget", "dailyCap"], g.dailyCap, "number") && g.dailyCap <= 0) v.add(["budget", "dailyCap"], "Number must be greater than 0", "too_small");
      if (g.pacing !== undefined) v.enumOf(["budget", "pacing"], g.pacing, PACING);
    }
    if (need("campaignType")) v.enumOf(["campaignType"], b.campaignType, CAMPAIGN_TYPES);
    if (has("brief") && b.brief !== null && v.type(["brief"], b.brief, "string") && b.brief.length > MAX_BRIEF) v.add(["brief"], `String must contain at most ${MAX_BRIEF} character(s)`, "too_big");
    if (has("constraints") && b.constraints !== null) v.type(["constraints"], b.constraints, "object");
    if (has("storefrontIds") && v.type(["storefrontIds"], b.storefrontIds, "array")) {
      if (b.storefrontIds.length > MAX_STOREFRONTS) v.add(["storefrontIds"], `Array must contain at most ${MAX_STOREFRONTS} element(s)`, "too_big");
      b.storefrontIds.forEach((x: unknown, i: number) => v.type(["storefrontIds", i], x, "integer"));
    }
    if (has("optimizationApplyMode")) v.enumOf(["optimizationApplyMode"], b.optimizationApplyMode, OPTIMIZATION_APPLY_MODES);
    if (has("performanceConfig") && b.performanceConfig !== null && v.type(["performanceConfig"], b.performanceConfig, "object")) {
      const goals = b.performanceConfig.optimizationGoals;
      if (v.type(["performanceConfig", "optimizationGoals"], goals, "array") && goals.length < 1) v.add(["performanceConfig", "optimizationGoals"], "Array must contain at least 1 element(s)", "too_small");
    }
    if (has("pacingPeriods") && b.pacingPeriods !== null && v.type(["pacingPeriods"], b.pacingPeriods, "object")) {
      v.enumOf(["pacingPeriods", "mode"], b.pacingPeriods.mode, PACING_PERIOD_MODES);
      const ps = b.pacingPeriods.periods;
      if (v.type(["pacingPeriods", "periods"], ps, "array")) {
        if (ps.length < 1 || ps.length > MAX_PACING_PERIODS) v.add(["pacingPeriods", "periods"], `Array must contain between 1 and ${MAX_PACING_PERIODS} element(s)`, "too_small");
        ps.forEach((p: any, i: number) => {
          if (!v.type(["pacingPeriods", "periods", i], p, "object")) return;
          if (typeof p.label !== "string" || p.label.length < 1 || p.label.length > 100) v.add(["pacingPeriods", "periods", i, "label"], "String must contain between 1 and 100 character(s)");
          for (const k of ["start", "end"]) if (typeof p[k] !== "string" || !DAY.test(p[k])) v.add(["pacingPeriods", "periods", i, k], "Invalid", "invalid_string");
          if (p.weight !== undefined && (typeof p.weight !== "number" || p.weight < 0 || p.weight > 10)) v.add(["pacingPeriods", "periods", i, "weight"], "Number must be between 0 and 10");
          if (p.budget !== undefined && (typeof p.budget !== "number" || p.budget < 0)) v.add(["pacingPeriods", "periods", i, "budget"], "Number must be greater than or equal to 0");
        });
      }
    }
    if (has("frequencyCaps") && v.type(["frequencyCaps"], b.frequencyCaps, "array")) {
      b.frequencyCaps.forEach((f: any, i: number) => {
        if (!v.type(["frequencyCaps", i], f, "object")) return;
        v.type(["frequencyCaps", i, "max_impressions"], f.max_impressions, "integer");
        if (v.type(["frequencyCaps", i, "window"], f.window, "object")) {
          if (typeof f.window.interval !== "number" || f.window.interval < 1) v.add(["frequencyCaps", i, "window", "interval"], "Number must be greater than or equal to 1");
          v.enumOf(["frequencyCaps", i, "window", "unit"], f.window.unit, FREQUENCY_CAP_UNITS);
        }
      });
    }
    return v.response();
  }

  // ---- handlers ----

  private find(id: string): Campaign | undefined {
    return this.s.campaigns[id];
  }

  private notFound(id: string): SandboxResponse {
    return fail(404, "NOT_FOUND", `Campaign ${id} not found`);
  }

  /** Applies the writable fields of a (validated) body to a campaign. */
  private apply(c: Campaign, b: any, now: string) {
    if (b.name !== undefined) c.name = b.name;
    if (b.flightDates !== undefined) c.flightDates = { startDate: b.flightDates.startDate, endDate: b.flightDates.endDate };
    if (b.budget !== undefined) {
      // Partial budget updates keep the fields not sent.
      const merged = { ...(c.budget ?? {}), ...b.budget };
      c.budget = { total: merged.total, currency: merged.currency ?? "USD", ...(merged.dailyCap != null ? { dailyCap: merged.dailyCap } : {}), ...(merged.pacing ? { pacing: merged.pacing } : {}) };
      c.mediaBudget = { total: c.budget.total, currency: c.budget.currency };
      c.unallocatedBudget = c.budget.total - (c.allocatedBudget ?? 0);
    }
    for (const k of ["brief", "constraints", "performanceConfig", "pacingPeriods"]) {
      if (b[k] === null) delete c[k];
      else if (b[k] !== undefined) c[k] = b[k];
    }
    if (b.optimizationApplyMode !== undefined) c.optimizationApplyMode = b.optimizationApplyMode;
    if (b.storefrontIds !== undefined) c.storefronts = b.storefrontIds.map((id: number) => ({ id, platformId: `storefront-${id}`, name: `Storefront ${id}` }));
    if (b.frequencyCaps !== undefined) {
      c.frequencyCaps = b.frequencyCaps.map((f: any, i: number) => ({
        max_impressions: f.max_impressions, window: { interval: f.window.interval, unit: f.window.unit },
        id: `${c.campaignId.slice(4)}${i}`, targetLevel: "CAMPAIGN", targetId: c.campaignId, createdAt: now, updatedAt: now,
      }));
    }
    c.updatedAt = now;
  }

  private create(q: SandboxRequest): SandboxResponse {
    const b = q.body;
    const bad = this.validate(b, false);
    if (bad) return bad;
    const now = new Date().toISOString();
    const id = `cmp_${++this.s.nextId}`;
    const c: Campaign = {
      campaignId: id, advertiserId: String(b.advertiserId), name: b.name, status: "DRAFT",
      optimizationApplyMode: "AUTO", createdAt: now, updatedAt: now, mediaBuyRefs: [], campaignType: b.campaignType,
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
    const take = q.query.take === undefined ? 50 : Number(q.query.take);
    const skip = q.query.skip === undefined ? 0 : Number(q.query.skip);
    if (!Number.isInteger(take) || take < 1 || take > 250) return fail(400, "VALIDATION_ERROR", "take: Number must be between 1 and 250", "take");
    if (!Number.isInteger(skip) || skip < 0) return fail(400, "VALIDATION_ERROR", "skip: Number must be greater than or equal to 0", "skip");
    const statuses = q.query.status === undefined ? [] : ([] as string[]).concat(q.query.status).flatMap((s) => String(s).split(","));
    for (const s of statuses) if (!(STATUSES as readonly string[]).includes(s)) return fail(400, "VALIDATION_ERROR", `status: Invalid enum value '${s}'`, "status");
    const includeArchived = q.query.includeArchived === "true" || statuses.includes("ARCHIVED");
    let items = Object.values(this.s.campaigns);
    if (q.query.advertiserId !== undefined) items = items.filter((c) => c.advertiserId === String(q.query.advertiserId));
    if (q.query.name) items = items.filter((c) => String(c.name).toLowerCase().includes(String(q.query.name).toLowerCase()));
    if (statuses.length) items = items.filter((c) => statuses.includes(c.status));
    if (!includeArchived) items = items.filter((c) => c.status !== "ARCHIVED");
    const page = items.slice(skip, skip + take).map((c) => ({
      campaignId: c.campaignId, advertiserId: c.advertiserId, name: c.name, status: c.status, campaignType: c.campaignType,
      flightDates: c.flightDates, budget: { total: c.budget?.total, currency: c.budget?.currency }, productCount: c.productCount,
      createdAt: c.createdAt, updatedAt: c.updatedAt,
    }));
    return json(200, { campaigns: page, total: items.length });
  }

  private update(q: SandboxRequest): SandboxResponse {
    const c = this.find(q.params.id);
    if (!c) return this.notFound(q.params.id);
    if (c.status === "ARCHIVED") return fail(409, "CONFLICT", `Campaign ${c.campaignId} is ARCHIVED and cannot be updated`);
    const b = q.body ?? {};
    const bad = this.validate(b, true);
    if (bad) return bad;
    if (b.campaignType !== undefined && b.campaignType !== c.campaignType) return fail(400, "VALIDATION_ERROR", "campaignType is immutable after creation", "campaignType");
    if (b.advertiserId !== undefined && String(b.advertiserId) !== c.advertiserId) return fail(400, "VALIDATION_ERROR", "advertiserId cannot be changed", "advertiserId");
    if (b.budget?.currency !== undefined && b.budget.currency !== c.budget?.currency) {
      return fail(400, "CURRENCY_MISMATCH", `Budget currency ${b.budget.currency} does not match the advertiser's currency ${c.budget?.currency}`, "budget.currency");
    }
    if (b.pacingPeriods !== undefined && c.status !== "DRAFT") return fail(409, "CONFLICT", `pacingPeriods can only be changed while the campaign is DRAFT (it is ${c.status})`, "pacingPeriods");
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
    const rule = { execute: ["DRAFT", "ACTIVE"], pause: ["ACTIVE", "PAUSED"], reactivate: ["PAUSED", "ACTIVE"] }[action];
    const previousStatus = c.status;
    if (previousStatus !== rule[0]) {
      return fail(409, "CONFLICT", `Cannot ${action} campaign ${c.campaignId}: illegal state transition from ${previousStatus} (${action} requires ${rule[0]})`, "status", { currentStatus: previousStatus, requiredStatus: rule[0] });
    }
    c.status = rule[1];
    c.updatedAt = new Date().toISOString();
    if (action === "execute") return json(200, { campaignId: c.campaignId, previousStatus, newStatus: c.status, success: true });
    return json(200, { campaignId: c.campaignId, previousStatus, newStatus: c.status, mediaBuyResults: [], successCount: 0, failureCount: 0 });
  }
}
