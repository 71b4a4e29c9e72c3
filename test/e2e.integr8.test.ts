import { expect } from "chai";
import nodeFetch from "node-fetch";
import { integr8 } from "pulumi-adnetworks";
import { e2e, E2E, changes } from "./support/engine";
import { refreshChangesNothing } from "./support/refresh";
import { INTEGR8_SANDBOX, Integr8Sandbox } from "../provider/sandbox/integr8";
import { integr8Postbacks } from "../examples/integr8-postbacks/program";

const KEY = INTEGR8_SANDBOX.apiKey;
const ORG = INTEGR8_SANDBOX.organizationId;
const BASE = `/api/v2/publisher-view/${ORG}`;

describe("@e2e real Pulumi engine: Integr8 postbacks stack", function () {
  this.timeout(180_000);
  let t: E2E;
  const net = () => t.sb.network<Integr8Sandbox>("integr8");
  const postbacks = () => Object.values(net().data.postbacks);
  const byType = (type: string) => postbacks().find((p) => p.service_type === type)!;
  const applications = () => Object.values(net().data.applications);

  before(async () => {
    t = await e2e({
      program: async () => integr8Postbacks(),
      workDir: "examples/integr8-postbacks",
      config: (sb) => ({
        "integr8:baseUrl": { value: sb.urlFor("integr8") },
        "integr8:organizationId": { value: ORG },
        "integr8:apiKey": { value: KEY, secret: true },
      }),
    });
  });
  after(async () => t?.close());

  it("1. up creates two postbacks and a pending application to the offer found by the lookup", async () => {
    const up = await t.up();
    expect(up.summary.result).to.equal("succeeded");
    expect(postbacks().map((p) => p.service_type).sort()).to.deep.equal(["conversion", "event"]);
    expect(byType("conversion")).to.deep.include({ delay_value: 2, delay_metric: "Minute", method: "GET", active: true });
    expect(byType("event")).to.deep.include({ method: "POST", body: '{"tx":"{external_transaction_id}","status":"{status}"}' });
    expect(applications()).to.have.length(1);
    expect(applications()[0].offer_id).to.equal(INTEGR8_SANDBOX.restrictedOfferId);
    const offerWrites = t.sb.requests("integr8", { writes: true }).filter((r) => r.path.includes("/offers/")).map((r) => `${r.method} ${r.path}`);
    expect(offerWrites).to.deep.equal([
      `PATCH ${BASE}/offers/${INTEGR8_SANDBOX.restrictedOfferId}/terms`,
      `POST ${BASE}/offers/${INTEGR8_SANDBOX.restrictedOfferId}/access-requests`,
    ]);
    expect(up.outputs.applicationStatus.value).to.equal("pending");
    expect(up.outputs.offerName.value).to.equal("Nordic Outdoor Gear - CPS");
    expect(up.outputs.conversionPostbackId.value).to.equal(byType("conversion").id);
  });

  it("2. preview right after up shows no changes", async () => {
    const pv = await t.preview();
    expect(changes(pv)).to.deep.equal({});
    expect(pv.changeSummary.same).to.equal(4);
  });

  it("2b. refresh right after up changes nothing (both types), and a preview after it shows no changes", async () => {
    const pv = await refreshChangesNothing(t, "integr8");
    expect(pv.changeSummary.same).to.equal(4);
  });

  it("3. a delay and an active change update in place with PATCH: same ids, no replace", async () => {
    const ids = postbacks().map((p) => p.id).sort();
    const before = t.sb.requests("integr8", { writes: true }).length;
    t.setProgram(async () => integr8Postbacks({ conversionDelayMinutes: 5, eventActive: false }));
    const up = await t.up();
    expect(up.summary.resourceChanges).to.deep.include({ update: 2 });
    expect(up.summary.resourceChanges).not.to.have.property("replace");
    expect(postbacks().map((p) => p.id).sort()).to.deep.equal(ids);
    expect(byType("conversion").delay_value).to.equal(5);
    expect(byType("event").active).to.equal(false);
    const patches = t.sb.requests("integr8", { writes: true }).slice(before).map((r) => [r.method, r.body]);
    expect(patches).to.have.deep.members([["PATCH", { delay_value: 5 }], ["PATCH", { active: false }]]);
    expect(changes(await t.preview())).to.deep.equal({});
  });

  it("4. a new integration replaces both postbacks (it is not updatable)", async () => {
    const old = postbacks().map((p) => p.id);
    t.setProgram(async () => integr8Postbacks({ conversionDelayMinutes: 5, eventActive: false, integrationId: INTEGR8_SANDBOX.appIntegrationId }));
    const up = await t.up();
    expect(up.summary.resourceChanges?.replace).to.equal(2);
    expect(postbacks()).to.have.length(2);
    expect(postbacks().every((p) => p.integration === INTEGR8_SANDBOX.appIntegrationId && !old.includes(p.id))).to.equal(true);
  });

  it("5. refresh shows the network's decision and out-of-band edits; up puts the edit back", async () => {
    const app = applications()[0];
    const res = await nodeFetch(`${t.sb.urlFor("integr8")}/__sandbox/offer-access-requests/${app.id}`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ status: "approved" }),
    });
    expect(res.status).to.equal(200);
    byType("conversion").url = "https://edited-in-dashboard.example/pb";
    const rf = await t.refresh();
    // The edited postback's inputs drifted (an update); the application changed only an output.
    expect(rf.summary.resourceChanges).to.deep.include({ update: 1 });
    const [appState] = await t.resources("OfferApplication");
    expect(appState.outputs.status).to.equal("approved");
    expect(changes(await t.preview())).to.deep.equal({ update: 1 });
    await t.up();
    expect(byType("conversion").url).to.equal("https://tracker.example.com/postback?tx={external_transaction_id}&status={status}");
    expect((await t.e.stack.outputs()).applicationStatus.value).to.equal("approved");
    expect(changes(await t.preview())).to.deep.equal({});
  });

  it("6. adopting an existing postback with the import option shows no diff", async () => {
    const existing = net().data.postbacks;
    const res = await nodeFetch(`${t.sb.urlFor("integr8")}${BASE}/postbacks`, {
      method: "POST", headers: { "Content-Type": "application/json", "API-KEY": KEY },
      body: JSON.stringify({ name: "clicks (made in the dashboard)", organization: ORG, integration: INTEGR8_SANDBOX.integrationId, service_type: "click", url: "https://tracker.example.com/click?tx={tx_id}", active: true }),
    });
    const made = ((await res.json()) as any).data;
    expect(existing[made.id]).to.not.equal(undefined);
    const args = { name: "clicks (made in the dashboard)", integration: INTEGR8_SANDBOX.integrationId, serviceType: "click" as const, url: "https://tracker.example.com/click?tx={tx_id}" };
    t.setProgram(async () => {
      const out = integr8Postbacks({ conversionDelayMinutes: 5, eventActive: false, integrationId: INTEGR8_SANDBOX.appIntegrationId });
      const adopted = new integr8.Postback("adopted-clicks", args, { import: made.id });
      return { ...out, adoptedId: adopted.id };
    });
    expect(changes(await t.preview())).to.deep.equal({ import: 1 });
    const up = await t.up();
    expect(up.outputs.adoptedId.value).to.equal(made.id);
    expect(changes(await t.preview())).to.deep.equal({});
  });

  it("7. state, outputs and the journal hold no API key; the key was used", async () => {
    expect(JSON.stringify(await t.state())).not.to.contain(KEY);
    expect(JSON.stringify(await t.e.stack.outputs())).not.to.contain(KEY);
    expect(JSON.stringify(t.sb.journal)).not.to.contain(KEY);
    expect((await t.e.stack.getConfig("integr8:apiKey")).secret).to.equal(true);
    expect(t.sb.requests("integr8").some((r) => r.status === 401)).to.equal(false);
  });

  it("8. destroy deletes the postbacks and withdraws the application", async () => {
    const d = await t.destroy();
    expect(d.summary.result).to.equal("succeeded");
    expect(postbacks()).to.have.length(0);
    expect(applications()).to.have.length(0);
  });
});
