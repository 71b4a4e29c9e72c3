import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fetch from "node-fetch";
import { startSandbox, Sandbox } from "../provider/sandbox/server";
import { SANDBOX_ACCOUNT } from "../provider/sandbox/networks";
import { sandboxAccountsConfig, sandboxConfig } from "../provider/sandbox/config";
import { applyStackConfig, resetStackConfig } from "../provider/core/config/config";
import { dependencySpec, importAccounts, listNetwork } from "../provider/import/importer";
import { make } from "./support/accounts";
import { applyRecovery, planRecovery } from "../provider/core/engine/pending";

/** Call-time settings: the network's default account and the sandbox's other accounts, as a stack's config gives them. */
function useSandbox(sb: Sandbox, network: string) {
  resetStackConfig();
  const all = { ...sandboxConfig(network, sb.urlFor(network)), ...sandboxAccountsConfig(network, sb.urlFor(network)) };
  const flat = Object.fromEntries(Object.entries(all).map(([k, v]) => [k, v.value]));
  applyStackConfig(flat, Object.keys(flat));
}

const json = async (res: import("node-fetch").Response) => ({ status: res.status, body: JSON.parse((await res.text()) || "null") });

describe("several accounts of a network in the sandbox", () => {
  let sb: Sandbox;
  let tmp: string;
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-accounts-"));
    sb = await startSandbox({ port: 0, persistPath: path.join(tmp, "state.json") });
  });
  after(async () => {
    resetStackConfig();
    await sb?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  beforeEach(() => sb.reset());

  it("serves each account's own data, at one address, told apart by credentials; ids of ExoClick never name objects of two accounts", async () => {
    useSandbox(sb, "exoclick");
    const a = Number(await make("exoclick:LibraryUrl", { url: "https://brand-a.example/" }));
    const b = Number(await make("exoclick:LibraryUrl", { url: "https://brand-b.example/", account: SANDBOX_ACCOUNT }));
    expect(a).to.not.equal(b);
    expect(sb.network<any>("exoclick").data.urls).to.have.keys(String(a));
    expect(sb.network<any>("exoclick", SANDBOX_ACCOUNT).data.urls).to.have.keys(String(b));
    expect(sb.inventory()[`exoclick@${SANDBOX_ACCOUNT}`].libraryUrls).to.deep.equal([{ id: b, url: "https://brand-b.example/" }]);
    // Each account's session token reads its own objects only; the other account's id is not found.
    const token = async (apiToken: string) => (await json(await fetch(`${sb.urlFor("exoclick")}/v2/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ api_token: apiToken }) }))).body.token;
    const tb = await token(JSON.parse(sandboxAccountsConfig("exoclick", sb.urlFor("exoclick"))["exoclick:accounts"].value)[SANDBOX_ACCOUNT].apiToken);
    const get = async (id: number, t: string) => (await fetch(`${sb.urlFor("exoclick")}/v2/library/url/${id}`, { headers: { authorization: `Bearer ${t}` } })).status;
    expect(await get(b, tb)).to.equal(200);
    expect(await get(a, tb)).to.equal(404);
    // The journal names the account that answered.
    const creates = sb.requests("exoclick", { writes: true }).filter((e) => e.path === "/v2/library/url");
    expect(creates.map((e) => e.account ?? "default")).to.deep.equal(["default", SANDBOX_ACCOUNT]);
    // An unknown token is refused by the default account, as before.
    expect(await get(a, "nope")).to.equal(401);
  });

  it("persists each account's data under its own key, and serves another account's library file at its URL", async () => {
    useSandbox(sb, "exoclick");
    const { png } = require("./support/png");
    const file = path.join(tmp, "b.png");
    fs.writeFileSync(file, png(300, 250, 9));
    const id = await make("exoclick:LibraryFile", { path: file, account: SANDBOX_ACCOUNT });
    const url = sb.network<any>("exoclick", SANDBOX_ACCOUNT).data.files[id].url_path;
    const res = await fetch(`${sb.urlFor("exoclick")}${url}`);
    expect(res.status).to.equal(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(fs.readFileSync(file))).to.equal(true);
    await sb.close();
    const saved = JSON.parse(fs.readFileSync(path.join(tmp, "state.json"), "utf8"));
    expect(Object.keys(saved.exoclick.files)).to.deep.equal([]);
    expect(Object.keys(saved[`exoclick@${SANDBOX_ACCOUNT}`].files)).to.deep.equal([id]);
    sb = await startSandbox({ port: 0, persistPath: path.join(tmp, "state.json") });
    expect(Object.keys(sb.network<any>("exoclick", SANDBOX_ACCOUNT).data.files)).to.deep.equal([id]);
  });

  it("a resource naming an account that no config names fails at check with 0 requests, naming how to configure it", async () => {
    useSandbox(sb, "topsort");
    const before = sb.journal.length;
    const { get } = require("../provider/registry");
    const c = await get("topsort:Campaign").check({}, { account: "brandC", vendorId: "v", name: "x" });
    expect(c.failures.map((f: any) => f.property)).to.include("account");
    expect(c.failures.find((f: any) => f.property === "account").reason).to.match(/account "brandC" is not configured.*topsort:accounts\.brandC/);
    expect(sb.journal.length).to.equal(before);
  });
});

describe("adnet-import lists what it leaves out, and reads one account", () => {
  let sb: Sandbox;
  let tmp: string;
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-import-acc-"));
    sb = await startSandbox({ port: 0 });
  });
  after(async () => {
    resetStackConfig();
    await sb?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  beforeEach(() => sb.reset());

  it("Affise: the postback of an affiliate no offer names is listed (the affiliate list); when that list is refused, the gap is reported, not left out silently", async () => {
    useSandbox(sb, "affise");
    const offer = await make("affise:Offer", { title: "Summer VPN", advertiser: "5e39279bac611cda7e5765ab", url: "https://track.example/c?c={clickid}", payments: [{ total: 1, revenue: 0.5, currency: "USD", type: "fixed" }], partnerPayments: [{ partners: [2], total: 3, revenue: 2, currency: "USD", type: "fixed" }] });
    await make("affise:Postback", { pid: 2, url: "https://partner.example/pb?c={clickid}", offerId: offer });
    await make("affise:Postback", { pid: 7, url: "https://other.example/global?c={clickid}" }); // affiliate 7: no offer names it
    const all = await listNetwork("affise");
    expect(all.objects.filter((o) => o.type === "Postback").map((o) => o.id.split("/")[0])).to.deep.equal(["2", "7"]);
    expect(all.unsupported).to.deep.equal([]);

    sb.network<any>("affise").partnersAllowed = false;
    const partial = await listNetwork("affise");
    expect(partial.objects.filter((o) => o.type === "Postback").map((o) => o.id.split("/")[0])).to.deep.equal(["2"]);
    expect(partial.unsupported).to.have.length(1);
    expect(partial.unsupported[0].type).to.equal("affise:Postback");
    expect(partial.unsupported[0].reason).to.match(/postbacks of affiliates that no offer names were not listed.*403.*only the postbacks of affiliates 2 were read/);
    // The summary says it too.
    const summary = await importAccounts({ networks: ["affise"], out: path.join(tmp, "affise"), filters: [] });
    expect(summary.unsupported.map((u) => u.type)).to.deep.equal(["affise:Postback"]);
  });

  it("--account: reads only that account, writes its objects with `account` and import ids \"<account>:<id>\" in <network>-<account>.ts; references stay in the account", async () => {
    useSandbox(sb, "exoclick");
    await make("exoclick:LibraryUrl", { url: "https://brand-a.example/" });
    const bUrl = await make("exoclick:LibraryUrl", { url: "https://brand-b.example/", account: SANDBOX_ACCOUNT });
    const bCampaign = await make("exoclick:Campaign", { name: "Brand B banner", account: SANDBOX_ACCOUNT, advertiserAdType: 0, mediaStorageTemplate: "img_banner", size: "300x250", pricing: { model: 4, price: 1.5 }, startDate: "2027-01-01" });
    const out = path.join(tmp, "exo");
    const summary = await importAccounts({ networks: ["exoclick"], out, filters: [], account: SANDBOX_ACCOUNT });
    expect(summary.account).to.equal(SANDBOX_ACCOUNT);
    const code = fs.readFileSync(path.join(out, `exoclick-${SANDBOX_ACCOUNT}.ts`), "utf8");
    expect(fs.existsSync(path.join(out, "exoclick.ts"))).to.equal(false);
    expect(code).to.contain(`url: "https://brand-b.example/"`);
    expect(code).not.to.contain("brand-a.example");
    expect(code).to.contain(`{ import: "${SANDBOX_ACCOUNT}:${bUrl}" }`);
    expect(code).to.contain(`account: "${SANDBOX_ACCOUNT}",`);
    expect(code).to.contain(`{ import: "${SANDBOX_ACCOUNT}:${bCampaign}" }`);
    const index = fs.readFileSync(path.join(out, "index.ts"), "utf8");
    expect(index).to.contain(`import "./exoclick-${SANDBOX_ACCOUNT}";`);
    expect(index).not.to.contain(`import "./exoclick";`);
  });

  it("adnet-recover looks a lost create up in the resource's own account: brandB's object is adopted, a namesake in the default account never", async () => {
    useSandbox(sb, "exoclick");
    const a = await make("exoclick:LibraryUrl", { url: "https://shared.example/" });
    const b = await make("exoclick:LibraryUrl", { url: "https://shared.example/", account: SANDBOX_ACCOUNT });
    const onlyB = await make("exoclick:LibraryUrl", { url: "https://only-b.example/", account: SANDBOX_ACCOUNT });
    const provider = `exports.handler=()=>require("pulumi-adnetworks/host").provider("exoclick:LibraryUrl")`;
    const pending = (name: string, inputs: Record<string, unknown>) => ({
      type: "creating",
      resource: { urn: `urn:pulumi:dev::p::pulumi-nodejs:dynamic/exoclick:LibraryUrl::${name}`, type: "pulumi-nodejs:dynamic/exoclick:LibraryUrl", inputs: { ...inputs, __provider: provider } },
    });
    const deployment = {
      resources: [],
      pending_operations: [
        pending("in-b", { url: "https://shared.example/", account: SANDBOX_ACCOUNT }),
        pending("in-default", { url: "https://shared.example/" }),
        pending("default-not-made", { url: "https://only-b.example/" }),
      ],
    };
    const registry = require("../provider/registry");
    const plan = await planRecovery(deployment, registry);
    const adopted = Object.fromEntries(plan.adopt.map((x) => [x.urn.split("::").pop(), x.id]));
    expect(adopted).to.deep.equal({ "in-b": b, "in-default": a });
    expect(plan.drop.map((u) => u.split("::").pop())).to.deep.equal(["default-not-made"]);
    expect(Object.values(adopted)).not.to.include(onlyB);
    // The repaired state reads each adopted object from its own account.
    const repaired = await applyRecovery(deployment, plan, registry);
    const byName = Object.fromEntries((repaired.resources ?? []).map((r: any) => [r.urn.split("::").pop(), r]));
    expect(byName["in-b"].outputs.account).to.equal(SANDBOX_ACCOUNT);
    expect(byName["in-b"].id).to.equal(b);
    expect(byName["in-default"].id).to.equal(a);
  });
});

describe("the generated project's dependency on this package resolves", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-dep-"));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const installedIn = (project: string, spec: Record<string, string> | undefined) => {
    const root = path.join(project, "node_modules", "pulumi-adnetworks");
    fs.mkdirSync(root, { recursive: true });
    fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "infra", ...(spec ? { dependencies: spec } : {}) }));
    return root;
  };

  it("takes the importing project's spec: a registry range as it is, a file: path or tarball relative to the output directory", () => {
    const p = path.join(tmp, "p1");
    expect(dependencySpec(path.join(p, "acct"), installedIn(p, { "pulumi-adnetworks": "^0.3.1" }))).to.equal("^0.3.1");
    const p2 = path.join(tmp, "p2");
    expect(dependencySpec(path.join(p2, "imported", "acct"), installedIn(p2, { "pulumi-adnetworks": "file:vendor/pulumi-adnetworks-0.1.0.tgz" }))).to.equal("file:../../vendor/pulumi-adnetworks-0.1.0.tgz");
    const p3 = path.join(tmp, "p3");
    expect(dependencySpec(path.join(tmp, "elsewhere"), installedIn(p3, { "pulumi-adnetworks": "file:../checkout" }))).to.equal("file:../checkout");
  });

  it("without a declaring project (a clone of the repository), the package's own directory", () => {
    const root = path.join(tmp, "clone");
    fs.mkdirSync(root, { recursive: true });
    expect(dependencySpec(path.join(tmp, "out"), root)).to.equal("file:../clone");
    expect(dependencySpec(path.join(root, "out"), root)).to.equal("file:..");
  });
});
