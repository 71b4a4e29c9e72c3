/**
 * Issue #20 §1, done-when for ExoClick: with the real engine against the
 * sandbox, a campaign with every buyer field is deployed, some fields change
 * in place, a refresh shows no drift, and adnet-import turns the account into
 * code that a new stack adopts with 0 changes.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { exoclick } from "pulumi-adnetworks";
import { e2e, E2E, changes, ROOT } from "./support/engine";
import { PulumiCli } from "./support/cli";
import { sandboxSettings } from "./support/accounts";
import { ExoClickSandbox } from "../provider/sandbox/exoclick";
import { SUMMARY_FILE, ImportSummary } from "../provider/import/importer";
import { adnetImport } from "./support/adopt";

/** Every buyer field (sandbox reference-list ids: browsers 1 Chrome, 2 Firefox, 3 Safari; carriers 104 Telekom; ...). */
const BUYER = {
  name: "Spring sale DE 300x250",
  size: "300x250",
  countries: { type: "targeted", elements: [{ country: "DEU" }] },
  pricing: { model: 2, price: 2.5 },
  startDate: "2027-03-02",
  endDate: "2027-06-30",
  dailyLimitType: 1,
  maxDailyBudget: 50,
  totalBudgetLimit: 1500,
  totalImpressions: 5_000_000,
  maxDailyImpressions: 200_000,
  dailyLimitDeliveryMode: 1,
  optimizationAlgorithm: 1,
  publisherAdTypes: [1, 2],
  deviceTypes: { type: "targeted", elements: [2, 3] },
  browsers: { targeted: [1, 2] },
  carriers: { blocked: [104] },
  devices: { targeted: [4, 10] },
  languages: { targeted: [2] },
  operatingSystems: { targeted: [5, 6] },
  sites: { blocked: ["spam.example"] },
  keywords: { targeted: ["fruehling", "sale"] },
  ipRanges: { blocked: ["10.0.0.0/8"] },
  dayParting: { timezone: "Europe/Berlin", parting: [{ day: 1, hours: [8, 9, 10] }, { day: 6, hours: [20, 21] }] },
  frequencyCapping: { impressions: 3, minutes: 1440 },
  zoneTargeting: { type: 1 },
  zones: [{ zoneId: 1234567 }, { zoneId: 7654321, price: 4.5 }],
};

function program(args: Record<string, unknown>) {
  return async () => {
    const c = new exoclick.Campaign("spring-de", args as exoclick.CampaignArgs);
    return { campaignId: c.id, calculatedStatus: c.calculatedStatus, totalBudgetSpent: c.totalBudgetSpent };
  };
}

