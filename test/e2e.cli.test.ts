import { expect } from "chai";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT, TOOLS, assertEngineInstalled } from "../scripts/lib/engine";
import { startSandbox, Sandbox } from "../provider/sandbox/server";
import { EXOCLICK_SANDBOX_CREDENTIALS, ExoClickSandbox } from "../provider/exoclick/sandbox";

const PROGRAM_DIR = path.join(ROOT, "examples", "exoclick-banner");

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `pulumi up` from a program directory, the way a user runs it: the real CLI
 * starts the language host (`pulumi-language-nodejs` from .tools/bin, the
 * repo's Node.js implementation when the Go host could not be built), which
 * runs examples/exoclick-banner/index.ts with ts-node.
 */
describe("@e2e real Pulumi CLI: pulumi up in examples/exoclick-banner", function () {
  this.timeout(600_000);
  const stack = `cli-${process.pid}-${Date.now().toString(36)}`;
  const stackFile = path.join(PROGRAM_DIR, `Pulumi.${stack}.yaml`);
  let tmp: string;
  let sb: Sandbox;
  let env: NodeJS.ProcessEnv;
  let stackCreated = false;

  // Async, never execFileSync: the sandbox answers the provider from this process's event loop.
  const pulumi = (...args: string[]): Promise<CliResult> =>
    new Promise((resolve, reject) => {
      const child = spawn(path.join(TOOLS, "bin", "pulumi"), args, { cwd: PROGRAM_DIR, env, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("error", reject);
      child.on("close", (code) => {
        if (process.env.ADNET_TEST_VERBOSE) process.stdout.write(`$ pulumi ${args.join(" ")}\n${stdout}${stderr}`);
        resolve({ code, stdout, stderr });
      });
    });
  const ok = async (...args: string[]): Promise<string> => {
    const r = await pulumi(...args);
    if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited with ${r.code}:\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };
  const inventory = () => sb.network<ExoClickSandbox>("exoclick").inventory();
  const counts = () => {
    const inv = inventory();
    return [inv.libraryUrls.length, inv.libraryFiles.length, inv.campaigns.length, inv.variations.length];
  };

  before(async function () {
    assertEngineInstalled();
    if (!fs.existsSync(path.join(TOOLS, "bin", "pulumi-language-nodejs"))) {
      throw new Error("the Node.js language host is not installed (.tools/bin/pulumi-language-nodejs): run `npm run setup:pulumi`");
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-cli-"));
    fs.mkdirSync(path.join(tmp, "home"));
    fs.mkdirSync(path.join(tmp, "state"));
    sb = await startSandbox({ port: 0 });
    const inherited = { ...process.env };
    for (const k of Object.keys(inherited)) if (k.startsWith("PULUMI_")) delete inherited[k];
    env = {
      ...inherited,
      PATH: `${path.join(TOOLS, "bin")}${path.delimiter}${process.env.PATH ?? ""}`,
      PULUMI_HOME: path.join(tmp, "home"),
      PULUMI_BACKEND_URL: `file://${path.join(tmp, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: "adnet-cli-passphrase",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };
  });

  after(async () => {
    try {
      if (stackCreated) {
        // Leave nothing behind, even when a step failed half way.
        await pulumi("destroy", "--yes", "--non-interactive", "--stack", stack);
        await pulumi("stack", "rm", "--yes", "--force", "--non-interactive", stack);
      }
    } finally {
      fs.rmSync(stackFile, { force: true });
      await sb?.close();
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("stack init and config set (a secret too) write the stack settings", async () => {
    await ok("stack", "init", stack, "--non-interactive");
    stackCreated = true;
    await ok("config", "set", "exoclick:baseUrl", `${sb.urlFor("exoclick")}/v2`);
    await ok("config", "set", "--secret", "exoclick:apiToken", EXOCLICK_SANDBOX_CREDENTIALS.apiToken);
    expect(fs.existsSync(stackFile)).to.equal(true);
    expect(fs.readFileSync(stackFile, "utf8")).not.to.contain(EXOCLICK_SANDBOX_CREDENTIALS.apiToken);
  });

  it("pulumi up runs index.ts and creates the four objects", async () => {
    const out = await ok("up", "--yes", "--non-interactive");
    expect(out).to.match(/\+ 5 created/); // the stack and the four objects
    expect(counts()).to.deep.equal([1, 1, 1, 1]);
    const outputs = JSON.parse(await ok("stack", "output", "--json"));
    const inv = inventory();
    expect(outputs.variationId).to.equal(`${inv.campaigns[0].id}/${(inv.variations[0] as any).idvariation}`);
  });

  it("pulumi preview --expect-no-changes passes right after up", async () => {
    const out = await ok("preview", "--expect-no-changes", "--non-interactive");
    expect(out).to.match(/5 unchanged/);
  });

  it("pulumi destroy deletes everything, and stack rm removes the stack settings file", async () => {
    await ok("destroy", "--yes", "--non-interactive");
    expect(counts()).to.deep.equal([0, 0, 0, 0]);
    await ok("stack", "rm", "--yes", "--non-interactive", stack);
    stackCreated = false;
    expect(fs.existsSync(stackFile)).to.equal(false);
  });
});
