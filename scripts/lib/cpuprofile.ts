/**
 * Summaries of V8 CPU profiles (`node --cpu-prof`, or the inspector's
 * Profiler in this process): self and inclusive time per function and self
 * time per area (our provider, Pulumi's SDK, gRPC/protobuf, Node itself, GC).
 */
import * as fs from "fs";
import * as inspector from "inspector";
import * as os from "os";
import * as path from "path";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
export interface CpuProfile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** The part of the code a URL belongs to. */
export function area(url: string, fn: string): string {
  if (!url) return fn.startsWith("(") ? fn : "(native)";
  if (url.startsWith("node:")) return "node";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + "node_modules/".length).split("/");
    const pkg = rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
    if (pkg === "@pulumi/pulumi") return `@pulumi/pulumi/${rest[2] === "proto" ? "proto" : rest.slice(2, -1).join("/") || "."}`;
    if (pkg === "pulumi-adnetworks") return "ours: " + rest.slice(1).join("/").replace(/^dist\//, "");
    return pkg;
  }
  const d = url.indexOf("/dist/");
  if (d >= 0) return "ours: " + url.slice(d + 6).replace(/\/[^/]*$/, "");
  return url.replace(/^file:\/\//, "");
}

export interface Summary {
  totalMs: number;
  byArea: Array<[string, number]>;
  selfTop: Array<[string, number]>;
  inclusiveTop: Array<[string, number]>;
}

export function summarize(p: CpuProfile, top = 25): Summary {
  const byId = new Map<number, Node>(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n: Node) => {
    const f = n.callFrame;
    const file = f.url ? f.url.replace(/^file:\/\//, "").replace(/.*node_modules\//, "").replace(/.*\/dist\//, "") : "";
    return `${f.functionName || "(anonymous)"} ${file ? `${file}:${f.lineNumber + 1}` : ""}`.trim();
  };
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  const areas = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    const n = byId.get(id);
    if (!n || n.callFrame.functionName === "(idle)") return;
    total += dt;
    self.set(key(n), (self.get(key(n)) ?? 0) + dt);
    const a = area(n.callFrame.url, n.callFrame.functionName);
    areas.set(a, (areas.get(a) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = key(byId.get(cur)!);
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + dt);
    }
  });
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => [k, +v.toFixed(1)] as [string, number]);
  return { totalMs: +total.toFixed(1), byArea: sorted(areas), selfTop: sorted(self), inclusiveTop: sorted(incl).filter(([k]) => !/^\((root|program)\)/.test(k)) };
}

export function formatSummary(title: string, s: Summary, rows = 15): string {
  const pct = (v: number) => `${((100 * v) / (s.totalMs || 1)).toFixed(1).padStart(5)}%`;
  return [
    `${title}: ${(s.totalMs / 1000).toFixed(2)} s of samples (idle excluded)`,
    "  by area (self):",
    ...s.byArea.slice(0, rows).map(([k, v]) => `    ${pct(v)} ${v.toFixed(0).padStart(6)} ms  ${k}`),
    "  functions (self):",
    ...s.selfTop.slice(0, rows).map(([k, v]) => `    ${pct(v)} ${v.toFixed(0).padStart(6)} ms  ${k}`),
    "  functions (inclusive):",
    ...s.inclusiveTop.slice(0, rows).map(([k, v]) => `    ${pct(v)} ${v.toFixed(0).padStart(6)} ms  ${k}`),
  ].join("\n");
}

export function readProfile(file: string): CpuProfile {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

/** The largest .cpuprofile a process wrote into `dir` (the launcher's `node -e` writes a tiny one too). */
export function largestProfile(dir: string): string | undefined {
  if (!fs.existsSync(dir)) return undefined;
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".cpuprofile")).map((f) => path.join(dir, f));
  return files.sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
}

/** Profiles this process (the inline program runs here) while `fn` runs. */
export async function profileThisProcess<T>(fn: () => Promise<T>, intervalUs = 500): Promise<{ result: T; profile: CpuProfile }> {
  const session = new inspector.Session();
  session.connect();
  const post = (m: string, params?: object) =>
    new Promise<any>((resolve, reject) => session.post(m, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));
  await post("Profiler.enable");
  await post("Profiler.setSamplingInterval", { interval: intervalUs });
  await post("Profiler.start");
  try {
    const result = await fn();
    const { profile } = await post("Profiler.stop");
    return { result, profile };
  } finally {
    session.disconnect();
  }
}

/** A pulumi-resource-pulumi-nodejs launcher that starts the host with --cpu-prof when ADNET_HOST_PROF_DIR is set. */
export function hostLauncher(): string {
  // NODE_OPTIONS may not carry --cpu-prof: the launcher starts the host with it, as its child rather
  // than exec'd: the engine kills the plugin's process group (SIGKILL, no profile written), so it runs
  // in its own (setsid); the host then sees its parent gone and exits (core/engine/parent.ts), which writes the profile.
  const binDir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-host-bin-"));
  const host = require.resolve("pulumi-adnetworks/dynamic-host");
  fs.writeFileSync(path.join(binDir, "pulumi-resource-pulumi-nodejs"),
    `#!/bin/sh\nif [ -n "$ADNET_HOST_PROF_DIR" ]; then setsid node --cpu-prof --cpu-prof-dir="$ADNET_HOST_PROF_DIR" --cpu-prof-interval=500 '${host}' "$@" & wait; exit; fi\nexec node '${host}' "$@"\n`, { mode: 0o755 });
  return binDir;
}
