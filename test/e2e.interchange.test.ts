import { expect } from "chai";
import { e2e, E2E, changes } from "./support/engine";
import { InterchangeSandbox, INTERCHANGE_SANDBOX_CREDENTIALS } from "../provider/sandbox/interchange";
import { interchangeCampaign, InterchangeCampaignOptions } from "../examples/retail-media/interchange";

const KEY = INTERCHANGE_SANDBOX_CREDENTIALS.apiKey;

describe("@e2e real Pulumi engine: Interchange campaign (retail-media example)", function () {
  this.timeout(180_000);
  let t: E2E;
  const ic = () => t.sb.network<InterchangeSandbox>("interchange");
  const live = () => ic().inventory().campaigns as any[];
  const program = (o: InterchangeCampaignOptions = {}) => async () => interchangeCampaign(o);
  const actions = () => t.sb.requests("interchange", { writes: true }).filter((r) => /\/(execute|pause|reactivate)$/.test(r.path)).map((r) => r.path.split("/").pop());

  before(async () => {
    t = await e2e({
      program: program(),
      config: (sb) => ({
        "interchange:baseUrl": { value: sb.urlFor("interchange") },
        "interchange:apiKey": { value: KEY, secret: true },
      }),
    });
  });
  after(async () => t?.close());

  it("1. up creates the campaign DRAFT and executes it to ACTIVE", async () => {
    const up = await t.up();
    expect(up.summary.result).to.equal("succeeded");
    expect(live()).to.have.length(1);
    const c = live()[0];
    expect(c.status).to.equal("ACTIVE");
    expect(c.campaignId).to.match(/^cmp_\d+$/);
    expect(up.outputs.interchangeCampaignId.value).to.equal(c.campaignId);
    expect(up.outputs.interchangeStatus.value).to.equal("ACTIVE");
    expect(actions()).to.deep.equal(["execute"]);
  });

  it("2. preview right after up shows no changes", async () => {
    const pv = await t.preview();
    expect(changes(pv)).to.deep.equal({});
  });

  it("2b. refresh right after up changes nothing, and a preview after it shows no changes", async () => {
    const writesBefore = t.sb.requests("interchange", { writes: true }).length;
    const stateBefore = (await t.resources()).map((r: any) => [r.urn, r.inputs, r.outputs]);
    const rf = await t.refresh();
    expect(rf.summary.result).to.equal("succeeded");
    const rc = rf.summary.resourceChanges ?? {};
    expect(Object.keys(rc).filter((k) => k !== "same"), JSON.stringify(rc)).to.deep.equal([]);
    expect((await t.resources()).map((r: any) => [r.urn, r.inputs, r.outputs])).to.deep.equal(stateBefore);
    expect(t.sb.requests("interchange", { writes: true }).length, "a refresh only reads").to.equal(writesBefore);
    expect(changes(await t.preview())).to.deep.equal({});
  });

  it("3. pause and reactivate through up: in place, same campaign, the right actions", async () => {
    const id = live()[0].campaignId;
    t.setProgram(program({ status: "PAUSED" }));
    const paused = await t.up();
    expect(paused.summary.resourceChanges).to.deep.include({ update: 1 });
    expect(ic().data.campaigns[id].status).to.equal("PAUSED");
    t.setProgram(program({ status: "ACTIVE", budgetTotal: 6000 }));
    const active = await t.up();
    expect(active.summary.resourceChanges).to.deep.include({ update: 1 });
    expect(active.summary.resourceChanges).not.to.have.property("replace");
    expect(ic().data.campaigns[id]).to.deep.include({ status: "ACTIVE" });
    expect(ic().data.campaigns[id].budget?.total).to.equal(6000);
    expect(actions()).to.deep.equal(["execute", "pause", "reactivate"]);
    expect(changes(await t.preview())).to.deep.equal({});
  });

  it("4. refresh records an out-of-band pause; the next up reactivates", async () => {
    const id = live()[0].campaignId;
    ic().data.campaigns[id].status = "PAUSED"; // paused in the dashboard
    const rf = await t.refresh();
    expect(rf.summary.resourceChanges).to.deep.include({ update: 1 });
    const [state] = await t.resources("Campaign");
    expect(state.outputs.status).to.equal("PAUSED");
    expect(state.outputs.campaignId).to.equal(id);
    expect(changes(await t.preview())).to.deep.equal({ update: 1 });
    await t.up();
    expect(ic().data.campaigns[id].status).to.equal("ACTIVE");
    expect(actions().slice(-1)).to.deep.equal(["reactivate"]);
  });

  it("5. the key is a secret: not in state, outputs or the journal", async () => {
    expect(JSON.stringify(await t.state())).not.to.contain(KEY);
    expect(JSON.stringify(await t.e.stack.outputs())).not.to.contain(KEY);
    expect(JSON.stringify(t.sb.journal)).not.to.contain(KEY);
    expect((await t.e.stack.getConfig("interchange:apiKey")).secret).to.equal(true);
  });

  it("6. destroy archives the campaign (soft delete)", async () => {
    const id = live()[0].campaignId;
    const d = await t.destroy();
    expect(d.summary.result).to.equal("succeeded");
    expect(live()).to.have.length(0);
    expect(ic().data.campaigns[id].status).to.equal("ARCHIVED");
    expect(t.sb.requests("interchange", { writes: true }).filter((r) => r.method === "DELETE").map((r) => r.status)).to.deep.equal([204]);
  });
});
