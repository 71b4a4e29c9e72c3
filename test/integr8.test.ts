import { expect } from "chai";
import { isAbout, pathOf } from "./support/check";
import nodeFetch from "node-fetch";
import { useSandbox } from "./support/sandbox";
import { Integr8Sandbox, INTEGR8_SANDBOX } from "../provider/sandbox/integr8";
import { Integr8Client } from "../provider/integr8/client";
import * as lookups from "../provider/integr8/lookups";
import { ROUTES } from "../provider/integr8/routes";
import { resetStackConfig } from "../provider/core/config/config";
import { ApiError } from "../provider/core/http/errors";
import { UNKNOWN } from "../provider/core/schema/validate";
import * as registry from "../provider/registry";
import { contextFor } from "../provider/core/config/context";
import { network as integr8Network } from "../provider/integr8/network";

const postbackP = registry.get("integr8:Postback");
const applicationP = registry.get("integr8:OfferApplication");

const ORG = INTEGR8_SANDBOX.organizationId;
const BASE = `/api/v2/publisher-view/${ORG}`;

const CONVERSION = {
  name: "Conversion to tracker",
  integration: INTEGR8_SANDBOX.integrationId,
  serviceType: "conversion",
  url: "https://tracker.example/postback?tx={external_transaction_id}&status={status}",
};

async function checked(p: any, news: Record<string, any>, olds: Record<string, any> = {}) {
  const r = await p.check(olds, news);
  expect(r.failures, JSON.stringify(r.failures)).to.deep.equal([]);
  return r.inputs;
}

