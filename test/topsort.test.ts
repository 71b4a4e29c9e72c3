import { expect } from "chai";
import { isAbout, pathOf } from "./support/check";
import nodeFetch from "node-fetch";
import { useSandbox } from "./support/sandbox";
import { TopsortSandbox, TOPSORT_SANDBOX_CREDENTIALS } from "../provider/sandbox/topsort";
import { TopsortClient, parseError } from "../provider/topsort/client";
import { fields as campaignFields } from "../provider/topsort/campaign";
import { listCampaigns } from "../provider/topsort/lookups";
import { ApiError, ConfigError, PartialCreateError } from "../provider/core/http/errors";
import { applyStackConfig, resetStackConfig } from "../provider/core/config/config";
import { UNKNOWN } from "../provider/core/schema/validate";
import * as registry from "../provider/registry";
import { resetCreateGuards } from "../provider/core/http/recover";
import { contextFor } from "../provider/core/config/context";
import { network as topsortNetwork } from "../provider/topsort/network";

const provider = registry.get("topsort:Campaign");
const def = registry.definition("topsort:Campaign")!;

const KEY = TOPSORT_SANDBOX_CREDENTIALS.apiKey;
const PREFIX = "/public/v1/campaign-service";
const WALLET = "8f3c2a1e-6b4d-4c2a-9e1f-0a7b3c5d9e21";

/**
 * A banner create body built from the seed's campaign model (S003) and the
 * documented create fields (the seed itself is the list page and has no
 * create example), exactly as Topsort expects it on the wire.
 */
const SEED_BODY = {
  name: "Bola-Bola Ad campaign",
  adFormat: "banner",
  campaignType: "manual",
  chargeType: "CPM",
  budget: { amount: 150000, type: "daily" },
  startDate: "2026-03-01T00:00:00Z",
  endDate: "2026-03-31T23:59:59Z",
  isActive: true,
  bids: [{
    amount: 250,
    target: { id: "p_Mfk11", type: "product" },
    formatProperties: {
      adFormat: "banner",
      bannerAssets: [{ url: "https://cdn.example.com/bola-728x90.png", contentType: "image/png", dimensions: { width: 728, height: 90 }, size: 48213 }],
      slotId: "home-top",
      deviceType: "desktop",
    },
  }],
  walletId: WALLET,
};

/** The same campaign as resource inputs. */
const SEED_ARGS = {
  vendorId: "vendor-42",
  name: "Bola-Bola Ad campaign",
  adFormat: "banner",
  campaignType: "manual",
  chargeType: "CPM",
  budget: { amount: 1500, type: "daily" },
  startDate: "2026-03-01T00:00:00Z",
  endDate: "2026-03-31T23:59:59Z",
  isActive: true,
  bids: [{ amount: 2.5, target: { id: "p_Mfk11", type: "product" } }],
  banner: { slotId: "home-top", deviceType: "desktop", assets: [{ url: "https://cdn.example.com/bola-728x90.png", contentType: "image/png", width: 728, height: 90, size: 48213 }] },
  walletId: WALLET,
};

/** An autobidding listing campaign with defaults left out, triggers and ROAS. */
const LISTING_ARGS = {
  vendorId: "vendor-42",
  name: "Summer shoes",
  adFormat: "listing",
  campaignType: "autobidding",
  budget: { amount: 5000, type: "monthly" },
  startDate: "2026-06-01T00:00:00+02:00",
  endDate: "2026-08-31T00:00:00+02:00",
  targetRoas: 4.5,
  bids: [
    { amount: 0.3, target: { id: "sku-1" } },
    { amount: 0.45, target: { id: "sku-2" }, trigger: { type: "keyword", value: { words: ["running shoes"], matchType: "exact" } } },
  ],
  externalCampaignId: "ext-summer-1",
};

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

async function checked(news: Record<string, any>, olds: Record<string, any> = {}) {
  const r = await provider.check(olds, news);
  expect(r.failures, JSON.stringify(r.failures)).to.deep.equal([]);
  return r.inputs;
}

async function failures(news: Record<string, any>) {
  return (await provider.check({}, news)).failures ?? [];
}

