import { expect } from "chai";
import { affise } from "pulumi-adnetworks";
import { e2e, E2E, changes } from "./support/engine";
import { AffiseSandbox, AFFISE_SANDBOX_CREDENTIALS } from "../provider/sandbox/affise";
import type { Sandbox } from "../provider/sandbox/server";
import * as path from "path";
import { affiseOffer, AffiseOfferOptions, offerArgs, postbackArgs } from "../examples/affise-offer/program";
import * as registry from "../provider/registry";
import { applyStackConfig, resetStackConfig } from "../provider/core/config/config";
import { ROOT } from "./support/engine";

const KEY = AFFISE_SANDBOX_CREDENTIALS.apiKey;
/** Both stacks of this file: Affise on the sandbox. */
const config = (sb: Sandbox) => ({
  "affise:baseUrl": { value: sb.urlFor("affise") },
  "affise:apiKey": { value: KEY, secret: true },
});
const offerP = registry.get("affise:Offer");
const postbackP = registry.get("affise:Postback");

describe("@e2e real Pulumi engine: Affise offer and postback (affise-offer example)", function () {
  this.timeout(180_000);
  let t: E2E;
  const aff = () => t.sb.network<AffiseSandbox>("affise");
  const offers = () => Object.values(aff().data.offers);
  const postbacks = () => Object.values(aff().data.postbacks);
  const program = (o: AffiseOfferOptions = {}) => async () => affiseOffer(o);

  before(async () => {
    t = await e2e({
      program: program(),
      workDir: "examples/affise-offer",
      config,
    });
  });
  after(async () => t?.close());

  it("1. up creates the seed's offer (multipart, with its creative file) and a postback on it", async () => {
    const up = await t.up();
    expect(up.summary.result).to.equal("succeeded");
    expect(offers()).to.have.length(1);
    const o = offers()[0];
    expect(o).to.deep.include({ title: "NEW BIG OFFER", status: "active", privacy: "premoderated", click_session: "1y2m" });
    expect(o.creatives.map((c: any) => c.type)).to.deep.equal(["file", "url"]);
    expect(o.targeting[0].sub.allow).to.deep.equal({ 1: ["qwerty"] });
    expect(o.targeting[1].sub.deny).to.deep.equal({ 2: ["qwerty213"] });
    expect(up.outputs.offerId.value).to.equal(String(o.id));
    expect(postbacks()).to.have.length(1);
    expect(postbacks()[0]).to.deep.include({ pid: "2", offer_id: String(o.id), status: "confirmed" });
    expect(up.outputs.postbackId.value).to.equal(`2/${postbacks()[0].id}`);
    const create = t.sb.requests("affise", { writes: true }).find((r) => r.path === "/3.0/admin/offer")!;
    expect(create.contentType).to.equal("multipart/form-data");
  });

  it("2. preview right after up shows no changes", async () => {
    expect(changes(await t.preview())).to.deep.equal({});
  });

  it("3. changing the payout and the postback URL updates both in place, without re-uploading creatives", async () => {
    const id = offers()[0].id;
    const pbId = postbacks()[0].id;
    const before = t.sb.requests("affise", { writes: true }).length;
    t.setProgram(program({ revenue: 42, postbackUrl: "https://tracker.affiliate.example/v2?click={clickid}" }));
    const up = await t.up();
    expect(up.summary.resourceChanges).to.deep.include({ update: 2 });
    expect(up.summary.resourceChanges).not.to.have.property("replace");
    expect(aff().data.offers[id].payments[0].revenue).to.equal(42);
    expect(aff().data.offers[id].creatives).to.have.length(2);
    expect(aff().data.postbacks[pbId].url).to.equal("https://tracker.affiliate.example/v2?click={clickid}");
    const sent = t.sb.requests("affise", { writes: true }).slice(before);
    expect(sent.map((r) => `${r.method} ${r.path}`).sort()).to.deep.equal([`POST /3.0/admin/offer/${id}`, `POST /3.0/partner/postback/${pbId}`]);
    expect(Object.keys(sent.find((r) => r.path === `/3.0/admin/offer/${id}`)!.body as object)).to.deep.equal(["payments"]);
    expect(changes(await t.preview())).to.deep.equal({});
  });

  it("4. refresh records out-of-band edits as drift; the next up restores them", async () => {
    const id = offers()[0].id;
    aff().data.offers[id].title = "edited in the dashboard";
    aff().data.offers[id].targeting[0].sub.allow = { 1: ["qwerty", "other"] };
    const rf = await t.refresh();
    expect(rf.summary.resourceChanges).to.deep.include({ update: 1 });
    const [state] = await t.resources("Offer");
    expect(state.outputs.title).to.equal("edited in the dashboard");
    expect(changes(await t.preview())).to.deep.equal({ update: 1 });
    await t.up();
    expect(aff().data.offers[id].title).to.equal("NEW BIG OFFER");
    expect(aff().data.offers[id].targeting[0].sub.allow).to.deep.equal({ 1: ["qwerty"] });
    expect(changes(await t.preview())).to.deep.equal({});
  });

  it("5. the key is a secret: not in state, outputs or the journal", async () => {
    expect(JSON.stringify(await t.state())).not.to.contain(KEY);
    expect(JSON.stringify(await t.e.stack.outputs())).not.to.contain(KEY);
    expect(JSON.stringify(t.sb.journal)).not.to.contain(KEY);
  });

  it("6. destroy removes the postback and the offer", async () => {
    const d = await t.destroy();
    expect(d.summary.result).to.equal("succeeded");
    expect(offers()).to.have.length(0);
    expect(postbacks()).to.have.length(0);
    const dels = t.sb.requests("affise", { writes: true }).slice(-2).map((r) => `${r.method} ${r.path}`);
    expect(dels[0]).to.match(/^DELETE \/3\.0\/partner\/postback\/\d+\/remove$/);
    expect(dels[1]).to.equal("POST /3.0/admin/offer/delete");
  });

  it("7. an offer and postback made outside Pulumi are adopted with the import option, with no diff", async () => {
    // Made "in the dashboard": through the provider code in this process, against the same sandbox.
    applyStackConfig({ "affise:baseUrl": t.sb.urlFor("affise"), "affise:apiKey": KEY }, ["affise:baseUrl", "affise:apiKey"]);
    try {
      const args: any = offerArgs();
      args.creatives[0].file = path.join(ROOT, "examples", "affise-offer", args.creatives[0].file);
      const oc = await offerP.check({}, args);
      expect(oc.failures).to.deep.equal([]);
      const offer = await offerP.create(oc.inputs);
      const pc = await postbackP.check({}, postbackArgs({}, offer.id) as any);
      const pb = await postbackP.create(pc.inputs);
      t.setProgram(program({ importIds: { offer: offer.id, postback: pb.id } }));
      const up = await t.up();
      expect(up.summary.resourceChanges).to.deep.include({ import: 2 });
      expect(up.outputs.offerId.value).to.equal(offer.id);
      expect(up.outputs.postbackId.value).to.equal(pb.id);
      expect(offers()).to.have.length(1);
      t.setProgram(program());
      expect(changes(await t.preview())).to.deep.equal({});
      await t.destroy();
      expect(offers()).to.have.length(0);
    } finally {
      resetStackConfig();
    }
  });
});

