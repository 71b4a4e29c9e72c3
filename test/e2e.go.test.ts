import { execFileSync } from "child_process";
import * as path from "path";
import { ROOT } from "../scripts/lib/engine";
import { pluginConfig } from "./support/plugin";
import { destroyTest, DriverStack, examplesStackTests } from "./support/driver";

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
    await h.open("adnet-go-e2e-", EXAMPLES);
    driver = path.join(h.dir, "driver");
    const built = Date.now();
    buildDriver(driver);
    console.log(`      go build of the driver: ${((Date.now() - built) / 1000).toFixed(1)} s`);
    const networks = { brandA: ["exoclick", "affise", "interchange"], brandB: ["exoclick", "interchange"] };
    const accounts = { brandA: pluginConfig(h.sb, networks.brandA), brandB: pluginConfig(h.sb, networks.brandB, "brandB") };
    await h.firstUp({
      "test:accounts": { value: JSON.stringify(accounts), secret: true },
      "test:networks": { value: JSON.stringify(networks) },
    });
  });
  after(() => h.close());

  examplesStackTests(h, " of the Go program");
  destroyTest(h);
});
