/**
 * Issue #25: sandboxes that the networks' own clients accept. Each block
 * replays what a client written outside this project sends (the official
 * Affise Go SDK affise/go-sdk, adam-szerdahelyi/go-exoclick, curl, older
 * Topsort clients) or checks an answer against the vendor's published
 * contract, and fails on the sandbox as it was before the issue.
 *
 * The Go SDK is not built here (its module comes from the network; the suite
 * must run offline): its requests are replayed byte for byte, and its
 * response types are checked with Go's encoding/json rules over a table of
 * the SDK's struct field types (`GO_OFFER`, from affise/admin_offer.go).
 */
import { sandboxConfig } from "../provider/sandbox/config";
import { expect } from "chai";
import { runChild } from "./support/processes";
import * as path from "path";
import * as qs from "qs";
import fetch from "node-fetch";
import FormData from "form-data";
import { useSandbox } from "./support/sandbox";
import { png } from "./support/png";
import { NETWORKS } from "../provider/networks";
import * as registry from "../provider/registry";
import { fromRemote } from "../provider/affise/offer";
import { InterchangeClient } from "../provider/interchange/client";
import { AFFISE_SANDBOX_CREDENTIALS } from "../provider/sandbox/affise";
import { EXOCLICK_SANDBOX_CREDENTIALS } from "../provider/sandbox/exoclick";
import { TOPSORT_SANDBOX_CREDENTIALS } from "../provider/sandbox/topsort";
import { INTERCHANGE_SANDBOX_CREDENTIALS } from "../provider/sandbox/interchange";

type Obj = Record<string, any>;

// ---- Go's encoding/json, for the SDK's types ----

type GoType = "bool" | "int" | "float64" | "string" | "number" | "any" | "custombool" | { slice: GoType } | { map: GoType } | { struct: Record<string, GoType> };

const S = "string", I = "int", B = "bool";
const PAYMENT: GoType = { struct: {
  partners: { slice: I }, countries: { slice: S }, country_exclude: B, cities: { slice: "any" }, devices: { slice: S }, os: { slice: S },
  goal: S, total: I, revenue: I, currency: S, type: S, title: S, url: S, with_regions: B,
} };
/** affise/go-sdk `Offer` (affise/admin_offer.go, commit ae38fb1): JSON name -> Go type. */
const GO_OFFER: GoType = { struct: {
  id: I, offer_id: S, advertiser: S, external_offer_id: S, bundle_id: S, hide_payments: B, title: S, macro_url: S, url: S,
  cross_postback_url: S, url_preview: S, preview_url: S, domain_url: S, use_https: B, use_http: B, description_lang: { map: S },
  sources: { slice: { struct: { id: S, title: S, title_lang: { map: S }, allowed: I } } }, logo: S, logo_source: S, status: S,
  tags: { slice: S }, privacy: S, is_top: I, payments: { slice: PAYMENT }, partner_payments: { slice: PAYMENT },
  landings: { slice: { struct: { title: S, url: S, url_preview: S, type: S } } }, strictly_country: I, strictly_os: { slice: S },
  strictly_brands: { slice: S }, strictly_connection_type: S, is_redirect_overcap: B, notice_percent_overcap: I, hold_period: I,
  categories: { slice: S }, full_categories: { slice: { struct: { id: S, title: S } } }, cr: "float64", epc: "float64", notes: S,
  allowed_ip: S, disallowed_ip: S, hash_password: S, allow_deeplink: I, hide_referer: I, start_at: S, stop_at: S, auto_offer_connect: I,
  required_approval: B, is_cpi: B, kpi: { map: S }, sub_restrictions: { slice: { map: S } }, creatives: { slice: I }, creatives_zip: "any",
  sub_accounts: { map: { struct: { value: S, except: "custombool" } } }, redirect_type: S,
  caps: { slice: { struct: {
    period: S, type: S, value: "number", goal_type: S, goals: "any", affiliate_type: S, affiliates: { slice: I }, country_type: S, country: { slice: S },
  } } },
  commission_tiers: { slice: { struct: {
    timeframe: S, type: S, value: "number", modifier_value: "float64", modifier_type: S, goals: { slice: S }, target_goals: { slice: S },
    affiliate_type: S, affiliates: { slice: I }, modifier_payment_type: S, conversion_status: { slice: S },
  } } },
  caps_timezone: S, strictly_isp: { slice: S }, restriction_isp: { slice: { struct: { country: S, name: S } } }, strictly_devices: { slice: S },
  disabled_choice_postback_status: B, updated_at: S, created_at: S, caps_status: { slice: S }, search_empty_sub: I, allow_impressions: B,
  smartlink_categories: { slice: S }, click_session: S, minimal_click_session: S, io_document: B, uniq_ip_only: B, reject_not_uniq_ip: B,
} };

