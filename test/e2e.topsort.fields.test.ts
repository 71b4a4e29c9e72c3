import { expect } from "chai";
import * as pulumi from "pulumi-adnetworks";
import { e2e, E2E, changes } from "./support/engine";
import { importAndAdopt } from "./support/adopt";
import { TopsortSandbox, TOPSORT_SANDBOX_CREDENTIALS } from "../provider/sandbox/topsort";

const KEY = TOPSORT_SANDBOX_CREDENTIALS.apiKey;
const PREFIX = "/public/v1/campaign-service";

/** A campaign with every field issue #20 added: audience targeting, exclusion, multipliers, auto-trigger, objective, frequency caps. */
const ARGS: pulumi.topsort.CampaignArgs = {
  vendorId: "vendor-acme", name: "Audience listing", adFormat: "listing", campaignType: "autobidding",
  budget: { amount: 3000, type: "weekly" }, startDate: "2027-03-01T00:00:00Z", endDate: "2027-06-30T00:00:00Z",
  bids: [{ amount: 0.4, target: { id: "sku-1" } }, { amount: 0.55, target: { id: "sku-2" } }],
  externalCampaignId: "acme-audience-1",
  isAutoTrigger: true,
  autobiddingObjective: "conversions",
  targetingFilters: { segments: [{ segmentId: "DFJ9R4" }, { segmentId: "984103" }] },
  exclusionFilters: { segments: [{ segmentId: "recent-buyers-7d" }] },
  multiplierConfig: { multipliers: [{ segmentId: "DFJ9R4", multiplier: 2.5 }, { segmentId: "984103", multiplier: 1.5 }] },
  restrictions: [{ restrictionTypeId: 1, limit: 10 }, { restrictionTypeId: 4, limit: 3 }],
};

/** Changed in place: the objective, a multiplier, the exclusion removed, a cap's limit, a cap removed. */
const CHANGED: pulumi.topsort.CampaignArgs = {
  ...ARGS,
  autobiddingObjective: "revenue",
  exclusionFilters: undefined,
  multiplierConfig: { multipliers: [{ segmentId: "DFJ9R4", multiplier: 3 }, { segmentId: "984103", multiplier: 1.5 }] },
  restrictions: [{ restrictionTypeId: 1, limit: 20 }],
};

