import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ROOT, TOOLS, assertEngineInstalled } from "../scripts/lib/engine";
import { PulumiCli } from "./support/cli";
import { startSandbox, Sandbox } from "../provider/sandbox/server";
import { EXOCLICK_SANDBOX_CREDENTIALS, ExoClickSandbox } from "../provider/sandbox/exoclick";

const PROGRAM_DIR = path.join(ROOT, "examples", "exoclick-banner");

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
  let cli: PulumiCli;
  let sb: Sandbox;
  let stackCreated = false;
  const pulumi = (...args: string[]) => cli.run(...args);
  const ok = (...args: string[]) => cli.ok(...args);
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
    cli = new PulumiCli(PROGRAM_DIR, { passphrase: "adnet-cli-passphrase" });
    sb = await startSandbox({ port: 0 });
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
      cli?.cleanup();
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
