/**
 * Runs with the engine's per-step checkpoints off (PULUMI_SKIP_CHECKPOINTS,
 * README "Large accounts") and the provider's own journal (core/engine/journal.ts):
 * a killed `pulumi up` leaves the state as it was before the run, and the
 * next run adopts what the killed one created, so kill -9 -> adnet-recover ->
 * up still ends with 0 duplicates and 0 orphans.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { e2e, E2E, changes } from "./support/engine";
import { exoclickConfig, exoclickCounts, killCli, settleKilled as settle } from "./support/kill";
import { PULUMI_BIN } from "../scripts/lib/engine";
import { recover } from "../provider/cli/recover";
import { ExoClickSandbox } from "../provider/sandbox/exoclick";
import { exoclickBanner } from "../examples/exoclick-banner/program";
import { journalDir, readJournal, unsettled } from "../provider/core/engine/journal";

const SKIP = { PULUMI_SKIP_CHECKPOINTS: "true" };

describe("@e2e PULUMI_SKIP_CHECKPOINTS with the provider's journal", function () {
  this.timeout(300_000); // each kill test runs up, recover, up, preview, destroy: 51-65 s at a load of 22
  const N = 20;

  describe("an uninterrupted run", () => {
    let t: E2E;
    before(async () => {
      t = await e2e({ program: async () => exoclickBanner({ count: 3, prefix: "j" }), workDir: "examples/exoclick-banner", config: (sb) => exoclickConfig(sb), env: () => SKIP, stack: `journal-ok-${process.pid}` });
    });
    after(async () => t?.close());

    it("records each create and leaves nothing to adopt; the next run deletes the settled journal", async () => {
      await t.up();
      const dir = journalDir("adnet-e2e", `journal-ok-${process.pid}`, t.e.stack.workspace.workDir, t.e.env);
      const files = fs.readdirSync(dir).map((f) => path.join(dir, f));
      expect(files).to.have.length(1);
      const entries = readJournal(files[0]);
      expect(entries.filter((e) => e.op === "create")).to.have.length(12);
      expect(entries.filter((e) => e.op === "created")).to.have.length(12);
      expect(JSON.stringify(entries)).not.to.contain("apiToken");
      const state = await t.state();
      expect(unsettled(files, new Map(state.resources.filter((r: any) => r.id).map((r: any) => [r.type, new Set(state.resources.filter((x: any) => x.type === r.type).map((x: any) => String(x.id)))]))).orphans.size).to.equal(0);
      // One more resource: the next run's first create settles (deletes) the earlier journal.
      t.setProgram(async () => exoclickBanner({ count: 4, prefix: "j" }));
      await t.up();
      const after = fs.readdirSync(dir);
      expect(after).to.have.length(1);
      expect(path.join(dir, after[0])).not.to.equal(files[0]);
      expect(changes(await t.preview())).to.deep.equal({});
      await t.destroy();
    });
  });

  for (const nth of [12, 41]) {
    describe(`kill -9 of pulumi up at its ${nth}th POST (${N} campaigns)`, () => {
      let t: E2E;
      const stack = `journal-kill-${nth}-${process.pid}`;
      before(async () => {
        t = await e2e({ program: async () => exoclickBanner({ count: N, prefix: `k${nth}` }), workDir: "examples/exoclick-banner", config: (sb) => exoclickConfig(sb), env: () => SKIP, sandbox: { latencyMs: 40 }, stack });
      });
      after(async () => t?.close());

      it("leaves the state without the run's creates; adnet-recover reports them; up adopts them: 0 duplicates, 0 orphans", async () => {
        // Held until the CLI is dead: a create in flight at the kill, which reaches the network afterwards.
        const held = t.sb.faults.hold({ nth, routes: ["POST /"] });
        const running = t.up().catch((e) => e);
        const first = await Promise.race([held.reached, running.then(() => undefined)]);
        expect(first, `pulumi up was still running at its ${nth}th POST`).to.be.a("string");
        const plugins = killCli(stack);
        expect(String((await running)?.message)).to.match(/SIGKILL|killed/i);
        await settle(t.sb, plugins, held);
        const made = exoclickCounts(t.sb);
        expect(made.urls + made.files + made.campaigns, "objects created before the kill").to.be.greaterThan(0);
        expect((await t.resources()).length, "the state is the one before the run (checkpoints off)").to.equal(0);

        const lines: string[] = [];
        await recover({ stack, cwd: t.e.stack.workspace.workDir, env: t.e.env, pulumi: PULUMI_BIN, log: (l) => lines.push(l) });
        const text = lines.join("\n");
        expect(text).to.match(/removed the interrupted deployment's lock/);
        expect(text).to.match(/(\d+) object\(s\) created by an interrupted run are not in state/);
        const jdir = journalDir("adnet-e2e", stack, t.e.stack.workspace.workDir, t.e.env);
        const entries = fs.readdirSync(jdir).flatMap((f) => readJournal(path.join(jdir, f)));
        expect(text, `${text}\n${entries.map((e) => `${e.op} ${e.urn.split("::").pop()} ${e.id ?? ""}`).join("\n")}\n${t.sb.journal.map((r: any) => `${r.seq} ${r.method} ${r.path} ${r.status} ${r.time}`).join("\n")}`).to.match(/[1-9]\d* create\(s\) were in flight/);

        await t.up();
        expect(exoclickCounts(t.sb), "exactly the declared objects: no duplicate, no orphan").to.deep.equal({ urls: N, files: N, campaigns: N, variations: N });
        const names = Object.values((t.sb.network<ExoClickSandbox>("exoclick").data as any).campaigns).filter((c: any) => c.status !== -1).map((c: any) => c.name);
        expect(new Set(names).size).to.equal(N);
        expect(await t.resources()).to.have.length(4 * N);
        expect(changes(await t.preview())).to.deep.equal({});
        await t.destroy();
        expect(exoclickCounts(t.sb)).to.deep.equal({ urls: 0, files: 0, campaigns: 0, variations: 0 });
      });
    });
  }
});

describe("@e2e PULUMI_SKIP_CHECKPOINTS: killed twice (the second time while adopting)", function () {
  this.timeout(300_000);
  const N = 12;
  let t: E2E;
  const stack = `journal-twice-${process.pid}`;
  before(async () => {
    t = await e2e({ program: async () => exoclickBanner({ count: N, prefix: "tw" }), workDir: "examples/exoclick-banner", config: (sb) => exoclickConfig(sb), env: () => SKIP, sandbox: { latencyMs: 40 }, stack });
  });
  after(async () => t?.close());

  it("the second run carries the first run's orphans in its own journal: after the third, 0 duplicates and 0 orphans", async () => {
    for (const nth of [20, 10]) {
      const held = t.sb.faults.hold({ nth, routes: ["POST /", "PUT /"] });
      const running = t.up().catch((e) => e);
      const first = await Promise.race([held.reached, running.then(() => undefined)]);
      expect(first, `pulumi up was still running at its ${nth}th write`).to.be.a("string");
      const plugins = killCli(stack);
      expect(String((await running)?.message)).to.match(/SIGKILL|killed/i);
      await settle(t.sb, plugins, held);
      await recover({ stack, cwd: t.e.stack.workspace.workDir, env: t.e.env, pulumi: PULUMI_BIN, log: () => undefined });
    }
    await t.up();
    expect(exoclickCounts(t.sb)).to.deep.equal({ urls: N, files: N, campaigns: N, variations: N });
    expect(changes(await t.preview())).to.deep.equal({});
    await t.destroy();
    expect(exoclickCounts(t.sb)).to.deep.equal({ urls: 0, files: 0, campaigns: 0, variations: 0 });
  });
});
