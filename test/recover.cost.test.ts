/**
 * Issue #35: the lost-create guard costs what the change costs. Before its
 * first create of a kind, a provider process marks what exists (so a lost
 * create never adopts an older namesake): it listed the whole kind (an
 * account of 5,000 campaigns: 10 pages of 500 per kind and `up`); now one
 * page newest first marks it (ExoClick: the largest id, its ids grow;
 * Topsort: the newest page by creation date). The guard stays exact: an older
 * namesake is never taken, a lost create is found, never duplicated.
 */
import { expect } from "chai";
import * as path from "path";
import { useSandbox } from "./support/sandbox";
import { ROOT } from "./support/engine";
import * as registry from "../provider/registry";
import { EXOCLICK_SANDBOX_CREDENTIALS } from "../provider/sandbox/exoclick";
import { TOPSORT_SANDBOX_CREDENTIALS } from "../provider/sandbox/topsort";
import { clearTokenCache } from "../provider/exoclick/client";
import { idMark, timeMark, resetCreateGuards } from "../provider/core/http/recover";

type Obj = Record<string, any>;
const N = 5_000;
const IMAGE = path.join(ROOT, "examples", "exoclick-banner", "banner-300x250.png");
const CAMPAIGN_ARGS = {
  name: "Banner 300x250 Production", status: 0, advertiserAdType: 0, mediaStorageTemplate: "img_banner", size: "300x250",
  categories: { type: "targeted", elements: [97, 98, 99] }, countries: { type: "targeted", elements: [{ country: "USA", regions: [0] }] },
  pricing: { model: 4, price: 3 }, startDate: "2026-03-02", dailyLimitType: 1, maxDailyBudget: 20, budgetDeliveryMode: 1, runOnResponsiveZones: 1,
};

async function created(key: string, args: Obj): Promise<{ id: string }> {
  const p = registry.get(key);
  const r = await p.check({}, args);
  expect(r.failures, JSON.stringify(r.failures)).to.deep.equal([]);
  return p.create(r.inputs);
}