async function raw(url: string, init: { method?: string; key?: string; body?: unknown } = {}) {
  const res = await nodeFetch(url, {
    method: init.method ?? "GET",
    headers: { ...(init.key !== undefined ? { Authorization: `Bearer ${init.key}` } : {}), ...(init.body !== undefined ? { "Content-Type": "application/json" } : {}) },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe("topsort.Campaign against the sandbox", function () {
  this.timeout(30_000);
  const ctx = useSandbox((sb) => ({ "topsort:apiKey": KEY, "topsort:baseUrl": sb.urlFor("topsort") }));
  const ts = () => ctx.sb.network<TopsortSandbox>("topsort");
  const writes = () => ctx.sb.requests("topsort", { writes: true });
  const api = () => ctx.sb.urlFor("topsort") + PREFIX;

  async function created(args: Record<string, any>) {
    const inputs = await checked(clone(args));
    const { id, outs } = await provider.create(inputs);
    return { id, inputs, state: outs };
  }

  it("sends the seed-model create body unchanged (JSON deep-equal), vendor in the query, and gets a uuid campaign", async () => {
    const { id, state } = await created(SEED_ARGS);
    expect(id).to.match(/^[0-9a-f-]{36}$/);
    const posts = writes();
    expect(posts).to.have.length(1);
    expect(posts[0]).to.include({ method: "POST", path: `${PREFIX}/campaigns`, contentType: "application/json", status: 201 });
    expect(posts[0].query).to.deep.equal({ vendor_id: "vendor-42" });
    expect(posts[0].body).to.deep.equal(SEED_BODY);
    expect(state).to.include({ campaignId: id, status: "pending", walletId: WALLET });
    expect(ts().data.bids[id]).to.have.length(1);
  });

  it("read after create returns exactly the checked inputs (no drift), for a banner and an autobidding listing", async () => {
    for (const args of [SEED_ARGS, LISTING_ARGS]) {
      const { id, inputs, state } = await created(args);
      const r: any = await provider.read(id, state);
      expect(r.id).to.equal(id);
      // The server-assigned wallet is an output the program may leave out.
      const { walletId, ...rest } = r.inputs;
      expect(walletId).to.match(/^[0-9a-f-]{36}$/);
      const { walletId: declared, ...expected } = inputs;
      expect(rest).to.deep.equal(expected);
      if (declared) expect(walletId).to.equal(declared);
      expect((await provider.diff(id, r.props, inputs)).changes).to.equal(false);
    }
    // Defaults were applied at check: listing -> CPC, isActive true, target type product.
    const listing = await checked(clone(LISTING_ARGS));
    expect(listing).to.include({ chargeType: "CPC", isActive: true });
    expect(listing.bids[0].target).to.deep.equal({ id: "sku-1", type: "product" });
    expect(listing.banner).to.equal(undefined);
  });

  it("a changed bid amount is one PATCH on the bid endpoint: same bid id, no campaign PATCH, no replace", async () => {
    const { id, inputs, state } = await created(SEED_ARGS);
    const bidId = ts().data.bids[id][0].bidId;
    const news = await checked({ ...clone(SEED_ARGS), bids: [{ amount: 3, target: { id: "p_Mfk11", type: "product" } }] });
    const d = await provider.diff(id, state, news);
    expect(d).to.include({ changes: true });
    expect(d.replaces).to.deep.equal([]);
    const before = writes().length;
    await provider.update(id, state, news);
    const w = writes().slice(before);
    expect(w.map((r) => `${r.method} ${r.path}`)).to.deep.equal([`PATCH ${PREFIX}/campaigns/${id}/bids/${bidId}`]);
    expect(w[0].body).to.deep.equal({ amount: 300 });
    expect(ts().data.bids[id]).to.have.length(1);
    expect(ts().data.bids[id][0]).to.include({ bidId, amount: 300 });
    const r: any = await provider.read(id, { ...state, ...news });
    expect(r.inputs.bids).to.deep.equal(news.bids);
    expect(inputs.bids[0].amount).to.equal(2.5);
  });

  it("adds a new target with POST .../bids before deleting a removed one (never zero bids)", async () => {
    const { id, state } = await created(LISTING_ARGS);
    const [b1] = ts().data.bids[id];
    const news = await checked({ ...clone(LISTING_ARGS), bids: [LISTING_ARGS.bids[1], { amount: 0.6, target: { id: "sku-3" } }] });
    const before = writes().length;
    await provider.update(id, state, news);
    const w = writes().slice(before);
    expect(w.map((r) => `${r.method} ${r.path.replace(id, ":id")}`)).to.deep.equal([`POST ${PREFIX}/campaigns/:id/bids`, `DELETE ${PREFIX}/campaigns/:id/bids/${b1.bidId}`]);
    expect(w[0].body).to.deep.equal({ bids: [{ amount: 60, target: { id: "sku-3", type: "product" } }] });
    expect(ts().data.bids[id].map((b) => b.target.id)).to.deep.equal(["sku-2", "sku-3"]);
    const r: any = await provider.read(id, { ...state, ...news });
    expect(r.inputs.bids).to.deep.equal(news.bids);
  });

  it("name, budget, dates and isActive change in place with one PATCH of only those fields", async () => {
    const { id, state } = await created(SEED_ARGS);
    const news = await checked({ ...clone(SEED_ARGS), name: "Bola-Bola Q2", budget: { amount: 900, type: "weekly" }, endDate: "2026-04-30T00:00:00Z", isActive: false });
    const d = await provider.diff(id, state, news);
    expect(d.replaces).to.deep.equal([]);
    const before = writes().length;
    await provider.update(id, state, news);
    const w = writes().slice(before);
    expect(w).to.have.length(1);
    expect(w[0]).to.include({ method: "PATCH", path: `${PREFIX}/campaigns/${id}` });
    expect(w[0].body).to.deep.equal({ name: "Bola-Bola Q2", budget: { amount: 90000, type: "weekly" }, endDate: "2026-04-30T00:00:00Z", isActive: false });
    expect(ts().data.campaigns[id]).to.include({ name: "Bola-Bola Q2", isActive: false });
    expect(ts().data.campaigns[id].budget).to.include({ amount: 90000, type: "weekly" });
  });

  it("banner assets change in place through the bids' formatProperties", async () => {
    const { id, state } = await created(SEED_ARGS);
    const banner = { slotId: "home-top", assets: [{ url: "https://cdn.example.com/v2.png", contentType: "image/png", width: 728, height: 90, size: 5000 }] };
    const news = await checked({ ...clone(SEED_ARGS), banner });
    expect((await provider.diff(id, state, news)).replaces).to.deep.equal([]);
    await provider.update(id, state, news);
    const r: any = await provider.read(id, { ...state, ...news });
    expect(r.inputs.banner).to.deep.equal(banner);
    expect((writes().slice(-1)[0].body as any).formatProperties.bannerAssets[0].url).to.equal("https://cdn.example.com/v2.png");
  });

  it("replaces on vendor, ad format, charge type and wallet; campaign type only changes in place to autobidding", async () => {
    const { id, state } = await created(SEED_ARGS);
    const replaces = async (over: Record<string, any>) => (await provider.diff(id, state, await checked({ ...clone(SEED_ARGS), ...over }))).replaces;
    expect(await replaces({ vendorId: "vendor-43" })).to.deep.equal(["vendorId"]);
    expect(await replaces({ chargeType: "CPC" })).to.deep.equal(["chargeType"]);
    expect(await replaces({ walletId: "00000000-0000-4000-8000-000000000001" })).to.deep.equal(["walletId"]);
    expect(await replaces({ adFormat: "listing", chargeType: "CPC", banner: undefined })).to.have.members(["adFormat", "chargeType"]);
    expect(await replaces({ campaignType: "exclusive" })).to.deep.equal(["campaignType"]);
    expect(await replaces({ campaignType: "autobidding" })).to.deep.equal([]);
    // Unknown at preview: assume the worst.
    expect((await provider.diff(id, state, { ...(await checked(clone(SEED_ARGS))), campaignType: UNKNOWN })).replaces).to.include("campaignType");

    // manual -> autobidding really is a PATCH, and back is a replace.
    const news = await checked({ ...clone(SEED_ARGS), campaignType: "autobidding" });
    await provider.update(id, state, news);
    expect(writes().slice(-1)[0].body).to.deep.equal({ campaignType: "autobidding" });
    expect(ts().data.campaigns[id].campaignType).to.equal("autobidding");
    expect((await provider.diff(id, { ...state, ...news }, await checked(clone(SEED_ARGS)))).replaces).to.deep.equal(["campaignType"]);
  });

  it("rejects bad inputs at check, naming the field and what is allowed, with no request sent", async () => {
    const cases: Array<[Record<string, any>, string, RegExp]> = [
      [{ adFormat: "video" }, "adFormat", /one of "listing", "banner"/],
      [{ campaignType: "auction" }, "campaignType", /"manual", "autobidding", "exclusive"/],
      [{ budget: { amount: 20_000_000, type: "daily" } }, "budget.amount", /< 20000000 \(major units of the currency\)/],
      [{ budget: { amount: 10.505, type: "daily" } }, "budget.amount", /amount in major units of the currency \(USD\), which the network takes to 2 decimals; got 10.505/],
      [{ budget: { amount: 100, type: "yearly" } }, "budget.type", /"daily" \(per day\), "weekly" \(per week\), "monthly" \(per month\), "total" \(once, for the whole run\)/],
      [{ endDate: "2026-02-01T00:00:00Z" }, "endDate", /after startDate/],
      [{ startDate: "2026-03-01" }, "startDate", /RFC 3339/],
      [{ bids: [] }, "bids", /at least 1 item/],
      [{ bids: [{ amount: 0, target: { id: "p" } }] }, "bids[0].amount", />= 0.01/],
      [{ bids: [{ amount: 5, target: { id: "p" } }, { amount: 6, target: { id: "p", type: "product" } }] }, "bids[1]", /same target \(with its trigger\) as bids\[0\]/],
      [{ chargeType: "CPA" }, "chargeType", /only for adFormat "listing"/],
      [{ campaignType: "exclusive", adFormat: "listing", chargeType: "CPC", banner: undefined }, "campaignType", /only for adFormat "banner"/],
      [{ adFormat: "listing", chargeType: "CPA", banner: undefined }, "chargeType", /budget.type "total"/],
      [{ banner: undefined }, "banner", /required when adFormat is "banner"/],
      [{ adFormat: "listing", chargeType: "CPC" }, "banner", /only allowed when adFormat is "banner"/],
      [{ banner: { slotId: "home top", assets: [] } }, "banner.slotId", /without spaces/],
      [{ banner: { slotId: "s", assets: [{ url: "ftp://x", contentType: "image/png", width: 1, height: 1, size: 1 }] } }, "banner.assets[0].url", /http/],
      [{ targetRoas: 3 }, "targetRoas", /autobidding listing/],
      [{ adFormat: "listing", chargeType: "CPC", banner: undefined, campaignType: "autobidding", targetRoas: 25 }, "targetRoas", /<= 20/],
      [{ walletId: "wallet-1" }, "walletId", /uuid/],
      [{ vendorId: "" }, "vendorId", /must not be empty/],
      [{ colour: "red" }, "colour", /unknown field/],
    ];
    for (const [over, field, msg] of cases) {
      const f = await failures({ ...clone(SEED_ARGS), ...over });
      const hit = f.find((x) => isAbout(x, field));
      expect(hit, `${JSON.stringify(over)} -> ${JSON.stringify(f)}`).to.not.equal(undefined);
      expect(hit!.reason).to.match(msg);
    }
    expect(ctx.sb.requests("topsort")).to.have.length(0);
  });

  it("issue #11: rejects whitespace-only strings, hostless URLs, absurd list sizes and a pasted API key at check, with 0 requests", async () => {
    const banner = (url: string) => ({ slotId: "home-top", assets: [{ url, contentType: "image/png", width: 728, height: 90, size: 1 }] });
    const manyBids = Array.from({ length: 3000 }, (_, i) => ({ amount: 10, target: { id: `sku-${i}` } }));
    const manyAssets = Array.from({ length: 3000 }, () => banner("https://cdn.example.com/a.png").assets[0]);
    const cases: Array<[Record<string, any>, string, RegExp]> = [
      [{ name: "   " }, "name", /^name must not be empty or only spaces/],
      [{ vendorId: " \t" }, "vendorId", /^vendorId must not be empty or only spaces/],
      [{ externalCampaignId: "  " }, "externalCampaignId", /^externalCampaignId must not be empty or only spaces/],
      [{ bids: [{ amount: 5, target: { id: "  " } }] }, "bids[0].target.id", /^bids\[0\]\.target\.id must not be empty or only spaces/],
      [{ banner: banner("https:///only/a/path") }, "banner.assets[0].url", /^banner\.assets\[0\]\.url must be an absolute http:\/\/ or https:\/\/ URL with a host/],
      [{ banner: banner("https://") }, "banner.assets[0].url", /URL with a host/],
      [{ bids: manyBids }, "bids", /^bids must have at most 1000 items, got 3000/],
      [{ banner: { slotId: "home-top", assets: manyAssets } }, "banner.assets", /^banner\.assets must have at most 50 items, got 3000/],
    ];
    for (const [over, field, msg] of cases) {
      const f = await failures({ ...clone(SEED_ARGS), ...over });
      const hit = f.find((x) => isAbout(x, field));
      expect(hit, `${JSON.stringify(over).slice(0, 200)} -> ${JSON.stringify(f).slice(0, 500)}`).to.not.equal(undefined);
      expect(hit!.reason).to.match(msg);
      // One failure for a 3,000-item list, not one per item.
      expect(f, JSON.stringify(f).slice(0, 500)).to.have.length(1);
    }

    // The API key pasted into the program as an input: named, pointed at the
    // stack config and environment, and never echoed (no property, so Pulumi
    // prints no value either).
    for (const key of ["apiKey", "api_key", "token"]) {
      const f = await failures({ ...clone(SEED_ARGS), [key]: KEY });
      expect(f, JSON.stringify(f)).to.have.length(1);
      expect(f[0].property).to.equal("");
      expect(pathOf(f[0])).to.equal(key);
      expect(f[0].reason).to.contain("not an input of topsort.Campaign").and.to.contain("topsort:apiKey").and.to.contain("TOPSORT_API_KEY");
      expect(JSON.stringify(f)).not.to.contain(KEY);
    }
    expect(ctx.sb.requests("topsort")).to.have.length(0);
  });

  it("the schema declares what money means: budget amount and period, bid amount, isActive as status, minor units", () => {
    const budget = campaignFields.budget.fields;
    expect(budget.amount).to.include({ spend: "budget", money: "minor" });
    expect(budget.type).to.include({ spend: "budgetPeriod" });
    expect(budget.type.values).to.deep.equal(["daily", "weekly", "monthly", "total"]);
    expect(campaignFields.bids.items.fields.amount).to.include({ spend: "bid", money: "minor" });
    expect(campaignFields.isActive).to.include({ spend: "status" });
    expect(campaignFields.isActive.running).to.deep.equal([true]);
    // Every field says what it is (the docs tables are generated from these).
    const docs = (fs: Record<string, any>, p = ""): string[] => Object.entries(fs).flatMap(([k, x]: [string, any]) => [
      ...(x.doc && x.doc.length >= 20 ? [] : [`${p}${k}`]),
      ...(x.kind === "object" ? docs(x.fields, `${p}${k}.`) : []),
      ...(x.kind === "list" && x.items.kind === "object" ? docs(x.items.fields, `${p}${k}[].`) : []),
    ]);
    expect(docs(campaignFields)).to.deep.equal([]);
  });

  it("list() returns every campaign of every vendor over all pages, each as read reports it, with the id import takes", async () => {
    const mine = await created(SEED_ARGS);
    const listing = await created(LISTING_ARGS);
    ts().addCampaigns(230, { vendorId: "vendor-bulk" });
    const mark = ctx.sb.journal.length;
    const all = await registry.get("topsort:Campaign").list!();
    expect(all).to.have.length(232);
    expect(new Set(all.map((x) => x.id)).size).to.equal(232);
    const req = ctx.sb.requests("topsort").slice(mark);
    const pages = req.filter((r) => r.path === `${PREFIX}/campaigns`);
    expect(pages.map((r) => [r.query.offset, r.query.limit, r.query.vendor_id])).to.deep.equal([["0", "100", undefined], ["100", "100", undefined], ["200", "100", undefined]]);
    expect(req.filter((r) => r.method !== "GET")).to.deep.equal([]);
    // What import reads for the same id, and the program that would adopt it checks clean.
    for (const { id } of [mine, listing]) {
      const item = all.find((x) => x.id === id)!;
      const imported: any = await provider.read(id, {});
      expect(item.state).to.deep.equal(imported.props);
      const program = await checked(clone(imported.inputs));
      expect((await provider.diff(id, imported.props, program)).changes).to.equal(false);
    }
    expect(all.find((x) => x.id === listing.id)!.state).to.include({ name: "Summer shoes", adFormat: "listing", campaignType: "autobidding", campaignId: listing.id });
  });

  it("lists every campaign over more than 3 pages (offset/limit 100, hasMore, next), with filters and sort", async () => {
    const mine = ts().addCampaigns(350, { vendorId: "vendor-7", isActive: (i) => i % 5 !== 0 });
    ts().addCampaigns(25, { vendorId: "vendor-8" });
    const all = await listCampaigns({ vendorId: "vendor-7" });
    expect(all).to.have.length(350);
    expect(new Set(all.map((c) => c.campaignId)).size).to.equal(350);
    expect(all.map((c) => c.campaignId)).to.deep.equal(mine.map((c) => c.campaignId));
    const gets = ctx.sb.requests("topsort").filter((r) => r.method === "GET" && r.path === `${PREFIX}/campaigns`);
    expect(gets.map((r) => [r.query.offset, r.query.limit])).to.deep.equal([["0", "100"], ["100", "100"], ["200", "100"], ["300", "100"]]);
    expect(gets.every((r) => r.query.vendor_id === "vendor-7" && r.status === 200)).to.equal(true);

    const desc = await listCampaigns({ vendorId: "vendor-7", sortByDate: "desc" });
    expect(desc.map((c) => c.campaignId)).to.deep.equal([...mine].reverse().map((c) => c.campaignId));
    const inactive = await listCampaigns({ vendorId: "vendor-7", isActive: false });
    expect(inactive).to.have.length(70);
    expect(inactive.every((c) => c.isActive === false)).to.equal(true);
    expect(await listCampaigns({ status: "pending" })).to.have.length(175 + 13);
    expect(await listCampaigns()).to.have.length(375);
    await listCampaigns({ status: "bogus" as any }).then(() => expect.fail("should throw"), (e) => expect(e.message).to.match(/approved, pending, rejected/));
  });

  it("the sandbox enforces limit <= 100 and answers in Topsort's error shape", async () => {
    const r = await raw(`${api()}/campaigns?limit=101`, { key: KEY });
    expect(r.status).to.equal(422);
    expect(r.body).to.be.an("array");
    expect(r.body[0]).to.include({ errCode: "bad_request" });
    expect(r.body[0].docUrl).to.match(/^https:\/\/docs\.topsort\.com\//);
    expect(r.body[0].message).to.match(/query\.limit: .*less than or equal to 100/);
    const noKey = await raw(`${api()}/campaigns`);
    expect(noKey.status).to.equal(403);
    expect(noKey.body[0].errCode).to.equal("invalid_api_key");
    // The seed's prefix (/v1/campaign-service) is served too.
    expect((await raw(`${ctx.sb.urlFor("topsort")}/v1/campaign-service/campaigns`, { key: KEY })).status).to.equal(200);
  });

  it("errors carry Topsort's errCode, message and field; FastAPI-style 422 bodies are understood too", async () => {
    const { id } = await created(SEED_ARGS);
    const client = contextFor(topsortNetwork).client;
    const e1: any = await client.updateCampaign(id, { campaignType: "exclusive", adFormat: "listing" }).catch((e) => e);
    expect(e1).to.be.instanceOf(ApiError);
    expect(e1.status).to.equal(400);
    expect(e1.code).to.equal("invalid_operation");
    expect(e1.message).to.match(/adFormat cannot be updated/);
    const e2: any = await client.updateCampaign(id, { budget: { amount: -1, type: "daily" } }).catch((e) => e);
    expect(e2.status).to.equal(422);
    expect(e2.fieldErrors).to.deep.equal([{ field: "budget.amount", message: "ensure this value is greater than or equal to 0" }]);
    const e3: any = await new TopsortClient({ apiKey: "wrong-key-123", baseUrl: ctx.sb.urlFor("topsort") }).getCampaign(id).catch((e) => e);
    expect(e3.status).to.equal(403);
    expect(e3.message).to.contain("invalid_api_key");
    expect(e3.message).not.to.contain("wrong-key-123");
    expect(parseError({ detail: [{ loc: ["body", "budget", "amount"], msg: "field required", type: "value_error.missing" }] }, 422))
      .to.deep.include({ fieldErrors: [{ field: "budget.amount", message: "field required" }] });
  });

  it("refresh: an out-of-band edit shows as drift, a deleted campaign (404) leaves state", async () => {
    const { id, state } = await created(SEED_ARGS);
    ts().data.campaigns[id].budget.amount = 777;
    ts().data.bids[id][0].amount = 999;
    const r: any = await provider.read(id, state);
    expect(r.inputs.budget).to.deep.equal({ amount: 7.77, type: "daily" });
    expect(r.inputs.bids[0].amount).to.equal(9.99);
    expect((await provider.diff(id, r.props, await checked(clone(SEED_ARGS)))).changes).to.equal(true);
    await raw(`${api()}/campaigns/${id}`, { method: "DELETE", key: KEY });
    const gone: any = await provider.read(id, state);
    expect(gone.id).to.equal("");
    // Deleting what is already gone is fine.
    await provider.delete(id, state);
  });

  it("import: reading an existing campaign by id alone gives inputs that check unchanged and diff clean", async () => {
    const r = await raw(`${api()}/campaigns?vendor_id=vendor-9`, { method: "POST", key: KEY, body: { ...clone(SEED_BODY), walletId: undefined, name: "Made in the dashboard" } });
    expect(r.status).to.equal(201);
    const id = r.body.campaignId;
    // Adoption typically starts from the lookup.
    const [found] = await listCampaigns({ vendorId: "vendor-9" });
    expect(found.campaignId).to.equal(id);
    const imported: any = await provider.read(id, {});
    expect(imported.inputs).to.include({ vendorId: "vendor-9", name: "Made in the dashboard", adFormat: "banner", chargeType: "CPM" });
    const program = await checked(imported.inputs);
    expect(program).to.deep.equal(imported.inputs);
    expect((await provider.diff(id, imported.props, program)).changes).to.equal(false);
    // The program without walletId (server default) also diffs clean.
    const { walletId, ...noWallet } = program;
    expect((await provider.diff(id, imported.props, await checked(noWallet))).changes).to.equal(false);
  });

  it("a lost create response is recovered by lookup, without a duplicate", async () => {
    ctx.sb.faults.configure({ rate: 1, kinds: ["lost"], networks: ["topsort"], routes: ["POST /public/v1/campaign-service/campaigns"] });
    const { id } = await created(SEED_ARGS);
    ctx.sb.faults.configure(undefined);
    expect(Object.keys(ts().data.campaigns)).to.deep.equal([id]);
    expect(ctx.sb.requests("topsort").filter((r) => r.method === "POST")).to.have.length(1);
  });

  it("after a failed create, a namesake that existed before (e.g. the campaign being replaced) is never taken for the new one", async () => {
    resetCreateGuards();
    const args = { ...clone(LISTING_ARGS), vendorId: "vendor-replace", externalCampaignId: undefined };
    const old = await created(args);
    resetCreateGuards(); // a later `up`, in a new provider process
    // The next POST fails with a 500 before it is handled.
    let failed = 0;
    (ts() as any).before = (q: any) => (q.method === "POST" && failed++ === 0 ? { status: 500, body: [{ errCode: "internal_server_error", docUrl: "x" }] } : undefined);
    try {
      const { id } = await created({ ...args, chargeType: "CPC" });
      expect(id).to.not.equal(old.id);
      expect(Object.keys(ts().data.campaigns)).to.have.members([old.id, id]);
      expect(ctx.sb.requests("topsort").filter((r) => r.method === "POST").map((r) => r.status)).to.deep.equal([201, 500, 201]);
    } finally {
      delete (ts() as any).before;
    }
  });

  it("delete removes the campaign and its bids", async () => {
    const { id, state } = await created(LISTING_ARGS);
    await provider.delete(id, state);
    expect(ts().data.campaigns[id]).to.equal(undefined);
    expect(writes().slice(-1)[0]).to.include({ method: "DELETE", path: `${PREFIX}/campaigns/${id}`, status: 204 });
  });

  describe("issue #20: audience targeting, exclusion, multipliers, auto-trigger, autobidding objective, frequency caps", () => {
    const AUDIENCE = {
      ...LISTING_ARGS, targetRoas: undefined, autobiddingObjective: "conversions", isAutoTrigger: true,
      targetingFilters: { segments: [{ segmentId: "DFJ9R4" }, { segmentId: 984103 }] },
      exclusionFilters: { isActive: false, segments: [{ segmentId: "recent-buyers" }] },
      multiplierConfig: { multipliers: [{ segmentId: "DFJ9R4", multiplier: 2.5 }] },
      restrictions: [{ restrictionTypeId: 1, limit: 10 }, { restrictionTypeId: 4, limit: 3 }],
    };

    it("are sent as Topsort names them (create body, then one POST per restriction), stored, and read back without drift", async () => {
      const { id, inputs, state } = await created(AUDIENCE);
      const post = writes().find((r) => r.method === "POST" && r.path === `${PREFIX}/campaigns`)!.body as any;
      expect(post).to.deep.include({ autobiddingObjective: "conversions", isAutoTrigger: true });
      expect(post.targetingFilters).to.deep.equal({ isActive: true, targetingFilters: [{ type: "user_segment", segmentId: "DFJ9R4" }, { type: "user_segment", segmentId: "984103" }] });
      expect(post.exclusionFilters).to.deep.equal({ isActive: false, exclusionFilters: [{ type: "user_segment", segmentId: "recent-buyers" }] });
      expect(post.multiplierConfig).to.deep.equal({ isActive: true, multipliers: [{ type: "user_segment", segmentId: "DFJ9R4", multiplier: 2.5 }] });
      expect(post).not.to.have.property("restrictions");
      const rs = writes().filter((r) => r.path === `${PREFIX}/campaigns/${id}/restrictions`);
      expect(rs.map((r) => [r.method, r.status, r.body])).to.deep.equal([["POST", 201, { restrictionTypeId: 1, limit: 10 }], ["POST", 201, { restrictionTypeId: 4, limit: 3 }]]);
      const r: any = await provider.read(id, state);
      // walletId: the vendor's default wallet, reported (a server default, as for every campaign).
      expect(r.inputs).to.deep.equal({ ...inputs, walletId: state.walletId });
      expect((await provider.diff(id, r.props, inputs)).changes).to.equal(false);
      const imported: any = await provider.read(id, {});
      expect((await provider.diff(id, imported.props, inputs)).changes).to.equal(false);
      expect(imported.inputs.restrictions).to.deep.equal(AUDIENCE.restrictions);
    });

    it("change in place: one campaign PATCH of the changed fields, a restriction PATCH, and a removed cap set inactive (no DELETE)", async () => {
      const { id, state } = await created(AUDIENCE);
      const news = await checked({
        ...clone(AUDIENCE), autobiddingObjective: "revenue", isAutoTrigger: false, exclusionFilters: undefined,
        multiplierConfig: { multipliers: [{ segmentId: "DFJ9R4", multiplier: 3 }, { segmentId: "984103", multiplier: 1.5 }] },
        restrictions: [{ restrictionTypeId: 1, limit: 20 }],
      }, state);
      const d = await provider.diff(id, state, news);
      expect(d.replaces).to.deep.equal([]);
      const before = writes().length;
      await provider.update(id, state, news);
      const w = writes().slice(before).map((r) => [r.method, r.path.replace(`${PREFIX}/campaigns/${id}`, ""), r.body]);
      const [rid1, rid4] = ts().data.restrictions[id].map((r: any) => r.id);
      expect(w).to.deep.equal([
        ["PATCH", "", {
          isAutoTrigger: false, autobiddingObjective: "revenue", exclusionFilters: null,
          multiplierConfig: { isActive: true, multipliers: [{ type: "user_segment", segmentId: "DFJ9R4", multiplier: 3 }, { type: "user_segment", segmentId: "984103", multiplier: 1.5 }] },
        }],
        ["PATCH", `/restrictions/${rid1}`, { limit: 20, status: "active" }],
        ["PATCH", `/restrictions/${rid4}`, { status: "inactive" }],
      ]);
      const r: any = await provider.read(id, { ...state, ...news });
      expect((await provider.diff(id, r.props, news)).changes).to.equal(false);
      // Wanting the inactive cap again reactivates it (no second restriction of the type).
      const again = await checked({ ...clone(AUDIENCE) }, news);
      await provider.update(id, { ...state, ...news }, again);
      expect(ts().data.restrictions[id].map((r: any) => `${r.restrictionType.id}:${r.limit}:${r.status}`)).to.deep.equal(["1:10:active", "4:3:active"]);
    });

    it("a restriction the network refuses after the campaign was made records the campaign (PartialCreateError), without its caps", async () => {
      const inputs = await checked({ ...clone(AUDIENCE), name: "partial", externalCampaignId: "ext-partial", restrictions: [{ restrictionTypeId: 99, limit: 1 }] });
      const err: any = await provider.create(inputs).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(PartialCreateError);
      expect(err.message).to.contain("restriction type 99 does not exist");
      expect(ts().data.campaigns[err.id]).to.include({ name: "partial" });
      expect(err.properties.restrictions).to.equal(undefined);
    });

    it("bad values fail at check naming the field, with no request", async () => {
      const before = ctx.sb.journal.length;
      const bad = async (over: Record<string, unknown>, path: string, re: RegExp) => {
        const f = await failures({ ...clone(AUDIENCE), ...over });
        const hit = f.find((x) => isAbout(x, path));
        expect(hit, JSON.stringify(f)).to.not.equal(undefined);
        expect(hit!.reason).to.match(re);
      };
      await bad({ campaignType: "manual" }, "autobiddingObjective", /only to autobidding campaigns/);
      await bad({ autobiddingObjective: "roas" }, "autobiddingObjective", /"impressions", "clicks", "conversions", "revenue"/);
      await bad({ targetingFilters: { segments: [{ segmentId: "a" }, { segmentId: "b" }, { segmentId: "c" }, { segmentId: "d" }] } }, "targetingFilters.segments", /at most 3 items/);
      await bad({ targetingFilters: { segments: [] } }, "targetingFilters.segments", /at least 1 item/);
      await bad({ multiplierConfig: { multipliers: [{ segmentId: "a", multiplier: 6 }] } }, "multiplierConfig.multipliers[0].multiplier", />= 1 and <= 5/);
      await bad({ multiplierConfig: { multipliers: [{ segmentId: "a", multiplier: 2 }, { segmentId: "a", multiplier: 3 }] } }, "multiplierConfig.multipliers[1]", /same segment/);
      await bad({ restrictions: [{ restrictionTypeId: 1, limit: 0 }] }, "restrictions[0].limit", />= 1/);
      await bad({ restrictions: [{ restrictionTypeId: 1, limit: 5 }, { restrictionTypeId: 1, limit: 6 }] }, "restrictions[1]", /same restrictionTypeId/);
      expect(ctx.sb.journal.length).to.equal(before);
    });

    it("the sandbox refuses what Topsort refuses: an objective on a manual campaign, more than 3 targeting segments, a multiplier over 5, an unknown restriction type", async () => {
      const { id } = await created(LISTING_ARGS);
      const patch = (body: unknown) => raw(`${api()}/campaigns/${id}`, { method: "PATCH", key: KEY, body });
      const manual = await created({ ...LISTING_ARGS, name: "manual one", campaignType: "manual", targetRoas: undefined, externalCampaignId: "ext-manual" });
      expect((await raw(`${api()}/campaigns/${manual.id}`, { method: "PATCH", key: KEY, body: { autobiddingObjective: "clicks" } })).status).to.equal(400);
      const four = Array.from({ length: 4 }, (_, i) => ({ type: "user_segment", segmentId: `s${i}` }));
      expect((await patch({ targetingFilters: { isActive: true, targetingFilters: four } })).status).to.equal(422);
      expect((await patch({ multiplierConfig: { isActive: true, multipliers: [{ type: "user_segment", segmentId: "s", multiplier: 5.5 }] } })).status).to.equal(422);
      const unknownType = await raw(`${api()}/campaigns/${id}/restrictions`, { method: "POST", key: KEY, body: { restrictionTypeId: 99, limit: 1 } });
      expect(unknownType.status).to.equal(404);
      expect(unknownType.body[0].errCode).to.equal("not_found");
    });
  });

  it("honours topsort:pathPrefix (the seed's /v1/campaign-service)", async () => {
    applyStackConfig({ "topsort:pathPrefix": "/v1/campaign-service" }, ["topsort:pathPrefix"]);
    const { id } = await created(LISTING_ARGS);
    expect(writes()[0].path).to.equal("/v1/campaign-service/campaigns");
    expect(ts().data.campaigns[id]).to.not.equal(undefined);
  });

  it("names both ways to set a missing key; the key is registered with the host's config keys", async () => {
    resetStackConfig();
    const saved = process.env.TOPSORT_API_KEY;
    delete process.env.TOPSORT_API_KEY;
    try {
      const err: any = await provider.create(await checked(clone(SEED_ARGS))).catch((e) => e);
      expect(err).to.be.instanceOf(ConfigError);
      expect(err.message).to.contain("topsort:apiKey (secret)").and.to.contain("TOPSORT_API_KEY");
    } finally {
      if (saved !== undefined) process.env.TOPSORT_API_KEY = saved;
    }
    expect(ctx.sb.requests("topsort")).to.have.length(0);
    expect(registry.types()).to.include("topsort:Campaign");
    await registry.configure({ config: { get: (k: string) => ({ "topsort:apiKey": KEY, "topsort:baseUrl": ctx.sb.urlFor("topsort") } as Record<string, string>)[k] } });
    expect((await listCampaigns())).to.deep.equal([]);
  });
});
