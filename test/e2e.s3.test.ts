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
import { EngineStack, PULUMI_BIN, ROOT } from "../scripts/lib/engine";
import { startMoto, S3Server } from "../scripts/lib/moto";
import { freePort } from "../scripts/lib/postgres";
import { startSandbox, Sandbox } from "../provider/sandbox/server";
import { journalStore, s3Request, s3Settings, S3JournalStore } from "../provider/core/engine/journalStore";
import { runChild } from "./support/processes";
import { bannerRunner, killUpAt, loginCheck, noChangesThenDestroy, recoverFresh, SKIP_CHECKPOINTS as SKIP, upRecovered } from "./support/backend";

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
    await loginCheck(env(), async (e) => {
      const login = await runChild(PULUMI_BIN, ["login", s3.url(bucket)], { env: e });
      expect(login.code, login.out).to.equal(0);
    }, async () => {
      expect(await keys(".pulumi/stacks/adnet-login/")).to.include(".pulumi/stacks/adnet-login/login-check.json");
    });
  });

  async function runner(stack: string, count: number, prefix: string, o: { env?: Record<string, string>; from?: EngineStack } = {}): Promise<EngineStack> {
    const e = await bannerRunner({ project: "adnet-s3", stack, count, prefix, sb, backendUrl: s3.url(bucket), env: { ...s3.env, ...(o.env ?? {}) }, from: o.from });
    runners.push(e);
    return e;
  }

  it("checkpoints off, journal in the bucket: a runner killed mid-up, a second runner with an empty HOME: adnet-recover, up: 0 duplicates, 0 orphans, nothing pending", async () => {
    const N = 6;
    const stack = `s3-kill-${process.pid}`;
    const dir = `.pulumi/adnet-journal/adnet-s3/${stack}/`;
    const one = await runner(stack, N, "s3k", { env: SKIP });
    await killUpAt(sb, one, stack, 10);
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
    const text = await recoverFresh(two, stack);
    expect(text).to.contain(`journal (PULUMI_SKIP_CHECKPOINTS runs, s3://${bucket}/${dir}): 1 run(s)`);

    await upRecovered(sb, two, N);
    // What the journal compares with: the checkpoint object, read straight from the bucket.
    expect(((await store.deployment())?.resources ?? []).filter((r: any) => r.type.startsWith("pulumi-nodejs:dynamic/"))).to.have.length(4 * N);
    const runs = await store.runs();
    expect(runs, "the killed run's journal is gone; this run's is left").to.have.length(1);
    expect(runs[0]).not.to.equal(run);
    await noChangesThenDestroy(sb, two);
  });
});
