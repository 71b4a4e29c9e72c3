import { SandboxRequest, SandboxResponse, json } from "../routes";
import { Authorized, EmulatorBase, ErrorShape, JsonObject, RateLimiter, credential, fieldsOf, intParam, isOneOf, nonJsonBody, numberedPage } from "../emulator";

/**
 * What the Integr8 API accepts, as the emulator knows it from the API's
 * documentation (see docs/integr8.md). Deliberately the emulator's own copy,
 * not the provider's constants, so the sandbox tests the provider's rules.
 */
const API = {
  APPLICATION_STATUSES: ["pending", "approved", "rejected"] as const,
  DELAY_METRICS: ["Second", "Minute", "Hour"] as const,
  HTTP_METHODS: ["GET", "POST", "PUT", "DELETE", "PATCH"] as const,
  LOG_SERVICE_TYPES: ["conversion", "click"] as const,
  MAX_DESCRIPTION: 1000,
  MAX_NAME: 255,
  MAX_PAGE_SIZE: 100,
  SERVICE_TYPES: ["click", "impression", "conversion", "event"] as const,
};

/** The sandbox's organizations; the first is the default account of tests and the demo. */
export const INTEGR8_SANDBOX = {
  apiKey: "sandbox-integr8-api-key",
  organizationId: "64f1a2b3c4d5e6f708192a3b",
  /** The organization's tracking integration ("Main web store"). */
  integrationId: "6501c0ffee00000000000001",
  /** A second integration ("Mobile app") of the same organization. */
  appIntegrationId: "6501c0ffee00000000000002",
  /** Restricted offer that requires T&Cs agreement: applications stay pending until decided. */
  restrictedOfferId: "6610aa0000000000000000a1",
  /** Public offer: applications are approved at once. */
  publicOfferId: "6610aa0000000000000000a2",
  /** Another organization, for isolation tests. */
  other: { apiKey: "sandbox-integr8-other-key", organizationId: "64f1a2b3c4d5e6f708192b4c", integrationId: "6501c0ffee00000000000b01" },
};

/** An offer of an organization's catalogue (seeded; publishers read it). */
interface Offer {
  id: string;
  name: string;
  status: string;
  access: string;
  require_terms: boolean;
  terms_and_conditions: string;
  preview_url: string;
  currency: string;
  countries: string[];
  categories: string[];
  organization: string;
  created_at: string;
  updated_at: string;
}

/** A payout of an offer: a percent (CPS) or an amount. */
interface Payout {
  id: string;
  offer_id: string;
  organization: string;
  type: string;
  percent: number | null;
  amount: number | null;
  currency: string;
  countries: string[];
  event: string;
}

/** A postback as stored: what was sent (validated), as sent, over the documented defaults. */
interface Postback {
  id: string;
  organization: string;
  integration: string;
  created_at: string;
  updated_at: string;
  [key: string]: unknown;
}

/** An offer application (access request) and its review. */
interface Application {
  id: string;
  offer_id: string;
  offer_name: string;
  organization: string;
  status: string;
  reason: string;
  created_at: string;
  updated_at: string;
  decided_at: string | null;
}

/** A row of the postback logs. */
interface LogRow {
  id: string;
  organization: string;
  postback_manager_id: string;
  service_type: string;
  tx_id: string;
  offer_id: string;
  publisher: string;
  postback_ip: string;
  postback_url: string;
  method: unknown;
  status_code: number;
  error: string;
  server_response: string;
  duration_ms: number;
  process_time: string;
}

interface State {
  seq: number;
  postbacks: Record<string, Postback>;
  offers: Record<string, Offer>;
  payouts: Record<string, Payout>;
  applications: Record<string, Application>;
  /** "<org>/<offer>" -> time of agreement to the offer's T&Cs. */
  agreements: Record<string, string>;
  logs: LogRow[];
}

const NOW = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");
/** Integr8's error body: `{error}`, with `errors: [{field, detail}]` when fields are named. */
const errorShape: ErrorShape = (status, messages, fields) =>
  json(status, fields?.length ? { error: messages.join("; "), errors: fields.map((f) => ({ field: f.field, detail: f.message })) } : { error: messages.join("; ") });
