/**
 * Issue #35: reads at list speed. In the provider host, a refresh (or an
 * adoption) of many ExoClick library URLs and files reads them through one
 * listing per kind (their lists return whole objects) instead of one request
 * each, and never serves what this run wrote, nor one listed object twice.
 */
import { expect } from "chai";
import * as path from "path";
import { useSandbox } from "./support/sandbox";
import { ROOT } from "./support/engine";
import * as registry from "../provider/registry";
import { EXOCLICK_SANDBOX_CREDENTIALS } from "../provider/sandbox/exoclick";
import { AFFISE_SANDBOX_CREDENTIALS } from "../provider/sandbox/affise";
import { clearTokenCache } from "../provider/exoclick/client";
import { resetContexts } from "../provider/core/config/context";
import { enableReadCache } from "../provider/core/http/readcache";

const N = 30;
const IMAGE = path.join(ROOT, "examples", "exoclick-banner", "banner-300x250.png");

describe("reads at list speed (core/http/readcache.ts, issue #35)", function () {
  this.timeout(60_000);
  const ctx = useSandbox((sb) => ({
    "exoclick:baseUrl": `${sb.urlFor("exoclick")}/v2`, "exoclick:apiToken": EXOCLICK_SANDBOX_CREDENTIALS.apiToken,
    "affise:baseUrl": sb.urlFor("affise"), "affise:apiKey": AFFISE_SANDBOX_CREDENTIALS.apiKey,
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
});
