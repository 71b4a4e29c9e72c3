import * as fs from "fs";
import * as path from "path";
import { checkpointText } from "../../provider/core/engine/filestate";
import * as auto from "@pulumi/pulumi/automation";
import { engineStack, EngineStack, ROOT } from "../../scripts/lib/engine";
import { startSandbox, Sandbox, SandboxOptions } from "../../provider/sandbox/server";

export { ROOT };

/**
 * A real-engine test stack against its own sandbox. The program is swapped
 * between operations (`setProgram`) to model the user editing their code.
 */
export interface E2E {
  sb: Sandbox;
  e: EngineStack;
  setProgram(p: auto.PulumiFn): void;
  up(): Promise<auto.UpResult>;
  preview(): Promise<auto.PreviewResult>;
  refresh(): Promise<auto.RefreshResult>;
  destroy(): Promise<auto.DestroyResult>;
  /** The latest deployment as stored in the state file (secrets stay encrypted). */
  state(): Promise<any>;
  resources(type?: string): Promise<any[]>;
  close(): Promise<void>;
}

export async function e2e(opts: {
  program: auto.PulumiFn;
  /** Program directory (relative to the repo root), where relative paths resolve. */
  workDir?: string | string[];
  config: (sb: Sandbox) => Record<string, auto.ConfigValue>;
  sandbox?: SandboxOptions;
  stack?: string;
  env?: (sb: Sandbox) => Record<string, string>;
  project?: string;
  /** Directory holding bin/pulumi (and plugins that take precedence over .tools/bin). */
  pulumiRoot?: string;
}): Promise<E2E> {
  const sb = await startSandbox({ port: 0, ...(opts.sandbox ?? {}) });
  let program = opts.program;
  let runs = 0;
  const e = await engineStack({
    project: opts.project ?? "adnet-e2e",
    program: () => {
      runs++;
      return program();
    },
    workDir: [opts.workDir ?? "."].flat().map((d) => path.join(ROOT, d)),
    stack: opts.stack,
    config: opts.config(sb),
    // Results at preview read the networks' statistics (issue #34): off in tests that count a preview's
    // requests for another purpose; a test turns them on with its env (test/e2e.results.test.ts).
    env: { ADNETWORKS_SHOW_RESULTS: "false", ...(opts.env?.(sb) ?? {}) },
    pulumiRoot: opts.pulumiRoot,
  });
  const out = (s: string) => {
    if (process.env.ADNET_TEST_VERBOSE) process.stdout.write(s);
  };
  /**
   * An up or preview that succeeds without running the program is a failure
   * of the harness, never a result: the SDK's inline-program server reports
   * success when its first call to the engine fails (see
   * isolateEngineConnections in scripts/lib/engine.ts).
   */
  const ran = async <T>(verb: string, op: () => Promise<T>): Promise<T> => {
    const before = runs;
    const result = await op();
    if (runs === before) throw new Error(`pulumi ${verb} reported success but the program never ran (the SDK swallowed a gRPC error at start)`);
    return result;
  };
  const h: E2E = {
    sb,
    e,
    setProgram: (p) => (program = p),
    up: () => ran("up", () => e.stack.up({ onOutput: out })),
    preview: () => ran("preview", () => e.stack.preview({ onOutput: out, diff: true })),
    refresh: () => e.stack.refresh({ onOutput: out }),
    destroy: () => e.stack.destroy({ onOutput: out }),
    state: async () => readCheckpoint(stateFile(e.stateDir)).checkpoint.latest,
    resources: async (type) =>
      ((await h.state()).resources ?? []).filter((r: any) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:") && (!type || r.type.endsWith(type))),
    close: async () => {
      e.cleanup();
      await sb.close();
    },
  };
  return h;
}

/** Changes a preview would make, by operation, without "same". */
export function changes(p: { changeSummary: Record<string, number | undefined> }): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(p.changeSummary)) if (k !== "same" && v) out[k] = v;
  return out;
}

/**
 * Runs a stack operation, collecting the engine's error diagnostics (trimmed)
 * as they come; a failed operation is returned as `error`, not thrown.
 */
export async function attempt(f: (o: { onEvent: (e: auto.EngineEvent) => void }) => Promise<unknown>): Promise<{ error?: Error; errors: string[] }> {
  const errors: string[] = [];
  const onEvent = (e: auto.EngineEvent) => {
    if (e.diagnosticEvent?.severity === "error") errors.push(e.diagnosticEvent.message.trim());
  };
  try {
    await f({ onEvent });
    return { errors };
  } catch (e: any) {
    return { error: e, errors };
  }
}

/** A checkpoint file as stored (plain, gzip or zstd: PULUMI_DIY_BACKEND_ZSTD is the default here). */
export function readCheckpoint(file: string): any {
  return JSON.parse(checkpointText(fs.readFileSync(file), file));
}

/** The stack's checkpoint file in a file backend. */
export function stateFile(stateDir: string): string {
  const root = path.join(stateDir, ".pulumi", "stacks");
  const found: string[] = [];
  const walk = (d: string) => {
    for (const f of fs.readdirSync(d, { withFileTypes: true })) {
      if (f.isDirectory()) walk(path.join(d, f.name));
      else if (/\.json(\.gz|\.zst)?$/.test(f.name)) found.push(path.join(d, f.name));
    }
  };
  walk(root);
  if (found.length !== 1) throw new Error(`expected one stack file under ${root}, found ${found.length}`);
  return found[0];
}