const err = (status: number, message: string, fields?: Array<{ field: string; detail: string }>) =>
  errorShape(status, [message], fields?.map((f) => ({ field: f.field, message: f.detail })));

const ORGS: Record<string, { organizationId: string; integrations: string[] }> = {
  [INTEGR8_SANDBOX.apiKey]: { organizationId: INTEGR8_SANDBOX.organizationId, integrations: [INTEGR8_SANDBOX.integrationId, INTEGR8_SANDBOX.appIntegrationId] },
  [INTEGR8_SANDBOX.other.apiKey]: { organizationId: INTEGR8_SANDBOX.other.organizationId, integrations: [INTEGR8_SANDBOX.other.integrationId] },
};

function seedOffers(): { offers: Record<string, Offer>; payouts: Record<string, Payout> } {
  const org1 = INTEGR8_SANDBOX.organizationId;
  const org2 = INTEGR8_SANDBOX.other.organizationId;
  const created = "2026-01-15T09:00:00Z";
  const list: Array<[string, Omit<Offer, "organization" | "created_at" | "updated_at">, Array<Omit<Payout, "id" | "offer_id" | "organization">>]> = [
    [org1, {
      id: INTEGR8_SANDBOX.restrictedOfferId, name: "Nordic Outdoor Gear - CPS", status: "active", access: "restricted", require_terms: true,
      terms_and_conditions: "No brand bidding. No cashback or incentive traffic. Email traffic only with prior approval.",
      preview_url: "https://nordic-outdoor.example/", currency: "EUR", countries: ["SE", "NO", "DK", "FI"], categories: ["Outdoor", "Retail"],
    }, [
      { type: "CPS", percent: 8, amount: null, currency: "EUR", countries: [], event: "sale" },
      { type: "CPS", percent: 10, amount: null, currency: "EUR", countries: ["SE"], event: "sale" },
    ]],
    [org1, {
      id: INTEGR8_SANDBOX.publicOfferId, name: "VPN Shield Annual Plan - CPA", status: "active", access: "public", require_terms: false,
      terms_and_conditions: "", preview_url: "https://vpnshield.example/annual", currency: "USD", countries: [], categories: ["Software", "Security"],
    }, [
      { type: "CPA", percent: null, amount: 35, currency: "USD", countries: [], event: "conversion" },
      { type: "CPA", percent: null, amount: 40, currency: "USD", countries: ["US", "CA"], event: "conversion" },
    ]],
    [org1, {
      id: "6610aa0000000000000000a3", name: "Tile Match Saga - Android CPI", status: "active", access: "restricted", require_terms: false,
      terms_and_conditions: "", preview_url: "https://play.google.com/store/apps/details?id=example.tilematch", currency: "USD", countries: ["US", "GB", "DE"], categories: ["Mobile", "Games"],
    }, [{ type: "CPI", percent: null, amount: 1.2, currency: "USD", countries: [], event: "install" }]],
    [org1, {
      id: "6610aa0000000000000000a4", name: "SafeHome Insurance Quote - CPL", status: "paused", access: "restricted", require_terms: true,
      terms_and_conditions: "UK traffic only. Leads must be 18+. No co-registration.", preview_url: "https://safehome.example/quote", currency: "GBP", countries: ["GB"], categories: ["Finance", "Insurance"],
    }, [{ type: "CPL", percent: null, amount: 12, currency: "GBP", countries: ["GB"], event: "lead" }]],
    [org1, {
      id: "6610aa0000000000000000a5", name: "FreshBox Meal Kits - First Box CPA", status: "active", access: "public", require_terms: false,
      terms_and_conditions: "", preview_url: "https://freshbox.example/", currency: "EUR", countries: ["DE", "AT", "NL"], categories: ["Food", "Subscription"],
    }, [
      { type: "CPA", percent: null, amount: 18, currency: "EUR", countries: ["DE"], event: "first_box" },
      { type: "CPA", percent: null, amount: 15, currency: "EUR", countries: ["AT", "NL"], event: "first_box" },
      { type: "CPS", percent: 5, amount: null, currency: "EUR", countries: [], event: "renewal" },
    ]],
    [org2, {
      id: "6610bb0000000000000000b1", name: "Other Network Private Offer", status: "active", access: "restricted", require_terms: false,
      terms_and_conditions: "", preview_url: "https://private.example/", currency: "USD", countries: ["US"], categories: ["Finance"],
    }, [{ type: "CPA", percent: null, amount: 50, currency: "USD", countries: [], event: "conversion" }]],
  ];
  const offers: Record<string, Offer> = {};
  const payouts: Record<string, Payout> = {};
  let p = 0;
  for (const [org, offer, pays] of list) {
    offers[offer.id] = { ...offer, organization: org, created_at: created, updated_at: created };
    for (const pay of pays) {
      const id = `6620cc${String(++p).padStart(18, "0")}`;
      payouts[id] = { id, offer_id: offer.id, organization: org, ...pay };
    }
  }
  return { offers, payouts };
}

