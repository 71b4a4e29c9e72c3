import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as auto from "@pulumi/pulumi/automation";
import { exoclick } from "pulumi-adnetworks";
import { e2e, E2E, ROOT } from "./support/engine";
import { PulumiCli } from "./support/cli";
import { startSandbox, Sandbox } from "../provider/sandbox/server";
import { PULUMI_BIN } from "../scripts/lib/engine";
import { EXOCLICK_SANDBOX_CREDENTIALS } from "../provider/sandbox/exoclick";
import { exampleStacks, sandboxConfig } from "../scripts/lib/examples";
import { summarizeSteps } from "../provider/core/money/steps";
import { definition } from "../provider/registry";
import { GUARDRAIL_SETTINGS, hasSpend } from "../provider/core/money/spend";
import { report } from "../provider/cli/spend";
import { exoclickBanner } from "../examples/exoclick-banner/program";
import { affiseOffer } from "../examples/affise-offer/program";
import { integr8Postbacks } from "../examples/integr8-postbacks/program";
import { retailMedia } from "../examples/retail-media/program";
import { runChild } from "./support/processes";
import { shuffled } from "./support/shuffle";

const TOKEN = EXOCLICK_SANDBOX_CREDENTIALS.apiToken;
const GUARDRAIL_KEYS = Object.values(GUARDRAIL_SETTINGS).map((s) => s.key);

type Spec = Record<string, [number, 0 | 1, string?]>;

/** ExoClick campaigns: name -> [daily budget in cents, status, size], declared in the given order (default: as listed); the program writes major units. */
function campaigns(spec: Spec, order = Object.keys(spec)) {
  return async () => {
    for (const name of order) {
      const [budget, status, size] = spec[name];
      new exoclick.Campaign(name, {
        name: `Guardrails ${name}`, status, size: size ?? "300x250", pricing: { model: 4, price: 3 }, dailyLimitType: 1, maxDailyBudget: budget / 100,
      });
    }
  };
}

interface Run<T> {
  result?: T;
  error?: Error;
  /** What the CLI printed. */
  text: string;
  /** Error diagnostics (each problem as the engine reports it, once). */
  errors: string[];
  /** Info diagnostics on the stack (the spend message). */
  stackInfo: string[];
}

/** Runs an operation, returning its error instead of throwing, with the text and diagnostics it printed. */
async function attempt<T>(f: (o: { onOutput: (s: string) => void; onEvent: (e: auto.EngineEvent) => void }) => Promise<T>): Promise<Run<T>> {
  let text = "";
  const errors: string[] = [];
  const stackInfo: string[] = [];
  const onEvent = (e: auto.EngineEvent) => {
    const d = e.diagnosticEvent;
    if (!d) return;
    if (d.severity === "error") errors.push(d.message.trim());
    if (d.severity === "info" && d.urn?.includes("::pulumi:pulumi:Stack::")) stackInfo.push(d.message.trim());
  };
  try {
    const result = await f({ onOutput: (s) => (text += s), onEvent });
    return { result, text, errors, stackInfo };
  } catch (e: any) {
    return { error: e, text, errors, stackInfo };
  }
}

