/** What the benchmark reads off a Pulumi run: checkpoints, state sizes, provider-host memory. */
import * as fs from "fs";
import * as path from "path";
import { readCheckpoint, stateFile } from "../../test/support/engine";

/** Counts replacements of the stack's state file (one per checkpoint) and sums their sizes. */
export function watchCheckpoints(stateDir: string) {
  const dir = path.dirname(stateFile(stateDir));
  const name = /^[^.]+\.json(\.gz|\.zst)?$/;
  let count = 0;
  let bytes = 0;
  const w = fs.watch(dir, (event, file) => {
    if (event !== "rename" || !file || !name.test(String(file))) return;
    try {
      bytes += fs.statSync(path.join(dir, String(file))).size;
      count++;
    } catch {
      // replaced again already, or a compression switch removed it
    }
  });
  return {
    stop() {
      w.close();
      return { count, bytes };
    },
  };
}

export interface StateFigures {
  file: string;
  bytes: number;
  jsonBytes: number;
  resources: number;
  bytesPerResource: number;
  jsonBytesPerResource: number;
  campaignJsonBytes?: number;
  campaignParts: Record<string, number>;
  providerTextBytes?: number;
}

export function stateFigures(stateDir: string): StateFigures {
  const file = stateFile(stateDir);
  const bytes = fs.statSync(file).size;
  const checkpoint = readCheckpoint(file);
  const raw = Buffer.from(JSON.stringify(checkpoint));
  const latest = checkpoint.checkpoint.latest;
  const all: any[] = latest?.resources ?? [];
  const custom = all.filter((r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:"));
  const campaign = custom.find((r) => r.type.endsWith("exoclick:Campaign"));
  const parts: Record<string, number> = {};
  if (campaign) for (const [k, v] of Object.entries(campaign)) parts[k] = Buffer.byteLength(JSON.stringify(v));
  return {
    file: path.basename(file),
    bytes,
    jsonBytes: raw.length,
    resources: custom.length,
    bytesPerResource: custom.length ? Math.round(bytes / custom.length) : 0,
    jsonBytesPerResource: custom.length ? Math.round(raw.length / custom.length) : 0,
    campaignJsonBytes: campaign ? Buffer.byteLength(JSON.stringify(campaign)) : undefined,
    campaignParts: parts,
    providerTextBytes: typeof campaign?.outputs?.__provider === "string" ? Buffer.byteLength(campaign.outputs.__provider) : undefined,
  };
}

export interface HostMemory {
  processes: number;
  peakKb: number;
}

/**
 * Samples VmHWM (peak RSS) and VmRSS of every provider host (a `node`
 * process whose command line names dynamic-host, dynamic-provider or the plugin's main.js) among
 * this process's descendants while a Pulumi operation runs.
 */
export function sampleHosts(everyMs = 150): { stop(): HostMemory } {
  const seen = new Map<number, number>(); // pid -> peak kB
  const isHost = (argv: string[]) =>
    /(^|\/)node$/.test(argv[0] ?? "") && !argv.includes("-e") && argv.some((a) => /dynamic-host(\.js)?$|dynamic-provider(\/index\.js)?$|plugin\/main\.js$/.test(a));
  const tick = () => {
    let pids: string[];
    try {
      pids = fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p));
    } catch {
      return;
    }
    // Only this process's descendants (other runs may share the machine).
    const parent = new Map<number, number>();
    for (const p of pids) {
      try {
        const stat = fs.readFileSync(`/proc/${p}/stat`, "utf8");
        parent.set(Number(p), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
      } catch {
        // gone
      }
    }
    const mine = (pid: number) => {
      for (let p = parent.get(pid), hops = 0; p && hops < 20; p = parent.get(p), hops++) if (p === process.pid) return true;
      return false;
    };
    for (const p of pids) {
      const pid = Number(p);
      if (pid === process.pid || !mine(pid)) continue;
      try {
        // Read every time: the launcher (sh) execs node under the same pid.
        if (!seen.has(pid) && !isHost(fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0"))) continue;
        const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
        const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
        const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
        seen.set(pid, Math.max(seen.get(pid) ?? 0, hwm, rss));
      } catch {
        // the process ended between the listing and the read
      }
    }
  };
  tick();
  const timer = setInterval(tick, everyMs);
  return {
    stop() {
      tick();
      clearInterval(timer);
      return { processes: seen.size, peakKb: Math.max(0, ...seen.values()) };
    },
  };
}

/** Median, min and max of the defined values. */
export function stat(values: Array<number | undefined>): { median: number; min: number; max: number; n: number } | undefined {
  const v = values.filter((x): x is number => typeof x === "number" && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return undefined;
  const mid = Math.floor(v.length / 2);
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median, min: v[0], max: v[v.length - 1], n: v.length };
}
