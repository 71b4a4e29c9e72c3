import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT, TOOLS, assertEngineInstalled } from "../scripts/lib/engine";
import { PulumiCli } from "./support/cli";
import { pluginConfig } from "./support/plugin";
import { startSandbox, Sandbox } from "../provider/sandbox/server";
import { sandboxConfig } from "../provider/sandbox/config";
import type { ExoClickSandbox } from "../provider/sandbox/exoclick";

const NETS = ["exoclick", "affise"];
const WRITE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

const INDEX = (from: string) => `import * as pulumi from "@pulumi/pulumi";
import { exoclickBanner } from "./exoclick";
import { affiseOffer } from "./affise";
const cfg = new pulumi.Config("test");
export const banner = exoclickBanner({ maxDailyBudget: cfg.getNumber("budget") ?? 20 });
export const offer = affiseOffer();
// ${from}
`;

/**
 * A stack written by the dynamic resources moves to the plugin: the ExoClick
 * banner and the Affise offer+postback examples created on the dynamic
 * classes, then the program's import changed to `pulumi-adnetworks/plugin`
 * (docs/plugin.md "Moving a stack"). One stack through the real CLI.
 */
describe("@e2e a dynamic stack moves to the plugin with 0 replaces and 0 writes", function () {
  this.timeout(900_000);
  let sb: Sandbox;
  let dir: string;
  let cli: PulumiCli;
  const exo = () => sb.network<ExoClickSandbox>("exoclick");
  const exportState = async () => (JSON.parse(await cli.ok("stack", "export")).deployment.resources ?? []) as any[];
  const writes = (from: number) => sb.journal.slice(from).filter((e) => WRITE.has(e.method)).map((e) => `${e.method} ${e.path}`);
  const program = (file: string, plugin: boolean) => {
    const text = fs.readFileSync(path.join(ROOT, "examples", file), "utf8");
    return plugin ? text.replace(/from "pulumi-adnetworks";/g, 'from "pulumi-adnetworks/plugin";') : text;
  };
  const writeProgram = (plugin: boolean) => {
    fs.writeFileSync(path.join(dir, "exoclick.ts"), program("exoclick-banner/program.ts", plugin));
    fs.writeFileSync(path.join(dir, "affise.ts"), program("affise-offer/program.ts", plugin));
    fs.writeFileSync(path.join(dir, "index.ts"), INDEX(plugin ? "plugin" : "dynamic"));
  };

  before(async function () {
    assertEngineInstalled();
    if (!fs.existsSync(path.join(TOOLS, "bin", "pulumi-resource-adnetworks"))) throw new Error("the plugin launcher is not installed (.tools/bin/pulumi-resource-adnetworks): run `npm run setup:pulumi`");
    sb = await startSandbox({ port: 0 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-plugin-move-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: adnet-move\nruntime: nodejs\nmain: index.ts\n");
    fs.copyFileSync(path.join(ROOT, "examples", "exoclick-banner", "banner-300x250.png"), path.join(dir, "banner-300x250.png"));
    fs.copyFileSync(path.join(ROOT, "examples", "affise-offer", "creative-300x250.png"), path.join(dir, "creative-300x250.png"));
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    writeProgram(false);
    cli = new PulumiCli(dir);
    await cli.ok("stack", "init", "dev", "--non-interactive");
    // The dynamic resources' config (exoclick:apiToken ...) and the plugin's (adnetworks:exoclick.apiToken ...), as a user sets both before the move.
    for (const n of NETS) for (const [k, v] of Object.entries(sandboxConfig(n, sb.urlFor(n)))) await cli.ok("config", "set", ...(v.secret ? ["--secret"] : []), k, v.value);
    for (const [network, settings] of Object.entries(pluginConfig(sb, NETS))) {
      for (const [k, v] of Object.entries(settings)) await cli.ok("config", "set", "--path", ...(k === "baseUrl" ? [] : ["--secret"]), `adnetworks:${network}.${k}`, v);
    }
  });

  after(async () => {
    try {
      await cli?.run("destroy", "--yes", "--non-interactive", "--skip-preview");
    } finally {
      await sb?.close();
      cli?.cleanup();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  let ids: Record<string, string> = {};
  let types: Record<string, string> = {};

  it("up on the dynamic classes creates the banner and the offer+postback", async () => {
    expect(await cli.up()).to.deep.equal({ create: 7 }); // the stack, 4 ExoClick, 2 Affise
    const rs = await exportState();
    const ours = rs.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
    expect(ours).to.have.length(6);
    ids = Object.fromEntries(ours.map((r) => [r.urn.split("::").pop(), r.id]));
    types = Object.fromEntries(ours.map((r) => [r.urn.split("::").pop(), r.type.replace("pulumi-nodejs:dynamic/", "")]));
  });

  it("with the program on the plugin: preview shows an update of each (no replace, no create, no delete), up sends 0 writes and keeps every id", async () => {
    writeProgram(true);
    const mark = sb.journal.length;
    const preview = JSON.parse(await cli.ok("preview", "--json", "--non-interactive"));
    const ops = preview.steps.filter((s: any) => !s.urn.includes("::pulumi:")).map((s: any) => `${s.op} ${s.urn.split("::").slice(2).join("::")}`).sort();
    // The classes alias the dynamic type; the engine asks the plugin's DiffConfig whether the change of provider replaces (it never does),
    // then the plugin's Diff, which answers an update that sends nothing for state the dynamic host wrote (it holds __provider).
    expect(ops).to.deep.equal(Object.keys(types).map((name) => `update adnetworks:${types[name]}::${name}`).sort());
    for (const s of preview.steps.filter((x: any) => x.op === "update")) expect(s.diffReasons, s.urn).to.deep.equal(["__provider"]);
    expect(await cli.up()).to.deep.equal({ update: 6 });
    // Not a request, reads included (preview and up).
    expect(sb.journal.slice(mark).map((e) => `${e.method} ${e.path}`)).to.deep.equal([]);
    const rs = await exportState();
    expect(rs.map((r) => r.type).filter((t) => t.includes("pulumi-nodejs"))).to.deep.equal([]);
    const ours = rs.filter((r) => r.type.startsWith("adnetworks:"));
    expect(Object.fromEntries(ours.map((r) => [r.urn.split("::").pop(), r.id]))).to.deep.equal(ids);
    expect(JSON.stringify(rs)).to.not.contain("__provider");
    // Lean, as a Campaign the plugin created: the outputs hold only what ExoClick computed, the inputs no declared default.
    const campaign = rs.find((r) => r.type === "adnetworks:exoclick:Campaign");
    expect(Object.keys(campaign.outputs).sort()).to.deep.equal(["calculatedStatus", "impressionsSent", "totalBudgetSpent"]);
    expect(campaign.inputs).to.not.have.any.keys("status", "advertiserAdType", "mediaStorageTemplate", "__provider");
    expect(Buffer.byteLength(JSON.stringify(campaign))).to.be.at.most(1200);
  });

  it("then preview --expect-no-changes passes and sends 0 requests", async () => {
    const mark = sb.journal.length;
    await cli.ok("preview", "--expect-no-changes", "--non-interactive");
    expect(sb.journal.slice(mark).map((e) => `${e.method} ${e.path}`)).to.deep.equal([]);
  });

  it("an update works on the plugin: the budget is sent, nothing else", async () => {
    const id = String(exo().inventory().campaigns[0].id);
    await cli.ok("config", "set", "test:budget", "25");
    const mark = sb.journal.length;
    expect(await cli.up()).to.deep.equal({ update: 1 });
    const sent = writes(mark).filter((w) => !w.endsWith("/login")); // the credential login is a POST, not a change
    expect(sent).to.have.length(1);
    expect(sent[0]).to.contain(id);
    expect(exo().data.campaigns[id].max_daily_budget).to.equal(2500);
  });
});
