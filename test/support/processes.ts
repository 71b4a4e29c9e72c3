import { spawn, SpawnOptions } from "child_process";
import * as fs from "fs";

/** What a finished child printed: stdout, stderr, and both as they came (`out`). */
export interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
  out: string;
}

/** Runs a command to its end without blocking this process (a sandbox served from here keeps answering). */
export function runChild(cmd: string, args: string[], opts: Pick<SpawnOptions, "cwd" | "env"> = {}): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ["ignore", "pipe", "pipe"] });
    const r: ChildRun = { code: null, stdout: "", stderr: "", out: "" };
    child.stdout!.on("data", (d) => ((r.stdout += d), (r.out += d)));
    child.stderr!.on("data", (d) => ((r.stderr += d), (r.out += d)));
    child.on("error", reject);
    child.on("close", (code) => resolve({ ...r, code }));
  });
}

/** A process as /proc shows it. */
export interface Proc {
  pid: number;
  ppid: number;
  state: string;
  cmd: string;
}

/** Every process on the machine, from /proc (Linux). */
export function processes(): Map<number, Proc> {
  const out = new Map<number, Proc>();
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0").join(" ").trim();
      out.set(Number(d), { pid: Number(d), ppid: Number(rest[1]), state: rest[0], cmd });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** The process tree below `root` (children, grandchildren...). */
export function descendants(root: number): Proc[] {
  const all = [...processes().values()];
  const found: Proc[] = [];
  const walk = (pid: number) => {
    for (const p of all) if (p.ppid === pid) (found.push(p), walk(p.pid));
  };
  walk(root);
  return found;
}

/** Still running (a zombie has exited); the command line must match, so a reused pid does not count. */
export function alive(p: Proc): boolean {
  const now = processes().get(p.pid);
  return !!now && now.state !== "Z" && now.cmd === p.cmd;
}

/**
 * Ends processes a test started, by pid. The CLI puts each plugin in its own
 * process group, so killing the CLI's group does not reach them.
 */
export function killAll(procs: Proc[]): void {
  for (const p of procs) {
    if (!alive(p)) continue;
    try {
      process.kill(p.pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
}
