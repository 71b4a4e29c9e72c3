import { expect } from "chai";
import { spawn, ChildProcess } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fetch from "node-fetch";
import { startSandbox, Sandbox } from "../provider/sandbox/server";
import { EXOCLICK_SANDBOX_CREDENTIALS } from "../provider/sandbox/exoclick";
import { AFFISE_SANDBOX_CREDENTIALS } from "../provider/sandbox/affise";
import { INTEGR8_SANDBOX } from "../provider/sandbox/integr8";
import { TOPSORT_SANDBOX_CREDENTIALS } from "../provider/sandbox/topsort";
import { INTERCHANGE_SANDBOX_CREDENTIALS } from "../provider/sandbox/interchange";
import { InterchangeClient } from "../provider/interchange/client";
import { ROOT } from "./support/engine";

/** Issue #11: the sandbox must serve real clients unchanged. */
describe("sandbox fidelity (issue #11)", () => {
  let sb: Sandbox;
  before(async () => {
    sb = await startSandbox({ port: 0 });
  });
  beforeEach(() => sb.reset());
  after(async () => sb.close());

  const exoLogin = async (): Promise<string> => {
    const res = await fetch(`${sb.urlFor("exoclick")}/v2/login`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ api_token: EXOCLICK_SANDBOX_CREDENTIALS.apiToken }),
    });
    return (await res.json()).token;
  };

  describe("ExoClick: a JSON body whatever the declared content type", () => {
    it("logs in without a Content-Type header (as adam-szerdahelyi/go-exoclick does)", async () => {
      // A Buffer body: node-fetch sends no Content-Type, like Go's http.NewRequest.
      const res = await fetch(`${sb.urlFor("exoclick")}/v2/login`, { method: "POST", body: Buffer.from(JSON.stringify({ api_token: EXOCLICK_SANDBOX_CREDENTIALS.apiToken })) });
      expect(sb.journal.at(-1)!.contentType).to.equal("");
      expect(res.status).to.equal(200);
      expect((await res.json()).token).to.be.a("string");
    });

    it("creates an object from a JSON body sent with no type; a declared text/plain is 415, as ExoClick documents (issue #25)", async () => {
      const token = await exoLogin();
      const post = (headers: Record<string, string>) => fetch(`${sb.urlFor("exoclick")}/v2/library/url`, {
        method: "POST", headers: { ...headers, Authorization: `Bearer ${token}` }, body: Buffer.from(JSON.stringify({ url: "https://typeless.example" })),
      });
      expect((await post({})).status).to.equal(200);
      expect((await post({ "Content-Type": "text/plain" })).status).to.equal(415);
      expect(sb.inventory().exoclick.libraryUrls).to.have.length(1);
    });

    it("Topsort, Interchange and Integr8 read a JSON body sent without a Content-Type too", async () => {
      const topsort = await fetch(`${sb.urlFor("topsort")}/public/v1/campaign-service/campaigns?vendor_id=v1`, {
        method: "POST", headers: { Authorization: `Bearer ${TOPSORT_SANDBOX_CREDENTIALS.apiKey}` },
        body: Buffer.from(JSON.stringify({
          name: "Typeless", adFormat: "listing", campaignType: "manual", budget: { amount: 1000, type: "daily" },
          startDate: "2026-01-01T00:00:00Z", endDate: "2026-12-31T00:00:00Z", bids: [{ amount: 10, target: { id: "p1", type: "product" } }],
        })),
      });
      expect(topsort.status).to.equal(201);
      const interchange = await fetch(`${sb.urlFor("interchange")}/api/v2/buyer/campaigns`, {
        method: "POST", headers: { Authorization: `Bearer ${INTERCHANGE_SANDBOX_CREDENTIALS.apiKey}` },
        body: Buffer.from(JSON.stringify({ advertiserId: 1, name: "Typeless", flightDates: { startDate: "2026-01-15T00:00:00Z", endDate: "2026-03-31T23:59:59Z" }, budget: { total: 100, currency: "USD" }, campaignType: "DECISIONED" })),
      });
      expect(interchange.status).to.equal(201);
      const integr8 = await fetch(`${sb.urlFor("integr8")}/api/v2/publisher-view/${INTEGR8_SANDBOX.organizationId}/postbacks`, {
        method: "POST", headers: { "API-KEY": INTEGR8_SANDBOX.apiKey },
        body: Buffer.from(JSON.stringify({ name: "Typeless", organization: INTEGR8_SANDBOX.organizationId, integration: INTEGR8_SANDBOX.integrationId, service_type: "conversion", url: "https://t.example/pb" })),
      });
      expect(integr8.status).to.equal(201);
    });

    it("still refuses a body that is not JSON, in ExoClick's shape", async () => {
      const token = await exoLogin();
      const res = await fetch(`${sb.urlFor("exoclick")}/v2/library/url`, { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: Buffer.from("url=https://x.example") });
      expect(res.status).to.equal(415);
      expect(Object.keys(await res.json())).to.deep.equal(["message"]);
    });
  });

  describe("Affise: GET /3.0/offers filters", () => {
    const H = { "API-Key": AFFISE_SANDBOX_CREDENTIALS.apiKey, "Content-Type": "application/x-www-form-urlencoded" };
    const ADV = "5a0b1c2d3e4f5a6b7c8d9e0f";
    const create = async (title: string, status = "active") => {
      const form = new URLSearchParams({ title, advertiser: ADV, url: "https://t.example/?c={clickid}", status, "payments[0][currency]": "USD", "payments[0][type]": "fixed", "payments[0][revenue]": "2", "payments[0][total]": "1" });
      const res = await fetch(`${sb.urlFor("affise")}/3.0/admin/offer`, { method: "POST", headers: H, body: form.toString() });
      const body = await res.json();
      expect(body.status, JSON.stringify(body)).to.equal(1);
      return body.offer;
    };
    const list = async (query: string) => {
      const res = await fetch(`${sb.urlFor("affise")}/3.0/offers?${query}`, { headers: H });
      return { status: res.status, body: await res.json() };
    };

    it("ids[] and ids filter on the offers' offer_id", async () => {
      const a = await create("Alpha");
      const b = await create("Beta");
      await create("Gamma");
      for (const q of [`ids[]=${a.offer_id}&ids[]=${b.offer_id}`, `ids=${a.offer_id},${b.offer_id}`]) {
        const { status, body } = await list(q);
        expect(status, q).to.equal(200);
        expect(body.offers.map((o: any) => o.title), q).to.deep.equal(["Alpha", "Beta"]);
      }
      const one = await list(`ids=${a.offer_id}`);
      expect(one.body.offers.map((o: any) => o.id)).to.deep.equal([a.id]);
    });

    it("int_id[], q, status[], advertiser[] and updated_at narrow the list", async () => {
      const a = await create("Alpha one");
      await create("Beta", "stopped");
      expect((await list(`int_id[]=${a.id}`)).body.offers.map((o: any) => o.id)).to.deep.equal([a.id]);
      expect((await list("q=alpha")).body.offers.map((o: any) => o.title)).to.deep.equal(["Alpha one"]);
      expect((await list("status[]=stopped")).body.offers.map((o: any) => o.title)).to.deep.equal(["Beta"]);
      expect((await list(`advertiser[]=${"f".repeat(24)}`)).body.offers).to.deep.equal([]);
      expect((await list("updated_at=2999-01-01")).body.offers).to.deep.equal([]);
      expect((await list(`updated_at=${new Date().toISOString().slice(0, 10)}`)).body.offers.map((o: any) => o.title)).to.deep.equal(["Alpha one"]);
    });

    it("answers an unknown filter with Affise's status-2 error instead of ignoring it", async () => {
      await create("Alpha");
      const { status, body } = await list("colour=red");
      expect(status).to.equal(400);
      expect(body).to.deep.equal({ status: 2, error: body.error });
      expect(body.error).to.match(/colour/);
      const bad = await list("updated_at=yesterday");
      expect(bad.status).to.equal(400);
      expect(bad.body.status).to.equal(2);
    });
  });

  describe("Affise: GET /3.0/admin/postbacks filters", () => {
    const H = { "API-Key": AFFISE_SANDBOX_CREDENTIALS.apiKey, "Content-Type": "application/x-www-form-urlencoded" };
    it("applies the after_id cursor and refuses an unknown filter", async () => {
      const ids: number[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${sb.urlFor("affise")}/3.0/partner/postback`, { method: "POST", headers: H, body: new URLSearchParams({ pid: "7", url: `https://pb.example/${i}` }).toString() });
        ids.push((await res.json()).postback.id);
      }
      const after = await fetch(`${sb.urlFor("affise")}/3.0/admin/postbacks?partner_id=7&after_id=${ids[0]}`, { headers: H });
      expect((await after.json()).postbacks.map((p: any) => p.id)).to.deep.equal(ids.slice(1));
      const unknown = await fetch(`${sb.urlFor("affise")}/3.0/admin/postbacks?partner_id=7&colour=red`, { headers: H });
      expect(unknown.status).to.equal(400);
      expect(await unknown.json()).to.deep.equal({ status: 2, error: "Unknown filter: colour" });
    });
  });

  describe("unknown routes answer in each network's own error shape", () => {
    it("ExoClick: {message}, 404 and 405", async () => {
      const token = await exoLogin();
      const a = await fetch(`${sb.urlFor("exoclick")}/v2/nothing-here`, { headers: { Authorization: `Bearer ${token}` } });
      expect(a.status).to.equal(404);
      expect(Object.keys(await a.json())).to.deep.equal(["message"]);
      const b = await fetch(`${sb.urlFor("exoclick")}/v2/login`, { method: "DELETE" });
      expect(b.status).to.equal(405);
      expect(Object.keys(await b.json())).to.deep.equal(["message"]);
    });

    it("Affise: the status-2 envelope", async () => {
      const res = await fetch(`${sb.urlFor("affise")}/3.0/nothing-here`, { headers: { "API-Key": AFFISE_SANDBOX_CREDENTIALS.apiKey } });
      expect(res.status).to.equal(404);
      const body = await res.json();
      expect(body.status).to.equal(2);
      expect(body.error).to.be.a("string");
      const m = await fetch(`${sb.urlFor("affise")}/3.0/offers`, { method: "DELETE", headers: { "API-Key": AFFISE_SANDBOX_CREDENTIALS.apiKey } });
      expect(m.status).to.equal(405);
      expect((await m.json()).status).to.equal(2);
    });

    it("Integr8: {error}", async () => {
      const res = await fetch(`${sb.urlFor("integr8")}/api/v2/publisher-view/${INTEGR8_SANDBOX.organizationId}/nothing-here`, { headers: { "API-KEY": INTEGR8_SANDBOX.apiKey } });
      expect(res.status).to.equal(404);
      const body = await res.json();
      expect(Object.keys(body)).to.deep.equal(["error"]);
      const m = await fetch(`${sb.urlFor("integr8")}/api/v2/publisher-view/${INTEGR8_SANDBOX.organizationId}/offers`, { method: "PUT", headers: { "API-KEY": INTEGR8_SANDBOX.apiKey } });
      expect(m.status).to.equal(405);
      expect(Object.keys(await m.json())).to.deep.equal(["error"]);
    });

    it("Topsort: an array of {errCode, docUrl, message}", async () => {
      const H = { Authorization: `Bearer ${TOPSORT_SANDBOX_CREDENTIALS.apiKey}` };
      const res = await fetch(`${sb.urlFor("topsort")}/public/v1/campaign-service/nothing-here`, { headers: H });
      expect(res.status).to.equal(404);
      const body = await res.json();
      expect(body).to.be.an("array").with.length(1);
      expect(body[0]).to.include({ errCode: "not_found" });
      expect(body[0].docUrl).to.be.a("string");
      const m = await fetch(`${sb.urlFor("topsort")}/public/v1/campaign-service/campaigns`, { method: "PUT", headers: H });
      expect(m.status).to.equal(405);
      expect((await m.json())[0].errCode).to.be.a("string");
    });

    it("Interchange: {data: null, error: {code, message}}", async () => {
      const H = { Authorization: `Bearer ${INTERCHANGE_SANDBOX_CREDENTIALS.apiKey}` };
      const res = await fetch(`${sb.urlFor("interchange")}/api/v2/buyer/nothing-here`, { headers: H });
      expect(res.status).to.equal(404);
      const body = await res.json();
      expect(body.data).to.equal(null);
      expect(body.error.code).to.equal("NOT_FOUND");
      const m = await fetch(`${sb.urlFor("interchange")}/api/v2/buyer/campaigns`, { method: "PATCH", headers: H });
      expect(m.status).to.equal(405);
      expect((await m.json()).error.code).to.equal("METHOD_NOT_ALLOWED");
    });
  });

  describe("Interchange: execute takes a JSON body; create takes an optional mode", () => {
    const H = { Authorization: `Bearer ${INTERCHANGE_SANDBOX_CREDENTIALS.apiKey}`, "Content-Type": "application/json" };
    const BODY = { advertiserId: 12345, name: "Mode test", flightDates: { startDate: "2026-01-15T00:00:00Z", endDate: "2026-03-31T23:59:59Z" }, budget: { total: 100, currency: "USD" }, campaignType: "DECISIONED" };
    const create = (extra: object = {}) => fetch(`${sb.urlFor("interchange")}/api/v2/buyer/campaigns`, { method: "POST", headers: H, body: JSON.stringify({ ...BODY, ...extra }) });

    it("refuses execute without a JSON body, accepts {}", async () => {
      const id = (await (await create()).json()).campaign.campaignId;
      const none = await fetch(`${sb.urlFor("interchange")}/api/v2/buyer/campaigns/${id}/execute`, { method: "POST", headers: { Authorization: H.Authorization } });
      expect(none.status).to.equal(400);
      expect((await none.json()).error.code).to.be.a("string");
      expect(sb.inventory().interchange.campaigns[0]).to.include({ status: "DRAFT" });
      const ok = await fetch(`${sb.urlFor("interchange")}/api/v2/buyer/campaigns/${id}/execute`, { method: "POST", headers: H, body: "{}" });
      expect(ok.status).to.equal(200);
      expect((await ok.json()).newStatus).to.equal("ACTIVE");
    });

    it("the provider's client sends {} with execute and no body with pause, as the contract declares (issue #25)", async () => {
      const id = (await (await create()).json()).campaign.campaignId;
      const client = new InterchangeClient({ baseUrl: `${sb.urlFor("interchange")}/api/v2/buyer`, apiKey: INTERCHANGE_SANDBOX_CREDENTIALS.apiKey });
      await client.action(id, "execute");
      await client.action(id, "pause");
      const actions = sb.requests("interchange", { writes: true }).filter((e) => /\/(execute|pause)$/.test(e.path));
      expect(actions.map((e) => [e.status, e.contentType, e.body])).to.deep.equal([[200, "application/json", {}], [200, "", {}]]);
    });

    it("accepts mode discovery or performance on create and refuses others", async () => {
      expect((await create({ mode: "discovery" })).status).to.equal(201);
      expect((await create({ mode: "performance" })).status).to.equal(201);
      const bad = await create({ mode: "directed" });
      expect(bad.status).to.equal(400);
      expect((await bad.json()).error.field).to.equal("mode");
    });
  });
});