/** Deterministic postback history for the default organization, 2026-03-01 .. 2026-03-03. */
function seedLogs(): LogRow[] {
  const logs: LogRow[] = [];
  for (let i = 0; i < 24; i++) {
    const conv = i % 3 !== 0;
    const failed = i % 8 === 5;
    const t = new Date(Date.UTC(2026, 2, 1 + Math.floor(i / 8), 6 + (i % 8) * 2, (i * 7) % 60, 0));
    logs.push({
      id: `6630dd${String(i + 1).padStart(18, "0")}`,
      organization: INTEGR8_SANDBOX.organizationId,
      postback_manager_id: conv ? "6640ee000000000000000001" : "6640ee000000000000000002",
      service_type: conv ? "conversion" : "click",
      tx_id: `TX${String(100000 + i)}`,
      offer_id: i % 2 ? INTEGR8_SANDBOX.publicOfferId : INTEGR8_SANDBOX.restrictedOfferId,
      publisher: "pub-1001",
      postback_ip: "203.0.113.10",
      postback_url: conv ? `https://tracker.example/postback?tx=TX${100000 + i}&status=approved` : `https://tracker.example/click?tx=TX${100000 + i}`,
      method: "GET",
      status_code: failed ? 500 : 200,
      error: failed ? "upstream responded 500 Internal Server Error" : "",
      server_response: failed ? "Internal Server Error" : "OK",
      duration_ms: 40 + ((i * 37) % 400),
      process_time: t.toISOString().replace(/\.\d+Z$/, "Z"),
    });
  }
  return logs;
}

const fresh = (): State => ({ seq: 0, postbacks: {}, ...seedOffers(), applications: {}, agreements: {}, logs: seedLogs() });

/** `filter[field][op]=value` over plain objects (dots reach nested fields). */
export function applyFilters<T extends object>(items: T[], filter: unknown): T[] | string {
  if (filter === undefined) return items;
  if (!filter || typeof filter !== "object") return "filter must be filter[field][operator]=value";
  let out = items;
  for (const [field, spec] of Object.entries(filter)) {
    const ops: object = spec && typeof spec === "object" ? spec : { eq: spec };
    for (const [op, raw] of Object.entries(ops)) {
      const get = (o: T) => field.split(".").reduce<unknown>((v, k) => (v == null ? undefined : (v as Record<string, unknown>)[k]), o);
      const num = (v: unknown) => (v === null || v === "" || v === undefined ? NaN : Number(v));
      const value = String(raw);
      const tests: Record<string, (v: unknown) => boolean> = {
        eq: (v) => String(v) === value,
        ne: (v) => String(v) !== value,
        match: (v) => String(v ?? "").toLowerCase().includes(value.toLowerCase()),
        in: (v) => value.split(",").includes(String(v)),
        gte: (v) => num(v) >= num(value),
        lte: (v) => num(v) <= num(value),
        gt: (v) => num(v) > num(value),
        lt: (v) => num(v) < num(value),
      };
      const test: ((v: unknown) => boolean) | undefined = tests[op];
      if (!test) return `unknown filter operator ${op} on ${field}; use eq, ne, match, in, gte, lte, gt or lt`;
      out = out.filter((o) => {
        const v = get(o);
        return Array.isArray(v) ? v.some(test) : test(v);
      });
    }
  }
  return out;
}

