import * as fs from "fs";

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
