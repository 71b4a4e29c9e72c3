import { expect } from "chai";
import { isAbout, pathOf } from "./support/check";
import nodeFetch from "node-fetch";
import { useSandbox } from "./support/sandbox";
import { InterchangeSandbox, INTERCHANGE_SANDBOX_CREDENTIALS } from "../provider/sandbox/interchange";
import { InterchangeClient } from "../provider/interchange/client";
import { createBody } from "../provider/interchange/campaign";
import { ApiError, ConfigError, PartialCreateError } from "../provider/core/http/errors";
import { resetStackConfig } from "../provider/core/config/config";
import { UNKNOWN } from "../provider/core/schema/validate";
import * as registry from "../provider/registry";
import { contextFor } from "../provider/core/config/context";
import { network as interchangeNetwork } from "../provider/interchange/network";

const KEY = INTERCHANGE_SANDBOX_CREDENTIALS.apiKey;
const provider = registry.get("interchange:Campaign");

/** The seed's create body (S001), verbatim. */
const SEED_BODY = {
  advertiserId: 12345,
  name: "Q1 2025 Campaign",
  flightDates: { startDate: "2025-01-15T00:00:00Z", endDate: "2025-03-31T23:59:59Z" },
  budget: { total: 1, currency: "USD", dailyCap: 1, pacing: "EVEN" },
  campaignType: "DECISIONED",
};

/** The same campaign as resource inputs. */
const SEED_ARGS = JSON.parse(JSON.stringify(SEED_BODY));

/** Every optional field, to prove they round-trip without drift. */
const FULL_ARGS = {
  ...SEED_ARGS,
  name: "Retail media Q3",
  budget: { total: 5000, currency: "USD", dailyCap: 250, pacing: "FRONTLOADED" },
  brief: "Premium video inventory for tech enthusiasts",
  constraints: {
    geoCountries: ["US", "CA"], geoRegionsExclude: ["US-TX"], channels: ["display", "olv"], language: ["en"],
    geoMetros: [{ system: "nielsen_dma", values: ["501", "803"] }], deviceType: ["desktop", "mobile"], devicePlatform: ["ios"],
  },
  storefrontIds: [57, 42],
  performanceConfig: {
    optimizationGoals: [{ kind: "event", eventSources: [{ eventSourceId: "website_pixel", eventType: "purchase" }], target: { kind: "cost_per", value: 25 }, priority: 1 }],
  },
  optimizationApplyMode: "MANUAL",
  pacingPeriods: { mode: "weight", periods: [{ label: "launch", start: "2025-01-15", end: "2025-01-31", weight: 8 }, { label: "steady", start: "2025-02-01", end: "2025-03-31", weight: 4 }] },
  frequencyCaps: [{ maxImpressions: 3, window: { interval: 1, unit: "days" } }],
};

async function checked(news: Record<string, any>, olds: Record<string, any> = {}) {
  const r = await provider.check(olds, news);
  expect(r.failures, JSON.stringify(r.failures)).to.deep.equal([]);
  return r.inputs;
}

async function failures(news: Record<string, any>, olds: Record<string, any> = {}) {
  return (await provider.check(olds, news)).failures ?? [];
}