/** Where Go's json.Unmarshal into `t` would fail on `v` (null decodes into anything; unknown keys are ignored). */
function goErrors(v: unknown, t: GoType, at: string): string[] {
  if (v === null || t === "any") return [];
  const kind = Array.isArray(v) ? "array" : typeof v;
  const bad = () => [`${at}: cannot unmarshal ${kind} ${JSON.stringify(v)} into Go ${typeof t === "string" ? t : Object.keys(t)[0]}`];
  if (t === "bool") return typeof v === "boolean" ? [] : bad();
  if (t === "int") return typeof v === "number" && Number.isInteger(v) ? [] : bad();
  if (t === "float64" || t === "number") return typeof v === "number" ? [] : bad();
  if (t === "string") return typeof v === "string" ? [] : bad();
  if (t === "custombool") return [true, false, 1, 0, "1", "0", "true", "false", ""].includes(v as never) ? [] : bad();
  if ("slice" in t) return Array.isArray(v) ? v.flatMap((x, i) => goErrors(x, t.slice, `${at}[${i}]`)) : bad();
  if (kind !== "object") return bad();
  const o = v as Obj;
  if ("map" in t) return Object.entries(o).flatMap(([k, x]) => goErrors(x, t.map, `${at}.${k}`));
  return Object.entries(t.struct).flatMap(([k, ft]) => (k in o ? goErrors(o[k], ft, `${at}.${k}`) : []));
}

const allConfig = (url: (n: string) => string) =>
  Object.fromEntries(NETWORKS.flatMap((n) => Object.entries(sandboxConfig(n.name, url(n.name))).map(([k, v]) => [k, v.value])));

