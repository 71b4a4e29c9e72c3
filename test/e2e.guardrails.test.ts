import { expect } from "chai";
import * as auto from "@pulumi/pulumi/automation";
import { exoclick } from "pulumi-adnetworks";
import { e2e, E2E } from "./support/engine";
import { EXOCLICK_SANDBOX_CREDENTIALS } from "../provider/sandbox/exoclick";
import { exampleStacks, sandboxConfig } from "../scripts/lib/examples";
import { summarizeSteps } from "../provider/core/steps";
import { definition } from "../provider/registry";
import { hasSpend } from "../provider/core/spend";
import { report } from "../provider/cli/spend";
import { exoclickBanner } from "../examples/exoclick-banner/program";
import { affiseOffer } from "../examples/affise-offer/program";
import { integr8Postbacks } from "../examples/integr8-postbacks/program";
import { retailMedia } from "../examples/retail-media/program";

const TOKEN = EXOCLICK_SANDBOX_CREDENTIALS.apiToken;

/** ExoClick campaigns: name -> [daily budget in cents, status, size]. */
function campaigns(spec: Record<string, [number, 0 | 1, string?]>) {
  return async () => {
    for (const [name, [budget, status, size]] of Object.entries(spec)) {
      new exoclick.Campaign(name, {
        name: `Guardrails ${name}`, status, size: size ?? "300x250", pricing: { model: 4, price: 300 }, dailyLimitType: 1, maxDailyBudget: budget,
      });
    }
  };
}

/** Runs an operation, returning its error instead of throwing, and the text it printed. */
async function attempt<T>(f: (onOutput: (s: string) => void) => Promise<T>): Promise<{ result?: T; error?: Error; text: string }> {
  let text = "";
  try {
    const result = await f((s) => (text += s));
    return { result, text };
  } catch (e: any) {
    return { error: e, text: `${text}\n${e?.message ?? e}` };
  }
}

