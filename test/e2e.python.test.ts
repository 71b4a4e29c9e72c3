import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT, TOOLS, assertEngineInstalled } from "../scripts/lib/engine";
import { PulumiCli } from "./support/cli";
import { pluginConfig } from "./support/plugin";
import { startSandbox } from "../provider/sandbox/server";
import { ImportSummary, SUMMARY_FILE } from "../provider/import/importer";
import { sandboxSettings } from "./support/accounts";
import { adnetImport } from "./support/adopt";
import { changes, destroyTest, DriverStack, examplesStackTests, linkExampleImages } from "./support/driver";

const EXAMPLES = path.join(ROOT, "examples", "python");
const DRIVER = path.join(ROOT, "test", "python", "driver.py");

/** The venv with `pulumi` from PyPI at the project's SDK version (scripts/setup-python.sh; `npm test` runs it first, seconds when cached). */
function pythonOfVenv(): string {
  const out = execFileSync("bash", [path.join(ROOT, "scripts", "setup-python.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  return out.trim().split("\n").pop()!;
}

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
  let python: string;
  const h = new DriverStack("Python", (request) => ({ cmd: python, args: [DRIVER, request], env: { PYTHONDONTWRITEBYTECODE: "1" } }));

  before(async function () {
    assertEngineInstalled();
    if (!fs.existsSync(path.join(TOOLS, "bin", "pulumi-resource-adnetworks"))) throw new Error("the plugin launcher is not installed (.tools/bin/pulumi-resource-adnetworks): run `npm run setup:pulumi`");
    python = pythonOfVenv();
    h.sb = await startSandbox({ port: 0 });
    // The program's directory: the examples' files (images read by relative path), never the examples themselves.
    h.dir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-python-e2e-"));
    linkExampleImages(EXAMPLES, h.dir);
    h.cli = new PulumiCli(h.dir);
    const accounts = { brandA: pluginConfig(h.sb, ["exoclick", "affise", "interchange"]), brandB: pluginConfig(h.sb, ["exoclick", "interchange"], "brandB") };
    // The settings each account's provider is given (their values stay in the secret test:accounts).
    const names = (a: Record<string, Record<string, string>>) => Object.fromEntries(Object.entries(a).map(([n, s]) => [n, Object.keys(s)]));
    const config = {
      "test:accounts": { value: JSON.stringify(accounts), secret: true },
      "test:networks": { value: JSON.stringify({ brandA: names(accounts.brandA), brandB: names(accounts.brandB) }) },
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

  examplesStackTests(h, "");

  it("adnet-import --language python writes brandA's account as a Python program, and a new stack adopts it with 0 writes", async () => {
    const networks = ["exoclick", "affise", "interchange"];
    const out = path.join(h.dir, "imported");
    const env = Object.assign({}, ...networks.map((n) => sandboxSettings(h.sb, n).env));
    const mark = h.sb.journal.length;
    const r = await adnetImport(["--network", networks.join(","), "--out", out, "--language", "python", "--project", "adnet-python-imported"], { ...env, PULUMI_SKIP_UPDATE_CHECK: "true" });
    expect(r.code, `${r.stdout}\n${r.stderr}`).to.equal(0);
    const summary = JSON.parse(fs.readFileSync(path.join(out, SUMMARY_FILE), "utf8")) as ImportSummary;
    // brandA's objects (the stack's, in the sandbox's default accounts): 4 ExoClick, 2 Affise, 1 Interchange.
    expect(summary.imported).to.deep.equal({ "exoclick:LibraryUrl": 1, "exoclick:LibraryFile": 1, "exoclick:Campaign": 1, "exoclick:Variation": 1, "affise:Offer": 1, "affise:Postback": 1, "interchange:Campaign": 1 });
    expect(fs.readdirSync(out).filter((f) => f.endsWith(".py")).sort()).to.deep.equal(["__main__.py", "affise.py", "exoclick.py", "interchange.py"]);
    const code = fs.readFileSync(path.join(out, "exoclick.py"), "utf8");
    expect(code).to.match(/= pulumi\.CustomResource\("adnetworks:exoclick:Campaign", "banner-300x250-production", \{\n/);
    expect(code).to.match(/"libraryFileId": \w+\.id\.apply\(int\),|"libraryFileId": \w+\.id,/);
    const writes = (from: number) => h.sb.journal.slice(from).filter((e) => e.method !== "GET" && !/\/login$/.test(e.path)).map((e) => `${e.method} ${e.path}`);
    expect(writes(mark), "adnet-import wrote").to.deep.equal([]);
    // Affise keeps a creative's file name, not its bytes: the user puts the file beside the program (the TypeScript output too).
    fs.symlinkSync(path.join(EXAMPLES, "affise-offer", "creative-300x250.png"), path.join(out, "creative-300x250.png"));
    // A new stack of the written program: the default provider with brandA's settings (adnetworks:<network>.<setting>).
    const config: Record<string, { value: string; secret?: boolean }> = {};
    for (const [n, settings] of Object.entries(pluginConfig(h.sb, networks))) for (const [k, v] of Object.entries(settings)) config[`adnetworks:${n}.${k}`] = { value: v, secret: k !== "baseUrl" };
    const base = { programDir: out, project: "adnet-python-imported", stack: "imported" };
    const beforeUp = h.sb.journal.length;
    const up = await h.ok({ ...base, op: "up", config, configPath: true });
    expect(changes(up.summary)).to.deep.equal({ create: 1, import: summary.total }); // the stack (a default provider is not counted); every object imported
    expect(writes(beforeUp), "the adopting up wrote").to.deep.equal([]);
    const beforePreview = h.sb.journal.length;
    const preview = await h.ok({ ...base, op: "preview", expectNoChanges: true });
    expect(changes(preview.summary)).to.deep.equal({});
    expect(h.sb.journal.slice(beforePreview).map((e) => `${e.method} ${e.path}`)).to.deep.equal([]);
    // The examples' stack still manages the objects (it destroys them next): this stack's state goes, not the objects.
    await h.ok({ ...base, op: "forget" });
  });

  destroyTest(h);
});
