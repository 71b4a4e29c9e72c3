import { expect } from "chai";
import { definition } from "../provider/registry";
import { describeChange, formatSummary, limitFor, parseLimits, spendOf, summarize } from "../provider/core/money/spend";
import { judge } from "../provider/core/guard/judge";
import { summarizeSteps, stepViolations } from "../provider/core/money/steps";
import { UNKNOWN } from "../provider/core/schema/validate";
import { providerReference } from "../provider/core/engine/reference";

const def = (key: string) => {
  const d = definition(key);
  if (!d) throw new Error(`no schema for ${key}`);
  return d;
};

describe("spend extraction from the schemas", () => {
  it("ExoClick: maxDailyBudget (major units, sent in cents) is the daily budget, pricing.price the bid, status 1 running", () => {
    const s = spendOf(def("exoclick:Campaign"), { name: "c", status: 1, pricing: { model: 4, price: 3 }, maxDailyBudget: 25 });
    expect(s).to.deep.include({ network: "exoclick", currency: "USD", running: true, daily: 25, bids: [3], unknown: [] });
    expect(spendOf(def("exoclick:Campaign"), { name: "c", pricing: { model: 4, price: 3 }, maxDailyBudget: 25 })!.running).to.equal(false); // default 0
    // The account's currency from adnetworks:currencies: the account's own entry, then the network's.
    expect(spendOf(def("exoclick:Campaign"), { status: 1, maxDailyBudget: 1 }, { exoclick: "eur" })!.currency).to.equal("EUR");
    const b = spendOf(def("exoclick:Campaign"), { status: 1, maxDailyBudget: 1, account: "brandB" }, { exoclick: "eur", "exoclick/brandB": "GBP" })!;
    expect([b.account, b.currency]).to.deep.equal(["brandB", "GBP"]);
    // "default" and omitted are the same account.
    expect(spendOf(def("exoclick:Campaign"), { status: 1, maxDailyBudget: 1, account: "default" })!).not.to.have.property("account");
  });

  it("ExoClick's override: dailyLimitType 0 means no daily limit, whatever maxDailyBudget says; a limit then fails", () => {
    const s = spendOf(def("exoclick:Campaign"), { status: 1, dailyLimitType: 0, maxDailyBudget: 25, pricing: { model: 4, price: 3 } })!;
    expect([s.daily, s.uncapped, s.running]).to.deep.equal([undefined, true, true]);
    const after = [{ name: "open", spend: s }];
    const sum = summarize([], after);
    expect(sum.groups[0].uncapped).to.deep.equal(["open"]);
    expect(judge({ after, limits: { maxDailyBudget: 1000 } }).violations.map((v) => v.message)).to.deep.equal([
      "adnetworks:maxDailyBudget: open would run on exoclick in USD with no daily limit, so nothing bounds the daily spend under the limit of 1,000.00; give it a daily limit",
    ]);
    expect(judge({ after, limits: {} }).violations).to.deep.equal([]);
  });

  it("Topsort: a weekly or monthly budget becomes a daily rate, a total budget a total; bids from the list", () => {
    const base = { name: "t", isActive: true, bids: [{ amount: 2.5, target: { id: "x" } }, { amount: 4, target: { id: "y" } }] };
    const weekly = spendOf(def("topsort:Campaign"), { ...base, budget: { amount: 700, type: "weekly" } })!;
    expect(weekly).to.deep.include({ daily: 100, bids: [2.5, 4], running: true });
    expect(spendOf(def("topsort:Campaign"), { ...base, budget: { amount: 3000, type: "monthly" } })!.daily).to.equal(100);
    const total = spendOf(def("topsort:Campaign"), { ...base, budget: { amount: 5000, type: "total" } })!;
    expect(total.daily).to.equal(undefined);
    expect(total.total).to.equal(5000);
    expect(spendOf(def("topsort:Campaign"), { ...base, isActive: false, budget: { amount: 0.01, type: "daily" } })!.running).to.equal(false);
  });

  it("Affise: only caps of type budget are money (spendWhen), per day / hour / month / all, in the payouts' currency", () => {
    const offer = (caps: any[]) => spendOf(def("affise:Offer"), { status: "active", payments: [{ revenue: 30, currency: "EUR", total: 100 }], caps })!;
    const counts = offer([{ period: "day", type: "conversions", value: 150 }]);
    expect(counts).to.deep.include({ currency: "EUR", running: true, bids: [30] });
    expect([counts.daily, counts.total]).to.deep.equal([undefined, undefined]);
    expect(offer([{ period: "day", type: "budget", value: 500 }]).daily).to.equal(500);
    expect(offer([{ period: "hour", type: "budget", value: 10 }]).daily).to.equal(240);
    expect(offer([{ period: "all", type: "budget", value: 9000 }]).total).to.equal(9000);
  });

  it("values not known yet (Outputs, preview unknowns) are listed and count as 0; an unknown status counts as running", () => {
    const s = spendOf(def("exoclick:Campaign"), { status: UNKNOWN, maxDailyBudget: UNKNOWN, pricing: { model: 4, price: 3 } })!;
    expect(s.unknown).to.deep.equal(["status", "maxDailyBudget"]);
    expect([s.running, s.daily]).to.deep.equal([true, undefined]);
    const output = { apply: () => undefined, __pulumiOutput: true };
    expect(spendOf(def("topsort:Campaign"), { budget: output, bids: [] })!.unknown).to.deep.equal(["budget"]);
  });

  it("a resource's change line: none when every printed figure is the same (a no-op formats nothing), else before -> after", () => {
    const d = def("exoclick:Campaign");
    const a = spendOf(d, { status: 1, pricing: { model: 4, price: 3 }, maxDailyBudget: 25 })!;
    expect(describeChange(a, spendOf(d, { status: 1, pricing: { model: 4, price: 3 }, maxDailyBudget: 25 })!)).to.equal(undefined);
    expect(describeChange(a, spendOf(d, { status: 1, pricing: { model: 4, price: 3 }, maxDailyBudget: 30 })!)).to.equal("spend USD: daily 25.00, bid 3.00, running -> daily 30.00, bid 3.00, running");
    expect(describeChange(a, spendOf(d, { status: 1, pricing: { model: 4, price: 3.5 }, maxDailyBudget: 25 })!)).to.equal("spend USD: daily 25.00, bid 3.00, running -> daily 25.00, bid 3.50, running");
    expect(describeChange(a, spendOf(d, { status: 0, pricing: { model: 4, price: 3 }, maxDailyBudget: 25 })!)).to.equal("spend USD: daily 25.00, bid 3.00, running -> daily 25.00, bid 3.00, paused");
    // Figures that differ below the cent print the same line: still no change line.
    expect(describeChange(a, spendOf(d, { status: 1, pricing: { model: 4, price: 3 }, maxDailyBudget: 25.001 })!)).to.equal(undefined);
    expect(describeChange(undefined, a)).to.equal("spend USD: new, daily 25.00, bid 3.00, running");
  });

  it("types without money have no spend", () => {
    expect(spendOf(def("exoclick:LibraryUrl"), { url: "https://x.example" })).to.equal(undefined);
  });
});

