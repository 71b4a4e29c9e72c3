/**
 * One phase of one run of one benchmark row (started by scripts/bench.ts,
 * one process per phase, so every command's program starts from a fresh
 * process as a user's command does, and so a row can run with another
 * @pulumi/pulumi): "up" is `pulumi up` from empty of N ExoClick banner
 * campaigns against the sandbox the parent serves; "noop", in a second
 * process on the same stack, a no-op preview, up and refresh. The program runs
 * inline, in this process, so this process's CPU time during an operation is
 * the program's (with the Automation API's share). Talks to the parent in
 * lines: "@bench <json>" on stdout; the parent answers "go" on stdin when it
 * is ready to count the sandbox's requests for the next phase.
 */
import * as os from "os";
import * as path from "path";
import * as readline from "readline";
import { engineStack } from "./lib/engine";
import { rusageCli } from "./lib/rusage";
import { sampleHosts, stateFigures, watchCheckpoints } from "./lib/figures";
import { exoclickClasses, withClosureDesign } from "./lib/closure";

/**
 * Runs `fn` with the program's `exoclick` classes swapped for the plugin's
 * (`pulumi-adnetworks/plugin`, the same arguments): the example program is
 * unchanged, its resources are `adnetworks:exoclick:<Type>`, served by
 * pulumi-resource-adnetworks from .tools/bin.
 */
async function withPluginClasses<T>(fn: () => Promise<T>): Promise<T> {
  const lib = require("pulumi-adnetworks");
  const dynamic = lib.exoclick;
  lib.exoclick = require("pulumi-adnetworks/plugin").exoclick;
  try {
    return await fn();
  } finally {
    lib.exoclick = dynamic;
  }
}

export interface WorkerSpec {
  /** "plugin": the same program on the provider plugin's classes (adnetworks:exoclick:<Type>, docs/plugin.md). */
  design: "reference" | "closure" | "plugin";
  n: number;
  prefix: string;
  stack: string;
  baseUrl: string;
  apiToken: string;
  /** Environment of the CLI (file-backend settings, engine options). */
  env: Record<string, string>;
  backendQuery: string;
  /** Another backend than a file:// one in a temp dir (postgres://...): no checkpoint count, no state file figures. */
  backendUrl?: string;
  /** The CLI to time, and the directory whose bin/ holds it and the dynamic-provider launcher. */
  pulumiBin: string;
  toolsDir: string;
  /** In the "noop" phase: the no-op up too (--quick leaves it out). */
  noopUp?: boolean;
  /** Go CPU profile of `pulumi up` (prefix). */
  profile?: string;
  /** "up" (default), or "noop" on the stack an "up" phase left in `reuse`. */
  phase?: "up" | "noop";
  /** After "up": keep the stack's directories for a "noop" phase (they are printed in the result). */
  keep?: boolean;
  reuse?: { home: string; workDir: string; stateDir: string };
}

export interface OpFigures {
  wallMs: number;
  harnessMs: number;
  cliCpuMs?: number;
  hostCpuMs?: number;
  programCpuMs: number;
  changes?: Record<string, number>;
}

const lines = readline.createInterface({ input: process.stdin });
const acks: Array<() => void> = [];
lines.on("line", (l) => {
  if (l.trim() === "go") acks.shift()?.();
});
/** Tells the parent where we are; resolves when it is ready. */
function phase(event: string, data: Record<string, unknown> = {}): Promise<void> {
  return new Promise((resolve) => {
    acks.push(resolve);
    process.stdout.write(`@bench ${JSON.stringify({ event, ...data })}\n`);
  });
}

