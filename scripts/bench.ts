/**
 * npm run bench [-- options]     (a benchmark: it prints figures; it asserts nothing)
 *
 *   --sizes 100,400        campaigns per run (4 resources each)
 *   --latency-ms 25,200    sandbox latency per request: every size runs at the first latency,
 *                          the other latencies run --other-latency-sizes (default: the first size)
 *   --other-latency-sizes 100,400
 *   --closure-sizes 100    sizes also run with the serialized-closure design (at the first latency); "none" to skip
 *   --backend-variants     also run the first size at the first latency with each file-backend option
 *   --profile              write a Go CPU profile of each `pulumi up` (bench/profiles/) and print its top functions
 *   --no-noop              skip the no-op preview and up
 *   --quick                = --sizes 100 --latency-ms 25 --closure-sizes 100
 *
 * Against an in-process sandbox with a fixed latency per request it measures
 * `pulumi up` from empty of N ExoClick banner campaigns through the real
 * engine, against a plain script that makes the same HTTP calls in the same
 * dependency order with the same concurrency (the most requests the sandbox
 * saw in flight during the engine's run). The `pulumi up` process is timed by
 * itself (scripts/lib/pulumi-rusage.py wraps the CLI and records its wall
 * and CPU time), apart from the Automation API's other CLI calls. Checkpoints
 * are counted as the state file is replaced (inotify), with their sizes.
 * The comparison row runs the same program with the previous design (each
 * resource a `pulumi.dynamic.Resource` carrying its serialized closure).
 * Prints tables and writes the figures to bench/results.json.
 */
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import fetch from "node-fetch";
import FormData from "form-data";
import type * as auto from "@pulumi/pulumi/automation";
import { startSandbox, Sandbox, JournalEntry } from "../provider/sandbox/server";
import { engineStack, ROOT, TOOLS, sdkVersion } from "./lib/engine";
import { readCheckpoint, stateFile } from "../test/support/engine";

// ---------------------------------------------------------------- options

const argv = process.argv.slice(2);
function opt(name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}
const QUICK = argv.includes("--quick");
const list = (v: string | undefined, dflt: string) =>
  (v ?? dflt) === "none" ? [] : (v ?? dflt).split(",").map((x) => Number(x.trim())).filter((n) => Number.isInteger(n) && n >= 0);
const SIZES = list(opt("--sizes"), QUICK ? "100" : "100,400").filter((n) => n > 0);
const LATENCIES = list(opt("--latency-ms"), QUICK ? "25" : "25,200");
const OTHER_LATENCY_SIZES = list(opt("--other-latency-sizes"), String(SIZES[0] ?? 100)).filter((n) => n > 0);
const CLOSURE_SIZES = list(opt("--closure-sizes"), "100").filter((n) => n > 0);
const BACKEND_VARIANTS = argv.includes("--backend-variants");
const PROFILE = argv.includes("--profile");
const NOOP = !argv.includes("--no-noop");
if (!SIZES.length || !LATENCIES.length) {
  console.error("usage: npm run bench -- [--sizes 100,400] [--latency-ms 25,200] [--other-latency-sizes 100] [--closure-sizes 100|none] [--backend-variants] [--profile] [--no-noop] [--quick]");
  process.exit(2);
}
const WORK_DIR = path.join(ROOT, "examples", "exoclick-banner");
const IMAGE = path.join(WORK_DIR, "banner-300x250.png");
const OUT_DIR = path.join(ROOT, "bench");
const OUT_FILE = path.join(OUT_DIR, "results.json");

const line = (s = "") => process.stdout.write(s + "\n");
const sec = (t: number | undefined) => (t === undefined ? "n/a" : (t / 1000).toFixed(2) + " s");
const mib = (b: number) => (b / 1024 / 1024).toFixed(1) + " MiB";

// ------------------------------------------- requests in flight at the sandbox

