/**
 * A team's backend, for real: Pulumi's PostgreSQL backend (`pulumi login
 * postgres://...`) on a PostgreSQL server started here (Debian's package,
 * installed by scripts/install-postgres.sh when missing; one server for this
 * file, on 127.0.0.1, removed afterwards). The whole lifecycle, two
 * concurrent `up`s (the second refused: locked), and the fast mode
 * (PULUMI_SKIP_CHECKPOINTS) with the provider's journal kept in the same
 * database: a runner killed mid-`up`, then a second runner with an empty
 * HOME runs `adnet-recover` and `pulumi up`: 0 duplicates, 0 orphans, nothing
 * pending. A journal of another stack or format is refused with what to do,
 * before any request.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import { Client } from "pg";
import { EngineStack, PULUMI_BIN, ROOT } from "../scripts/lib/engine";
import { startPostgres, PostgresServer } from "../scripts/lib/postgres";
import { startSandbox, Sandbox } from "../provider/sandbox/server";
import { ExoClickSandbox } from "../provider/sandbox/exoclick";
import { recover } from "../provider/cli/recover";
import { PgJournalStore } from "../provider/core/engine/journalStore";
import { changes } from "./support/engine";
import { exoclickCounts } from "./support/kill";
import { runChild } from "./support/processes";
import { bannerRunner, dynamicResources as resources, killUpAt, loginCheck, noChangesThenDestroy, recoverFresh, SKIP_CHECKPOINTS as SKIP, upRecovered } from "./support/backend";

describe("@e2e PostgreSQL backend (postgres://, a server started here)", function () {
  this.timeout(600_000);
  let pg: PostgresServer;
  let sb: Sandbox;
  let db: Client;
  const runners: EngineStack[] = [];
  const password = () => decodeURIComponent(new URL(pg.url).password);

  before(async function () {
    this.timeout(300_000); // a first install of PostgreSQL from apt
    pg = await startPostgres();
    sb = await startSandbox({ port: 0, latencyMs: 20 });
    db = new Client({ connectionString: pg.url });
    await db.connect();
  });
  after(async () => {
    for (const r of runners) r.cleanup();
    await db?.end().catch(() => undefined);
    await sb?.close();
    pg?.stop();
  });

  /** A runner (its own PULUMI_HOME and checkout) of `stack` on this backend; `from`: a checkout of the same project (Pulumi.<stack>.yaml as committed). */
  async function runner(stack: string, count: number, prefix: string, o: { env?: Record<string, string>; from?: EngineStack } = {}): Promise<EngineStack> {
    const e = await bannerRunner({ project: "adnet-pg", stack, count, prefix, sb, backendUrl: pg.url, env: o.env, from: o.from });
    runners.push(e);
    return e;
  }
  const journalRows = async (stack: string) => (await db.query("SELECT run, entry FROM adnet_journal WHERE stack = $1 ORDER BY seq", [stack]).catch(() => ({ rows: [] as any[] }))).rows;

  it("`pulumi login postgres://...` (Pulumi 3.248.0): the password from PGPASSWORD stays out of the output (in the URL, the CLI prints it); the stack is a row of pulumi_state", async () => {
    await loginCheck({ ...process.env, PGPASSWORD: password() }, async (env) => {
      const withPassword = await runChild(PULUMI_BIN, ["login", pg.url], { env });
      expect(withPassword.code, withPassword.out).to.equal(0);
      expect(withPassword.out, "Pulumi 3.248 prints the URL it logged in to, password and all").to.contain(password());
      const noPassword = pg.url.replace(/:[^:@/]*@/, "@");
      const login = await runChild(PULUMI_BIN, ["login", noPassword], { env });
      expect(login.code, login.out).to.equal(0);
      expect(login.out).to.match(/Logged in to .* as .*postgres:\/\/adnet@127\.0\.0\.1/);
      expect(login.out).not.to.contain(password());
    }, async (env, project) => {
      const ls = await runChild(PULUMI_BIN, ["stack", "ls", "--all", "--json"], { env, cwd: project });
      expect(JSON.parse(ls.stdout).map((s: any) => s.name), ls.out).to.include("login-check");
      const keys = (await db.query("SELECT key FROM pulumi_state")).rows.map((r) => r.key as string);
      expect(keys.filter((k) => /^pulumi\/\.pulumi\/stacks\/adnet-login\/login-check\.json$/.test(k)), `the stack's state is a row of pulumi_state: ${keys.join(", ")}`).to.have.length(1);
    });
  });

  it("lifecycle: up, preview with no changes, a dashboard edit refreshed, destroy; two concurrent ups: the second is refused (locked)", async () => {
    const stack = `pg-life-${process.pid}`;
    const a = await runner(stack, 3, "pgl");
    const b = await runner(stack, 3, "pgl", { from: a });
    // a's first create is held at the sandbox: its `up` holds the lock while b's starts.
    const held = sb.faults.hold({ nth: 1, routes: ["POST /"] });
    const first = a.stack.up();
    await held.reached;
    const second = await b.stack.up().then(() => undefined, (e) => e);
    held.release();
    await first;
    expect(String(second?.message), "the second up").to.match(/the stack is currently locked by 1 lock\(s\)/);
    expect(String(second?.message)).not.to.contain(password());
    expect(exoclickCounts(sb)).to.deep.equal({ urls: 3, files: 3, campaigns: 3, variations: 3 });
    expect(await resources(a)).to.have.length(12);
    expect(changes(await b.stack.preview()), "preview from the other runner").to.deep.equal({});
    // A dashboard edit: refresh brings it into state, the next up puts the program's value back.
    const ex = sb.network<ExoClickSandbox>("exoclick");
    const campaign = Object.values((ex.data as any).campaigns).find((c: any) => c.status !== -1) as any;
    const before = campaign.name;
    campaign.name = `${before} (edited)`;
    const refreshed = await a.stack.refresh();
    expect(refreshed.summary.resourceChanges?.update, "one resource refreshed").to.equal(1);
    expect(changes(await a.stack.preview())).to.deep.equal({ update: 1 });
    await a.stack.up();
    expect(campaign.name).to.equal(before);
    await a.stack.destroy();
    expect(exoclickCounts(sb)).to.deep.equal({ urls: 0, files: 0, campaigns: 0, variations: 0 });
    expect(await resources(a)).to.have.length(0);
  });

  it("checkpoints off, journal in the database: a runner killed mid-up, a second runner with an empty HOME: adnet-recover, up: 0 duplicates, 0 orphans, nothing pending", async () => {
    const N = 8;
    const stack = `pg-kill-${process.pid}`;
    const one = await runner(stack, N, "pgk", { env: SKIP });
    await killUpAt(sb, one, stack, 14);
    // The runner is gone, its HOME with it; the journal is in the database.
    fs.rmSync(one.home, { recursive: true, force: true });
    const rows = await journalRows(stack);
    expect(rows.filter((r) => r.entry.op === "created").length, "creates recorded in adnet_journal").to.be.greaterThan(0);
    expect(rows[0].entry).to.include({ op: "begin", format: 1, project: "adnet-pg", stack });
    expect(JSON.stringify(rows)).not.to.contain("apiToken");

    const two = await runner(stack, N, "pgk", { env: SKIP, from: one });
    expect(two.home).not.to.equal(one.home);
    const text = await recoverFresh(two, stack);
    expect(text).to.match(/journal \(PULUMI_SKIP_CHECKPOINTS runs, postgres:\/\/adnet:\*\*\*@127\.0\.0\.1:\d+\/pulumi \(table adnet_journal\)\): 1 run\(s\)/);
    expect(text).not.to.contain(password());

    await upRecovered(sb, two, N);
    // What the journal compares with: the state row, read straight from pulumi_state.
    const store = new PgJournalStore(pg.url, "adnet-pg", stack);
    expect(((await store.deployment())?.resources ?? []).filter((r: any) => r.type.startsWith("pulumi-nodejs:dynamic/"))).to.have.length(4 * N);
    await store.close();
    const runs = new Set((await journalRows(stack)).map((r) => r.run));
    expect(runs.size, "the killed run's journal is gone; this run's is left").to.equal(1);
    await noChangesThenDestroy(sb, two);
  });

  it("a journal of another stack or another format: up and adnet-recover say what to do; nothing written", async () => {
    const stack = `pg-bad-${process.pid}`;
    const r = await runner(stack, 1, "pgb", { env: SKIP });
    const header = (h: object) => db.query("INSERT INTO adnet_journal (project, stack, run, entry) VALUES ('adnet-pg', $1, 'run-planted', $2)", [stack, JSON.stringify({ op: "begin", urn: "", ...h })]);
    for (const [h, message] of [
      [{ format: 1, version: "0.1.0", project: "adnet-pg", stack: "prod" }, /belongs to stack adnet-pg\/prod, not adnet-pg\/pg-bad-\d+ .*Nothing was written\. Put it back/],
      [{ format: 7, version: "9.0.0", project: "adnet-pg", stack }, /written by pulumi-adnetworks 9\.0\.0 in journal format 7; this version \([^)]+\) reads format 1\. Nothing was written\. Run `adnet-recover` and `pulumi up` once with pulumi-adnetworks 9\.0\.0/],
    ] as const) {
      await db.query("DELETE FROM adnet_journal WHERE stack = $1", [stack]);
      await header(h);
      const writes = sb.journal.filter((x: any) => x.method !== "GET" && !/\/login$/.test(x.path)).length; // a login (credentials verified at preview) writes nothing
      const up = await r.stack.up().then(() => undefined, (e) => e);
      expect(String(up?.message)).to.match(message);
      expect(sb.journal.filter((x: any) => x.method !== "GET" && !/\/login$/.test(x.path)).length, "no request written to the network").to.equal(writes);
      const err = await recover({ stack, cwd: r.workDir, env: r.env, pulumi: PULUMI_BIN, log: () => undefined }).then(() => undefined, (e) => e);
      expect(String(err?.message)).to.match(message);
      expect((await journalRows(stack)).map((x) => x.run), "the journal is left as it was").to.deep.equal(["run-planted"]);
      expect(await resources(r)).to.have.length(0);
    }
    await db.query("DELETE FROM adnet_journal WHERE stack = $1", [stack]);
    await r.stack.up();
    expect(await resources(r)).to.have.length(4);
    await r.stack.destroy();
  });

  it("a backend URL that cannot be reached: adnet-recover says what to do, without the password", async () => {
    const stack = `pg-gone-${process.pid}`;
    const dead = pg.url.replace(/:(\d+)\//, ":1/");
    const err = await recover({ stack, cwd: ROOT, env: { PULUMI_BACKEND_URL: dead, PULUMI_HOME: os.tmpdir() }, pulumi: PULUMI_BIN, log: () => undefined }).then(() => undefined, (e) => e);
    expect(String(err?.message)).to.match(/cannot reach the backend postgres:\/\/adnet:\*\*\*@127\.0\.0\.1:1\/pulumi \(table adnet_journal\): ECONNREFUSED\. Check that the database server is running .*PULUMI_BACKEND_URL/);
    expect(String(err?.message)).not.to.contain(password());
  });
});