/** Nothing internal in what the user reads: no prop names, no JavaScript stack traces. */
function expectUserWords(r: Run<unknown>): void {
  const all = `${r.text}\n${r.error?.message ?? ""}`;
  expect(all).not.to.match(/__adnet|error serializing property|\n\s+at .*\((\/|node:)/);
}

describe("@e2e real Pulumi engine: spend guardrails (ExoClick)", function () {
  this.timeout(600_000);
  let t: E2E;
  const requests = () => t.sb.requests("exoclick").length;
  const config = (values: Record<string, string>) => t.e.stack.setAllConfig(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v }])));

  before(async () => {
    t = await e2e({
      program: campaigns({ a: [2000, 1], b: [2000, 1] }),
      config: (sb) => ({
        "exoclick:baseUrl": { value: `${sb.urlFor("exoclick")}/v2` },
        "exoclick:apiToken": { value: TOKEN, secret: true },
      }),
    });
  });
  // Each test sets the guardrails it needs; none leaks into the next.
  afterEach(async () => t?.e.stack.removeAllConfig(GUARDRAIL_KEYS));
  after(async () => t?.close());

  it("a preview over adnetworks:maxDailyBudget fails once, naming the resources and the figures, with 0 requests", async () => {
    await config({ "adnetworks:maxDailyBudget": JSON.stringify({ "exoclick:USD": 30, "*": 1000 }) });
    const r = await attempt((o) => t.e.stack.preview(o));
    expect(r.error).to.exist;
    expect(r.errors).to.deep.equal([
      "pulumi-nodejs:dynamic/exoclick:Campaign resource 'a' has a problem: adnetworks:maxDailyBudget: the running daily budgets on exoclick in USD would total 40.00, over the limit of 30.00: a (20.00), b (20.00). Lower or pause some, or raise adnetworks:maxDailyBudget",
    ]);
    expectUserWords(r);
    expect(requests()).to.equal(0);
  });

  it("so does `up` without a preview: every campaign refuses, nothing is created, 0 requests", async () => {
    await config({ "adnetworks:maxDailyBudget": "30" });
    const r = await attempt((o) => t.e.stack.up(o));
    expect(r.error).to.exist;
    expect(r.errors).to.have.length(1);
    expect(r.errors[0]).to.contain("adnetworks:maxDailyBudget: the running daily budgets on exoclick in USD would total 40.00, over the limit of 30.00");
    expectUserWords(r);
    expect(requests()).to.equal(0);
    expect(await t.resources()).to.have.length(0);
  });

  it("within the limit `up` succeeds and writes one spend message on the stack; a preview with no change writes none", async () => {
    await config({ "adnetworks:maxDailyBudget": "30" });
    t.setProgram(campaigns({ a: [2000, 1], b: [2000, 0] }));
    const r = await attempt((o) => t.e.stack.up(o));
    expect(r.error).to.equal(undefined);
    expect(r.stackInfo).to.deep.equal([[
      "adnetworks spend in this update (`npx adnet-spend` shows the whole before and after):",
      "  a: new, daily 20.00, bid 3.00, running (exoclick USD)",
      "  exoclick USD: running daily budgets after this update 20.00, 1 running",
    ].join("\n")]);
    // Once: no spend line on the resources' rows.
    expect(r.text.split("\n").filter((l) => /spend USD|daily 20\.00, bid/.test(l) && !/^\s+a: new/.test(l))).to.deep.equal([]);
    expect(t.sb.network<any>("exoclick").inventory().campaigns).to.have.length(2);
    const same = await attempt((o) => t.e.stack.preview(o));
    expect(same.error).to.equal(undefined);
    expect(same.stackInfo).to.deep.equal([]);
    expect(same.text).not.to.contain("adnetworks spend");
  });

  it("maxDailyIncrease is judged on the whole stack's totals: 20 previews, resources declared in shuffled orders, one verdict each way, 0 requests when refused", async () => {
    await config({ "adnetworks:maxDailyIncrease": "5" });
    const before = requests();
    const unchanged: Spec = { a: [2000, 1], b: [2000, 0] };
    const raised: Spec = { a: [2800, 1], b: [2000, 0], c: [500, 0] };
    const verdicts: Record<string, Set<string>> = { unchanged: new Set(), raised: new Set() };
    for (let i = 0; i < 20; i++) {
      const [kind, spec] = i % 2 ? ["raised", raised] as const : ["unchanged", unchanged] as const;
      t.setProgram(campaigns(spec, shuffled(Object.keys(spec), i + 1)));
      const r = await attempt((o) => t.e.stack.preview(o));
      expectUserWords(r);
      verdicts[kind].add(JSON.stringify({ failed: !!r.error, errors: r.errors.map((e) => e.replace(/resource '\w+' has a problem/, "resource has a problem")) }));
    }
    expect([...verdicts.unchanged]).to.deep.equal([JSON.stringify({ failed: false, errors: [] })]);
    expect([...verdicts.raised]).to.deep.equal([JSON.stringify({
      failed: true,
      errors: ["pulumi-nodejs:dynamic/exoclick:Campaign resource has a problem: adnetworks:maxDailyIncrease: the running daily budgets on exoclick in USD would rise from 20.00 to 28.00 (+8.00) in this update, over the limit of 5.00; running after: a (28.00). Lower the budgets, or raise adnetworks:maxDailyIncrease for this update"],
    })]);
    expect(requests() - before).to.equal(0);
    // The same change within the limit previews fine; the preview's steps give the whole before/after.
    t.setProgram(campaigns({ a: [2400, 1], b: [2000, 0] }));
    const steps: any[] = [];
    const ok = await attempt((o) => t.e.stack.preview({ ...o, onEvent: (e) => (o.onEvent(e), e.resourcePreEvent && steps.push(e.resourcePreEvent.metadata)) }));
    expect(ok.error).to.equal(undefined);
    expect(ok.stackInfo.join("\n")).to.contain("a: daily 20.00, bid 3.00, running -> daily 24.00, bid 3.00, running (exoclick USD)")
      .and.contain("exoclick USD: running daily budgets 20.00 -> 24.00 (+4.00), 1 running");
    const s = summarizeSteps(steps, definition);
    expect(s.groups).to.have.length(1);
    expect(s.groups[0]).to.deep.include({ network: "exoclick", currency: "USD", before: { daily: 20, total: 0, running: 1 }, after: { daily: 24, total: 0, running: 1 }, change: { daily: 4, total: 0 }, starts: [], stops: [] });
    expect(s.after.map((e) => e.name).sort()).to.deep.equal(["a", "b"]);
    // The refused previews sent nothing; the passing one with a change verified the credentials: its one login.
    expect(t.sb.requests("exoclick").slice(before).map((e) => `${e.method} ${e.path}`)).to.deep.equal(["POST /v2/login"]);
  });

  it("protectRunning: replacing a running campaign fails at preview once, without a stack trace, unless adnetworks:allowReplace names it", async () => {
    await config({ "adnetworks:protectRunning": "true" });
    t.setProgram(campaigns({ a: [2000, 1, "728x90"], b: [2000, 0, "728x90"] }));
    const before = requests();
    const r = await attempt((o) => t.e.stack.preview(o));
    expect(r.error).to.exist;
    expect(r.errors).to.deep.equal([
      `pulumi-nodejs:dynamic/exoclick:Campaign resource 'a' has a problem: adnetworks:protectRunning: a is running (daily budget 20.00 USD) and this change of size would replace it (a new campaign, the old one deleted, history and learning lost). Pause it first, or allow this once: pulumi config set adnetworks:allowReplace '["a"]'`,
    ]);
    expectUserWords(r);
    await config({ "adnetworks:protectRunning": "true", "adnetworks:allowReplace": JSON.stringify(["a"]) });
    const ok = await attempt((o) => t.e.stack.preview(o));
    expect(ok.error).to.equal(undefined);
    expect(ok.result!.changeSummary.replace).to.equal(2);
    // The refused preview sent nothing; the allowed one verified the credentials: its one login.
    expect(t.sb.requests("exoclick").slice(before).map((e) => `${e.method} ${e.path}`)).to.deep.equal(["POST /v2/login"]);
  });

  it("protectRunning: a running campaign removed from the program, or destroyed, is not deleted unless adnetworks:allowDelete names it", async () => {
    t.setProgram(campaigns({ a: [2000, 1], b: [2000, 0], c: [500, 1] }));
    await t.up();
    await config({ "adnetworks:protectRunning": "true" });
    const live = () => Object.values(t.sb.network<any>("exoclick").data.campaigns).filter((x: any) => x.status !== -1).map((x: any) => x.name).sort();
    // c removed from the program: the update stops at its delete, c stays running and in state.
    t.setProgram(campaigns({ a: [2000, 1], b: [2000, 0] }));
    const r = await attempt((o) => t.e.stack.up(o));
    expect(r.error).to.exist;
    const refusal = `adnetworks:protectRunning: c is running (daily budget 5.00 USD) and would be deleted (it is no longer in the program, or this is \`pulumi destroy\`). A guardrail's verdict is all or nothing, so nothing is deleted. Pause it first and run \`pulumi up\`, or allow this once: pulumi config set adnetworks:allowDelete '["c"]'`;
    expect(r.errors.filter((e) => e.includes(refusal)), r.errors.join("\n")).to.have.length(1);
    expectUserWords(r);
    expect(live()).to.deep.equal(["Guardrails a", "Guardrails b", "Guardrails c"]);
    expect((await t.resources()).map((x: any) => x.urn.split("::").pop()).sort()).to.deep.equal(["a", "b", "c"]);
    await config({ "adnetworks:protectRunning": "true", "adnetworks:allowDelete": JSON.stringify(["c"]) });
    expect((await attempt((o) => t.e.stack.up(o))).error).to.equal(undefined);
    expect(live()).to.deep.equal(["Guardrails a", "Guardrails b"]);
    // `pulumi destroy` runs no program: the provider's first delete judges them all and refuses a (running), so b (paused) stays too.
    await config({ "adnetworks:protectRunning": "true" });
    const d = await attempt((o) => t.e.stack.destroy(o));
    expect(d.error).to.exist;
    expect(d.errors.filter((e) => e.includes("adnetworks:protectRunning: a is running (daily budget 20.00 USD) and would be deleted"))).to.have.length.greaterThan(0);
    expectUserWords(d);
    expect(live()).to.deep.equal(["Guardrails a", "Guardrails b"]);
    await config({ "adnetworks:protectRunning": "true", "adnetworks:allowDelete": JSON.stringify(["a"]) });
    expect((await attempt((o) => t.e.stack.destroy(o))).error).to.equal(undefined);
    expect(live()).to.deep.equal([]);
  });

  it("a budget given as an Output that depends on no resource is counted by the program's gate: the limit fails at preview", async () => {
    await config({ "adnetworks:maxDailyBudget": "30" });
    t.setProgram(async () => {
      await campaigns({ a: [2000, 1], b: [2000, 0] })();
      new exoclick.Campaign("c", { name: "Guardrails c", status: 1, size: "300x250", pricing: { model: 4, price: 3 }, dailyLimitType: 1, maxDailyBudget: pulumi.output(15) });
    });
    const before = requests();
    const r = await attempt((o) => t.e.stack.preview(o));
    expect(r.errors).to.deep.equal([
      "pulumi-nodejs:dynamic/exoclick:Campaign resource 'a' has a problem: adnetworks:maxDailyBudget: the running daily budgets on exoclick in USD would total 35.00, over the limit of 30.00: a (20.00), c (15.00). Lower or pause some, or raise adnetworks:maxDailyBudget",
    ]);
    expect(requests() - before).to.equal(0);
  });

  it("a budget that depends on another resource is not known until apply: the preview says so, the update judges it when known", async () => {
    await config({ "adnetworks:maxDailyBudget": "30" });
    t.setProgram(async () => {
      await campaigns({ a: [2000, 1], b: [2000, 0] })();
      const landing = new exoclick.LibraryUrl("landing", { url: "https://guardrails.example/c" });
      new exoclick.Campaign("c", { name: "Guardrails c", status: 1, size: "300x250", pricing: { model: 4, price: 3 }, dailyLimitType: 1, maxDailyBudget: landing.id.apply(() => 15) });
    });
    const p = await attempt((o) => t.e.stack.preview(o));
    expect(p.error).to.equal(undefined);
    expect(p.stackInfo.join("\n")).to.contain("adnetworks:maxDailyBudget: not known until apply for exoclick USD: the budgets of c depend on other resources; the known running daily budgets total 20.00 of the 30.00 allowed");
    const u = await attempt((o) => t.e.stack.up(o));
    expect(u.errors).to.deep.equal([
      "pulumi-nodejs:dynamic/exoclick:Campaign resource 'c' has a problem: adnetworks:maxDailyBudget: the running daily budgets on exoclick in USD would total 35.00, over the limit of 30.00: a (20.00), c (15.00). Lower or pause some, or raise adnetworks:maxDailyBudget",
    ]);
    expect(Object.values(t.sb.network<any>("exoclick").data.campaigns).filter((x: any) => x.status !== -1).map((x: any) => x.name)).not.to.include("Guardrails c");
    t.setProgram(campaigns({ a: [2000, 1], b: [2000, 0] }));
  });

  it("a 429 whose Retry-After is hours (a daily quota) fails at once with the reset time", async () => {
    t.setProgram(campaigns({ a: [2100, 1], b: [2000, 0] }));
    t.sb.faults.next({ kind: "429", count: 1, networks: ["exoclick"], routes: ["PUT"], retryAfterSeconds: 6 * 3600 });
    const before = t.sb.journal.length;
    const started = Date.now();
    const r = await attempt((o) => t.e.stack.up(o));
    const elapsed = Date.now() - started;
    expect(r.error).to.exist;
    expect(`${r.text}\n${r.error?.message}`).to.match(/request quota is used up and resets at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in 6h 0m, by its Retry-After\)/);
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

  it("a preview writes the totals per network and currency on the stack, and its steps give the before/after summary (checked against the programs' inputs)", async () => {
    const steps: any[] = [];
    const r = await attempt((o) => t.e.stack.preview({ ...o, onEvent: (e) => (o.onEvent(e), e.resourcePreEvent && steps.push(e.resourcePreEvent.metadata)) }));
    expect(r.error).to.equal(undefined);
    // The programs' inputs: ExoClick campaign paused (status 0) with 20.00 a day; Topsort 1,500.00 daily, active, bid 2.50;
    // Affise offer active with only a conversions cap (no money cap).
    expect(r.stackInfo).to.have.length(1);
    expect(r.stackInfo[0]).to.contain("exoclick USD: running daily budgets after this update 0.00, 0 running")
      .and.contain("topsort USD: running daily budgets after this update 1,500.00, 1 running");
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
    expect(rep.violations[0].message).to.contain("would total 1,500.00, over the limit of 1,000.00");
    // Nothing written (the preview's credential verification logs in to ExoClick: not a write).
    expect(t.sb.requests(undefined, { writes: true }).filter((e) => !/\/login$/.test(e.path))).to.have.length(0);
  });
});