async function rawFetch(url: string, init: { method?: string; key?: string; body?: unknown } = {}) {
  const res = await nodeFetch(url, {
    method: init.method ?? "GET",
    headers: { ...(init.key !== undefined ? { Authorization: `Bearer ${init.key}` } : {}), ...(init.body !== undefined ? { "Content-Type": "application/json" } : {}) },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

describe("interchange.Campaign against the sandbox", function () {
  this.timeout(30_000);
  const ctx = useSandbox((sb) => ({ "interchange:apiKey": KEY, "interchange:baseUrl": sb.urlFor("interchange") }));
  const ic = () => ctx.sb.network<InterchangeSandbox>("interchange");
  const writes = () => ctx.sb.requests("interchange", { writes: true });
  const actions = () => writes().filter((r) => /\/(execute|pause|reactivate)$/.test(r.path)).map((r) => `${r.path.split("/").pop()} ${r.status}`);

  it("sends the seed's create body unchanged (JSON deep-equal) and gets a DRAFT cmp_ campaign", async () => {
    const inputs = await checked(SEED_ARGS);
    const { id, outs } = await provider.create(inputs);
    expect(id).to.match(/^cmp_\d+$/);
    const posts = writes();
    expect(posts).to.have.length(1);
    expect(posts[0]).to.include({ method: "POST", path: "/campaigns", contentType: "application/json", status: 201 });
    expect(posts[0].body).to.deep.equal(SEED_BODY);
    expect(outs).to.include({ campaignId: id, status: "DRAFT" });
    expect(ic().data.campaigns[id]).to.include({ status: "DRAFT", advertiserId: "12345", campaignType: "DECISIONED" });
  });

  it("read after create returns exactly the checked inputs (no drift), with every optional field", async () => {
    for (const args of [SEED_ARGS, FULL_ARGS]) {
      const inputs = await checked(args);
      const { id, outs } = await provider.create(inputs);
      const r: any = await provider.read(id, outs);
      expect(r.id).to.equal(id);
      // optimizationApplyMode is the advertiser's when not declared: not reported as an input (no drift).
      expect(r.inputs).to.deep.equal(inputs);
      const d = await provider.diff(id, r.props, inputs);
      expect(d.changes).to.equal(false);
    }
    // The wire keeps Interchange's names: snake_case constraints and frequency caps.
    const body = writes()[1].body as any;
    expect(body.constraints).to.deep.include({ geo_countries: ["US", "CA"], geo_regions_exclude: ["US-TX"], device_platform: ["ios"] });
    expect(body.frequencyCaps).to.deep.equal([{ max_impressions: 3, window: { interval: 1, unit: "days" } }]);
    expect(body.storefrontIds).to.deep.equal([57, 42]);
  });

  it("drives status as desired state: DRAFT -> ACTIVE (execute) -> PAUSED (pause) -> ACTIVE (reactivate)", async () => {
    const inputs = await checked({ ...SEED_ARGS, status: "ACTIVE" });
    const { id, outs } = await provider.create(inputs);
    expect(ic().data.campaigns[id].status).to.equal("ACTIVE");
    const paused = await checked({ ...SEED_ARGS, status: "PAUSED" }, outs);
    await provider.update(id, outs, paused);
    expect(ic().data.campaigns[id].status).to.equal("PAUSED");
    const active = await checked({ ...SEED_ARGS, status: "ACTIVE" }, paused);
    const d = await provider.diff(id, paused, active);
    expect(d).to.include({ changes: true });
    expect(d.replaces).to.deep.equal([]);
    await provider.update(id, paused, active);
    expect(ic().data.campaigns[id].status).to.equal("ACTIVE");
    expect(actions()).to.deep.equal(["execute 200", "pause 200", "reactivate 200"]);
    // No PUT: a status change is only an action.
    expect(writes().filter((r) => r.method === "PUT")).to.have.length(0);
  });

  it("an illegal transition fails with the network's 409 message; impossible ones fail at check", async () => {
    const draft = await checked(SEED_ARGS);
    const { id, outs } = await provider.create(draft);
    const paused = await checked({ ...SEED_ARGS, status: "PAUSED" }, outs);
    const err: any = await provider.update(id, outs, paused).catch((e) => e);
    expect(err).to.be.instanceOf(ApiError);
    expect(err.status).to.equal(409);
    expect(err.code).to.equal("CONFLICT");
    expect(err.message).to.contain("Interchange API error 409").and.contain("illegal state transition from DRAFT").and.contain("[code CONFLICT]");
    expect(ic().data.campaigns[id].status).to.equal("DRAFT");
    // The emulator's status machine on its own.
    const client = contextFor(interchangeNetwork).client;
    for (const [action, from] of [["reactivate", "DRAFT"], ["pause", "DRAFT"]] as const) {
      const e: any = await client.action(id, action).catch((x) => x);
      expect(e.status, action).to.equal(409);
      expect(e.networkMessage).to.contain(`from ${from}`);
    }
    await client.action(id, "execute");
    expect((await client.action(id, "execute").catch((x: ApiError) => x) as ApiError).status).to.equal(409);
    // Check: no way back to DRAFT, and a new campaign cannot start PAUSED; nothing is sent.
    const before = ctx.sb.journal.length;
    const back = await failures(SEED_ARGS, { ...draft, status: "ACTIVE" });
    expect(back.map(pathOf)).to.deep.equal(["status"]);
    expect(back[0].reason).to.contain("cannot go back to \"DRAFT\"");
    const born = await failures({ ...SEED_ARGS, status: "PAUSED" });
    expect(born[0].reason).to.contain("cannot start \"PAUSED\"");
    expect(ctx.sb.journal.length).to.equal(before);
  });

  it("a failed status step after create still records the campaign (PartialCreateError)", async () => {
    ctx.sb.faults.configure({ rate: 1, kinds: ["500"], networks: ["interchange"], routes: ["/execute"] });
    const inputs = await checked({ ...SEED_ARGS, status: "ACTIVE" });
    // Retries last for the time budget: keep this outage's budget short.
    process.env.ADNET_HTTP_RETRY_BUDGET_MS = "1000";
    const err: any = await provider.create(inputs).catch((e) => e).finally(() => delete process.env.ADNET_HTTP_RETRY_BUDGET_MS);
    ctx.sb.faults.configure(undefined);
    expect(err).to.be.instanceOf(PartialCreateError);
    expect(err.id).to.match(/^cmp_/);
    expect(err.properties.status).to.equal("DRAFT");
    expect(Object.keys(ic().data.campaigns)).to.deep.equal([err.id]);
    // The next up finishes the job with an update from the recorded state.
    await provider.update(err.id, err.properties, inputs);
    expect(ic().data.campaigns[err.id].status).to.equal("ACTIVE");
  });

  it("updates in place with a partial PUT of the changed fields only", async () => {
    const inputs = await checked(FULL_ARGS);
    const { id, outs } = await provider.create(inputs);
    const news = await checked({ ...FULL_ARGS, name: "Retail media Q3 v2", budget: { ...FULL_ARGS.budget, total: 7500 }, storefrontIds: [42, 57, 99] }, outs);
    const d = await provider.diff(id, outs, news);
    expect(d.replaces).to.deep.equal([]);
    await provider.update(id, outs, news);
    const put = writes().filter((r) => r.method === "PUT");
    expect(put).to.have.length(1);
    expect(put[0].path).to.equal(`/campaigns/${id}`);
    expect(put[0].body).to.deep.equal({ name: "Retail media Q3 v2", budget: { total: 7500, currency: "USD", dailyCap: 250, pacing: "FRONTLOADED" }, storefrontIds: [42, 57, 99] });
    const r: any = await provider.read(id, news);
    expect(r.inputs).to.deep.equal(news);
    // Removing an optional list clears it remotely ([] per the API), and read agrees.
    const { frequencyCaps, ...noCaps } = news;
    await provider.update(id, news, noCaps);
    expect(ic().data.campaigns[id].frequencyCaps).to.deep.equal([]);
    expect(((await provider.read(id, noCaps)) as any).inputs.frequencyCaps).to.equal(undefined);
  });

  it("pacingPeriods can change only while DRAFT: the network's 409 surfaces", async () => {
    const inputs = await checked({ ...FULL_ARGS, status: "ACTIVE" });
    const { id, outs } = await provider.create(inputs);
    const news = await checked({ ...FULL_ARGS, status: "ACTIVE", pacingPeriods: { mode: "budget", periods: [{ label: "all", start: "2025-01-15", end: "2025-03-31", budget: 5000 }] } }, outs);
    const err: any = await provider.update(id, outs, news).catch((e) => e);
    expect(err.status).to.equal(409);
    // The network's message once: its field error says the same, so it is not repeated in parentheses.
    expect(err.message).to.match(/: pacingPeriods can only be changed while the campaign is DRAFT \(it is ACTIVE\) \[code CONFLICT\]$/);
    expect(err.fieldErrors).to.deep.equal([{ field: "pacingPeriods", message: "pacingPeriods can only be changed while the campaign is DRAFT (it is ACTIVE)" }]);
  });

  it("replaces on advertiserId, campaignType and budget.currency; not on other budget fields or storefront order", async () => {
    const olds = await checked(FULL_ARGS);
    const cases: Array<[Record<string, any>, string[]]> = [
      [{ campaignType: "ROUTED" }, ["campaignType"]],
      [{ advertiserId: 777 }, ["advertiserId"]],
      [{ budget: { ...FULL_ARGS.budget, currency: "EUR" } }, ["budget"]],
      [{ budget: { ...FULL_ARGS.budget, total: 9000, pacing: "ASAP" } }, []],
      [{ name: "renamed" }, []],
    ];
    for (const [change, replaces] of cases) {
      const news = await checked({ ...FULL_ARGS, ...change }, olds);
      const d = await provider.diff("cmp_1", olds, news);
      expect(d.changes, JSON.stringify(change)).to.equal(true);
      expect(d.replaces, JSON.stringify(change)).to.deep.equal(replaces);
    }
    const reordered = await checked({ ...FULL_ARGS, storefrontIds: [42, 57] }, olds);
    expect((await provider.diff("cmp_1", olds, reordered)).changes).to.equal(false);
    // An unknown currency at preview is treated as a replacement, like any unknown replaceOn field.
    const d = await provider.diff("cmp_1", olds, { ...olds, budget: { ...olds.budget, currency: UNKNOWN } });
    expect(d.replaces).to.deep.equal(["budget"]);
    // And the emulator enforces immutability on its side.
    const { id } = await provider.create(await checked(SEED_ARGS));
    const client = contextFor(interchangeNetwork).client;
    const e1: any = await client.updateCampaign(id, { campaignType: "ROUTED" }).catch((e) => e);
    expect([e1.status, e1.code, e1.fieldErrors[0]?.field]).to.deep.equal([400, "VALIDATION_ERROR", "campaignType"]);
    const e2: any = await client.updateCampaign(id, { budget: { currency: "EUR" } }).catch((e) => e);
    expect([e2.status, e2.code, e2.fieldErrors[0]?.field]).to.deep.equal([400, "CURRENCY_MISMATCH", "budget.currency"]);
  });

  it("delete archives (soft delete); read treats ARCHIVED as gone; deleting again is fine", async () => {
    const { id, outs } = await provider.create(await checked({ ...SEED_ARGS, status: "ACTIVE" }));
    await provider.delete(id, outs);
    const del = writes().filter((r) => r.method === "DELETE");
    expect(del.map((r) => [r.path, r.status])).to.deep.equal([[`/campaigns/${id}`, 204]]);
    expect(ic().data.campaigns[id].status).to.equal("ARCHIVED");
    expect(ic().inventory().campaigns).to.have.length(0);
    const r: any = await provider.read(id, outs);
    expect(r.id).to.equal("");
    await provider.delete(id, outs);
    // A campaign that never existed: 404, taken as already deleted.
    await provider.delete("cmp_1", {});
    expect(((await provider.read("cmp_1", {})) as any).id).to.equal("");
  });

  it("refresh sees out-of-band edits (name, pause in the dashboard)", async () => {
    const inputs = await checked({ ...SEED_ARGS, status: "ACTIVE" });
    const { id, outs } = await provider.create(inputs);
    Object.assign(ic().data.campaigns[id], { name: "edited in the dashboard", status: "PAUSED" });
    const r: any = await provider.read(id, outs);
    expect(r.inputs).to.include({ name: "edited in the dashboard", status: "PAUSED" });
    const d = await provider.diff(id, r.inputs, inputs);
    expect(d.changes).to.equal(true);
    expect(d.replaces).to.deep.equal([]);
    await provider.update(id, r.inputs, inputs);
    expect(ic().data.campaigns[id]).to.include({ name: "Q1 2025 Campaign", status: "ACTIVE" });
    expect(actions()).to.deep.equal(["execute 200", "reactivate 200"]);
  });

  it("import: reading an existing campaign by id gives inputs equal to the program's (no diff)", async () => {
    // Made outside Pulumi, straight through the API.
    const made = await contextFor(interchangeNetwork).client.createCampaign(createBody(await checked(FULL_ARGS) as any));
    const id = String(made.campaignId);
    await contextFor(interchangeNetwork).client.action(id, "execute");
    const r: any = await provider.read(id, {});
    expect(r.id).to.equal(id);
    const program = await checked({ ...FULL_ARGS, status: "ACTIVE" }, r.inputs);
    expect(r.inputs).to.deep.equal(program);
    expect((await provider.diff(id, r.props, program)).changes).to.equal(false);
  });

  it("rejects bad inputs at check, naming the field and what is allowed, with no request sent", async () => {
    const bad: Array<[Record<string, any>, string, RegExp]> = [
      [{ advertiserId: "acme" }, "advertiserId", /must be a whole number/],
      [{ advertiserId: 0 }, "advertiserId", />= 1/],
      [{ name: "" }, "name", /must not be empty/],
      [{ name: "x".repeat(256) }, "name", /at most 255/],
      [{ flightDates: { startDate: "2025-01-15", endDate: "2025-03-31T23:59:59Z" } }, "flightDates.startDate", /RFC 3339/],
      [{ flightDates: { startDate: "2025-03-31T00:00:00Z", endDate: "2025-01-15T00:00:00Z" } }, "flightDates.endDate", /after flightDates.startDate/],
      [{ budget: { total: 0 } }, "budget.total", /> 0/],
      [{ budget: { total: 10, currency: "usd" } }, "budget.currency", /ISO 4217/],
      [{ budget: { total: 10, dailyCap: 20 } }, "budget.dailyCap", /at most budget.total/],
      [{ budget: { total: 10, pacing: "SLOW" } }, "budget.pacing", /"EVEN", "ASAP", "FRONTLOADED"/],
      [{ budget: { total: 10, amount: 3 } }, "budget.amount", /unknown field/],
      [{ campaignType: "DIRECTED" }, "campaignType", /"DECISIONED", "ROUTED"/],
      [{ status: "RUNNING" }, "status", /"DRAFT", "ACTIVE", "PAUSED"/],
      [{ brief: "b".repeat(5001) }, "brief", /at most 5000/],
      [{ constraints: { geoCountries: ["USA"] } }, "constraints.geoCountries[0]", /alpha-2/],
      [{ constraints: { geo_countries: ["US"] } }, "constraints.geo_countries", /unknown field/],
      [{ constraints: { deviceType: ["phone"] } }, "constraints.deviceType[0]", /"desktop"/],
      [{ constraints: { geoMetros: [{ system: "dma", values: ["501"] }] } }, "constraints.geoMetros[0].system", /"nielsen_dma"/],
      [{ storefrontIds: Array.from({ length: 51 }, (_, i) => i + 1) }, "storefrontIds", /at most 50/],
      [{ performanceConfig: { optimizationGoals: [] } }, "performanceConfig.optimizationGoals", /at least 1/],
      [{ optimizationApplyMode: "auto" }, "optimizationApplyMode", /"AUTO", "MANUAL"/],
      [{ pacingPeriods: { mode: "weight", periods: [{ label: "a", start: "2025-02-01", end: "2025-01-01" }] } }, "pacingPeriods.periods[0].end", /on or after/],
      [{ pacingPeriods: { mode: "weight", periods: [{ label: "a", start: "2025-01-01", end: "2025-02-01" }] } }, "pacingPeriods.periods[0].weight", /required/],
      [{ frequencyCaps: [{ maxImpressions: 3, window: { interval: 1, unit: "weeks" } }] }, "frequencyCaps[0].window.unit", /"days"/],
      [{ mode: "directed" }, "mode", /"discovery", "performance"/],
      [{ campaign_type: "ROUTED" }, "campaign_type", /unknown field/],
    ];
    for (const [change, property, reason] of bad) {
      const f = await failures({ ...SEED_ARGS, ...change });
      const hit = f.find((x) => isAbout(x, property));
      expect(hit, `${JSON.stringify(change)} -> ${JSON.stringify(f)}`).to.not.equal(undefined);
      expect(hit!.reason).to.match(reason);
    }
    expect((await failures({})).map(pathOf)).to.include.members(["advertiserId", "name", "flightDates", "budget", "campaignType"]);
    // Unknown values at preview are skipped, not rejected.
    expect(await failures({ ...SEED_ARGS, name: UNKNOWN, advertiserId: UNKNOWN })).to.deep.equal([]);
    expect(ctx.sb.requests("interchange")).to.have.length(0);
  });

  it("answers errors in Interchange's envelope, shown with code and field", async () => {
    const client = contextFor(interchangeNetwork).client;
    const err: any = await client.createCampaign({ ...SEED_BODY, budget: { total: -5 } } as any).catch((e) => e);
    expect(err).to.be.instanceOf(ApiError);
    expect(err.status).to.equal(400);
    expect(err.code).to.equal("VALIDATION_ERROR");
    expect(err.fieldErrors[0]).to.deep.include({ field: "budget.total" });
    expect(err.message).to.contain("[code VALIDATION_ERROR]").and.contain("budget.total");
    expect(err.body).to.have.property("data", null);
    const unauth = await rawFetch(`${ctx.sb.urlFor("interchange")}/campaigns`, { key: "wrong" });
    expect(unauth.status).to.equal(401);
    expect(unauth.body).to.deep.equal({ data: null, error: { code: "UNAUTHORIZED", message: "Invalid API key" } });
    // The documented base path works too.
    const ok = await rawFetch(`${ctx.sb.urlFor("interchange")}/api/v2/buyer/campaigns`, { key: KEY });
    expect(ok.body).to.deep.equal({ campaigns: [], total: 0 });
  });

  it("hits the rate limit (429, Retry-After) and the shared HTTP layer waits it out without failing", async () => {
    ic().rateLimit = { limit: 4, windowMs: 1000 };
    const url = `${ctx.sb.urlFor("interchange")}/campaigns`;
    let limited: Awaited<ReturnType<typeof rawFetch>> | undefined;
    for (let i = 0; i < 6 && !limited; i++) {
      const r = await rawFetch(url, { key: KEY });
      if (r.status === 429) limited = r;
    }
    expect(limited, "a 429 within 6 requests").to.not.equal(undefined);
    expect(Number(limited!.headers.get("retry-after"))).to.be.within(1, 1);
    expect(limited!.headers.get("ratelimit-remaining")).to.equal("0");
    expect(limited!.body.error.code).to.equal("RATE_LIMITED");
    // Now through the provider: 1 create + 1 execute + 8 reads with 4 per second allowed.
    const started = Date.now();
    const { id, outs } = await provider.create(await checked({ ...SEED_ARGS, status: "ACTIVE" }));
    for (let i = 0; i < 8; i++) expect(((await provider.read(id, outs)) as any).inputs.status).to.equal("ACTIVE");
    const elapsed = Date.now() - started;
    const journal = ctx.sb.requests("interchange");
    const throttled = journal.filter((r) => r.status === 429).length;
    expect(throttled).to.be.at.least(2);
    expect(ic().rateLimited).to.equal(throttled);
    // Every call eventually succeeded, one campaign exists, and the waits followed Retry-After (about 1 s each).
    expect(Object.keys(ic().data.campaigns)).to.have.length(1);
    expect(elapsed).to.be.at.least(1000);
    expect(journal.filter((r) => r.method === "POST" && r.path === "/campaigns" && r.status === 201)).to.have.length(1);
  });

  it("a lost create response is recovered by lookup, without a duplicate", async () => {
    ctx.sb.faults.configure({ rate: 1, kinds: ["lost"], networks: ["interchange"], routes: ["POST /campaigns"] });
    const { id } = await provider.create(await checked(SEED_ARGS));
    ctx.sb.faults.configure(undefined);
    expect(Object.keys(ic().data.campaigns)).to.deep.equal([id]);
    expect(ctx.sb.requests("interchange").filter((r) => r.method === "GET" && r.path === "/campaigns").length).to.be.at.least(1);
  });

  it("names both ways to set a missing key; the key never reaches state or errors", async () => {
    resetStackConfig();
    const saved = process.env.INTERCHANGE_API_KEY;
    delete process.env.INTERCHANGE_API_KEY;
    try {
      const err: any = await provider.create(await checked(SEED_ARGS)).catch((e) => e);
      expect(err).to.be.instanceOf(ConfigError);
      expect(err.message).to.contain("interchange:apiKey").and.contain("INTERCHANGE_API_KEY");
    } finally {
      if (saved !== undefined) process.env.INTERCHANGE_API_KEY = saved;
    }
    process.env.INTERCHANGE_API_KEY = KEY;
    process.env.INTERCHANGE_BASE_URL = ctx.sb.urlFor("interchange");
    try {
      const { id, outs } = await provider.create(await checked(SEED_ARGS));
      expect(JSON.stringify(outs)).not.to.contain(KEY);
      const err: any = await contextFor(interchangeNetwork).client.getCampaign(`${id}-nope`).catch((e) => e);
      expect(err.status).to.equal(404);
      expect(JSON.stringify({ m: err.message, b: err.body })).not.to.contain(KEY);
    } finally {
      delete process.env.INTERCHANGE_API_KEY;
      delete process.env.INTERCHANGE_BASE_URL;
    }
  });

  describe("issue #11: bad inputs rejected at check with no request, naming the field and what is allowed", () => {
    const rejects = async (change: Record<string, any>, field: string, reason: RegExp) => {
      const f = await failures({ ...SEED_ARGS, ...change });
      const hit = f.find((x) => isAbout(x, field));
      expect(hit, `${JSON.stringify(change).slice(0, 200)} -> ${JSON.stringify(f).slice(0, 400)}`).to.not.equal(undefined);
      expect(hit!.reason).to.match(reason);
      return f;
    };
    afterEach(() => expect(ctx.sb.requests("interchange"), "no request may be sent").to.have.length(0));

    it("a whitespace-only name, brief label or channel", async () => {
      await rejects({ name: "   " }, "name", /name must not be empty or only spaces/);
      await rejects({ constraints: { channels: ["display", " "] } }, "constraints.channels[1]", /must not be empty or only spaces/);
      await rejects({ pacingPeriods: { mode: "weight", periods: [{ label: "  ", start: "2025-01-15", end: "2025-01-31", weight: 1 }] } }, "pacingPeriods.periods[0].label", /must not be empty/);
    });

    it("a region of a country that does not exist; a region its country does not have; a malformed region", async () => {
      await rejects({ constraints: { geoRegions: ["ZZ-CA"] } }, "constraints.geoRegions[0]", /"ZZ" is not an ISO 3166-1 country/);
      await rejects({ constraints: { geoRegions: ["US-CA", "US-ZZ"] } }, "constraints.geoRegions[1]", /subdivision of its country; "US-ZZ" is not one of US \(US has \d+, e.g. "US-/);
      await rejects({ constraints: { geoRegionsExclude: ["fr-xx"] } }, "constraints.geoRegionsExclude[0]", /"fr-xx" is not one of FR/);
      await rejects({ constraints: { geoRegions: ["AQ-01"] } }, "constraints.geoRegions[0]", /AQ has no ISO 3166-2 subdivisions: target the country in geoCountries/);
      // Current codes (2016 and later), any level, any case.
      const ok = await checked({ ...SEED_ARGS, constraints: { geoRegions: ["fr-idf", "FR-75C", "IN-LA", "GB-LND", "US-DC"] } });
      expect(ok.constraints.geoRegions).to.deep.equal(["FR-IDF", "FR-75C", "IN-LA", "GB-LND", "US-DC"]);
      await rejects({ constraints: { geoRegionsExclude: ["US-CALIF"] } }, "constraints.geoRegionsExclude[0]", /ISO 3166-2 subdivision code.*"US-CA"/);
    });

    it("duplicate countries and regions, including case variants; one spelling is stored", async () => {
      await rejects({ constraints: { geoCountries: ["US", "CA", "us"] } }, "constraints.geoCountries[2]", /repeats constraints.geoCountries\[0\].*each may appear once/);
      await rejects({ constraints: { geoCountriesExclude: ["de", "DE"] } }, "constraints.geoCountriesExclude[1]", /repeats/);
      await rejects({ constraints: { geoRegions: ["US-CA", "us-ca"] } }, "constraints.geoRegions[1]", /repeats/);
      await rejects({ constraints: { deviceType: ["mobile", "mobile"] } }, "constraints.deviceType[1]", /repeats/);
      await rejects({ storefrontIds: [7, 7] }, "storefrontIds[1]", /repeats/);
      const ok = await checked({ ...SEED_ARGS, constraints: { geoCountries: ["us", "Ca"], geoRegions: ["us-ca"] } });
      expect(ok.constraints).to.deep.equal({ geoCountries: ["US", "CA"], geoRegions: ["US-CA"] });
    });

    it("absurd list sizes against the documented limit or a documented sane cap, without checking each item", async () => {
      const many = (n: number, make: (i: number) => unknown) => Array.from({ length: n }, (_, i) => make(i));
      await rejects({ constraints: { geoCountries: many(50_000, () => "US") } }, "constraints.geoCountries", /at most 250 items, got 50000/);
      await rejects({ constraints: { geoRegions: many(7_000, (i) => `US-${i}`) } }, "constraints.geoRegions", /at most 6000 items/);
      await rejects({ constraints: { geoPostalAreas: [{ system: "us_zip", values: many(60_000, (i) => String(i)) }] } }, "constraints.geoPostalAreas[0].values", /at most 50000 items/);
      await rejects({ constraints: { geoMetros: many(21, () => ({ system: "nielsen_dma", values: ["501"] })) } }, "constraints.geoMetros", /at most 20 items/);
      await rejects({ constraints: { language: many(201, (i) => `l${i}`) } }, "constraints.language", /at most 200 items/);
      await rejects({ frequencyCaps: many(21, () => ({ maxImpressions: 1, window: { interval: 1, unit: "days" } })) }, "frequencyCaps", /at most 20 items/);
      const f = await rejects({ constraints: { geoCountries: many(50_000, () => "??") } }, "constraints.geoCountries", /at most 250/);
      expect(f.length, "one failure, not 50,000").to.equal(1);
    });

    it("a credential passed as a resource input is refused and never echoed", async () => {
      const f = await rejects({ apiKey: "scope3_live_0xC0FFEE" }, "apiKey", /apiKey is not an input of interchange.Campaign: credentials are never resource inputs.*interchange:apiKey/);
      expect(JSON.stringify(f)).not.to.contain("0xC0FFEE");
    });

    it("mode: only discovery or performance; performance needs performanceConfig", async () => {
      await rejects({ mode: "directed" }, "mode", /must be one of "discovery", "performance"/);
      await rejects({ mode: "performance" }, "performanceConfig", /required when mode is "performance"/);
    });
  });

  describe("mode (issue #11: the published contract's create discriminator)", () => {
    it("is sent only when set: the seed's body is unchanged without it, and carries mode with it", async () => {
      await provider.create(await checked(SEED_ARGS));
      await provider.create(await checked({ ...FULL_ARGS, mode: "performance" }));
      const [seed, perf] = writes().filter((r) => r.method === "POST" && r.path === "/campaigns");
      expect(seed.body).to.deep.equal(SEED_BODY);
      expect(seed.body).not.to.have.property("mode");
      expect(perf.body).to.include({ mode: "performance" });
      expect(perf.status).to.equal(201);
    });

    it("reads back without drift whether or not the network echoes it; a change replaces", async () => {
      const inputs = await checked({ ...SEED_ARGS, mode: "discovery" });
      const { id, outs } = await provider.create(inputs);
      const r: any = await provider.read(id, outs);
      expect(r.inputs).to.deep.equal(inputs);
      expect((await provider.diff(id, r.props, inputs)).changes).to.equal(false);
      // The seed's 1.00 budget raised to the full example's 5,000.00 (x5000) would look like the wrong unit: keep the seed's budget.
      const perf = await checked({ ...FULL_ARGS, budget: inputs.budget, mode: "performance" }, inputs);
      const d = await provider.diff(id, inputs, perf);
      expect(d.replaces).to.include("mode");
      // Declaring it later on a campaign created without it is a change, and it replaces.
      const seedOnly = await checked(SEED_ARGS);
      expect((await provider.diff(id, seedOnly, inputs)).replaces).to.deep.equal(["mode"]);
    });
  });

  describe("issue #20: discovery, audiences, catalog, UTM parameters and data delivery", () => {
    const EXTRA = {
      mode: "discovery",
      discoveryId: "session_abc123", productIds: ["prod_123", "prod_456"],
      audienceConfig: { targetAudienceIds: ["aud_1", "aud_2"], suppressAudienceIds: ["aud_9"] },
      catalogId: 42,
      utmConfig: { params: [{ paramKey: "utm_source", paramValue: "scope3" }, { paramKey: "utm_campaign", paramValue: "q1" }] },
      dataDelivery: { outputs: [{ dataDeliveryType: "IMPRESSIONS", cadence: "WEEKLY", syncWeeklyDay: 1, credentialName: "gcs-logs", deliveryConfig: { type: "GCS", pathPrefix: "q1/" } }] },
    };

    it("are sent on create as the API names them, stored, and read back without drift", async () => {
      const inputs = await checked({ ...SEED_ARGS, ...EXTRA });
      const { id, outs } = await provider.create(inputs);
      const post = writes().find((r) => r.method === "POST" && r.path === "/campaigns")!.body as any;
      expect(post).to.deep.include({ discoveryId: "session_abc123", productIds: ["prod_123", "prod_456"], catalogId: 42 });
      expect(post.audienceConfig).to.deep.equal(EXTRA.audienceConfig);
      expect(post.utmConfig).to.deep.equal(EXTRA.utmConfig);
      // The journal redacts values under credential-like keys (credentialName): the stored output shows what was sent.
      expect(post.dataDelivery.outputs[0]).to.deep.include({ dataDeliveryType: "IMPRESSIONS", cadence: "WEEKLY", syncWeeklyDay: 1 });
      const stored = ic().data.campaigns[id];
      expect(stored.audiences.map((a: any) => `${a.type}:${a.audienceId}`)).to.deep.equal(["TARGET:aud_1", "TARGET:aud_2", "SUPPRESS:aud_9"]);
      expect(stored.products).to.deep.equal([{ productId: "prod_123" }, { productId: "prod_456" }]);
      expect(stored.dataDelivery?.outputs[0]).to.include({ source: "campaign", enabled: true, credentialName: "gcs-logs" });
      expect(stored.dataDelivery?.outputs[0].deliveryConfig).to.deep.equal({ type: "GCS", pathPrefix: "q1/", format: "JSONL" });
      const r: any = await provider.read(id, outs);
      expect(r.inputs).to.deep.equal(inputs);
      expect((await provider.diff(id, r.props, inputs)).changes).to.equal(false);
      // Import (no prior state) sees the same inputs, the network's defaults included.
      const imported: any = await provider.read(id, {});
      expect((await provider.diff(id, imported.props, inputs)).changes).to.equal(false);
      expect(imported.inputs.dataDelivery.outputs[0]).to.deep.include({ enabled: true });
    });

    it("after execute the network no longer reports the discovery session and products: the known values stay (no drift)", async () => {
      const inputs = await checked({ ...SEED_ARGS, ...EXTRA, status: "ACTIVE" });
      const { id, outs } = await provider.create(inputs);
      expect(ic().data.campaigns[id]).not.to.have.property("discoveryId");
      expect(ic().data.campaigns[id]).not.to.have.property("products");
      const r: any = await provider.read(id, { ...inputs, ...outs });
      expect(r.inputs).to.deep.include({ discoveryId: "session_abc123", productIds: ["prod_123", "prod_456"] });
      expect((await provider.diff(id, r.props, inputs)).changes).to.equal(false);
    });

    it("update in place: audiences and UTM parameters replace the whole set (deleteMissing), a removed catalog is detached, productIds replace", async () => {
      const inputs = await checked({ ...SEED_ARGS, ...EXTRA });
      const { id, outs } = await provider.create(inputs);
      const { catalogId: _c, ...withoutCatalog } = EXTRA;
      const news = await checked({
        ...SEED_ARGS, ...withoutCatalog,
        audienceConfig: { targetAudienceIds: ["aud_3"] },
        utmConfig: { params: [{ paramKey: "utm_source", paramValue: "interchange" }] },
      }, { ...inputs, ...outs });
      const d = await provider.diff(id, { ...inputs, ...outs }, news);
      expect(d.replaces).to.deep.equal([]);
      await provider.update(id, { ...inputs, ...outs }, news);
      const put = writes().filter((r) => r.method === "PUT").pop()!.body;
      expect(put).to.deep.equal({
        audienceConfig: { targetAudienceIds: ["aud_3"], deleteMissing: true },
        catalogId: null,
        utmConfig: { params: [{ paramKey: "utm_source", paramValue: "interchange" }], deleteMissing: true },
      });
      const c = ic().data.campaigns[id];
      expect(c.audiences.map((a: any) => a.audienceId)).to.deep.equal(["aud_3"]);
      expect(c.utmConfig?.map((p: any) => `${p.paramKey}=${p.paramValue}`)).to.deep.equal(["utm_source=interchange"]);
      expect(c).not.to.have.property("catalogId");
      const r: any = await provider.read(id, { ...news, ...outs });
      expect((await provider.diff(id, r.props, news)).changes).to.equal(false);
      // productIds are create-only (the update body has none): a change replaces.
      const other = await checked({ ...SEED_ARGS, ...EXTRA, productIds: ["prod_789"] }, inputs);
      expect((await provider.diff(id, inputs, other)).replaces).to.deep.equal(["productIds"]);
    });

    it("bad values fail at check, naming the field, with no request", async () => {
      const before = ctx.sb.journal.length;
      const bad = async (over: Record<string, unknown>, path: string, re: RegExp) => {
        const f = await failures({ ...SEED_ARGS, ...over });
        const hit = f.find((x) => isAbout(x, path));
        expect(hit, JSON.stringify(f)).to.not.equal(undefined);
        expect(hit!.reason).to.match(re);
      };
      await bad({ productIds: ["p1"] }, "productIds", /set discoveryId too/);
      await bad({ audienceConfig: { targetAudienceIds: Array.from({ length: 101 }, (_, i) => `a${i}`) } }, "audienceConfig.targetAudienceIds", /at most 100 items/);
      await bad({ audienceConfig: { targetAudienceIds: ["a", "a"] } }, "audienceConfig.targetAudienceIds[1]", /repeats/);
      await bad({ utmConfig: { params: [{ paramKey: "utm source", paramValue: "x" }] } }, "utmConfig.params[0].paramKey", /1-100 letters, digits/);
      await bad({ utmConfig: { params: [{ paramKey: "k", paramValue: "x" }, { paramKey: "k", paramValue: "y" }] } }, "utmConfig.params[1]", /same paramKey/);
      await bad({ catalogId: 0 }, "catalogId", />= 1/);
      await bad({ dataDelivery: { outputs: [{ dataDeliveryType: "LOGS", cadence: "DAILY", credentialName: "c", deliveryConfig: { type: "GCS" } }] } }, "dataDelivery.outputs[0].dataDeliveryType", /must be one of "MB_DELIVERY"/);
      await bad({ dataDelivery: { outputs: [{ dataDeliveryType: "CLICKS", cadence: "DAILY", credentialName: "-c", deliveryConfig: { type: "FTP" } }] } }, "dataDelivery.outputs[0].deliveryConfig.type", /"GCS", "S3", "AZURE_BLOB"/);
      expect(ctx.sb.journal.length).to.equal(before);
    });

    it("the sandbox refuses what the API refuses: productIds without discoveryId, productIds on update, a bad UTM key", async () => {
      const url = `${ctx.sb.urlFor("interchange")}/campaigns`;
      const noSession = await rawFetch(url, { method: "POST", key: KEY, body: { ...SEED_BODY, productIds: ["p"] } });
      expect(noSession.status).to.equal(400);
      expect(noSession.body.error.message).to.contain("productIds requires discoveryId");
      const made = await rawFetch(url, { method: "POST", key: KEY, body: SEED_BODY });
      const later = await rawFetch(`${url}/${made.body.campaign.campaignId}`, { method: "PUT", key: KEY, body: { productIds: ["p"] } });
      expect(later.status).to.equal(400);
      const badKey = await rawFetch(url, { method: "POST", key: KEY, body: { ...SEED_BODY, utmConfig: { params: [{ paramKey: "a b", paramValue: "x" }] } } });
      expect(badKey.status).to.equal(400);
      expect(badKey.body.error.code).to.equal("VALIDATION_ERROR");
    });
  });

  it("list(): every campaign through take/skip pages, archived ones left out, in read's shape", async () => {
    ic().rateLimit = { limit: 100_000, windowMs: 60_000 };
    const { id: first } = await provider.create(await checked(FULL_ARGS));
    const { id: gone, outs } = await provider.create(await checked({ ...SEED_ARGS, name: "to archive" }));
    await provider.delete(gone, outs);
    // 254 more, made in the dashboard (straight into the emulator's store).
    const proto = ic().data.campaigns[first];
    for (let i = 0; i < 254; i++) {
      const cid = `cmp_${900_000 + i}`;
      ic().data.campaigns[cid] = { ...JSON.parse(JSON.stringify(proto)), campaignId: cid, name: `made elsewhere ${i}` };
    }
    const before = ctx.sb.journal.length;
    const all = await registry.get("interchange:Campaign").list!();
    const pages = ctx.sb.journal.slice(before).filter((r) => r.path === "/campaigns").map((r) => [r.query.take, r.query.skip]);
    expect(pages).to.deep.equal([["250", "0"], ["250", "250"]]);
    expect(all).to.have.length(255);
    expect(all.map((x) => x.id)).not.to.include(gone);
    const one = all.find((x) => x.id === first)!;
    const r: any = await provider.read(first, {});
    expect(one.state).to.deep.equal(r.props);
    expect((await provider.diff(first, one.state, await checked(FULL_ARGS))).changes).to.equal(false);
  });

  it("is registered: the host resolves interchange:Campaign and reads its config keys", async () => {
    expect(registry.types()).to.include("interchange:Campaign");
    expect(registry.get("interchange:Campaign")).to.equal(provider);
  });
});
