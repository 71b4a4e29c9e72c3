/**
 * Issue #34: results beside each change. The sandboxes' reporting routes
 * (seeded traffic that follows each object's state), and the provider's
 * read of them (core/money/results.ts): exact figures, one statistics request per
 * network, account and page (Topsort: one per campaign), 0 writes, a fault
 * or a used-up budget marks the figures unavailable without a retry.
 */
import { expect } from "chai";
import fetch from "node-fetch";
import { useSandbox } from "./support/sandbox";
import { sandboxConfig } from "../provider/sandbox/config";
import { addDays, dayTraffic, total, traffic } from "../provider/sandbox/traffic";
import { networkNamed } from "../provider/networks";
import { collectResults, figuresText, ResultsItem, totalsOf, windowOf } from "../provider/core/money/results";
import { statisticsBudget } from "../provider/core/money/statsBudget";
import { EXOCLICK_SANDBOX_CREDENTIALS } from "../provider/sandbox/exoclick";
import { TOPSORT_SANDBOX_CREDENTIALS } from "../provider/sandbox/topsort";
import { INTERCHANGE_SANDBOX_CREDENTIALS } from "../provider/sandbox/interchange";
import { AFFISE_SANDBOX_CREDENTIALS } from "../provider/sandbox/affise";

const TODAY = "2026-03-15";
const TS1 = "11111111-1111-4111-8111-111111111111";
const TS2 = "22222222-2222-4222-8222-222222222222";

