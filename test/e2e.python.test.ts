import { expect } from "chai";
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT, TOOLS, assertEngineInstalled } from "../scripts/lib/engine";
import { PulumiCli } from "./support/cli";
import { pluginConfig } from "./support/plugin";
import { startSandbox, Sandbox } from "../provider/sandbox/server";
import * as registry from "../provider/registry";
import { ImportSummary, SUMMARY_FILE } from "../provider/import/importer";
import { sandboxSettings } from "./support/accounts";
import { adnetImport } from "./support/adopt";

const EXAMPLES = path.join(ROOT, "examples", "python");
const DRIVER = path.join(ROOT, "test", "python", "driver.py");

/** The venv with `pulumi` from PyPI at the project's SDK version (scripts/setup-python.sh; `npm test` runs it first, seconds when cached). */
function pythonOfVenv(): string {
  const out = execFileSync("bash", [path.join(ROOT, "scripts", "setup-python.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  return out.trim().split("\n").pop()!;
}

interface DriverResult {
  op: string;
  summary?: Record<string, number>;
  error?: string;
  stdout: string;
}

/** Changes by operation, without "same". */
const changes = (s: Record<string, number> = {}) => Object.fromEntries(Object.entries(s).filter(([k, v]) => k !== "same" && v));

/**
 * Python programs on the provider plugin, through the real CLI and the
 * sandbox: the three Python examples (ExoClick banner, Affise offer with its
 * postback, Interchange campaign) run as one Automation API inline program
 * (test/python/driver.py) in one stack, with two accounts through explicit
 * providers; up, preview with no changes and 0 requests, an update, a bad
 * input refused at preview with the core's own message, the spend summary,
 * destroy.
 */
describe("@e2e Python programs on the provider plugin (Automation API inline)", function () {
  this.timeout(900_000);
  let sb: Sandbox;
  let dir: string;
  let cli: PulumiCli;
  let python: string;

  const drive = (req: Record<string, unknown>): Promise<DriverResult> =>
    new Promise((resolve, reject) => {
      const child = spawn(python, [DRIVER, JSON.stringify({ workDir: dir, pulumiRoot: TOOLS, ...req })], { cwd: dir, env: { ...cli.env, PYTHONDONTWRITEBYTECODE: "1" }, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("error", reject);
      child.on("close", (code) => {
        if (process.env.ADNET_TEST_VERBOSE) process.stdout.write(`${stdout}${stderr}`);
        const last = stdout.trim().split("\n").pop() ?? "";
        if (code !== 0 || !last.startsWith("{")) return reject(new Error(`the Python driver (${String(req.op)}) exited with ${code}:\n${stdout.slice(-3000)}\n${stderr.slice(-3000)}`));
        resolve(JSON.parse(last));
      });
    });
  const ok = async (req: Record<string, unknown>) => {
    const r = await drive(req);
    if (r.error) throw new Error(`${String(req.op)} failed: ${r.error}\n${r.stdout}`);
    return r;
  };
  const run = (cmd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> =>
    new Promise((resolve, reject) => {
      const child = spawn(cmd, args, { cwd: dir, env: cli.env, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
  const inventory = () => sb.inventory() as Record<string, Record<string, any[]>>;

  before(async function () {
    assertEngineInstalled();
    if (!fs.existsSync(path.join(TOOLS, "bin", "pulumi-resource-adnetworks"))) throw new Error("the plugin launcher is not installed (.tools/bin/pulumi-resource-adnetworks): run `npm run setup:pulumi`");
    python = pythonOfVenv();
    sb = await startSandbox({ port: 0 });
    // The program's directory: the examples' files (images read by relative path), never the examples themselves.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-python-e2e-"));
    for (const ex of fs.readdirSync(EXAMPLES)) {
      for (const f of fs.readdirSync(path.join(EXAMPLES, ex))) if (f.endsWith(".png")) fs.symlinkSync(path.join(EXAMPLES, ex, f), path.join(dir, f));
    }
    cli = new PulumiCli(dir);
    const accounts = { brandA: pluginConfig(sb, ["exoclick", "affise", "interchange"]), brandB: pluginConfig(sb, ["exoclick", "interchange"], "brandB") };
    // The settings each account's provider is given (their values stay in the secret test:accounts).
    const names = (a: Record<string, Record<string, string>>) => Object.fromEntries(Object.entries(a).map(([n, s]) => [n, Object.keys(s)]));
    const config = {
      "test:accounts": { value: JSON.stringify(accounts), secret: true },
      "test:networks": { value: JSON.stringify({ brandA: names(accounts.brandA), brandB: names(accounts.brandB) }) },
    };
    const started = Date.now();
    const up = await ok({ op: "up", config });
    console.log(`      first up (the driver, the CLI and the plugin): ${((Date.now() - started) / 1000).toFixed(1)} s`);
    upSummary = changes(up.summary);
  });
  let upSummary: Record<string, number>;

  after(async () => {
    try {
      if (dir && cli) await drive({ op: "destroy" }).catch(() => undefined);
    } finally {
      await sb?.close();
      cli?.cleanup();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("up creates the three examples in brandA and the banner and Interchange campaign in brandB, each in its own account", async () => {
    // brandA: 4 ExoClick, 2 Affise, 1 Interchange; brandB: 4 ExoClick, 1 Interchange; the two providers; the stack.
    expect(upSummary).to.deep.equal({ create: 15 });
    const inv = inventory();
    expect(inv.exoclick.campaigns.map((c) => c.name)).to.deep.equal(["Banner 300x250 Production"]);
    expect(inv["exoclick@brandB"].campaigns.map((c) => c.name)).to.deep.equal(["Banner 300x250 Production"]);
    expect(inv.exoclick.libraryFiles).to.have.length(1);
    expect(inv["exoclick@brandB"].libraryFiles).to.have.length(1);
    expect(inv.affise.offers.map((o) => o.title)).to.deep.equal(["NEW BIG OFFER"]);
    expect(inv.affise.postbacks).to.have.length(1);
    expect(inv.interchange.campaigns.map((c) => c.name)).to.deep.equal(["retail retail media Q1 2026"]);
    expect(inv["interchange@brandB"].campaigns.map((c) => c.name)).to.deep.equal(["brandB retail media Q1 2026"]);
    const state = JSON.stringify(JSON.parse(await cli.ok("stack", "export", "--stack", "dev")).deployment);
    expect(state).to.not.contain(pluginConfig(sb, ["exoclick"], "brandB").exoclick.apiToken);
  });

  it("preview --expect-no-changes sends 0 requests", async () => {
    const mark = sb.journal.length;
    const r = await ok({ op: "preview", expectNoChanges: true });
    expect(changes(r.summary)).to.deep.equal({});
    expect(sb.journal.slice(mark).map((e) => `${e.method} ${e.path}`)).to.deep.equal([]);
  });

  it("an update changes the banner's daily budget in place; adnet-spend shows the preview's spend summary", async () => {
    const id = String(inventory().exoclick.campaigns[0].id);
    const stepsFile = path.join(dir, "preview.json");
    const preview = await ok({ op: "preview", stepsFile, config: { "test:budget": { value: "25" } } });
    expect(changes(preview.summary)).to.deep.equal({ update: 1 });
    expect(preview.stdout).to.match(/maxDailyBudget: 20 => 25/);
    // The spend summary of the Python program's preview: `pulumi preview --json > preview.json && adnet-spend --preview-json preview.json`.
    const spend = await run(process.execPath, [path.join(ROOT, "dist", "provider", "cli", "spend.js"), "--preview-json", stepsFile, "--format", "json"]);
    fs.rmSync(stepsFile);
    expect(spend.code, spend.stderr).to.equal(0);
    const report = JSON.parse(spend.stdout);
    console.log(`      adnet-spend: ${report.headline}`);
    const change = report.changes.find((c: any) => c.name === "demo-campaign");
    expect(change, JSON.stringify(report.changes)).to.exist;
    expect([change.before.daily, change.after.daily]).to.deep.equal([20, 25]);
    expect(report.groups.map((g: any) => g.network).sort()).to.include.members(["exoclick", "interchange"]);
    const up = await ok({ op: "up" });
    expect(changes(up.summary)).to.deep.equal({ update: 1 });
    expect(sb.network<any>("exoclick").data.campaigns[id].max_daily_budget).to.equal(2500);
  });

  it("a bad input is refused at preview with the message TypeScript programs get, and nothing is sent", async () => {
    const inputs = { name: "Bad", size: "300x250", pricing: { model: 4, price: 3 }, status: 7, dailyLimitType: 1, maxDailyBudget: -5 };
    // The core's check, as a TypeScript program (dynamic or plugin) meets it.
    const expected = (await registry.get("exoclick:Campaign").check({}, inputs)).failures ?? [];
    expect(expected.map((f) => f.property).sort()).to.deep.equal(["maxDailyBudget", "status"]);
    const mark = sb.journal.length;
    const r = await drive({ op: "preview", config: { "test:bad": { value: JSON.stringify({ type: "adnetworks:exoclick:Campaign", inputs }) } } });
    expect(r.error, "the preview succeeded").to.be.a("string");
    for (const f of expected) expect(`${r.error}\n${r.stdout}`).to.contain(f.reason);
    expect(sb.journal.slice(mark).filter((e) => e.method !== "GET" && !/\/login$/.test(e.path))).to.deep.equal([]);
    await ok({ op: "preview", expectNoChanges: true, removeConfig: ["test:bad"] });
  });

  it("adnet-import --language python writes brandA's account as a Python program, and a new stack adopts it with 0 writes", async () => {
    const networks = ["exoclick", "affise", "interchange"];
    const out = path.join(dir, "imported");
    const env = Object.assign({}, ...networks.map((n) => sandboxSettings(sb, n).env));
    const mark = sb.journal.length;
    const r = await adnetImport(["--network", networks.join(","), "--out", out, "--language", "python", "--project", "adnet-python-imported"], { ...env, PULUMI_SKIP_UPDATE_CHECK: "true" });
    expect(r.code, `${r.stdout}\n${r.stderr}`).to.equal(0);
    const summary = JSON.parse(fs.readFileSync(path.join(out, SUMMARY_FILE), "utf8")) as ImportSummary;
    // brandA's objects (the stack's, in the sandbox's default accounts): 4 ExoClick, 2 Affise, 1 Interchange.
    expect(summary.imported).to.deep.equal({ "exoclick:LibraryUrl": 1, "exoclick:LibraryFile": 1, "exoclick:Campaign": 1, "exoclick:Variation": 1, "affise:Offer": 1, "affise:Postback": 1, "interchange:Campaign": 1 });
    expect(fs.readdirSync(out).filter((f) => f.endsWith(".py")).sort()).to.deep.equal(["__main__.py", "affise.py", "exoclick.py", "interchange.py"]);
    const code = fs.readFileSync(path.join(out, "exoclick.py"), "utf8");
    expect(code).to.match(/= pulumi\.CustomResource\("adnetworks:exoclick:Campaign", "banner-300x250-production", \{\n/);
    expect(code).to.match(/"libraryFileId": \w+\.id\.apply\(int\),|"libraryFileId": \w+\.id,/);
    const writes = (from: number) => sb.journal.slice(from).filter((e) => e.method !== "GET" && !/\/login$/.test(e.path)).map((e) => `${e.method} ${e.path}`);
    expect(writes(mark), "adnet-import wrote").to.deep.equal([]);
    // Affise keeps a creative's file name, not its bytes: the user puts the file beside the program (the TypeScript output too).
    fs.symlinkSync(path.join(EXAMPLES, "affise-offer", "creative-300x250.png"), path.join(out, "creative-300x250.png"));
    // A new stack of the written program: the default provider with brandA's settings (adnetworks:<network>.<setting>).
    const config: Record<string, { value: string; secret?: boolean }> = {};
    for (const [n, settings] of Object.entries(pluginConfig(sb, networks))) for (const [k, v] of Object.entries(settings)) config[`adnetworks:${n}.${k}`] = { value: v, secret: k !== "baseUrl" };
    const base = { programDir: out, project: "adnet-python-imported", stack: "imported" };
    const beforeUp = sb.journal.length;
    const up = await ok({ ...base, op: "up", config, configPath: true });
    expect(changes(up.summary)).to.deep.equal({ create: 1, import: summary.total }); // the stack (a default provider is not counted); every object imported
    expect(writes(beforeUp), "the adopting up wrote").to.deep.equal([]);
    const beforePreview = sb.journal.length;
    const preview = await ok({ ...base, op: "preview", expectNoChanges: true });
    expect(changes(preview.summary)).to.deep.equal({});
    expect(sb.journal.slice(beforePreview).map((e) => `${e.method} ${e.path}`)).to.deep.equal([]);
    // The examples' stack still manages the objects (it destroys them next): this stack's state goes, not the objects.
    await ok({ ...base, op: "forget" });
  });

  it("destroy removes every object from both accounts with 0 errors", async () => {
    const r = await ok({ op: "destroy" });
    expect(changes(r.summary)).to.deep.equal({ delete: 15 });
    const inv = inventory();
    for (const account of ["exoclick", "exoclick@brandB"]) {
      expect(inv[account].campaigns.filter((c) => c.status !== -1), account).to.deep.equal([]);
      expect(inv[account].libraryUrls, account).to.deep.equal([]);
    }
    expect(inv.affise.offers.filter((o) => o.status !== "deleted")).to.deep.equal([]);
    expect(inv.interchange.campaigns.filter((c) => !["ARCHIVED", "DELETED"].includes(c.status))).to.deep.equal([]);
  });
});
