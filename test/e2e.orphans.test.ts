import { expect } from "chai";
import { ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ROOT, TOOLS, assertEngineInstalled } from "../scripts/lib/engine";
import { PulumiCli } from "./support/cli";
import { startSandbox, Sandbox } from "../provider/sandbox/server";
import { EXOCLICK_SANDBOX_CREDENTIALS } from "../provider/sandbox/exoclick";
import { Proc, alive, descendants, killAll } from "./support/processes";

const PROGRAM_DIR = path.join(ROOT, "examples", "exoclick-banner");

/**
 * A killed CLI must not leave its plugins running (issue #11: the language
 * host and the dynamic-provider host stayed, re-parented, for 14+ minutes).
 * The CLI runs `pulumi up` from the example directory, so the engine starts
 * the language host (which runs the program) and the dynamic-provider host.
 * The sandbox holds the first create until the test has seen all of them and
 * killed the CLI alone with SIGKILL.
 */
describe("@e2e a killed pulumi CLI leaves no plugin process behind", function () {
  this.timeout(300_000);
  const stack = `orphans-${process.pid}-${Date.now().toString(36)}`;
  const stackFile = path.join(PROGRAM_DIR, `Pulumi.${stack}.yaml`);
  let pulumiCli: PulumiCli;
  let sb: Sandbox;
  let cli: ChildProcess | undefined;
  let plugins: Proc[] = [];

  const ok = (...args: string[]) => pulumiCli.ok(...args);

  before(async () => {
    assertEngineInstalled();
    pulumiCli = new PulumiCli(PROGRAM_DIR, { passphrase: "adnet-orphans-passphrase" });
    sb = await startSandbox({ port: 0 });
    await ok("stack", "init", stack, "--non-interactive");
    await ok("config", "set", "--stack", stack, "exoclick:baseUrl", `${sb.urlFor("exoclick")}/v2`);
    await ok("config", "set", "--stack", stack, "--secret", "exoclick:apiToken", EXOCLICK_SANDBOX_CREDENTIALS.apiToken);
  });

  after(async () => {
    // Whatever happened, nothing of this run survives: the plugins by pid (each
    // is in its own process group), then the CLI's process group.
    killAll(plugins);
    if (cli?.pid) {
      try {
        process.kill(-cli.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
    sb?.faults.configure(undefined);
    fs.rmSync(stackFile, { force: true });
    await sb?.close();
    pulumiCli?.cleanup();
  });

  it("SIGKILL of `pulumi up` mid-create: the language host, the program and the dynamic-provider host exit within 20 s", async () => {
    const held = sb.faults.hold({ nth: 1, routes: ["POST /v2/library", "POST /v2/campaigns"] });
    // Its own process group, so that the cleanup above can end everything it started.
    cli = pulumiCli.spawn(["up", "--yes", "--non-interactive", "--stack", stack], { detached: true });
    let output = "";
    cli.stdout!.on("data", (d) => (output += d));
    cli.stderr!.on("data", (d) => (output += d));
    const exited = new Promise((r) => cli!.on("exit", r));
    const first = await Promise.race([held.reached, exited.then(() => undefined)]);
    expect(first, `pulumi up ended before its first create:\n${output}`).to.be.a("string");

    plugins = descendants(cli.pid!);
    const kinds = {
      languageHost: plugins.filter((p) => p.cmd.includes("language-host/main.js")),
      program: plugins.filter((p) => p.cmd.includes("@pulumi/pulumi/cmd/run")),
      dynamicHost: plugins.filter((p) => /dynamic-host\.js|cmd\/dynamic-provider/.test(p.cmd)),
    };
    for (const [k, v] of Object.entries(kinds)) expect(v.length, `${k} among ${plugins.map((p) => p.cmd).join(" | ")}`).to.be.greaterThan(0);

    process.kill(cli.pid!, "SIGKILL"); // the CLI alone, as `kill -9 <pid>` does
    await exited;
    held.release();

    const killedAt = Date.now();
    let left = plugins.filter(alive);
    for (let i = 0; i < 80 && left.length; i++) {
      await new Promise((r) => setTimeout(r, 250));
      left = left.filter(alive);
    }
    if (!left.length) process.stdout.write(`      (${plugins.length} plugin processes gone ${Date.now() - killedAt} ms after the kill)\n`);
    expect(left.map((p) => `${p.pid} ${p.cmd}`), "plugin processes still running 20 s after the CLI was killed").to.deep.equal([]);
  });
});
