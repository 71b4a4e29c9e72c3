import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { e2e, E2E, changes, ROOT } from "./support/engine";
import { EXOCLICK_SANDBOX_CREDENTIALS, ExoClickSandbox } from "../provider/sandbox/exoclick";
import { providerReference } from "../provider/core/engine/reference";
import { exoclickBanner } from "../examples/exoclick-banner/program";

/**
 * test/fixtures/state-v0.1.0 was written by commit 1b96440 (the serialized
 * closure design: a 2.2 KB closure in every resource's __provider) with
 * `exoclickBanner({ prefix: "mig", count: 1 })` against a sandbox persisted
 * to sandbox.json; the stack was exported with `pulumi stack export` and the
 * machine's paths removed from its stack traces.
 */
const FIXTURE = path.join(ROOT, "test", "fixtures", "state-v0.1.0");
const keyOf = (type: string) => type.replace(/^pulumi-nodejs:dynamic\//, "");

describe("@e2e real Pulumi engine: a stack written by the serialized-closure version upgrades in place", function () {
  this.timeout(180_000);
  let t: E2E;
  let dataDir: string;
  const fixture = JSON.parse(fs.readFileSync(path.join(FIXTURE, "stack.json"), "utf8"));

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-migration-"));
    const data = path.join(dataDir, "sandbox.json");
    fs.copyFileSync(path.join(FIXTURE, "sandbox.json"), data);
    t = await e2e({
      project: "adnet-migration",
      stack: "dev",
      program: async () => exoclickBanner({ prefix: "mig", count: 1 }),
      workDir: "examples/exoclick-banner",
      sandbox: { persistPath: data },
      config: (sb) => ({
        "exoclick:baseUrl": { value: `${sb.urlFor("exoclick")}/v2` },
        "exoclick:apiToken": { value: EXOCLICK_SANDBOX_CREDENTIALS.apiToken, secret: true },
      }),
    });
    await t.e.stack.importStack(fixture);
  });
  after(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("the fixture holds the old serialized closures and the sandbox holds its objects", async () => {
    const res = await t.resources();
    expect(res).to.have.length(4);
    for (const r of res) {
      expect(r.outputs.__provider).to.contain(`require("pulumi-adnetworks/host").call(key,`);
      expect(Buffer.byteLength(r.outputs.__provider)).to.be.greaterThan(2000);
    }
    const inv = t.sb.network<ExoClickSandbox>("exoclick").inventory();
    expect([inv.libraryUrls.length, inv.libraryFiles.length, inv.campaigns.length, inv.variations.length]).to.deep.equal([1, 1, 1, 1]);
  });

  it("the next up is an update of __provider only: no replace, no request to the network", async () => {
    const ids = Object.fromEntries((await t.resources()).map((r) => [r.urn, r.id]));
    const pv = await t.preview();
    expect(changes(pv)).to.deep.equal({ update: 4 });
    const up = await t.up();
    expect(up.summary.result).to.equal("succeeded");
    expect(up.summary.resourceChanges).to.deep.include({ update: 4 });
    for (const op of ["create", "delete", "replace", "create-replacement", "delete-replaced"]) expect(up.summary.resourceChanges).not.to.have.property(op);
    expect(t.sb.journal, JSON.stringify(t.sb.journal.map((e) => `${e.method} ${e.path}`))).to.have.length(0);
    const res = await t.resources();
    expect(Object.fromEntries(res.map((r) => [r.urn, r.id]))).to.deep.equal(ids);
    for (const r of res) {
      const ref = providerReference(keyOf(r.type));
      expect(r.inputs.__provider).to.equal(ref);
      expect(r.outputs.__provider).to.equal(ref);
    }
    // The outputs the network computed survive the upgrade (the variation's id, the file's size);
    // the campaign's amounts, stored in cents by that version, are now in major units.
    const old = Object.fromEntries(fixture.deployment.resources.map((r: any) => [r.urn, r]));
    for (const r of res) {
      const { __provider: _a, ...was } = old[r.urn].outputs;
      const { __provider: _b, ...now } = r.outputs;
      if (r.type.endsWith(":Campaign")) {
        expect([was.maxDailyBudget, was.pricing.price]).to.deep.equal([2000, 300]);
        expect(now, r.type).to.deep.equal({ ...was, maxDailyBudget: 20, pricing: { ...was.pricing, price: 3 } });
      } else expect(now, r.type).to.deep.equal(was);
    }
  });

  it("afterwards preview shows no changes and still sends nothing", async () => {
    expect(changes(await t.preview())).to.deep.equal({});
    expect(t.sb.journal).to.have.length(0);
  });

  it("the upgraded stack is managed as before: refresh finds no drift, destroy deletes the objects", async () => {
    const r = await t.refresh();
    expect(r.summary.resourceChanges ?? {}).not.to.have.property("update");
    const d = await t.destroy();
    expect(d.summary.result).to.equal("succeeded");
    const inv = t.sb.network<ExoClickSandbox>("exoclick").inventory();
    expect(inv.campaigns.filter((c: any) => c.status !== -1)).to.have.length(0);
  });
});

