import { expect } from "chai";
import { execFileSync } from "child_process";
import { exoclick } from "pulumi-adnetworks";
import * as os from "os";
import { e2e, E2E, changes, ROOT } from "./support/engine";
import { providerReference } from "../provider/core/engine/reference";
import { PULUMI_BIN, sdkVersion } from "../scripts/lib/engine";
import { EXOCLICK_SANDBOX_CREDENTIALS, ExoClickSandbox } from "../provider/sandbox/exoclick";
import { exoclickBanner } from "../examples/exoclick-banner/program";

const TOKEN = EXOCLICK_SANDBOX_CREDENTIALS.apiToken;

describe("@e2e real Pulumi engine: ExoClick banner stack", function () {
  this.timeout(180_000);
  let t: E2E;
  const exo = () => t.sb.network<ExoClickSandbox>("exoclick");
  const live = () => exo().inventory();

  before(async () => {
    t = await e2e({
      program: async () => exoclickBanner(),
      workDir: "examples/exoclick-banner",
      config: (sb) => ({
        "exoclick:baseUrl": { value: `${sb.urlFor("exoclick")}/v2` },
        "exoclick:apiToken": { value: TOKEN, secret: true },
      }),
    });
  });
  after(async () => t?.close());

  it("the CLI is the same version as the installed @pulumi/pulumi", () => {
    const v = execFileSync(PULUMI_BIN, ["version"], { encoding: "utf8" }).trim();
    expect(v).to.equal(`v${sdkVersion()}`);
  });

  it("1. up creates exactly the four objects, in dependency order, with one login", async () => {
    const up = await t.up();
    expect(up.summary.result).to.equal("succeeded");
    const inv = live();
    expect([inv.libraryUrls.length, inv.libraryFiles.length, inv.campaigns.length, inv.variations.length]).to.deep.equal([1, 1, 1, 1]);
    const creates = t.sb.requests("exoclick", { writes: true }).filter((r) => r.method === "POST" && r.path !== "/v2/login").map((r) => r.path);
    expect(creates).to.have.length(4);
    expect(creates[3]).to.match(/^\/v2\/campaigns\/\d+\/variation$/);
    expect(exo().logins).to.equal(1);
    expect(up.outputs.variationId.value).to.equal(`${inv.campaigns[0].id}/${(inv.variations[0] as any).idvariation}`);
  });

  it("2. preview right after up shows no changes", async () => {
    const pv = await t.preview();
    expect(changes(pv)).to.deep.equal({});
    expect(pv.changeSummary.same).to.equal(5);
  });

  it("2b. state holds the provider reference, no closure, no path of this machine, one stack frame", async () => {
    for (const r of await t.resources()) {
      const key = r.type.replace(/^pulumi-nodejs:dynamic\//, "");
      expect(r.inputs.__provider).to.equal(providerReference(key));
      expect(r.outputs.__provider).to.equal(providerReference(key));
      expect(Buffer.byteLength(r.outputs.__provider)).to.be.at.most(128);
      const props = JSON.stringify([r.inputs, r.outputs]);
      for (const s of [ROOT, os.homedir(), os.tmpdir(), TOKEN, "__f0", "function"]) expect(props, `${key} holds ${s}`).not.to.contain(s);
      // Only the user's call site is kept (core/engine/reference.ts): the program, not this package.
      expect(r.stackTrace ?? []).to.have.length.at.most(1);
      expect(r.sourcePosition).to.match(/exoclick-banner\/program\.(js|ts)#\d+/);
    }
  });

  it("3. a budget change updates in place: same id, one update, no replace", async () => {
    const before = (live().campaigns[0] as any).id;
    t.setProgram(async () => exoclickBanner({ maxDailyBudget: 15 }));
    const up = await t.up();
    expect(up.summary.resourceChanges).to.deep.include({ update: 1 });
    expect(up.summary.resourceChanges).not.to.have.property("replace");
    expect(live().campaigns).to.have.length(1);
    expect((live().campaigns[0] as any).id).to.equal(before);
    expect((live().campaigns[0] as any).max_daily_budget).to.equal(1500);
  });

  it("4. a new image replaces the library file (and the variation that links it)", async () => {
    const oldFile = (live().libraryFiles[0] as any).id;
    t.setProgram(async () => exoclickBanner({ maxDailyBudget: 15, image: "banner-300x250-v2.png" }));
    const up = await t.up();
    expect(up.summary.resourceChanges?.replace).to.equal(2);
    expect(live().libraryFiles).to.have.length(1);
    expect((live().libraryFiles[0] as any).id).not.to.equal(oldFile);
    expect(exo().data.files[oldFile], "old image gone").to.equal(undefined);
    expect(live().variations).to.have.length(1);
    expect(changes(await t.preview())).to.deep.equal({});
  });

  it("5a. an out-of-band edit shows up in refresh, and the next up puts it back", async () => {
    const c = live().campaigns[0] as any;
    exo().data.campaigns[c.id].max_daily_budget = 777; // edited in the dashboard
    const rf = await t.refresh();
    expect(rf.summary.resourceChanges).to.deep.include({ update: 1 });
    const state = (await t.resources("Campaign"))[0];
    expect(state.outputs.maxDailyBudget).to.equal(7.77); // 777 cents
    expect(changes(await t.preview())).to.deep.equal({ update: 1 });
    await t.up();
    expect(exo().data.campaigns[c.id].max_daily_budget).to.equal(1500);
  });

  it("5b. an object deleted out of band leaves state on refresh and comes back on the next up", async () => {
    const url = live().libraryUrls[0] as any;
    const v = live().variations[0] as any;
    delete exo().data.variations[v.idvariation];
    const rf = await t.refresh();
    expect(rf.summary.resourceChanges).to.deep.include({ delete: 1 });
    expect(await t.resources("Variation")).to.have.length(0);
    const up = await t.up();
    expect(up.summary.resourceChanges).to.deep.include({ create: 1 });
    expect(live().variations).to.have.length(1);
    expect(live().libraryUrls.map((u: any) => u.id)).to.deep.equal([url.id]);
  });

  it("6. adopting an existing object with the import option shows no diff", async () => {
    const existing = (await fetchJson(`${t.sb.urlFor("exoclick")}/v2/library/url`, "POST", { url: "https://adopt.example/landing" })) as any;
    t.setProgram(async () => {
      const out = exoclickBanner({ maxDailyBudget: 15, image: "banner-300x250-v2.png" });
      const adopted = new exoclick.LibraryUrl("adopted-landing", { url: "https://adopt.example/landing" }, { import: String(existing.id) });
      return { ...out, adoptedId: adopted.id };
    });
    const pv = await t.preview();
    expect(changes(pv)).to.deep.equal({ import: 1 });
    const up = await t.up();
    expect(up.summary.resourceChanges).to.deep.include({ import: 1 });
    expect(up.outputs.adoptedId.value).to.equal(String(existing.id));
    expect(changes(await t.preview())).to.deep.equal({});
    expect(live().libraryUrls).to.have.length(2);
  });

  it("7. state and outputs hold no credential in clear text; the secret config works", async () => {
    const state = JSON.stringify(await t.state());
    expect(state).not.to.contain(TOKEN);
    expect(state).not.to.contain(EXOCLICK_SANDBOX_CREDENTIALS.password);
    const outputs = JSON.stringify(await t.e.stack.outputs());
    expect(outputs).not.to.contain(TOKEN);
    const cfg = await t.e.stack.getConfig("exoclick:apiToken");
    expect(cfg.secret).to.equal(true);
    const journal = JSON.stringify(t.sb.journal);
    expect(journal).not.to.contain(TOKEN);
    // The token was actually used: every login succeeded with it.
    expect(t.sb.requests("exoclick").filter((r) => r.path === "/v2/login").every((r) => r.status === 200)).to.equal(true);
  });

  it("a wait on the network's rate limit shows as progress in pulumi up, on the resource", async () => {
    // The next campaign update is rate limited (by count: no time window to miss on a slow machine).
    t.sb.faults.next({ kind: "429", count: 1, retryAfterSeconds: 3, routes: ["PUT /v2/campaigns/:id"] });
    const from = t.sb.journal.length;
    t.setProgram(async () => exoclickBanner({ maxDailyBudget: 14, image: "banner-300x250-v2.png" }));
    const up = await t.e.stack.up({ onOutput: () => undefined });
    expect(up.stdout).to.match(/demo-campaign[^\n]*\n?[^\n]*ExoClick: rate limited on PUT \/campaigns\/\d+; waiting 3 s before retrying/);
    expect((live().campaigns[0] as any).max_daily_budget).to.equal(1400);
    const puts = t.sb.journal.slice(from).filter((r) => r.method === "PUT" && /^\/v2\/campaigns\/\d+$/.test(r.path));
    expect(puts.map((r) => r.status)).to.deep.equal([429, 200]);
  });

  it("8. destroy leaves the sandbox empty", async () => {
    const d = await t.destroy();
    expect(d.summary.result).to.equal("succeeded");
    const inv = live();
    expect([inv.libraryUrls.length, inv.libraryFiles.length, inv.campaigns.length, inv.variations.length]).to.deep.equal([0, 0, 0, 0]);
  });
});

async function fetchJson(url: string, method: string, body: unknown): Promise<unknown> {
  const fetch = require("node-fetch");
  const login = await (await fetch(url.replace(/\/library\/url$/, "/login"), { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ api_token: TOKEN }) })).json();
  const res = await fetch(url, { method, headers: { "Content-Type": "application/json", Authorization: `Bearer ${login.token}` }, body: JSON.stringify(body) });
  return res.json();
}