describe("integr8", () => {
  const ctx = useSandbox((sb) => ({
    "integr8:apiKey": INTEGR8_SANDBOX.apiKey,
    "integr8:organizationId": ORG,
    "integr8:baseUrl": sb.urlFor("integr8"),
  }));
  const net = () => ctx.sb.network<Integr8Sandbox>("integr8");
  const writes = () => ctx.sb.requests("integr8", { writes: true });
  const otherClient = () => new Integr8Client({ baseUrl: ctx.sb.urlFor("integr8"), apiKey: INTEGR8_SANDBOX.other.apiKey, organizationId: INTEGR8_SANDBOX.other.organizationId });

  describe("credentials", () => {
    it("sends the key in the API-KEY header and never shows it in errors", async () => {
      const c = new Integr8Client({ baseUrl: ctx.sb.urlFor("integr8"), apiKey: "wrong-key-0xBADBAD", organizationId: ORG });
      const e: any = await c.getOffer(ORG, INTEGR8_SANDBOX.publicOfferId).catch((x) => x);
      expect(e).to.be.instanceOf(ApiError);
      expect(e.status).to.equal(401);
      expect(e.message).to.contain("No valid API key");
      expect(JSON.stringify({ m: e.message, b: e.body, r: e.requestBody })).not.to.contain("wrong-key-0xBADBAD");
      const ok = await contextFor(integr8Network).client.getOffer(ORG, INTEGR8_SANDBOX.publicOfferId);
      expect(ok.name).to.equal("VPN Shield Annual Plan - CPA");
    });

    it("missing credentials name the config key and the environment variable", async () => {
      resetStackConfig();
      const e: any = await postbackP.create({ ...CONVERSION, organizationId: ORG }).catch((x) => x);
      expect(e.message).to.contain("integr8:apiKey (secret)").and.to.contain("INTEGR8_API_KEY").and.to.contain("pulumi config set --secret integr8:apiKey");
      const r = await postbackP.check({}, CONVERSION);
      expect(r.failures!.map(pathOf)).to.deep.equal(["organizationId"]);
      expect(r.failures![0].reason).to.contain("integr8:organizationId").and.to.contain("INTEGR8_ORGANIZATION_ID");
      expect(ctx.sb.journal).to.have.length(0);
    });

    it("falls back to environment variables", async () => {
      resetStackConfig();
      Object.assign(process.env, { INTEGR8_API_KEY: INTEGR8_SANDBOX.apiKey, INTEGR8_ORGANIZATION_ID: ORG, INTEGR8_BASE_URL: ctx.sb.urlFor("integr8") });
      try {
        const offers = await lookups.listOffers();
        expect(offers.map((o) => o.id)).to.include(INTEGR8_SANDBOX.restrictedOfferId);
      } finally {
        for (const k of ["INTEGR8_API_KEY", "INTEGR8_ORGANIZATION_ID", "INTEGR8_BASE_URL"]) delete process.env[k];
      }
    });

    it("the default base URL is Integr8's API host and routes live under /api/v2", () => {
      resetStackConfig();
      process.env.INTEGR8_API_KEY = "k".repeat(8);
      try {
        expect(contextFor(integr8Network).client.http.baseUrl).to.equal("https://api.app.integr8.co");
      } finally {
        delete process.env.INTEGR8_API_KEY;
      }
      for (const r of Object.values(ROUTES)) expect(r.path).to.match(/^\/api\/v2\/publisher-view\/\{organizationID\}\//);
    });
  });

  describe("Postback", () => {
    it("create sends the seed's JSON body; read matches the inputs (no diff)", async () => {
      const inputs = await checked(postbackP, CONVERSION);
      const created = await postbackP.create(inputs);
      const [w] = writes();
      expect(w.method).to.equal("POST");
      expect(w.path).to.equal(`${BASE}/postbacks`);
      expect(w.contentType).to.equal("application/json");
      expect(w.body).to.deep.equal({
        name: "Conversion to tracker", organization: ORG, integration: INTEGR8_SANDBOX.integrationId, service_type: "conversion",
        url: CONVERSION.url, method: "GET", active: true, delay_value: 0, delay_metric: "Second", filters: {},
      });
      expect(ctx.sb.requests("integr8")[0].status).to.equal(201);
      const r = await postbackP.read(created.id, created.outs);
      expect(r.id).to.equal(created.id);
      const d = await postbackP.diff(created.id, r.props, inputs);
      expect(d.changes, JSON.stringify(r.props)).to.equal(false);
      expect(r.props.createdAt).to.match(/^\d{4}-\d{2}-\d{2}T/);
    });

    it("update sends only the changed fields with PATCH; immutable fields replace", async () => {
      const inputs = await checked(postbackP, { ...CONVERSION, delayValue: 2, delayMetric: "Minute" });
      const created = await postbackP.create(inputs);
      const news = await checked(postbackP, { ...CONVERSION, delayValue: 5, delayMetric: "Minute", active: false, method: "POST", body: '{"tx":"{external_transaction_id}"}' }, inputs);
      const d = await postbackP.diff(created.id, created.outs, news);
      expect(d.replaces).to.deep.equal([]);
      await postbackP.update(created.id, created.outs, news);
      const patch = writes().pop()!;
      expect(patch.method).to.equal("PATCH");
      expect(patch.path).to.equal(`${BASE}/postbacks/${created.id}`);
      expect(patch.body).to.deep.equal({ method: "POST", body: '{"tx":"{external_transaction_id}"}', active: false, delay_value: 5 });
      const stored = net().data.postbacks[created.id];
      expect([stored.active, stored.delay_value, stored.method]).to.deep.equal([false, 5, "POST"]);
      for (const [field, value] of [["integration", INTEGR8_SANDBOX.appIntegrationId], ["serviceType", "event"], ["organizationId", "other-org"]]) {
        const n = await checked(postbackP, { ...CONVERSION, [field]: value }, inputs);
        expect((await postbackP.diff(created.id, created.outs, n)).replaces, field).to.deep.equal([field]);
      }
    });

    it("the sandbox refuses immutable fields in an update body (why they replace)", async () => {
      const created = await postbackP.create(await checked(postbackP, CONVERSION));
      const e: any = await contextFor(integr8Network).client.updatePostback(ORG, created.id, { service_type: "click" }).catch((x) => x);
      expect(e.status).to.equal(400);
      expect(e.fieldErrors).to.deep.equal([{ field: "service_type", message: "cannot be updated" }]);
    });

    it("an out-of-band edit shows as drift; a deleted postback leaves state", async () => {
      const inputs = await checked(postbackP, CONVERSION);
      const created = await postbackP.create(inputs);
      Object.assign(net().data.postbacks[created.id], { url: "https://elsewhere.example/pb", active: false });
      const r = await postbackP.read(created.id, created.outs);
      const d = await postbackP.diff(created.id, r.props, inputs);
      expect(d.changes).to.equal(true);
      expect(d.replaces).to.deep.equal([]);
      expect(r.props.url).to.equal("https://elsewhere.example/pb");
      await postbackP.delete(created.id, created.outs);
      expect(writes().pop()!.method).to.equal("DELETE");
      expect(net().data.postbacks[created.id]).to.equal(undefined);
      expect((await postbackP.read(created.id, created.outs)).id).to.equal("");
      await postbackP.delete(created.id, created.outs); // already gone: not an error
    });

    it("import: read with only an id gives inputs that match the program", async () => {
      const args = { ...CONVERSION, description: "imported", filters: { status: "approved" } };
      const created = await postbackP.create(await checked(postbackP, args));
      const r = await postbackP.read(created.id, {});
      expect(r.inputs.organizationId).to.equal(ORG);
      const d = await postbackP.diff(created.id, r.props, await checked(postbackP, args));
      expect(d.changes, JSON.stringify(r.props)).to.equal(false);
    });

    it("a create whose response is lost is found again, not duplicated", async () => {
      ctx.sb.faults.configure({ rate: 1, kinds: ["lost"], routes: ["POST /api/v2/publisher-view/:organizationID/postbacks"], seed: 1 });
      const created = await postbackP.create(await checked(postbackP, CONVERSION));
      ctx.sb.faults.configure(undefined);
      const all = Object.values(net().data.postbacks);
      expect(all).to.have.length(1);
      expect(all[0].id).to.equal(created.id);
      expect(ctx.sb.journal.filter((e) => e.fault === "lost")).to.have.length(1);
    });

    it("bulk status sets active on many postbacks in one request", async () => {
      const ids: string[] = [];
      for (const serviceType of ["conversion", "event", "click"]) ids.push((await postbackP.create(await checked(postbackP, { ...CONVERSION, serviceType }))).id);
      await contextFor(integr8Network).client.setPostbacksActive(ORG, ids, false);
      const w = writes().pop()!;
      expect([w.method, w.path]).to.deep.equal(["PATCH", `${BASE}/postbacks/status`]);
      expect(w.body).to.deep.equal({ active: false, data: ids });
      expect(ids.map((id) => net().data.postbacks[id].active)).to.deep.equal([false, false, false]);
    });
  });

  describe("bad input is rejected at check, before any request", () => {
    const cases: Array<[string, any, Record<string, any>, string, RegExp]> = [
      ["a missing name", postbackP, { ...CONVERSION, name: undefined }, "name", /required/],
      ["a missing integration", postbackP, { ...CONVERSION, integration: "" }, "integration", /must not be empty/],
      ["a bad service type", postbackP, { ...CONVERSION, serviceType: "sale" }, "serviceType", /one of "click", "impression", "conversion", "event"/],
      ["a bad method", postbackP, { ...CONVERSION, method: "get" }, "method", /one of "GET", "POST", "PUT", "DELETE", "PATCH"/],
      ["a body with GET", postbackP, { ...CONVERSION, body: "x=1" }, "body", /POST, PUT, PATCH, DELETE/],
      ["a bad delay metric", postbackP, { ...CONVERSION, delayMetric: "Day" }, "delayMetric", /one of "Second", "Minute", "Hour"/],
      ["a negative delay", postbackP, { ...CONVERSION, delayValue: -1 }, "delayValue", />= 0/],
      ["a fractional delay", postbackP, { ...CONVERSION, delayValue: 1.5 }, "delayValue", /whole number/],
      ["a relative URL", postbackP, { ...CONVERSION, url: "tracker.example/pb?tx={tx_id}" }, "url", /absolute http/],
      ["filters as a list", postbackP, { ...CONVERSION, filters: ["approved"] }, "filters", /must be an object/],
      ["a misspelt field", postbackP, { ...CONVERSION, servicetype: "click" }, "servicetype", /unknown field/],
      ["an oversized name", postbackP, { ...CONVERSION, name: "n".repeat(256) }, "name", /at most 255/],
      ["a missing offer", applicationP, {}, "offerId", /required/],
      ["a bad offer id", applicationP, { offerId: "a/b" }, "offerId", /no spaces or slashes/],
      ["a non-boolean agreement", applicationP, { offerId: "x1", agreeToTerms: "yes" }, "agreeToTerms", /true or false/],
    ];
    for (const [what, p, news, field, reason] of cases) {
      it(`rejects ${what} (${field})`, async () => {
        const r = await p.check({}, news);
        const f = r.failures.find((x: any) => isAbout(x, field));
        expect(f, JSON.stringify(r.failures)).to.not.equal(undefined);
        expect(f.reason).to.match(reason);
        expect(f.reason).to.contain(field);
        expect(ctx.sb.journal, "no request may be sent").to.have.length(0);
      });
    }

    it("accepts values unknown at preview time", async () => {
      const r = await postbackP.check({}, { ...CONVERSION, integration: UNKNOWN, url: UNKNOWN, body: UNKNOWN, method: "POST" });
      expect(r.failures).to.deep.equal([]);
      const r2 = await applicationP.check({}, { offerId: UNKNOWN });
      expect(r2.failures).to.deep.equal([]);
    });

    it("lookups reject bad options before any request", async () => {
      const e1: any = await lookups.listOffers({ pageSize: 101 }).catch((x) => x);
      expect(e1.message).to.match(/pageSize must be >= 1 and <= 100/);
      const e2: any = await lookups.listPostbackLogs({ from: "2026-03-05", to: "2026-03-01" }).catch((x) => x);
      expect(e2.message).to.match(/to must not be before from/);
      const e3: any = await lookups.listPostbackLogs({ from: "yesterday", to: "2026-03-01", serviceType: "event" as any }).catch((x) => x);
      expect(e3.message).to.match(/from must be a date/).and.to.match(/serviceType must be one of "conversion", "click"/);
      expect(ctx.sb.journal).to.have.length(0);
    });
  });

  describe("OfferApplication", () => {
    const RESTRICTED = INTEGR8_SANDBOX.restrictedOfferId;

    it("an offer that requires T&Cs refuses an application without agreement", async () => {
      const e: any = await applicationP.create(await checked(applicationP, { offerId: RESTRICTED })).catch((x) => x);
      expect(e).to.be.instanceOf(ApiError);
      expect(e.status).to.equal(402);
      expect(e.message).to.contain("agree to the Offer T&Cs first");
      expect(Object.keys(net().data.applications)).to.have.length(0);
    });

    it("agrees, applies (pending), then reads approved or rejected as an output, and withdraws", async () => {
      const inputs = await checked(applicationP, { offerId: RESTRICTED, agreeToTerms: true });
      const created = await applicationP.create(inputs);
      expect(writes().map((w) => `${w.method} ${w.path}`)).to.deep.equal([
        `PATCH ${BASE}/offers/${RESTRICTED}/terms`,
        `POST ${BASE}/offers/${RESTRICTED}/access-requests`,
      ]);
      expect(created.outs.status).to.equal("pending");
      const appId = created.outs.applicationId;
      expect(created.id).to.equal(`${RESTRICTED}/${appId}`);
      expect((await lookups.getOffer(RESTRICTED, { payouts: false })).terms_agreed).to.equal(true);

      // The network decides through the sandbox admin route.
      const res = await nodeFetch(`${ctx.sb.urlFor("integr8")}/__sandbox/offer-access-requests/${appId}`, {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ status: "approved" }),
      });
      expect(res.status).to.equal(200);
      let r = await applicationP.read(created.id, created.outs);
      expect(r.props.status).to.equal("approved");
      expect(r.props.decidedAt).to.match(/^\d{4}-/);
      expect((await applicationP.diff(created.id, r.props, inputs)).changes).to.equal(false);

      net().decide(appId, "rejected", "Traffic sources not accepted");
      r = await applicationP.read(created.id, created.outs);
      expect([r.props.status, r.props.statusReason]).to.deep.equal(["rejected", "Traffic sources not accepted"]);

      await applicationP.delete(created.id, r.props);
      expect(writes().pop()!.path).to.equal(`${BASE}/offers/${RESTRICTED}/access-requests/${appId}`);
      expect((await applicationP.read(created.id, r.props)).id).to.equal("");
    });

    it("a public offer is approved at once; import reads the application by offer/application id", async () => {
      const inputs = await checked(applicationP, { offerId: INTEGR8_SANDBOX.publicOfferId });
      const created = await applicationP.create(inputs);
      expect(created.outs.status).to.equal("approved");
      const r = await applicationP.read(created.id, {});
      expect(r.props.offerId).to.equal(INTEGR8_SANDBOX.publicOfferId);
      expect((await applicationP.diff(created.id, r.props, inputs)).changes).to.equal(false);
      expect((await applicationP.diff(created.id, r.props, await checked(applicationP, { offerId: "6610aa0000000000000000a3" }))).replaces).to.deep.equal(["offerId"]);
    });

    it("a lost apply response is recovered from the application list, not applied twice", async () => {
      ctx.sb.faults.configure({ rate: 1, kinds: ["lost"], routes: ["POST /api/v2/publisher-view/:organizationID/offers/:offerID/access-requests"], seed: 1 });
      const created = await applicationP.create(await checked(applicationP, { offerId: INTEGR8_SANDBOX.publicOfferId }));
      ctx.sb.faults.configure(undefined);
      const all = Object.values(net().data.applications);
      expect(all).to.have.length(1);
      expect(created.id).to.equal(`${INTEGR8_SANDBOX.publicOfferId}/${all[0].id}`);
    });
  });

  describe("lookups", () => {
    it("listOffers follows page[number]/page[size] across several pages", async () => {
      net().addOffers(7);
      const all = await lookups.listOffers({ pageSize: 4 });
      expect(all).to.have.length(12); // 5 seeded + 7
      const pages = ctx.sb.requests("integr8").filter((r) => r.path === `${BASE}/offers`);
      expect(pages.map((p) => p.query.page)).to.deep.equal([{ number: "1", size: "4" }, { number: "2", size: "4" }, { number: "3", size: "4" }]);
      expect(all.map((o) => o.id)).not.to.include("6610bb0000000000000000b1"); // another organization's offer
    });

    it("fetches lazily: a limit or an early break requests only the pages needed", async () => {
      net().addOffers(30);
      const few = await lookups.listOffers({ pageSize: 5, limit: 7 });
      expect(few).to.have.length(7);
      expect(ctx.sb.requests("integr8").filter((r) => r.path === `${BASE}/offers`)).to.have.length(2);
      let n = 0;
      for await (const _ of lookups.iterateOffers({ pageSize: 3 })) if (++n === 2) break;
      expect(ctx.sb.requests("integr8").filter((r) => r.path === `${BASE}/offers`)).to.have.length(3);
    });

    it("filters and sorting are sent as filter[field][op] and sort", async () => {
      const active = await lookups.listOffers({ filter: { status: "active", name: { match: "cpa" } }, sort: "-name" });
      expect(active.map((o) => o.name)).to.deep.equal(["VPN Shield Annual Plan - CPA", "FreshBox Meal Kits - First Box CPA"]);
      expect(ctx.sb.requests("integr8").pop()!.query.filter).to.deep.equal({ status: "active", name: { match: "cpa" } });
    });

    it("getOffer returns the offer with its payouts", async () => {
      const o = await lookups.getOffer("6610aa0000000000000000a5");
      expect(o.name).to.equal("FreshBox Meal Kits - First Box CPA");
      expect(o.payouts!.map((p) => [p.type, p.amount ?? p.percent, p.countries])).to.deep.equal([["CPA", 18, ["DE"]], ["CPA", 15, ["AT", "NL"]], ["CPS", 5, []]]);
      expect(ctx.sb.requests("integr8").map((r) => r.path)).to.deep.equal([`${BASE}/offers/6610aa0000000000000000a5`, `${BASE}/offers/6610aa0000000000000000a5/payouts`]);
    });

    it("listPostbackLogs sends the date range and the seed's filters, across pages", async () => {
      const rows = await lookups.listPostbackLogs({ from: "2026-03-01", to: "2026-03-02", serviceType: "conversion", pageSize: 3 });
      // 16 seeded rows fall on 1-2 March; 2 of 3 are conversions.
      expect(rows.length).to.equal(10);
      expect(rows.every((r) => r.service_type === "conversion" && String(r.process_time) < "2026-03-03")).to.equal(true);
      const q = ctx.sb.requests("integr8").find((r) => r.path === `${BASE}/postback-logs`)!.query;
      expect(q).to.deep.include({ start_date: "2026-03-01", end_date: "2026-03-02", start_time: "2026-03-01T00:00:00Z", end_time: "2026-03-02T23:59:59Z" });
      expect(q.filter).to.deep.equal({ service_type: "conversion" });
      expect(ctx.sb.requests("integr8").filter((r) => r.path === `${BASE}/postback-logs`)).to.have.length(4);

      const failed = await lookups.listPostbackLogs({ from: "2026-03-01T00:00:00Z", to: "2026-03-03T23:59:59Z", statusCode: 500, errorMatch: "upstream", minDurationMs: 0, maxDurationMs: 1000, columns: ["status_code", "error"] });
      expect(failed.length).to.equal(3);
      expect(Object.keys(failed[0]).sort()).to.deep.equal(["error", "id", "status_code"]);
      const q2 = ctx.sb.requests("integr8").pop()!.query;
      expect(q2.filter).to.deep.equal({ error: { match: "upstream" }, status_code: "500", duration_ms: { gte: "0", lte: "1000" } });
      expect(q2.columns).to.deep.equal(["status_code", "error"]);
    });

    it("the logs route requires the whole date range (a 400 naming the fields)", async () => {
      const e: any = await contextFor(integr8Network).client.collect("listPostbackLogs", { organizationID: ORG }, { start_date: "2026-03-01" }).catch((x) => x);
      expect(e.status).to.equal(400);
      expect(e.fieldErrors.map((f: any) => f.field)).to.deep.equal(["end_date", "start_time", "end_time"]);
    });

    it("the sandbox caps page[size] at 100", async () => {
      const e: any = await contextFor(integr8Network).client.call("listOffers", { organizationID: ORG }, { query: { page: { size: 101 } } }).catch((x) => x);
      expect(e.status).to.equal(400);
      expect(e.message).to.contain("page[size]");
    });
  });

  describe("issue #11: bad inputs rejected at check with no request, naming the field and what is allowed", () => {
    const rejects = async (p: any, news: Record<string, any>, field: string, reason: RegExp) => {
      const r = await p.check({}, news);
      const f = r.failures.find((x: any) => isAbout(x, field));
      expect(f, JSON.stringify(r.failures)).to.not.equal(undefined);
      expect(f.reason).to.match(reason);
      return r.failures as Array<{ property: string; reason: string }>;
    };
    afterEach(() => expect(ctx.sb.journal, "no request may be sent").to.have.length(0));

    it("a whitespace-only postback name", async () => {
      await rejects(postbackP, { ...CONVERSION, name: "   " }, "name", /name must not be empty or only spaces/);
    });

    it("a URL with no host (https:///only/a/path), without echoing its query token", async () => {
      const fails = await rejects(postbackP, { ...CONVERSION, url: "https:///only/a/path?token=pb-s3cr3t-77" }, "url", /url must be an absolute http:\/\/ or https:\/\/ URL with a host/);
      expect(JSON.stringify(fails)).not.to.contain("pb-s3cr3t-77");
      // The parameter name stays, to locate the mistake.
      expect(JSON.stringify(fails)).to.contain("token=***");
    });

    it("an absurdly long URL or body (documented caps)", async () => {
      await rejects(postbackP, { ...CONVERSION, url: `https://tracker.example/${"p".repeat(2100)}` }, "url", /at most 2048 characters/);
      await rejects(postbackP, { ...CONVERSION, method: "POST", body: "b".repeat(10_001) }, "body", /at most 10000 characters/);
    });

    it("a credential passed as a resource input is refused and never echoed", async () => {
      const fails = await rejects(postbackP, { ...CONVERSION, apiKey: "i8-live-key-0xFEEDFACE" }, "apiKey", /apiKey is not an input of integr8.Postback: credentials are never resource inputs.*integr8:apiKey/);
      expect(fails.find((f) => f.reason.includes("apiKey"))!.property).to.equal("");
      expect(JSON.stringify(fails)).not.to.contain("0xFEEDFACE");
      const f2 = await rejects(applicationP, { offerId: INTEGR8_SANDBOX.publicOfferId, apiKey: "i8-live-key-0xFEEDFACE" }, "apiKey", /apiKey is not an input/);
      expect(JSON.stringify(f2)).not.to.contain("0xFEEDFACE");
    });

    it("a whitespace-only offer id or organization", async () => {
      await rejects(applicationP, { offerId: "  " }, "offerId", /must not be empty or only spaces/);
      await rejects(postbackP, { ...CONVERSION, organizationId: " " }, "organizationId", /must not be empty or only spaces/);
    });
  });

  describe("list(): every object of the type, in read's shape, with the import id", () => {
    const def = (key: string) => registry.definition(key)!;

    it("postbacks: every page (page[number]/page[size] of 100), only this organization's, equal to read", async () => {
      const made: string[] = [];
      for (let i = 0; i < 103; i++) made.push((await postbackP.create(await checked(postbackP, { ...CONVERSION, name: `pb ${i}` }))).id);
      await otherClient().createPostback(INTEGR8_SANDBOX.other.organizationId, { name: "theirs", organization: INTEGR8_SANDBOX.other.organizationId, integration: INTEGR8_SANDBOX.other.integrationId, service_type: "click", url: "https://a.example/x" });
      const before = ctx.sb.journal.length;
      const all = await registry.get("integr8:Postback").list!();
      const pages = ctx.sb.journal.slice(before).map((r) => [r.method, r.path, r.query.page]);
      expect(pages).to.deep.equal([["GET", `${BASE}/postbacks`, { number: "1", size: "100" }], ["GET", `${BASE}/postbacks`, { number: "2", size: "100" }]]);
      expect(all.map((x) => x.id).sort()).to.deep.equal([...made].sort());
      const one = all.find((x) => x.id === made[7])!;
      const r = await postbackP.read(made[7], {});
      expect(one.state).to.deep.equal(r.props);
      expect((await postbackP.diff(made[7], one.state, await checked(postbackP, { ...CONVERSION, name: "pb 7" }))).changes).to.equal(false);
    });

    it("offer applications: ids in the import form <offerId>/<applicationId>, state equal to read", async () => {
      const a = await applicationP.create(await checked(applicationP, { offerId: INTEGR8_SANDBOX.publicOfferId }));
      const b = await applicationP.create(await checked(applicationP, { offerId: INTEGR8_SANDBOX.restrictedOfferId, agreeToTerms: true }));
      const all = await registry.get("integr8:OfferApplication").list!();
      expect(all.map((x) => x.id).sort()).to.deep.equal([a.id, b.id].sort());
      for (const x of all) {
        const r = await applicationP.read(x.id, {});
        expect(x.state).to.deep.equal(r.props);
      }
      expect(all.find((x) => x.id === b.id)!.state).to.include({ status: "pending", offerId: INTEGR8_SANDBOX.restrictedOfferId, organizationId: ORG });
    });
  });

  describe("sandbox", () => {
    it("isolates organizations: another organization's objects are 404, its paths 403", async () => {
      const mine = await postbackP.create(await checked(postbackP, CONVERSION));
      const other = otherClient();
      const otherOrg = INTEGR8_SANDBOX.other.organizationId;
      expect((await other.getPostback(otherOrg, mine.id).catch((x: any) => x) as any).status).to.equal(404);
      expect((await other.call("deletePostback", { organizationID: otherOrg, postbackID: mine.id }).catch((x: any) => x) as any).status).to.equal(404);
      expect(await other.collect("listPostbacks", { organizationID: otherOrg })).to.deep.equal([]);
      expect((await other.getPostback(ORG, mine.id).catch((x) => x)).status).to.equal(403);
      expect((await other.getOffer(otherOrg, INTEGR8_SANDBOX.restrictedOfferId).catch((x) => x)).status).to.equal(404);
      expect((await other.collect("listOffers", { organizationID: otherOrg })).map((o) => o.id)).to.deep.equal(["6610bb0000000000000000b1"]);
      expect(net().data.postbacks[mine.id]).to.not.equal(undefined);
    });

    it("validates required fields and enums with 400s naming the fields", async () => {
      const c = contextFor(integr8Network).client;
      const e: any = await c.call("createPostback", { organizationID: ORG }, { body: { json: { name: "x", organization: ORG, service_type: "sale", method: "FETCH" } } }).catch((x) => x);
      expect(e.status).to.equal(400);
      expect(e.fieldErrors.map((f: any) => f.field)).to.deep.equal(["integration", "url", "service_type", "method"]);
      expect(e.fieldErrors.find((f: any) => f.field === "service_type").message).to.contain("click, impression, conversion, event");
      const e2: any = await c.call("createPostback", { organizationID: ORG }, { body: { json: { ...{ name: "x", organization: ORG, service_type: "click", url: "https://a.example" }, integration: "nope" } } }).catch((x) => x);
      expect(e2.fieldErrors).to.deep.equal([{ field: "integration", message: "integration nope not found in this organization" }]);
    });

    it("answers 429 with Retry-After when a key goes too fast, and the client backs off", async function () {
      this.timeout(20_000);
      net().rateLimitPerSecond = 2;
      const c = contextFor(integr8Network).client;
      const started = Date.now();
      const names: string[] = [];
      for (let i = 0; i < 4; i++) names.push(String((await c.getOffer(ORG, INTEGR8_SANDBOX.publicOfferId)).name));
      expect(names).to.have.length(4);
      const limited = ctx.sb.requests("integr8").filter((r) => r.status === 429);
      expect(limited.length).to.be.greaterThan(0);
      expect(Date.now() - started).to.be.at.least(900);
    });

    it("registers both resource types with the host", () => {
      expect(registry.types()).to.include.members(["integr8:Postback", "integr8:OfferApplication"]);
      const host = require("pulumi-adnetworks/host");
      expect(host.get("integr8:Postback").check).to.be.a("function");
    });
  });
});
