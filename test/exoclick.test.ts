import { expect } from "chai";
import { isAbout, pathOf } from "./support/check";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { useSandbox } from "./support/sandbox";
import { jpegShell, noisyPng, padPng, png, removeTempFiles, tempFile } from "./support/png";
import * as crypto from "crypto";
import * as fs from "fs";
import { ExoClickSandbox, EXOCLICK_SANDBOX_CREDENTIALS } from "../provider/sandbox/exoclick";
import { clearTokenCache, ExoClickClient, loginStats } from "../provider/exoclick/client";
import { applyStackConfig, resetStackConfig } from "../provider/core/config/config";
import { UNKNOWN } from "../provider/core/schema/validate";
import { shim } from "../provider/core/engine/shim";
import * as registry from "../provider/registry";
import { ROOT } from "./support/engine";
import { contextFor } from "../provider/core/config/context";
import { network as exoclickNetwork } from "../provider/exoclick/network";

const urlP = registry.get("exoclick:LibraryUrl");
const campaignP = registry.get("exoclick:Campaign");
const fileP = registry.get("exoclick:LibraryFile");
const variationP = registry.get("exoclick:Variation");

const IMAGE = path.join(ROOT, "examples", "exoclick-banner", "banner-300x250.png");

/** The seed's step 3 body, verbatim. */
const SEED_CAMPAIGN = {
  name: "Banner 300x250 Production",
  status: 0,
  advertiser_ad_type: 0,
  media_storage_template: "img_banner",
  size: "300x250",
  categories: { type: "targeted", elements: [97, 98, 99] },
  countries: { type: "targeted", elements: [{ country: "USA", regions: [0] }] },
  pricing: { model: 4, price: 300 },
  start_date: "2026-03-02",
  daily_limit_type: 1,
  max_daily_budget: 2000,
  budget_delivery_mode: 1,
  run_on_responsive_zones: 1,
};

/** The same campaign as resource inputs: amounts in major units (ExoClick takes cents: 3.00 -> 300, 20.00 -> 2000). */
const CAMPAIGN_ARGS = {
  name: "Banner 300x250 Production",
  status: 0,
  advertiserAdType: 0,
  mediaStorageTemplate: "img_banner",
  size: "300x250",
  categories: { type: "targeted", elements: [97, 98, 99] },
  countries: { type: "targeted", elements: [{ country: "USA", regions: [0] }] },
  pricing: { model: 4, price: 3 },
  startDate: "2026-03-02",
  dailyLimitType: 1,
  maxDailyBudget: 20,
  budgetDeliveryMode: 1,
  runOnResponsiveZones: 1,
};

async function checked(p: any, news: Record<string, any>) {
  const r = await p.check({}, news);
  expect(r.failures, JSON.stringify(r.failures)).to.deep.equal([]);
  return r.inputs;
}

async function createAll() {
  const url = await urlP.create(await checked(urlP, { url: "https://your-landing-page.com" }));
  const file = await fileP.create(await checked(fileP, { path: IMAGE, type: "image" }));
  const campaign = await campaignP.create(await checked(campaignP, CAMPAIGN_ARGS));
  const variation = await variationP.create(await checked(variationP, { campaignId: campaign.id, libraryUrlId: url.id, libraryFileId: file.id }));
  return { url, file, campaign, variation };
}