function applySort<T extends object>(items: T[], sort: unknown): T[] {
  if (typeof sort !== "string" || !sort) return items;
  const keys = sort.split(",").map((k) => k.trim()).filter(Boolean);
  return [...items].sort((a, b) => {
    for (const k of keys) {
      const desc = k.startsWith("-");
      const f = desc ? k.slice(1) : k;
      const x = (a as Record<string, unknown>)[f], y = (b as Record<string, unknown>)[f];
      const c = typeof x === "number" && typeof y === "number" ? x - y : String(x ?? "").localeCompare(String(y ?? ""));
      if (c) return desc ? -c : c;
    }
    return 0;
  });
}

/**
 * Integr8 publisher API emulator: `API-KEY` check, organization scoping (a
 * key reaches only its organization; other organizations' objects are 404),
 * postbacks (PostbackManager), offers and payouts seeded with a few records,
 * offer applications with a status that the sandbox admin route switches,
 * postback logs, numbered pagination in a `data` envelope, 400s for missing
 * fields and bad enums, and a per-key rate limit answering 429 with
 * Retry-After. Its routes are written here from the API docs, not taken from
 * the client's route table (integr8/routes.ts), so a wrong client URL fails.
 */
export class Integr8Sandbox extends EmulatorBase<State, string> {
  readonly name = "integr8";
  readonly bodyFormat = "json";
  readonly errorShape = errorShape;
  /** Requests per key per second before 429 (the real limit is not published). */
  rateLimitPerSecond = 100;
  private limiter = new RateLimiter(() => ({ limit: this.rateLimitPerSecond, windowMs: 1000 }));

  constructor() {
    super(fresh);
    // The publisher API's routes as the emulator knows them (docs/integr8.md), written
    // here and not taken from the client's route table, so a wrong client URL fails here.
    const ORG = "/api/v2/publisher-view/:organizationID";
    const r = (method: string, path: string, handler: (q: SandboxRequest, org: string) => SandboxResponse) =>
      this.route(method, ORG + path, handler, { creates: method === "POST" });
    r("GET", "/postbacks", (q, org) => this.page(this.ofOrg(this.s.postbacks, org), q));
    r("POST", "/postbacks", (q, org) => this.createPostback(q, org));
    // Bulk routes precede "/postbacks/{postbackID}" so "status" is not taken for an id.
    r("POST", "/postbacks/bulk-delete", (q, org) => this.bulkDelete(q, org));
    r("PATCH", "/postbacks/status", (q, org) => this.bulkStatus(q, org));
    r("GET", "/postbacks/:postbackID", (q, org) => this.one(this.postback(q, org), "Postback"));
    r("PATCH", "/postbacks/:postbackID", (q, org) => this.updatePostback(q, org));
    r("DELETE", "/postbacks/:postbackID", (q, org) => this.deletePostback(q, org));
    r("GET", "/postback-logs", (q, org) => this.listLogs(q, org));
    r("GET", "/offers", (q, org) => this.page(this.ofOrg(this.s.offers, org).map((o) => this.offerView(o)), q));
    r("GET", "/offers/:offerID", (q, org) => this.one(this.offer(q, org) && this.offerView(this.offer(q, org)!), "Offer"));
    r("GET", "/offers/:offerID/payouts", (q, org) => {
      const offer = this.offer(q, org);
      if (!offer) return err(404, "Offer not found");
      return this.page(Object.values(this.s.payouts).filter((p) => p.offer_id === offer.id).map(({ organization, ...p }) => p), q);
    });
    r("PATCH", "/offers/:offerID/terms", (q, org) => this.agree(q, org));
    r("POST", "/offers/:offerID/access-requests", (q, org) => this.apply(q, org));
    r("GET", "/offers/:offerID/access-requests/:offerAccessRequestID", (q, org) => this.one(this.application(q, org), "Offer application"));
    r("DELETE", "/offers/:offerID/access-requests/:offerAccessRequestID", (q, org) => {
      const a = this.application(q, org);
      if (!a) return err(404, "Offer application not found");
      delete this.s.applications[a.id];
      return json(200, { message: "Offer application deleted", data: { id: a.id } });
    });
    r("GET", "/offer-access-requests", (q, org) => this.page(this.ofOrg(this.s.applications, org), q));
    // Sandbox administration (not part of Integr8): decide an application, fire a postback.
    this.route("POST", "/__sandbox/offer-access-requests/:id", (q) => this.adminDecide(q), { open: true });
    this.route("POST", "/__sandbox/postbacks/:id/fire", (q) => this.adminFire(q), { open: true });
  }