/**
 * A guardrail's verdict is all or nothing: a stack holding running campaigns
 * and their children (variations, the image, the landing URL, an Affise offer
 * and its postback). Under protectRunning, `pulumi destroy` (with its preview
 * or --skip-preview) and an `up` that drops a running campaign write nothing,
 * and one message lists every refused resource.
 */
describe("@e2e real Pulumi engine: a guardrail's verdict is all or nothing (ExoClick and Affise)", function () {
  this.timeout(900_000);
  let t: E2E;
  const writes = () => t.sb.requests(undefined, { writes: true }).filter((e) => !/\/login$/.test(e.path)).length; // a login (credentials verified at preview) writes nothing
  const config = (values: Record<string, string>) => t.e.stack.setAllConfig(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v }])));
  const live = () => Object.values(t.sb.network<any>("exoclick").data.campaigns).filter((x: any) => x.status !== -1).map((x: any) => x.name).sort();

  /** Running campaigns a and b, paused p, each with a variation of the one landing URL and image; the Affise example's running offer and postback. */
  const launch = (without: string[] = [], o: { budgets?: Record<string, number>; revenue?: number } = {}) => async () => {
    const landing = new exoclick.LibraryUrl("landing", { url: "https://guardrails.example/launch" });
    const banner = new exoclick.LibraryFile("banner", { path: "banner-300x250.png", type: "image", size: "300x250" });
    for (const [n, status] of [["a", 1], ["b", 1], ["p", 0], ...(o.budgets?.n !== undefined ? [["n", 1] as const] : [])] as const) {
      if (without.includes(n)) continue;
      const c = new exoclick.Campaign(n, { name: `Launch ${n}`, status, size: "300x250", pricing: { model: 4, price: 3 }, dailyLimitType: 1, maxDailyBudget: o.budgets?.[n] ?? 20 });
      new exoclick.Variation(`${n}-v`, { campaignId: c.id, libraryUrlId: landing.id, libraryFileId: banner.id });
    }
    affiseOffer({ revenue: o.revenue });
  };

  before(async () => {
    t = await e2e({ program: launch(), workDir: ["examples/exoclick-banner", "examples/affise-offer"], config: (sb) => sandboxConfig(sb, ["exoclick", "affise"]) });
    await t.up();
    await config({ "adnetworks:protectRunning": "true" });
  });
  after(async () => {
    if (t) {
      await t.e.stack.removeAllConfig(GUARDRAIL_KEYS);
      await t.destroy().catch(() => undefined);
      await t.close();
    }
  });

  const all = `adnetworks:protectRunning: 3 running resources would be deleted (no longer in the program, or this is \`pulumi destroy\`): a (daily budget 20.00 USD), b (daily budget 20.00 USD), big-offer. A guardrail's verdict is all or nothing, so nothing is deleted. Pause them first and run \`pulumi up\`, or allow this once: pulumi config set adnetworks:allowDelete '["a","b","big-offer"]'`;

  it("pulumi destroy --skip-preview and pulumi destroy (with its preview): 0 writes, one message lists every running resource, the stack keeps all 10", async () => {
    const before = writes();
    const count = (await t.resources()).length;
    expect(count).to.equal(10);
    const d = await attempt((o) => t.e.stack.destroy(o)); // the Automation API's destroy is --skip-preview
    expect(d.error).to.exist;
    const refusals = d.errors.filter((e) => e.includes("adnetworks:protectRunning"));
    expect(refusals.length, d.errors.join("\n")).to.be.greaterThan(0);
    for (const e of refusals) expect(e).to.contain(all);
    expectUserWords(d);
    expect(writes() - before).to.equal(0);
    expect((await t.resources()).length).to.equal(count);
    // The CLI as a user runs it: the preview, then the destroy.
    const cli = await runChild(PULUMI_BIN, ["destroy", "--yes", "--non-interactive", "--stack", t.e.stack.name], { cwd: t.e.stack.workspace.workDir, env: { ...process.env, ...t.e.env } as NodeJS.ProcessEnv });
    expect(cli.code, cli.out).to.not.equal(0);
    expect(cli.out.replace(/\s+/g, " ")).to.contain(all);
    expect(writes() - before).to.equal(0);
    expect(live()).to.deep.equal(["Launch a", "Launch b", "Launch p"]);
    expect((await t.resources()).length).to.equal(count);
  });

  it("amounts: one that looks like the wrong unit (new, or changed) is refused at preview unless adnetworks:confirmAmounts names it; one with more decimals than the currency has is refused; 0 writes", async () => {
    const before = writes();
    const fails = async (program: auto.PulumiFn) => {
      t.setProgram(program);
      const r = await attempt((o) => t.e.stack.preview(o));
      expectUserWords(r);
      return r.errors.filter((e) => !/^(update|preview) failed$/.test(e));
    };
    // A new campaign at 1,750 a day (meant 17.50); b raised from 20.00 to 2,000.00 (a preview stops at its first failed check: one each).
    const added = await fails(launch([], { budgets: { n: 1750 } }));
    expect(added.join("\n"), added.join("\n")).to.contain("resource 'n'").and.contain("maxDailyBudget is 1,750.00 USD, above the 1,000.00 USD a exoclick.Campaign maxDailyBudget plausibly holds, which looks like the wrong unit")
      .and.contain(`pulumi config set adnetworks:confirmAmounts '["n.maxDailyBudget"]'`);
    const raised = await fails(launch([], { budgets: { b: 2000 } }));
    expect(raised.join("\n"), raised.join("\n")).to.contain("resource 'b'").and.contain("maxDailyBudget goes from 20.00 USD to 2,000.00 USD (x100), which looks like the wrong unit");
    // Confirmed, the same program previews (the other guardrails still hold).
    await config({ "adnetworks:protectRunning": "true", "adnetworks:confirmAmounts": JSON.stringify(["n", "b.maxDailyBudget"]) });
    expect(await fails(launch([], { budgets: { n: 1750, b: 2000 } }))).to.deep.equal([]);
    await config({ "adnetworks:protectRunning": "true" });
    // Affise takes major units: a payout of 30.125 USD cannot be stored.
    const decimals = await fails(launch([], { revenue: 30.125 }));
    expect(decimals.join("\n")).to.contain("payments[0].revenue is an amount in major units of the currency (USD), which the network takes to 2 decimals; got 30.125");
    expect(writes() - before).to.equal(0);
    t.setProgram(launch());
  });

  it("an up that drops a running campaign (and its variation) is refused at preview, once, and `up --skip-preview` writes nothing", async () => {
    t.setProgram(launch(["a"]));
    const one = `adnetworks:protectRunning: a is running (daily budget 20.00 USD) and would be deleted (it is no longer in the program, or this is \`pulumi destroy\`). A guardrail's verdict is all or nothing, so nothing is deleted.`;
    const before = writes();
    const p = await attempt((o) => t.e.stack.preview(o));
    expect(p.error).to.exist;
    expect(p.errors.filter((e) => e.includes(one))).to.have.length(1);
    const u = await attempt((o) => t.e.stack.up(o));
    expect(u.error).to.exist;
    expect(u.errors.filter((e) => e.includes(one)).length).to.be.greaterThan(0);
    expectUserWords(u);
    expect(writes() - before).to.equal(0);
    expect((await t.resources()).length).to.equal(10);
    // Allowed once: the update deletes a and its variation.
    await config({ "adnetworks:protectRunning": "true", "adnetworks:allowDelete": JSON.stringify(["a"]) });
    expect((await attempt((o) => t.e.stack.up(o))).error).to.equal(undefined);
    expect(live()).to.deep.equal(["Launch b", "Launch p"]);
  });
});

