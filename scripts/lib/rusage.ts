/**
 * The Pulumi CLI wrapped so that every invocation's wall and CPU time is
 * recorded (scripts/lib/pulumi-rusage.py): the CLI's own CPU and its
 * children's (the dynamic-provider host). Used by the benchmark and the
 * profiler.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT, TOOLS } from "./engine";

export interface CliRecord {
  args: string[];
  wallMs: number;
  cpuMs?: number;
  childrenCpuMs?: number;
}

export interface RusageCli {
  /** Directory holding bin/pulumi (pass as pulumiRoot). */
  root: string;
  log: string;
  env: Record<string, string>;
  records(): CliRecord[];
  /** The last record of `verb` since `from` records. */
  last(verb: string, from: number): CliRecord | undefined;
  cleanup(): void;
}

/** Undefined when python3 (with os.waitid) is missing: no per-process CPU figures then. */
export function rusageCli(pulumiBin = path.join(TOOLS, "bin", "pulumi")): RusageCli | undefined {
  const script = path.join(ROOT, "scripts", "lib", "pulumi-rusage.py");
  try {
    execFileSync("python3", ["-c", "import os; os.waitid"], { stdio: "ignore" });
  } catch {
    return undefined;
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-bench-cli-"));
  fs.mkdirSync(path.join(root, "bin"));
  fs.writeFileSync(path.join(root, "bin", "pulumi"), `#!/bin/sh\nADNET_PULUMI_REAL='${pulumiBin}' exec python3 '${script}' "$@"\n`, { mode: 0o755 });
  const log = path.join(root, "rusage.jsonl");
  const records = (): CliRecord[] =>
    fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l)) : [];
  return {
    root,
    log,
    env: { ADNET_PULUMI_RUSAGE: log },
    records,
    last: (verb, from) => records().slice(from).filter((r) => r.args[0] === verb).pop(),
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}