  protected onReset() {
    this.limiter.clear();
    this.rateLimitPerSecond = 100;
  }
  inventory() {
    return {
      postbacks: Object.values(this.s.postbacks),
      offerApplications: Object.values(this.s.applications),
    };
  }

  /** Sets an application's status, as the network's review would. */
  decide(id: string, status: (typeof API.APPLICATION_STATUSES)[number], reason?: string): Application {
    const a = this.s.applications[id];
    if (!a) throw new Error(`no offer application ${id}`);
    Object.assign(a, { status, reason: reason ?? "", decided_at: status === "pending" ? null : NOW(), updated_at: NOW() });
    return a;
  }

  /** Adds offers (with one CPA payout each) to an organization, for pagination tests. */
  addOffers(count: number, org = INTEGR8_SANDBOX.organizationId, namePrefix = "Generated Offer"): Offer[] {
    const out: Offer[] = [];
    for (let i = 0; i < Math.min(count, 10_000); i++) {
      const id = this.newId("6610ff");
      const offer: Offer = { id, name: `${namePrefix} ${i + 1}`, status: "active", access: "public", require_terms: false, terms_and_conditions: "", preview_url: `https://offers.example/${i + 1}`, currency: "USD", countries: [], categories: ["Generated"], organization: org, created_at: NOW(), updated_at: NOW() };
      this.s.offers[id] = offer;
      const pid = this.newId("6620ff");
      this.s.payouts[pid] = { id: pid, offer_id: id, organization: org, type: "CPA", percent: null, amount: 10 + i, currency: "USD", countries: [], event: "conversion" };
      out.push(offer);
    }
    return out;
  }

  private newId(prefix = "6640ee"): string {
    return `${prefix}${this.nextId("seq").toString(16).padStart(24 - prefix.length, "0")}`;
  }

  /** A per-key limit over a one-second window. */
  before(q: SandboxRequest): SandboxResponse | undefined {
    if (q.path.startsWith("/__sandbox/")) return undefined;
    if (!this.limiter.hit(String(q.headers["api-key"] ?? "")).limited) return undefined;
    return { ...err(429, "Too Many Requests: too many requests hit the API too quickly. We recommend an exponential backoff of your requests."), headers: { "Retry-After": "1" } };
  }

  protected authorize(q: SandboxRequest): Authorized<string> {
    const key = credential(q, { headers: ["api-key"] });
    if (!key) return { refuse: err(401, "No valid API key provided: send it in the API-KEY header.") };
    const account = ORGS[key];
    if (!account) return { refuse: err(401, "No valid API key provided.") };
    if (q.params.organizationID !== account.organizationId) return { refuse: err(403, "The API key doesn't have permissions to perform the request.") };
    if (nonJsonBody(q, ["POST", "PATCH", "PUT", "DELETE"])) return { refuse: err(400, `Request body must be application/json, got ${q.contentType || "(none)"}`) };
    return { auth: account.organizationId };
  }

  private ofOrg<T extends { organization: string }>(store: Record<string, T>, org: string): T[] {
    return Object.values(store).filter((o) => o.organization === org);
  }

  private page<T extends object>(items: T[], q: SandboxRequest): SandboxResponse {
    const filtered = applyFilters(items, q.query.filter);
    if (typeof filtered === "string") return err(400, filtered);
    const sorted = applySort(filtered, q.query.sort);
    const p = fieldsOf(q.query.page);
    const size = intParam(p.size, 20);
    const number = intParam(p.number, 1);
    if (!Number.isInteger(size) || size < 1 || size > API.MAX_PAGE_SIZE) return err(400, `page[size] must be from 1 to ${API.MAX_PAGE_SIZE}`, [{ field: "page[size]", detail: `must be from 1 to ${API.MAX_PAGE_SIZE}` }]);
    if (!Number.isInteger(number) || number < 1) return err(400, "page[number] must be a whole number >= 1", [{ field: "page[number]", detail: "must be >= 1" }]);
    const { slice, total, pages } = numberedPage(sorted, number, size);
    this.listWork.built += slice.length;
    return json(200, { data: slice, meta: { total_count: total, total_page: pages } });
  }