/**
 * Counts requests in flight at the sandbox's HTTP server (from the request
 * arriving to the response closing), by wrapping the listener that
 * startSandbox hands to http.createServer. Nothing in the sandbox changes.
 */
const inflight = { now: 0, max: 0 };
function countInflight<T>(start: () => Promise<T>): Promise<T> {
  const mod = require("http") as typeof http;
  const orig = mod.createServer;
  (mod as any).createServer = (...a: any[]) => {
    const i = a.findIndex((x) => typeof x === "function");
    const listener = a[i] as http.RequestListener;
    a[i] = (req: http.IncomingMessage, res: http.ServerResponse) => {
      inflight.now++;
      inflight.max = Math.max(inflight.max, inflight.now);
      res.once("close", () => inflight.now--);
      return listener(req, res);
    };
    return (orig as any)(...a);
  };
  return start().finally(() => ((mod as any).createServer = orig));
}

// ------------------------------------------------ provider-host memory sampler

interface HostMemory {
  processes: number;
  peakKb: number;
}

/**
 * Samples VmHWM (peak RSS) and VmRSS of every dynamic-provider host (a `node`
 * process whose command line names dynamic-host or dynamic-provider) among
 * this process's descendants while a Pulumi operation runs.
 */
function sampleHosts(everyMs = 150): { stop(): HostMemory } {
  const seen = new Map<number, number>(); // pid -> peak kB
  const isHost = (argv: string[]) =>
    /(^|\/)node$/.test(argv[0] ?? "") && !argv.includes("-e") && argv.some((a) => /dynamic-host(\.js)?$|dynamic-provider(\/index\.js)?$/.test(a));
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

// ------------------------------------------------------------ journal figures

interface Traffic {
  requests: number;
  writes: number;
  logins: number;
  byRoute: Record<string, number>;
  /** ms from the operation's start to the first request, and from the last request to its end. */
  firstRequestAfterMs?: number;
  lastRequestBeforeEndMs?: number;
}

const WRITE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
function route(e: JournalEntry): string {
  return `${e.method} ${e.path.replace(/\/\d+/g, "/:id")}`;
}
function traffic(entries: JournalEntry[], t0?: number, t1?: number): Traffic {
  const byRoute: Record<string, number> = {};
  for (const e of entries) byRoute[route(e)] = (byRoute[route(e)] ?? 0) + 1;
  const times = entries.map((e) => Date.parse(e.time));
  return {
    requests: entries.length,
    writes: entries.filter((e) => WRITE.has(e.method)).length,
    logins: entries.filter((e) => e.method === "POST" && /\/login$/.test(e.path)).length,
    byRoute,
    firstRequestAfterMs: t0 !== undefined && times.length ? Math.min(...times) - t0 : undefined,
    lastRequestBeforeEndMs: t1 !== undefined && times.length ? t1 - Math.max(...times) : undefined,
  };
}

/** Runs `fn`, returning its wall time and the sandbox traffic and peak in-flight it caused. */
async function measured<T>(sb: Sandbox, fn: () => Promise<T>, opts: { sampleHosts?: boolean } = {}) {
  const from = sb.journal.length;
  inflight.max = inflight.now;
  const sampler = opts.sampleHosts ? sampleHosts() : undefined;
  const t0 = Date.now();
  const result = await fn();
  const t1 = Date.now();
  const host = sampler?.stop();
  return { result, ms: t1 - t0, traffic: traffic(sb.journal.slice(from), t0, t1), maxInflight: inflight.max, host };
}

// --------------------------------------------------------- the plain baseline

/** At most `limit` tasks at once, in the order they are submitted. */
function limiter(limit: number) {
  let active = 0;
  const queue: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((r) => queue.push(r));
    active++;
    try {
      return await task();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

/**
 * The same HTTP calls as `pulumi up` of exoclickBanner({ prefix, count }),
 * without Pulumi and without this package's client (node-fetch, as the
 * provider's HTTP layer uses): log in, then per campaign POST library/url,
 * POST library/file (multipart) and POST campaigns, and POST the variation
 * once the three exist. Returns the number of objects made.
 */
async function plainScript(baseUrl: string, apiToken: string, prefix: string, count: number, concurrency: number): Promise<number> {
  const image = fs.readFileSync(IMAGE);
  const run = limiter(concurrency);
  const call = async (method: string, p: string, body: { json?: unknown; form?: () => FormData }, token?: string): Promise<any> => {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (token) headers.Authorization = `Bearer ${token}`;
    let payload: any;
    if (body.json !== undefined) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body.json);
    } else if (body.form) {
      const fd = body.form();
      Object.assign(headers, fd.getHeaders());
      payload = fd.getBuffer();
    }
    const res = await fetch(`${baseUrl}${p}`, { method, headers, body: payload });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text.slice(0, 200)}`);
    return text ? JSON.parse(text) : undefined;
  };
  const { token } = await run(() => call("POST", "/login", { json: { api_token: apiToken } }));
  let made = 0;
  await Promise.all(Array.from({ length: count }, async (_, i) => {
    const suffix = count > 1 ? `-${i + 1}` : "";
    const [url, file, campaign] = await Promise.all([
      run(() => call("POST", "/library/url", { json: { url: `https://your-landing-page.com${suffix ? `/?n=${i + 1}` : ""}` } }, token)),
      run(() => call("POST", "/library/file", {
        form: () => {
          const fd = new FormData();
          fd.append("file", image, { filename: path.basename(IMAGE) });
          fd.append("type", "image");
          return fd;
        },
      }, token)),
      run(() => call("POST", "/campaigns", {
        json: {
          name: `Banner 300x250 Production${suffix ? ` ${prefix}${suffix}` : ""}`,
          status: 0,
          advertiser_ad_type: 0,
          media_storage_template: "img_banner",
          size: "300x250",
          categories: { type: "targeted", elements: [97, 98, 99] },
          countries: { type: "targeted", elements: [{ country: "USA", regions: [0] }] },
          pricing: { model: 4, price: 300 },
          start_date: "2026-03-02",
          daily_limit_type: 1,
          max_daily_budget: 2000,
          budget_delivery_mode: 1,
          run_on_responsive_zones: 1,
        },
      }, token)),
    ]);
    await run(() => call("POST", `/campaigns/${campaign.id}/variation`, {
      form: () => {
        const fd = new FormData();
        fd.append("id_library_url", String(url.id));
        fd.append("id_library_file", String(file.id));
        fd.append("active", "1");
        return fd;
      },
    }, token));
    made += 4;
  }));
  return made;
}

