/**
 * kill -9 of `pulumi up` while images are being replaced (create before
 * delete: new images uploaded, old ones not yet deleted), then adnet-recover
 * and `pulumi up` again: 0 orphans, 0 duplicates, 0 pending operations
 * (issue #24 §3). The kill lands by request count (a held request), at two
 * points: after some uploads, and after some deletes of the old images.
 */
import { expect } from "chai";
import { e2e, E2E, changes, readCheckpoint, stateFile } from "./support/engine";
import { Proc, alive, descendants, killAll, processes } from "./support/processes";
import { sandboxConfig } from "../scripts/lib/examples";
import { PULUMI_BIN } from "../scripts/lib/engine";
import { recover } from "../provider/cli/recover";
import { exoclickBanner } from "../examples/exoclick-banner/program";
import { ExoClickSandbox } from "../provider/sandbox/exoclick";

const COUNT = 7;

/** SIGKILL of this test's `pulumi up` alone (its command line names the stack); the plugins it started. */
function killUp(stack: string): Proc[] {
  const cli = [...processes().values()].filter((p) => new RegExp(`pulumi up .*--stack ${stack}( |$)`).test(p.cmd) && !p.cmd.includes("mocha"));
  expect(cli.map((p) => p.cmd), "the running pulumi up").to.have.length(1);
  const plugins = descendants(cli[0].pid);
  process.kill(cli[0].pid, "SIGKILL");
  return plugins;
}

describe("@e2e kill -9 of pulumi up while replacing images, then adnet-recover", function () {
  this.timeout(600_000);

  for (const [point, route, nth] of [["after some uploads", "POST /v2/library/file", 4], ["after some deletes of the old images", "DELETE /v2/library/file", 3]] as const) {
    describe(point, () => {
      let t: E2E;
      const stack = `replace-${route.split(" ")[0].toLowerCase()}-${process.pid}`;
      const program = (image: string) => async () => exoclickBanner({ count: COUNT, prefix: "r", image });
      before(async () => {
        t = await e2e({ program: program("banner-300x250.png"), workDir: "examples/exoclick-banner", config: (sb) => sandboxConfig(sb, ["exoclick"]), stack });
        await t.up();
      });
      after(async () => t?.close());

      const exo = () => t.sb.network<ExoClickSandbox>("exoclick");
      const liveFiles = () => Object.values(exo().data.files).filter((f: any) => f.is_archived !== 1) as any[];
      const deployment = async () => readCheckpoint(stateFile(t.e.stateDir)).checkpoint.latest;

      it("recover adopts the uploads as replacements, marks the old images for deletion; up then leaves 0 orphans, 0 duplicates, 0 pending operations", async () => {
        t.setProgram(program("banner-300x250-v2.png"));
        const held = t.sb.faults.hold({ nth, routes: [route] });
        const running = t.up().catch((e) => e);
        const first = await Promise.race([held.reached, running.then(() => undefined)]);
        expect(first, `pulumi up was still running at request ${nth} of ${route}`).to.be.a("string");
        const plugins = killUp(stack);
        expect(String((await running)?.message)).to.match(/SIGKILL|killed/i);
        held.release(); // the held request reaches the network after all
        for (let i = 0; i < 100 && plugins.some(alive); i++) await new Promise((r) => setTimeout(r, 200));
        killAll(plugins.filter(alive));
        for (let i = 0; i < 100 && t.sb.journal.length < t.sb.faults.seen; i++) await new Promise((r) => setTimeout(r, 50));

        const killed = await deployment();
        expect(killed.pending_operations?.length ?? 0, "the kill left pending operations").to.be.greaterThan(0);
        const lines: string[] = [];
        const plan = await recover({ stack, cwd: t.e.stack.workspace.workDir, env: t.e.env, pulumi: PULUMI_BIN, log: (l) => lines.push(l) });
        if (route.startsWith("POST")) {
          expect(plan.replaced.length, lines.join("\n")).to.be.greaterThan(0);
          expect(lines.join("\n")).to.contain("a replacement in flight: the old one is marked for deletion");
        }
        // The state after recover: no pending operation, never two live resources of one URN.
        const repaired = await deployment();
        expect(repaired.pending_operations ?? []).to.deep.equal([]);
        const liveUrns = repaired.resources.filter((r: any) => !r.delete).map((r: any) => r.urn);
        expect(liveUrns.length).to.equal(new Set(liveUrns).size);

        await t.up();
        const after = await deployment();
        expect(after.pending_operations ?? []).to.deep.equal([]);
        expect(after.resources.filter((r: any) => r.delete)).to.deep.equal([]);
        // Exactly the program's images on the network, all new, each owned by the stack: no orphan, no duplicate.
        const files = liveFiles();
        expect(files, JSON.stringify(files.map((f) => f.id))).to.have.length(COUNT);
        const owned = new Set((await t.resources("exoclick:LibraryFile")).map((r: any) => String(r.id)));
        expect(files.filter((f) => !owned.has(String(f.id))).map((f) => f.id), "orphan images").to.deep.equal([]);
        expect(new Set(files.map((f) => f.file_hash_original)).size).to.equal(1);
        expect(Object.values(exo().data.variations)).to.have.length(COUNT);
        expect(changes(await t.preview())).to.deep.equal({});
        await t.destroy();
        expect(liveFiles()).to.deep.equal([]);
      });
    });
  }
});