  private one(item: object | undefined, what: string): SandboxResponse {
    return item ? json(200, { data: item }) : err(404, `${what} not found`);
  }

  private postback(q: SandboxRequest, org: string): Postback | undefined {
    const p = this.s.postbacks[q.params.postbackID];
    return p && p.organization === org ? p : undefined;
  }
  private offer(q: SandboxRequest, org: string): Offer | undefined {
    const o = this.s.offers[q.params.offerID];
    return o && o.organization === org ? o : undefined;
  }
  private application(q: SandboxRequest, org: string): Application | undefined {
    const a = this.s.applications[q.params.offerAccessRequestID];
    return a && a.organization === org && a.offer_id === q.params.offerID ? a : undefined;
  }

  private offerView(o: Offer): Offer & { terms_agreed: boolean; terms_agreed_at: string | null } {
    const agreed = this.s.agreements[`${o.organization}/${o.id}`];
    return { ...o, terms_agreed: Boolean(agreed), terms_agreed_at: agreed ?? null };
  }

  private validatePostback(b: JsonObject, partial: boolean, org: string): Array<{ field: string; detail: string }> {
    const e: Array<{ field: string; detail: string }> = [];
    const allowed = partial
      ? ["name", "url", "method", "body", "active", "delay_value", "delay_metric", "description", "filters"]
      : ["name", "organization", "integration", "service_type", "url", "method", "body", "active", "delay_value", "delay_metric", "description", "filters"];
    for (const k of Object.keys(b)) {
      if (!allowed.includes(k)) e.push({ field: k, detail: partial && ["organization", "integration", "service_type"].includes(k) ? "cannot be updated" : "unknown field" });
    }
    if (!partial) for (const k of ["name", "organization", "integration", "service_type", "url"]) if (b[k] === undefined || b[k] === null || b[k] === "") e.push({ field: k, detail: "is required" });
    const str = (k: string, max: number) => { if (b[k] !== undefined && (typeof b[k] !== "string" || b[k].length > max)) e.push({ field: k, detail: `must be a string of at most ${max} characters` }); };
    str("name", API.MAX_NAME); str("url", 2048); str("body", 10_000); str("description", API.MAX_DESCRIPTION);
    if (b.name !== undefined && typeof b.name === "string" && !b.name.trim()) e.push({ field: "name", detail: "must not be blank" });
    if (b.organization !== undefined && b.organization !== org) e.push({ field: "organization", detail: "must be the organization in the path" });
    if (b.integration !== undefined && !Object.values(ORGS).find((a) => a.organizationId === org)?.integrations.includes(String(b.integration))) e.push({ field: "integration", detail: `integration ${b.integration} not found in this organization` });
    if (b.service_type !== undefined && !isOneOf(API.SERVICE_TYPES, b.service_type)) e.push({ field: "service_type", detail: `must be one of ${API.SERVICE_TYPES.join(", ")}` });
    if (b.method !== undefined && !isOneOf(API.HTTP_METHODS, b.method)) e.push({ field: "method", detail: `must be one of ${API.HTTP_METHODS.join(", ")}` });
    if (b.delay_metric !== undefined && !isOneOf(API.DELAY_METRICS, b.delay_metric)) e.push({ field: "delay_metric", detail: `must be one of ${API.DELAY_METRICS.join(", ")}` });
    if (b.delay_value !== undefined && (typeof b.delay_value !== "number" || !Number.isInteger(b.delay_value) || b.delay_value < 0)) e.push({ field: "delay_value", detail: "must be a whole number >= 0" });
    if (b.active !== undefined && typeof b.active !== "boolean") e.push({ field: "active", detail: "must be a boolean" });
    if (b.filters !== undefined && (b.filters === null || typeof b.filters !== "object" || Array.isArray(b.filters))) e.push({ field: "filters", detail: "must be an object" });
    if (typeof b.url === "string" && !/^https?:\/\/[^\s/]+/.test(b.url)) e.push({ field: "url", detail: "must be an http or https URL" });
    return e;
  }