describe("@e2e real Pulumi engine: a Topsort campaign with audience targeting, multipliers and frequency caps (issue #20)", function () {
  this.timeout(600_000);
  let t: E2E;
  const ts = () => t.sb.network<TopsortSandbox>("topsort");
  const campaigns = () => Object.values(ts().data.campaigns);
  const program = (args: pulumi.topsort.CampaignArgs) => async () => ({ campaignId: new pulumi.topsort.Campaign("audience", args).id });

  before(async () => {
    t = await e2e({
      program: program(ARGS),
      config: (sb) => ({ "topsort:baseUrl": { value: sb.urlFor("topsort") }, "topsort:apiKey": { value: KEY, secret: true } }),
    });
  });
  after(async () => t?.close());

  it("1. up creates the campaign with every field in the create body, then its two frequency caps", async () => {
    const up = await t.up();
    expect(up.summary.result).to.equal("succeeded");
    const c = campaigns()[0];
    const w = t.sb.requests("topsort", { writes: true }).map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(w).to.deep.equal([`POST ${PREFIX}/campaigns 201`, `POST ${PREFIX}/campaigns/${c.campaignId}/restrictions 201`, `POST ${PREFIX}/campaigns/${c.campaignId}/restrictions 201`]);
    expect(c).to.deep.include({ isAutoTrigger: true, autobiddingObjective: "conversions", externalCampaignId: "acme-audience-1" });
    expect(c.targetingFilters).to.deep.equal({ isActive: true, targetingFilters: [{ type: "user_segment", segmentId: "DFJ9R4" }, { type: "user_segment", segmentId: "984103" }] });
    expect(c.exclusionFilters).to.deep.equal({ isActive: true, exclusionFilters: [{ type: "user_segment", segmentId: "recent-buyers-7d" }] });
    expect(c.multiplierConfig.multipliers.map((m: any) => m.multiplier)).to.deep.equal([2.5, 1.5]);
    expect(ts().data.restrictions[c.campaignId].map((r: any) => [r.restrictionType.id, r.limit, r.status])).to.deep.equal([[1, 10, "active"], [4, 3, "active"]]);
    expect(up.outputs.campaignId.value).to.equal(c.campaignId);
  });

  it("2. preview right after up shows no changes; refresh reads the campaign, its bids and caps and changes nothing", async () => {
    expect(changes(await t.preview())).to.deep.equal({});
    const id = campaigns()[0].campaignId;
    const mark = t.sb.journal.length;
    const rf = await t.refresh();
    expect(rf.summary.resourceChanges ?? {}).not.to.have.property("update");
    expect(t.sb.requests("topsort").slice(mark).map((r) => `${r.method} ${r.path}`)).to.deep.equal([
      `GET ${PREFIX}/campaigns/${id}`, `GET ${PREFIX}/campaigns/${id}/bids`, `GET ${PREFIX}/campaigns/${id}/restrictions`,
    ]);
    expect(changes(await t.preview())).to.deep.equal({});
  });

  it("3. objective, multipliers, exclusion and caps change in place: one campaign PATCH, then the restriction PATCHes", async () => {
    const c = campaigns()[0];
    const [r1, r4] = ts().data.restrictions[c.campaignId].map((r: any) => r.id);
    const mark = t.sb.requests("topsort", { writes: true }).length;
    t.setProgram(program(CHANGED));
    const up = await t.up();
    expect(up.summary.resourceChanges).to.deep.include({ update: 1 });
    expect(up.summary.resourceChanges).not.to.have.property("replace");
    const w = t.sb.requests("topsort", { writes: true }).slice(mark);
    expect(w.map((r) => `${r.method} ${r.path.replace(`${PREFIX}/campaigns/${c.campaignId}`, "")}`)).to.deep.equal(["PATCH ", `PATCH /restrictions/${r1}`, `PATCH /restrictions/${r4}`]);
    expect(Object.keys(w[0].body as object).sort()).to.deep.equal(["autobiddingObjective", "exclusionFilters", "multiplierConfig"]);
    expect(campaigns()).to.have.length(1);
    expect(c).to.deep.include({ autobiddingObjective: "revenue", exclusionFilters: null });
    expect(ts().data.restrictions[c.campaignId].map((r: any) => [r.restrictionType.id, r.limit, r.status])).to.deep.equal([[1, 20, "active"], [4, 3, "inactive"]]);
  });

  it("4. refresh after the update: no drift, and the next preview shows no changes", async () => {
    const rf = await t.refresh();
    expect(rf.summary.resourceChanges ?? {}).not.to.have.property("update");
    expect(changes(await t.preview())).to.deep.equal({});
  });

  it("5. adnet-import writes the campaign as code; a new stack adopts it with 0 changes and 0 writes", async () => {
    const a = await importAndAdopt(t.sb, "topsort");
    expect(a.writesDuringImport).to.deep.equal([]);
    expect(a.summary.imported).to.deep.equal({ "topsort:Campaign": 1 });
    for (const s of ["autobiddingObjective: \"revenue\"", "isAutoTrigger: true", "targetingFilters: {", "segmentId: \"DFJ9R4\"", "multiplier: 3", "restrictions: [", "restrictionTypeId: 1"]) {
      expect(a.code, s).to.contain(s);
    }
    expect(a.code).not.to.contain("exclusionFilters");
    expect(a.up).to.deep.equal({ create: 1, import: 1 });
    expect(a.writesDuringUp).to.deep.equal([]);
  });

  it("6. destroy deletes the campaign", async () => {
    const d = await t.destroy();
    expect(d.summary.result).to.equal("succeeded");
    expect(campaigns()).to.deep.equal([]);
  });
});