describe("@e2e real Pulumi engine: an ExoClick campaign with every buyer field (issue #20)", function () {
  this.timeout(600_000);
  let t: E2E;
  const exo = () => t.sb.network<ExoClickSandbox>("exoclick");
  const campaign = () => exo().inventory().campaigns[0] as any;
  const writes = (from: number) => t.sb.requests("exoclick", { writes: true }).filter((r) => r.seq > from && r.path !== "/v2/login").map((r) => `${r.method} ${r.path.replace(/\/\d+/, "/:id")}`);
  const lastSeq = () => t.sb.journal.reduce((m, r) => Math.max(m, r.seq), 0);
  // Made in before (not while mocha loads the file): a run that skips these tests leaves no folder.
  let tmp = "";
  let cli: PulumiCli | undefined;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-buyer-"));
    t = await e2e({
      program: program(BUYER),
      config: (sb) => Object.fromEntries(Object.entries(sandboxSettings(sb, "exoclick").config)),
    });
  });
  after(async () => {
    cli?.cleanup();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    await t?.close();
  });

  it("1. up creates the campaign with every buyer field: body, targeting routes, and the outputs ExoClick computes", async () => {
    const up = await t.up();
    expect(up.summary.resourceChanges).to.deep.equal({ create: 2 }); // the stack and the campaign
    expect(exo().inventory().campaigns).to.have.length(1);
    const c = campaign();
    expect(c).to.include({ total_budget_limit: 150_000, total_impressions: 5_000_000, max_daily_impressions: 200_000, daily_limit_delivery_mode: 1, optimization_algorithm: 1 });
    expect(c.capping).to.deep.equal({ quantity: 3, frequency: 1440 });
    expect(c.day_parting).to.deep.equal([{ day: 1, hours: [8, 9, 10] }, { day: 6, hours: [20, 21] }]);
    expect(c.zone_targeting).to.include({ type: 1 });
    expect(c.zones.map((z: any) => [z.idzone, z.price])).to.deep.equal([[1234567, 0], [7654321, 450]]);
    const tg = exo().data.targeting[c.id];
    expect([tg.browsers.targeted, tg.carriers.blocked, tg.devices.targeted, tg.languages.targeted, tg.operating_systems.targeted, tg.sites.blocked, tg.keywords.targeted, tg.ip_ranges.blocked])
      .to.deep.equal([[1, 2], [104], [4, 10], [2], [5, 6], ["spam.example"], ["fruehling", "sale"], ["10.0.0.0/8"]]);
    expect(up.outputs.calculatedStatus.value).to.equal("Paused");
    expect(up.outputs.totalBudgetSpent.value).to.equal(0);
    // Each reference list was read at most once in the run (at preview time, in check).
    const lists = t.sb.requests("exoclick").filter((r) => r.path.startsWith("/v2/collections/")).map((r) => r.path);
    expect(lists.length).to.equal(new Set(lists).size);
  });

  it("2. preview right after up shows no changes, with no request to the reference lists", async () => {
    const from = lastSeq();
    const pv = await t.preview();
    expect(changes(pv)).to.deep.equal({});
    expect(t.sb.requests("exoclick").filter((r) => r.seq > from && r.path.startsWith("/v2/collections/"))).to.deep.equal([]);
  });

  it("3. changes in place: same id, one update, no replace, only the changed targeting lists written", async () => {
    const id = campaign().id;
    const { keywords: _kw, frequencyCapping: _cap, ...rest } = BUYER;
    t.setProgram(program({
      ...rest,
      browsers: { targeted: [3] },
      dayParting: { timezone: "Europe/Berlin", parting: [{ day: 1, hours: [8, 9, 10, 11] }] },
      totalBudgetLimit: 2000,
      zones: [{ zoneId: 1234567, price: 3 }],
    }));
    const from = lastSeq();
    const up = await t.up();
    expect(up.summary.resourceChanges).to.deep.include({ update: 1 });
    expect(up.summary.resourceChanges).not.to.have.property("replace");
    expect(exo().inventory().campaigns).to.have.length(1);
    expect(campaign().id).to.equal(id);
    expect(writes(from).sort()).to.deep.equal([
      "DELETE /v2/campaigns/:id/targeted/keywords/all", "PUT /v2/campaigns/:id", "PUT /v2/campaigns/:id/targeted/browsers",
    ]);
    const c = campaign();
    expect(c.capping).to.deep.equal({ quantity: 0, frequency: 0 });
    expect(c.total_budget_limit).to.equal(200_000);
    expect(c.day_parting).to.deep.equal([{ day: 1, hours: [8, 9, 10, 11] }]);
    expect(exo().data.targeting[id].browsers.targeted).to.deep.equal([3]);
    expect(exo().data.targeting[id].keywords).to.deep.equal({ targeted: [], blocked: [] });
  });

  it("4. refresh finds no drift, and preview then shows no changes", async () => {
    const rf = await t.refresh();
    expect(rf.summary.result).to.equal("succeeded");
    expect(rf.summary.resourceChanges ?? {}).not.to.have.property("update");
    expect(changes(await t.preview())).to.deep.equal({});
  });

  it("5. adnet-import writes the campaign as code (reading only); a new stack adopts it with 0 changes", async () => {
    const out = path.join(tmp, "imported");
    const settings = sandboxSettings(t.sb, "exoclick");
    const from = lastSeq();
    const r = await adnetImport(["--network", "exoclick", "--out", out], settings.env);
    expect(r.code, r.out).to.equal(0);
    expect(writes(from)).to.deep.equal([]);
    const summary: ImportSummary = JSON.parse(fs.readFileSync(path.join(out, SUMMARY_FILE), "utf8"));
    expect(summary.imported).to.deep.equal({ "exoclick:Campaign": 1 });
    const code = fs.readFileSync(path.join(out, "exoclick.ts"), "utf8");
    for (const field of ["browsers: {", "carriers: {", "devices: {", "languages: {", "operatingSystems: {", "sites: {", "ipRanges: {", "deviceTypes: {",
      "dayParting: {", "timezone: \"Europe/Berlin\",", "zoneTargeting: {", "zones: [", "totalBudgetLimit: 2000,", "totalImpressions: 5000000,", "maxDailyImpressions: 200000,",
      "dailyLimitDeliveryMode: 1,", "optimizationAlgorithm: 1,", "publisherAdTypes: ["]) {
      expect(code, field).to.contain(field);
    }
    expect(code).not.to.contain("frequencyCapping"); // removed at step 3
    expect(code).not.to.contain("keywords");
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(out, "node_modules"));
    cli = new PulumiCli(out);
    await cli.ok("stack", "init", "dev", "--non-interactive");
    for (const [k, v] of Object.entries(settings.config)) await cli.ok("config", "set", ...(v.secret ? ["--secret"] : []), k, v.value);
    const before = lastSeq();
    expect(await cli.up()).to.deep.equal({ create: 1, import: 1 }); // create: the stack itself
    expect(writes(before)).to.deep.equal([]);
    await cli.ok("preview", "--expect-no-changes", "--non-interactive");
  });

  it("6. destroy archives the campaign", async () => {
    const id = campaign().id;
    const d = await t.destroy();
    expect(d.summary.resourceChanges).to.deep.include({ delete: 2 });
    expect(exo().data.campaigns[id].status).to.equal(-1);
    expect(exo().inventory().campaigns).to.have.length(0);
  });
});