  private createPostback(q: SandboxRequest, org: string): SandboxResponse {
    const b = q.body;
    if (!b || typeof b !== "object" || Array.isArray(b)) return err(400, "A JSON object containing postback information is required");
    const e = this.validatePostback(fieldsOf(b), false, org);
    if (e.length) return err(400, `Invalid postback: ${e.map((x) => `${x.field} ${x.detail}`).join("; ")}`, e);
    const now = NOW();
    // What was sent is stored as sent (an update does the same): the documented defaults fill only what is absent.
    const p: Postback = {
      method: "GET", body: "", active: false, delay_value: 0, delay_metric: "Second", description: "", filters: null,
      ...b,
      id: this.newId(), organization: org, integration: String(fieldsOf(b).integration), created_at: now, updated_at: now,
    };
    this.s.postbacks[p.id] = p;
    return json(201, { data: p });
  }

  private updatePostback(q: SandboxRequest, org: string): SandboxResponse {
    const p = this.postback(q, org);
    if (!p) return err(404, "Postback not found");
    const b = q.body;
    if (!b || typeof b !== "object" || Array.isArray(b)) return err(400, "A JSON object containing postback information is required");
    const e = this.validatePostback(fieldsOf(b), true, org);
    if (e.length) return err(400, `Invalid postback: ${e.map((x) => `${x.field} ${x.detail}`).join("; ")}`, e);
    Object.assign(p, b, { updated_at: NOW() });
    return json(200, { message: "Postback updated", data: { id: p.id } });
  }

  private deletePostback(q: SandboxRequest, org: string): SandboxResponse {
    const p = this.postback(q, org);
    if (!p) return err(404, "Postback not found");
    delete this.s.postbacks[p.id];
    return json(200, { message: "Postback deleted", data: { id: p.id } });
  }

  private idList(q: SandboxRequest, org: string): string[] | SandboxResponse {
    const ids: unknown = fieldsOf(q.body).data;
    if (!Array.isArray(ids) || !ids.length || ids.some((x) => typeof x !== "string")) return err(400, "data: a non-empty array of postback IDs is required", [{ field: "data", detail: "a non-empty array of postback IDs is required" }]);
    const missing = ids.filter((id: string) => this.s.postbacks[id]?.organization !== org);
    if (missing.length) return err(404, `Postback not found: ${missing.join(", ")}`);
    return ids;
  }

  private bulkDelete(q: SandboxRequest, org: string): SandboxResponse {
    const ids = this.idList(q, org);
    if (!Array.isArray(ids)) return ids;
    for (const id of ids) delete this.s.postbacks[id];
    return json(200, { message: "Postbacks deleted", data: { deleted: ids.length } });
  }

  private bulkStatus(q: SandboxRequest, org: string): SandboxResponse {
    const active = fieldsOf(q.body).active;
    if (typeof active !== "boolean") return err(400, "active: must be a boolean", [{ field: "active", detail: "must be a boolean" }]);
    const ids = this.idList(q, org);
    if (!Array.isArray(ids)) return ids;
    for (const id of ids) Object.assign(this.s.postbacks[id], { active, updated_at: NOW() });
    return json(200, { message: "Postbacks updated", data: { updated: ids.length } });
  }

  private agree(q: SandboxRequest, org: string): SandboxResponse {
    const o = this.offer(q, org);
    if (!o) return err(404, "Offer not found");
    if (!o.require_terms) return json(200, { message: "This offer has no T&Cs to agree to" });
    this.s.agreements[`${org}/${o.id}`] ??= NOW();
    return json(200, { message: "Offer T&Cs agreed" });
  }

  private apply(q: SandboxRequest, org: string): SandboxResponse {
    const o = this.offer(q, org);
    if (!o) return err(404, "Offer not found");
    if (o.status !== "active") return err(402, `Offer ${o.id} is ${o.status} and does not accept applications`);
    if (o.require_terms && !this.s.agreements[`${org}/${o.id}`]) return err(402, `Offer ${o.id} requires agreement to its T&Cs before applying; agree to the Offer T&Cs first`);
    const existing = Object.values(this.s.applications).find((a) => a.organization === org && a.offer_id === o.id);
    if (existing) return err(400, `An application for offer ${o.id} already exists (${existing.id}, ${existing.status})`);
    const now = NOW();
    const auto = o.access === "public";
    const a: Application = {
      id: this.newId("6650aa"), offer_id: o.id, offer_name: o.name, organization: org,
      status: auto ? "approved" : "pending", reason: auto ? "Public offer" : "", created_at: now, updated_at: now, decided_at: auto ? now : null,
    };
    this.s.applications[a.id] = a;
    return json(201, { data: a });
  }

