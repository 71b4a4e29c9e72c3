import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT, TOOLS, assertEngineInstalled } from "../scripts/lib/engine";
import { PulumiCli } from "./support/cli";
import { pluginConfig } from "./support/plugin";
import { startSandbox, Sandbox } from "../provider/sandbox/server";
import type { ExoClickSandbox } from "../provider/sandbox/exoclick";
import { NETWORKS } from "../provider/networks";
import { oneOfEveryType, withExampleImage } from "./support/every-type";

/** The examples' programs, importing the plugin's SDK instead of the dynamic classes (nothing else changed). */
function onPlugin(file: string): string {
  const text = fs.readFileSync(path.join(ROOT, "examples", file), "utf8");
  const out = text.replace(/from "pulumi-adnetworks";/g, 'from "pulumi-adnetworks/plugin";');
  if (out === text) throw new Error(`${file} does not import pulumi-adnetworks`);
  return out;
}

const INDEX = `import * as pulumi from "@pulumi/pulumi";
import * as adnetworks from "pulumi-adnetworks/plugin";
import { affise, exoclick, integr8, interchange, topsort } from "pulumi-adnetworks/plugin";
import { exoclickBanner } from "./exoclick";
import { affiseOffer } from "./affise";
import { interchangeCampaign } from "./interchange";

const cfg = new pulumi.Config("test");
export const banner = exoclickBanner({ maxDailyBudget: cfg.getNumber("budget") ?? 20 });
export const offer = affiseOffer();
export const retail = interchangeCampaign();

// Another account through an explicit provider: its objects go there, with the same names.
const b = cfg.requireSecretObject<Record<string, Record<string, string>>>("brandB");
const brandB = new adnetworks.Provider("brandB", {
  exoclick: { apiToken: b.apply((x) => x.exoclick.apiToken), baseUrl: b.apply((x) => x.exoclick.baseUrl) },
  interchange: { apiKey: b.apply((x) => x.interchange.apiKey), baseUrl: b.apply((x) => x.interchange.baseUrl) },
});
export const brandBLanding = new exoclick.LibraryUrl("brandB-landing", { url: "https://your-landing-page.com" }, { provider: brandB }).id;

// An existing object read with .get().
const seenId = cfg.get("seen");
export const seenName = seenId ? exoclick.Campaign.get("seen", seenId).name : undefined;
void [affise, integr8, interchange, topsort];
`;

/**
 * The provider plugin through the real CLI and the sandbox, one stack: the
 * ExoClick banner, Affise offer+postback and Interchange examples on the
 * plugin, an explicit provider for the sandbox's other account, preview with
 * 0 requests, lean state, an update shown property by property, a dashboard
 * edit seen by refresh, stock `pulumi import` of every type, destroy.
 */
