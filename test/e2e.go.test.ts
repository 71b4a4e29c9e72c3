import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT, TOOLS, assertEngineInstalled } from "../scripts/lib/engine";
import { PulumiCli } from "./support/cli";
import { pluginConfig } from "./support/plugin";
import { startSandbox } from "../provider/sandbox/server";
import { changes, destroyTest, DriverStack, examplesStackTests, linkExampleImages } from "./support/driver";
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
function buildDriver(out: string, cwd = DRIVER_MODULE, pkg = "./driver"): void {
  const env = { ...process.env, GOFLAGS: "-mod=readonly", GONOSUMDB: process.env.GONOSUMDB ?? "github.com/pulumi/*", GOTOOLCHAIN: "local", CGO_ENABLED: "0" };
  try {
    // Without the symbol table and DWARF: the link is most of a build from Go's cache, and the tests never debug the binary.
    execFileSync(goOnPath(), ["build", "-ldflags=-s -w", "-o", out, pkg], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  } catch (e: any) {
    throw new Error(`compiling ${path.relative(ROOT, cwd) || cwd} ${pkg} failed (run \`npm run setup:go\`; after changing the schema, \`npm run sdk\`):\n${String(e.stderr ?? e.message)}`);
  }
}

/**
 * Go programs on the provider plugin with the generated Go SDK
 * (sdk/go/adnetworks), through the real CLI and the sandbox: the three Go
 * examples (examples/go: ExoClick banner, Affise offer with its postback,
 * Interchange campaign) run as one Automation API inline program
 * (test/go/driver) in one stack, with two accounts through explicit providers
 * (adnetworks.NewProvider); up, preview with no changes and 0 requests, an
 * update, a bad input refused at preview with the core's own message, the
 * spend summary, adnet-import --language go adopted with 0 writes, destroy.
 */
describe("@e2e Go programs on the provider plugin (Automation API inline)", function () {
  this.timeout(900_000);
  let driver: string;
  const h = new DriverStack("Go", (request) => ({ cmd: driver, args: [request] }));

  before(async function () {
    assertEngineInstalled();
    if (!fs.existsSync(path.join(TOOLS, "bin", "pulumi-resource-adnetworks"))) throw new Error("the plugin launcher is not installed (.tools/bin/pulumi-resource-adnetworks): run `npm run setup:pulumi`");
    h.sb = await startSandbox({ port: 0 });
    // The program's directory: the examples' files (images read by relative path), never the examples themselves.
    h.dir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-go-e2e-"));
    driver = path.join(h.dir, "driver");
    const built = Date.now();
    buildDriver(driver);
    console.log(`      go build of the driver: ${((Date.now() - built) / 1000).toFixed(1)} s`);
    linkExampleImages(EXAMPLES, h.dir);
    h.cli = new PulumiCli(h.dir);
    const networks = { brandA: ["exoclick", "affise", "interchange"], brandB: ["exoclick", "interchange"] };
    const accounts = { brandA: pluginConfig(h.sb, networks.brandA), brandB: pluginConfig(h.sb, networks.brandB, "brandB") };
    const config = {
      "test:accounts": { value: JSON.stringify(accounts), secret: true },
      "test:networks": { value: JSON.stringify(networks) },
    };
    const started = Date.now();
    const up = await h.ok({ op: "up", config });
    console.log(`      first up (the driver, the CLI and the plugin): ${((Date.now() - started) / 1000).toFixed(1)} s`);
    h.upSummary = changes(up.summary);
  });

  after(async () => {
    try {
      if (h.dir && h.cli) await h.drive({ op: "destroy" }).catch(() => undefined);
    } finally {
      await h.sb?.close();
      h.cli?.cleanup();
      if (h.dir) fs.rmSync(h.dir, { recursive: true, force: true });
    }
  });

  examplesStackTests(h, " of the Go program");
  it("adnet-import --language go writes brandA's account as a Go package whose Program, run by a new stack, adopts it with 0 writes", async () => {
    const { sb } = h;
    const networks = ["exoclick", "affise", "interchange"];
    const out = path.join(h.dir, "imported");
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
    const adopt = path.join(h.dir, "adopt");
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
    buildDriver(program, adopt, ".");
    console.log(`      go build of the imported program: ${((Date.now() - built) / 1000).toFixed(1)} s`);
    // A new stack of the written program, run in its directory: the default provider with brandA's settings (adnetworks:<network>.<setting>).
    const imported = new DriverStack("Go (adnet-import's)", (request) => ({ cmd: program, args: [request] }));
    Object.assign(imported, { sb, dir: out, cli: h.cli });
    const config: Record<string, { value: string; secret?: boolean }> = {};
    for (const [n, settings] of Object.entries(pluginConfig(sb, networks))) for (const [k, v] of Object.entries(settings)) config[`adnetworks:${n}.${k}`] = { value: v, secret: k !== "baseUrl" };
    const base = { project: "adnet-go-imported", stack: "imported" };
    const beforeUp = sb.journal.length;
    const up = await imported.ok({ ...base, op: "up", config, configPath: true });
    expect(changes(up.summary)).to.deep.equal({ create: 1, import: summary.total }); // the stack (a default provider is not counted); every object imported
    expect(writes(beforeUp), "the adopting up wrote").to.deep.equal([]);
    const beforePreview = sb.journal.length;
    const preview = await imported.ok({ ...base, op: "preview", expectNoChanges: true });
    expect(changes(preview.summary)).to.deep.equal({});
    expect(sb.journal.slice(beforePreview).map((e) => `${e.method} ${e.path}`)).to.deep.equal([]);
    // The examples' stack still manages the objects (it destroys them next): this stack's state goes, not the objects.
    await imported.ok({ ...base, op: "forget" });
  });

  destroyTest(h);
});
