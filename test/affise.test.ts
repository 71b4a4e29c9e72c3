import { expect } from "chai";
import { isAbout, pathOf } from "./support/check";
import * as path from "path";
import * as qs from "qs";
import fetch from "node-fetch";
import { useSandbox } from "./support/sandbox";
import { ROOT } from "./support/engine";
import { AffiseSandbox, AFFISE_SANDBOX_CREDENTIALS } from "../provider/sandbox/affise";
import { AffiseClient, encodeForm } from "../provider/affise/client";
import { knownTimeZone, offerForm } from "../provider/affise/offer";
import { applyStackConfig, resetStackConfig } from "../provider/core/config/config";
import { ApiError } from "../provider/core/http/errors";
import { UNKNOWN } from "../provider/core/schema/validate";
import * as registry from "../provider/registry";

const offerP = registry.get("affise:Offer");
const postbackP = registry.get("affise:Postback");

const EXAMPLE = path.join(ROOT, "examples", "affise-offer");
const CREATIVE = path.join(EXAMPLE, "creative-300x250.png");
const KEY = AFFISE_SANDBOX_CREDENTIALS.apiKey;

/** The seed's cURL body (--data-urlencode lines), verbatim, typos included. */
const SEED_LINES = `title=NEW BIG OFFER
advertiser=5e39279bac611cda7e5765ab
url=https://track.gjane.com/hc/click?afclick={clickid}&afpid={pid}&afoffer={offer_id}
cross_postback_url=https://cpa.gjane.com/hc/click?afclick={clickid}&afpid={pid}&afoffer={offer_id}
macro_url=&sub1={IP}
url_preview=https://giane.com
trafficback_url=https://rocketcompant.g2afse.com/click?pid={pid}&offer_id=132009&sub1={offer_id}
description_lang[en]=English description
creativeFiles[0]=
creativeUrls[1]=https://google.drive
status=active
privacy=protected
is_top=0
is_cpi=1
payments[0][countries][]=RU
payments[0][devices][]=desktop
payments[0][goal]=28
payments[0][total]=100
payments[0][revenue]=30
payments[0][currency] =USD
payments[0][type]=fixed
payments[0][sub1]=abc
partner_payments[1][partners][]=2
partner_payments[1][countries][]=RU
partner_payments[1][goal]=14
partner_payments[1][total]=80
partner_payments[1][type]=fixed
partner_payments[1][currency]=USD
partner_payments[1][revenue]=20
landings[0][title]=landing
landings[0][url]=https://giane.com
landings[0][url_preview]=https://giane.com
landings[0][type]=transit
caps[0][period]=day
caps[0][type]=conversions
caps[0][value]=150
caps[0][goal_type]=all
caps[0][affiliate_type]=all
caps_status[0]=confirmed
caps_status[1]=pending
caps_status[2]=hold
caps[0][type]=conversions
redirect_type=http302
start_at=2020-03-10
is_redirect_overcap=0
caps_status[1]=pending
caps_status[2]=hold
redirect_type=http302
start_at=2020-03-10
is_redirect_overcap=0
click_session=1y2m
minimal_click_session=5h7i
smartlink_categories[0]=5a8d24b7948641003d282ec2
targeting[0][country][allow][]=RU
targeting[0][device_type][]=mobile
targeting[0][connection][]=cellular
targeting[0][sub][allow][1][]=qwerty
targeting[1][country][allow][]=US
targeting[1][device_type][]=desktop
targeting[1][connection][]=wi-fi
targeting[1][affiliate_id][]=2
targeting[1][sub][deny][2][]=qwerty213`.split("\n");

/**
 * The seed's fields as one set of lines: duplicated lines and the stray
 * space in "payments[0][currency] =USD" are typos of the same field; the
 * seed's only partner payout is numbered 1, ours 0; creativeFiles[0] is the
 * (empty in the seed) file slot, sent as a file part.
 */
function seedFields(): string[] {
  const lines = SEED_LINES.map((l) => l.replace(" =", "=").replace(/^partner_payments\[1\]/, "partner_payments[0]")).filter((l) => !l.startsWith("creativeFiles[0]"));
  return [...new Set(lines)].sort();
}

/** Inputs for the seed's offer, as a user writes them. */
export const SEED_OFFER = {
  title: "NEW BIG OFFER",
  advertiser: "5e39279bac611cda7e5765ab",
  url: "https://track.gjane.com/hc/click?afclick={clickid}&afpid={pid}&afoffer={offer_id}",
  crossPostbackUrl: "https://cpa.gjane.com/hc/click?afclick={clickid}&afpid={pid}&afoffer={offer_id}",
  macroUrl: "&sub1={IP}",
  previewUrl: "https://giane.com",
  trafficbackUrl: "https://rocketcompant.g2afse.com/click?pid={pid}&offer_id=132009&sub1={offer_id}",
  descriptions: { en: "English description" },
  creatives: [{ file: CREATIVE }, { url: "https://google.drive" }],
  status: "active",
  privacy: "protected",
  isTop: false,
  isCpi: true,
  payments: [{ countries: ["RU"], devices: ["desktop"], goal: "28", total: 100, revenue: 30, currency: "USD", type: "fixed", sub1: "abc" }],
  partnerPayments: [{ partners: [2], countries: ["RU"], goal: "14", total: 80, type: "fixed", currency: "USD", revenue: 20 }],
  landings: [{ title: "landing", url: "https://giane.com", previewUrl: "https://giane.com", type: "transit" }],
  caps: [{ period: "day", type: "conversions", value: 150, goalType: "all", affiliateType: "all" }],
  capsStatus: ["confirmed", "pending", "hold"],
  redirectType: "http302",
  startAt: "2020-03-10",
  isRedirectOvercap: false,
  clickSession: "1y2m",
  minimalClickSession: "5h7i",
  smartlinkCategories: ["5a8d24b7948641003d282ec2"],
  targeting: [
    { countries: { allow: ["RU"] }, deviceTypes: ["mobile"], connections: ["cellular"], subAllow: { sub1: ["qwerty"] } },
    { countries: { allow: ["US"] }, deviceTypes: ["desktop"], connections: ["wi-fi"], affiliateIds: [2], subDeny: { sub2: ["qwerty213"] } },
  ],
};

async function checked(p: any, news: Record<string, any>, olds: Record<string, any> = {}) {
  const r = await p.check(olds, news);
  expect(r.failures, JSON.stringify(r.failures)).to.deep.equal([]);
  return r.inputs;
}
async function failures(p: any, news: Record<string, any>) {
  return (await p.check({}, news)).failures as Array<{ property: string; reason: string }>;
}
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));
const PARSE = { depth: 10, arrayLimit: 0 };
/** Lines "key=value" (value unencoded, as in the seed) -> the decoded form. */
const decode = (lines: string[]) => qs.parse(lines.map((l) => {
  const i = l.indexOf("=");
  return `${l.slice(0, i)}=${encodeURIComponent(l.slice(i + 1))}`;
}).join("&"), PARSE);

