import { expect } from "chai";
import { topsort } from "pulumi-adnetworks";
import { e2e, E2E, changes } from "./support/engine";
import { TOPSORT_SANDBOX_CREDENTIALS, TopsortSandbox } from "../provider/sandbox/topsort";
import { topsortCampaign } from "../examples/retail-media/topsort";

const KEY = TOPSORT_SANDBOX_CREDENTIALS.apiKey;
const PREFIX = "/public/v1/campaign-service";

describe("@e2e real Pulumi engine: Topsort banner campaign (retail-media example)", function () {
  this.timeout(180_000);
  let t: E2E;
  const ts = () => t.sb.network<TopsortSandbox>("topsort");
  const campaigns = () => Object.values(ts().data.campaigns);

  before(async () => {
    t = await e2e({
      program: async () => topsortCampaign(),
      workDir: "examples/retail-media",
      config: (sb) => ({
        "topsort:baseUrl": { value: sb.urlFor("topsort") },
        "topsort:apiKey": { value: KEY, secret: true },
      }),
    });
  });
  after(async () => t?.close());

  it("1. up creates the campaign with its bid in one POST; outputs carry the id and the review status", async () => {
    const up = await t.up();
    expect(up.summary.result).to.equal("succeeded");
    expect(campaigns()).to.have.length(1);
    const c = campaigns()[0];
    expect(ts().data.bids[c.campaignId]).to.have.length(1);
    const w = t.sb.requests("topsort", { writes: true });
    expect(w.map((r) => `${r.method} ${r.path} ${r.status}`)).to.deep.equal([`POST ${PREFIX}/campaigns 201`]);
    expect(up.outputs.topsortCampaignId.value).to.equal(c.campaignId);
    expect(up.outputs.topsortReviewStatus.value).to.equal("pending");
    expect(up.outputs.topsortWalletId.value).to.equal(c.walletId);
  });

  it("2. preview right after up shows no changes", async () => {
    const pv = await t.preview();
    expect(changes(pv)).to.deep.equal({});
  });

  it("2b. refresh right after up reads the campaign, its bids and restrictions and changes nothing; the next preview shows no changes", async () => {
    const before = (await t.resources("Campaign"))[0];
    const mark = t.sb.journal.length;
    const rf = await t.refresh();
    expect(rf.summary.result).to.equal("succeeded");
    expect(rf.summary.resourceChanges ?? {}).not.to.have.property("update");
    const id = campaigns()[0].campaignId;
    const reqs = t.sb.requests("topsort").slice(mark).map((r) => `${r.method} ${r.path}`);
    expect(reqs).to.deep.equal([`GET ${PREFIX}/campaigns/${id}`, `GET ${PREFIX}/campaigns/${id}/bids`, `GET ${PREFIX}/campaigns/${id}/restrictions`]);
    const after = (await t.resources("Campaign"))[0];
    expect(after.outputs).to.deep.equal(before.outputs);
    // The wallet Topsort chose (walletId left out: a server default) now also
    // shows among the inputs, with the value the output already held; nothing else moves.
    expect(before.inputs).not.to.have.property("walletId");
    expect(after.inputs).to.deep.equal({ ...before.inputs, walletId: before.outputs.walletId });
    expect(changes(await t.preview())).to.deep.equal({});
  });

  it("3. a new bid amount and budget update in place: same id, a campaign PATCH and a bid PATCH, no replace", async () => {
    const id = campaigns()[0].campaignId;
    const bidId = ts().data.bids[id][0].bidId;
    const before = t.sb.requests("topsort", { writes: true }).length;
    t.setProgram(async () => topsortCampaign({ bidAmount: 3.2, budgetAmount: 900 }));
    const up = await t.up();
    expect(up.summary.resourceChanges).to.deep.include({ update: 1 });
    expect(up.summary.resourceChanges).not.to.have.property("replace");
    expect(campaigns().map((c) => c.campaignId)).to.deep.equal([id]);
    const w = t.sb.requests("topsort", { writes: true }).slice(before);
    expect(w.map((r) => `${r.method} ${r.path}`)).to.deep.equal([`PATCH ${PREFIX}/campaigns/${id}`, `PATCH ${PREFIX}/campaigns/${id}/bids/${bidId}`]);
    expect(w[0].body).to.deep.equal({ budget: { amount: 90_000, type: "daily" } });
    expect(w[1].body).to.deep.equal({ amount: 320 });
    expect(ts().data.bids[id][0]).to.include({ bidId, amount: 320 });
    expect(changes(await t.preview())).to.deep.equal({});
  });

  it("4. an out-of-band edit shows up in refresh, and the next up puts it back", async () => {
    const c = campaigns()[0];
    // Edited in the dashboard: the budget cut from 900.00 to 250.00 (putting back a budget 50x above a dashboard
    // edit asks for adnetworks:confirmAmounts, see guardrails.md), the bid raised from 3.20 to 9.99.
    c.budget.amount = 25_000;
    ts().data.bids[c.campaignId][0].amount = 999;
    const rf = await t.refresh();
    expect(rf.summary.resourceChanges).to.deep.include({ update: 1 });
    const state = (await t.resources("Campaign"))[0];
    expect(state.outputs.budget).to.deep.equal({ amount: 250, type: "daily" }); // 25,000 minor units
    expect(state.outputs.bids[0].amount).to.equal(9.99); // 999 minor units
    expect(changes(await t.preview())).to.deep.equal({ update: 1 });
    await t.up();
    expect(c.budget.amount).to.equal(90_000);
    expect(ts().data.bids[c.campaignId][0].amount).to.equal(320);
    expect(changes(await t.preview())).to.deep.equal({});
  });

  it("5. topsort.listCampaigns runs inside the program with the stack's config, over every page", async () => {
    ts().addCampaigns(230, { vendorId: "vendor-acme" });
    const mark = t.sb.journal.length;
    t.setProgram(async () => {
      const out = topsortCampaign({ bidAmount: 3.2, budgetAmount: 900 });
      const all = await topsort.listCampaigns({ vendorId: "vendor-acme" });
      return { ...out, vendorCampaigns: all.length };
    });
    const up = await t.up();
    expect(up.outputs.vendorCampaigns.value).to.equal(231);
    const pages = t.sb.requests("topsort").slice(mark).filter((r) => r.method === "GET" && r.path === `${PREFIX}/campaigns` && r.query.vendor_id === "vendor-acme");
    expect(pages.map((r) => r.query.offset)).to.deep.equal(["0", "100", "200"]);
  });

  it("5b. adopting a campaign made in the dashboard with the import option shows no diff", async () => {
    const args = {
      vendorId: "vendor-acme", name: "Made in the dashboard", adFormat: "banner" as const, campaignType: "manual" as const, chargeType: "CPM" as const,
      budget: { amount: 50, type: "total" as const }, startDate: "2027-01-01T00:00:00Z", endDate: "2027-02-01T00:00:00Z", isActive: false,
      bids: [{ amount: 0.9, target: { id: "sku-legacy", type: "product" as const } }],
      banner: { slotId: "category-top", assets: [{ url: "https://cdn.example.com/legacy.png", contentType: "image/png", width: 300, height: 250, size: 1200 }] },
    };
    const existing = await rawCreate(t.sb.urlFor("topsort") + PREFIX, args);
    t.setProgram(async () => {
      const out = topsortCampaign({ bidAmount: 3.2, budgetAmount: 900 });
      const adopted = new topsort.Campaign("adopted", args, { import: existing });
      return { ...out, adoptedId: adopted.id };
    });
    expect(changes(await t.preview())).to.deep.equal({ import: 1 });
    const up = await t.up();
    expect(up.outputs.adoptedId.value).to.equal(existing);
    expect(changes(await t.preview())).to.deep.equal({});
  });

  it("6. state and outputs hold no credential in clear text", async () => {
    expect(JSON.stringify(await t.state())).not.to.contain(KEY);
    expect(JSON.stringify(await t.e.stack.outputs())).not.to.contain(KEY);
    expect((await t.e.stack.getConfig("topsort:apiKey")).secret).to.equal(true);
  });

  it("7. destroy deletes the two campaigns (and only them)", async () => {
    const ids = (await t.resources("Campaign")).map((r: any) => r.id);
    expect(ids).to.have.length(2);
    const d = await t.destroy();
    expect(d.summary.result).to.equal("succeeded");
    for (const id of ids) expect(ts().data.campaigns[id]).to.equal(undefined);
    expect(campaigns()).to.have.length(230);
    expect(t.sb.requests("topsort", { writes: true }).slice(-2).map((r) => `${r.method} ${r.status}`)).to.deep.equal(["DELETE 204", "DELETE 204"]);
  });
});

/** Creates a campaign straight through the API, as the dashboard would. */
async function rawCreate(api: string, a: Record<string, any>): Promise<string> {
  const fetch = require("node-fetch");
  const body = {
    // The API takes amounts in the currency's minor units; the program gives major units.
    name: a.name, adFormat: a.adFormat, campaignType: a.campaignType, chargeType: a.chargeType, budget: { ...a.budget, amount: Math.round(a.budget.amount * 100) }, startDate: a.startDate, endDate: a.endDate, isActive: a.isActive,
    bids: a.bids.map((b: any) => ({ ...b, amount: Math.round(b.amount * 100), formatProperties: { adFormat: "banner", slotId: a.banner.slotId, bannerAssets: a.banner.assets.map((x: any) => ({ url: x.url, contentType: x.contentType, dimensions: { width: x.width, height: x.height }, size: x.size })) } })),
  };
  const res = await fetch(`${api}/campaigns?vendor_id=${a.vendorId}`, { method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${KEY}` }, body: JSON.stringify(body) });
  expect(res.status).to.equal(201);
  return (await res.json()).campaignId;
}