async function main() {
  const spec: WorkerSpec = JSON.parse(process.argv[2]);
  const cli = rusageCli(spec.pulumiBin);
  const { exoclickBanner } = require("../examples/exoclick-banner/program");
  const e = await engineStack({
    project: "adnet-bench",
    stack: spec.stack,
    program: async () => exoclickBanner({ prefix: spec.prefix, count: spec.n }),
    workDir: path.resolve(__dirname, "..", "..", "examples", "exoclick-banner"),
    config: spec.design === "plugin"
      ? { "adnetworks:exoclick": { value: JSON.stringify({ apiToken: spec.apiToken, baseUrl: spec.baseUrl }), secret: true } }
      : { "exoclick:baseUrl": { value: spec.baseUrl }, "exoclick:apiToken": { value: spec.apiToken, secret: true } },
    env: { ...spec.env, ...(cli?.env ?? {}), ...(spec.profile ? { ADNET_PULUMI_PROFILE: spec.profile } : {}) },
    backendQuery: spec.backendQuery,
    backendUrl: spec.backendUrl,
    pulumiRoot: cli?.root,
    toolsDir: spec.toolsDir,
    reuse: spec.reuse,
  });
  let keep = false;
  const timed = async (verb: string, op: () => Promise<any>): Promise<{ figures: OpFigures; result: any }> => {
    const from = cli?.records().length ?? 0;
    const cpu0 = process.cpuUsage();
    const t0 = Date.now();
    const result = await op();
    const harnessMs = Date.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const rec = cli?.last(verb, from);
    return {
      result,
      figures: { wallMs: rec?.wallMs ?? harnessMs, harnessMs, cliCpuMs: rec?.cpuMs, hostCpuMs: rec?.childrenCpuMs, programCpuMs: Math.round((cpu.user + cpu.system) / 1000) },
    };
  };
  try {
    const out: any = { loadavg: { before: os.loadavg()[0] } };
    if (spec.phase !== "noop") {
      await phase("up-start");
      const cps = spec.backendUrl ? { stop: () => ({ count: 0, bytes: 0 }) } : watchCheckpoints(e.stateDir);
      const hosts = sampleHosts();
      const up = await timed("up", () => (spec.design === "closure" ? withClosureDesign(exoclickClasses(), () => e.stack.up()) : spec.design === "plugin" ? withPluginClasses(() => e.stack.up()) : e.stack.up()));
      const host = hosts.stop();
      const cp = cps.stop();
      up.figures.changes = up.result.summary.resourceChanges;
      await phase("up-done");
      out.up = { ...up.figures, checkpoints: cp.count, checkpointBytes: cp.bytes, providerHosts: host.processes, providerHostPeakMb: +(host.peakKb / 1024).toFixed(1) };
      out.state = spec.backendUrl ? undefined : stateFigures(e.stateDir);
      if (spec.keep) out.dirs = { home: e.home, workDir: e.workDir, stateDir: e.stateDir };
    } else {
      await phase("noop-start", { op: "preview" });
      const onDesign = <T>(op: () => Promise<T>) => (spec.design === "plugin" ? withPluginClasses(op) : op());
      out.preview = (await timed("preview", () => onDesign(() => e.stack.preview()))).figures;
      await phase("noop-done", { op: "preview" });
      if (spec.noopUp !== false) {
        await phase("noop-start", { op: "up" });
        const up2 = await timed("up", () => onDesign(() => e.stack.up()));
        out.noopUp = { ...up2.figures, changes: up2.result.summary.resourceChanges };
        await phase("noop-done", { op: "up" });
      }
      await phase("noop-start", { op: "refresh" });
      const rf = await timed("refresh", () => onDesign(() => e.stack.refresh()));
      out.refresh = { ...rf.figures, changes: rf.result.summary.resourceChanges };
      await phase("noop-done", { op: "refresh" });
    }
    out.loadavg.after = os.loadavg()[0];
    keep = !!spec.keep && spec.phase !== "noop";
    await phase("result", { result: out });
  } finally {
    if (!keep) e.cleanup();
    cli?.cleanup();
    lines.close();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stdout.write(`@bench ${JSON.stringify({ event: "error", message: String(err?.stack ?? err) })}\n`);
    process.exit(1);
  },
);
