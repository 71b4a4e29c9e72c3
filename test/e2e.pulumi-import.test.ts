import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT, assertEngineInstalled } from "../scripts/lib/engine";
import { PulumiCli } from "./support/cli";
import { startSandbox, Sandbox } from "../provider/sandbox/server";
import * as registry from "../provider/registry";
import { everyNetworkConfig, IMAGE_PLACEHOLDER, oneOfEveryType, withExampleImage } from "./support/every-type";

/**
 * Pulumi's own `pulumi import <type> <name> <id>`, with the real CLI, for
 * every resource type: the object goes into state, the CLI prints the code
 * (GetSchema from the provider host, GenerateProgram from the language host)
 * and exits 0; that code, pasted into the program, previews with no changes
 * (once the uploaded image's local path, which no network returns, is filled in).
 */
describe("@e2e pulumi import <type> <name> <id> with the real CLI, every type", function () {
  this.timeout(900_000);
  let sb: Sandbox;
  let dir: string;
  let cli: PulumiCli;
  const made: Array<{ key: string; id: string; name: string }> = [];

  before(async function () {
    assertEngineInstalled();
    sb = await startSandbox({ port: 0 });
    // One object of every type on the sandbox, made through the provider (the rows' inputs make what they link to).
    made.push(...(await oneOfEveryType(sb)));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-pulumi-import-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: imported\nruntime: nodejs\nmain: index.ts\n");
    fs.writeFileSync(path.join(dir, "index.ts"), "export {};\n");
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    cli = new PulumiCli(dir);
    await cli.ok("stack", "init", "dev", "--non-interactive");
    for (const [k, v] of Object.entries(everyNetworkConfig(sb))) await cli.ok("config", "set", ...(v.secret ? ["--secret"] : []), k, v.value);
  });

  after(async () => {
    try {
      await cli?.run("state", "unprotect", "--all", "--yes", "--stack", "dev");
      await cli?.run("destroy", "--yes", "--non-interactive", "--skip-preview", "--stack", "dev");
    } finally {
      await sb?.close();
      cli?.cleanup();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("made one object of every type", () => {
    expect(made.map((m) => m.key).sort()).to.deep.equal(registry.types().sort());
  });

  const code: string[] = [];
  it("`pulumi import` of each imports it (protected), prints its code, exits 0", async () => {
    for (const m of made) {
      const [network, type] = m.key.split(":");
      const token = `pulumi-nodejs:dynamic/${network}:${type}`;
      const r = await cli.run("import", token, m.name, m.id, "--yes", "--non-interactive");
      expect(r.code, `${m.key}: ${r.stdout}\n${r.stderr}`).to.equal(0);
      expect(r.stdout, m.key).to.contain("Please copy the following code into your Pulumi application");
      const printed = r.stdout.slice(r.stdout.indexOf(`import { ${network} } from "pulumi-adnetworks";`));
      expect(printed, `${m.key} code: ${r.stdout}`).to.match(new RegExp(`new ${network}\\.${type}\\(${JSON.stringify(m.name)}, \\{[\\s\\S]*\\}, \\{ protect: true \\}\\);`));
      code.push(printed.split("\n").filter((l) => !l.startsWith("import ")).join("\n"));
    }
    const state = JSON.parse(await cli.ok("stack", "export"));
    const imported = state.deployment.resources.filter((r: any) => r.type.startsWith("pulumi-nodejs:dynamic/"));
    expect(imported.map((r: any) => `${r.type} ${r.id} ${r.protect}`).sort()).to.deep.equal(made.map((m) => `pulumi-nodejs:dynamic/${m.key} ${m.id} true`).sort());
  });

  it("the printed code, as the program, previews with no changes", async () => {
    const networks = [...new Set(made.map((m) => m.key.split(":")[0]))].sort();
    // The image ExoClick keeps is not on this machine: the code says so; the user gives its path.
    const program = code.join("\n");
    expect(program.match(IMAGE_PLACEHOLDER)?.length).to.equal(1);
    fs.writeFileSync(path.join(dir, "index.ts"), `import { ${networks.join(", ")} } from "pulumi-adnetworks";\n\n${withExampleImage(program)}`);
    const r = await cli.run("preview", "--expect-no-changes", "--non-interactive", "--diff");
    expect(r.code, `${fs.readFileSync(path.join(dir, "index.ts"), "utf8")}\n${r.stdout}\n${r.stderr}`).to.equal(0);
  });
});
