/**
 * Issue #35: reads at list speed. In the provider host, a refresh (or an
 * adoption) of many ExoClick library URLs and files, Affise offers and
 * Integr8 postbacks and offer applications reads them through one listing
 * per kind (their lists return whole objects) instead of one request each,
 * and never serves what this run wrote, nor one listed object twice.
 */
import { expect } from "chai";
import * as path from "path";
import { useSandbox } from "./support/sandbox";
import { ROOT } from "./support/engine";
import * as registry from "../provider/registry";
import { EXOCLICK_SANDBOX_CREDENTIALS } from "../provider/sandbox/exoclick";
import { AFFISE_SANDBOX_CREDENTIALS } from "../provider/sandbox/affise";
import { Integr8Sandbox, INTEGR8_SANDBOX } from "../provider/sandbox/integr8";
import { clearTokenCache } from "../provider/exoclick/client";
import { resetContexts } from "../provider/core/config/context";
import { enableReadCache } from "../provider/core/http/readcache";
import { shuffled } from "./support/shuffle";

const N = 30;
const IMAGE = path.join(ROOT, "examples", "exoclick-banner", "banner-300x250.png");

describe("reads at list speed (core/http/readcache.ts, issue #35)", function () {
  this.timeout(60_000);
  const ctx = useSandbox((sb) => ({
    "exoclick:baseUrl": `${sb.urlFor("exoclick")}/v2`, "exoclick:apiToken": EXOCLICK_SANDBOX_CREDENTIALS.apiToken,
    "affise:baseUrl": sb.urlFor("affise"), "affise:apiKey": AFFISE_SANDBOX_CREDENTIALS.apiKey,
    "integr8:baseUrl": sb.urlFor("integr8"), "integr8:apiKey": INTEGR8_SANDBOX.apiKey, "integr8:organizationId": INTEGR8_SANDBOX.organizationId,
  }));
  beforeEach(() => clearTokenCache());
  afterEach(() => enableReadCache(false));
  const urlP = registry.get("exoclick:LibraryUrl");
  const fileP = registry.get("exoclick:LibraryFile");
  const gets = (p: string) => ctx.sb.requests("exoclick").filter((r) => r.method === "GET" && r.path.startsWith(p));

  it(`a refresh of ${N} URLs and ${N} images: at most 10% of one read each, the same answers`, async () => {
    const urls: Array<{ id: string; props: any }> = [];
    const files: Array<{ id: string; props: any }> = [];
    for (let i = 0; i < N; i++) {
      const u = await urlP.create((await urlP.check({}, { url: `https://land.example/${i}` })).inputs);
      urls.push({ id: u.id, props: { url: `https://land.example/${i}`, ...u.outs } });
      const fi = (await fileP.check({}, { path: IMAGE })).inputs;
      const f = await fileP.create(fi);
      files.push({ id: f.id, props: { ...fi, ...f.outs } });
    }
    // Today's reads, one request each (the cache off).
    resetContexts();
    const before = ctx.sb.requests("exoclick").length;
    const plain = await Promise.all(urls.map((u) => urlP.read!(u.id, u.props)));
    const plainFiles = await Promise.all(files.map((f) => fileP.read!(f.id, f.props)));
    const today = ctx.sb.requests("exoclick").length - before;
    expect(today).to.equal(2 * N);
    // A new provider host process: the cache on.
    resetContexts();
    enableReadCache(true);
    const start = ctx.sb.requests("exoclick").length;
    const cached = await Promise.all(urls.map((u) => urlP.read!(u.id, u.props)));
    const cachedFiles = await Promise.all(files.map((f) => fileP.read!(f.id, f.props)));
    const now = ctx.sb.requests("exoclick").slice(start).filter((r) => r.path !== "/v2/login");
    expect(cached).to.deep.equal(plain);
    expect(cachedFiles).to.deep.equal(plainFiles);
    // URLs: one read, one page; files: one read, one page per type (image, video, video_banner).
    expect(now.length, now.map((r) => r.path).join(" ")).to.be.at.most(0.1 * today);
    expect(now.map((r) => `${r.path}${r.query.type ? ` ${r.query.type}` : ""}`).sort()).to.deep.equal([
      "/v2/library/file", "/v2/library/file image", "/v2/library/file video", "/v2/library/file video_banner",
      "/v2/library/url", `/v2/library/url/${urls[0].id}`,
    ].map((p) => p === "/v2/library/file" ? `/v2/library/file/${files[0].id}` : p).sort());
  });

  it("never serves a listed object twice, nor one this run wrote: those reads ask the network", async () => {
    const made: string[] = [];
    for (let i = 0; i < 3; i++) made.push((await urlP.create({ url: `https://w.example/${i}` })).id);
    resetContexts();
    enableReadCache(true);
    await urlP.read!(made[0], { url: "https://w.example/0" });
    await urlP.read!(made[1], { url: "https://w.example/1" }); // the listing
    const listed = gets("/v2/library/url").length;
    // A dashboard edit after the listing: the next read of that object asks again and sees it.
    (ctx.sb.network<any>("exoclick").data.urls[made[1]] as any).url = "https://edited.example/1";
    const again = await urlP.read!(made[1], { url: "https://w.example/1" });
    expect((again as any).props.url).to.equal("https://edited.example/1");
    // An update by this run: the read after it asks the network.
    await urlP.update!(made[2], { url: "https://w.example/2" }, { url: "https://w.example/2b" });
    const updated = await urlP.read!(made[2], { url: "https://w.example/2b" });
    expect((updated as any).props.url).to.equal("https://w.example/2b");
    expect(gets("/v2/library/url").length - listed).to.equal(2);
  });

  it("Affise offers: a refresh of 20 reads them with one listing, the same answers", async () => {
    const offerP = registry.get("affise:Offer");
    const made: Array<{ id: string; props: any }> = [];
    for (let i = 0; i < 20; i++) {
      const inputs = (await offerP.check({}, {
        title: `Offer ${i}`, advertiser: "5e39279bac611cda7e5765ab", url: "https://track.example.com/click?c={clickid}",
        payments: [{ countries: ["US"], total: 2, revenue: 1, currency: "USD", type: "fixed" }],
      })).inputs;
      const r = await offerP.create(inputs);
      made.push({ id: r.id, props: { ...inputs, ...r.outs } });
    }
    resetContexts();
    const before = ctx.sb.requests("affise").length;
    const plain = await Promise.all(made.map((o) => offerP.read!(o.id, o.props)));
    expect(ctx.sb.requests("affise").length - before).to.equal(20);
    resetContexts();
    enableReadCache(true);
    const start = ctx.sb.requests("affise").length;
    const cached = await Promise.all(made.map((o) => offerP.read!(o.id, o.props)));
    expect(cached).to.deep.equal(plain);
    expect(ctx.sb.requests("affise").slice(start).map((r) => r.path)).to.deep.equal([`/3.0/offer/${made[0].id}`, "/3.0/offers"]);
  });

  describe("a refresh of a small stack: campaigns with their variations, an offer with its postbacks", () => {
    const C = 10;
    const campaignP = registry.get("exoclick:Campaign");
    const variationP = registry.get("exoclick:Variation");
    const postbackP = registry.get("affise:Postback");
    type Made = { key: string; id: string; props: any };
    const make = async (key: string, args: Record<string, unknown>): Promise<Made> => {
      const p = registry.get(key);
      const c = await p.check({}, args);
      expect(c.failures ?? [], key).to.deep.equal([]);
      const r = await p.create(c.inputs);
      return { key, id: r.id, props: { ...c.inputs, ...r.outs } };
    };
    /** Every object read as a refresh reads it (all at once, in the given order); the answers by id, and the requests per route. */
    const refresh = async (objects: Made[]) => {
      resetContexts();
      const start = ctx.sb.journal.length;
      const answers = await Promise.all(objects.map((o) => registry.get(o.key).read!(o.id, o.props)));
      const requests = ctx.sb.journal.slice(start).filter((r) => !r.path.endsWith("/login"));
      const byRoute: Record<string, number> = {};
      for (const r of requests) {
        const k = `${r.network} ${r.method} ${r.path.replace(/\/\d+(?=\/|$)/g, "/:id")}`;
        byRoute[k] = (byRoute[k] ?? 0) + 1;
      }
      return { answers: Object.fromEntries(objects.map((o, i) => [o.id, answers[i]])), requests: requests.length, byRoute };
    };
    let objects: Made[] = [];
    // The sandbox starts empty for each test (useSandbox): each seeds its own stack.
    const seed = async () => {
      objects = [];
      for (let i = 0; i < C; i++) {
        const url = await make("exoclick:LibraryUrl", { url: `https://land.example/c${i}` });
        const file = await make("exoclick:LibraryFile", { path: IMAGE, size: "300x250" });
        const campaign = await make("exoclick:Campaign", {
          name: `Refresh ${i}`, size: "300x250", pricing: { model: 4, price: 1.5 }, startDate: "2026-03-02",
          countries: { type: "targeted", elements: [{ country: "USA" }] }, categories: { type: "targeted", elements: [97, 98] },
        });
        // Two variations on the first campaign: one detail serves both.
        const variations = [await make("exoclick:Variation", { campaignId: campaign.id, libraryUrlId: url.id, libraryFileId: file.id })];
        if (i === 0) variations.push(await make("exoclick:Variation", { campaignId: campaign.id, libraryUrlId: url.id, libraryFileId: file.id, active: false }));
        objects.push(url, file, campaign, ...variations);
      }
      const offer = await make("affise:Offer", {
        title: "Refresh offer", advertiser: "5e39279bac611cda7e5765ab", url: "https://track.example.com/click?c={clickid}",
        payments: [{ countries: ["US"], total: 2, revenue: 1, currency: "USD", type: "fixed" }],
      });
      objects.push(offer);
      for (let i = 0; i < 4; i++) objects.push(await make("affise:Postback", { pid: 2, offerId: offer.id, url: `https://partner.example/pb?c={clickid}&i=${i}`, status: "confirmed" }));
      // A second affiliate's postback: its own listing.
      objects.push(await make("affise:Postback", { pid: 3, url: "https://other.example/pb?c={clickid}" }));
    };

    it("reads every object with one request per campaign plus one listing per kind and affiliate, in any order, with the same answers as one read each", async () => {
      await seed();
      const plain = await refresh(objects);
      // One read per object today (the cache off): a variation lists its campaign's variations, a postback its affiliate's postbacks.
      expect(plain.requests).to.equal(objects.length);
      enableReadCache(true);
      const runs = [await refresh(objects), await refresh(shuffled(objects, 7)), await refresh([...objects].reverse())];
      for (const r of runs) {
        expect(r.answers).to.deep.equal(plain.answers);
        // Same stack, same requests whatever order the engine reaches the resources in.
        expect(r.byRoute).to.deep.equal({
          // The detail holds the targeting (the campaign list lacks it) and the variations: one each, nothing per variation.
          "exoclick GET /v2/campaigns/:id": C,
          // The first URL and file asked for themselves, then one listing of URLs and one per file type.
          "exoclick GET /v2/library/url/:id": 1, "exoclick GET /v2/library/url": 1,
          "exoclick GET /v2/library/file/:id": 1, "exoclick GET /v2/library/file": 3,
          // One offer: its own read; the postbacks: one listing per affiliate.
          "affise GET /3.0/offer/:id": 1, "affise GET /3.0/admin/postbacks": 2,
        });
      }
      // 19 requests for the 47 objects; without the campaigns' details (the list lacks targeting) 9.
      expect(runs[0].requests).to.equal(C + 9);
      expect(runs[0].requests - C).to.be.at.most(0.2 * objects.length);
    });

    it("still sees dashboard edits of campaigns, variations and postbacks (the run's own answers, never an older run's)", async () => {
      await seed();
      enableReadCache(true);
      await refresh(objects); // an earlier run: nothing of it may be served to the next
      const ex = ctx.sb.network<any>("exoclick").data;
      const af = ctx.sb.network<any>("affise").data;
      const campaign = objects.find((o) => o.key === "exoclick:Campaign")!;
      const variation = objects.find((o) => o.key === "exoclick:Variation" && o.props.active !== false)!;
      const postback = objects.find((o) => o.key === "affise:Postback")!;
      ex.campaigns[campaign.id].categories = { type: "targeted", elements: [99] };
      ex.variations[variation.id.split("/")[1]].active = 0;
      af.postbacks[postback.id.split("/")[1]].url = "https://edited.example/pb";
      const after = await refresh(shuffled(objects, 11));
      expect((after.answers[campaign.id] as any).props.categories).to.deep.equal({ type: "targeted", elements: [99] });
      expect((after.answers[variation.id] as any).props.active).to.equal(false);
      expect((after.answers[postback.id] as any).props.url).to.equal("https://edited.example/pb");
      // A variation deleted on the dashboard is gone from state; its campaign's detail said so.
      const gone = objects.find((o) => o.key === "exoclick:Variation" && o.props.active === false)!;
      delete ex.variations[gone.id.split("/")[1]];
      const again = await refresh(objects);
      expect((again.answers[gone.id] as any).id).to.equal("");
    });

    it("a write of this run is read back from the network, not from the run's earlier answer", async () => {
      await seed();
      enableReadCache(true);
      resetContexts();
      const variation = objects.find((o) => o.key === "exoclick:Variation" && o.props.active !== false)!;
      const [campaignId] = variation.id.split("/");
      const campaign = objects.find((o) => o.id === campaignId)!;
      await campaignP.read!(campaign.id, campaign.props); // the detail, shared with the variation's read
      await variationP.update!(variation.id, variation.props, { ...variation.props, active: false });
      const details = ctx.sb.requests("exoclick").filter((r) => r.method === "GET" && r.path === `/v2/campaigns/${campaignId}`).length;
      const read = await variationP.read!(variation.id, { ...variation.props, active: false });
      expect((read as any).props.active).to.equal(false);
      expect(ctx.sb.requests("exoclick").filter((r) => r.method === "GET" && r.path === `/v2/campaigns/${campaignId}`).length).to.equal(details + 1);
      const postback = objects.find((o) => o.key === "affise:Postback")!;
      await postbackP.read!(postback.id, postback.props);
      await postbackP.update!(postback.id, postback.props, { ...postback.props, url: "https://again.example/pb" });
      const pb = await postbackP.read!(postback.id, { ...postback.props, url: "https://again.example/pb" });
      expect((pb as any).props.url).to.equal("https://again.example/pb");
    });
  });
  describe("Integr8 postbacks and offer applications (their lists return the objects their reads do)", () => {
    const P = 30;
    const A = 10;
    const postbackP = registry.get("integr8:Postback");
    const applicationP = registry.get("integr8:OfferApplication");
    type Made = { key: string; id: string; props: any };
    const seed = async (): Promise<Made[]> => {
      // The bursts below exceed the sandbox's 100 requests a second: no 429 (and its retry) in the counts. Reset per test.
      ctx.sb.network<Integr8Sandbox>("integr8").rateLimitPerSecond = 100_000;
      const made: Made[] = [];
      for (let i = 0; i < P; i++) {
        const c = await postbackP.check({}, {
          name: `Postback ${i}`, integration: INTEGR8_SANDBOX.integrationId, serviceType: "conversion",
          url: `https://tracker.example/pb?tx={external_transaction_id}&i=${i}`,
        });
        expect(c.failures ?? []).to.deep.equal([]);
        const r = await postbackP.create(c.inputs);
        made.push({ key: "integr8:Postback", id: r.id, props: { ...c.inputs, ...r.outs } });
      }
      for (const offer of ctx.sb.network<Integr8Sandbox>("integr8").addOffers(A)) {
        const c = await applicationP.check({}, { offerId: offer.id });
        expect(c.failures ?? []).to.deep.equal([]);
        const r = await applicationP.create(c.inputs);
        made.push({ key: "integr8:OfferApplication", id: r.id, props: { ...c.inputs, ...r.outs } });
      }
      return made;
    };
    /** Every object read as a refresh in a new provider host reads it (all at once, in the given order): the answers by id, and the requests per route. */
    const refresh = async (objects: Made[]) => {
      resetContexts();
      const start = ctx.sb.requests("integr8").length;
      const answers = await Promise.all(objects.map((o) => registry.get(o.key).read!(o.id, o.props)));
      const byRoute: Record<string, number> = {};
      for (const r of ctx.sb.requests("integr8").slice(start)) {
        const k = `${r.method} ${r.path.replace(/[0-9a-f]{24}/g, ":id")}`;
        byRoute[k] = (byRoute[k] ?? 0) + 1;
      }
      return { answers: Object.fromEntries(objects.map((o, i) => [o.id, answers[i]])), byRoute };
    };

    it(`a refresh of ${P} postbacks and ${A} applications: one listing of each kind, in any order, the same answers as one read each`, async () => {
      const objects = await seed();
      const plain = await refresh(objects);
      expect(plain.byRoute).to.deep.equal({
        "GET /api/v2/publisher-view/:id/postbacks/:id": P,
        "GET /api/v2/publisher-view/:id/offers/:id/access-requests/:id": A,
      });
      enableReadCache(true);
      for (const order of [objects, shuffled(objects, 5), [...objects].reverse()]) {
        const r = await refresh(order);
        expect(r.answers).to.deep.equal(plain.answers);
        // The first of each kind asks for itself, then one listing (one page of 100) serves the rest.
        expect(r.byRoute).to.deep.equal({
          "GET /api/v2/publisher-view/:id/postbacks/:id": 1, "GET /api/v2/publisher-view/:id/postbacks": 1,
          "GET /api/v2/publisher-view/:id/offers/:id/access-requests/:id": 1, "GET /api/v2/publisher-view/:id/offer-access-requests": 1,
        });
      }
    });

    it("still sees dashboard edits and deletions, and reads a write of the run back from the network", async () => {
      const objects = await seed();
      enableReadCache(true);
      await refresh(objects); // an earlier run: nothing of it may be served to the next
      const sandbox = ctx.sb.network<Integr8Sandbox>("integr8");
      const data = (sandbox as any).data;
      const [edited, removed, written] = objects.filter((o) => o.key === "integr8:Postback");
      const [decided, withdrawn] = objects.filter((o) => o.key === "integr8:OfferApplication");
      data.postbacks[edited.id].url = "https://edited.example/pb";
      delete data.postbacks[removed.id];
      sandbox.decide(decided.props.applicationId, "rejected", "Traffic quality");
      delete data.applications[withdrawn.props.applicationId];
      const after = await refresh(shuffled(objects, 3));
      expect((after.answers[edited.id] as any).props.url).to.equal("https://edited.example/pb");
      expect((after.answers[removed.id] as any).id).to.equal("");
      expect((after.answers[decided.id] as any).props).to.include({ status: "rejected", statusReason: "Traffic quality" });
      expect((after.answers[withdrawn.id] as any).id).to.equal("");
      expect(after.byRoute["GET /api/v2/publisher-view/:id/postbacks"]).to.equal(1);
      // This run (one provider host): the listing taken (holding `written`, not served yet), then an update; the read after it asks the network.
      resetContexts();
      const rest = objects.filter((o) => o.key === "integr8:Postback" && o !== removed && o !== written);
      await Promise.all(rest.map((o) => postbackP.read!(o.id, o.props)));
      await postbackP.update!(written.id, written.props, { ...written.props, url: "https://again.example/pb" });
      const gets = () => ctx.sb.requests("integr8").filter((r) => r.method === "GET" && r.path.endsWith(`/postbacks/${written.id}`)).length;
      const before = gets();
      const back = await postbackP.read!(written.id, { ...written.props, url: "https://again.example/pb" });
      expect((back as any).props.url).to.equal("https://again.example/pb");
      expect(gets()).to.equal(before + 1);
    });
  });
});
