import { expect } from "chai";
import * as pulumi from "pulumi-adnetworks";
import { e2e, E2E, changes } from "./support/engine";
import { importAndAdopt } from "./support/adopt";
import { InterchangeSandbox, INTERCHANGE_SANDBOX_CREDENTIALS } from "../provider/sandbox/interchange";

const KEY = INTERCHANGE_SANDBOX_CREDENTIALS.apiKey;

const BASE: pulumi.interchange.CampaignArgs = {
  advertiserId: 12345, name: "",
  flightDates: { startDate: "2027-01-15T00:00:00Z", endDate: "2027-03-31T23:59:59Z" },
  budget: { total: 8000, currency: "USD", dailyCap: 400, pacing: "EVEN" },
  campaignType: "DECISIONED",
};

/** Every field issue #20 added (and `mode`), on a campaign that stays DRAFT and one that is executed. */
const FIELDS = {
  mode: "discovery" as const,
  discoveryId: "session_abc123", productIds: ["prod_123", "prod_456"],
  audienceConfig: { targetAudienceIds: ["aud_tech_25_34", "aud_gamers"], suppressAudienceIds: ["aud_recent_buyers"] },
  catalogId: 42,
  utmConfig: { params: [{ paramKey: "utm_source", paramValue: "interchange" }, { paramKey: "utm_campaign", paramValue: "q1-launch" }] },
  dataDelivery: {
    outputs: [
      { dataDeliveryType: "IMPRESSIONS" as const, cadence: "DAILY" as const, credentialName: "gcs-logs", deliveryConfig: { type: "GCS" as const, pathPrefix: "q1/", format: "PARQUET" as const } },
      { dataDeliveryType: "CLICKS" as const, cadence: "WEEKLY" as const, syncWeeklyDay: 1, enabled: false, credentialName: "s3-logs", deliveryConfig: { type: "S3" as const } },
    ],
  },
};
const draft = (over: Partial<pulumi.interchange.CampaignArgs> = {}): pulumi.interchange.CampaignArgs => ({ ...BASE, name: "Q1 draft", ...FIELDS, ...over });
const live = (over: Partial<pulumi.interchange.CampaignArgs> = {}): pulumi.interchange.CampaignArgs => ({ ...BASE, name: "Q1 live", ...FIELDS, status: "ACTIVE", ...over });