describe("@e2e real Pulumi engine: ExoClick bad programs fail at preview, before any request", function () {
  this.timeout(180_000);
  const SECRET = "exo-plain-input-secret-5d1e";
  let t: E2E;

  before(async () => {
    t = await e2e({
      program: async () => {
        new exoclick.Campaign("bad-campaign", {
          name: "Bad pricing",
          size: "300x250",
          pricing: { model: 4, price: 0 },
          countries: { type: "targeted", elements: [{ country: "USA" }, { country: "usa" }] },
          // A credential given as a resource input (the typed Args do not allow it).
          ...({ apiToken: SECRET } as any),
        });
        return {};
      },
      config: (sb) => ({
        "exoclick:baseUrl": { value: `${sb.urlFor("exoclick")}/v2` },
        "exoclick:apiToken": { value: TOKEN, secret: true },
      }),
    });
  });
  after(async () => t?.close());

  it("names nested fields without `value {<nil>}` and never prints a credential given as an input", async () => {
    let out = "";
    const err = await t.e.stack.preview({ onOutput: (s) => (out += s) }).then(() => undefined, (e: Error) => e);
    expect(err, "preview must fail").to.be.instanceOf(Error);
    const text = `${out}\n${err!.message}`;
    expect(text).to.contain("pricing.price must be > 0 and <= 1000000 (major units of the currency), got 0");
    expect(text).to.contain("countries.elements[1] repeats countries.elements[0]");
    expect(text).to.match(/apiToken is not an input of exoclick\.Campaign: credentials are never resource inputs/);
    expect(text).not.to.contain("value {<nil>}");
    expect(text).not.to.contain(SECRET);
    expect(t.sb.journal, "no request reaches the network").to.have.length(0);
  });
});