describe("@e2e real Pulumi engine: spend guardrails (ExoClick)", function () {
  this.timeout(300_000);
  let t: E2E;
  const requests = () => t.sb.requests("exoclick").length;

  before(async () => {
    t = await e2e({
      program: campaigns({ a: [2000, 1], b: [2000, 1] }),
      config: (sb) => ({
        "exoclick:baseUrl": { value: `${sb.urlFor("exoclick")}/v2` },
        "exoclick:apiToken": { value: TOKEN, secret: true },
        "adnetworks:maxDailyBudget": { value: JSON.stringify({ "exoclick:USD": 30, "*": 1000 }) },
      }),
    });
  });
  after(async () => t?.close());

  it("a preview over adnetworks:maxDailyBudget fails naming the resources and the figures, with 0 requests", async () => {
    const r = await attempt((onOutput) => t.e.stack.preview({ onOutput }));
    expect(r.error).to.exist;
    expect(r.text).to.contain("the running daily budgets on exoclick in USD would total 40.00, over adnetworks:maxDailyBudget 30.00: a (20.00), b (20.00)");
    expect(requests()).to.equal(0);
  });

  it("so does `up` without a preview: no resource reaches the engine, 0 requests", async () => {
    const r = await attempt((onOutput) => t.e.stack.up({ onOutput }));
    expect(r.error).to.exist;
    expect(r.text).to.contain("over adnetworks:maxDailyBudget 30.00");
    expect(requests()).to.equal(0);
    expect(await t.resources()).to.have.length(0);
  });

  it("within the limit (b paused) `up` succeeds and prints the running totals", async () => {
    t.setProgram(campaigns({ a: [2000, 1], b: [2000, 0] }));
    const r = await attempt((onOutput) => t.e.stack.up({ onOutput }));
    expect(r.error).to.equal(undefined);
    expect(r.text).to.contain("spend exoclick USD: running daily budgets 20.00, total budgets 0.00 (1 running)");
    // The provider host's line on a's row.
    expect(r.text).to.match(/spend USD: new, daily 20\.00, bid 3\.00, running/);
    expect(t.sb.network<any>("exoclick").inventory().campaigns).to.have.length(2);
  });

  it("a raise over adnetworks:maxDailyIncrease fails at preview with the figures, 0 requests", async () => {
    await t.e.stack.setConfig("adnetworks:maxDailyIncrease", { value: "5" });
    t.setProgram(campaigns({ a: [2800, 1], b: [2000, 0] }));
    const before = requests();
    const r = await attempt((onOutput) => t.e.stack.preview({ onOutput, diff: true }));
    expect(r.error).to.exist;
    expect(r.text).to.contain("adnetworks:maxDailyIncrease: with a (daily 20.00 -> 28.00 USD) the running daily budgets on exoclick in USD rise by 8.00 in this update, over the limit of 5.00");
    expect(requests() - before).to.equal(0);
    // The same change within the limit previews fine, with the change on a's row.
    t.setProgram(campaigns({ a: [2400, 1], b: [2000, 0] }));
    const steps: any[] = [];
    const ok = await attempt((onOutput) => t.e.stack.preview({ onOutput, onEvent: (e) => e.resourcePreEvent && steps.push(e.resourcePreEvent.metadata) }));
    if (process.env.GR_DEBUG) console.log(ok.text);
    expect(ok.error).to.equal(undefined);
    expect(ok.text).to.contain("spend USD: daily 20.00, bid 3.00, running -> daily 24.00, bid 3.00, running");
    // The whole before/after from the preview's steps (b unchanged and paused: a "same" step).
    const s = summarizeSteps(steps, definition);
    expect(s.groups).to.have.length(1);
    expect(s.groups[0]).to.deep.include({ network: "exoclick", currency: "USD", before: { daily: 20, total: 0, running: 1 }, after: { daily: 24, total: 0, running: 1 }, change: { daily: 4, total: 0 }, starts: [], stops: [] });
    expect(s.after.map((e) => e.name).sort()).to.deep.equal(["a", "b"]);
    expect(requests() - before).to.equal(0);
  });

  it("protectRunning: replacing a running campaign fails at preview unless adnetworks:allowReplace names it", async () => {
    await t.e.stack.setConfig("adnetworks:protectRunning", { value: "true" });
    t.setProgram(campaigns({ a: [2000, 1, "728x90"], b: [2000, 0, "728x90"] }));
    const before = requests();
    const r = await attempt((onOutput) => t.e.stack.preview({ onOutput }));
    expect(r.error).to.exist;
    expect(r.text).to.contain("adnetworks:protectRunning: a is running (daily budget 20.00 USD) and this change of size would replace it");
    // b is paused: its replace is no problem.
    expect(r.text).not.to.contain("adnetworks:protectRunning: b");
    await t.e.stack.setConfig("adnetworks:allowReplace", { value: JSON.stringify(["a"]) });
    const ok = await attempt((onOutput) => t.e.stack.preview({ onOutput }));
    if (process.env.GR_DEBUG) console.log(ok.text);
    expect(ok.error).to.equal(undefined);
    expect(ok.result!.changeSummary.replace).to.equal(2);
    expect(requests() - before).to.equal(0);
    await t.e.stack.removeConfig("adnetworks:allowReplace");
  });

  it("a budget given as an Output is unknown to the program's gate, and the provider host's check stops it at preview", async () => {
    const pulumi = await import("@pulumi/pulumi");
    t.setProgram(async () => {
      await campaigns({ a: [2000, 1], b: [2000, 0] })();
      new exoclick.Campaign("c", { name: "Guardrails c", status: 1, size: "300x250", pricing: { model: 4, price: 300 }, dailyLimitType: 1, maxDailyBudget: pulumi.output(1500) });
    });
    const before = requests();
    const r = await attempt((onOutput) => t.e.stack.preview({ onOutput }));
    expect(r.error).to.exist;
    expect(r.text).to.contain("not known until apply (counted as 0): c");
    // Checks run concurrently: whichever of a and c is checked last carries the failure.
    const said = r.text.split("\n").filter((l: string) => /maxDailyBudget|error/.test(l)).join("\n");
    expect(r.text, said).to.match(/adnetworks:maxDailyBudget: with [^\n]*\(daily (15|20)\.00 USD\) the running daily budgets on exoclick in USD reach 35\.00, over the limit of 30\.00/);
    expect(requests() - before).to.equal(0);
  });

  it("a 429 whose Retry-After is hours (a daily quota) fails at once with the reset time", async () => {
    t.setProgram(campaigns({ a: [2100, 1], b: [2000, 0] }));
    t.sb.faults.next({ kind: "429", count: 1, networks: ["exoclick"], routes: ["PUT"], retryAfterSeconds: 6 * 3600 });
    const before = t.sb.journal.length;
    const started = Date.now();
    const r = await attempt((onOutput) => t.e.stack.up({ onOutput }));
    const elapsed = Date.now() - started;
    expect(r.error).to.exist;
    expect(r.text).to.match(/request quota is used up and resets at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in 6h 0m, by its Retry-After\)/);
    const puts = t.sb.journal.slice(before).filter((e) => e.method === "PUT");
    expect(puts).to.have.length(1); // answered 429 once, never retried
    expect(puts[0].status).to.equal(429);
    // Not the 150 s retry budget, let alone 6 hours (a generous bound for a loaded machine).
    expect(elapsed).to.be.below(60_000);
  });
});