/** Only the required fields: everything else is Affise's choice (issue #11). */
const MINIMAL: affise.OfferArgs = {
  title: "Minimal offer",
  advertiser: "5e39279bac611cda7e5765ab",
  url: "https://track.example/click?c={clickid}",
  payments: [{ revenue: 2, currency: "USD", type: "fixed" }],
};

describe("@e2e real Pulumi engine: Affise up, refresh, preview --expect-no-changes (issue #11)", function () {
  this.timeout(300_000);
  let t: E2E;
  const aff = () => t.sb.network<AffiseSandbox>("affise");
  const program = () => async () => {
    const example = affiseOffer();
    const minimal = new affise.Offer("minimal", MINIMAL);
    return { ...example, minimalId: minimal.id };
  };

  before(async () => {
    t = await e2e({
      program: program(),
      workDir: "examples/affise-offer",
      config,
    });
  });
  after(async () => {
    if (t) await t.destroy().catch(() => undefined);
    await t?.close();
  });

  it("1. up, then refresh records nothing for the example offer and a minimal offer, and preview --expect-no-changes passes", async () => {
    const up = await t.up();
    expect(up.summary.result).to.equal("succeeded");
    const minimal = aff().data.offers[up.outputs.minimalId.value];
    // Affise filled in what the program left out: the values that were drift in issue #11.
    expect(minimal).to.deep.include({ click_session: "1y", minimal_click_session: "0s", redirect_type: "http302", is_cpi: false, is_top: 0, is_redirect_overcap: false });
    expect(minimal.payments[0].goal).to.equal("1");
    const rf = await t.refresh();
    expect(rf.summary.result).to.equal("succeeded");
    expect(rf.summary.resourceChanges ?? {}).not.to.have.property("update");
    const [state] = (await t.resources("Offer")).filter((r: any) => r.urn.endsWith("::minimal"));
    for (const k of ["clickSession", "isCpi", "isRedirectOvercap", "isTop", "minimalClickSession", "redirectType", "status", "privacy"]) {
      expect(state.inputs, k).not.to.have.property(k);
      expect(state.outputs, k).not.to.have.property(k);
    }
    expect(state.outputs.payments).to.deep.equal([{ revenue: 2, currency: "USD", type: "fixed" }]);
    const pv = await t.e.stack.preview({ expectNoChanges: true, diff: true });
    expect(changes(pv)).to.deep.equal({});
  });

  it("2. a dashboard edit is detected by refresh, shown by preview, and undone by up", async () => {
    const id = (await t.e.stack.outputs()).minimalId.value;
    aff().data.offers[id].payments[0].revenue = 9; // edited in the dashboard
    const rf = await t.refresh();
    expect(rf.summary.resourceChanges).to.deep.include({ update: 1 });
    const [state] = (await t.resources("Offer")).filter((r: any) => r.urn.endsWith("::minimal"));
    expect(state.outputs.payments[0].revenue).to.equal(9);
    const err = await t.e.stack.preview({ expectNoChanges: true }).then(() => undefined, (e) => e);
    expect(String(err?.message ?? err)).to.match(/no changes were expected/i);
    expect(changes(await t.preview())).to.deep.equal({ update: 1 });
    await t.up();
    expect(aff().data.offers[id].payments[0].revenue).to.equal(2);
    expect(changes(await t.e.stack.preview({ expectNoChanges: true }))).to.deep.equal({});
  });
});
