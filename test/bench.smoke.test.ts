import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT, assertEngineInstalled } from "../scripts/lib/engine";
import { runChild } from "./support/processes";

/**
 * `npm run bench` end to end at a handful of campaigns, every kind of row
 * (this design with its no-op preview, up and refresh, the closure design,
 * the same with the engine's checkpoints off and the provider's journal), one run each, so the benchmark cannot break unseen.
 * It checks that each row ran and produced its figures, never their values
 * (speed belongs to the benchmark itself, not to tests).
 */
describe("@e2e npm run bench (smoke: 3 campaigns, every row)", function () {
  this.timeout(15 * 60_000);
  let out: any;
  let stdout = "";
  let dir = "";

  before(async () => {
    assertEngineInstalled();
    // Made here, not while mocha loads the file: a run that skips these tests leaves no folder.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-bench-smoke-"));
    const file = path.join(dir, "results.json");
    const r = await runChild(process.execPath, [path.join(ROOT, "dist", "scripts", "bench.js"), "--sizes", "3", "--latency-ms", "0", "--closure-sizes", "3", "--engines", "none", "--runs", "1", "--user-runs", "1", "--limiter-n", "6", "--interchange-n", "0", "--adoption", "2,4", "--guard", "600,2", "--lists", "100,1000", "--out", file]);
    const code = r.code;
    stdout = r.out;
    expect(code, stdout.slice(-6000)).to.equal(0);
    out = JSON.parse(fs.readFileSync(file, "utf8"));
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  const row = (kind: string) => {
    const r = out.rows.find((x: any) => x.kind === kind);
    expect(r, `no ${kind} row in ${JSON.stringify(out.rows.map((x: any) => x.kind))}`).to.exist;
    expect(r.runs).to.have.length(1);
    return r;
  };

  it("this design: pulumi up creates the 12 resources with one login, as many writes as the plain script, timed with its CPU", () => {
    const r = row("reference").runs[0];
    expect(r.up.changes).to.deep.equal({ create: 13 }); // 12 resources and the stack
    expect(r.traffic.logins).to.equal(1);
    expect(r.traffic.writes).to.equal(r.baseline.requests); // the script's requests are writes (login included)
    for (const k of ["wallMs", "cliCpuMs", "hostCpuMs", "programCpuMs"]) expect(r.up[k], k).to.be.a("number").greaterThan(0);
    expect(r.up.checkpoints).to.be.greaterThan(12);
    expect(r.state.resources).to.equal(12);
    expect(r.state.providerTextBytes).to.be.at.most(128);
    expect(r.ratio).to.be.a("number").greaterThan(0);
  });

  it("no-op preview and up send no request; no-op refresh reads at list speed", () => {
    const r = row("reference").runs[0];
    expect(r.preview.requests).to.equal(0);
    expect(r.noopUp.requests).to.equal(0);
    expect(r.noopUp.changes).to.deep.equal({ same: 13 });
    expect(r.refresh.changes).to.deep.equal({ same: 13 });
    // The login; URLs and files: the first asked for, then one listing (files: one per type); a detail per campaign, which serves its variation too.
    expect(r.refresh.byRoute).to.deep.equal({
      "POST /v2/login": 1, "GET /v2/library/url/:id": 1, "GET /v2/library/url": 1, "GET /v2/library/file/:id": 1, "GET /v2/library/file": 3, "GET /v2/campaigns/:id": 3,
    });
    for (const op of [r.preview, r.noopUp, r.refresh]) expect(op.wallMs).to.be.greaterThan(0);
  });

  it("the closure row runs the same program with a serialized closure per type in state", () => {
    const c = row("closure").runs[0];
    const ref = row("reference").runs[0];
    expect(c.up.changes).to.deep.equal({ create: 13 });
    expect(c.traffic.writes).to.equal(ref.traffic.writes);
    expect(c.state.providerTextBytes).to.be.greaterThan(1000);
    expect(c.state.campaignJsonBytes).to.be.greaterThan(ref.state.campaignJsonBytes);
  });

  it("the plugin row runs the same program on adnetworks:exoclick:<Type>: the same writes, leaner state, no-op preview sends nothing", () => {
    const p = row("plugin").runs[0];
    const ref = row("reference").runs[0];
    expect(p.up.changes).to.deep.equal({ create: 13 }); // 12 resources and the stack (the Automation API's summary leaves the default provider out)
    expect(p.traffic.writes).to.equal(ref.traffic.writes);
    expect(p.state.resources).to.equal(12);
    expect(p.state.providerTextBytes).to.equal(undefined); // no __provider
    expect(p.state.campaignJsonBytes).to.be.lessThan(ref.state.campaignJsonBytes);
    expect(p.preview.requests).to.equal(0);
    expect(Object.keys(p.noopUp.changes)).to.deep.equal(["same"]);
  });

  it("the checkpoints-off row writes the state once", () => {
    const f = row("journal").runs[0];
    expect(f.up.changes).to.deep.equal({ create: 13 });
    expect(f.up.checkpoints).to.be.at.most(2);
  });

  it("prints the tables and a goal line per figure of the issue's table, and records the load", () => {
    expect(stdout).to.contain("| pulumi up from empty");
    expect(stdout).to.contain("no-op refresh (12 resources)");
    expect(stdout).to.match(/Goals \(issues #23 and #35\):/);
    expect(out.goals.map((g: any) => g.label)).to.include.members(["no-op preview, 400 resources", "closure design / this design, pulumi up N=100, same engine settings", "Campaign state (JSON bytes)", "plugin: Campaign state (JSON bytes)"]);
    expect(out.load.perCpuAtStart).to.be.a("number");
    for (const r of out.rows) expect(r.runs[0].load.before).to.be.a("number");
  });

  it("issue #35's rows: the user's no-op preview in a project directory sends nothing; the limiter row fails nothing at half the offered rate; the adoption row adopts every object with no write", () => {
    const { user, limiter, adoption } = out.issue35;
    expect(user.runs).to.have.length(1);
    expect(user.runs[0].requests).to.equal(0);
    expect(user.runs[0].wallMs).to.be.a("number").greaterThan(0);
    expect(user.runs[0].childrenCpuMs).to.be.a("number").greaterThan(0);
    expect(limiter.limited.failed).to.equal(0);
    expect(limiter.limited.created).to.equal(6);
    expect(limiter.limited.limit).to.equal(Math.max(1, Math.floor(limiter.offered.perSecond / 2)));
    expect(adoption.results.objects).to.equal(2 * 4 + 4 + 1); // 2 banner campaigns of 4 objects, 4 offers, 1 postback
    expect(adoption.results.up.changes).to.deep.equal({ create: 1, import: 13 }); // the stack and every object imported
    expect(adoption.results.refresh.requests).to.be.a("number");
    for (const label of ["#35 the same through the Automation API", "#35 no-op preview after adopting it", "#35 the same: share of the allowed rate used"]) expect(out.goals.map((g: any) => g.label)).to.include(label);
    // The guard at an account of 600 (two pages of 500 per kind if it listed the account): one page per kind marks it.
    const { guard, lists } = out.issue35;
    expect(guard.creates).to.equal(8);
    expect(guard.lists).to.equal(3);
    expect(guard.wholeAccountPages).to.equal(6);
    expect(lists.lists.map((l: any) => l.built)).to.deep.equal(lists.lists.map(() => [100, 100]));
    expect(out.goals.find((g: any) => /lost-create guard\): list requests/.test(g.label)).met).to.equal(true);
  });

  it("times every part: each row's run and each #35 row, with its wall time and the CPU of the bench and its exited children", () => {
    const labels = out.phases.map((p: any) => p.label);
    for (const kind of ["reference", "closure", "journal", "plugin"]) expect(labels).to.include(`run 1 ${row(kind).label}`);
    for (const part of ["user's path", "limiter", "adoption", "lost-create guard", "sandbox lists"]) expect(labels).to.include(part);
    // The user row runs the CLI twice (up, preview), each with its language host, program and provider host.
    const user = out.phases.find((p: any) => p.label === "user's path");
    expect(user.cpuMs).to.be.a("number").at.least(out.issue35.user.runs[0].childrenCpuMs);
    for (const p of out.phases) expect(p.wallMs, p.label).to.be.a("number").greaterThan(0);
    expect(stdout).to.match(/\[time\] user's path: wall \d+\.\d\d s, CPU \d+\.\d\d s/);
  });
});