describe("sandbox: the networks' own clients (issue #25)", () => {
  const ctx = useSandbox((sb) => allConfig((n) => sb.urlFor(n)));
  const base = (n: string) => ctx.sb.urlFor(n);

  // ---- Affise ----
  const AKEY = AFFISE_SANDBOX_CREDENTIALS.apiKey;
  const ADV = "5e39279bac611cda7e5765ab";
  const FORM = { "API-Key": AKEY, "Content-Type": "application/x-www-form-urlencoded" };
  const affise = async (method: string, p: string, body?: Obj, headers: Obj = FORM) => {
    const res = await fetch(`${base("affise")}${p}`, { method, headers, body: body ? qs.stringify(body, { encodeValuesOnly: true }) : undefined });
    return { status: res.status, body: await res.json() };
  };
  const payout = (extra: Obj = {}) => ({ currency: "USD", type: "fixed", revenue: 30, total: 100, ...extra });
  const newOffer = async (extra: Obj = {}) => {
    const r = await affise("POST", "/3.0/admin/offer", { title: "Gaming offer", advertiser: ADV, url: "https://t.example/c?id={clickid}", payments: [payout()], ...extra });
    expect(r.body.status, JSON.stringify(r.body)).to.equal(1);
    return r.body.offer as Obj;
  };

  describe("1. Affise answers with the documented types, which the official Go SDK decodes", () => {
    const RICH = {
      is_redirect_overcap: "1", is_top: "1", is_cpi: "1", privacy: "protected", start_at: "2030-01-01",
      payments: [payout({ goal: "1", title: "Install", countries: ["US"], country_exclude: "1", os: ["iOS"] })],
      partner_payments: [payout({ goal: "2", title: "Register", partners: [7] })],
      landings: [{ title: "L", url: "https://l.example", url_preview: "https://l.example/p" }],
      caps: [{ period: "day", type: "conversions", value: 100, goal_type: "exact", goals: ["1", "2"], affiliate_type: "exact", affiliates: [7] }, { period: "month", type: "budget", value: 50 }],
      caps_status: ["confirmed"],
      targeting: [{ country: { allow: ["US"] }, sub: { allow: { 1: ["a"] } } }],
    };

    it("an offer from create, get and list decodes into the SDK's Offer (is_redirect_overcap is a boolean)", async () => {
      const created = await newOffer(RICH);
      const got = (await affise("GET", `/3.0/offer/${created.id}`)).body.offer;
      const listed = (await affise("GET", "/3.0/offers?status[]=active&status[]=stopped")).body.offers[0];
      for (const [where, o] of [["create", created], ["get", got], ["list", listed]] as const) {
        expect(goErrors(o, GO_OFFER, where), where).to.deep.equal([]);
      }
      expect(got.is_redirect_overcap).to.equal(true);
      expect((await newOffer()).is_redirect_overcap).to.equal(false);
    });

    it("every typed field is served as the contract's examples and the SDK's fixtures show it", async () => {
      const o = await newOffer(RICH);
      // Examples: create/edit offer in the contract, 3.0.offer.{id}@get.json and 3.0.offers@get.json in the SDK.
      const want: Obj = {
        id: "number", is_top: "number", is_cpi: "boolean", is_redirect_overcap: "boolean", description_lang: "object",
        smartlink_categories: "array", creatives: "array", payments: "array", caps_status: "array", external_offer_id: "string", bundle_id: "string", categories: "array",
      };
      const kind = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
      for (const [k, t] of Object.entries(want)) expect(kind(o[k]), k).to.equal(t);
      expect(kind(o.payments[0].country_exclude), "payments[].country_exclude").to.equal("boolean");
      expect(kind(o.payments[0].total), "payments[].total").to.equal("number");
      // A cap's goals: a map of goal value to goal name, [] when none.
      expect(o.caps[0].goals).to.deep.equal({ 1: "Install", 2: "Register" });
      expect(o.caps[1].goals).to.deep.equal([]);
      const pb = (await affise("POST", "/3.0/partner/postback", { pid: 7, url: "https://pb.example/x", offer_id: o.id })).body.postback;
      expect([kind(pb.pid), kind(pb.forced), kind(pb.offer_id), kind(pb.id)]).to.deep.equal(["string", "string", "string", "number"]);
    });

    it("the SDK's Offer type predates the contract's creatives: only `creatives` differs when an offer has one", async () => {
      const o = await newOffer({ creativeUrls: { 0: "https://cdn.example/b.png" } });
      // Contract `offer.creatives`: array of objects; the Go SDK says []int (out of date, docs/affise.md).
      expect(goErrors(o, GO_OFFER, "offer").map((e) => e.split(":")[0])).to.deep.equal(["offer.creatives[0]"]);
    });

    it("the provider reads both forms: 0/1 and booleans, goals as a list or as a map", () => {
      const wire = (b: unknown, goals: unknown) => ({
        id: 1, offer_id: "a".repeat(24), title: "t", advertiser: ADV, url: "https://t.example", is_redirect_overcap: b, is_top: b, is_cpi: b,
        payments: [{ currency: "USD", type: "fixed", revenue: 1, country_exclude: b }], caps: [{ period: "day", type: "clicks", value: 1, goal_type: "exact", goals }],
      });
      const forms = [wire(0, ["1", "28"]), wire(false, { 1: "Install", 28: "Buy" }), wire("0", ["28", "1"])].map((w) => fromRemote(w as never, undefined));
      for (const r of forms) {
        expect([r.isRedirectOvercap, r.isTop, r.isCpi, r.payments![0].countryExclude]).to.deep.equal([false, false, false, false]);
        expect([...r.caps![0].goals!].sort()).to.deep.equal(["1", "28"]);
      }
      expect(fromRemote(wire(true, []) as never, undefined).isRedirectOvercap).to.equal(true);
      expect(fromRemote(wire(1, []) as never, undefined).isRedirectOvercap).to.equal(true);
    });
  });

  describe("2. Affise serves every documented filter of GET /3.0/offers", () => {
    it("os[], caps_type, caps_country, bundle_id, advertiser_manager_id[] and additional_fields", async () => {
      const ios = await newOffer({ title: "iOS game", payments: [payout({ os: ["iOS"] })], bundle_id: "com.example.game", status: "active" });
      await newOffer({ title: "Android game", payments: [payout({ os: ["Android"] })], status: "active" });
      const titles = async (query: string) => {
        const r = await affise("GET", `/3.0/offers?${query}`);
        expect(r.status, `${query}: ${JSON.stringify(r.body)}`).to.equal(200);
        return r.body.offers.map((o: Obj) => o.title);
      };
      expect(await titles("os[]=iOS")).to.deep.equal(["iOS game"]);
      expect(await titles("os[0]=Android&os[1]=iOS")).to.deep.equal(["iOS game", "Android game"]);
      expect(await titles("bundle_id=com.example.game")).to.deep.equal(["iOS game"]);
      // No cap is ever full in the sandbox: nothing is hidden, the values are checked.
      expect(await titles("caps_type=budget&caps_country=US")).to.have.length(2);
      // The sandbox's advertisers have no managers.
      expect(await titles(`advertiser_manager_id[]=${"b".repeat(24)}`)).to.deep.equal([]);
      const extra = await affise("GET", `/3.0/offers?int_id[]=${ios.id}&additional_fields=enabled_affiliates`);
      expect(extra.body.offers[0].enabled_affiliates).to.deep.equal([]);
      for (const q of ["caps_type=views", "caps_country=XX", "additional_fields=everything", "advertiser_manager_id[]=bob"]) {
        const r = await affise("GET", `/3.0/offers?${q}`);
        expect([r.status, r.body.status], q).to.deep.equal([400, 2]);
      }
    });
  });

  describe("3. Affise never answers success for a write that wrote nothing", () => {
    // The Go SDK's NewRequestOpts: every parameter in the query string, no body, no Content-Type.
    const goSdk = (method: string, p: string, params: Obj) =>
      fetch(`${base("affise")}${p}?${new URLSearchParams(params)}`, { method, headers: { "API-Key": AKEY, "User-Agent": "go-sdk/undefined" } })
        .then(async (r) => ({ status: r.status, body: await r.json() }));

    it("a create, an update and a postback sent as query parameters are refused by name; nothing changes", async () => {
      const created = await goSdk("POST", "/3.0/admin/offer", { advertiser: ADV, title: "From the Go SDK", url: "https://t.example" });
      expect(created.status).to.equal(400);
      expect(created.body).to.deep.equal({ status: 2, error: created.body.error });
      expect(created.body.error).to.match(/query string: advertiser, title, url/);
      expect(ctx.sb.inventory().affise.offers).to.have.length(0);
      const o = await newOffer();
      const updated = await goSdk("POST", `/3.0/admin/offer/${o.id}`, { title: "Renamed" });
      expect([updated.status, updated.body.status]).to.deep.equal([400, 2]);
      expect(updated.body.error).to.match(/query string: title/);
      expect((await affise("GET", `/3.0/offer/${o.id}`)).body.offer.title).to.equal("Gaming offer");
      const pb = await goSdk("POST", "/3.0/partner/postback", { pid: "7", url: "https://pb.example" });
      expect([pb.status, pb.body.status]).to.deep.equal([400, 2]);
      expect(ctx.sb.inventory().affise.postbacks).to.have.length(0);
    });

    it("the api-key in the query string stays allowed (seed 002's request structure)", async () => {
      const res = await fetch(`${base("affise")}/3.0/admin/offer?api-key=${AKEY}`, {
        method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: qs.stringify({ title: "Keyed", advertiser: ADV, url: "https://t.example", payments: [payout()] }),
      });
      expect((await res.json()).status).to.equal(1);
    });
  });

  describe("4. a word in an id's place is a missing route, in each network's own shape", () => {
    it("Affise GET /3.0/offer/categories is not an offer id", async () => {
      const r = await affise("GET", "/3.0/offer/categories");
      expect(r.status).to.equal(404);
      expect(r.body.status).to.equal(2);
      expect(r.body.error).to.match(/No route/).and.not.match(/Unknown offer id/);
      expect((await affise("GET", "/3.0/offer/424242")).body.error).to.equal("Unknown offer id");
    });

    it("ExoClick GET /campaigns/groups is not a campaign id", async () => {
      const token = (await (await fetch(`${base("exoclick")}/v2/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ api_token: EXOCLICK_SANDBOX_CREDENTIALS.apiToken }) })).json()).token;
      const res = await fetch(`${base("exoclick")}/v2/campaigns/groups`, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).to.equal(404);
      const body = await res.json();
      expect(Object.keys(body)).to.deep.equal(["message"]);
      expect(body.message).to.match(/No route/).and.not.match(/Campaign not found/);
    });

    it("Topsort /campaigns/bids is not a campaign id (GET and POST alike)", async () => {
      const H = { Authorization: `Bearer ${TOPSORT_SANDBOX_CREDENTIALS.apiKey}`, "Content-Type": "application/json" };
      for (const method of ["GET", "POST"]) {
        const res = await fetch(`${base("topsort")}/public/v1/campaign-service/campaigns/bids`, { method, headers: H, body: method === "POST" ? "{}" : undefined });
        expect(res.status, method).to.equal(404);
        expect((await res.json())[0].errCode, method).to.equal("not_found");
      }
    });
  });

  // ---- ExoClick ----
  const exo = async () => {
    const login = await fetch(`${base("exoclick")}/v2/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ api_token: EXOCLICK_SANDBOX_CREDENTIALS.apiToken }) });
    const token = (await login.json()).token;
    const call = async (method: string, p: string, body?: Obj | FormData) => {
      const headers: Obj = { Authorization: `Bearer ${token}` };
      if (body && !(body instanceof FormData)) headers["Content-Type"] = "application/json";
      const res = await fetch(`${base("exoclick")}/v2${p}`, { method, headers, body: body instanceof FormData ? body : body ? JSON.stringify(body) : undefined });
      return { status: res.status, body: await res.json() };
    };
    return { token, call };
  };
  const exoCampaign = async (call: Awaited<ReturnType<typeof exo>>["call"]) => {
    const c = await call("POST", "/campaigns", {
      name: "Banner", advertiser_ad_type: 0, media_storage_template: "img_banner", size: "300x250", pricing: { model: 4, price: 300 },
      categories: { type: "targeted", elements: [97] }, countries: { type: "targeted", elements: [{ country: "USA" }] },
    });
    expect(c.status, JSON.stringify(c.body)).to.equal(200);
    return c.body.id as number;
  };

  describe("5. ExoClick serves a variation's image URL (imgurl)", () => {
    it("imgurl is the library file's URL, in the campaign and in the variations list, and it serves the image", async () => {
      const { call } = await exo();
      const url = (await call("POST", "/library/url", { url: "https://landing.example" })).body.id;
      const fd = new FormData();
      const image = png(300, 250);
      fd.append("file", image, { filename: "b.png" });
      fd.append("type", "image");
      const file = (await call("POST", "/library/file", fd)).body;
      const id = await exoCampaign(call);
      const vf = new FormData();
      vf.append("id_library_url", String(url));
      vf.append("id_library_file", String(file.id));
      expect((await call("POST", `/campaigns/${id}/variation`, vf)).status).to.equal(200);
      const inCampaign = (await call("GET", `/campaigns/${id}?detailed=true`)).body.result.variations[0];
      const listed = (await call("GET", `/campaigns/${id}/variations`)).body.result[0];
      for (const v of [inCampaign, listed]) expect(v.imgurl).to.be.a("string").and.equal(file.url);
      const img = await fetch(inCampaign.imgurl);
      expect(img.status).to.equal(200);
      expect(Buffer.compare(await img.buffer(), image)).to.equal(0);
    });
  });

  describe("6. requests follow the vendors' contracts", () => {
    it("Affise: an offer update is multipart/form-data (the contract's only type for POST /3.0/admin/offer/{id}); a create without files stays urlencoded (seed 002)", async () => {
      const p = registry.get("affise:Offer");
      const inputs = (await p.check({}, { title: "Multipart", advertiser: ADV, url: "https://t.example", payments: [{ currency: "USD", type: "fixed", revenue: 2 }] })).inputs!;
      const { id, outs } = await p.create(inputs);
      const news = (await p.check({}, { ...inputs, title: "Multipart 2" })).inputs!;
      await p.update!(id, { ...inputs, ...outs }, news);
      const [create, update] = ctx.sb.requests("affise", { writes: true });
      expect(create.contentType).to.equal("application/x-www-form-urlencoded");
      expect([update.path, update.contentType]).to.deep.equal([`/3.0/admin/offer/${id}`, "multipart/form-data"]);
      expect(update.body).to.deep.equal({ title: "Multipart 2" });
      expect(ctx.sb.network<any>("affise").data.offers[id].title).to.equal("Multipart 2");
    });

    it("Interchange: execute sends the JSON body its contract requires; pause and reactivate send none (none declared)", async () => {
      const H = { Authorization: `Bearer ${INTERCHANGE_SANDBOX_CREDENTIALS.apiKey}`, "Content-Type": "application/json" };
      const made = await fetch(`${base("interchange")}/api/v2/buyer/campaigns`, {
        method: "POST", headers: H,
        body: JSON.stringify({ advertiserId: 12345, name: "Contract", flightDates: { startDate: "2026-01-15T00:00:00Z", endDate: "2026-03-31T23:59:59Z" }, budget: { total: 100, currency: "USD" }, campaignType: "DECISIONED" }),
      });
      const id = (await made.json()).campaign.campaignId;
      const client = new InterchangeClient({ baseUrl: `${base("interchange")}/api/v2/buyer`, apiKey: INTERCHANGE_SANDBOX_CREDENTIALS.apiKey });
      for (const a of ["execute", "pause", "reactivate"] as const) await client.action(id, a);
      const actions = ctx.sb.requests("interchange", { writes: true }).filter((e) => /\/(execute|pause|reactivate)$/.test(e.path));
      expect(actions.map((e) => [e.path.split("/").pop(), e.status, e.contentType, e.body])).to.deep.equal([
        ["execute", 200, "application/json", {}], ["pause", 200, "", {}], ["reactivate", 200, "", {}],
      ]);
    });

    it("Interchange: the example declares the `mode` the buyer contract requires on create; the seed's request without it still creates", async function () {
      this.timeout(60_000);
      // Run without blocking this process: the sandbox answering below lives here (a blocked event loop resets its idle connections).
      const probe = await runChild(process.execPath, [path.join(__dirname, "support", "example-probe.js"), "retail-media/interchange", "interchangeCampaign"]);
      expect(probe.code, probe.stderr).to.equal(0);
      const declared: Array<{ name: string; inputs: Obj }> = JSON.parse(probe.stdout);
      const campaign = declared.find((r) => r.name.endsWith("interchange-campaign"))!;
      expect(campaign, JSON.stringify(declared.map((r) => r.name))).to.not.equal(undefined);
      // CreateCampaignOpenApiBody is a oneOf on `mode`: discovery, or performance with performanceConfig.
      expect(["discovery", "performance"]).to.include(campaign.inputs.mode);
      if (campaign.inputs.mode === "performance") expect(campaign.inputs.performanceConfig).to.be.an("object");
      const seed = await fetch(`${base("interchange")}/api/v2/buyer/campaigns`, {
        method: "POST", headers: { Authorization: `Bearer ${INTERCHANGE_SANDBOX_CREDENTIALS.apiKey}`, "Content-Type": "application/json" },
        body: JSON.stringify({ advertiserId: 12345, name: "Q1 2025 Campaign", flightDates: { startDate: "2025-01-15T00:00:00Z", endDate: "2025-03-31T23:59:59Z" }, budget: { total: 1, currency: "USD", dailyCap: 1, pacing: "EVEN" }, campaignType: "DECISIONED" }),
      });
      expect(seed.status).to.equal(201);
    });
  });

  describe("7. ExoClick reads the content types it documents", () => {
    const login = (headers: Obj, body: string | Buffer) => fetch(`${base("exoclick")}/v2/login`, { method: "POST", headers, body });
    const TOKEN = JSON.stringify({ api_token: EXOCLICK_SANDBOX_CREDENTIALS.apiToken });

    it("JSON declared as application/json, or sent with no type (go-exoclick's login), logs in", async () => {
      expect((await login({ "Content-Type": "application/json" }, TOKEN)).status).to.equal(200);
      expect((await login({}, Buffer.from(TOKEN))).status).to.equal(200);
    });

    it("curl -d (form-urlencoded), text/plain and text/json are 415, naming what ExoClick accepts; undecodable JSON is 400", async () => {
      for (const type of ["application/x-www-form-urlencoded", "text/plain", "text/json"]) {
        const res = await login({ "Content-Type": type }, TOKEN);
        expect(res.status, type).to.equal(415);
        const body = await res.json();
        expect(Object.keys(body)).to.deep.equal(["message"]);
        expect(body.message, type).to.include(type).and.include("application/json");
      }
      expect((await login({ "Content-Type": "application/json" }, "{not json")).status).to.equal(400);
      const { token } = await exo();
      const typed = await fetch(`${base("exoclick")}/v2/library/url`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "text/plain" }, body: JSON.stringify({ url: "https://x.example" }) });
      expect(typed.status).to.equal(415);
      expect(ctx.sb.inventory().exoclick.libraryUrls).to.have.length(0);
    });
  });

  describe("8. decided from the docs", () => {
    it("Topsort: adFormat may be left out (only promotionType is deprecated); the bids or promotionType say the format", async () => {
      const H = { Authorization: `Bearer ${TOPSORT_SANDBOX_CREDENTIALS.apiKey}`, "Content-Type": "application/json" };
      const banner = { adFormat: "banner", slotId: "home", bannerAssets: [{ url: "https://cdn.example/b.png", contentType: "image/png", dimensions: { width: 300, height: 250 }, size: 1000 }] };
      const body = (bids: Obj[], extra: Obj = {}) => JSON.stringify({
        name: "No format", campaignType: "manual", budget: { amount: 1000, type: "daily" }, startDate: "2026-01-01T00:00:00Z", endDate: "2026-12-31T00:00:00Z", bids, ...extra,
      });
      const create = (b: string) => fetch(`${base("topsort")}/public/v1/campaign-service/campaigns?vendor_id=v1`, { method: "POST", headers: H, body: b })
        .then(async (r) => ({ status: r.status, body: await r.json() }));
      const listing = await create(body([{ amount: 10, target: { id: "p1", type: "product" } }]));
      expect([listing.status, listing.body.adFormat]).to.deep.equal([201, "listing"]);
      const viaBids = await create(body([{ amount: 10, target: { id: "p1", type: "product" }, formatProperties: banner }]));
      expect([viaBids.status, viaBids.body.adFormat]).to.deep.equal([201, "banner"]);
      const viaPromotion = await create(body([{ amount: 10, target: { id: "p2", type: "product" }, formatProperties: banner }], { promotionType: banner }));
      expect([viaPromotion.status, viaPromotion.body.adFormat]).to.deep.equal([201, "banner"]);
      const mixed = await create(body([{ amount: 10, target: { id: "p1", type: "product" } }, { amount: 10, target: { id: "p2", type: "product" }, formatProperties: banner }]));
      expect(mixed.status).to.equal(422);
      expect(mixed.body.map((e: Obj) => e.message).join(" ")).to.include("body.adFormat");
    });

    it("Affise: a key repeated without [] keeps its last value, as PHP parses it; with [] it is a list", async () => {
      const a = await newOffer({ title: "A" });
      const b = await newOffer({ title: "B" });
      const ids = async (query: string) => (await affise("GET", `/3.0/offers?status[]=stopped&${query}`)).body.offers.map((o: Obj) => o.title);
      expect(await ids(`ids=${a.offer_id}&ids=${b.offer_id}`)).to.deep.equal(["B"]);
      expect(await ids(`ids[]=${a.offer_id}&ids[]=${b.offer_id}`)).to.deep.equal(["A", "B"]);
      expect(await ids(`int_id=${a.id}&int_id=${b.id}`)).to.deep.equal(["B"]);
    });

    it("ExoClick: list items are the flat campaign object of GET /campaigns/{id}; targeting only comes with ?detailed=true", async () => {
      const { call } = await exo();
      const id = await exoCampaign(call);
      const [item] = (await call("GET", "/campaigns")).body.result;
      const detail = (await call("GET", `/campaigns/${id}?detailed=true`)).body.result;
      expect(item).to.deep.equal(detail.campaign);
      expect(item).to.not.have.any.keys("categories", "countries");
      expect(detail.categories).to.deep.equal({ targeted: [{ id: 97 }], blocked: [] });
    });
  });
});