/**
 * test/fixtures/state-b445a7b was written by main at b445a7b (the provider
 * reference without a state version; amounts in each network's wire unit)
 * with an ExoClick banner (maxDailyBudget 2000 cents, price 300 cents), a
 * Topsort banner campaign (budget 150000 minor units, bid 250) and an
 * Interchange campaign (major units already), against a sandbox persisted
 * to sandbox.json; exported with `pulumi stack export`, the machine's paths
 * removed from its source positions.
 */
const MONEY_FIXTURE = path.join(ROOT, "test", "fixtures", "state-b445a7b");

describe("@e2e real Pulumi engine: a stack whose amounts are in the networks' units (b445a7b) moves to major units with no request and no replace", function () {
  this.timeout(240_000);
  let t: E2E;
  let dataDir: string;
  const fixture = JSON.parse(fs.readFileSync(path.join(MONEY_FIXTURE, "stack.json"), "utf8"));
  const { sandboxConfig } = require("../provider/sandbox/config") as typeof import("../provider/sandbox/config");
  const { topsortCampaign } = require("../examples/retail-media/topsort") as typeof import("../examples/retail-media/topsort");
  const { interchangeCampaign } = require("../examples/retail-media/interchange") as typeof import("../examples/retail-media/interchange");
  /** The fixture's program as this version writes it: amounts in major units (the examples' defaults: 20.00, 3.00, 1,500.00, 2.50). */
  const program = (o: { maxDailyBudget?: number; budgetAmount?: number } = {}) => async () => ({
    ...exoclickBanner({ prefix: "mig", count: 1, maxDailyBudget: o.maxDailyBudget }),
    ...topsortCampaign({ prefix: "mig", budgetAmount: o.budgetAmount }),
    ...interchangeCampaign({ prefix: "mig" }),
  });

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-money-migration-"));
    const data = path.join(dataDir, "sandbox.json");
    fs.copyFileSync(path.join(MONEY_FIXTURE, "sandbox.json"), data);
    t = await e2e({
      project: "adnet-money",
      stack: "dev",
      program: program(),
      workDir: "examples/exoclick-banner",
      sandbox: { persistPath: data },
      config: (sb) => ({ ...sandboxConfig("exoclick", sb.urlFor("exoclick")), ...sandboxConfig("topsort", sb.urlFor("topsort")), ...sandboxConfig("interchange", sb.urlFor("interchange")) }),
    });
    await t.e.stack.importStack(fixture);
  });
  after(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("the fixture holds the amounts in the networks' units and the reference without a state version", async () => {
    const res = await t.resources();
    expect(res).to.have.length(6);
    const exo = res.find((r) => r.type.endsWith("exoclick:Campaign"));
    const ts = res.find((r) => r.type.endsWith("topsort:Campaign"));
    expect([exo.inputs.maxDailyBudget, exo.inputs.pricing.price, ts.inputs.budget.amount, ts.inputs.bids[0].amount]).to.deep.equal([2000, 300, 150000, 250]);
    for (const r of res) expect(r.inputs.__provider).to.equal(providerReference(keyOf(r.type)).replace(/,1\)$/, ")"));
  });

  it("a refresh before the upgrade keeps the stored units (Pulumi keeps the stored reference, so read answers in its units)", async () => {
    // (The refresh may record what the fixture's sandbox answers differently from when it was written: the file URL's port, Topsort's wallet.)
    await t.refresh();
    const res = await t.resources();
    const exo = res.find((x) => x.type.endsWith("exoclick:Campaign"));
    const ts = res.find((x) => x.type.endsWith("topsort:Campaign"));
    expect([exo.outputs.maxDailyBudget, exo.outputs.pricing.price, ts.outputs.budget.amount, ts.outputs.bids[0].amount]).to.deep.equal([2000, 300, 150000, 250]);
    expect(exo.outputs.__provider).to.equal(providerReference("exoclick:Campaign").replace(/,1\)$/, ")"));
    expect(t.sb.requests(undefined, { writes: true }).filter((e) => e.path !== "/v2/login")).to.have.length(0);
    t.sb.journal.length = 0;
  });

  it("a program that still writes cents (maxDailyBudget: 2000) or minor units (budget.amount: 150000) fails at preview, naming the amounts and what to write, with 0 requests", async () => {
    const failure = async (p: ReturnType<typeof program>) => {
      t.setProgram(p);
      try {
        const err = await t.preview().then(() => undefined, (e) => e);
        expect(err, "the preview must fail").to.not.equal(undefined);
        return String(err?.message ?? err);
      } finally {
        t.setProgram(program());
      }
    };
    expect(await failure(program({ maxDailyBudget: 2000 }))).to.contain("maxDailyBudget: 2000 is 2,000.00 USD in this version, which takes every amount in major units of the currency; the stack holds 20.00 USD (written as 2000 cents by the version before), so this would multiply it by 100. Write maxDailyBudget: 20 to keep it");
    expect(await failure(program({ budgetAmount: 150000 }))).to.contain("budget.amount: 150000 is 150,000.00 USD in this version, which takes every amount in major units of the currency; the stack holds 1,500.00 USD (written as 150000 minor units by the version before), so this would multiply it by 100. Write amount: 1500 to keep it");
    expect(t.sb.journal, JSON.stringify(t.sb.journal.map((e) => `${e.network} ${e.method} ${e.path}`))).to.have.length(0);
  });

  it("the program in major units upgrades the stack: updates only, no replace, 0 requests; state holds major units and the versioned reference", async () => {
    const ids = Object.fromEntries((await t.resources()).map((r) => [r.urn, r.id]));
    const pv = await t.preview();
    // Every resource's reference changes (the state version); no input does.
    expect(changes(pv)).to.deep.equal({ update: 6 });
    const up = await t.up();
    expect(up.summary.result).to.equal("succeeded");
    expect(up.summary.resourceChanges).to.deep.include({ update: 6 });
    for (const op of ["create", "delete", "replace", "create-replacement", "delete-replaced"]) expect(up.summary.resourceChanges).not.to.have.property(op);
    expect(t.sb.journal, JSON.stringify(t.sb.journal.map((e) => `${e.network} ${e.method} ${e.path}`))).to.have.length(0);
    const res = await t.resources();
    expect(Object.fromEntries(res.map((r) => [r.urn, r.id]))).to.deep.equal(ids);
    const exo = res.find((r) => r.type.endsWith("exoclick:Campaign"));
    const ts = res.find((r) => r.type.endsWith("topsort:Campaign"));
    const ic = res.find((r) => r.type.endsWith("interchange:Campaign"));
    for (const side of ["inputs", "outputs"]) {
      expect([exo[side].maxDailyBudget, exo[side].pricing.price], side).to.deep.equal([20, 3]);
      expect([ts[side].budget.amount, ts[side].bids[0].amount], side).to.deep.equal([1500, 2.5]);
      expect(ic[side].budget, side).to.deep.include({ total: 5000, dailyCap: 250 });
    }
    for (const r of res) expect(r.outputs.__provider).to.equal(providerReference(keyOf(r.type)));
    // The networks still hold their own units.
    expect(t.sb.network<ExoClickSandbox>("exoclick").data.campaigns[exo.id].max_daily_budget).to.equal(2000);
  });

  it("afterwards preview shows no changes, refresh finds no drift, and a budget change sends the network's unit", async () => {
    expect(changes(await t.preview())).to.deep.equal({});
    const r = await t.refresh();
    expect(r.summary.resourceChanges ?? {}).not.to.have.property("update");
    expect(t.sb.requests(undefined, { writes: true }).filter((e) => e.path !== "/v2/login")).to.have.length(0);
    t.setProgram(program({ maxDailyBudget: 25 }));
    const up = await t.up();
    expect(up.summary.resourceChanges).to.deep.include({ update: 1 });
    const exo = (await t.resources()).find((x) => x.type.endsWith("exoclick:Campaign"));
    expect(t.sb.network<ExoClickSandbox>("exoclick").data.campaigns[exo.id].max_daily_budget).to.equal(2500);
    const d = await t.destroy();
    expect(d.summary.result).to.equal("succeeded");
  });
});
