/**
 * The s3:// backend (Pulumi's s3 driver, `pulumi login s3://<bucket>?endpoint=...`)
 * against an S3-compatible server started here: moto's server (PyPI
 * `moto[server]`, installed into the project's cache by
 * scripts/install-moto.sh when missing; one server for this file, on
 * 127.0.0.1, in memory). The provider's journal is kept as objects beside the
 * stack in the same bucket (signed by hand with SigV4): the store on its own,
 * then a runner killed mid-`up` with checkpoints off and a second runner with
 * an empty HOME: adnet-recover, up: 0 duplicates, 0 orphans, nothing pending.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { engineStack, EngineStack, PULUMI_BIN, ROOT } from "../scripts/lib/engine";
import { startMoto, S3Server } from "../scripts/lib/moto";
import { freePort } from "../scripts/lib/postgres";
import { startSandbox, Sandbox } from "../provider/sandbox/server";
import { ExoClickSandbox } from "../provider/sandbox/exoclick";
import { exoclickBanner } from "../examples/exoclick-banner/program";
import { recover } from "../provider/cli/recover";
import { journalStore, s3Request, s3Settings, S3JournalStore } from "../provider/core/engine/journalStore";
import { changes } from "./support/engine";
import { exoclickConfig, exoclickCounts, killCli, settleKilled } from "./support/kill";
import { runChild } from "./support/processes";

const SKIP = { PULUMI_SKIP_CHECKPOINTS: "true" };

describe("@e2e S3 backend (s3://, moto's S3-compatible server started here)", function () {
  this.timeout(600_000);
  let s3: S3Server;
  let sb: Sandbox;
  const bucket = `adnet-state-${process.pid}`;
  const runners: EngineStack[] = [];
  const env = () => ({ ...process.env, ...s3.env });
  const keys = async (prefix: string) => {
    const r = await s3Request(s3Settings(s3.url(bucket)), "GET", "", { "list-type": "2", prefix }, undefined, env());
    return [...r.body.toString("utf8").matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]);
  };

  before(async function () {
    this.timeout(300_000); // a first install of moto from PyPI
    s3 = await startMoto();
    const made = await s3Request(s3Settings(s3.url(bucket)), "PUT", "", {}, undefined, env());
    expect(made.status, made.body.toString()).to.equal(200);
    sb = await startSandbox({ port: 0, latencyMs: 20 });
  });
  after(async () => {
    for (const r of runners) r.cleanup();
    await sb?.close();
    s3?.stop();
  });

  it("the journal store: one object per entry beside the stack, read back in order, runs listed, removed; a bad key or an unreachable endpoint says what to do", async () => {
    const store = journalStore("adnet-s3", "org/unit", ROOT, { ...env(), PULUMI_BACKEND_URL: s3.url(bucket) });
    expect(store).to.be.instanceOf(S3JournalStore);
    expect(store.local).to.equal(false);
    expect(store.where).to.equal(`s3://${bucket}/.pulumi/adnet-journal/adnet-s3/unit/`);
    await store.append("run-b", { op: "begin", urn: "", format: 1 });
    for (let i = 0; i < 12; i++) await store.append("run-b", { op: "create", urn: `urn:pulumi:unit::adnet-s3::t::r${i}` });
    await store.append("run-a", { op: "created", urn: "urn:pulumi:unit::adnet-s3::t::x", id: "7" });
    expect(await store.runs()).to.deep.equal(["run-a", "run-b"]);
    expect(await store.runs("run-a")).to.deep.equal(["run-b"]);
    expect((await store.read("run-b")).map((e) => e.urn.split("::").pop())).to.deep.equal(["", ...Array.from({ length: 12 }, (_, i) => `r${i}`)]);
    expect(await keys(".pulumi/adnet-journal/adnet-s3/unit/run-b/")).to.have.length(13);
    expect(await store.deployment(), "no stack saved yet").to.deep.equal({});
    await store.remove("run-b");
    expect(await store.runs()).to.deep.equal(["run-a"]);
    await store.remove("run-a");
    expect(await keys(".pulumi/adnet-journal/")).to.deep.equal([]);
    const wrongKey = new S3JournalStore(s3.url(`no-such-${process.pid}`), "adnet-s3", "unit", env());
    expect(String(await wrongKey.append("run-c", { op: "create", urn: "u" }).then(() => undefined, (e) => e?.message))).to.match(/the backend s3:\/\/no-such-\d+ refused PUT .*404 NoSuchBucket.*check the bucket name/);
    const noCreds = new S3JournalStore(s3.url(bucket), "adnet-s3", "unit", { PATH: process.env.PATH });
    expect(String(await noCreds.runs().then(() => undefined, (e) => e?.message))).to.match(/no AWS credentials for s3:\/\/adnet-state-\d+: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
    const nobody = await freePort();
    const dead = new S3JournalStore(s3.url(bucket).replace(`:${s3.port}`, `:${nobody}`), "adnet-s3", "unit", env());
    expect(String(await dead.runs().then(() => undefined, (e) => e?.message))).to.match(/cannot reach the backend s3:\/\/adnet-state-\d+ at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED\. Check the backend URL's endpoint=/);
  });

  it("`pulumi login s3://...?endpoint=...&s3ForcePathStyle=true` (Pulumi 3.248.0) works against it: the stack is an object of the bucket", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-pulumi-home-"));
    try {
      const e: NodeJS.ProcessEnv = { ...env(), PULUMI_HOME: home, PULUMI_CONFIG_PASSPHRASE: "p", PULUMI_SKIP_UPDATE_CHECK: "true" };
      delete e.PULUMI_BACKEND_URL;
      const login = await runChild(PULUMI_BIN, ["login", s3.url(bucket)], { env: e });
      expect(login.code, login.out).to.equal(0);
      const project = path.join(home, "project");
      fs.mkdirSync(project);
      fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: adnet-login\nruntime: nodejs\n");
      const init = await runChild(PULUMI_BIN, ["stack", "init", "login-check", "--non-interactive"], { env: e, cwd: project });
      expect(init.code, init.out).to.equal(0);
      expect(await keys(".pulumi/stacks/adnet-login/")).to.include(".pulumi/stacks/adnet-login/login-check.json");
      expect((await runChild(PULUMI_BIN, ["stack", "rm", "login-check", "--yes"], { env: e, cwd: project })).code).to.equal(0);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  async function runner(stack: string, count: number, prefix: string, o: { env?: Record<string, string>; from?: EngineStack } = {}): Promise<EngineStack> {
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
    const e = await engineStack({
      project: "adnet-s3",
      stack,
      program: async () => exoclickBanner({ count, prefix }),
      workDir: path.join(ROOT, "examples", "exoclick-banner"),
      config: exoclickConfig(sb),
      backendUrl: s3.url(bucket),
      env: { ...s3.env, ...(o.env ?? {}) },
      reuse,
    });
    runners.push(e);
    return e;
  }
  const deployment = async (e: EngineStack) => (await e.stack.exportStack()).deployment;
  const resources = async (e: EngineStack) => ((await deployment(e)).resources ?? []).filter((r: any) => r.type.startsWith("pulumi-nodejs:dynamic/"));

  it("checkpoints off, journal in the bucket: a runner killed mid-up, a second runner with an empty HOME: adnet-recover, up: 0 duplicates, 0 orphans, nothing pending", async () => {
    const N = 6;
    const stack = `s3-kill-${process.pid}`;
    const dir = `.pulumi/adnet-journal/adnet-s3/${stack}/`;
    const one = await runner(stack, N, "s3k", { env: SKIP });
    const held = sb.faults.hold({ nth: 10, routes: ["POST /"] });
    const running = one.stack.up().catch((e) => e);
    const reached = await Promise.race([held.reached, running.then(() => undefined)]);
    expect(reached, "pulumi up was still running at its 10th POST").to.be.a("string");
    const plugins = killCli(stack);
    expect(String((await running)?.message)).to.match(/SIGKILL|killed/i);
    await settleKilled(sb, plugins, held);
    const made = exoclickCounts(sb);
    expect(made.urls + made.files + made.campaigns, "objects created before the kill").to.be.greaterThan(0);
    // The runner is gone, its HOME with it; the journal is in the bucket.
    fs.rmSync(one.home, { recursive: true, force: true });
    const objects = await keys(dir);
    expect(objects.length, `journal objects in the bucket: ${objects.join(", ")}`).to.be.greaterThan(1);
    const store = new S3JournalStore(s3.url(bucket), "adnet-s3", stack, env());
    const [run] = await store.runs();
    const entries = await store.read(run);
    expect(entries[0]).to.include({ op: "begin", format: 1, project: "adnet-s3", stack });
    expect(entries.filter((x) => x.op === "created").length, "creates recorded in the bucket").to.be.greaterThan(0);
    expect(JSON.stringify(entries)).not.to.contain("apiToken");

    const two = await runner(stack, N, "s3k", { env: SKIP, from: one });
    expect(fs.readdirSync(two.home), "the second runner's PULUMI_HOME: nothing but the workspace Pulumi made for this stack").to.deep.equal(["workspaces"]);
    expect((await resources(two)).length, "the state is the one before the killed run (checkpoints off)").to.equal(0);
    const lines: string[] = [];
    await recover({ stack, cwd: two.workDir, env: two.env, pulumi: PULUMI_BIN, log: (l) => lines.push(l) });
    const text = lines.join("\n");
    expect(text).to.contain(`journal (PULUMI_SKIP_CHECKPOINTS runs, s3://${bucket}/${dir}): 1 run(s)`);
    expect(text).to.match(/[1-9]\d* object\(s\) created by an interrupted run are not in state/);

    await two.stack.up();
    expect(exoclickCounts(sb), "exactly the declared objects: no duplicate, no orphan").to.deep.equal({ urls: N, files: N, campaigns: N, variations: N });
    const names = Object.values((sb.network<ExoClickSandbox>("exoclick").data as any).campaigns).filter((c: any) => c.status !== -1).map((c: any) => c.name);
    expect(new Set(names).size).to.equal(N);
    expect((await deployment(two)).pending_operations ?? [], "nothing pending").to.deep.equal([]);
    expect(await resources(two)).to.have.length(4 * N);
    // What the journal compares with: the checkpoint object, read straight from the bucket.
    expect(((await store.deployment())?.resources ?? []).filter((r: any) => r.type.startsWith("pulumi-nodejs:dynamic/"))).to.have.length(4 * N);
    const runs = await store.runs();
    expect(runs, "the killed run's journal is gone; this run's is left").to.have.length(1);
    expect(runs[0]).not.to.equal(run);
    expect(changes(await two.stack.preview())).to.deep.equal({});
    await two.stack.destroy();
    expect(exoclickCounts(sb)).to.deep.equal({ urls: 0, files: 0, campaigns: 0, variations: 0 });
  });
});