describe("lost-create guard: a create costs requests in proportion to the change (issue #35)", function () {
  this.timeout(60_000);

  describe("ExoClick, an account of 5,000 campaigns, library URLs and images", () => {
    const ctx = useSandbox((sb) => ({ "exoclick:baseUrl": `${sb.urlFor("exoclick")}/v2`, "exoclick:apiToken": EXOCLICK_SANDBOX_CREDENTIALS.apiToken }));
    const exo = () => ctx.sb.network<any>("exoclick");
    beforeEach(() => {
      clearTokenCache();
      const d = exo().data as Obj;
      for (let i = 1; i <= N; i++) {
        // Ids below the sandbox's counter: older objects. One of each has the key the test creates with.
        d.campaigns[i] = { id: i, name: i === 4_000 ? CAMPAIGN_ARGS.name : `campaign ${i}`, status: 0 };
        d.urls[i] = { id: i, url: i === 4_000 ? "https://shared.example/landing" : `https://old.example/${i}` };
        d.files[i] = { id: i, type: "image", file_hash_original: i === 4_000 ? "x" : `h${i}` };
      }
    });
    /** List requests (a create's own read of what it made is not one). */
    const lists = () => ctx.sb.requests("exoclick").filter((r) => r.method === "GET" && r.query.limit !== undefined);
    const posts = () => ctx.sb.requests("exoclick").filter((r) => r.method === "POST" && r.path !== "/v2/login");

    it("a URL, an image and a campaign: one request each to mark what exists, then the create", async () => {
      await created("exoclick:LibraryUrl", { url: "https://shared.example/landing" });
      await created("exoclick:LibraryFile", { path: IMAGE, type: "image" });
      await created("exoclick:Campaign", CAMPAIGN_ARGS);
      expect(lists().map((r) => `${r.path} ${r.query.orderBy} ${r.query.limit}`)).to.deep.equal([
        "/v2/library/url d:id 50", "/v2/library/file d:id 50", "/v2/campaigns d:id 50",
      ]);
      expect(posts().map((r) => r.path)).to.deep.equal(["/v2/library/url", "/v2/library/file", "/v2/campaigns"]);
      // A second create of each kind in the same process marks nothing again.
      await created("exoclick:LibraryUrl", { url: "https://shared.example/landing" });
      await created("exoclick:Campaign", { ...CAMPAIGN_ARGS, name: "second" });
      expect(lists()).to.have.length(3);
    });

    it("a lost create is found and an older namesake never taken: 0 duplicates, the search bounded", async () => {
      ctx.sb.faults.next({ kind: "lost", count: 1, routes: ["POST /v2/campaigns"] });
      const c = await created("exoclick:Campaign", CAMPAIGN_ARGS);
      const named = Object.values(exo().data.campaigns as Obj).filter((x) => x.name === CAMPAIGN_ARGS.name);
      expect(named.map((x) => String(x.id)).sort()).to.deep.equal(["4000", c.id].sort());
      expect(c.id).to.not.equal("4000");
      expect(posts()).to.have.length(1);
      // The mark (one page) and the name search (one page): not the account.
      expect(lists().map((r) => r.query.orderBy ? "mark" : `search ${r.query.custom_search}`)).to.deep.equal(["mark", `search ${CAMPAIGN_ARGS.name}`]);

      ctx.sb.faults.next({ kind: "lost", count: 1, routes: ["POST /v2/library/url"] });
      const u = await created("exoclick:LibraryUrl", { url: "https://shared.example/landing" });
      const same = Object.values(exo().data.urls as Obj).filter((x) => x.url === "https://shared.example/landing");
      expect(same.map((x) => String(x.id)).sort()).to.deep.equal(["4000", u.id].sort());
    });

    it("a network that ignores the order: the mark falls back to the whole listing (exact, as before)", async () => {
      const before = (exo() as any).before;
      // The sandbox answers as if orderBy were unknown: ascending ids.
      (exo() as any).before = (q: any) => {
        if (q.method === "GET" && q.query.orderBy) delete q.query.orderBy;
        return undefined;
      };
      try {
        ctx.sb.faults.next({ kind: "lost", count: 1, routes: ["POST /v2/campaigns"] });
        const c = await created("exoclick:Campaign", CAMPAIGN_ARGS);
        expect(c.id).to.not.equal("4000");
        expect(Object.values(exo().data.campaigns as Obj).filter((x) => x.name === CAMPAIGN_ARGS.name)).to.have.length(2);
        // One page (not in order), then every page of 500, then the search.
        expect(lists().filter((r) => r.query.limit === "500" && !r.query.custom_search)).to.have.length(N / 500 + 1);
      } finally {
        (exo() as any).before = before;
      }
    });
  });

  describe("Topsort, a vendor of 5,000 campaigns", () => {
    const ctx = useSandbox((sb) => ({ "topsort:apiKey": TOPSORT_SANDBOX_CREDENTIALS.apiKey, "topsort:baseUrl": sb.urlFor("topsort") }));
    const ARGS = {
      vendorId: "vendor-big", name: "Summer shoes", adFormat: "listing", campaignType: "autobidding",
      budget: { amount: 5000, type: "monthly" }, startDate: "2026-06-01T00:00:00+02:00", endDate: "2026-08-31T00:00:00+02:00", targetRoas: 4.5,
      bids: [{ amount: 0.3, target: { id: "sku-1" } }],
    };
    beforeEach(() => {
      const d = ctx.sb.network<any>("topsort").data as Obj;
      const t0 = Date.parse("2026-01-01T00:00:00Z");
      for (let i = 1; i <= N; i++) {
        const id = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
        d.campaigns[id] = { campaignId: id, vendorId: "vendor-big", name: i === 4_000 ? ARGS.name : `c${i}`, adFormat: "listing", createdAt: new Date(t0 + i * 1000).toISOString(), _seq: i };
        d.bids[id] = [];
      }
      d.seq = N;
    });
    const lists = () => ctx.sb.requests("topsort").filter((r) => r.method === "GET" && r.path.endsWith("/campaigns"));

    it("a create lists one page newest first; a lost one is found, the older namesake never taken", async () => {
      ctx.sb.faults.next({ kind: "lost", count: 1, routes: ["POST /public/v1/campaign-service/campaigns"] });
      const c = await created("topsort:Campaign", ARGS);
      const named = Object.values(ctx.sb.network<any>("topsort").data.campaigns as Obj).filter((x) => x.name === ARGS.name);
      expect(named).to.have.length(2);
      expect(named.map((x) => x.campaignId)).to.include(c.id);
      expect(c.id).to.not.match(/^00000000-/);
      const marks = lists().filter((r) => r.query.sort_by_date === "desc");
      expect(marks.map((r) => r.query.limit)).to.deep.equal(["100"]);
      resetCreateGuards();
      const before = lists().length;
      await created("topsort:Campaign", { ...ARGS, name: "Winter boots" });
      expect(lists().length - before, "requests to list before a create").to.equal(1);
    });
  });

  describe("marks, without a network", () => {
    const id = (t: { id: string }) => t.id;
    const all = (ids: number[]) => async () => ids.map((n) => ({ id: String(n) }));
    it("idMark: the largest id of a short page in any order; a full page out of order falls back to the listing", async () => {
      const short = await idMark(async () => [{ id: "3" }, { id: "9" }, { id: "5" }], id, async () => { throw new Error("not listed"); }, 50);
      expect([short({ id: "9" }), short({ id: "10" }), short({ id: "x" })]).to.deep.equal([true, false, true]);
      let listed = 0;
      const unordered = await idMark(async () => [{ id: "1" }, { id: "2" }], id, async () => (listed++, [{ id: "1" }, { id: "2" }, { id: "7" }]), 2);
      expect(listed).to.equal(1);
      expect([unordered({ id: "7" }), unordered({ id: "3" }), unordered({ id: "8" })]).to.deep.equal([true, false, false]);
      const empty = await idMark(async () => [], id, all([]), 50);
      expect(empty({ id: "1" })).to.equal(false);
    });
    it("timeMark: the newest page and anything older existed; later or unreadable times decide as documented", async () => {
      type C = { id: string; at?: string };
      const page: C[] = [{ id: "b", at: "2026-01-01T00:00:03Z" }, { id: "a", at: "2026-01-01T00:00:01Z" }];
      const m = await timeMark(async () => page, (c: C) => c.id, (c: C) => c.at, async () => { throw new Error("not listed"); });
      expect(m({ id: "a" })).to.equal(true);
      expect(m({ id: "old", at: "2026-01-01T00:00:01Z" })).to.equal(true); // a tie with the page's oldest, not in it
      expect(m({ id: "old2", at: "2025-12-31T00:00:00Z" })).to.equal(true);
      expect(m({ id: "new", at: "2026-01-01T00:00:03Z" })).to.equal(false); // at the newest instant, after the mark
      expect(m({ id: "new2", at: "2026-01-02T00:00:00Z" })).to.equal(false);
      expect(m({ id: "unknown" })).to.equal(true);
      const one = await timeMark(async () => [page[0]], (c: C) => c.id, (c: C) => c.at, async () => []);
      expect(one({ id: "tie", at: "2026-01-01T00:00:03Z" })).to.equal(true); // one instant: a tie is never taken
      let listed = 0;
      const unordered = await timeMark(async () => [...page].reverse(), (c: C) => c.id, (c: C) => c.at, async () => (listed++, page));
      expect(listed).to.equal(1);
      expect(unordered({ id: "b" })).to.equal(true);
      expect(unordered({ id: "z", at: "2020-01-01T00:00:00Z" })).to.equal(false);
    });
  });
});