  private listLogs(q: SandboxRequest, org: string): SandboxResponse {
    const e: Array<{ field: string; detail: string }> = [];
    for (const k of ["start_date", "end_date", "start_time", "end_time"]) if (!q.query[k]) e.push({ field: k, detail: "is required" });
    for (const k of ["start_date", "end_date"]) if (q.query[k] && !/^\d{4}-\d{2}-\d{2}$/.test(String(q.query[k]))) e.push({ field: k, detail: "must be a date YYYY-MM-DD" });
    for (const k of ["start_time", "end_time"]) if (q.query[k] && !Number.isFinite(Date.parse(String(q.query[k])))) e.push({ field: k, detail: "must be a date-time" });
    const st = fieldsOf(q.query.filter).service_type;
    if (st !== undefined && !isOneOf(API.LOG_SERVICE_TYPES, typeof st === "object" ? fieldsOf(st).eq : st)) e.push({ field: "filter[service_type]", detail: `must be one of ${API.LOG_SERVICE_TYPES.join(", ")}` });
    if (e.length) return err(400, `Invalid query: ${e.map((x) => `${x.field} ${x.detail}`).join("; ")}`, e);
    const from = Math.max(Date.parse(`${q.query.start_date}T00:00:00Z`), Date.parse(String(q.query.start_time)));
    const to = Math.min(Date.parse(`${q.query.end_date}T23:59:59Z`), Date.parse(String(q.query.end_time)));
    let rows = this.s.logs.filter((l) => l.organization === org && Date.parse(l.process_time) >= from && Date.parse(l.process_time) <= to);
    rows = [...rows].sort((a, b) => b.process_time.localeCompare(a.process_time));
    const res = this.page(rows.map(({ organization, ...l }) => l), { ...q, query: { ...q.query, sort: q.query.sort } });
    const cols = q.query.columns;
    if (Array.isArray(cols) && res.status === 200) {
      const body = res.body as { data: object[] };
      body.data = body.data.map((l) => Object.fromEntries(Object.entries(l).filter(([k]) => k === "id" || cols.includes(k))));
    }
    return res;
  }

  private adminDecide(q: SandboxRequest): SandboxResponse {
    const { status, reason } = fieldsOf(q.body);
    if (!isOneOf(API.APPLICATION_STATUSES, status)) return err(400, `status must be one of ${API.APPLICATION_STATUSES.join(", ")}`);
    if (!this.s.applications[q.params.id]) return err(404, "Offer application not found");
    return json(200, { data: this.decide(q.params.id, status, reason as string | undefined) });
  }

  /** Records a postback call in the logs (no request leaves the sandbox). */
  fire(postbackId: string, txId: string, statusCode = 200): LogRow {
    const p = this.s.postbacks[postbackId];
    if (!p) throw new Error(`no postback ${postbackId}`);
    const row: LogRow = {
      id: this.newId("6630dd"), organization: p.organization, postback_manager_id: p.id,
      service_type: p.service_type === "click" ? "click" : "conversion", tx_id: txId, offer_id: INTEGR8_SANDBOX.publicOfferId,
      publisher: "pub-1001", postback_ip: "203.0.113.10",
      postback_url: String(p.url).replace(/\{(external_transaction_id|tx_id|transaction_id)\}/g, txId).replace(/\{status\}/g, "approved"),
      method: p.method, status_code: statusCode, error: statusCode >= 400 ? `upstream responded ${statusCode}` : "", server_response: statusCode >= 400 ? "error" : "OK",
      duration_ms: 120, process_time: NOW(),
    };
    this.s.logs.push(row);
    return row;
  }

  private adminFire(q: SandboxRequest): SandboxResponse {
    if (!this.s.postbacks[q.params.id]) return err(404, "Postback not found");
    return json(200, { data: this.fire(q.params.id, String(fieldsOf(q.body).tx_id ?? `TX${Date.now()}`), Number(fieldsOf(q.body).status_code ?? 200)) });
  }
}