describe("spend totals and limits", () => {
  const exo = (daily: number, status: 0 | 1, account?: string) => spendOf(def("exoclick:Campaign"), { status, maxDailyBudget: daily, pricing: { model: 4, price: 0.01 }, ...(account ? { account } : {}) })!;

  it("sums running daily budgets per network and currency, before and after, with what starts and stops", () => {
    const before = [{ name: "a", spend: exo(20, 1) }, { name: "b", spend: exo(10, 1) }, { name: "c", spend: exo(5, 0) }];
    const after = [{ name: "a", spend: exo(30, 1) }, { name: "c", spend: exo(5, 1) }];
    const s = summarize(before, after);
    expect(s.groups).to.have.length(1);
    expect(s.groups[0]).to.deep.include({ before: { daily: 30, total: 0, running: 2 }, after: { daily: 35, total: 0, running: 2 }, change: { daily: 5, total: 0 }, starts: ["c"], stops: ["b"] });
    expect(formatSummary(s)[0]).to.equal("spend exoclick USD: daily 30.00 -> 35.00 (+5.00), total 0.00 -> 0.00 (+0.00); running 2 -> 2");
  });

  it("limits: a number for all, or per network:currency, network, *:currency, *", () => {
    const l = parseLimits((k) => ({ "adnetworks:maxDailyBudget": '{"exoclick:USD": 500, "topsort": 700, "*:EUR": 800, "*": 1000}', "adnetworks:maxDailyIncrease": "50", "adnetworks:protectRunning": "true", "adnetworks:allowReplace": "a, b" } as Record<string, string>)[k]);
    expect([limitFor(l.maxDailyBudget, "exoclick", "USD"), limitFor(l.maxDailyBudget, "topsort", "USD"), limitFor(l.maxDailyBudget, "affise", "EUR"), limitFor(l.maxDailyBudget, "affise", "USD")]).to.deep.equal([500, 700, 800, 1000]);
    expect(limitFor(l.maxDailyIncrease, "any", "XYZ")).to.equal(50);
    expect(l).to.deep.include({ protectRunning: true, allowReplace: ["a", "b"] });
    expect(() => parseLimits((k) => (k === "adnetworks:maxDailyBudget" ? "lots" : undefined))).to.throw(/adnetworks:maxDailyBudget must be a number/);
  });

  it("accounts: totals per network, account and currency; a limit of the network applies to each account on its own, an account's own key wins", () => {
    const after = [{ name: "a", spend: exo(30, 1) }, { name: "b", spend: exo(40, 1, "brandB") }, { name: "c", spend: exo(25, 1, "brandB") }];
    const s = summarize([], after);
    expect(s.groups.map((g) => [g.network, g.account, g.after.daily])).to.deep.equal([["exoclick", undefined, 30], ["exoclick", "brandB", 65]]);
    expect(formatSummary(s, { beforeKnown: false })).to.deep.equal([
      "spend exoclick USD: running daily budgets 30.00, total budgets 0.00 (1 running)",
      "spend exoclick/brandB USD: running daily budgets 65.00, total budgets 0.00 (2 running)",
    ]);
    // 50 for each account of exoclick: brandB's 65 breaks it, the default account's 30 does not (they are not summed).
    const v = judge({ after, limits: { maxDailyBudget: { exoclick: 50 } } }).violations;
    expect(v.map((x) => [x.rule, x.account, x.resources])).to.deep.equal([["maxDailyBudget", "brandB", ["b", "c"]]]);
    expect(v[0].message).to.equal("adnetworks:maxDailyBudget: the running daily budgets on exoclick (account brandB) in USD would total 65.00, over the limit of 50.00: b (40.00), c (25.00). Lower or pause some, or raise adnetworks:maxDailyBudget");
    // An account's own limit wins over the network's.
    expect(judge({ after, limits: { maxDailyBudget: { exoclick: 50, "exoclick/brandB": 70 } } }).violations).to.deep.equal([]);
    expect(limitFor({ "exoclick/brandB:USD": 1, "exoclick/brandB": 2, "exoclick": 3 }, "exoclick", "USD", "brandB")).to.equal(1);
    expect(limitFor({ "exoclick/brandB": 2, "exoclick": 3 }, "exoclick", "USD", "brandC")).to.equal(3);
  });

  it("violations name the resources and the figures", () => {
    const after = [{ name: "a", spend: exo(300, 1) }, { name: "b", spend: exo(250, 1) }];
    const v = judge({ before: [{ name: "a", spend: exo(300, 1) }], after, limits: { maxDailyBudget: 500, maxDailyIncrease: 100 } }).violations;
    expect(v.map((x) => x.rule)).to.deep.equal(["maxDailyBudget", "maxDailyIncrease"]);
    expect(v[0].message).to.equal("adnetworks:maxDailyBudget: the running daily budgets on exoclick in USD would total 550.00, over the limit of 500.00: a (300.00), b (250.00). Lower or pause some, or raise adnetworks:maxDailyBudget");
    expect(v[1].message).to.contain("would rise from 300.00 to 550.00 (+250.00) in this update, over the limit of 100.00");
  });

  it("preview steps: old and new inputs give before and after; deletes stop, replacements of running resources are named", () => {
    const urn = (n: string) => `urn:pulumi:dev::p::pulumi-nodejs:dynamic/exoclick:Campaign::${n}`;
    const inputs = (daily: number, status: number, size = "300x250") => ({ status, maxDailyBudget: daily, size, pricing: { model: 4, price: 1 }, __provider: providerReference("exoclick:Campaign") });
    const steps = [
      { op: "update", urn: urn("a"), oldState: { inputs: inputs(20, 1) }, newState: { inputs: inputs(40, 1) } },
      { op: "delete", urn: urn("b"), oldState: { inputs: inputs(10, 1) } },
      { op: "create", urn: urn("c"), newState: { inputs: inputs(5, 1) } },
      { op: "create-replacement", urn: urn("d"), oldState: { inputs: inputs(7, 1) }, newState: { inputs: inputs(7, 1, "728x90") } },
      { op: "replace", urn: urn("d"), oldState: { inputs: inputs(7, 1) }, newState: { inputs: inputs(7, 1, "728x90") } },
      { op: "delete-replaced", urn: urn("d"), oldState: { inputs: inputs(7, 1) } },
      { op: "same", urn: urn("e"), oldState: { inputs: inputs(1, 0) }, newState: { inputs: inputs(1, 0) } },
    ];
    const s = summarizeSteps(steps, definition);
    expect(s.groups[0]).to.deep.include({ before: { daily: 37, total: 0, running: 3 }, after: { daily: 52, total: 0, running: 3 }, change: { daily: 15, total: 0 }, starts: ["c"], stops: ["b"] });
    const v = stepViolations(steps, s, { protectRunning: true, allowReplace: [] });
    // d is replaced; b, running, is deleted: both are protected, each by its own allow list.
    expect(v.map((x) => `${x.rule}:${x.resources}`)).to.deep.equal(["protectRunning:d", "protectRunning:b"]);
    expect(v[1].message).to.contain("b is running (daily budget 10.00 USD) and would be deleted").and.contain(`pulumi config set adnetworks:allowDelete '["b"]'`);
    expect(stepViolations(steps, s, { protectRunning: true, allowReplace: ["d"] }).map((x) => x.resources[0])).to.deep.equal(["b"]);
    expect(stepViolations(steps, s, { protectRunning: true, allowReplace: ["d"], allowDelete: ["b"] })).to.deep.equal([]);
  });
});