/**
 * `npx adnet-spend` on a program directory, as CI runs it: the real CLI's
 * `pulumi preview --json` with the guardrails in report mode, judged by the
 * same function as the provider host.
 */
describe("@e2e adnet-spend on a program directory", function () {
  this.timeout(300_000);
  let dir: string;
  let cli: PulumiCli;
  let sb: Sandbox;
  const stack = "spend";

  /** adnet-spend as a child process (its preview must not block this process, which serves the sandbox). */
  const adnetSpend = (...args: string[]) =>
    runChild(process.execPath, [path.join(ROOT, "dist", "provider", "cli", "spend.js"), "--cwd", dir, "--stack", stack, "--pulumi", PULUMI_BIN, ...args], { env: cli.env });

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-spend-program-"));
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: spend-program\nmain: index.js\nruntime: nodejs\n");
    fs.writeFileSync(path.join(dir, "index.js"), [
      `const pulumi = require("@pulumi/pulumi");`,
      `const { exoclick } = require("pulumi-adnetworks");`,
      `const spec = JSON.parse(new pulumi.Config("program").require("spec"));`,
      `for (const [name, [budget, status]] of Object.entries(spec)) {`,
      `  new exoclick.Campaign(name, { name: "Spend " + name, status, size: "300x250", pricing: { model: 4, price: 3 }, dailyLimitType: 1, maxDailyBudget: budget / 100 });`,
      `}`,
    ].join("\n"));
    cli = new PulumiCli(dir);
    sb = await startSandbox({ port: 0 });
    await cli.ok("stack", "init", stack, "--non-interactive");
    await cli.ok("config", "set", "--stack", stack, "exoclick:baseUrl", `${sb.urlFor("exoclick")}/v2`);
    await cli.ok("config", "set", "--stack", stack, "--secret", "exoclick:apiToken", TOKEN);
  });
  after(async () => {
    await sb?.close();
    cli?.cleanup();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("lists every budget even when a limit is broken (exit 1, the limit named once); pulumi preview itself refuses", async () => {
    await cli.ok("config", "set", "--stack", stack, "program:spec", JSON.stringify({ a: [2000, 1], b: [1500, 1], c: [1000, 1], d: [500, 0], e: [700, 1] }));
    await cli.ok("config", "set", "--stack", stack, "adnetworks:maxDailyBudget", "30");
    const r = await adnetSpend("--json");
    expect(r.code, r.stderr).to.equal(1);
    const rep = JSON.parse(r.stdout);
    expect(rep.after.map((e: any) => e.name).sort()).to.deep.equal(["a", "b", "c", "d", "e"]);
    expect(rep.groups[0]).to.deep.include({ network: "exoclick", currency: "USD", after: { daily: 52, total: 0, running: 4 } });
    expect(rep.violations.map((v: any) => v.message)).to.deep.equal([
      "adnetworks:maxDailyBudget: the running daily budgets on exoclick in USD would total 52.00, over the limit of 30.00: a (20.00), b (15.00), c (10.00), e (7.00). Lower or pause some, or raise adnetworks:maxDailyBudget",
    ]);
    expect(rep.previewFailed).to.equal(undefined);
    const text = await adnetSpend();
    expect(text.stdout).to.contain("spend exoclick USD: daily 0.00 -> 52.00 (+52.00), total 0.00 -> 0.00 (+0.00); running 0 -> 4")
      .and.contain("LIMIT adnetworks:maxDailyBudget: the running daily budgets on exoclick in USD would total 52.00");
    expect(text.stdout).not.to.contain("no resource with a budget");
    // Without report mode the preview itself refuses, once.
    const preview = await cli.run("preview", "--non-interactive", "--stack", stack);
    expect(preview.code).to.not.equal(0);
    expect((preview.stdout.match(/adnetworks:maxDailyBudget: the running daily budgets/g) ?? []).length).to.equal(2); // the row and the Diagnostics, as Pulumi prints every error
    expect(sb.journal).to.have.length(0);
  });

  it("an unchanged program and stack with adnetworks:maxDailyIncrease: exit 0 every time (it passed 4 runs of 12)", async () => {
    await cli.ok("config", "rm", "--stack", stack, "adnetworks:maxDailyBudget");
    await cli.ok("up", "--yes", "--non-interactive", "--skip-preview", "--stack", stack);
    await cli.ok("config", "set", "--stack", stack, "adnetworks:maxDailyIncrease", "0");
    for (let i = 0; i < 3; i++) {
      const r = await adnetSpend("--json");
      expect(r.code, `run ${i + 1}: ${r.stdout}${r.stderr}`).to.equal(0);
      const rep = JSON.parse(r.stdout);
      expect(rep.violations).to.deep.equal([]);
      expect(rep.groups[0]).to.deep.include({ before: { daily: 52, total: 0, running: 4 }, after: { daily: 52, total: 0, running: 4 }, change: { daily: 0, total: 0 } });
    }
    // And the preview itself, not in report mode, passes too.
    const preview = await cli.run("preview", "--non-interactive", "--stack", stack);
    expect(preview.code, preview.stdout).to.equal(0);
    await cli.ok("destroy", "--yes", "--non-interactive", "--stack", stack);
  });
});
