/**
 * npm run bench:import [-- --campaigns 500 --offers 1000 --latency-ms 25 --tsc --up --up-env K=V --transpile-only]
 *
 * A benchmark of adnet-import (it prints figures; it asserts nothing). An
 * in-process sandbox with a fixed latency per request is seeded (through the
 * networks' APIs, concurrently, not timed) with an ExoClick account of N
 * banner campaigns, each with its landing page, its image and a variation
 * (4 × N objects), and an Affise account of M offers (each with payouts,
 * caps and targeting) and M/10 postbacks of an affiliate paid on them; then adnet-import reads both
 * accounts and writes the program. Prints the wall time (listing, and in
 * all), the requests per network, objects per type, the size of the
 * generated program, and with --tsc the time `tsc --strict` takes on it.
 *
 * With --up, a user's first `pulumi up` of the generated program follows, as
 * a user runs it (the CLI in the program's directory, its language host, a
 * file backend): every object adopted with the `import` option. Timed with
 * its CPU (the CLI's own and its children's: language host, program,
 * provider host), checkpoints counted; then a no-op `pulumi preview`.
 *   --refresh            then a no-op `pulumi refresh --skip-preview` (wall, CPU and requests: the read cache's figure;
 *                        without --skip-preview the CLI reads everything twice: its preview, then the refresh)
 *   --out <file>         where the figures go (default bench/import-results.json)
 *   --up-env K=V,K=V     extra environment for those runs (e.g. PULUMI_SKIP_CHECKPOINTS=true)
 *   --transpile-only     PULUMI_NODEJS_TRANSPILE_ONLY=true (no type check of the program in the run)
 *   --prof               where the adoption and the preview after it spend their CPU: the program and the provider
 *                        host under `node --cpu-prof` (the program through Pulumi.yaml's nodeargs, the host through
 *                        a launcher), the CLI with `--profiling` (Go); bench/profiles/import-<op>-<objects>.*, with the
 *                        top functions and areas printed (profiling adds CPU: compare profiled runs with each other;
 *                        the profiled host runs in its own session, so its CPU is not among the CLI's children then)
 *   --nodeargs "<flags>" Node flags for the program, after those of its Pulumi.yaml's nodeargs (e.g. GC settings to compare)
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startSandbox, Sandbox } from "../provider/sandbox/server";
import { applyStackConfig, resetStackConfig } from "../provider/core/config/config";
import { get } from "../provider/registry";
import { networkNamed } from "../provider/networks";
import { importAccounts } from "../provider/import/importer";
import { ROOT } from "./lib/engine";
import { png } from "../test/support/png";
import { sandboxConfig } from "../provider/sandbox/config";
import { scriptOptions } from "./lib/options";
import { formatSummary, hostLauncher, largestProfile, readProfile, summarize } from "./lib/cpuprofile";

const { argv, opt } = scriptOptions(__filename);
const CAMPAIGNS = Number(opt("--campaigns") ?? 500);
const OFFERS = Number(opt("--offers") ?? 1000);
const LATENCY_MS = Number(opt("--latency-ms") ?? 25);
const TSC = argv.includes("--tsc");
const REFRESH = argv.includes("--refresh");
const OUT_FILE = path.resolve(opt("--out") ?? path.join(ROOT, "bench", "import-results.json"));
const UP = argv.includes("--up");
const PROF = argv.includes("--prof");
const NODEARGS = opt("--nodeargs");
const UP_ENV: Record<string, string> = Object.fromEntries((opt("--up-env") ?? "").split(",").filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
if (argv.includes("--transpile-only")) UP_ENV.PULUMI_NODEJS_TRANSPILE_ONLY = "true";
const line = (s = "") => process.stdout.write(s + "\n");
const sec = (t: number) => (t / 1000).toFixed(2) + " s";

/** Runs `fn` over `items` with at most `n` at once. */
async function pool<T, R>(items: T[], n: number, fn: (x: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

/** Creates an object through the resource's own provider (check, then create), outside any Pulumi stack. */
async function make(key: string, inputs: Record<string, unknown>): Promise<string> {
  const p = get(key);
  const c = await p.check({}, inputs);
  if (c.failures?.length) throw new Error(`${key}: ${JSON.stringify(c.failures)}`);
  return (await p.create(c.inputs)).id;
}

function useSandbox(sb: Sandbox, networks: string[]) {
  resetStackConfig();
  for (const n of networks) {
    const cfg = sandboxConfig(n, sb.urlFor(n));
    const flat = Object.fromEntries(Object.entries(cfg).map(([k, v]) => [k, v.value]));
    applyStackConfig(flat, Object.keys(flat));
  }
}

async function seedExoClick(n: number, dir: string) {
  const images = Array.from({ length: Math.min(n, 256) }, (_, i) => {
    const p = path.join(dir, `banner-${i}.png`);
    fs.writeFileSync(p, png(300, 250, i));
    return p;
  });
  await pool(Array.from({ length: n }, (_, i) => i), 16, async (i) => {
    const [url, file, campaign] = await Promise.all([
      make("exoclick:LibraryUrl", { url: `https://shop.example/landing/${i}?c={clickid}` }),
      make("exoclick:LibraryFile", { path: images[i % images.length], size: "300x250" }),
      make("exoclick:Campaign", {
        name: `Campaign ${String(i).padStart(4, "0")}`, size: "300x250", status: i % 3 ? 1 : 0,
        pricing: { model: 4, price: (100 + i) / 100 }, countries: { type: "targeted", elements: [{ country: i % 2 ? "USA" : "DEU" }] },
        categories: { type: "targeted", elements: [97, 98] }, startDate: "2026-03-02", dailyLimitType: 1, maxDailyBudget: (1000 + i) / 100,
      }),
    ]);
    await make("exoclick:Variation", { campaignId: campaign, libraryUrlId: url, libraryFileId: file });
  });
}

async function seedAffise(n: number) {
  const offers = await pool(Array.from({ length: n }, (_, i) => i), 16, (i) => make("affise:Offer", {
    title: `Offer ${String(i).padStart(4, "0")}`, advertiser: "5e39279bac611cda7e5765ab", url: `https://track.example/click?o=${i}&c={clickid}`,
    status: i % 4 ? "active" : "stopped",
    payments: [{ countries: ["US"], devices: ["mobile"], total: 2 + (i % 7), revenue: 1 + (i % 5), currency: "USD", type: "fixed" }],
    partnerPayments: [{ partners: [2], countries: ["US"], total: 2, revenue: 1.5, currency: "USD", type: "fixed" }],
    caps: [{ period: "day", type: "conversions", value: 100 + i, goalType: "all", affiliateType: "all" }],
    targeting: [{ countries: { allow: ["US", "CA"] }, deviceTypes: ["mobile"] }],
  }));
  await pool(offers.filter((_, i) => i % 10 === 0), 16, (offerId, i) => make("affise:Postback", { pid: 2, url: `https://partner.example/pb?c={clickid}&i=${i}`, offerId, status: "confirmed" }));
}

async function main() {
  line(`adnet-import benchmark: ExoClick ${CAMPAIGNS} campaigns (${CAMPAIGNS * 4} objects), Affise ${OFFERS} offers; sandbox latency ${LATENCY_MS} ms per request`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-bench-import-"));
  const sb = await startSandbox({ port: 0, latencyMs: LATENCY_MS, journalPath: "" });
  try {
    useSandbox(sb, ["exoclick", "affise"]);
    const t0 = Date.now();
    await seedExoClick(CAMPAIGNS, tmp);
    await seedAffise(OFFERS);
    line(`seeded in ${sec(Date.now() - t0)} (not part of the figures)`);

    const out = path.join(tmp, "account");
    const seq0 = sb.journal.length;
    const rss0 = process.memoryUsage().rss;
    const summary = await importAccounts({ networks: ["exoclick", "affise"], out });
    const reqs = sb.journal.slice(seq0);
    const perNetwork = (n: string) => reqs.filter((r) => r.network === n);
    const writes = reqs.filter((r) => r.method !== "GET" && !/\/login$/.test(r.path)).length;
    const bytesOf = (re: RegExp) => fs.readdirSync(out).filter((f) => re.test(f) && !f.startsWith("adnet-import.") && !/^(package|tsconfig)\.json$/.test(f)).reduce((s, f) => s + fs.statSync(path.join(out, f)).size, 0);
    const programBytes = bytesOf(/\.ts$/);
    const dataBytes = bytesOf(/\.json$/);
    line();
    line("| figure | value |");
    line("|---|---:|");
    line(`| adnet-import wall time (both accounts) | ${sec(summary.elapsedMs)} |`);
    line(`| of which listing | ${sec(summary.listMs)} |`);
    line(`| objects written as code | ${summary.total} |`);
    for (const [t, c] of Object.entries(summary.imported).sort()) line(`| ${t} | ${c} |`);
    line(`| types not listable in this version | ${summary.unsupported.map((u) => u.type).join(", ") || "none"} |`);
    line(`| skipped objects | ${summary.skipped.length} |`);
    line(`| requests ExoClick / Affise | ${perNetwork("exoclick").length} / ${perNetwork("affise").length} |`);
    line(`| write requests (not logins) | ${writes} |`);
    line(`| images downloaded (distinct contents) | ${summary.files.length} |`);
    line(`| generated program (.ts) | ${(programBytes / 1024).toFixed(0)} KB |`);
    line(`| its data files (.json, not type-checked) | ${(dataBytes / 1024).toFixed(0)} KB |`);
    line(`| RSS growth of this process | ${((process.memoryUsage().rss - rss0) / 1048576).toFixed(0)} MB |`);
    if (TSC) {
      fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(out, "node_modules"));
      const t = Date.now();
      const r = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "--strict", "--noEmit", "-p", path.join(out, "tsconfig.json")], { encoding: "utf8" });
      line(`| tsc --strict on the generated program | ${sec(Date.now() - t)}${r.status === 0 ? "" : " (FAILED)"} |`);
      if (r.status !== 0) line(r.stdout.slice(0, 2000));
    }
    if (UP) await adopt(sb, out, { objects: summary.total, programBytes, dataBytes });
    line();
    line(`Machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")}; node ${process.version}`);
  } finally {
    await sb.close();
    resetStackConfig();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** `pulumi up` of the generated program, as a user runs it: every object adopted. */
async function adopt(sb: Sandbox, dir: string, generated: { objects: number; programBytes: number; dataBytes: number }) {
  const { PulumiCli } = require("../test/support/cli") as typeof import("../test/support/cli");
  const { rusageCli } = require("./lib/rusage") as typeof import("./lib/rusage");
  const { sandboxSettings } = require("../test/support/accounts") as typeof import("../test/support/accounts");
  if (!fs.existsSync(path.join(dir, "node_modules"))) fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  const cli = new PulumiCli(dir);
  const rusage = rusageCli();
  // The file-backend settings the README recommends (zstd state), then the options of this run.
  Object.assign(cli.env, require("./lib/engine").RECOMMENDED_FILE_BACKEND.env, UP_ENV, rusage?.env ?? {});
  const prof = PROF ? profiler(cli.env, generated.objects) : undefined;
  const nodeargs = [prof?.nodeargs, NODEARGS].filter(Boolean).join(" ");
  if (nodeargs) {
    const yaml = path.join(dir, "Pulumi.yaml");
    // adnet-import's Pulumi.yaml: `runtime: nodejs`, or (a TypeScript project) runtime with its options (tsconfig).
    const text = fs.readFileSync(yaml, "utf8");
    const withArgs = /^runtime: nodejs$/m.test(text)
      ? text.replace(/^runtime: nodejs$/m, `runtime:\n  name: nodejs\n  options:\n    nodeargs: ${JSON.stringify(nodeargs)}`)
      : /^    nodeargs: /m.test(text)
        ? text.replace(/^    nodeargs: (.*)$/m, (_, own: string) => `    nodeargs: ${JSON.stringify(`${own.replace(/^"|"$/g, "")} ${nodeargs}`)}`)
        : text.replace(/^(runtime:\n  name: nodejs\n  options:\n)/m, `$1    nodeargs: ${JSON.stringify(nodeargs)}\n`);
    if (withArgs === text) throw new Error(`${yaml}: no nodejs runtime to give nodeargs to:\n${text}`);
    fs.writeFileSync(yaml, withArgs);
  }
  try {
    await cli.ok("stack", "init", "bench", "--non-interactive");
    for (const network of ["exoclick", "affise"]) {
      for (const [k, v] of Object.entries(sandboxSettings(sb, network).config)) await cli.ok("config", "set", ...(v.secret ? ["--secret"] : []), k, v.value);
    }
    // Through the timing wrapper from here on (the stack's setup is not timed).
    if (rusage) (cli as any).spawn = (args: string[]) => require("child_process").spawn(path.join(rusage.root, "bin", "pulumi"), args, { cwd: dir, env: cli.env, stdio: ["ignore", "pipe", "pipe"] });
    const stateDir = path.join(cli.tmp, "state");
    const from = sb.journal.length;
    const load0 = os.loadavg()[0];
    const t0 = Date.now();
    const changes = await cli.up(...(prof?.args("up") ?? []));
    const upMs = Date.now() - t0;
    await prof?.collect("up");
    const reqs = sb.journal.slice(from);
    const up = rusage?.last("up", 0);
    const t1 = Date.now();
    await cli.ok("preview", "--expect-no-changes", "--non-interactive", ...(prof?.args("preview") ?? []));
    const pvMs = Date.now() - t1;
    await prof?.collect("preview");
    const pv = rusage?.last("preview", 0);
    let refresh: { wallMs: number; cpuMs?: number; childrenCpuMs?: number; requests: number; byRoute: Record<string, number> } | undefined;
    if (REFRESH) {
      const from2 = sb.journal.length;
      const t2 = Date.now();
      // One pass of reads, as the Automation API's refresh runs it: `pulumi refresh --yes` without
      // --skip-preview reads everything twice (its preview and the refresh are two provider processes).
      await cli.ok("refresh", "--yes", "--skip-preview", "--non-interactive");
      const rf = rusage?.last("refresh", 0);
      const rq = sb.journal.slice(from2);
      const byRoute: Record<string, number> = {};
      for (const e of rq) {
        const k = `${e.network} ${e.method} ${e.path.replace(/\/\d+/g, "/:id").replace(/\?.*$/, "")}`;
        byRoute[k] = (byRoute[k] ?? 0) + 1;
      }
      refresh = { wallMs: rf?.wallMs ?? Date.now() - t2, cpuMs: rf?.cpuMs, childrenCpuMs: rf?.childrenCpuMs, requests: rq.length, byRoute };
    }
    const stateBytes = fs.readdirSync(path.join(stateDir, ".pulumi", "stacks"), { recursive: true } as any).map((f: any) => path.join(stateDir, ".pulumi", "stacks", String(f))).filter((f: string) => /\.json(\.zst|\.gz)?$/.test(f)).reduce((n: number, f: string) => n + fs.statSync(f).size, 0);
    line();
    line(`pulumi up of the generated program (every object imported)${Object.keys(UP_ENV).length ? `, with ${Object.entries(UP_ENV).map(([k, v]) => `${k}=${v}`).join(" ")}` : ""}:`);
    line("| figure | value |");
    line("|---|---:|");
    line(`| changes | ${JSON.stringify(changes)} |`);
    line(`| pulumi up wall | ${sec(up?.wallMs ?? upMs)} |`);
    if (up?.cpuMs !== undefined) line(`| CPU: CLI / its children (language host, program, provider host) | ${sec(up.cpuMs)} / ${sec(up.childrenCpuMs ?? 0)} |`);
    line(`| requests during up (writes) | ${reqs.length} (${reqs.filter((r) => r.method !== "GET" && !/\/login$/.test(r.path)).length}) |`);
    line(`| state file | ${(stateBytes / 1024).toFixed(0)} KB |`);
    line(`| no-op pulumi preview wall | ${sec(pv?.wallMs ?? pvMs)} |`);
    if (pv?.cpuMs !== undefined) line(`| CPU: CLI / its children | ${sec(pv.cpuMs)} / ${sec(pv.childrenCpuMs ?? 0)} |`);
    if (refresh) {
      line(`| no-op pulumi refresh wall | ${sec(refresh.wallMs)} |`);
      if (refresh.cpuMs !== undefined) line(`| CPU: CLI / its children | ${sec(refresh.cpuMs)} / ${sec(refresh.childrenCpuMs ?? 0)} |`);
      line(`| requests during refresh | ${refresh.requests} (${Object.entries(refresh.byRoute).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(", ")}) |`);
    }
    line(`| load average (1 min) before / after | ${load0.toFixed(1)} / ${os.loadavg()[0].toFixed(1)} |`);
    const mode = Object.keys(UP_ENV).length ? Object.entries(UP_ENV).map(([k, v]) => `${k}=${v}`).join(" ") : "defaults";
    const results = {
      date: new Date().toISOString(),
      account: { campaigns: CAMPAIGNS, offers: OFFERS, latencyMs: LATENCY_MS },
      objects: generated.objects,
      program: { tsBytes: generated.programBytes, dataBytes: generated.dataBytes },
      up: { wallMs: up?.wallMs ?? upMs, cpuMs: up?.cpuMs, childrenCpuMs: up?.childrenCpuMs, changes, mode, load: `${(load0 / os.cpus().length).toFixed(1)}–${(os.loadavg()[0] / os.cpus().length).toFixed(1)}/CPU`, stateBytes },
      preview: { wallMs: pv?.wallMs ?? pvMs, cpuMs: pv?.cpuMs, childrenCpuMs: pv?.childrenCpuMs },
      refresh,
    };
    fs.mkdirSync(path.dirname(OUT_FILE), { recursive: true });
    fs.writeFileSync(OUT_FILE, JSON.stringify(results, null, 2) + "\n");
  } finally {
    cli.cleanup();
    rusage?.cleanup();
    prof?.cleanup();
  }
}

/**
 * --prof: the program (Pulumi.yaml's nodeargs) and the provider host (a launcher first on PATH) run
 * under `node --cpu-prof`, the CLI with `--profiling`; after each command its profiles are copied to
 * bench/profiles/import-<op>-<objects>.* and summarized.
 */
function profiler(env: NodeJS.ProcessEnv, objects: number) {
  const out = path.join(ROOT, "bench", "profiles");
  fs.mkdirSync(out, { recursive: true });
  const progDir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-prog-prof-"));
  const hostDir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-host-prof-"));
  const goDir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-go-prof-"));
  const binDir = hostLauncher();
  env.PATH = `${binDir}${path.delimiter}${env.PATH}`;
  env.ADNET_HOST_PROF_DIR = hostDir;
  return {
    nodeargs: `--cpu-prof --cpu-prof-dir=${progDir} --cpu-prof-interval=1000`,
    args: (op: string) => ["--profiling", path.join(goDir, op)],
    async collect(op: string) {
      const tag = `import-${op}-${objects}`;
      for (const [what, d] of [["program", progDir], ["provider host", hostDir]] as const) {
        for (let i = 0; i < 50 && !largestProfile(d); i++) await new Promise((res) => setTimeout(res, 200));
        const f = largestProfile(d);
        if (!f) {
          line(`(no ${what} profile)`);
          continue;
        }
        const to = path.join(out, `${tag}-${what === "program" ? "program" : "host"}.cpuprofile`);
        fs.copyFileSync(f, to);
        line(formatSummary(`${what} (${path.relative(ROOT, to)})`, summarize(readProfile(f))));
        fs.rmSync(d, { recursive: true, force: true });
        fs.mkdirSync(d);
      }
      const go = fs.readdirSync(goDir).find((f) => f.startsWith(op + ".") && f.endsWith(".cpu"));
      if (go) {
        const to = path.join(out, `${tag}-cli.cpu`);
        fs.copyFileSync(path.join(goDir, go), to);
        try {
          const top = spawnSync("go", ["tool", "pprof", "-top", "-cum", "-nodecount=30", path.join(ROOT, ".tools", "bin", "pulumi"), to], { encoding: "utf8" }).stdout;
          line(`\nCLI (${path.relative(ROOT, to)}):\n${top.split("\n").slice(0, 38).join("\n")}`);
        } catch {
          line(`(CLI profile in ${path.relative(ROOT, to)}; go tool pprof is not available)`);
        }
      }
    },
    cleanup: () => {
      for (const d of [progDir, hostDir, goDir, binDir]) fs.rmSync(d, { recursive: true, force: true });
    },
  };
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
