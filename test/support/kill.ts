/**
 * Killing a test's `pulumi up` mid-run (the journal and backend kill tests):
 * the CLI alone by SIGKILL, its plugins reaped, a create held in the sandbox
 * until then, and ExoClick's live objects counted.
 */
import { expect } from "chai";
import { Proc, alive, descendants, killAll, processes } from "./processes";
import { Sandbox } from "../../provider/sandbox/server";
import { sandboxConfig } from "../../provider/sandbox/config";

/** Live ExoClick objects per kind (the sandbox's inventory). */
export function exoclickCounts(sb: Sandbox) {
  const inv: Record<string, unknown[]> = (sb.inventory() as any).exoclick ?? {};
  return { urls: inv.libraryUrls?.length ?? 0, files: inv.libraryFiles?.length ?? 0, campaigns: inv.campaigns?.length ?? 0, variations: inv.variations?.length ?? 0 };
}

/** SIGKILL of this test's `pulumi up` CLI alone; returns the plugin processes it started. */
export function killCli(stack: string): Proc[] {
  const cli = [...processes().values()].filter((p) => new RegExp(`pulumi up .*--stack ${stack}( |$)`).test(p.cmd) && !p.cmd.includes("mocha"));
  expect(cli.map((p) => p.cmd), "the running pulumi up").to.have.length(1);
  const plugins = descendants(cli[0].pid);
  process.kill(cli[0].pid, "SIGKILL");
  return plugins;
}

/**
 * Waits (bounded) until the killed CLI's plugins are gone, then lets the held
 * create reach the network: it is made there, and nobody hears the answer
 * (a provider host still alive would record it), and waits until the sandbox
 * answered every request it received.
 */
export async function settleKilled(sb: Sandbox, plugins: Proc[], held: { release(): void }): Promise<void> {
  for (let i = 0; i < 100 && plugins.some(alive); i++) await new Promise((r) => setTimeout(r, 200));
  killAll(plugins.filter(alive));
  held.release();
  for (let i = 0; i < 100 && sb.journal.length < sb.faults.seen; i++) await new Promise((r) => setTimeout(r, 50));
  expect(sb.journal.length, "requests the sandbox received and answered").to.equal(sb.faults.seen);
}

/** Stack config of ExoClick against this sandbox. */
export function exoclickConfig(sb: Sandbox) {
  return sandboxConfig("exoclick", sb.urlFor("exoclick"));
}