describe("exoclick", () => {
  const ctx = useSandbox((sb) => ({ "exoclick:baseUrl": `${sb.urlFor("exoclick")}/v2`, "exoclick:apiToken": EXOCLICK_SANDBOX_CREDENTIALS.apiToken }));
  const exo = () => ctx.sb.network<ExoClickSandbox>("exoclick");
  beforeEach(() => clearTokenCache());
  after(() => removeTempFiles());

  describe("login and credentials", () => {
    it("logs in once for a whole deployment of many creates", async () => {
      for (let i = 0; i < 5; i++) await urlP.create({ url: `https://example.com/${i}` });
      expect(exo().logins).to.equal(1);
      expect(ctx.sb.requests("exoclick").filter((r) => r.path === "/v2/login")).to.have.length(1);
    });

    it("logs in with username and password (seed step A)", async () => {
      resetStackConfig();
      applyStackConfig({ "exoclick:baseUrl": `${ctx.sb.urlFor("exoclick")}/v2`, "exoclick:username": "sandbox", "exoclick:password": "sandbox-password" }, ["exoclick:baseUrl", "exoclick:username", "exoclick:password"]);
      await urlP.create({ url: "https://example.com" });
      const login = ctx.sb.requests("exoclick").find((r) => r.path === "/v2/login")!;
      expect(login.body).to.deep.equal({ username: "sandbox", password: "[REDACTED]" });
    });

    it("logs in again once on a 401 (expired token) and retries", async () => {
      await urlP.create({ url: "https://example.com/a" });
      exo().expireTokens();
      await urlP.create({ url: "https://example.com/b" });
      expect(exo().logins).to.equal(2);
      expect(Object.values(exo().data.urls)).to.have.length(2);
    });

    it("bad credentials give the network's 401 message, with the token redacted", async () => {
      resetStackConfig();
      applyStackConfig({ "exoclick:baseUrl": `${ctx.sb.urlFor("exoclick")}/v2`, "exoclick:apiToken": "wrong-token-value-1234" }, ["exoclick:baseUrl", "exoclick:apiToken"]);
      const err = await urlP.create({ url: "https://example.com" }).catch((e: Error) => e) as Error;
      expect(err.message).to.contain("401").and.contain("Invalid credentials");
      expect(err.message).not.to.contain("wrong-token-value-1234");
    });

    it("missing credentials name the config keys and the environment variables", async () => {
      resetStackConfig();
      const saved = { ...process.env };
      for (const k of ["EXOCLICK_API_TOKEN", "EXOCLICK_USERNAME", "EXOCLICK_PASSWORD"]) delete process.env[k];
      try {
        const err = await urlP.create({ url: "https://example.com" }).catch((e: Error) => e) as Error;
        for (const s of ["exoclick:apiToken", "EXOCLICK_API_TOKEN", "exoclick:username", "exoclick:password", "EXOCLICK_USERNAME", "EXOCLICK_PASSWORD"]) {
          expect(err.message).to.contain(s);
        }
      } finally {
        process.env = saved;
      }
    });

    it("falls back to environment variables", async () => {
      resetStackConfig();
      process.env.EXOCLICK_API_TOKEN = EXOCLICK_SANDBOX_CREDENTIALS.apiToken;
      process.env.EXOCLICK_BASE_URL = `${ctx.sb.urlFor("exoclick")}/v2`;
      try {
        const r = await urlP.create({ url: "https://example.com/env" });
        expect(r.id).to.match(/^\d+$/);
      } finally {
        delete process.env.EXOCLICK_API_TOKEN;
        delete process.env.EXOCLICK_BASE_URL;
      }
    });
  });

  describe("wire format equals the seed", () => {
    it("sends the seed's four requests, in order, with the seed's bodies", async () => {
      await createAll();
      const writes = ctx.sb.requests("exoclick", { writes: true }).filter((r) => r.path !== "/v2/login");
      expect(writes.map((w) => `${w.method} ${w.path.replace(/campaigns\/\d+/, "campaigns/{id}")} ${w.contentType}`)).to.deep.equal([
        "POST /v2/library/url application/json",
        "POST /v2/library/file multipart/form-data",
        "POST /v2/campaigns application/json",
        "POST /v2/campaigns/{id}/variation multipart/form-data",
      ]);
      expect(writes[0].body).to.deep.equal({ url: "https://your-landing-page.com" });
      expect(Object.keys(writes[1].body as object).sort()).to.deep.equal(["file", "type"]);
      expect((writes[1].body as any).type).to.equal("image");
      expect((writes[1].body as any).file.filename).to.equal("banner-300x250.png");
      expect(writes[2].body).to.deep.equal(SEED_CAMPAIGN);
      const urlId = String(Object.keys(exo().data.urls)[0]);
      const fileId = String(Object.keys(exo().data.files)[0]);
      expect(writes[3].body).to.deep.equal({ id_library_url: urlId, id_library_file: fileId, active: "1" });
    });
  });

  describe("resource lifecycle against the sandbox", () => {
    it("LibraryUrl: create, read, update in place, delete, 404 on read removes it", async () => {
      const { id, outs } = await urlP.create(await checked(urlP, { url: "https://a.example/x?c={clickid}" }));
      expect(outs.url).to.equal("https://a.example/x?c={clickid}");
      expect((await urlP.read(id, outs)).props).to.deep.equal({ url: "https://a.example/x?c={clickid}" });
      const d = await urlP.diff(id, outs, { url: "https://b.example" });
      expect(d).to.include({ changes: true });
      expect(d.replaces).to.deep.equal([]);
      await urlP.update(id, outs, { url: "https://b.example" });
      expect(exo().data.urls[id].url).to.equal("https://b.example");
      await urlP.delete(id, outs);
      expect(exo().data.urls[id]).to.equal(undefined);
      expect((await urlP.read(id, outs)).id).to.equal("");
      await urlP.delete(id, outs); // 404 counts as deleted
    });

    it("LibraryFile: reads back dimensions and hash; a new image replaces; path moves do not", async () => {
      const inputs = await checked(fileP, { path: IMAGE });
      expect(inputs).to.include({ type: "image", size: "300x250" });
      expect(inputs.contentHash).to.match(/^[0-9a-f]{32}$/);
      const { id, outs } = await fileP.create(inputs);
      expect(outs).to.include({ width: 300, height: 250 });
      const read = await fileP.read(id, outs);
      expect(read.props.contentHash).to.equal(inputs.contentHash);
      const v2 = await checked(fileP, { path: path.join(ROOT, "examples", "exoclick-banner", "banner-300x250-v2.png") });
      expect((await fileP.diff(id, outs, v2)).replaces).to.deep.equal(["contentHash"]);
      const moved = tempFile("same.png", require("fs").readFileSync(IMAGE));
      expect((await fileP.diff(id, outs, await checked(fileP, { path: moved }))).changes).to.equal(false);
    });

    it("Campaign: budget updates in place, size replaces, status uses play/pause, delete archives", async () => {
      const inputs = await checked(campaignP, CAMPAIGN_ARGS);
      const { id, outs } = await campaignP.create(inputs);
      const read = await campaignP.read(id, outs);
      expect((await campaignP.diff(id, read.props, inputs)).changes, "read must match inputs").to.equal(false);

      const cheaper = await checked(campaignP, { ...CAMPAIGN_ARGS, maxDailyBudget: 15 });
      const d = await campaignP.diff(id, outs, cheaper);
      expect(d.changes).to.equal(true);
      expect(d.replaces).to.deep.equal([]);
      await campaignP.update(id, outs, cheaper);
      const put = ctx.sb.requests("exoclick", { writes: true }).filter((r) => r.method === "PUT").pop()!;
      expect(put.path).to.equal(`/v2/campaigns/${id}`);
      expect(put.body).to.deep.equal({ max_daily_budget: 1500 });
      expect(exo().data.campaigns[id].max_daily_budget).to.equal(1500);

      expect((await campaignP.diff(id, outs, await checked(campaignP, { ...CAMPAIGN_ARGS, size: "728x90" }))).replaces).to.deep.equal(["size"]);

      expect(outs.calculatedStatus, "what ExoClick computes is an output from the create on").to.equal("Paused");
      const played = await campaignP.update(id, outs, await checked(campaignP, { ...CAMPAIGN_ARGS, status: 1 }));
      expect(ctx.sb.requests("exoclick", { writes: true }).pop()!.path).to.equal("/v2/campaigns/play");
      expect(exo().data.campaigns[id].status).to.equal(1);
      expect(played.outs.calculatedStatus, "the update reads back what ExoClick computes").to.equal("Running");

      await campaignP.delete(id, outs);
      expect(exo().data.campaigns[id].status).to.equal(-1);
      expect((await campaignP.read(id, outs)).id, "archived reads as gone").to.equal("");
    });

    it("Campaign: an out-of-band edit shows as drift on read", async () => {
      const inputs = await checked(campaignP, CAMPAIGN_ARGS);
      const { id, outs } = await campaignP.create(inputs);
      exo().data.campaigns[id].max_daily_budget = 999;
      exo().data.campaigns[id].countries = { type: "targeted", elements: [{ country: "DEU", regions: [0] }] };
      const read = await campaignP.read(id, outs);
      expect(read.props.maxDailyBudget).to.equal(9.99); // 999 cents
      expect(read.props.countries).to.deep.equal({ type: "targeted", elements: [{ country: "DEU", regions: [0] }] });
      const d = await campaignP.diff(id, read.props, inputs);
      expect(d.changes).to.equal(true);
    });

    it("Variation: links url and file, active toggles in place, id is campaign/variation", async () => {
      const { variation, campaign } = await createAll();
      expect(variation.id).to.match(new RegExp(`^${campaign.id}/\\d+$`));
      const read = await variationP.read(variation.id, {});
      expect(read.props).to.include({ campaignId: campaign.id, active: true });
      const off = { ...variation.outs, active: false };
      expect((await variationP.diff(variation.id, variation.outs, off)).replaces).to.deep.equal([]);
      await variationP.update(variation.id, variation.outs, off);
      expect(exo().data.variations[variation.outs.variationId].active).to.equal(0);
      await variationP.delete(variation.id, variation.outs);
      expect((await variationP.read(variation.id, variation.outs)).id).to.equal("");
    });

    it("import: read with only an id returns inputs that match the program (no diff)", async () => {
      const { url, file, campaign, variation } = await createAll();
      for (const [p, created, args] of [
        [urlP, url, { url: "https://your-landing-page.com" }],
        [fileP, file, { path: IMAGE, type: "image" }],
        [campaignP, campaign, CAMPAIGN_ARGS],
        [variationP, variation, { campaignId: campaign.id, libraryUrlId: url.id, libraryFileId: file.id }],
      ] as const) {
        const r = await (p as any).read(created.id, {});
        expect(r.id).to.equal(created.id);
        const news = await checked(p, args);
        const d = await (p as any).diff(created.id, r.props, news);
        expect(d.changes, `${JSON.stringify(args).slice(0, 60)} import diff: ${JSON.stringify(d)}`).to.equal(false);
      }
    });

    it("a create whose response is lost is found again, not duplicated", async () => {
      ctx.sb.faults.configure({ rate: 1, kinds: ["lost"], routes: ["POST /v2/campaigns"], seed: 3 });
      const inputs = await checked(campaignP, CAMPAIGN_ARGS);
      const created = await campaignP.create(inputs);
      ctx.sb.faults.configure(undefined);
      const all = Object.values(exo().data.campaigns);
      expect(all).to.have.length(1);
      expect(String(all[0].id)).to.equal(created.id);
      expect(ctx.sb.journal.filter((e) => e.fault === "lost")).to.have.length.greaterThan(0);
    });
  });

  describe("creates whose response is lost", () => {
    it("adopt the object this create made, never one that belongs to another resource with the same key", async () => {
      const inputs = await checked(fileP, { path: IMAGE });
      const first = await fileP.create(inputs); // an earlier resource with the same image
      ctx.sb.faults.configure({ rate: 1, kinds: ["lost"], routes: ["POST /v2/library/file"] });
      const second = await fileP.create(inputs);
      ctx.sb.faults.configure(undefined);
      const ids = Object.keys(exo().data.files);
      expect(ids).to.have.length(2);
      expect(second.id).to.not.equal(first.id);
      expect(ids).to.include(second.id);
    });

    it("a reset before the request was handled creates exactly once", async () => {
      await urlP.create({ url: "https://same.example" });
      // The next two creates are dropped before they are handled (by count, not by a time window).
      ctx.sb.faults.next({ kind: "reset", count: 2, routes: ["POST /v2/library/url"] });
      const created = await urlP.create({ url: "https://same.example" });
      expect(ctx.sb.requests("exoclick").filter((r) => r.path === "/v2/library/url" && r.method === "POST").map((r) => r.fault ?? r.status)).to.deep.equal([200, "reset", "reset", 200]);
      const same = Object.values(exo().data.urls).filter((u: any) => u.url === "https://same.example");
      expect(same).to.have.length(2);
      expect(same.map((u: any) => String(u.id))).to.include(created.id);
    });
  });

  describe("bad input is rejected at check, before any request", () => {
    const wrongSize = tempFile("leaderboard.png", png(728, 90));
    const notImage = tempFile("notes.png", "this is not an image");
    const cases: Array<[string, any, Record<string, any>, string, RegExp]> = [
      ["wrong image size", fileP, { path: wrongSize }, "path", /728x90.*exactly 300x250/],
      ["a non-image file", fileP, { path: notImage }, "path", /not an image/],
      ["a missing file", fileP, { path: "/nonexistent/banner.png" }, "path", /cannot read/],
      ["a bad library file type", fileP, { path: IMAGE, type: "gif" }, "type", /one of "image", "video", "video_banner"/],
      ["a missing campaign name", campaignP, { ...CAMPAIGN_ARGS, name: undefined }, "name", /required/],
      ["a missing pricing", campaignP, { ...CAMPAIGN_ARGS, pricing: undefined }, "pricing", /required/],
      ["a bad enum", campaignP, { ...CAMPAIGN_ARGS, mediaStorageTemplate: "img_baner" }, "mediaStorageTemplate", /one of "img_banner", "link", "native_ad"/],
      ["a bad pricing model", campaignP, { ...CAMPAIGN_ARGS, pricing: { model: 9, price: 300 } }, "pricing.model", /one of 1 \("cpc": CPC\), 2 \("cpm": CPM\)/],
      ["a negative budget", campaignP, { ...CAMPAIGN_ARGS, maxDailyBudget: -5 }, "maxDailyBudget", />= 0/],
      ["a zero price", campaignP, { ...CAMPAIGN_ARGS, pricing: { model: 4, price: 0 } }, "pricing.price", /> 0/],
      ["a price below a cent", campaignP, { ...CAMPAIGN_ARGS, pricing: { model: 4, price: 0.005 } }, "pricing.price", /amount in major units of the currency \(USD\), which the network takes to 2 decimals; got 0.005/],
      ["a budget over ExoClick's limit", campaignP, { ...CAMPAIGN_ARGS, maxDailyBudget: 2_000_000 }, "maxDailyBudget", /must be >= 0 and <= 1000000 \(major units of the currency\), got 2000000/],
      ["a bad date", campaignP, { ...CAMPAIGN_ARGS, startDate: "2026-02-30" }, "startDate", /YYYY-MM-DD/],
      ["end before start", campaignP, { ...CAMPAIGN_ARGS, endDate: "2026-03-01" }, "endDate", /on or after startDate/],
      ["an unknown country", campaignP, { ...CAMPAIGN_ARGS, countries: { type: "targeted", elements: [{ country: "XYZ" }] } }, "countries.elements[0].country", /alpha-3/],
      ["a 2-letter country", campaignP, { ...CAMPAIGN_ARGS, countries: { type: "targeted", elements: [{ country: "US" }] } }, "countries.elements[0].country", /alpha-3/],
      ["an oversized name", campaignP, { ...CAMPAIGN_ARGS, name: "x".repeat(300) }, "name", /at most 255/],
      ["a misspelt field", campaignP, { ...CAMPAIGN_ARGS, maxDailyBudjet: 10 }, "maxDailyBudjet", /unknown field/],
      ["a wrong type", campaignP, { ...CAMPAIGN_ARGS, maxDailyBudget: "2000" }, "maxDailyBudget", /must be a whole number/],
      ["a malformed URL", urlP, { url: "your-landing-page.com" }, "url", /absolute http/],
      ["a non-numeric variation link", variationP, { campaignId: "abc", libraryUrlId: "1", libraryFileId: "2" }, "campaignId", /numeric ExoClick id/],
    ];
    for (const [what, p, news, field, reason] of cases) {
      it(`rejects ${what} (${field})`, async () => {
        const r = await p.check({}, news);
        const f = r.failures.find((x: any) => isAbout(x, field));
        expect(f, JSON.stringify(r.failures)).to.not.equal(undefined);
        expect(f.reason).to.match(reason);
        expect(f.reason).to.contain(field.split(".").pop()!.replace(/\[\d+\]/, ""));
        expect(ctx.sb.journal, "no request may be sent").to.have.length(0);
      });
    }

    it("accepts values that are unknown at preview time", async () => {
      const r = await variationP.check({}, { campaignId: UNKNOWN, libraryUrlId: UNKNOWN, libraryFileId: "5" });
      expect(r.failures).to.deep.equal([]);
      const r2 = await fileP.check({}, { path: UNKNOWN });
      expect(r2.failures).to.deep.equal([]);
      const d = await variationP.diff("1/2", { campaignId: "1", libraryUrlId: "3", libraryFileId: "5", active: true }, r.inputs);
      expect(d.replaces).to.include("campaignId");
    });
  });

  describe("issue #11: bad input named at check, with what is allowed, before any request", () => {
    const good = png(300, 250);
    const truncated = tempFile("cut.png", good.subarray(0, 60)); // header intact, pixel data cut
    const corrupt = Buffer.from(good);
    corrupt[45] ^= 0xff; // a byte inside IDAT: the checksum no longer matches
    const bmp = Buffer.alloc(54 + 30 * 25 * 3);
    bmp.write("BM", 0, "latin1");
    bmp.writeUInt32LE(bmp.length, 2);
    bmp.writeUInt32LE(54, 10);
    bmp.writeUInt32LE(40, 14);
    bmp.writeInt32LE(30, 18);
    bmp.writeInt32LE(25, 22);
    bmp.writeUInt16LE(1, 26);
    bmp.writeUInt16LE(24, 28);
    // A BMP of the banner's size weighs 225 KB: refused for its format, which is what the user must change.
    const bigBmp = Buffer.alloc(54 + 300 * 250 * 3);
    bigBmp.write("BM", 0, "latin1");
    bigBmp.writeUInt32LE(bigBmp.length, 2);
    bigBmp.writeUInt32LE(54, 10);
    bigBmp.writeUInt32LE(40, 14);
    bigBmp.writeInt32LE(300, 18);
    bigBmp.writeInt32LE(250, 22);
    bigBmp.writeUInt16LE(1, 26);
    bigBmp.writeUInt16LE(24, 28);
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="250"><rect width="300" height="250"/></svg>`;
    const heavy = noisyPng(300, 250);
    const country = (c: string, regions?: number[]) => ({ country: c, ...(regions ? { regions } : {}) });
    const cases: Array<[string, any, Record<string, any>, string, RegExp]> = [
      ["a whitespace-only campaign name", campaignP, { ...CAMPAIGN_ARGS, name: "   \t " }, "name", /name must not be empty or only spaces/],
      ["a URL with no host (https:///only/a/path)", urlP, { url: "https:///only/a/path" }, "url", /url must be an absolute http:\/\/ or https:\/\/ URL with a host/],
      ["a BMP image", fileP, { path: tempFile("banner.bmp", bmp) }, "path", /is a 30x25 BMP image; ExoClick accepts PNG, JPEG or GIF/],
      ["a 300x250 BMP image (225 KB: the format is named, not the weight)", fileP, { path: tempFile("banner-300x250.bmp", bigBmp) }, "path", /^path ".*banner-300x250\.bmp" is a 300x250 BMP image; ExoClick accepts PNG, JPEG or GIF banners: convert it \(e\.g\. to PNG\)$/],
      ["an SVG image", fileP, { path: tempFile("banner.svg", svg) }, "path", /is a 300x250 SVG image; ExoClick accepts PNG, JPEG or GIF/],
      ["a truncated PNG", fileP, { path: truncated }, "path", /truncated or corrupt PNG \(IDAT chunk cut at byte 60/],
      ["a corrupt PNG", fileP, { path: tempFile("bad.png", corrupt) }, "path", /truncated or corrupt PNG \(IDAT chunk has a bad checksum\)/],
      ["a truncated JPEG", fileP, { path: tempFile("cut.jpg", jpegShell(300, 250, { complete: false })) }, "path", /truncated or corrupt JPEG \(no end-of-image marker/],
      ["an image over 150 KB", fileP, { path: tempFile("heavy.png", heavy) }, "path", /at most 150 KB \(153600 bytes\)/],
      ["duplicate countries in different case (USA, usa)", campaignP, { ...CAMPAIGN_ARGS, countries: { type: "targeted", elements: [country("USA"), country("usa")] } }, "countries.elements[1]", /repeats countries\.elements\[0\].*each may appear once/],
      ["region 0 (whole country) with other regions", campaignP, { ...CAMPAIGN_ARGS, countries: { type: "targeted", elements: [country("USA", [0, 5])] } }, "countries.elements[0].regions", /must be \[0\] alone \(the whole country\)/],
      ["a repeated region", campaignP, { ...CAMPAIGN_ARGS, countries: { type: "targeted", elements: [country("USA", [5, 5])] } }, "countries.elements[0].regions[1]", /repeats/],
      ["a negative region id", campaignP, { ...CAMPAIGN_ARGS, countries: { type: "targeted", elements: [country("USA", [-3])] } }, "countries.elements[0].regions[0]", />= 0/],
      ["a fractional region id", campaignP, { ...CAMPAIGN_ARGS, countries: { type: "targeted", elements: [country("USA", [1.5])] } }, "countries.elements[0].regions[0]", /whole number/],
      ["50,000 categories", campaignP, { ...CAMPAIGN_ARGS, categories: { type: "targeted", elements: Array.from({ length: 50_000 }, (_, i) => i + 1) } }, "categories.elements", /at most 1000 items, got 50000/],
    ];
    for (const [what, p, news, field, reason] of cases) {
      it(`rejects ${what} (${field})`, async () => {
        const r = await p.check({}, news);
        const f = r.failures.find((x: any) => isAbout(x, field));
        expect(f, JSON.stringify(r.failures).slice(0, 500)).to.not.equal(undefined);
        expect(f.reason).to.match(reason);
        expect(f.reason.startsWith(field) || f.reason.startsWith(`unknown field ${field}`), f.reason).to.equal(true);
        expect(ctx.sb.journal, "no request may be sent").to.have.length(0);
      });
    }

    it("accepts what ExoClick accepts: a complete JPEG, a GIF, exactly 150 KB (one byte more fails), regions, 1000 categories", async () => {
      expect((await fileP.check({}, { path: tempFile("ok.jpg", jpegShell(300, 250)) })).failures).to.deep.equal([]);
      const gif = Buffer.concat([Buffer.from("GIF89a", "latin1"), Buffer.from([0x2c, 0x01, 0xfa, 0x00, 0, 0, 0]), Buffer.from([0x3b])]);
      expect((await fileP.check({}, { path: tempFile("ok.gif", gif) })).failures).to.deep.equal([]);
      const limit = padPng(png(300, 250), 150 * 1024);
      expect(limit.length).to.equal(153600);
      expect((await fileP.check({}, { path: tempFile("limit.png", limit) })).failures).to.deep.equal([]);
      const over = (await fileP.check({}, { path: tempFile("over.png", padPng(png(300, 250), 150 * 1024 + 1)) })).failures!;
      expect(over).to.have.length(1);
      expect(over[0].reason).to.match(/^path ".*over\.png" is 150\.0 KB \(153601 bytes\); ExoClick accepts banner images of at most 150 KB \(153600 bytes\)$/);
      expect((await campaignP.check({}, { ...CAMPAIGN_ARGS, countries: { type: "targeted", elements: [country("USA", [5, 7]), country("DEU")] } })).failures).to.deep.equal([]);
      expect((await campaignP.check({}, { ...CAMPAIGN_ARGS, categories: { type: "targeted", elements: Array.from({ length: 1000 }, (_, i) => i + 1) } })).failures).to.deep.equal([]);
    });

    it("the image's verdict is computed once per content (issue #35): the same bytes again inflate nothing, new bytes at the same path are judged again", async () => {
      const zlib = require("zlib") as typeof import("zlib");
      const inflate = zlib.inflateSync;
      let inflated = 0;
      (zlib as { inflateSync: unknown }).inflateSync = (...a: Parameters<typeof inflate>) => {
        inflated++;
        return inflate(...a);
      };
      try {
        const bytes = padPng(png(300, 250), 777); // content no other test uses
        const a = tempFile("cache-a.png", bytes);
        expect((await fileP.check({}, { path: a })).failures).to.deep.equal([]);
        expect(inflated).to.equal(1);
        expect((await fileP.check({}, { path: tempFile("cache-b.png", bytes) })).failures).to.deep.equal([]);
        expect(inflated, "the same bytes elsewhere: the verdict is known").to.equal(1);
        // The size rule is the resource's, not the image's: judged on every check.
        const sized = (await fileP.check({}, { path: a, size: "728x90" })).failures!;
        expect(sized.map((f) => f.reason)).to.deep.equal([`path ${JSON.stringify(a)} is a 300x250 image, but the banner size must be exactly 728x90 (size)`]);
        // The same path with other bytes: a new verdict.
        fs.writeFileSync(a, bytes.subarray(0, 60));
        const cut = (await fileP.check({}, { path: a })).failures!;
        expect(cut).to.have.length(1);
        expect(cut[0].reason).to.match(/truncated or corrupt PNG \(IDAT chunk cut at byte 60/);
        expect((await fileP.check({}, { path: a })).failures).to.deep.equal(cut);
      } finally {
        (zlib as { inflateSync: unknown }).inflateSync = inflate;
      }
    });

    it("a derived field in the news is computed again from the file, not taken", async () => {
      const r = await fileP.check({}, { path: IMAGE, contentHash: "0123456789abcdef0123456789abcdef" });
      expect(r.failures).to.deep.equal([]);
      expect(r.inputs.contentHash).to.equal(crypto.createHash("md5").update(fs.readFileSync(IMAGE)).digest("hex"));
    });

    it("a credential given as a resource input is named, never echoed", async () => {
      const secret = "exo-secret-token-7f3a9c";
      for (const [p, news] of [[campaignP, { ...CAMPAIGN_ARGS, apiToken: secret }], [urlP, { url: "https://a.example", apiToken: secret }]] as const) {
        const r = await (p as any).check({}, news);
        const f = r.failures.find((x: any) => isAbout(x, "apiToken"));
        expect(f, JSON.stringify(r.failures)).to.not.equal(undefined);
        expect(f.reason).to.match(/^apiToken is not an input of exoclick\.\w+: credentials are never resource inputs .*stack config exoclick:apiToken .*environment EXOCLICK_API_TOKEN/);
        // No property: Pulumi prints a property's value beside the reason.
        expect(f.property).to.equal("");
        expect(JSON.stringify(r.failures)).not.to.contain(secret);
      }
      expect(ctx.sb.journal).to.have.length(0);
    });
  });

  describe("list: every live object of a type, as read reports it, with the import id", () => {
    const list = (key: string) => registry.get(key).list!();

    it("lists library urls, files, campaigns and variations (every campaign's), skipping archived ones", async () => {
      const first = await createAll();
      const c2 = await campaignP.create(await checked(campaignP, { ...CAMPAIGN_ARGS, name: "Second" }));
      const v2 = await variationP.create(await checked(variationP, { campaignId: c2.id, libraryUrlId: first.url.id, libraryFileId: first.file.id, active: false }));
      const gone = await campaignP.create(await checked(campaignP, { ...CAMPAIGN_ARGS, name: "Archived" }));
      await variationP.create(await checked(variationP, { campaignId: gone.id, libraryUrlId: first.url.id, libraryFileId: first.file.id }));
      await campaignP.delete(gone.id, {});
      const writes = () => ctx.sb.requests("exoclick", { writes: true }).filter((r) => r.path !== "/v2/login").length;
      const writesBefore = writes();

      expect(await list("exoclick:LibraryUrl")).to.deep.equal([{ id: first.url.id, state: { url: "https://your-landing-page.com" } }]);
      const all = await list("exoclick:Campaign");
      const campaigns = all.filter((c: any) => !c.skip);
      expect(campaigns.map((c) => c.id)).to.deep.equal([first.campaign.id, c2.id]);
      // The archived one is reported as such (adnet-import's summary), not as a live object.
      expect(all.filter((c: any) => c.skip).map((c: any) => [c.id, c.skip])).to.deep.equal([[gone.id, "archived"]]);
      for (const c of campaigns) {
        const d = await campaignP.diff(c.id, c.state, await checked(campaignP, { ...CAMPAIGN_ARGS, name: c.state.name }));
        expect(d.changes, `listed campaign ${c.id} equals the program`).to.equal(false);
      }
      const variations = await list("exoclick:Variation");
      expect(variations).to.deep.equal([
        { id: first.variation.id, state: { campaignId: first.campaign.id, libraryUrlId: first.url.id, libraryFileId: first.file.id, active: true, variationId: first.variation.outs.variationId } },
        { id: v2.id, state: { campaignId: c2.id, libraryUrlId: first.url.id, libraryFileId: first.file.id, active: false, variationId: v2.outs.variationId } },
      ]);
      for (const v of variations) expect((await variationP.read(v.id, {})).props).to.deep.equal(v.state);
      expect(writes(), "list is read-only").to.equal(writesBefore);
    });

    it("lists library files with what an import needs: the download URL, the file name and the hash", async () => {
      const { file } = await createAll();
      const files = await list("exoclick:LibraryFile");
      expect(files).to.have.length(1);
      const [f] = files;
      expect(f.id).to.equal(file.id);
      expect(f.state).to.include({ type: "image", size: "300x250", width: 300, height: 250, fileName: "banner-300x250.png" });
      expect(f.state).not.to.have.property("path");
      const bytes = fs.readFileSync(IMAGE);
      expect(f.state.contentHash).to.equal(crypto.createHash("md5").update(bytes).digest("hex"));
      // The URL serves the stored bytes, without a token (ExoClick serves creatives from its CDN).
      const res = await require("node-fetch")(f.state.fileUrl);
      expect(res.status).to.equal(200);
      const downloaded = Buffer.from(await res.arrayBuffer());
      expect(downloaded.equals(bytes)).to.equal(true);
      // Saved where the program says, the download passes check and matches what is there: no diff.
      const local = tempFile(String(f.state.fileName), downloaded);
      const d = await fileP.diff(f.id, f.state, await checked(fileP, { path: local, type: f.state.type, size: f.state.size }));
      expect(d.changes).to.equal(false);
    });
  });

  describe("sandbox rules no stricter than ExoClick's", () => {
    it("accepts a video upload (only type image must decode as an image)", async () => {
      const client = contextFor(exoclickNetwork).client;
      const video = tempFile("clip.mp4", Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from("ftypmp42"), Buffer.alloc(64, 1)]));
      const res = await client.uploadLibraryFile(video, "video", crypto.createHash("md5").update(fs.readFileSync(video)).digest("hex"));
      expect(res.id).to.be.a("number");
      expect(res.type).to.equal("video");
    });
  });

  describe("thin serialized provider", () => {
    it("serializes to a small closure with no credential and no absolute path", async () => {
      process.env.EXOCLICK_API_TOKEN = "a-distinctive-token-0xC0FFEE";
      try {
        for (const key of registry.types()) {
          const p = shim(key);
          const sf = await pulumi.runtime.serializeFunction(() => p, { allowSecrets: true });
          const text = sf.text;
          expect(text).not.to.contain("a-distinctive-token-0xC0FFEE");
          expect(text).not.to.contain(ROOT);
          expect(text).not.to.contain("/root");
          expect(text).to.contain(`require("pulumi-adnetworks/host")`);
          // The closure serializer adds a fixed wrapper of ~280 bytes per
          // function; 7 methods is the minimum. `npm run bench` prints the size.
          expect(Buffer.byteLength(text), `${key} serialized size`).to.be.at.most(2300);
        }
      } finally {
        delete process.env.EXOCLICK_API_TOKEN;
      }
    });

    it("the host entry point resolves every registered type", () => {
      const host = require("pulumi-adnetworks/host");
      for (const key of registry.types()) expect(host.get(key).check).to.be.a("function");
      expect(() => host.get("nope:Thing")).to.throw(/no resource type nope:Thing/);
    });
  });

  it("lists paginate with limit/offset", async () => {
    const client = contextFor(exoclickNetwork).client;
    for (let i = 0; i < 7; i++) await client.createLibraryUrl(`https://example.com/p${i}`);
    const all = await client.listAll("/library/url", {}, 3);
    expect(all).to.have.length(7);
    const pages = ctx.sb.requests("exoclick").filter((r) => r.method === "GET" && r.path === "/v2/library/url" && r.query.limit === "3");
    expect(pages.map((p) => p.query.offset)).to.deep.equal(["0", "3", "6"]);
    expect(loginStats.logins).to.be.greaterThan(0);
  });
});
