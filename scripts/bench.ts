/**
 * npm run bench [-- --latency-ms 25 --sizes 10,50,100]
 *
 * A benchmark (it prints figures; it asserts nothing). Against an in-process
 * sandbox with a fixed latency per request it measures:
 *  - `pulumi up` from empty of N ExoClick banner campaigns (4 resources each)
 *    through the real engine, against a plain script that makes the same HTTP
 *    calls in the same dependency order with the same concurrency (the
 *    engine's, as the sandbox saw it: max requests in flight);
 *  - at the largest N, a no-op `pulumi preview` and a no-op `pulumi up`
 *    (wall time, requests, writes);
 *  - logins per run, state bytes per resource, the serialized provider's
 *    bytes per resource type, peak RSS of the dynamic-provider host and of
 *    this process.
 * Prints a table and writes the same figures to bench/results.json.
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
import { engineStack, ROOT, sdkVersion } from "./lib/engine";
import { stateFile } from "../test/support/engine";

// ---------------------------------------------------------------- options

const argv = process.argv.slice(2);
function opt(name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}
const LATENCY_MS = Number(opt("--latency-ms") ?? 25);
const SIZES = (opt("--sizes") ?? "10,50,100").split(",").map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0);
if (!Number.isFinite(LATENCY_MS) || LATENCY_MS < 0 || !SIZES.length) {
  console.error("usage: npm run bench -- [--latency-ms 25] [--sizes 10,50,100]");
  process.exit(2);
}
const BIG = Math.max(...SIZES);
/** Also run the largest size with PULUMI_SKIP_CHECKPOINTS=true (--no-variant to skip). */
const SKIP_VARIANT = !argv.includes("--no-variant");
const WORK_DIR = path.join(ROOT, "examples", "exoclick-banner");
const IMAGE = path.join(WORK_DIR, "banner-300x250.png");
const OUT_DIR = path.join(ROOT, "bench");
const OUT_FILE = path.join(OUT_DIR, "results.json");

const line = (s = "") => process.stdout.write(s + "\n");
const ms = (t: number) => Math.round(t);
const sec = (t: number) => (t / 1000).toFixed(2) + " s";
const kb = (b: number) => (b / 1024).toFixed(2) + " KB";
const mb = (kbytes: number) => (kbytes / 1024).toFixed(0) + " MB";

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

async function serializedProviderBytes(): Promise<Record<string, number>> {
  const { types } = require("../provider/core/registry");
  const { shim } = require("../provider/core/shim");
  const out: Record<string, number> = {};
  for (const key of types() as string[]) {
    // As pulumi.dynamic.Resource does it: the provider object, captured by a closure.
    const provider = shim(key);
    const sf = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    out[key] = Buffer.byteLength(sf.text);
  }
  return out;
}

function stateFigures(stateDir: string) {
  const file = stateFile(stateDir);
  const bytes = fs.statSync(file).size;
  const latest = JSON.parse(fs.readFileSync(file, "utf8")).checkpoint.latest;
  const all: any[] = latest?.resources ?? [];
  const custom = all.filter((r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:"));
  const providerText: Record<string, number> = {};
  for (const r of custom) {
    const p = r.outputs?.__provider;
    if (typeof p === "string") providerText[r.type] = Buffer.byteLength(p);
  }
  return { bytes, resources: custom.length, allEntries: all.length, bytesPerResource: custom.length ? Math.round(bytes / custom.length) : 0, providerTextInState: providerText };
}

function table(rows: Array<Array<string | number>>, head: string[]): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const fmt = (r: string[]) => "| " + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ") + " |";
  return [fmt(head), "|" + widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : "-".repeat(w + 1) + ":")).join("|") + "|", ...cells.slice(1).map(fmt)].join("\n");
}

// ---------------------------------------------------------------------- main

