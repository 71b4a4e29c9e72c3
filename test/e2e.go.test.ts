import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT, TOOLS, assertEngineInstalled } from "../scripts/lib/engine";
import { PulumiCli } from "./support/cli";
import { pluginConfig } from "./support/plugin";
import { startSandbox } from "../provider/sandbox/server";
import { changes, destroyTest, DriverStack, examplesStackTests, linkExampleImages } from "./support/driver";

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

/** Compiles test/go/driver into `out` (Go's build cache makes it seconds after `npm run setup:go`). */
function buildDriver(out: string): void {
  const env = { ...process.env, GOFLAGS: "-mod=readonly", GONOSUMDB: process.env.GONOSUMDB ?? "github.com/pulumi/*", GOTOOLCHAIN: "local", CGO_ENABLED: "0" };
  try {
    execFileSync(goOnPath(), ["build", "-o", out, "./driver"], { cwd: DRIVER_MODULE, env, stdio: ["ignore", "pipe", "pipe"] });
  } catch (e: any) {
    throw new Error(`compiling test/go/driver failed (run \`npm run setup:go\`; after changing the schema, \`npm run sdk\`):\n${String(e.stderr ?? e.message)}`);
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
 * spend summary, destroy.
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
  destroyTest(h);
});