describe("adnet-spend", () => {
  it("reads a saved `pulumi preview --json`, prints the summary and the broken limits, exits 1 (0 within the limits)", async () => {
    const fs = require("fs") as typeof import("fs");
    const os = require("os") as typeof import("os");
    const path = require("path") as typeof import("path");
    const { main } = require("../provider/cli/spend") as typeof import("../provider/cli/spend");
    const urn = (n: string) => `urn:pulumi:dev::p::pulumi-nodejs:dynamic/exoclick:Campaign::${n}`;
    // State written by the version before (its provider reference has no state version): amounts in cents.
    const old = (cents: number, status: number) => ({ status, maxDailyBudget: cents, size: "300x250", pricing: { model: 4, price: 100 }, __provider: 'exports.handler=()=>require("pulumi-adnetworks/host").provider("exoclick:Campaign")' });
    const inputs = (daily: number, status: number) => ({ status, maxDailyBudget: daily, size: "300x250", pricing: { model: 4, price: 1 }, __provider: providerReference("exoclick:Campaign") });
    const preview = (limit: number) => ({
      config: { "adnetworks:maxDailyBudget": String(limit), "exoclick:apiToken": "[secret]" },
      steps: [
        { op: "update", urn: urn("a"), oldState: { type: "pulumi-nodejs:dynamic/exoclick:Campaign", inputs: old(2000, 1) }, newState: { type: "pulumi-nodejs:dynamic/exoclick:Campaign", inputs: inputs(60, 1) } },
        { op: "same", urn: urn("b"), oldState: { inputs: inputs(10, 1) }, newState: { inputs: inputs(10, 1) } },
      ],
      diagnostics: [],
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-spend-"));
    const out: string[] = [];
    const write = process.stdout.write;
    try {
      (process.stdout as any).write = (s: string) => out.push(String(s));
      fs.writeFileSync(path.join(dir, "over.json"), JSON.stringify(preview(50)));
      fs.writeFileSync(path.join(dir, "within.json"), JSON.stringify(preview(100)));
      const over = await main(["--preview-json", path.join(dir, "over.json")]);
      const within = await main(["--preview-json", path.join(dir, "within.json"), "--json"]);
      (process.stdout as any).write = write;
      expect(over).to.equal(1);
      expect(out[0]).to.contain("spend exoclick USD: daily 30.00 -> 70.00 (+40.00), total 0.00 -> 0.00 (+0.00); running 2 -> 2")
        .and.contain("LIMIT adnetworks:maxDailyBudget: the running daily budgets on exoclick in USD would total 70.00, over the limit of 50.00: a (60.00), b (10.00)");
      expect(within).to.equal(0);
      const json = JSON.parse(out[1]);
      expect(json.groups[0]).to.deep.include({ network: "exoclick", currency: "USD", before: { daily: 30, total: 0, running: 2 }, after: { daily: 70, total: 0, running: 2 } });
      expect(json.violations).to.deep.equal([]);
    } finally {
      (process.stdout as any).write = write;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