describe("results: the sandboxes' reporting routes and the provider's read of them (issue #34)", () => {
  const ctx = useSandbox((sb) => {
    const cfg: Record<string, string> = {};
    for (const n of ["exoclick", "affise", "topsort", "interchange"]) for (const [k, v] of Object.entries(sandboxConfig(n, sb.urlFor(n)))) cfg[k] = v.value;
    return cfg;
  }, { today: TODAY });
  let savedLimit: string | undefined;
  beforeEach(() => {
    statisticsBudget.clear();
    savedLimit = process.env.ADNETWORKS_RESULTS_REQUESTS_PER_MINUTE;
  });
  afterEach(() => {
    if (savedLimit === undefined) delete process.env.ADNETWORKS_RESULTS_REQUESTS_PER_MINUTE;
    else process.env.ADNETWORKS_RESULTS_REQUESTS_PER_MINUTE = savedLimit;
    statisticsBudget.clear();
  });

  /** The dashboard: objects straight into each emulator's data. */
  function seed() {
    const sb = ctx.sb;
    const exo = sb.network<any>("exoclick").data;
    exo.campaigns["100"] = { id: 100, name: "running", status: 1, start_date: "2026-03-01", end_date: null, daily_limit_type: 1, max_daily_budget: 500 };
    exo.campaigns["101"] = { id: 101, name: "paused", status: 0, start_date: "2026-03-01", end_date: null, daily_limit_type: 0, max_daily_budget: -1 };
    exo.campaigns["102"] = { id: 102, name: "future", status: 1, start_date: "2026-04-01", end_date: null, daily_limit_type: 0, max_daily_budget: -1 };
    for (const [vid, cid] of [[200, 100], [201, 100], [202, 101], [203, 102]]) exo.variations[String(vid)] = { idvariation: vid, idcampaign: cid, active: 1, name: `v${vid}` };
    const ts = sb.network<any>("topsort").data;
    ts.campaigns[TS1] = { campaignId: TS1, isActive: true, startDate: "2026-03-01T00:00:00Z", endDate: "2026-12-31T00:00:00Z", budget: { amount: 70_000, type: "weekly" } };
    ts.campaigns[TS2] = { campaignId: TS2, isActive: true, startDate: "2026-03-01T00:00:00Z", endDate: "2026-12-31T00:00:00Z", budget: { amount: 2_000, type: "total" } };
    const ic = sb.network<any>("interchange").data;
    ic.campaigns["987654321"] = { campaignId: "987654321", advertiserId: "42", status: "ACTIVE", flightDates: { startDate: "2026-03-01T00:00:00Z", endDate: "2026-12-31T00:00:00Z" }, budget: { total: 5000, currency: "USD", dailyCap: 30 } };
    ic.campaigns["987654322"] = { campaignId: "987654322", advertiserId: "42", status: "PAUSED", flightDates: { startDate: "2026-03-01T00:00:00Z", endDate: "2026-12-31T00:00:00Z" }, budget: { total: 5000, currency: "USD" } };
    const af = sb.network<any>("affise").data;
    af.offers["7"] = { id: 7, title: "offer 7", status: "active", caps: [{ type: "budget", period: "day", value: 4 }] };
    af.offers["8"] = { id: 8, title: "offer 8", status: "stopped", caps: [] };
  }

  const w = windowOf(7, TODAY);
  const expected = (seedKey: string, terms: Parameters<typeof traffic>[3]) => total(traffic(seedKey, w.from, w.to, terms, TODAY));

  it("traffic is a pure function of the object, its terms and the day: nothing paused, future or from today on; a day's spend within the daily cap, the whole within the total", () => {
    const t = { running: true, start: "2026-03-01" };
    expect(dayTraffic("x|1", "2026-03-10", t, TODAY)).to.deep.equal(dayTraffic("x|1", "2026-03-10", t, TODAY));
    expect(dayTraffic("x|1", "2026-03-10", { ...t, running: false }, TODAY).impressions).to.equal(0);
    expect(dayTraffic("x|1", "2026-02-28", t, TODAY).impressions).to.equal(0);
    expect(dayTraffic("x|1", TODAY, t, TODAY).impressions).to.equal(0);
    expect(dayTraffic("x|1", "2026-03-10", t, TODAY).impressions).to.be.greaterThan(0);
    for (let d = "2026-03-01"; d < TODAY; d = addDays(d, 1)) expect(dayTraffic("x|1", d, { ...t, dailyCap: 150 }, TODAY).spend).to.be.at.most(150);
    const capped = total(traffic("x|1", "2026-03-01", "2026-03-14", { ...t, totalCap: 1_000 }, TODAY));
    expect(capped.spend).to.equal(Math.min(1_000, total(traffic("x|1", "2026-03-01", "2026-03-14", t, TODAY)).spend));
  });

  it("ExoClick POST /v2/statistics/a/global: group_by required, rows per campaign (and variation) with cost in major units; paused and future campaigns serve nothing", async () => {
    seed();
    const login = await (await fetch(`${ctx.sb.urlFor("exoclick")}/v2/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ api_token: EXOCLICK_SANDBOX_CREDENTIALS.apiToken }) })).json() as any;
    const post = async (body: unknown) => {
      const r = await fetch(`${ctx.sb.urlFor("exoclick")}/v2/statistics/a/global`, { method: "POST", headers: { Authorization: `Bearer ${login.token}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });
      return { status: r.status, body: await r.json() as any };
    };
    expect((await post({ filter: { date_from: w.from, date_to: w.to } })).status).to.equal(400);
    const r = await post({ filter: { date_from: w.from, date_to: w.to }, group_by: ["campaign_id"], totals: 1 });
    expect(r.status).to.equal(200);
    expect(r.body.result.map((x: any) => x.group_by.campaign_id.id)).to.deep.equal([100]);
    const e = expected("exoclick|100", { running: true, start: "2026-03-01", dailyCap: 500 });
    expect(r.body.result[0]).to.include({ impressions: e.impressions, clicks: e.clicks, conversions: e.conversions, cost: e.spend / 100 });
    expect(r.body.result_total.cost).to.equal(e.spend / 100);
    const byV = await post({ filter: { date_from: w.from, date_to: w.to, campaign_id: [100] }, group_by: ["campaign_id", "variation_id"] });
    expect(byV.body.result.map((x: any) => x.group_by.variation_id.id)).to.deep.equal([200, 201]);
    expect(byV.body.result.reduce((a: number, x: any) => a + x.impressions, 0)).to.equal(e.impressions);
  });

  it("reads every network's figures with one request per network, account and page (Topsort one per campaign) and 0 writes; sums per network and currency", async () => {
    seed();
    const item = (network: string, type: string, id: string, inputs: Record<string, any> = {}, currency = "USD"): ResultsItem =>
      ({ name: `${network}-${id}`, urn: `urn:pulumi:dev::p::pulumi-nodejs:dynamic/${network}:${type}::${network}-${id}`, key: `${network}:${type}`, network: networkNamed(network)!, account: "default", ask: { type, id, inputs, currency } });
    const items = [
      item("exoclick", "Campaign", "100"), item("exoclick", "Campaign", "101"), item("exoclick", "Variation", "100/200", { campaignId: "100" }),
      item("topsort", "Campaign", TS1), item("topsort", "Campaign", TS2),
      item("interchange", "Campaign", "987654321", { advertiserId: 42 }), item("interchange", "Campaign", "987654322", { advertiserId: 42 }),
      item("affise", "Offer", "7", {}, "EUR"), item("affise", "Offer", "8", {}, "EUR"),
    ];
    const before = ctx.sb.journal.length;
    const got = await collectResults(items, { days: 7, today: TODAY });
    const sent = ctx.sb.journal.slice(before);
    expect(sent.filter((e) => ["POST", "PUT", "PATCH", "DELETE"].includes(e.method) && !/statistics|login/.test(e.path))).to.have.length(0);
    const count = (n: string) => sent.filter((e) => e.network === n && !/login/.test(e.path)).length;
    expect([count("exoclick"), count("topsort"), count("interchange"), count("affise")]).to.deep.equal([1, 2, 1, 1]);

    const fig = (i: number) => (got.get(items[i].urn) as any).figures;
    const exo = expected("exoclick|100", { running: true, start: "2026-03-01", dailyCap: 500 });
    expect(fig(0)).to.deep.equal({ impressions: exo.impressions, clicks: exo.clicks, conversions: exo.conversions, spend: exo.spend / 100, currency: "USD" });
    expect(fig(1)).to.deep.include({ impressions: 0, spend: 0 });
    expect(fig(2).impressions).to.be.greaterThan(0).and.below(exo.impressions);
    const ts1 = expected(`topsort|${TS1}`, { running: true, start: "2026-03-01T00:00:00Z", end: "2026-12-31T00:00:00Z", dailyCap: 10_000 });
    expect(fig(3)).to.deep.equal({ impressions: ts1.impressions, clicks: ts1.clicks, conversions: ts1.conversions, spend: ts1.spend / 100, currency: "USD" });
    expect(fig(4).spend).to.be.at.most(20); // total budget 2,000 minor units
    const ic = expected("interchange|987654321", { running: true, start: "2026-03-01T00:00:00Z", end: "2026-12-31T00:00:00Z", dailyCap: 3000, totalCap: 500000 });
    expect(fig(5)).to.deep.equal({ impressions: ic.impressions, clicks: ic.clicks, conversions: ic.conversions, spend: ic.spend / 100, currency: "USD" });
    expect(fig(6)).to.deep.include({ impressions: 0, spend: 0 });
    const af = expected("affise|7", { running: true, dailyCap: 400 });
    expect(fig(7)).to.deep.equal({ impressions: af.impressions, clicks: af.clicks, conversions: af.conversions, spend: af.spend / 100, currency: "EUR" });
    expect(fig(8)).to.deep.include({ impressions: 0, spend: 0, currency: "EUR" });
    expect(figuresText(fig(0))).to.match(/^spend [\d,.]+ USD, [\d,]+ impressions, [\d,]+ clicks, CTR \d+\.\d\d%, [\d,]+ conversions, (-|[\d,.]+ USD) per conversion$/);

    const totals = totalsOf(items.map((it) => ({ network: it.network.name, account: it.account, part: it.ask.type === "Variation", outcome: got.get(it.urn)! })));
    expect(totals.map((t) => `${t.network} ${t.currency} ${t.objects}`)).to.deep.equal(["affise EUR 2", "exoclick USD 2", "interchange USD 2", "topsort USD 2"]);
    expect(totals.find((t) => t.network === "exoclick")!.spend).to.equal(exo.spend / 100); // the variation is part of its campaign: not counted twice
  });

  it("a fault on a statistics route marks that network's figures unavailable with the reason, after one request (no retry); the others are read", async () => {
    seed();
    ctx.sb.faults.next({ kind: "503", count: 5, routes: ["GET /3.0/stats/custom"] });
    const affise = networkNamed("affise")!, interchange = networkNamed("interchange")!;
    const items: ResultsItem[] = [
      { name: "o", urn: "u1", key: "affise:Offer", network: affise, account: "default", ask: { type: "Offer", id: "7", inputs: {}, currency: "EUR" } },
      { name: "c", urn: "u2", key: "interchange:Campaign", network: interchange, account: "default", ask: { type: "Campaign", id: "987654321", inputs: { advertiserId: 42 }, currency: "USD" } },
    ];
    const before = ctx.sb.journal.length;
    const got = await collectResults(items, { days: 7, today: TODAY, timeoutMs: 2_000 });
    expect(got.get("u1")).to.have.property("unavailable").that.matches(/^Affise statistics: .*503/);
    expect(got.get("u2")).to.have.property("figures");
    expect(ctx.sb.journal.slice(before).filter((e) => e.network === "affise")).to.have.length(1);
  });

  it("the statistics budget is separate and per account: used up, the figures are unavailable and nothing is sent", async () => {
    seed();
    process.env.ADNETWORKS_RESULTS_REQUESTS_PER_MINUTE = "1";
    const topsort = networkNamed("topsort")!;
    const items: ResultsItem[] = [TS1, TS2].map((id, i) => ({ name: `t${i}`, urn: `t${i}`, key: "topsort:Campaign", network: topsort, account: "default", ask: { type: "Campaign", id, inputs: {}, currency: "USD" } }));
    const before = ctx.sb.journal.length;
    const got = await collectResults(items, { days: 7, today: TODAY });
    expect(got.get("t0")).to.have.property("unavailable").that.matches(/statistics budget/);
    expect(ctx.sb.journal.slice(before)).to.have.length(1);
  });

  it("Topsort, Interchange and Affise check their reporting parameters", async () => {
    seed();
    const get = async (network: string, path: string, headers: Record<string, string>) => (await fetch(`${ctx.sb.urlFor(network)}${path}`, { headers })).status;
    const bearer = (k: string) => ({ Authorization: `Bearer ${k}` });
    expect(await get("topsort", `/public/v1/reporting-service/campaigns/${TS1}?start_date=2026-03-08`, bearer(TOPSORT_SANDBOX_CREDENTIALS.apiKey))).to.equal(422);
    expect(await get("interchange", "/api/v2/buyer/reporting/metrics?view=daily", bearer(INTERCHANGE_SANDBOX_CREDENTIALS.apiKey))).to.equal(400);
    expect(await get("interchange", "/api/v2/buyer/reporting/metrics?advertiserId=42&days=91", bearer(INTERCHANGE_SANDBOX_CREDENTIALS.apiKey))).to.equal(400);
    expect(await get("affise", "/3.0/stats/custom?slice[]=offer", { "API-Key": AFFISE_SANDBOX_CREDENTIALS.apiKey })).to.equal(400);
  });
});