describe("@e2e real Pulumi engine: Interchange campaigns with discovery, audiences, catalog, UTM and data delivery (issue #20)", function () {
  this.timeout(600_000);
  let t: E2E;
  const ic = () => t.sb.network<InterchangeSandbox>("interchange");
  const byName = (name: string) => (ic().inventory().campaigns as any[]).find((c) => c.name === name);
  const program = (a: pulumi.interchange.CampaignArgs, b: pulumi.interchange.CampaignArgs) => async () => {
    const d = new pulumi.interchange.Campaign("q1-draft", a);
    const l = new pulumi.interchange.Campaign("q1-live", b);
    return { draftId: d.id, liveId: l.id, liveStatus: l.status };
  };

  before(async () => {
    t = await e2e({
      program: program(draft(), live()),
      config: (sb) => ({ "interchange:baseUrl": { value: sb.urlFor("interchange") }, "interchange:apiKey": { value: KEY, secret: true } }),
    });
    // Several engine runs and an import inside one minute: not this test's subject.
    ic().rateLimit = { limit: 100_000, windowMs: 60_000 };
  });
  after(async () => t?.close());

  it("1. up creates both campaigns with every field; the live one is executed, which drops its discovery session and products", async () => {
    const up = await t.up();
    expect(up.summary.result).to.equal("succeeded");
    const posts = t.sb.requests("interchange", { writes: true }).filter((r) => r.method === "POST" && r.path === "/campaigns");
    expect(posts).to.have.length(2);
    for (const p of posts) expect(p.body).to.deep.include({ mode: "discovery", discoveryId: "session_abc123", catalogId: 42 });
    const d = byName("Q1 draft");
    expect(d).to.deep.include({ status: "DRAFT", discoveryId: "session_abc123", catalogId: 42 });
    expect(d.products).to.deep.equal([{ productId: "prod_123" }, { productId: "prod_456" }]);
    expect(d.audiences.map((a: any) => `${a.type}:${a.audienceId}`)).to.deep.equal(["TARGET:aud_tech_25_34", "TARGET:aud_gamers", "SUPPRESS:aud_recent_buyers"]);
    expect(d.utmConfig.map((p: any) => `${p.paramKey}=${p.paramValue}`)).to.deep.equal(["utm_source=interchange", "utm_campaign=q1-launch"]);
    expect(d.dataDelivery.outputs.map((o: any) => [o.dataDeliveryType, o.cadence, o.enabled, o.deliveryConfig.format])).to.deep.equal([["IMPRESSIONS", "DAILY", true, "PARQUET"], ["CLICKS", "WEEKLY", false, "JSONL"]]);
    const l = byName("Q1 live");
    expect(l.status).to.equal("ACTIVE");
    expect(l).not.to.have.property("discoveryId");
    expect(up.outputs.liveStatus.value).to.equal("ACTIVE");
  });

  it("2. preview right after up shows no changes; refresh changes nothing (the executed campaign keeps its known discovery session)", async () => {
    expect(changes(await t.preview())).to.deep.equal({});
    const before = (await t.resources("Campaign")).map((r: any) => r.inputs);
    const rf = await t.refresh();
    expect(rf.summary.resourceChanges ?? {}).not.to.have.property("update");
    expect((await t.resources("Campaign")).map((r: any) => r.inputs)).to.deep.equal(before);
    expect(changes(await t.preview())).to.deep.equal({});
  });

  it("3. audiences, UTM parameters, data delivery and the catalog change in place: one PUT each, deleteMissing where the API adds", async () => {
    const mark = t.sb.requests("interchange", { writes: true }).length;
    const newer = {
      audienceConfig: { targetAudienceIds: ["aud_gamers"] },
      utmConfig: { params: [{ paramKey: "utm_source", paramValue: "scope3" }] },
      dataDelivery: { outputs: [FIELDS.dataDelivery.outputs[0]] },
    };
    t.setProgram(program(draft({ ...newer, catalogId: 43 }), live({ ...newer, catalogId: undefined })));
    const up = await t.up();
    expect(up.summary.resourceChanges).to.deep.include({ update: 2 });
    expect(up.summary.resourceChanges).not.to.have.property("replace");
    const puts = t.sb.requests("interchange", { writes: true }).slice(mark);
    expect(puts.map((r) => r.method)).to.deep.equal(["PUT", "PUT"]);
    for (const p of puts) {
      const b = p.body as any;
      expect(b.audienceConfig).to.deep.equal({ targetAudienceIds: ["aud_gamers"], deleteMissing: true });
      expect(b.utmConfig).to.deep.equal({ params: [{ paramKey: "utm_source", paramValue: "scope3" }], deleteMissing: true });
    }
    const d = byName("Q1 draft"), l = byName("Q1 live");
    expect(d.catalogId).to.equal(43);
    expect(l).not.to.have.property("catalogId");
    for (const c of [d, l]) {
      expect(c.audiences.map((a: any) => a.audienceId)).to.deep.equal(["aud_gamers"]);
      expect(c.dataDelivery.outputs).to.have.length(1);
    }
    expect((ic().inventory().campaigns as any[])).to.have.length(2);
  });

  it("4. refresh after the update: no drift, and the next preview shows no changes", async () => {
    const rf = await t.refresh();
    expect(rf.summary.resourceChanges ?? {}).not.to.have.property("update");
    expect(changes(await t.preview())).to.deep.equal({});
  });

  it("5. adnet-import writes both campaigns as code; a new stack adopts them with 0 changes and 0 writes", async () => {
    const a = await importAndAdopt(t.sb, "interchange");
    expect(a.writesDuringImport).to.deep.equal([]);
    expect(a.summary.imported).to.deep.equal({ "interchange:Campaign": 2 });
    for (const s of ["mode: \"discovery\"", "discoveryId: \"session_abc123\"", "productIds: [", "audienceConfig: {", "catalogId: 43", "utmConfig: {", "paramKey: \"utm_source\"", "dataDelivery: {", "credentialName: \"gcs-logs\""]) {
      expect(a.code, s).to.contain(s);
    }
    // The executed campaign's discovery session is no longer reported: imported without it (one discoveryId in the code).
    expect(a.code.match(/discoveryId:/g)).to.have.length(1);
    expect(a.up).to.deep.equal({ create: 1, import: 2 });
    expect(a.writesDuringUp).to.deep.equal([]);
  });

  it("6. destroy archives both campaigns", async () => {
    const d = await t.destroy();
    expect(d.summary.result).to.equal("succeeded");
    expect(ic().inventory().campaigns).to.deep.equal([]);
  });
});