async function main() {
  const started = Date.now();
  const info = machine();
  line(`Benchmark: ${SIZES.join(", ")} ExoClick banner campaigns (4 resources each), sandbox latency ${LATENCY_MS} ms per request`);
  line(`Machine: ${info.nproc} CPUs (${info.cpuModel}), ${(info.totalMemoryMb / 1024).toFixed(1)} GB, node ${info.node}, @pulumi/pulumi ${info.pulumiSdk}`);

  const sb = await countInflight(() => startSandbox({ port: 0, latencyMs: LATENCY_MS, journalPath: "" }));
  const { EXOCLICK_SANDBOX_CREDENTIALS } = require("../provider/exoclick/sandbox");
  const baseUrl = `${sb.urlFor("exoclick")}/v2`;
  const apiToken: string = EXOCLICK_SANDBOX_CREDENTIALS.apiToken;
  const config: Record<string, auto.ConfigValue> = {
    "exoclick:baseUrl": { value: baseUrl },
    "exoclick:apiToken": { value: apiToken, secret: true },
  };

  const providerBytes = await serializedProviderBytes();
  const sizes: any[] = [];
  let noop: any;

  try {
    // Every size as Pulumi runs by default, then the largest once more without
    // intermediate checkpoints (an investigation: where the time goes).
    const runs = [...SIZES.map((n) => ({ n, variant: "default" })), ...(SKIP_VARIANT ? [{ n: BIG, variant: "skip-checkpoints" }] : [])];
    for (const { n, variant } of runs) {
      const skip = variant === "skip-checkpoints";
      const prefix = `bench${n}${skip ? "s" : ""}`;
      const { exoclickBanner } = require("../examples/exoclick-banner/program");
      const e = await engineStack({
        project: "adnet-bench",
        stack: `n${n}${skip ? "-skipcp" : ""}`,
        program: async () => exoclickBanner({ prefix, count: n }),
        workDir: WORK_DIR,
        config,
        env: skip ? { PULUMI_SKIP_CHECKPOINTS: "true" } : {},
      });
      try {
        process.stdout.write(`\nN=${n}${skip ? " (PULUMI_SKIP_CHECKPOINTS=true)" : ""}: pulumi up ...`);
        const up = await measured(sb, () => e.stack.up(), { sampleHosts: true });
        const created = Object.values(up.result.summary.resourceChanges ?? {}).reduce((a, b) => a + (b ?? 0), 0);
        process.stdout.write(` ${sec(up.ms)} (${up.traffic.requests} requests, max ${up.maxInflight} in flight)`);
        const state = stateFigures(e.stateDir);

        let preview: any, upAgain: any;
        if (n === BIG && !skip) {
          process.stdout.write(`; no-op preview ...`);
          const pv = await measured(sb, () => e.stack.preview(), { sampleHosts: true });
          process.stdout.write(` ${sec(pv.ms)}; no-op up ...`);
          const up2 = await measured(sb, () => e.stack.up(), { sampleHosts: true });
          process.stdout.write(` ${sec(up2.ms)}`);
          preview = { ms: pv.ms, changes: pv.result.changeSummary, ...pv.traffic, providerHostPeakMb: pv.host ? +(pv.host.peakKb / 1024).toFixed(1) : undefined };
          upAgain = { ms: up2.ms, changes: up2.result.summary.resourceChanges, ...up2.traffic, providerHostPeakMb: up2.host ? +(up2.host.peakKb / 1024).toFixed(1) : undefined };
          noop = { n, preview, up: upAgain };
        }

        process.stdout.write(`; destroy ...`);
        const destroy = await measured(sb, () => e.stack.destroy(), { sampleHosts: false });
        process.stdout.write(` ${sec(destroy.ms)}`);

        // The baseline, with the concurrency the engine reached.
        const concurrency = Math.max(1, up.maxInflight);
        process.stdout.write(`; plain script (concurrency ${concurrency}) ...`);
        const base = await measured(sb, () => plainScript(baseUrl, apiToken, `${prefix}b`, n, concurrency));
        process.stdout.write(` ${sec(base.ms)}\n`);

        sizes.push({
          n,
          variant,
          resources: 4 * n,
          up: {
            ms: up.ms,
            resourcesChanged: created,
            ...up.traffic,
            maxInflight: up.maxInflight,
            providerHosts: up.host?.processes,
            providerHostPeakMb: up.host ? +(up.host.peakKb / 1024).toFixed(1) : undefined,
            requestPhaseMs: up.ms - (up.traffic.firstRequestAfterMs ?? 0) - (up.traffic.lastRequestBeforeEndMs ?? 0),
            engineMsPerResource: +((up.ms - base.ms) / (4 * n)).toFixed(1),
          },
          baseline: { ms: base.ms, concurrency, ...base.traffic, maxInflight: base.maxInflight },
          ratio: +(up.ms / base.ms).toFixed(2),
          destroy: { ms: destroy.ms, ...destroy.traffic, maxInflight: destroy.maxInflight },
          state,
        });
      } finally {
        e.cleanup();
      }
    }
  } finally {
    await sb.close();
  }

  const selfPeakMb = +(process.resourceUsage().maxRSS / 1024).toFixed(1);
  const results = {
    date: new Date().toISOString(),
    machine: info,
    latencyMs: LATENCY_MS,
    sizes,
    noop,
    serializedProviderBytes: providerBytes,
    benchProcessPeakRssMb: selfPeakMb,
    totalMs: Date.now() - started,
    goals: {
      ratioAtLargestN: { goal: "<= 1.5", value: sizes.find((s) => s.n === BIG && s.variant === "default")?.ratio },
      noopPreviewMs: { goal: "<= 10000", value: noop?.preview.ms },
      noopUpWrites: { goal: "0", value: noop?.up.writes },
      loginsPerRun: { goal: "1", value: sizes.map((s) => s.up.logins) },
      serializedProviderMaxBytes: { goal: "<= 2048", value: Math.max(...Object.values(providerBytes)) },
    },
  };
  fs.mkdirSync(OUT_DIR, { recursive: true });
  fs.writeFileSync(OUT_FILE, JSON.stringify(results, null, 2) + "\n");

  // ---- the table
  line();
  line(`Date: ${results.date.slice(0, 10)}; machine: ${info.nproc} CPUs (${info.cpuModel}), ${(info.totalMemoryMb / 1024).toFixed(1)} GB RAM, node ${info.node}; sandbox latency ${LATENCY_MS} ms/request`);
  line();
  line(table(sizes.map((s) => [
    `N=${s.n} (${s.resources} resources)${s.variant === "default" ? "" : ", no checkpoints*"}`,
    sec(s.up.ms), sec(s.baseline.ms), s.ratio.toFixed(2), s.up.maxInflight, `${s.up.requests} / ${s.baseline.requests}`, s.up.logins,
    sec(s.up.firstRequestAfterMs), sec(s.up.requestPhaseMs), sec(s.up.lastRequestBeforeEndMs), s.up.engineMsPerResource, sec(s.destroy.ms), s.state.bytesPerResource,
  ]), ["pulumi up from empty", "engine", "plain script", "ratio", "max in flight", "requests (engine / script)", "logins", "until 1st request", "1st to last request", "after last request", "extra ms/resource", "destroy", "state B/resource"]));
  if (sizes.some((s) => s.variant !== "default")) line("* PULUMI_SKIP_CHECKPOINTS=true: the engine saves the state once at the end instead of after every step (investigation, not the default).");
  if (noop) {
    line();
    line(table([
      [`no-op preview (N=${noop.n})`, sec(noop.preview.ms), noop.preview.requests, noop.preview.writes, noop.preview.logins],
      [`no-op up (N=${noop.n})`, sec(noop.up.ms), noop.up.requests, noop.up.writes, noop.up.logins],
    ], ["operation", "wall time", "requests", "writes", "logins"]));
  }
  line();
  const big = sizes.find((s) => s.n === BIG && s.variant === "default");
  line(table([
    ...Object.entries(providerBytes).map(([k, v]) => [`serialized provider ${k}`, `${v} B`]),
    ...(big ? [[`state per resource (N=${BIG}, ${big.state.bytes} B / ${big.state.resources})`, `${big.state.bytesPerResource} B`]] : []),
    ...(big ? [[`provider host peak RSS (N=${BIG} up, ${big.up.providerHosts} host process${big.up.providerHosts === 1 ? "" : "es"})`, big.up.providerHostPeakMb !== undefined ? `${big.up.providerHostPeakMb} MB` : "n/a"]] : []),
    [`benchmark process peak RSS`, `${selfPeakMb} MB`],
  ], ["figure", "value"]));
  line();
  line(`Goals: ratio at N=${BIG} ${results.goals.ratioAtLargestN.value} (<= 1.5); no-op preview ${noop ? sec(noop.preview.ms) : "n/a"} (<= 10 s); no-op up writes ${noop?.up.writes ?? "n/a"} (0); logins per up ${sizes.map((s) => s.up.logins).join(", ")} (1); serialized provider max ${results.goals.serializedProviderMaxBytes.value} B (<= 2048)`);
  line(`Total ${sec(results.totalMs)}; figures in ${path.relative(ROOT, OUT_FILE)}`);
}

main().catch((e) => {
  console.error(`\nbench failed: ${e?.stack ?? e}`);
  process.exit(1);
});