describe("@e2e provider plugin (adnetworks:<network>:<Type>) with the real CLI", function () {
  this.timeout(900_000);
  let sb: Sandbox;
  let dir: string;
  let cli: PulumiCli;
  const exo = () => sb.network<ExoClickSandbox>("exoclick");
  const exportState = async () => (JSON.parse(await cli.ok("stack", "export")).deployment.resources ?? []) as any[];
  const ours = (rs: any[]) => rs.filter((r) => r.type.startsWith("adnetworks:"));

  before(async function () {
    assertEngineInstalled();
    if (!fs.existsSync(path.join(TOOLS, "bin", "pulumi-resource-adnetworks"))) throw new Error("the plugin launcher is not installed (.tools/bin/pulumi-resource-adnetworks): run `npm run setup:pulumi`");
    sb = await startSandbox({ port: 0 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-plugin-e2e-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: adnet-plugin\nruntime: nodejs\nmain: index.ts\n");
    fs.writeFileSync(path.join(dir, "exoclick.ts"), onPlugin("exoclick-banner/program.ts"));
    fs.writeFileSync(path.join(dir, "affise.ts"), onPlugin("affise-offer/program.ts"));
    fs.writeFileSync(path.join(dir, "interchange.ts"), onPlugin("retail-media/interchange.ts"));
    fs.copyFileSync(path.join(ROOT, "examples", "exoclick-banner", "banner-300x250.png"), path.join(dir, "banner-300x250.png"));
    fs.copyFileSync(path.join(ROOT, "examples", "affise-offer", "creative-300x250.png"), path.join(dir, "creative-300x250.png"));
    fs.writeFileSync(path.join(dir, "index.ts"), INDEX);
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    cli = new PulumiCli(dir);
    await cli.ok("stack", "init", "dev", "--non-interactive");
    // The default provider's config: adnetworks:<network>.<setting>, credentials secret.
    for (const [network, settings] of Object.entries(pluginConfig(sb, NETWORKS.map((n) => n.name)))) {
      for (const [k, v] of Object.entries(settings)) await cli.ok("config", "set", "--path", ...(k === "baseUrl" ? [] : ["--secret"]), `adnetworks:${network}.${k}`, v);
    }
    await cli.ok("config", "set", "--secret", "test:brandB", JSON.stringify(pluginConfig(sb, ["exoclick", "interchange"], "brandB")));
  });

  after(async () => {
    try {
      await cli?.run("state", "unprotect", "--all", "--yes");
      await cli?.run("destroy", "--yes", "--non-interactive", "--skip-preview");
    } finally {
      await sb?.close();
      cli?.cleanup();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("up creates the examples' objects through the plugin, and the explicit provider's in its own account", async () => {
    const summary = await cli.up();
    expect(summary).to.deep.equal({ create: 10 }); // 4 ExoClick, 2 Affise, 1 Interchange, the default provider, brandB's provider and URL
    const inv = sb.inventory() as Record<string, Record<string, any[]>>;
    expect(inv.exoclick.campaigns).to.have.length(1);
    expect(inv.exoclick.libraryUrls.map((u) => u.url)).to.deep.equal(["https://your-landing-page.com"]);
    expect(inv["exoclick@brandB"].libraryUrls.map((u) => u.url)).to.deep.equal(["https://your-landing-page.com"]);
    expect(inv["exoclick@brandB"].campaigns).to.have.length(0);
    expect(inv.affise.offers).to.have.length(1);
    expect(inv.affise.postbacks).to.have.length(1);
    expect(inv.interchange.campaigns).to.have.length(1);
  });

  it("preview --expect-no-changes sends 0 requests", async () => {
    const mark = sb.journal.length;
    await cli.ok("preview", "--expect-no-changes", "--non-interactive");
    expect(sb.journal.slice(mark).map((e) => `${e.method} ${e.path}`)).to.deep.equal([]);
  });

  it("stack export: plugin type tokens, no __provider, lean Campaign state, the explicit provider's credentials secret", async () => {
    const rs = await exportState();
    expect(ours(rs).map((r) => r.type).sort()).to.include.members(["adnetworks:exoclick:Campaign", "adnetworks:affise:Offer", "adnetworks:interchange:Campaign"]);
    const text = JSON.stringify(rs);
    expect(text).to.not.contain("__provider");
    expect(text).to.not.contain(pluginConfig(sb, ["exoclick"], "brandB").exoclick.apiToken);
    const campaign = rs.find((r) => r.type === "adnetworks:exoclick:Campaign");
    // Outputs: only what the network computed (the inputs are stored once, beside them).
    expect(Object.keys(campaign.outputs).sort()).to.deep.equal(["calculatedStatus", "impressionsSent", "totalBudgetSpent"]);
    // Stored lean: the declared defaults the example gives (status 0, advertiserAdType 0, mediaStorageTemplate "img_banner") are left out.
    expect(campaign.inputs).to.not.have.any.keys("status", "advertiserAdType", "mediaStorageTemplate");
    expect(campaign.propertyDependencies).to.not.have.any.keys("status", "advertiserAdType", "mediaStorageTemplate");
    const size = Buffer.byteLength(JSON.stringify(campaign));
    const parts = Object.fromEntries(Object.entries(campaign).map(([k, v]) => [k, Buffer.byteLength(JSON.stringify(v))]));
    console.log(`      exoclick Campaign state: ${size} B (${Object.entries(parts).map(([k, v]) => `${k} ${v}`).join(", ")})`);
    // Per type (docs/plugin.md's figures): the whole resource, its inputs and its outputs.
    for (const r of ours(rs).filter((x) => !x.urn.includes("brandB"))) console.log(`      ${r.type} ${r.urn.split("::").pop()}: ${Buffer.byteLength(JSON.stringify(r))} B (inputs ${Buffer.byteLength(JSON.stringify(r.inputs ?? {}))}, outputs ${Buffer.byteLength(JSON.stringify(r.outputs ?? {}))})`);
    // The banner's Campaign was 2,075 B as a dynamic resource (issue #31); the engine's own fields (URNs, timestamps, dependencies) are most of what is left.
    expect(size).to.be.at.most(1200);
    const providers = rs.filter((r) => r.type === "pulumi:providers:adnetworks").map((r) => r.urn.split("::").pop()).sort();
    expect(providers).to.include("brandB");
  });

  it("an update shows property by property (detailedDiff), applies in place; .get() reads an existing object", async () => {
    const id = String(exo().inventory().campaigns[0].id);
    await cli.ok("config", "set", "test:budget", "25");
    await cli.ok("config", "set", "test:seen", id);
    const preview = JSON.parse(await cli.ok("preview", "--diff", "--json", "--non-interactive"));
    const step = preview.steps.find((s: any) => s.urn.endsWith("adnetworks:exoclick:Campaign::demo-campaign"));
    expect(step.op).to.equal("update");
    expect(step.detailedDiff).to.deep.equal({ maxDailyBudget: { kind: "update", inputDiff: true } });
    expect(step.diffReasons).to.deep.equal(["maxDailyBudget"]);
    const summary = await cli.up();
    expect(summary).to.deep.include({ update: 1 });
    expect(exo().data.campaigns[id].max_daily_budget).to.equal(2500);
    const outputs = JSON.parse(await cli.ok("stack", "output", "--json"));
    expect(outputs.seenName).to.equal("Banner 300x250 Production");
  });

  it("refresh sees a dashboard edit (state's inputs), and the next up puts it back", async () => {
    const id = String(exo().inventory().campaigns[0].id);
    exo().data.campaigns[id].max_daily_budget = 777; // edited in the dashboard
    await cli.ok("refresh", "--yes", "--non-interactive", "--skip-preview");
    const campaign = (await exportState()).find((r) => r.type === "adnetworks:exoclick:Campaign" && r.urn.endsWith("::demo-campaign"));
    expect(campaign.inputs.maxDailyBudget).to.equal(7.77);
    expect(await cli.up()).to.deep.include({ update: 1 });
    expect(exo().data.campaigns[id].max_daily_budget).to.equal(2500);
  });

  it("stock `pulumi import` of every type exits 0, and the printed code previews with no changes", async () => {
    const made = (await oneOfEveryType(sb)).map((m) => ({ type: `adnetworks:${m.key}`, name: m.name, id: m.id }));
    const [first, ...rest] = made;
    const one = await cli.run("import", first.type, first.name, first.id, "--yes", "--non-interactive");
    expect(one.code, `${one.stdout}\n${one.stderr}`).to.equal(0);
    const file = path.join(dir, "import.json");
    fs.writeFileSync(file, JSON.stringify({ resources: rest }));
    const all = await cli.run("import", "--file", file, "--yes", "--non-interactive");
    fs.rmSync(file);
    expect(all.code, `${all.stdout}\n${all.stderr}`).to.equal(0);
    const imported = ours(await exportState()).filter((r) => r.urn.includes("::imported-"));
    expect(imported.map((r) => `${r.type} ${r.id}`).sort()).to.deep.equal(made.map((m) => `${m.type} ${m.id}`).sort());
    // The printed code, after the program's own.
    const code = [one.stdout, all.stdout].map((out) => {
      const at = out.indexOf('from "pulumi-adnetworks/plugin";');
      expect(at, out).to.be.greaterThan(0);
      return out.slice(out.indexOf("\n", at)).split("\n").filter((l) => !l.startsWith("import ")).join("\n");
    }).join("\n");
    fs.writeFileSync(path.join(dir, "index.ts"), `${INDEX}\n${withExampleImage(code)}`);
    const r = await cli.run("preview", "--expect-no-changes", "--non-interactive", "--diff");
    expect(r.code, `${fs.readFileSync(path.join(dir, "index.ts"), "utf8")}\n${r.stdout}\n${r.stderr}`).to.equal(0);
  });

  it("destroy leaves none of the stack's objects in either account", async () => {
    const ids = ours(await exportState()).map((r) => r.id);
    await cli.ok("state", "unprotect", "--all", "--yes");
    await cli.ok("destroy", "--yes", "--non-interactive", "--skip-preview");
    expect(ours(await exportState())).to.deep.equal([]);
    const live = JSON.stringify(sb.inventory());
    const left = ids.filter((id) => /^\d+$/.test(id) ? new RegExp(`"(id|campaignId)":"?${id}"?[,}]`).test(live) : live.includes(`"${id}"`));
    expect(left).to.deep.equal([]);
  });
});
