/**
 * A team's backend (postgres://, s3://) in the tests: runners of the ExoClick
 * banner example on it, each with its own PULUMI_HOME and checkout; a
 * `pulumi login` into a fresh HOME; a runner killed mid-`up`, and a second
 * runner with an empty HOME that recovers and finishes the job
 * (test/e2e.postgres.test.ts, test/e2e.s3.test.ts).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { engineStack, EngineStack, PULUMI_BIN, ROOT } from "../../scripts/lib/engine";
import type { Sandbox } from "../../provider/sandbox/server";
import type { ExoClickSandbox } from "../../provider/sandbox/exoclick";
import { exoclickBanner } from "../../examples/exoclick-banner/program";
import { recover } from "../../provider/cli/recover";
import { changes } from "./engine";
import { exoclickConfig, exoclickCounts, killCli, settleKilled } from "./kill";
import { runChild } from "./processes";

/** Fast mode: no checkpoint during the update (the provider's journal is what is left after a kill). */
export const SKIP_CHECKPOINTS = { PULUMI_SKIP_CHECKPOINTS: "true" };

/**
 * A runner of `stack` (the banner example with `count` campaigns named from
 * `prefix`) on `backendUrl`: its own PULUMI_HOME and checkout; `from`: a
 * checkout of the same project (Pulumi.<stack>.yaml as committed), copied.
 */
export async function bannerRunner(o: { project: string; stack: string; count: number; prefix: string; sb: Sandbox; backendUrl: string; env?: Record<string, string>; from?: EngineStack }): Promise<EngineStack> {
  let reuse: { home: string; workDir: string; stateDir: string } | undefined;
  if (o.from) {
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-program-"));
    for (const f of fs.readdirSync(o.from.workDir)) {
      const src = path.join(o.from.workDir, f);
      if (fs.lstatSync(src).isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(src), path.join(workDir, f));
      else fs.copyFileSync(src, path.join(workDir, f));
    }
    reuse = { home: fs.mkdtempSync(path.join(os.tmpdir(), "adnet-pulumi-home-")), workDir, stateDir: fs.mkdtempSync(path.join(os.tmpdir(), "adnet-pulumi-state-")) };
  }
  return engineStack({
    project: o.project,
    stack: o.stack,
    program: async () => exoclickBanner({ count: o.count, prefix: o.prefix }),
    workDir: path.join(ROOT, "examples", "exoclick-banner"),
    config: exoclickConfig(o.sb),
    backendUrl: o.backendUrl,
    env: o.env,
    reuse,
  });
}

/** The stack's deployment as the backend holds it. */
export const deployment = async (e: EngineStack) => (await e.stack.exportStack()).deployment;

/** The stack's dynamic resources (the provider's objects). */
export const dynamicResources = async (e: EngineStack) => ((await deployment(e)).resources ?? []).filter((r: any) => r.type.startsWith("pulumi-nodejs:dynamic/"));

/**
 * A fresh PULUMI_HOME (removed afterwards) and an environment for the CLI
 * on it, without PULUMI_BACKEND_URL (the test logs in); then, once `login`
 * has logged in, a project `adnet-login` with a stack `login-check`:
 * `stored(project)` checks where the backend keeps it, and it is removed.
 */
export async function loginCheck(base: NodeJS.ProcessEnv, login: (env: NodeJS.ProcessEnv) => Promise<void>, stored: (env: NodeJS.ProcessEnv, project: string) => Promise<void>): Promise<void> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-pulumi-home-"));
  try {
    const env: NodeJS.ProcessEnv = { ...base, PULUMI_HOME: home, PULUMI_CONFIG_PASSPHRASE: "p", PULUMI_SKIP_UPDATE_CHECK: "true" };
    delete env.PULUMI_BACKEND_URL;
    await login(env);
    const project = path.join(home, "project");
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: adnet-login\nruntime: nodejs\n");
    const init = await runChild(PULUMI_BIN, ["stack", "init", "login-check", "--non-interactive"], { env, cwd: project });
    expect(init.code, init.out).to.equal(0);
    await stored(env, project);
    expect((await runChild(PULUMI_BIN, ["stack", "rm", "login-check", "--yes"], { env, cwd: project })).code).to.equal(0);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

/**
 * The runner's `pulumi up` of `stack`, its CLI killed by SIGKILL when the
 * `nth` POST reaches the sandbox (held until then); its plugins reaped.
 * Some objects were created before the kill.
 */
export async function killUpAt(sb: Sandbox, e: EngineStack, stack: string, nth: number): Promise<void> {
  const held = sb.faults.hold({ nth, routes: ["POST /"] });
  const running = e.stack.up().catch((x) => x);
  const reached = await Promise.race([held.reached, running.then(() => undefined)]);
  expect(reached, `pulumi up was still running at its ${nth}th POST`).to.be.a("string");
  const plugins = killCli(stack);
  expect(String((await running)?.message)).to.match(/SIGKILL|killed/i);
  await settleKilled(sb, plugins, held);
  const made = exoclickCounts(sb);
  expect(made.urls + made.files + made.campaigns, "objects created before the kill").to.be.greaterThan(0);
}

/**
 * A second runner with an empty HOME after the kill: its state is the one
 * before the killed run (checkpoints off), and `adnet-recover` finds the
 * objects the interrupted run created. Returns what adnet-recover printed.
 */
export async function recoverFresh(two: EngineStack, stack: string): Promise<string> {
  expect(fs.readdirSync(two.home), "the second runner's PULUMI_HOME: nothing but the workspace Pulumi made for this stack").to.deep.equal(["workspaces"]);
  expect((await dynamicResources(two)).length, "the state is the one before the killed run (checkpoints off)").to.equal(0);
  const lines: string[] = [];
  await recover({ stack, cwd: two.workDir, env: two.env, pulumi: PULUMI_BIN, log: (l) => lines.push(l) });
  const text = lines.join("\n");
  expect(text).to.match(/[1-9]\d* object\(s\) created by an interrupted run are not in state/);
  return text;
}

/** The recovered runner's `up`: exactly the `n` declared banners (no duplicate, no orphan), nothing pending. */
export async function upRecovered(sb: Sandbox, two: EngineStack, n: number): Promise<void> {
  await two.stack.up();
  expect(exoclickCounts(sb), "exactly the declared objects: no duplicate, no orphan").to.deep.equal({ urls: n, files: n, campaigns: n, variations: n });
  const names = Object.values((sb.network<ExoClickSandbox>("exoclick").data as any).campaigns).filter((c: any) => c.status !== -1).map((c: any) => c.name);
  expect(new Set(names).size).to.equal(n);
  expect((await deployment(two)).pending_operations ?? [], "nothing pending").to.deep.equal([]);
  expect(await dynamicResources(two)).to.have.length(4 * n);
}

/** The next preview shows no changes; destroy leaves no ExoClick object. */
export async function noChangesThenDestroy(sb: Sandbox, e: EngineStack): Promise<void> {
  expect(changes(await e.stack.preview())).to.deep.equal({});
  await e.stack.destroy();
  expect(exoclickCounts(sb)).to.deep.equal({ urls: 0, files: 0, campaigns: 0, variations: 0 });
}