describe("affise", () => {
  const ctx = useSandbox((sb) => ({ "affise:baseUrl": sb.urlFor("affise"), "affise:apiKey": KEY }));
  const aff = () => ctx.sb.network<AffiseSandbox>("affise");
  const writes = () => ctx.sb.requests("affise", { writes: true });
  const raw = (method: string, p: string, body?: string, headers: Record<string, string> = {}) =>
    fetch(`${ctx.sb.urlFor("affise")}${p}`, { method, body, headers: { "API-Key": KEY, "Content-Type": "application/x-www-form-urlencoded", ...headers } });

  describe("wire format equals the seed", () => {
    it("encodes the seed's offer to exactly the seed's PHP-bracket lines", async () => {
      const inputs = await checked(offerP, SEED_OFFER);
      const { form, files } = offerForm(inputs);
      const lines = encodeForm(form).split("&").map((kv) => {
        const [k, v] = kv.split("=");
        return `${k}=${decodeURIComponent(v)}`;
      });
      expect(lines.sort()).to.deep.equal(seedFields());
      expect(files).to.deep.equal([{ field: "creativeFiles[0]", path: CREATIVE }]);
    });

    it("creating the seed's offer sends the seed's decoded fields, multipart with the creative file", async () => {
      const inputs = await checked(offerP, SEED_OFFER);
      await offerP.create(inputs);
      const [req] = writes();
      expect(req.method).to.equal("POST");
      expect(req.path).to.equal("/3.0/admin/offer");
      expect(req.contentType).to.equal("multipart/form-data");
      const body = req.body as Record<string, any>;
      const file = body["creativeFiles[0]"];
      delete body["creativeFiles[0]"];
      expect(body).to.deep.equal(decode(seedFields()));
      expect(file).to.include({ filename: "creative-300x250.png" });
      expect(file.size).to.be.greaterThan(100);
      // The sub numbers survive decoding: sub1 is whitelisted in group 0, sub2 blacklisted in group 1.
      expect(body.targeting[0].sub.allow).to.deep.equal({ 1: { 0: "qwerty" } });
      expect(body.targeting[1].sub.deny).to.deep.equal({ 2: { 0: "qwerty213" } });
      const stored = Object.values(aff().data.offers)[0];
      expect(stored.targeting[1].sub).to.deep.equal({ allow: [], deny: { 2: ["qwerty213"] } });
      expect(stored.creatives.map((c: any) => c.type)).to.deep.equal(["file", "url"]);
    });

    it("is urlencoded (never JSON) without files, and sends the API key only as a header", async () => {
      const { creatives, ...noFiles } = SEED_OFFER;
      await offerP.create(await checked(offerP, { ...noFiles, creatives: [creatives[1]] }));
      const [req] = writes();
      expect(req.contentType).to.equal("application/x-www-form-urlencoded");
      expect(JSON.stringify(ctx.sb.journal)).not.to.include(KEY);
      expect(req.query).to.deep.equal({});
    });
  });

  describe("offer lifecycle against the sandbox", () => {
    it("read after create equals the inputs, so a preview shows no change", async () => {
      const inputs = await checked(offerP, SEED_OFFER);
      const { id, outs } = await offerP.create(inputs);
      expect(Number(id)).to.be.greaterThan(0);
      expect(outs.offerId).to.match(/^[0-9a-f]{24}$/);
      expect(outs.creativeIds).to.have.length(2);
      const r: any = await offerP.read(id, outs);
      expect(r.id).to.equal(id);
      expect(r.inputs).to.deep.equal(inputs);
      const d = await offerP.diff(id, r.props, await checked(offerP, SEED_OFFER, r.inputs));
      expect(d.changes, JSON.stringify(d)).to.equal(false);
    });

    it("normalises the server's reshaping: privacy premoderated, 0/1 and booleans, dates with time, [] for empty maps, defaults", async () => {
      const { id, outs } = await offerP.create(await checked(offerP, SEED_OFFER));
      const o = aff().data.offers[id];
      expect(o.privacy).to.equal("premoderated");
      expect(o.start_at).to.equal("2020-03-10 00:00:00");
      expect(o.targeting[0].sub.deny).to.deep.equal([]);
      expect(o.payments[0].title).to.equal("");
      const r: any = await offerP.read(id, outs);
      expect(r.inputs.privacy).to.equal("protected");
      expect(r.inputs.startAt).to.equal("2020-03-10");
      expect(r.inputs.isCpi).to.equal(true);
      expect(r.inputs.payments[0]).not.to.have.property("title");
    });

    it("an update sends only the changed group, complete, and keeps the same offer", async () => {
      const inputs = await checked(offerP, SEED_OFFER);
      const { id, outs } = await offerP.create(inputs);
      const news = await checked(offerP, { ...SEED_OFFER, payments: [{ ...SEED_OFFER.payments[0], revenue: 35 }] });
      const d = await offerP.diff(id, { ...inputs, ...outs }, news);
      expect(d.changes).to.equal(true);
      expect(d.replaces).to.deep.equal([]);
      await offerP.update(id, { ...inputs, ...outs }, news);
      const req = writes()[1];
      expect(req.path).to.equal(`/3.0/admin/offer/${id}`);
      expect(Object.keys(req.body as object)).to.deep.equal(["payments"]);
      expect(aff().data.offers[id].payments[0].revenue).to.equal(35);
      expect(aff().data.offers[id].creatives).to.have.length(2);
    });

    it("changing creatives removes the old ones and adds the new ones", async () => {
      const inputs = await checked(offerP, SEED_OFFER);
      const { id, outs } = await offerP.create(inputs);
      const news = await checked(offerP, { ...SEED_OFFER, creatives: [{ url: "https://cdn.example.com/banner.png" }] });
      const res: any = await offerP.update(id, { ...inputs, ...outs }, news);
      expect(writes().map((w) => `${w.method} ${w.path}`)).to.deep.equal([
        "POST /3.0/admin/offer", `DELETE /3.0/admin/offer/${id}/remove-creative`, `POST /3.0/admin/offer/${id}`,
      ]);
      expect(aff().data.offers[id].creatives.map((c: any) => c.url)).to.deep.equal(["https://cdn.example.com/banner.png"]);
      expect(res.outs.creativeIds).to.deep.equal(aff().data.offers[id].creatives.map((c: any) => c.id));
    });

    it("out-of-band edits show as drift on refresh; a deleted offer leaves state", async () => {
      const inputs = await checked(offerP, SEED_OFFER);
      const { id, outs } = await offerP.create(inputs);
      const o = aff().data.offers[id];
      o.title = "renamed in the dashboard";
      o.targeting[0].sub.allow = { 1: ["qwerty", "extra"] };
      o.status = "suspended";
      const r: any = await offerP.read(id, { ...inputs, ...outs });
      expect(r.inputs.title).to.equal("renamed in the dashboard");
      expect(r.inputs.targeting[0].subAllow).to.deep.equal({ sub1: ["qwerty", "extra"] });
      expect(r.inputs.status).to.equal("suspended");
      expect((await offerP.diff(id, r.props, inputs)).changes).to.equal(true);
      delete aff().data.offers[id];
      expect(((await offerP.read(id, outs)) as any).id).to.equal("");
    });

    it("import by numeric id reads the whole offer into input shape, and the program's inputs show no diff", async () => {
      const inputs = await checked(offerP, SEED_OFFER);
      const { id } = await offerP.create(inputs);
      const r: any = await offerP.read(id, {});
      // Import reads what Affise holds, its defaults included; a file creative comes back as its file name.
      expect(r.inputs).to.deep.equal({
        ...inputs,
        payments: [{ ...inputs.payments[0], countryExclude: false }],
        partnerPayments: [{ ...inputs.partnerPayments[0], countryExclude: false }],
        caps: [{ period: "day", type: "conversions", value: 150, goalType: "all", affiliateType: "all", countryType: "all" }],
        creatives: [{ file: "creative-300x250.png" }, { url: "https://google.drive" }],
        // Caps settings and every targeting group's flags as Affise fills them in (issue #20).
        capsTimezone: "UTC", hideCaps: false, isImpressionOvercap: false, noticePercentOvercap: 0,
        targeting: inputs.targeting.map((t: object) => ({
          ...t, enabled: true, condition: "and", osDeny: false, deviceTypeDeny: false, connectionDeny: false, blockProxy: false, blockKnownBots: false,
          ips: { ipv6Deny: false }, referrers: { denyEmpty: false, isRegexp: false },
        })),
      });
      expect((await offerP.diff(id, r.props, inputs)).changes).to.equal(false);
      // A real difference still shows.
      const other = await checked(offerP, { ...SEED_OFFER, caps: [{ ...SEED_OFFER.caps[0], goalType: "each" }] });
      expect((await offerP.diff(id, r.props, other)).changes).to.equal(true);
    });

    it("delete sends offer_id[] and treats an already deleted offer as done", async () => {
      const { id, outs } = await offerP.create(await checked(offerP, SEED_OFFER));
      await offerP.delete(id, outs);
      const del = writes()[1];
      expect(del.path).to.equal("/3.0/admin/offer/delete");
      expect(del.body).to.deep.equal({ offer_id: { 0: id } });
      expect(aff().data.offers[id]).to.equal(undefined);
      await offerP.delete(id, outs);
    });

    it("a create whose response is lost is found again, not duplicated", async () => {
      ctx.sb.faults.configure({ rate: 1, kinds: ["lost"], routes: ["POST /3.0/admin/offer"], seed: 1 });
      const { id } = await offerP.create(await checked(offerP, { ...SEED_OFFER, creatives: [SEED_OFFER.creatives[1]] }));
      ctx.sb.faults.configure(undefined);
      expect(Object.keys(aff().data.offers)).to.deep.equal([id]);
      expect(ctx.sb.journal.filter((e) => e.fault === "lost")).to.have.length(1);
    });
  });

  describe("issue #20: full targeting groups, schedule, caps in every form, landings updated in place", () => {
    const GROUP = {
      name: "RU mobile", condition: "or",
      countries: { allow: ["RU"] }, regions: { allow: { ru: [33, 34] } }, cities: { deny: { RU: [57] } },
      os: { allow: [{ name: "Android", comparison: "GTE", version: "10" }, { name: "iOS" }] }, osDeny: true,
      isps: { allow: { RU: ["MTS"] } }, ispOrganizations: { deny: ["Hosting Ltd"], denyEmpty: true },
      ips: { allow: ["100.0.0.1", "100.0.0.1-100.0.0.255", "222.1.1.20/26", "2001:db8::/32"], ipv6Deny: false },
      browsers: { deny: ["Edge"] }, browserVersions: { allow: [{ name: "Chrome", comparison: "GT", version: "100" }] },
      brands: { deny: ["SAMTEL"] }, deviceModels: { allow: ["Pixel 8"] }, deviceTypes: ["mobile", "tv"], deviceTypeDeny: false,
      connections: ["cellular"], connectionDeny: true, referrers: { allow: ["^https://partner\\."], isRegexp: true },
      userAgents: { deny: ["curl"], denyCrawlers: true }, zipCodes: { deny: ["101000"] }, blockProxy: true, blockKnownBots: true,
      trackingUrl: "https://t2.example.com/c?c={clickid}", trackingUrls: [{ url: "https://a.example.com/?c={clickid}", weight: 60 }, { url: "https://b.example.com/?c={clickid}", weight: 40 }],
      subAllow: { sub1: ["promo"] }, subDeny: { sub8: ["bot"] },
    };
    const FULL = {
      ...SEED_OFFER, creatives: [{ url: "https://google.drive" }],
      payments: [{ ...SEED_OFFER.payments[0], devices: ["desktop", "smartwatch"], cities: [57, 58] }],
      caps: [
        { period: "hour", type: "clicks", value: 500 },
        { period: "all", type: "budget", value: 1250.5, goalType: "exact", goals: ["28"], countryType: "exact", countries: ["RU"] },
        { period: "month", type: "conversions", value: 900, affiliateType: "each", subNumber: 2, subValues: ["promo", "brand"] },
      ],
      capsTimezone: "Europe/Moscow", capsGoalOvercap: 28, hideCaps: true, noticePercentOvercap: 80, isImpressionOvercap: true,
      stopDate: "2027-12-31",
      schedule: { enabled: true, dateStart: "2027-01-09", dateTo: "2027-08-01", timezone: "Europe/Monaco", intervals: [{ dayOfWeek: 1, from: 2, to: 4 }, { dayOfWeek: 1, from: 8, to: 10 }, { dayOfWeek: 6, from: 0, to: 23 }] },
      landings: [
        { title: "main", url: "https://lp.example.com/main", previewUrl: "https://lp.example.com/main" },
        { title: "pre", url: "https://lp.example.com/pre", previewUrl: "https://lp.example.com/pre", type: "transit" },
      ],
      targeting: [GROUP, { countries: { deny: ["US"] }, enabled: false }],
    };

    it("encodes every new field to Affise's PHP-bracket form", async () => {
      const inputs = await checked(offerP, FULL);
      const lines = decodeURIComponent(encodeForm(offerForm(inputs).form)).split("&");
      for (const l of [
        "targeting[0][name]=RU mobile", "targeting[0][condition]=or", "targeting[0][region][allow][RU][]=33", "targeting[0][region][allow][RU][]=34",
        "targeting[0][city][deny][RU][]=57", "targeting[0][os][allow][0][name]=Android", "targeting[0][os][allow][0][comparison]=GTE",
        "targeting[0][os][allow][0][version]=10", "targeting[0][os][allow][1][name]=iOS", "targeting[0][os_deny]=1", "targeting[0][isp][allow][RU][]=MTS",
        "targeting[0][isp_organization][deny][]=Hosting Ltd", "targeting[0][isp_organization][deny_empty]=1", "targeting[0][ip][allow][]=222.1.1.20/26",
        "targeting[0][browser][deny][]=Edge", "targeting[0][browser_version][allow][0][version]=100", "targeting[0][brand][deny][]=SAMTEL",
        "targeting[0][device_model][allow][]=Pixel 8", "targeting[0][device_type][]=tv", "targeting[0][connection_deny]=1",
        "targeting[0][referrer][is_regexp]=1", "targeting[0][ua][deny_crawlers]=1", "targeting[0][zip][deny][]=101000", "targeting[0][block_proxy]=1",
        "targeting[0][block_known_bots]=1", "targeting[0][url]=https://t2.example.com/c?c={clickid}", "targeting[0][urls][1][weight]=40",
        "targeting[0][sub][allow][1][]=promo", "targeting[0][sub][deny][8][]=bot", "targeting[1][enabled]=0",
        "caps[0][period]=hour", "caps[1][value]=1250.5", "caps[2][sub_number]=2", "caps[2][sub_value][]=brand",
        "caps_timezone=Europe/Moscow", "caps_goal_overcap=28", "hide_caps=1", "notice_percent_overcap=80", "is_impression_overcap=1",
        "stopDate=2027-12-31", "schedule[enabled]=1", "schedule[date_start]=2027-01-09", "schedule[timezone]=Europe/Monaco",
        "schedule[intervals][1][0][from]=2", "schedule[intervals][1][1][to]=10", "schedule[intervals][6][0][to]=23",
        "payments[0][cities][]=58", "payments[0][devices][]=smartwatch",
      ]) expect(lines, l).to.include(l);
      // Country keys are sent in capitals (the program wrote "ru").
      expect(lines.some((l) => l.includes("[ru]"))).to.equal(false);
    });

    it("Affise stores them; read after create, refresh and import show no drift", async () => {
      const inputs = await checked(offerP, FULL);
      const { id, outs } = await offerP.create(inputs);
      const o = aff().data.offers[id];
      expect(o.targeting[0]).to.deep.include({ condition: "or", os_deny: true, block_proxy: true, url: "https://t2.example.com/c?c={clickid}" });
      expect(o.targeting[0].region).to.deep.equal({ allow: { RU: [33, 34] }, deny: {} });
      expect(o.targeting[1]).to.deep.include({ enabled: false });
      expect(o.schedule.intervals).to.deep.equal([{ day_of_week: 1, from: 2, to: 4 }, { day_of_week: 1, from: 8, to: 10 }, { day_of_week: 6, from: 0, to: 23 }]);
      expect(o.stop_at).to.equal("2027-12-31 00:00:00");
      expect(o.caps[2]).to.deep.include({ sub_number: 2, sub_value: ["promo", "brand"] });
      expect(outs.landingIds).to.deep.equal(o.landings.map((l: any) => l.id));
      const r: any = await offerP.read(id, { ...inputs, ...outs });
      expect(r.inputs).to.deep.equal(inputs);
      expect((await offerP.diff(id, r.props, inputs)).changes).to.equal(false);
      const imported: any = await offerP.read(id, {});
      expect((await offerP.diff(id, imported.props, inputs)).changes).to.equal(false);
      expect(imported.inputs.targeting[1]).to.deep.include({ enabled: false, condition: "and" });
      // A dashboard edit of a rule the program set is drift.
      o.targeting[0].ip.allow.pop();
      const edited: any = await offerP.read(id, { ...inputs, ...outs });
      expect((await offerP.diff(id, edited.props, inputs)).changes).to.equal(true);
    });

    it("landings change in place by id: matched by title (else URL), new ones created, removed ones gone; ids stay", async () => {
      const inputs = await checked(offerP, FULL);
      const { id, outs } = await offerP.create(inputs);
      const [mainId, preId] = outs.landingIds;
      const news = await checked(offerP, {
        ...FULL,
        landings: [
          { title: "new", url: "https://lp.example.com/new", previewUrl: "https://lp.example.com/new" },
          { title: "main", url: "https://lp.example.com/main-v2", previewUrl: "https://lp.example.com/main-v2" },
        ],
      }, { ...inputs, ...outs });
      const state = { ...inputs, ...outs };
      expect((await offerP.diff(id, state, news)).replaces).to.deep.equal([]);
      const updated = await offerP.update(id, state, news);
      const body = writes().pop()!.body as any;
      expect(Object.keys(body)).to.deep.equal(["landings"]);
      expect(body.landings[0]).not.to.have.property("id");
      expect(body.landings[1]).to.include({ id: String(mainId), url: "https://lp.example.com/main-v2" });
      const stored = aff().data.offers[id].landings;
      expect(stored.map((l: any) => [l.id, l.title])).to.deep.equal([[stored[0].id, "new"], [mainId, "main"]]);
      expect(stored.map((l: any) => l.id)).not.to.include(preId);
      expect(updated.outs!.landingIds).to.deep.equal([stored[0].id, mainId]);
      // Matched by URL when the title changed.
      const renamed = await checked(offerP, { ...FULL, landings: [{ title: "main renamed", url: "https://lp.example.com/main-v2", previewUrl: "https://lp.example.com/main-v2" }] });
      await offerP.update(id, { ...news, ...updated.outs }, renamed);
      expect(aff().data.offers[id].landings.map((l: any) => [l.id, l.title])).to.deep.equal([[mainId, "main renamed"]]);
    });

    it("bad values fail at check, naming the field, with no request", async () => {
      const before = ctx.sb.journal.length;
      const bad = async (over: (o: any) => void, path: string, re: RegExp) => {
        const o = clone(FULL);
        over(o);
        const f = await failures(offerP, o);
        const hit = f.find((x) => isAbout(x, path));
        expect(hit, `${path}: ${JSON.stringify(f)}`).to.not.equal(undefined);
        expect(hit!.reason).to.match(re);
      };
      await bad((o) => (o.targeting[0].regions = { allow: { XX: [1] } }), "targeting[0].regions.allow.XX", /ISO 3166-1 alpha-2/);
      await bad((o) => (o.targeting[0].regions = { allow: { ru: [1], RU: [2] } }), "targeting[0].regions.allow.RU", /same country/);
      await bad((o) => (o.targeting[0].ips = { deny: ["300.1.1.1"] }), "targeting[0].ips.deny[0]", /an IP address .* a range .* address\/mask/);
      await bad((o) => (o.targeting[0].os = { allow: [{ name: "iOS", comparison: "GTE" }] }), "targeting[0].os.allow[0].version", /comparison and version together/);
      await bad((o) => (o.targeting[0].os = { allow: [{ name: "iOS", comparison: "NEWER", version: "1" }] }), "targeting[0].os.allow[0].comparison", /"LT" \(older than\), "LTE" \(up to\), "EQ" \(exactly\), "GT" \(newer than\), "GTE" \(from\)/);
      await bad((o) => (o.targeting[0].trackingUrls = [{ url: "https://a.example.com", weight: 101 }]), "targeting[0].trackingUrls[0].weight", /<= 100/);
      await bad((o) => (o.targeting[0].deviceTypes = ["phone"]), "targeting[0].deviceTypes[0]", /"smartwatch"/);
      await bad((o) => (o.targeting[0].condition = "xor"), "targeting[0].condition", /"and" \(every rule must match\), "or"/);
      await bad((o) => (o.schedule.intervals = [{ dayOfWeek: 7, from: 1, to: 2 }]), "schedule.intervals[0].dayOfWeek", /<= 6/);
      await bad((o) => (o.schedule.intervals = [{ dayOfWeek: 1, from: 20, to: 2 }]), "schedule.intervals[0].to", /at least from/);
      await bad((o) => (o.schedule.dateTo = "2026-01-01"), "schedule.dateTo", /on or after schedule.dateStart/);
      await bad((o) => (o.schedule.timezone = "Mars/Olympus"), "schedule.timezone", /IANA time zone/);
      await bad((o) => (o.capsTimezone = "Europe London"), "capsTimezone", /IANA time zone/);
      await bad((o) => (o.caps[0].value = 10.5), "caps[0].value", /whole number for type "clicks"/);
      await bad((o) => delete o.caps[2].subNumber, "caps[2].subNumber", /required with subValues/);
      await bad((o) => (o.caps[2].subNumber = 3), "caps[2].subNumber", /one of 2/);
      await bad((o) => (o.noticePercentOvercap = 120), "noticePercentOvercap", /<= 100/);
      await bad((o) => (o.stopDate = "31.12.2027"), "stopDate", /YYYY-MM-DD/);
      expect(ctx.sb.journal.length, "no request").to.equal(before);
    });

    it("values unknown at preview pass the new rules and stay unknown", async () => {
      const o: any = clone(FULL);
      o.schedule.dateStart = UNKNOWN;
      o.schedule.intervals = [{ dayOfWeek: 1, from: UNKNOWN, to: 4 }];
      o.caps[2].subValues = UNKNOWN;
      o.targeting[0].regions = { allow: { RU: UNKNOWN } };
      o.targeting[0].os = { allow: [{ name: "iOS", comparison: "GTE", version: UNKNOWN }] };
      o.capsTimezone = UNKNOWN;
      const r = await offerP.check({}, o);
      expect(r.failures ?? [], JSON.stringify(r.failures)).to.deep.equal([]);
      expect(r.inputs.schedule.dateStart).to.equal(UNKNOWN);
      expect(r.inputs.caps[2].subValues).to.equal(UNKNOWN);
    });

    it("the sandbox refuses what Affise refuses: an unknown landing id, an hour out of range, a malformed region list, nothing saved", async () => {
      const { id } = await offerP.create(await checked(offerP, FULL));
      const before = JSON.stringify(aff().data.offers[id]);
      for (const body of [
        "landings[0][id]=999999&landings[0][title]=x&landings[0][url]=https://a.example&landings[0][url_preview]=https://a.example",
        "schedule[intervals][1][0][from]=9&schedule[intervals][1][0][to]=24",
        "targeting[0][region][allow][]=33",
        "targeting[0][os][deny][0][name]=iOS",
      ]) {
        const res = await raw("POST", `/3.0/admin/offer/${id}`, body);
        expect(res.status, body).to.equal(400);
        expect(((await res.json()) as any).status).to.equal(2);
      }
      expect(JSON.stringify(aff().data.offers[id])).to.equal(before);
    });
  });

  it("a time zone is looked up in the runtime's data once per process, an unknown one refused every time", () => {
    const Real = Intl.DateTimeFormat;
    let built = 0;
    (Intl as { DateTimeFormat: unknown }).DateTimeFormat = function (...args: ConstructorParameters<typeof Real>) {
      built++;
      return new Real(...args);
    };
    try {
      expect([knownTimeZone("Pacific/Chatham"), knownTimeZone("Pacific/Chatham"), knownTimeZone("Pacific/Chatham")]).to.deep.equal([true, true, true]);
      expect(built, "one lookup for a known zone").to.equal(1);
      expect([knownTimeZone("Mars/Olympus"), knownTimeZone("Mars/Olympus")]).to.deep.equal([false, false]);
      expect(built, "an unknown zone is looked up each time (never remembered)").to.equal(3);
    } finally {
      (Intl as { DateTimeFormat: unknown }).DateTimeFormat = Real;
    }
  });

  describe("the status 1/2 envelope", () => {
    it("status 2 inside HTTP 200 is an error with Affise's text and field", async () => {
      aff().errorsWithHttp200 = true;
      const client = new AffiseClient({ baseUrl: ctx.sb.urlFor("affise"), apiKey: KEY });
      const err: any = await client.createOffer({ advertiser: "5e39279bac611cda7e5765ab" }).catch((e) => e);
      expect(err).to.be.instanceOf(ApiError);
      expect(err.status).to.equal(200);
      expect(err.networkMessage).to.equal("[title].data: Specify not empty 'title'");
      expect(err.fieldErrors).to.deep.equal([{ field: "title", message: "Specify not empty 'title'" }]);
      expect(err.message).to.include("Specify not empty 'title'");
      // "Unknown offer id" in an HTTP 200 still means gone.
      expect(await client.getOffer(999999)).to.equal(undefined);
    });

    it("a JSON body is not bound (Symfony forms): every required field is empty", async () => {
      const res = await raw("POST", "/3.0/admin/offer", JSON.stringify({ title: "x" }), { "Content-Type": "application/json" });
      expect(res.status).to.equal(400);
      expect(await res.json()).to.deep.equal({ status: 2, error: "[title].data: Specify not empty 'title'" });
    });

    it("a wrong API key gets 401 Token is necessary, redacted from the error, naming the setting that holds the key", async () => {
      const client = new AffiseClient({ baseUrl: ctx.sb.urlFor("affise"), apiKey: "wrong-key-1234" });
      const err: any = await client.getOffer(1).catch((e) => e);
      expect(err.status).to.equal(401);
      expect(err.networkMessage).to.equal("Token is necessary. Affise did not accept the credential: check affise:apiKey (pulumi config set --secret affise:apiKey <value>; or the environment: AFFISE_API_KEY)");
      expect(err.message).not.to.include("wrong-key-1234");
    });
  });

  describe("the sandbox's form parser and targeting structure", () => {
    const base = "title=T&advertiser=5e39279bac611cda7e5765ab&url=https%3A%2F%2Fa.example&payments[0][currency]=USD&payments[0][type]=fixed&payments[0][revenue]=1";

    it("accepts [], [n] and percent-encoded brackets alike", async () => {
      const body = `${base}&targeting%5B0%5D%5Bcountry%5D%5Ballow%5D%5B%5D=RU&targeting[0][sub][allow][3][0]=a&targeting[0][sub][allow][3][1]=b&targeting[0][sub][deny][4][]=c&caps_status%5B%5D=hold`;
      const res = await raw("POST", "/3.0/admin/offer", body);
      const json: any = await res.json();
      expect(res.status, JSON.stringify(json)).to.equal(200);
      expect(json.offer.targeting[0].country.allow).to.deep.equal(["RU"]);
      expect(json.offer.targeting[0].sub).to.deep.equal({ allow: { 3: ["a", "b"] }, deny: { 4: ["c"] } });
      expect(json.offer.caps_status).to.deep.equal(["hold"]);
    });

    for (const [what, bad] of [
      ["a whitelist without a sub number", "targeting[0][sub][allow][]=qwerty"],
      ["a sub number outside 1-8", "targeting[0][sub][deny][9][]=qwerty"],
      ["a sub value that is not a list", "targeting[0][sub][allow][1]=qwerty"],
      ["an unknown list kind", "targeting[0][sub][only][1][]=qwerty"],
    ]) {
      it(`rejects ${what} with status 2 "400 Bad Request" and saves nothing`, async () => {
        const res = await raw("POST", "/3.0/admin/offer", `${base}&${bad}`);
        const json: any = await res.json();
        expect(res.status).to.equal(400);
        expect(json.status).to.equal(2);
        expect(json.error).to.match(/^400 Bad Request/);
        expect(Object.keys(aff().data.offers)).to.have.length(0);
      });
    }
  });

  describe("bad input is rejected at check, before any request", () => {
    const cases: Array<[string, Record<string, any>, string, RegExp]> = [
      ["missing title", { title: undefined }, "title", /title is required/],
      ["missing advertiser", { advertiser: undefined }, "advertiser", /advertiser is required/],
      ["missing url", { url: undefined }, "url", /url is required/],
      ["no payout", { payments: [] }, "payments", /at least 1 item/],
      ["alpha-3 country", { payments: [{ ...SEED_OFFER.payments[0], countries: ["RUS"] }] }, "payments[0].countries[0]", /ISO 3166-1 alpha-2.*"RUS"/],
      ["unknown payout type", { payments: [{ ...SEED_OFFER.payments[0], type: "flat" }] }, "payments[0].type", /one of "fixed" \(fixed amount\), "percent"/],
      ["unknown status", { status: "paused" }, "status", /one of "active", "stopped", "suspended"/],
      ["unknown privacy", { privacy: "premoderated" }, "privacy", /"public" \(.*\), "protected" \(.*\), "private"/],
      ["bad device", { targeting: [{ deviceTypes: ["phone"] }] }, "targeting[0].deviceTypes[0]", /"desktop", "mobile", "tablet"/],
      ["bad connection", { targeting: [{ connections: ["wifi"] }] }, "targeting[0].connections[0]", /"wi-fi", "cellular"/],
      ["sub 9", { targeting: [{ subAllow: { sub9: ["x"] } }] }, "targeting[0].subAllow.sub9", /allowed fields are sub1/],
      ["sub allowed and denied", { targeting: [{ subAllow: { sub1: ["a"] }, subDeny: { sub1: ["b"] } }] }, "targeting[0].subDeny.sub1", /both allowed and denied/],
      ["exact cap without goals", { caps: [{ period: "day", type: "clicks", value: 1, goalType: "exact" }] }, "caps[0].goals", /required when goalType is "exact"/],
      ["bad caps status", { capsStatus: ["approved"] }, "capsStatus[0]", /"confirmed", "pending", "hold", "declined"/],
      ["bad click session", { clickSession: "2 days" }, "clickSession", /duration such as "1y2m"/],
      ["advertiser not 24 hex", { advertiser: "acme" }, "advertiser", /24 hex/],
      ["partner payout without partners", { partnerPayments: [{ ...SEED_OFFER.partnerPayments[0], partners: [] }] }, "partnerPayments[0].partners", /at least 1 item/],
      ["creative with url and file", { creatives: [{ url: "https://a.example", file: CREATIVE }] }, "creatives[0]", /exactly one of url or file/],
      ["missing creative file", { creatives: [{ file: "nope.png" }] }, "creatives[0].file", /cannot read nope.png/],
      ["unknown field", { titel: "x" }, "titel", /unknown field titel/],
    ];
    for (const [what, patch, property, reason] of cases) {
      it(`${what}: names ${property}`, async () => {
        const f = await failures(offerP, { ...clone(SEED_OFFER), ...patch });
        const hit = f.find((x) => isAbout(x, property));
        expect(hit, JSON.stringify(f)).to.not.equal(undefined);
        expect(hit!.reason).to.match(reason);
        expect(ctx.sb.journal).to.have.length(0);
      });
    }

    it("takes a numeric payout goal as its string, so the read-back matches", async () => {
      const inputs = await checked(offerP, { ...SEED_OFFER, payments: [{ ...SEED_OFFER.payments[0], goal: 28 }] });
      expect(inputs.payments[0].goal).to.equal("28");
    });

    it("skips values that are unknown at preview", async () => {
      await checked(offerP, { ...SEED_OFFER, advertiser: UNKNOWN, payments: [{ ...SEED_OFFER.payments[0], countries: [UNKNOWN] }] });
      await checked(postbackP, { url: "https://a.example/pb", pid: 2, offerId: UNKNOWN });
    });
  });

  describe("issue #11: bad inputs rejected at check with 0 requests, naming the field and what is allowed", () => {
    const pay = SEED_OFFER.payments[0];
    const cases: Array<[string, Record<string, any>, string, RegExp]> = [
      ["whitespace-only title", { title: "   " }, "title", /title must not be empty or only spaces/],
      ["whitespace-only landing title", { landings: [{ ...SEED_OFFER.landings[0], title: " \t " }] }, "landings[0].title", /must not be empty or only spaces/],
      ["whitespace-only payout title", { payments: [{ ...pay, title: "  " }] }, "payments[0].title", /must not be empty or only spaces/],
      ["whitespace-only description", { descriptions: { en: "   " } }, "descriptions.en", /must not be empty or only spaces/],
      ["URL without a host", { url: "https:///only/a/path" }, "url", /absolute http:\/\/ or https:\/\/ URL with a host/],
      ["landing URL without a host", { landings: [{ ...SEED_OFFER.landings[0], url: "https:///only/a/path" }] }, "landings[0].url", /URL with a host/],
      ["creative URL without a host", { creatives: [{ url: "https:///only/a/path" }] }, "creatives[0].url", /URL with a host/],
      ["a payout country twice, in two cases", { payments: [{ ...pay, countries: ["RU", "DE", "ru"] }] }, "payments[0].countries[2]", /repeats payments\[0\]\.countries\[0\].*each may appear once/],
      ["a targeting country twice, in two cases", { targeting: [{ countries: { allow: ["us", "US"] } }] }, "targeting[0].countries.allow[1]", /repeats targeting\[0\]\.countries\.allow\[0\]/],
      ["a cap country twice, in two cases", { caps: [{ period: "day", type: "budget", value: 10, countryType: "exact", countries: ["De", "DE"] }] }, "caps[0].countries[1]", /repeats caps\[0\]\.countries\[0\]/],
      ["3,000 payouts", { payments: Array.from({ length: 3000 }, () => pay) }, "payments", /payments must have at most 500 items, got 3000/],
      ["50,000 payout countries", { payments: [{ ...pay, countries: Array.from({ length: 50_000 }, () => "RU") }] }, "payments[0].countries", /at most 249 items, got 50000/],
      ["50,000 targeting countries", { targeting: [{ countries: { deny: Array.from({ length: 50_000 }, () => "US") } }] }, "targeting[0].countries.deny", /at most 249 items, got 50000/],
      ["a caps status twice", { capsStatus: ["hold", "hold"] }, "capsStatus[1]", /repeats capsStatus\[0\]/],
    ];
    for (const [what, patch, property, reason] of cases) {
      it(`${what}: names ${property}`, async () => {
        const f = await failures(offerP, { ...clone(SEED_OFFER), ...patch });
        const hit = f.find((x) => isAbout(x, property));
        expect(hit, JSON.stringify(f).slice(0, 2000)).to.not.equal(undefined);
        expect(hit!.reason).to.match(reason);
        expect(f.length, JSON.stringify(f).slice(0, 2000)).to.be.lessThan(5);
        expect(ctx.sb.journal).to.have.length(0);
      });
    }

    it("a postback URL without a host names url", async () => {
      const f = await failures(postbackP, { url: "https:///only/a/path", pid: 2 });
      expect(f.map(pathOf)).to.deep.equal(["url"]);
      expect(f[0].reason).to.match(/URL with a host/);
    });

    it("the API key passed as a plain input is never echoed (reason nor property value)", async () => {
      // The key is configured (the sandbox's stack config); a program pastes it into the advertiser id and a URL.
      for (const [p, news] of [
        [offerP, { ...clone(SEED_OFFER), advertiser: KEY, trafficbackUrl: `not a url ${KEY}` }],
        [postbackP, { url: `ftp://x.example/${KEY}`, pid: 2 }],
      ] as const) {
        const f = await failures(p, news as any);
        expect(f.length).to.be.greaterThan(0);
        expect(JSON.stringify(f)).not.to.include(KEY).and.not.to.include(KEY.slice(0, 12));
        for (const x of f) expect(x.property, x.reason).to.equal("");
      }
      const f = await failures(offerP, { ...clone(SEED_OFFER), advertiser: KEY });
      expect(f.map(pathOf)).to.deep.equal(["advertiser"]);
      expect(f[0].reason).to.match(/^advertiser must be an advertiser id of 24 hex characters/);
      expect(ctx.sb.journal).to.have.length(0);
    });
  });

  describe("issue #11: server defaults are not drift", () => {
    const MINIMAL = { title: "Minimal", advertiser: "5e39279bac611cda7e5765ab", url: "https://t.example/c?id={clickid}", payments: [{ revenue: 1, currency: "USD", type: "fixed" }] };

    it("a minimal offer reads back exactly as declared (no clickSession, isCpi, redirectType, payments[0].goal ...)", async () => {
      const inputs = await checked(offerP, MINIMAL);
      const { id, outs } = await offerP.create(inputs);
      const o = aff().data.offers[id];
      expect(o).to.deep.include({ click_session: "1y", minimal_click_session: "0s", redirect_type: "http302", is_cpi: false, is_top: 0, status: "stopped" });
      expect(o.payments[0].goal).to.equal("1");
      const r: any = await offerP.read(id, { ...inputs, ...outs });
      expect(r.inputs).to.deep.equal(inputs);
      expect(r.props).to.deep.equal({ ...inputs, ...outs });
      expect((await offerP.diff(id, r.props, inputs)).changes).to.equal(false);
    });

    it("a dashboard edit of a declared value is still drift", async () => {
      const inputs = await checked(offerP, MINIMAL);
      const { id, outs } = await offerP.create(inputs);
      aff().data.offers[id].payments[0].revenue = 7;
      const r: any = await offerP.read(id, { ...inputs, ...outs });
      expect(r.inputs.payments).to.deep.equal([{ revenue: 7, currency: "USD", type: "fixed" }]);
      expect((await offerP.diff(id, r.props, inputs)).changes).to.equal(true);
    });
  });

  describe("list (every object, all pages, in read's shape)", () => {
    it("lists every offer of every status across pages, each as read reports it on import", async () => {
      const inputs = await checked(offerP, { ...SEED_OFFER, creatives: [SEED_OFFER.creatives[1]] });
      const { id } = await offerP.create(inputs);
      const template = aff().data.offers[id];
      for (let i = 0; i < 620; i++) {
        const n = 1000 + i;
        aff().data.offers[n] = { ...clone(template), id: n, title: `Offer ${i}`, status: ["active", "stopped", "suspended"][i % 3] };
      }
      const before = ctx.sb.requests("affise").length;
      const all = await registry.get("affise:Offer").list!();
      expect(all.map((x) => x.id).sort()).to.deep.equal(Object.keys(aff().data.offers).sort());
      const pages = ctx.sb.requests("affise").slice(before);
      expect(pages.map((g) => `${g.method} ${g.path} ${g.query.page}`)).to.deep.equal(["GET /3.0/offers 1", "GET /3.0/offers 2"]);
      expect(pages.every((g) => g.method === "GET")).to.equal(true);
      const imported: any = await offerP.read(id, {});
      expect(all.find((x) => x.id === id)!.state).to.deep.equal(imported.props);
    });

    it("lists the postbacks of the affiliates the offers name, across pages, with import ids <pid>/<id>", async () => {
      const { id: oid } = await offerP.create(await checked(offerP, { ...SEED_OFFER, creatives: undefined }));
      const { id: pbId } = await postbackP.create(await checked(postbackP, { url: "https://t.example/pb?c={clickid}", pid: 2, offerId: oid }));
      for (let i = 0; i < 510; i++) {
        const n = 7000 + i;
        aff().data.postbacks[n] = { id: n, url: `https://t.example/${i}`, pid: "2", offer_id: null, status: null, goal: null, forced: "0", integration_method: "all" };
      }
      const all = await registry.get("affise:Postback").list!();
      expect(all).to.have.length(511);
      expect(all.every((x) => /^2\/\d+$/.test(x.id))).to.equal(true);
      const mine = all.find((x) => x.id === pbId)!;
      expect(mine.state).to.deep.equal(((await postbackP.read(pbId, {})) as any).props);
    });
  });

  describe("spend roles", () => {
    it("the payout, budget caps and the active status are declared as money", () => {
      const f: any = registry.definition("affise:Offer")!.fields;
      expect(f.payments.items.fields.revenue).to.include({ spend: "bid", money: "major" });
      expect(f.payments.items.fields.total).to.include({ money: "major" });
      expect(f.caps.items.fields.value).to.include({ money: "major" });
      expect(f.payments.items.fields.currency.spend).to.equal("currency");
      expect(f.partnerPayments.items.fields.revenue.spend).to.equal("bid");
      expect(f.caps.items.fields.value).to.deep.include({ spend: "budget", spendWhen: { type: ["budget"] } });
      expect(f.caps.items.fields.period).to.deep.include({ spend: "budgetPeriod", spendWhen: { type: ["budget"] } });
      expect(f.status).to.deep.include({ spend: "status", running: ["active"] });
      expect(registry.definition("affise:Postback")!.fields.offerId.ref).to.equal("affise:Offer");
    });
  });

  describe("postbacks", () => {
    async function offerId() {
      return (await offerP.create(await checked(offerP, { ...SEED_OFFER, creatives: undefined }))).id;
    }
    const PB = { url: "https://tracker.example/pb?click={clickid}&sum={sum}", pid: 2, status: "confirmed", goal: "1", integrationMethod: "all", forced: true };

    it("create, read, update, delete with id <pid>/<postbackId>", async () => {
      const oid = await offerId();
      const inputs = await checked(postbackP, { ...PB, offerId: oid });
      const { id, outs } = await postbackP.create(inputs);
      expect(id).to.match(/^2\/\d+$/);
      const create = writes()[1];
      expect(create.path).to.equal("/3.0/partner/postback");
      expect(create.body).to.deep.equal({ url: PB.url, pid: "2", offer_id: oid, status: "confirmed", goal: "1", integration_method: "all", forced: "1" });
      const r: any = await postbackP.read(id, outs);
      expect(r.inputs).to.deep.equal(inputs);
      const news = await checked(postbackP, { ...inputs, url: "https://tracker.example/pb2?c={clickid}" });
      const d = await postbackP.diff(id, { ...inputs, ...outs }, news);
      expect(d.replaces).to.deep.equal([]);
      await postbackP.update(id, { ...inputs, ...outs }, news);
      expect(writes()[2].path).to.equal(`/3.0/partner/postback/${id.split("/")[1]}`);
      expect(((await postbackP.read(id, outs)) as any).inputs.url).to.equal("https://tracker.example/pb2?c={clickid}");
      await postbackP.delete(id, outs);
      expect(writes()[3]).to.include({ method: "DELETE", path: `/3.0/partner/postback/${id.split("/")[1]}/remove` });
      expect(((await postbackP.read(id, outs)) as any).id).to.equal("");
      await postbackP.delete(id, outs); // already gone: done
    });

    it("changing the affiliate or the offer replaces the postback", async () => {
      const oid = await offerId();
      const inputs = await checked(postbackP, { ...PB, offerId: oid });
      const { id, outs } = await postbackP.create(inputs);
      expect((await postbackP.diff(id, { ...inputs, ...outs }, { ...inputs, pid: 3 })).replaces).to.deep.equal(["pid"]);
      expect((await postbackP.diff(id, { ...inputs, ...outs }, { ...inputs, offerId: undefined })).replaces).to.deep.equal(["offerId"]);
    });

    it("without an offer it is a global postback (no offer_id sent)", async () => {
      const inputs = await checked(postbackP, { url: "https://tracker.example/global", pid: 5 });
      const { id } = await postbackP.create(inputs);
      expect(writes()[0].body).to.deep.equal({ url: "https://tracker.example/global", pid: "5" });
      const r: any = await postbackP.read(id, {});
      expect(r.inputs).to.deep.equal({ url: "https://tracker.example/global", pid: 5, integrationMethod: "all", forced: false });
      expect((await postbackP.diff(id, r.props, inputs)).changes).to.equal(false);
    });

    it("import reads by listing the affiliate's postbacks, across pages, with string pids normalised", async () => {
      const oid = await offerId();
      for (let i = 0; i < 620; i++) {
        const pbid = 5000 + i;
        aff().data.postbacks[pbid] = { id: pbid, url: `https://t.example/${i}`, pid: "2", offer_id: null, status: null, goal: null, forced: "0", integration_method: "all" };
      }
      const inputs = await checked(postbackP, { ...PB, offerId: Number(oid) });
      expect(inputs.offerId).to.equal(oid);
      const { id } = await postbackP.create(inputs);
      aff().data.postbacks[id.split("/")[1]].id = 9999; // move it to the last page
      aff().data.postbacks[9999] = aff().data.postbacks[id.split("/")[1]];
      delete aff().data.postbacks[id.split("/")[1]];
      const before = ctx.sb.requests("affise").length;
      const r: any = await postbackP.read("2/9999", {});
      expect(r.inputs).to.deep.equal(inputs);
      const gets = ctx.sb.requests("affise").slice(before);
      expect(gets.map((g) => g.query.page)).to.deep.equal(["1", "2"]);
      expect(gets[0].query).to.include({ partner_id: "2", limit: "500" });
    });

    it("an out-of-band status change shows as drift; a malformed import id is a clear error", async () => {
      const { id, outs } = await postbackP.create(await checked(postbackP, PB));
      aff().data.postbacks[id.split("/")[1]].status = "hold";
      expect(((await postbackP.read(id, outs)) as any).inputs.status).to.equal("hold");
      const err: any = await postbackP.read("15", {}).catch((e) => e);
      expect(err.message).to.include(`"<pid>/<postbackId>"`);
    });

    it("bad inputs are rejected at check", async () => {
      const f = await failures(postbackP, { url: "not a url", pid: 0, status: "approved", integrationMethod: "s2s", offerId: "abc" });
      expect(f.map(pathOf).sort()).to.deep.equal(["integrationMethod", "offerId", "pid", "status", "url"]);
      expect(f.find((x) => isAbout(x, "status"))!.reason).to.match(/"by_creating" \(.*\), "confirmed" \(.*\), "pending" \(.*\), "declined" \(.*\), "hold"/);
      expect(ctx.sb.journal).to.have.length(0);
    });
  });

  describe("credentials", () => {
    it("missing settings give one error naming the config keys and env vars", async () => {
      resetStackConfig();
      const saved = { k: process.env.AFFISE_API_KEY, u: process.env.AFFISE_BASE_URL };
      delete process.env.AFFISE_API_KEY;
      delete process.env.AFFISE_BASE_URL;
      try {
        const err: any = await offerP.create(await checked(offerP, { ...SEED_OFFER, creatives: undefined })).catch((e) => e);
        expect(err.message).to.include("affise:apiKey (secret)").and.include("affise:baseUrl").and.include("AFFISE_API_KEY").and.include("AFFISE_BASE_URL");
      } finally {
        if (saved.k !== undefined) process.env.AFFISE_API_KEY = saved.k;
        if (saved.u !== undefined) process.env.AFFISE_BASE_URL = saved.u;
      }
    });

    it("environment variables work when stack config is absent", async () => {
      resetStackConfig();
      process.env.AFFISE_API_KEY = KEY;
      process.env.AFFISE_BASE_URL = ctx.sb.urlFor("affise");
      try {
        const { id } = await postbackP.create(await checked(postbackP, { url: "https://t.example/x", pid: 1 }));
        expect(id).to.match(/^1\/\d+$/);
      } finally {
        delete process.env.AFFISE_API_KEY;
        delete process.env.AFFISE_BASE_URL;
      }
    });

    it("configure() picks up affise:* stack config and the types are registered", async () => {
      resetStackConfig();
      await registry.configure({ config: { "affise:apiKey": KEY, "affise:baseUrl": ctx.sb.urlFor("affise") } as any });
      expect(registry.types()).to.include.members(["affise:Offer", "affise:Postback"]);
      const { id } = await registry.get("affise:Postback").create({ url: "https://t.example/y", pid: 4 });
      expect(id).to.match(/^4\/\d+$/);
      applyStackConfig({}, []);
    });
  });
});
