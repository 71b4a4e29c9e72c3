import { expect } from "chai";
import * as pulumi from "pulumi-adnetworks";
import { e2e, E2E, changes } from "./support/engine";
import { importAndAdopt } from "./support/adopt";
import { AffiseSandbox, AFFISE_SANDBOX_CREDENTIALS } from "../provider/sandbox/affise";

const KEY = AFFISE_SANDBOX_CREDENTIALS.apiKey;

/** An offer with every field issue #20 added: full targeting groups, schedule, caps in every form, landings, payout cities. */
const ARGS = {
  title: "Full targeting offer",
  advertiser: "5e39279bac611cda7e5765ab",
  url: "https://track.example.com/click?c={clickid}",
  status: "active" as const,
  payments: [{ countries: ["RU", "KZ"], cities: [57], devices: ["mobile" as const, "tablet" as const], goal: "1", total: 3, revenue: 2, currency: "USD", type: "fixed" as const }],
  landings: [
    { title: "main", url: "https://lp.example.com/main?c={clickid}", previewUrl: "https://lp.example.com/main" },
    { title: "prelander", url: "https://lp.example.com/pre", previewUrl: "https://lp.example.com/pre", type: "transit" as const },
  ],
  caps: [
    { period: "hour" as const, type: "clicks" as const, value: 500 },
    { period: "day" as const, type: "budget" as const, value: 250.5, countryType: "exact" as const, countries: ["RU"] },
    { period: "month" as const, type: "conversions" as const, value: 900, goalType: "exact" as const, goals: ["1"], subNumber: 2 as const, subValues: ["promo"] },
  ],
  capsStatus: ["confirmed" as const, "pending" as const],
  capsTimezone: "Europe/Moscow", capsGoalOvercap: "1", hideCaps: true, noticePercentOvercap: 80, isImpressionOvercap: true,
  stopDate: "2027-12-31",
  schedule: {
    enabled: true, dateStart: "2027-01-09", dateTo: "2027-08-01", timezone: "Europe/Moscow",
    intervals: [{ dayOfWeek: 1, from: 9, to: 18 }, { dayOfWeek: 2, from: 9, to: 18 }, { dayOfWeek: 6, from: 12, to: 23 }],
  },
  targeting: [
    {
      name: "RU and KZ mobile", condition: "and" as const,
      countries: { allow: ["RU", "KZ"] }, regions: { allow: { RU: [33, 34] } }, cities: { deny: { KZ: [1526384] } },
      os: { allow: [{ name: "Android", comparison: "GTE" as const, version: "10" }, { name: "iOS", comparison: "GTE" as const, version: "15" }] },
      isps: { deny: { RU: ["Hosting LLC"] } }, ispOrganizations: { deny: ["Datacenter Inc"], denyEmpty: true },
      ips: { deny: ["10.0.0.0/8", "192.168.1.1-192.168.1.255"], ipv6Deny: true },
      browsers: { deny: ["Opera Mini"] }, browserVersions: { allow: [{ name: "Chrome", comparison: "GT" as const, version: "100" }] },
      brands: { allow: ["Samsung", "Xiaomi"] }, deviceModels: { deny: ["SM-A105F"] },
      deviceTypes: ["mobile" as const, "tablet" as const], connections: ["cellular" as const],
      referrers: { deny: ["spam\\.example"], isRegexp: true, denyEmpty: true }, userAgents: { deny: ["curl"], denyCrawlers: true },
      zipCodes: { allow: ["101000", "050000"] }, blockProxy: true, blockKnownBots: true,
      trackingUrls: [{ url: "https://a.example.com/?c={clickid}", weight: 70 }, { url: "https://b.example.com/?c={clickid}", weight: 30 }],
      subAllow: { sub1: ["promo", "brand"] }, subDeny: { sub3: ["bot"] },
    },
    { name: "partner 2 only", affiliateIds: [2], deviceTypes: ["desktop" as const], deviceTypeDeny: true, osDeny: true, os: { allow: [{ name: "Windows" }] }, enabled: false },
  ],
};

/** Some fields changed in place: a targeting rule, the schedule's hours, a caps setting, a landing's URL. */
const CHANGED = {
  ...ARGS,
  landings: [{ ...ARGS.landings[0], url: "https://lp.example.com/main-v2?c={clickid}" }, ARGS.landings[1]],
  noticePercentOvercap: 90,
  schedule: { ...ARGS.schedule, intervals: [{ dayOfWeek: 1, from: 8, to: 20 }] },
  targeting: [{ ...ARGS.targeting[0], ips: { deny: ["10.0.0.0/8"], ipv6Deny: false }, condition: "or" as const }, ARGS.targeting[1]],
};