describe("@e2e real Pulumi engine: spend summary of the examples", function () {
  this.timeout(300_000);
  let t: E2E;

  before(async () => {
    t = await e2e({
      program: async () => ({ ...exoclickBanner(), ...affiseOffer(), ...integr8Postbacks(), ...retailMedia() }),
      workDir: exampleStacks().map((e) => e.workDir),
      config: (sb) => sandboxConfig(sb, exampleStacks().flatMap((e) => e.networks)),
    });
  });
  after(async () => t?.close());

  it("a preview prints the totals per network and currency, and its steps give the before/after summary (checked against the programs' inputs)", async () => {
    const steps: any[] = [];
    const r = await attempt((onOutput) => t.e.stack.preview({ onOutput, onEvent: (e) => e.resourcePreEvent && steps.push(e.resourcePreEvent.metadata) }));
    if (process.env.GR_DEBUG) console.log(r.text);
    expect(r.error).to.equal(undefined);
    // The programs' inputs: ExoClick campaign paused (status 0) with 2000 cents a day; Topsort 150000 minor units daily, active, bid 250;
    // Affise offer active with only a conversions cap (no money cap).
    expect(r.text).to.contain("spend exoclick USD: running daily budgets 0.00, total budgets 0.00 (0 running)");
    expect(r.text).to.contain("spend topsort USD: running daily budgets 1,500.00, total budgets 0.00 (1 running)");
    const s = summarizeSteps(steps, definition);
    const g = (net: string) => s.groups.find((x) => x.network === net);
    // Every network with budgets, from the examples' inputs: the Affise offer is active with no money cap; the
    // Interchange campaign (once its schema declares spend roles) is ACTIVE with 5000 total and a 250 daily cap, USD.
    const EXPECTED: Record<string, { daily: number; total: number; running: number }> = {
      exoclick: { daily: 0, total: 0, running: 0 }, topsort: { daily: 1500, total: 0, running: 1 }, affise: { daily: 0, total: 0, running: 1 }, interchange: { daily: 250, total: 5000, running: 1 },
    };
    for (const x of s.groups) expect({ [x.network]: x.after }).to.deep.equal({ [x.network]: EXPECTED[x.network] });
    const required = ["exoclick", "topsort", "affise", ...(definition("interchange:Campaign") && hasSpend(definition("interchange:Campaign")!.fields) ? ["interchange"] : [])];
    expect(s.groups.map((x) => x.network).sort()).to.deep.equal(required.sort());
    expect(g("exoclick")).to.deep.include({ currency: "USD", before: { daily: 0, total: 0, running: 0 }, after: { daily: 0, total: 0, running: 0 }, starts: [], stops: [] });
    expect(g("topsort")).to.deep.include({ currency: "USD", before: { daily: 0, total: 0, running: 0 }, after: { daily: 1500, total: 0, running: 1 }, change: { daily: 1500, total: 0 } });
    expect(g("topsort")!.starts).to.have.length(1);
    expect(s.after.find((e) => e.spend.network === "exoclick")!.spend).to.deep.include({ daily: 20, running: false, bids: [3] });
    expect(s.after.find((e) => e.spend.network === "topsort")!.spend).to.deep.include({ daily: 1500, running: true, bids: [2.5] });
    // adnet-spend's report on the same steps, with a limit: the Topsort total breaks it.
    const rep = report({ steps }, { "adnetworks:maxDailyBudget": { value: JSON.stringify({ topsort: 1000 }) } });
    expect(rep.violations.map((v) => v.rule)).to.deep.equal(["maxDailyBudget"]);
    expect(rep.violations[0].message).to.contain("would total 1,500.00, over adnetworks:maxDailyBudget 1,000.00");
    expect(t.sb.requests(undefined, { writes: true })).to.have.length(0);
  });
});
