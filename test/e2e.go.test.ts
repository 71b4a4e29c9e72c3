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
import { GO_SDK_MODULE } from "../provider/import/golang";
import { sandboxSettings } from "./support/accounts";
import { adnetImport } from "./support/adopt";

const EXAMPLES = path.join(ROOT, "examples", "go");
const DRIVER_MODULE = path.join(ROOT, "test", "go");

/** The Go toolchain, or one message naming the install command. */
function goOnPath(): string {
  try {
    execFileSync("go", ["version"], { stdio: "ignore" });
    return "go";
  } catch {
    throw new Error("Go is not installed: install Go 1.25 or newer (`apt-get install golang-go` or from go.dev), then `npm run setup:go`");
  }
}

/** Compiles test/go/driver into `out` (Go's build cache makes it seconds after `npm run setup:go`); `cwd`/`pkg`: another module's main. */
function buildDriver(out: string, cwd = DRIVER_MODULE, pkg = "./driver", mod = "readonly"): void {
  const env = { ...process.env, GOFLAGS: `-mod=${mod}`, GONOSUMDB: process.env.GONOSUMDB ?? "github.com/pulumi/*", GOTOOLCHAIN: "local", CGO_ENABLED: "0" };
  try {
    execFileSync(goOnPath(), ["build", "-o", out, pkg], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  } catch (e: any) {
    throw new Error(`compiling ${path.relative(ROOT, cwd) || cwd} ${pkg} failed (run \`npm run setup:go\`; after changing the schema, \`npm run sdk\`):\n${String(e.stderr ?? e.message)}`);
  }
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
 * Go programs on the provider plugin with the generated Go SDK
 * (sdk/go/adnetworks), through the real CLI and the sandbox: the three Go
 * examples (examples/go: ExoClick banner, Affise offer with its postback,
 * Interchange campaign) run as one Automation API inline program
 * (test/go/driver) in one stack, with two accounts through explicit providers
 * (adnetworks.NewProvider); up, preview with no changes and 0 requests, an
 * update, a bad input refused at preview with the core's own message, the
 * spend summary, destroy.
 */
describe("@e2e Go programs on the provider plugin (Automation API inline)", function () {
  this.timeout(900_000);
  let sb: Sandbox;
  let dir: string;
  let cli: PulumiCli;
  let driver: string;

  /** One operation of the examples' driver (or of `program`, another build of test/go/drive, run in `req.workDir`). */
  const drive = (req: Record<string, unknown>, program = driver): Promise<DriverResult> =>
    new Promise((resolve, reject) => {
      const cwd = typeof req.workDir === "string" ? req.workDir : dir;
      const child = spawn(program, [JSON.stringify({ workDir: dir, pulumiRoot: TOOLS, ...req })], { cwd, env: cli.env, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("error", reject);
      child.on("close", (code) => {
        if (process.env.ADNET_TEST_VERBOSE) process.stdout.write(`${stdout}${stderr}`);
        const last = stdout.trim().split("\n").pop() ?? "";
        if (code !== 0 || !last.startsWith("{")) return reject(new Error(`the Go driver (${String(req.op)}) exited with ${code}:\n${stdout.slice(-3000)}\n${stderr.slice(-3000)}`));
        resolve(JSON.parse(last));
      });
    });
  const ok = async (req: Record<string, unknown>, program = driver) => {
    const r = await drive(req, program);
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
    sb = await startSandbox({ port: 0 });
    // The program's directory: the examples' files (images read by relative path), never the examples themselves.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-go-e2e-"));
    driver = path.join(dir, "driver");
    const built = Date.now();
    buildDriver(driver);
    console.log(`      go build of the driver: ${((Date.now() - built) / 1000).toFixed(1)} s`);
    for (const ex of fs.readdirSync(EXAMPLES).filter((e) => fs.statSync(path.join(EXAMPLES, e)).isDirectory())) {
      for (const f of fs.readdirSync(path.join(EXAMPLES, ex))) if (f.endsWith(".png")) fs.symlinkSync(path.join(EXAMPLES, ex, f), path.join(dir, f));
    }
    cli = new PulumiCli(dir);
    const networks = { brandA: ["exoclick", "affise", "interchange"], brandB: ["exoclick", "interchange"] };
    const accounts = { brandA: pluginConfig(sb, networks.brandA), brandB: pluginConfig(sb, networks.brandB, "brandB") };
    const config = {
      "test:accounts": { value: JSON.stringify(accounts), secret: true },
      "test:networks": { value: JSON.stringify(networks) },
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

  it("an update changes the banner's daily budget in place; adnet-spend shows the preview's spend summary of the Go program", async () => {
    const id = String(inventory().exoclick.campaigns[0].id);
    const stepsFile = path.join(dir, "preview.json");
    const preview = await ok({ op: "preview", stepsFile, config: { "test:budget": { value: "25" } } });
    expect(changes(preview.summary)).to.deep.equal({ update: 1 });
    expect(preview.stdout).to.match(/maxDailyBudget: 20 => 25/);
    // The spend summary of the Go program's preview: `pulumi preview --json > preview.json && adnet-spend --preview-json preview.json`.
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

  it("adnet-import --language go writes brandA's account as a Go package whose Program, run by a new stack, adopts it with 0 writes", async () => {
    const networks = ["exoclick", "affise", "interchange"];
    const out = path.join(dir, "imported");
    const env = Object.assign({}, ...networks.map((n) => sandboxSettings(sb, n).env));
    const mark = sb.journal.length;
    const r = await adnetImport(["--network", networks.join(","), "--out", out, "--language", "go", "--project", "adnet-go-imported"], { ...env, PULUMI_SKIP_UPDATE_CHECK: "true" });
    expect(r.code, `${r.stdout}\n${r.stderr}`).to.equal(0);
    const summary = JSON.parse(fs.readFileSync(path.join(out, SUMMARY_FILE), "utf8")) as ImportSummary;
    // brandA's objects (the stack's, in the sandbox's default accounts): 4 ExoClick, 2 Affise, 1 Interchange.
    expect(summary.imported).to.deep.equal({ "exoclick:LibraryUrl": 1, "exoclick:LibraryFile": 1, "exoclick:Campaign": 1, "exoclick:Variation": 1, "affise:Offer": 1, "affise:Postback": 1, "interchange:Campaign": 1 });
    expect(fs.readdirSync(out).filter((f) => f.endsWith(".go")).sort()).to.deep.equal(["affise.go", "exoclick.go", "interchange.go", "program.go"]);
    expect(fs.readFileSync(path.join(out, "Pulumi.yaml"), "utf8")).to.match(/^runtime: go$/m);
    const code = fs.readFileSync(path.join(out, "exoclick.go"), "utf8");
    expect(code).to.match(/\tvar banner300x250Production exoclick\.Campaign\n\tif err := ctx\.RegisterResource\("adnetworks:exoclick:Campaign", "banner-300x250-production", pulumi\.Map\{\n/);
    expect(code).to.match(/"libraryFileId": +\w+\.ID\(\),/);
    expect(execFileSync("gofmt", ["-l", out], { encoding: "utf8" }), "files gofmt would change").to.equal("");
    const writes = (from: number) => sb.journal.slice(from).filter((e) => e.method !== "GET" && !/\/login$/.test(e.path)).map((e) => `${e.method} ${e.path}`);
    expect(writes(mark), "adnet-import wrote").to.deep.equal([]);
    // Affise keeps a creative's file name, not its bytes: the user puts the file beside the program (the TypeScript output too).
    fs.symlinkSync(path.join(EXAMPLES, "affise-offer", "creative-300x250.png"), path.join(out, "creative-300x250.png"));
    // The generated package's Program as an inline program: a main beside it (test/go/drive), in a module that points the
    // generated one, the SDK and the test's modules at their folders (what the program's own go.mod does for `pulumi up`).
    const adopt = path.join(dir, "adopt");
    fs.mkdirSync(adopt);
    const goMod = fs.readFileSync(path.join(DRIVER_MODULE, "go.mod"), "utf8").replace(/^module .*$/m, "module adnet-go-adopt").replace(/^replace \([^)]*\)\n/m, "");
    fs.writeFileSync(path.join(adopt, "go.mod"), [
      goMod,
      "require (",
      "\tadnet-go-imported v0.0.0",
      "\tgithub.com/pulumi-adnetworks/pulumi-adnetworks/test/go v0.0.0",
      ")",
      "",
      "replace (",
      `\tadnet-go-imported => ${out}`,
      `\tgithub.com/pulumi-adnetworks/pulumi-adnetworks/test/go => ${DRIVER_MODULE}`,
      `\tgithub.com/pulumi-adnetworks/pulumi-adnetworks/examples/go => ${EXAMPLES}`,
      `\t${GO_SDK_MODULE} => ${path.join(ROOT, "sdk", "go", "adnetworks")}`,
      ")",
      "",
    ].join("\n"));
    fs.copyFileSync(path.join(DRIVER_MODULE, "go.sum"), path.join(adopt, "go.sum"));
    fs.writeFileSync(path.join(adopt, "main.go"), [
      "package main",
      "",
      "import (",
      '\taccounts "adnet-go-imported"',
      '\t"github.com/pulumi-adnetworks/pulumi-adnetworks/test/go/drive"',
      ")",
      "",
      "func main() {",
      "\tdrive.Main(accounts.Program)",
      "}",
      "",
    ].join("\n"));
    const built = Date.now();
    const program = path.join(adopt, "adopt");
    buildDriver(program, adopt, ".", "mod");
    console.log(`      go build of the imported program: ${((Date.now() - built) / 1000).toFixed(1)} s`);
    // A new stack of the written program: the default provider with brandA's settings (adnetworks:<network>.<setting>).
    const config: Record<string, { value: string; secret?: boolean }> = {};
    for (const [n, settings] of Object.entries(pluginConfig(sb, networks))) for (const [k, v] of Object.entries(settings)) config[`adnetworks:${n}.${k}`] = { value: v, secret: k !== "baseUrl" };
    const base = { workDir: out, project: "adnet-go-imported", stack: "imported" };
    const beforeUp = sb.journal.length;
    const up = await ok({ ...base, op: "up", config, configPath: true }, program);
    expect(changes(up.summary)).to.deep.equal({ create: 1, import: summary.total }); // the stack (a default provider is not counted); every object imported
    expect(writes(beforeUp), "the adopting up wrote").to.deep.equal([]);
    const beforePreview = sb.journal.length;
    const preview = await ok({ ...base, op: "preview", expectNoChanges: true }, program);
    expect(changes(preview.summary)).to.deep.equal({});
    expect(sb.journal.slice(beforePreview).map((e) => `${e.method} ${e.path}`)).to.deep.equal([]);
    // The examples' stack still manages the objects (it destroys them next): this stack's state goes, not the objects.
    await ok({ ...base, op: "forget" }, program);
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