describe("@e2e real Pulumi engine: an Affise offer with every targeting, schedule and caps field (issue #20)", function () {
  this.timeout(600_000);
  let t: E2E;
  const aff = () => t.sb.network<AffiseSandbox>("affise");
  const offers = () => Object.values(aff().data.offers);
  const program = (args: pulumi.affise.OfferArgs) => async () => {
    const o = new pulumi.affise.Offer("full-targeting", args);
    return { offerId: o.id, landingIds: o.landingIds };
  };

  before(async () => {
    t = await e2e({
      program: program(ARGS),
      config: (sb) => ({ "affise:baseUrl": { value: sb.urlFor("affise") }, "affise:apiKey": { value: KEY, secret: true } }),
    });
  });
  after(async () => t?.close());

  it("1. up creates the offer with every field set, in one create; Affise holds each one", async () => {
    const up = await t.up();
    expect(up.summary.result).to.equal("succeeded");
    expect(t.sb.requests("affise", { writes: true }).map((r) => `${r.method} ${r.path} ${r.status}`)).to.deep.equal(["POST /3.0/admin/offer 200"]);
    const o = offers()[0];
    const g = o.targeting[0];
    expect(g.region).to.deep.equal({ allow: { RU: [33, 34] }, deny: {} });
    expect(g.city).to.deep.equal({ allow: {}, deny: { KZ: [1526384] } });
    expect(g.os.allow).to.deep.equal([{ name: "Android", comparison: "GTE", version: "10" }, { name: "iOS", comparison: "GTE", version: "15" }]);
    expect(g.ip).to.deep.include({ deny: ["10.0.0.0/8", "192.168.1.1-192.168.1.255"], ipv6_deny: 1 });
    expect(g.urls).to.deep.equal([{ url: "https://a.example.com/?c={clickid}", weight: 70 }, { url: "https://b.example.com/?c={clickid}", weight: 30 }]);
    expect(g).to.deep.include({ block_proxy: true, block_known_bots: true, condition: "and", name: "RU and KZ mobile" });
    expect(o.targeting[1]).to.deep.include({ enabled: false, device_type_deny: true, os_deny: true, affiliate_id: [2] });
    expect(o.schedule).to.deep.equal({
      enabled: true, date_start: "2027-01-09", date_to: "2027-08-01", timezone: "Europe/Moscow",
      intervals: [{ day_of_week: 1, from: 9, to: 18 }, { day_of_week: 2, from: 9, to: 18 }, { day_of_week: 6, from: 12, to: 23 }],
    });
    expect(o).to.deep.include({ stop_at: "2027-12-31 00:00:00", caps_timezone: "Europe/Moscow", caps_goal_overcap: "1", hide_caps: 1, notice_percent_overcap: 80, is_impression_overcap: true });
    expect(o.caps[2]).to.deep.include({ sub_number: 2, sub_value: ["promo"] });
    expect(o.payments[0].cities).to.deep.equal([57]);
    expect(up.outputs.landingIds.value).to.deep.equal(o.landings.map((l: any) => l.id));
  });

  it("2. preview right after up shows no changes; refresh reads it and changes nothing", async () => {
    expect(changes(await t.preview())).to.deep.equal({});
    const before = (await t.resources("Offer"))[0];
    const mark = t.sb.requests("affise", { writes: true }).length;
    const rf = await t.refresh();
    expect(rf.summary.resourceChanges ?? {}).not.to.have.property("update");
    expect(t.sb.requests("affise", { writes: true }).length, "refresh only reads").to.equal(mark);
    const after = (await t.resources("Offer"))[0];
    expect(after.inputs).to.deep.equal(before.inputs);
    expect(changes(await t.preview())).to.deep.equal({});
  });

  it("3. a change of targeting, schedule hours, a caps setting and a landing URL updates in place: one edit, same offer, the landing keeps its id", async () => {
    const o = offers()[0];
    const [mainId, preId] = o.landings.map((l: any) => l.id);
    const mark = t.sb.requests("affise", { writes: true }).length;
    t.setProgram(program(CHANGED));
    expect(changes(await t.preview())).to.deep.equal({ update: 1 });
    const up = await t.up();
    expect(up.summary.resourceChanges).to.deep.include({ update: 1 });
    expect(up.summary.resourceChanges).not.to.have.property("replace");
    const w = t.sb.requests("affise", { writes: true }).slice(mark);
    expect(w.map((r) => `${r.method} ${r.path}`)).to.deep.equal([`POST /3.0/admin/offer/${o.id}`]);
    expect(Object.keys(w[0].body as object).sort()).to.deep.equal(["landings", "notice_percent_overcap", "schedule", "targeting"]);
    const now = offers()[0];
    expect(offers()).to.have.length(1);
    expect(now.landings.map((l: any) => [l.id, l.url])).to.deep.equal([[mainId, "https://lp.example.com/main-v2?c={clickid}"], [preId, "https://lp.example.com/pre"]]);
    expect(now.schedule.intervals).to.deep.equal([{ day_of_week: 1, from: 8, to: 20 }]);
    expect(now.targeting[0]).to.deep.include({ condition: "or" });
    expect(now.targeting[0].ip).to.deep.include({ deny: ["10.0.0.0/8"], ipv6_deny: 0 });
    expect(up.outputs.landingIds.value).to.deep.equal([mainId, preId]);
  });

  it("4. refresh after the update: no drift, and the next preview shows no changes", async () => {
    const rf = await t.refresh();
    expect(rf.summary.resourceChanges ?? {}).not.to.have.property("update");
    expect(changes(await t.preview())).to.deep.equal({});
  });

  it("5. adnet-import writes the offer as code; a new stack adopts it with 0 changes and 0 writes", async () => {
    const a = await importAndAdopt(t.sb, "affise");
    expect(a.writesDuringImport).to.deep.equal([]);
    expect(a.summary.imported).to.deep.equal({ "affise:Offer": 1 });
    for (const s of ["regions: {", "browserVersions: {", "comparison: \"GTE\"", "trackingUrls: [", "schedule: {", "dayOfWeek: 1", "capsTimezone: \"Europe/Moscow\"", "subNumber: 2", "cities: [57]"]) {
      expect(a.code, s).to.contain(s);
    }
    expect(a.up).to.deep.equal({ create: 1, import: 1 }); // create: the stack itself
    expect(a.writesDuringUp).to.deep.equal([]);
  });

  it("6. destroy deletes the offer", async () => {
    const d = await t.destroy();
    expect(d.summary.result).to.equal("succeeded");
    expect(offers()).to.deep.equal([]);
  });
});