describe("sandbox persistence (issue #11)", () => {
  function startChild(data: string): Promise<{ child: ChildProcess; url: string }> {
    const child = spawn(process.execPath, [path.join(ROOT, "dist/provider/sandbox/cli.js"), "--port", "0", "--data", data], { stdio: ["ignore", "pipe", "pipe"] });
    return new Promise((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (d) => {
        out += d;
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve({ child, url: m[1] });
      });
      child.on("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
  }
  const killed = (child: ChildProcess) => new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });

  it("an acknowledged write survives SIGKILL right after the response, and its id is not reused", async function () {
    this.timeout(30_000);
    const data = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "adnet-sb-")), "state.json");
    const exo = (url: string) => `${url}/exoclick/v2`;
    const H = { "Content-Type": "application/json" };
    let { child, url } = await startChild(data);
    const ids: number[] = [];
    try {
      for (let round = 0; round < 3; round++) {
        const token = (await (await fetch(`${exo(url)}/login`, { method: "POST", headers: H, body: JSON.stringify({ api_token: EXOCLICK_SANDBOX_CREDENTIALS.apiToken }) })).json()).token;
        // Several writes in flight at once, then kill the process the moment the last answer arrives.
        const made = await Promise.all([1, 2, 3, 4].map(async (i) => {
          const res = await fetch(`${exo(url)}/library/url`, { method: "POST", headers: { ...H, Authorization: `Bearer ${token}` }, body: JSON.stringify({ url: `https://r${round}-${i}.example` }) });
          expect(res.status).to.equal(200);
          return (await res.json()).id as number;
        }));
        child.kill("SIGKILL");
        await killed(child);
        ids.push(...made);
        // What a write cut short by the kill would leave: cleared at start, never read.
        fs.writeFileSync(path.join(path.dirname(data), `.state.json.${90000 + round}.tmp`), "{\"torn");
        ({ child, url } = await startChild(data));
        const inv = await (await fetch(`${url}/__admin/inventory`)).json();
        expect(inv.exoclick.libraryUrls.map((u: any) => u.id).sort()).to.deep.equal([...ids].sort());
      }
      expect(new Set(ids).size).to.equal(ids.length);
      // No temporary file is left behind, and stale ones are cleared.
      expect(fs.readdirSync(path.dirname(data))).to.deep.equal(["state.json"]);
    } finally {
      // Gone before its folder is removed (a live sandbox would write its data file again).
      if (child.exitCode === null && child.signalCode === null) await killed(child);
      fs.rmSync(path.dirname(data), { recursive: true, force: true });
    }
  });
});