// ------------------------------------------------------------------- helpers

function machine() {
  const cpus = os.cpus();
  return {
    nproc: os.availableParallelism?.() ?? cpus.length,
    cpuModel: cpus[0]?.model?.trim() ?? "unknown",
    totalMemoryMb: Math.round(os.totalmem() / 1024 / 1024),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    pulumiSdk: sdkVersion(),
  };
}

/** Load average over the last minute, per CPU: how busy the machine was (others may share it). */
function load(): number {
  return +(os.loadavg()[0] / (os.availableParallelism?.() ?? os.cpus().length)).toFixed(2);
}

/** Bytes of the provider text each design stores in every resource's __provider. */
async function providerTextBytes(): Promise<{ reference: Record<string, number>; closure: Record<string, number> }> {
  const { types } = require("../provider/core/registry");
  const { shim } = require("../provider/core/shim");
  const { providerReference } = require("../provider/core/reference");
  const reference: Record<string, number> = {};
  const closure: Record<string, number> = {};
  for (const key of types() as string[]) {
    reference[key] = Buffer.byteLength(providerReference(key));
    // As pulumi.dynamic.Resource does it: the provider object, captured by a closure.
    const provider = shim(key);
    closure[key] = Buffer.byteLength((await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text);
  }
  return { reference, closure };
}

/**
 * The previous design, for the comparison row: each resource a
 * `pulumi.dynamic.Resource` whose __provider is the serialized closure of
 * core/shim.ts (2.2 KB), with one provider object per resource type, as a
 * typical dynamic provider has (`const provider = { create, ... }` at module
 * level), so the SDK serializes each type's closure once and reuses the text
 * (its cache is keyed by the provider object). The resource classes are the
 * current ones; while `withClosureDesign` runs, the class in each chain that
 * extends AdnetResource (`resourceClass`'s class, one level below the
 * exported one) extends this base instead (a class's super constructor is
 * its prototype), so props, types and names are exactly the same.
 */
export async function withClosureDesign<T>(classes: Function[], fn: () => Promise<T>): Promise<T> {
  const { shim } = require("../provider/core/shim");
  const { AdnetResource } = require("../provider/core/reference");
  const providers = new Map<string, pulumi.dynamic.ResourceProvider>();
  class ClosureResource extends pulumi.dynamic.Resource {
    constructor(key: string, name: string, props: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) {
      const [module, type] = key.split(":");
      if (!providers.has(key)) providers.set(key, shim(key));
      super(providers.get(key)!, name, { ...props }, opts, module, type);
    }
  }
  const swapped: Array<[Function, Function]> = [];
  for (const c of classes) {
    let link: Function | null = c;
    while (link && Object.getPrototypeOf(link) !== AdnetResource) link = Object.getPrototypeOf(link);
    if (!link) throw new Error(`withClosureDesign: ${c.name} does not extend AdnetResource`);
    if (!swapped.some(([l]) => l === link)) swapped.push([link, Object.getPrototypeOf(link)]);
  }
  swapped.forEach(([l]) => Object.setPrototypeOf(l, ClosureResource));
  try {
    return await fn();
  } finally {
    swapped.forEach(([l, base]) => Object.setPrototypeOf(l, base));
  }
}

/** The exported ExoClick classes, as the program loads them. */
function exoclickClasses(): Function[] {
  const { exoclick } = require("pulumi-adnetworks");
  return [exoclick.LibraryUrl, exoclick.LibraryFile, exoclick.Campaign, exoclick.Variation];
}

/** The CLI wrapped so that every invocation's wall and CPU time is recorded (scripts/lib/pulumi-rusage.py). */
function rusageRoot(): { root: string; log: string; env: Record<string, string> } | undefined {
  const script = path.join(ROOT, "scripts", "lib", "pulumi-rusage.py");
  try {
    require("child_process").execFileSync("python3", ["-c", "import os; os.waitid"], { stdio: "ignore" });
  } catch {
    return undefined;
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-bench-cli-"));
  fs.mkdirSync(path.join(root, "bin"));
  const real = path.join(TOOLS, "bin", "pulumi");
  fs.writeFileSync(path.join(root, "bin", "pulumi"), `#!/bin/sh\nADNET_PULUMI_REAL='${real}' exec python3 '${script}' "$@"\n`, { mode: 0o755 });
  const log = path.join(root, "rusage.jsonl");
  return { root, log, env: { ADNET_PULUMI_RUSAGE: log } };
}

interface CliRecord {
  args: string[];
  wallMs: number;
  cpuMs?: number;
  childrenCpuMs?: number;
}
function cliRecords(log: string | undefined): CliRecord[] {
  if (!log || !fs.existsSync(log)) return [];
  return fs.readFileSync(log, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

/** Counts replacements of the stack's state file (one per checkpoint) and sums their sizes. */
function watchCheckpoints(stateDir: string) {
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

function stateFigures(stateDir: string) {
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
    providerTextBytes: campaign ? Buffer.byteLength(campaign.outputs.__provider) : undefined,
  };
}

function table(rows: Array<Array<string | number>>, head: string[]): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const fmt = (r: string[]) => "| " + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ") + " |";
  return [fmt(head), "|" + widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : "-".repeat(w + 1) + ":")).join("|") + "|", ...cells.slice(1).map(fmt)].join("\n");
}

/** The file-backend settings a run uses: environment and file:// URL query. */
interface Backend {
  label: string;
  env: Record<string, string>;
  query?: string;
  note?: string;
}
/** What the README recommends for a file backend (and what tests and the demo use). */
const RECOMMENDED: Backend = { label: "recommended", ...require("./lib/engine").RECOMMENDED_FILE_BACKEND };
const VARIANTS: Backend[] = [
  { label: "Pulumi defaults", env: {} },
  { label: "metadata=skip", env: {}, query: "metadata=skip" },
  { label: "DIY_BACKEND_ZSTD", env: { PULUMI_DIY_BACKEND_ZSTD: "true" } },
  { label: "DIY_BACKEND_GZIP", env: { PULUMI_DIY_BACKEND_GZIP: "true" } },
  { label: "GOGC=400", env: { GOGC: "400" } },
  { label: "SKIP_CHECKPOINTS*", env: { PULUMI_SKIP_CHECKPOINTS: "true" }, note: "investigation only: no record of pending creates after a crash" },
];

// ---------------------------------------------------------------------- main

interface Run {
  design: "reference" | "closure";
  n: number;
  latencyMs: number;
  backend: Backend;
  noop?: boolean;
}

async function main() {
  const started = Date.now();
  const info = machine();
  const cli = rusageRoot();
  line(`Benchmark: sizes ${SIZES.join(", ")} (4 resources per campaign), latency ${LATENCIES.join(", ")} ms; closure design at ${CLOSURE_SIZES.join(", ") || "none"}`);
  line(`Machine: ${info.nproc} CPUs (${info.cpuModel}), ${(info.totalMemoryMb / 1024).toFixed(1)} GB, node ${info.node}, @pulumi/pulumi ${info.pulumiSdk}; load ${load()} per CPU at start`);
  if (!cli) line("(python3 with os.waitid is missing: no per-process CPU figures)");

  const runs: Run[] = [];
  for (const [i, latencyMs] of LATENCIES.entries()) {
    for (const n of i === 0 ? SIZES : OTHER_LATENCY_SIZES) runs.push({ design: "reference", n, latencyMs, backend: RECOMMENDED, noop: NOOP && i === 0 && n === SIZES[0] });
  }
  for (const n of CLOSURE_SIZES) runs.push({ design: "closure", n, latencyMs: LATENCIES[0], backend: RECOMMENDED });
  if (BACKEND_VARIANTS) for (const b of VARIANTS) runs.push({ design: "reference", n: SIZES[0], latencyMs: LATENCIES[0], backend: b });

  const providerText = await providerTextBytes();
  const results: any[] = [];
  const sandboxes = new Map<number, Sandbox>();
  const { EXOCLICK_SANDBOX_CREDENTIALS } = require("../provider/exoclick/sandbox");
  const apiToken: string = EXOCLICK_SANDBOX_CREDENTIALS.apiToken;
  const profDir = path.join(OUT_DIR, "profiles");
  if (PROFILE) fs.mkdirSync(profDir, { recursive: true });

  try {
    for (const [i, run] of runs.entries()) {
      let sb = sandboxes.get(run.latencyMs);
      if (!sb) {
        sb = await countInflight(() => startSandbox({ port: 0, latencyMs: run.latencyMs, journalPath: "" }));
        sandboxes.set(run.latencyMs, sb);
      }
      const baseUrl = `${sb.urlFor("exoclick")}/v2`;
      const prefix = `b${i}n${run.n}`;
      const { exoclickBanner } = require("../examples/exoclick-banner/program");
      const profile = PROFILE ? path.join(profDir, `${run.design}-n${run.n}-${run.latencyMs}ms`) : undefined;
      const e = await engineStack({
        project: "adnet-bench",
        stack: `r${i}`,
        program: async () => exoclickBanner({ prefix, count: run.n }),
        workDir: WORK_DIR,
        config: { "exoclick:baseUrl": { value: baseUrl }, "exoclick:apiToken": { value: apiToken, secret: true } },
        env: { ...(run.backend === RECOMMENDED ? {} : { PULUMI_DIY_BACKEND_ZSTD: "false" }), ...run.backend.env, ...(cli?.env ?? {}), ...(profile ? { ADNET_PULUMI_PROFILE: profile } : {}) },
        backendQuery: run.backend.query ?? "",
        pulumiRoot: cli?.root,
      });
      const label = `${run.design === "closure" ? "closure design, " : ""}N=${run.n} @${run.latencyMs} ms${run.backend === RECOMMENDED ? "" : `, ${run.backend.label}`}`;
      try {
        process.stdout.write(`\n${label}: pulumi up ...`);
        const logFrom = cliRecords(cli?.log).length;
        const cps = watchCheckpoints(e.stateDir);
        const loadBefore = load();
        const up = await measured(sb, () => (run.design === "closure" ? withClosureDesign(exoclickClasses(), () => e.stack.up()) : e.stack.up()), { sampleHosts: true });
        const cp = cps.stop();
        const upProc = cliRecords(cli?.log).slice(logFrom).filter((r) => r.args[0] === "up").pop();
        const state = stateFigures(e.stateDir);
        process.stdout.write(` ${sec(upProc?.wallMs ?? up.ms)} (${up.traffic.requests} requests, max ${up.maxInflight} in flight, ${cp.count} checkpoints)`);

        let noop: any;
        if (run.noop && run.design === "reference") {
          process.stdout.write(`; no-op preview ...`);
          const from = cliRecords(cli?.log).length;
          const pv = await measured(sb, () => e.stack.preview(), { sampleHosts: false });
          const pvProc = cliRecords(cli?.log).slice(from).filter((r) => r.args[0] === "preview").pop();
          process.stdout.write(` ${sec(pvProc?.wallMs ?? pv.ms)}; no-op up ...`);
          const from2 = cliRecords(cli?.log).length;
          const up2 = await measured(sb, () => e.stack.up(), { sampleHosts: false });
          const up2Proc = cliRecords(cli?.log).slice(from2).filter((r) => r.args[0] === "up").pop();
          process.stdout.write(` ${sec(up2Proc?.wallMs ?? up2.ms)}`);
          noop = {
            preview: { ms: pvProc?.wallMs ?? pv.ms, harnessMs: pv.ms, cpuMs: pvProc?.cpuMs, changes: pv.result.changeSummary, ...pv.traffic },
            up: { ms: up2Proc?.wallMs ?? up2.ms, harnessMs: up2.ms, cpuMs: up2Proc?.cpuMs, changes: up2.result.summary.resourceChanges, ...up2.traffic },
          };
        }

        const concurrency = Math.max(1, up.maxInflight);
        process.stdout.write(`; plain script (concurrency ${concurrency}) ...`);
        const base = await measured(sb, () => plainScript(baseUrl, apiToken, `${prefix}p`, run.n, concurrency));
        process.stdout.write(` ${sec(base.ms)}\n`);
        const upMs = upProc?.wallMs ?? up.ms;
        let top: string | undefined;
        if (profile) top = profileTop(profile);
        results.push({
          design: run.design,
          n: run.n,
          resources: 4 * run.n,
          latencyMs: run.latencyMs,
          backend: run.backend,
          loadPerCpu: { before: loadBefore, after: load() },
          up: {
            ms: upMs,
            harnessMs: up.ms,
            cliCpuMs: upProc?.cpuMs,
            hostCpuMs: upProc?.childrenCpuMs,
            checkpoints: cp.count,
            checkpointBytes: cp.bytes,
            writtenBytes: cp.bytes * 2,
            ...up.traffic,
            maxInflight: up.maxInflight,
            providerHosts: up.host?.processes,
            providerHostPeakMb: up.host ? +(up.host.peakKb / 1024).toFixed(1) : undefined,
          },
          baseline: { ms: base.ms, concurrency, requests: base.traffic.requests },
          ratio: +(upMs / base.ms).toFixed(2),
          extraMsPerResource: +((upMs - base.ms) / (4 * run.n)).toFixed(1),
          state,
          noop,
          profileTop: top,
        });
      } finally {
        e.cleanup();
      }
    }
  } finally {
    for (const sb of sandboxes.values()) await sb.close();
    if (cli) fs.rmSync(cli.root, { recursive: true, force: true });
  }

  // Slope: extra ms per added resource between the smallest and the largest size.
  const slopes: any[] = [];
  for (const design of ["reference", "closure"]) {
    for (const latencyMs of LATENCIES) {
      const rows = results.filter((r) => r.design === design && r.latencyMs === latencyMs && r.backend.label === RECOMMENDED.label).sort((a, b) => a.n - b.n);
      if (rows.length < 2) continue;
      const [a, b] = [rows[0], rows[rows.length - 1]];
      slopes.push({
        design,
        latencyMs,
        from: a.n,
        to: b.n,
        engineMsPerResource: +((b.up.ms - a.up.ms) / (b.resources - a.resources)).toFixed(2),
        scriptMsPerResource: +((b.baseline.ms - a.baseline.ms) / (b.resources - a.resources)).toFixed(2),
        cliCpuMsPerResource: a.up.cliCpuMs !== undefined ? +((b.up.cliCpuMs - a.up.cliCpuMs) / (b.resources - a.resources)).toFixed(2) : undefined,
      });
    }
  }

  const selfPeakMb = +(process.resourceUsage().maxRSS / 1024).toFixed(1);
  const find = (d: string, n: number, l: number) => results.find((r) => r.design === d && r.n === n && r.latencyMs === l && r.backend.label === RECOMMENDED.label);
  const ref100 = find("reference", 100, 25);
  const clo100 = find("closure", 100, 25);
  const out = {
    date: new Date().toISOString(),
    machine: info,
    loadPerCpuAtEnd: load(),
    recommendedBackend: RECOMMENDED,
    results,
    slopes,
    providerTextBytes: providerText,
    benchProcessPeakRssMb: selfPeakMb,
    totalMs: Date.now() - started,
    goals: {
      providerTextMaxBytes: { goal: "<= 128", value: Math.max(...Object.values(providerText.reference)) },
      campaignStateBytes: { goal: "<= 1200", value: ref100?.state.campaignJsonBytes },
      ratioN100at25: { goal: "<= 6", value: ref100?.ratio },
      ratioN400at25: { goal: "<= 10", value: find("reference", 400, 25)?.ratio },
      ratioN100at200: { goal: "<= 1.5", value: find("reference", 100, 200)?.ratio },
      noopPreview400ResourcesMs: { goal: "<= 3000", value: ref100?.noop?.preview.ms },
      noopUpRequests: { goal: "0", value: ref100?.noop?.up.requests },
      loginsPerRun: { goal: "1", value: results.map((r) => r.up.logins) },
      speedupOverClosureN100: { goal: ">= 3", value: ref100 && clo100 ? +(clo100.up.ms / ref100.up.ms).toFixed(2) : undefined },
    },
  };
  fs.mkdirSync(OUT_DIR, { recursive: true });
  fs.writeFileSync(OUT_FILE, JSON.stringify(out, null, 2) + "\n");

  line();
  line(`Date: ${out.date.slice(0, 10)}; machine: ${info.nproc} CPUs (${info.cpuModel}), ${(info.totalMemoryMb / 1024).toFixed(1)} GB RAM, node ${info.node}; load per CPU (1-min average) ${Math.min(...results.map((r) => r.loadPerCpu.before))}–${Math.max(...results.map((r) => r.loadPerCpu.after))} during the runs`);
  line(`File backend: ${JSON.stringify(RECOMMENDED.env)}${RECOMMENDED.query ? ` and file://...?${RECOMMENDED.query}` : ""}`);
  line();
  line(table(results.map((r) => [
    `${r.design === "closure" ? "closure design " : ""}N=${r.n} (${r.resources} res.) @${r.latencyMs} ms${r.backend.label === RECOMMENDED.label ? "" : `, ${r.backend.label}`}`,
    sec(r.up.ms), sec(r.baseline.ms), r.ratio.toFixed(2), r.baseline.concurrency, sec(r.up.cliCpuMs), sec(r.up.hostCpuMs), r.up.checkpoints, mib(r.up.writtenBytes),
    r.state.bytesPerResource, r.state.campaignJsonBytes ?? "", `${r.up.requests} / ${r.baseline.requests}`, r.up.logins, r.extraMsPerResource,
  ]), ["pulumi up from empty", "pulumi up", "plain script", "ratio", "concurrency", "CLI CPU", "host CPU", "checkpoints", "written", "state file B/res.", "Campaign JSON B", "requests (engine / script)", "logins", "extra ms/res."]));
  if (results.some((r) => r.backend.note)) line(`* ${VARIANTS.find((v) => v.note)?.note}`);
  if (slopes.length) {
    line();
    line(table(slopes.map((s) => [`${s.design} @${s.latencyMs} ms, N=${s.from}→${s.to}`, s.engineMsPerResource, s.scriptMsPerResource, s.cliCpuMsPerResource ?? "n/a"]), ["slope (per added resource)", "pulumi up ms", "plain script ms", "CLI CPU ms"]));
  }
  const noops = results.filter((r) => r.noop);
  if (noops.length) {
    line();
    line(table(noops.flatMap((r) => [
      [`no-op preview (${r.resources} resources)`, sec(r.noop.preview.ms), sec(r.noop.preview.cpuMs), r.noop.preview.requests, r.noop.preview.logins],
      [`no-op up (${r.resources} resources)`, sec(r.noop.up.ms), sec(r.noop.up.cpuMs), r.noop.up.requests, r.noop.up.logins],
    ]), ["operation", "CLI wall", "CLI CPU", "requests", "logins"]));
  }
  line();
  line(table([
    ...Object.entries(providerText.reference).map(([k, v]) => [`__provider ${k}`, `${v} B`, `${providerText.closure[k]} B`]),
  ], ["provider text per resource", "reference", "closure (before)"]));
  if (ref100) {
    line();
    line(`Campaign in state (N=100): ${ref100.state.campaignJsonBytes} B of JSON: ${Object.entries(ref100.state.campaignParts).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  }
  for (const r of results.filter((x) => x.profileTop)) {
    line();
    line(`CPU profile of pulumi up, ${r.design} N=${r.n} @${r.latencyMs} ms (go tool pprof -top, cumulative):`);
    line(r.profileTop);
  }
  line();
  line(`Goals: ${Object.entries(out.goals).map(([k, g]: [string, any]) => `${k} ${JSON.stringify(g.value)} (${g.goal})`).join("; ")}`);
  line(`Benchmark process peak RSS ${selfPeakMb} MB; total ${sec(out.totalMs)}; figures in ${path.relative(ROOT, OUT_FILE)}`);
}

/** The top of a Go CPU profile written by `pulumi --profiling`, if Go is installed. */
function profileTop(prefix: string): string | undefined {
  const dir = path.dirname(prefix);
  const file = fs.readdirSync(dir).map((f) => path.join(dir, f)).filter((f) => f.startsWith(prefix + ".") && f.endsWith(".cpu")).pop();
  if (!file) return undefined;
  try {
    const out: string = require("child_process").execFileSync("go", ["tool", "pprof", "-top", "-cum", "-nodecount=25", path.join(TOOLS, "bin", "pulumi"), file], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return out.split("\n").slice(0, 32).join("\n");
  } catch {
    return `(profile in ${path.relative(ROOT, file)}; go tool pprof is not available)`;
  }
}

main().catch((e) => {
  console.error(`\nbench failed: ${e?.stack ?? e}`);
  process.exit(1);
});
