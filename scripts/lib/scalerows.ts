/**
 * The bench's rows for issue #35 (large accounts, the user's path, the rate
 * limiter), each its own function, each with a fresh sandbox:
 *
 *  - userPathRow: a no-op `pulumi preview` of N banner campaigns run as a user
 *    runs it (the CLI in a project directory, scripts/lib/userpath.ts);
 *  - limiterHalfRow: N Interchange campaigns created by `pulumi up` against
 *    a sandbox limit of half the rate the same `up` offers without one
 *    (measured first, in its own sandbox): failed operations, 429s, and how
 *    much of the allowed rate each window used;
 *  - interchangeMinuteRow: N campaigns at Interchange's real 100 requests a
 *    minute, with the limiter's progress line (its expected time);
 *  - adoptionRow: `npm run bench:import -- --up --refresh` (3,100 objects,
 *    checkpoints off + journal): adoption, the no-op preview and refresh after it;
 *  - guardRow: creates in an account of 50,000 objects, the lost-create
 *    guard's list requests counted (in this process, as the provider host creates);
 *  - listsRow: one page of every sandbox list at 1,000 and 10,000 objects.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startSandbox, Sandbox } from "../../provider/sandbox/server";
import { sandboxConfig } from "../../provider/sandbox/config";
import { applyStackConfig, resetStackConfig } from "../../provider/core/config/config";
import { resetContexts } from "../../provider/core/config/context";
import { resetCreateGuards } from "../../provider/core/http/recover";
import type { InterchangeSandbox } from "../../provider/sandbox/interchange";
import type { NetworkEmulator } from "../../provider/sandbox/routes";
import type { EmulatorBase } from "../../provider/sandbox/emulator";
import { ROOT } from "./engine";
import { stat } from "./figures";
import { userProject } from "./userpath";

const load = () => +(os.loadavg()[0] / (os.availableParallelism?.() ?? os.cpus().length)).toFixed(2);
type Stat = ReturnType<typeof stat>;

export interface UserPathRow {
  n: number;
  runs: Array<{ wallMs: number; cpuMs?: number; childrenCpuMs?: number; requests: number; load: number }>;
  wallMs: Stat;
  cliCpuMs: Stat;
  childrenCpuMs: Stat;
  requests: Stat;
  load: { min: number; max: number };
}

/**
 * `pulumi preview` of N banner campaigns in a project directory, `runs`
 * times on one stack (a no-op preview sends nothing, so the sandbox is the
 * same fresh one for every run). The `up` that makes them is not timed.
 */
export async function userPathRow(o: { n: number; runs: number; latencyMs: number; log: (s: string) => void }): Promise<UserPathRow> {
  const sb = await startSandbox({ port: 0, latencyMs: o.latencyMs, journalPath: "" });
  const { EXOCLICK_SANDBOX_CREDENTIALS } = require("../../provider/sandbox/exoclick");
  const p = await userProject({ n: o.n, prefix: "user", baseUrl: `${sb.urlFor("exoclick")}/v2`, apiToken: EXOCLICK_SANDBOX_CREDENTIALS.apiToken });
  try {
    await p.run(["up", "--yes", "--skip-preview", "--non-interactive"], { PULUMI_SKIP_CHECKPOINTS: "true" });
    const runs: UserPathRow["runs"] = [];
    for (let r = 0; r < o.runs; r++) {
      const l = load();
      const from = sb.journal.length;
      const t0 = Date.now();
      const { record } = await p.run(["preview", "--non-interactive"]);
      runs.push({ wallMs: record?.wallMs ?? Date.now() - t0, cpuMs: record?.cpuMs, childrenCpuMs: record?.childrenCpuMs, requests: sb.journal.length - from, load: l });
      o.log(`user's path, no-op pulumi preview of ${4 * o.n} resources #${r + 1}: ${((record?.wallMs ?? 0) / 1000).toFixed(2)} s (CLI CPU ${((record?.cpuMs ?? 0) / 1000).toFixed(2)} s, children ${((record?.childrenCpuMs ?? 0) / 1000).toFixed(2)} s; load ${l}/CPU)`);
    }
    return {
      n: o.n,
      runs,
      wallMs: stat(runs.map((r) => r.wallMs)),
      cliCpuMs: stat(runs.map((r) => r.cpuMs)),
      childrenCpuMs: stat(runs.map((r) => r.childrenCpuMs)),
      requests: stat(runs.map((r) => r.requests)),
      load: { min: Math.min(...runs.map((r) => r.load)), max: Math.max(...runs.map((r) => r.load), load()) },
    };
  } finally {
    p.cleanup();
    await sb.close();
  }
}

/** A program of N Interchange campaigns (DRAFT: one create request each). */
function interchangeProgram(prefix: string, n: number): string {
  return [
    `const { interchange } = require("pulumi-adnetworks");`,
    `for (let i = 1; i <= ${n}; i++) {`,
    `  new interchange.Campaign(\`${prefix}-\${i}\`, {`,
    `    advertiserId: 12345, name: \`${prefix} \${i}\`, campaignType: "DECISIONED", mode: "discovery", status: "DRAFT",`,
    `    flightDates: { startDate: "2026-01-15T00:00:00Z", endDate: "2026-03-31T23:59:59Z" },`,
    `    budget: { total: 5000, currency: "USD", dailyCap: 250, pacing: "EVEN" },`,
    `  });`,
    `}`,
    "",
  ].join("\n");
}

export interface LimiterRun {
  n: number;
  limit: number;
  windowMs: number;
  wallMs: number;
  failed: number;
  created: number;
  throttled: number;
  requests: number;
  windows: number[];
  /** Allowed requests used, over the windows before the last (the last is the run's tail). */
  usedPct: number;
  progressLines: string[];
  load: { before: number; after: number };
}

/** `pulumi up` of N Interchange campaigns in a fresh sandbox with the given limit. */
async function interchangeUp(n: number, limit: number, windowMs: number, prefix: string): Promise<LimiterRun> {
  const sb = await startSandbox({ port: 0, journalPath: "" });
  const { INTERCHANGE_SANDBOX_CREDENTIALS } = require("../../provider/sandbox/interchange");
  const ic = () => sb.network<InterchangeSandbox>("interchange");
  const p = await userProject({
    n, prefix, language: "javascript", program: interchangeProgram(prefix, n),
    config: { "interchange:baseUrl": { value: sb.urlFor("interchange") }, "interchange:apiKey": { value: INTERCHANGE_SANDBOX_CREDENTIALS.apiKey, secret: true } },
  });
  try {
    ic().rateLimit = { limit, windowMs };
    ic().limiter.clear();
    const before = load();
    const from = sb.journal.length;
    const t0 = Date.now();
    let out = "";
    let failed = 0;
    try {
      const r = await p.run(["up", "--yes", "--skip-preview", "--non-interactive"], { PULUMI_SKIP_CHECKPOINTS: "true" });
      out = r.stdout + r.stderr;
    } catch (e) {
      out = String((e as Error).message);
      failed = (out.match(/error:/g) ?? []).length || 1;
    }
    const wallMs = Date.now() - t0;
    const journal = sb.journal.slice(from).filter((e) => e.network === "interchange");
    const windows = ic().limiter.usage();
    const full = windows.slice(0, -1);
    return {
      n, limit, windowMs, wallMs, failed,
      created: Object.keys(ic().data.campaigns).length,
      throttled: journal.filter((e) => e.status === 429).length,
      requests: journal.length,
      windows,
      usedPct: full.length ? +((100 * full.reduce((a, b) => a + b, 0)) / (full.length * limit)).toFixed(1) : 100,
      progressLines: out.split("\n").filter((l) => /rate limit reached/.test(l)).map((l) => l.trim()),
      load: { before, after: load() },
    };
  } finally {
    p.cleanup();
    await sb.close();
  }
}

export interface LimiterHalfRow {
  offered: { requests: number; wallMs: number; perSecond: number };
  limited: LimiterRun;
}

/**
 * The rate an `up` of N campaigns offers (no limit to speak of), then the same
 * `up` in a fresh sandbox limited to half that rate (per second windows).
 */
export async function limiterHalfRow(o: { n: number; log: (s: string) => void }): Promise<LimiterHalfRow> {
  const free = await interchangeUp(o.n, 1_000_000, 60_000, "free");
  const perSecond = free.requests / (free.wallMs / 1000);
  const limit = Math.max(1, Math.floor(perSecond / 2));
  o.log(`limiter: ${o.n} Interchange campaigns offer ${free.requests} requests in ${(free.wallMs / 1000).toFixed(1)} s (${perSecond.toFixed(1)}/s); limit set to ${limit} per second`);
  const limited = await interchangeUp(o.n, limit, 1000, "half");
  o.log(`limiter at half the offered load: ${(limited.wallMs / 1000).toFixed(1)} s, ${limited.failed} failed, ${limited.throttled} 429s, ${limited.usedPct}% of the allowed rate used (windows ${limited.windows.join(",")})`);
  return { offered: { requests: free.requests, wallMs: free.wallMs, perSecond: +perSecond.toFixed(2) }, limited };
}

/** N campaigns at Interchange's own limit, 100 requests a minute. */
export async function interchangeMinuteRow(o: { n: number; log: (s: string) => void }): Promise<LimiterRun> {
  o.log(`Interchange at 100 requests a minute: ${o.n} campaigns, about ${Math.ceil(o.n / 100)} min ...`);
  const r = await interchangeUp(o.n, 100, 60_000, "minute");
  o.log(`Interchange at 100/min: ${(r.wallMs / 1000).toFixed(1)} s, ${r.failed} failed, ${r.throttled} 429s, ${r.usedPct}% used; progress: ${r.progressLines[0] ?? "(none)"}`);
  return r;
}

export interface AdoptionRow {
  campaigns: number;
  offers: number;
  results?: any;
  error?: string;
}

/** `bench:import --up --refresh` (checkpoints off + journal) in a child process; its figures. */
export async function adoptionRow(o: { campaigns: number; offers: number; log: (s: string) => void }): Promise<AdoptionRow> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "adnet-bench-adopt-")), "results.json");
  try {
    const args = [path.join(ROOT, "dist", "scripts", "bench-import.js"), "--campaigns", String(o.campaigns), "--offers", String(o.offers), "--up", "--refresh", "--up-env", "PULUMI_SKIP_CHECKPOINTS=true", "--out", out];
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    child.stdout.on("data", (d) => (text += d));
    child.stderr.on("data", (d) => (text += d));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    if (code !== 0 || !fs.existsSync(out)) return { ...o, error: text.slice(-3000) };
    const results = JSON.parse(fs.readFileSync(out, "utf8"));
    o.log(`adoption of ${results.objects} objects: ${(results.up.wallMs / 1000).toFixed(1)} s; no-op preview ${(results.preview.wallMs / 1000).toFixed(1)} s; no-op refresh ${results.refresh ? `${(results.refresh.wallMs / 1000).toFixed(1)} s, ${results.refresh.requests} requests` : "n/a"}`);
    return { campaigns: o.campaigns, offers: o.offers, results };
  } finally {
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  }
}

/** Points the provider's call-time settings at the sandbox for `networks` (in this process). */
function useNetworks(sb: Sandbox, networks: string[]): void {
  resetStackConfig();
  resetContexts();
  resetCreateGuards();
  for (const n of networks) {
    const flat = Object.fromEntries(Object.entries(sandboxConfig(n, sb.urlFor(n))).map(([k, v]) => [k, v.value]));
    applyStackConfig(flat, Object.keys(flat));
  }
}

export interface GuardRow {
  /** Campaigns, library URLs and images already in the account. */
  account: number;
  /** Banner sets created (a URL, an image, a campaign and a variation each). */
  sets: number;
  creates: number;
  /** Requests of the creates (logins aside), list requests among them (the guard's marks). */
  requests: number;
  lists: number;
  /** What the guard listed before (the whole kind, pages of 500): for comparison. */
  wholeAccountPages: number;
  wallMs: number;
}

/**
 * The lost-create guard at a large account: `account` campaigns, library URLs
 * and images already exist (put in the sandbox's data directly); `sets` banner
 * sets are created through the resources (in this process, as the provider host
 * creates them). Counts the requests, and the list requests among them: one
 * page per kind marks what exists (core/http/recover.ts), whatever the account's size.
 */
export async function guardRow(o: { account: number; sets: number; log: (s: string) => void }): Promise<GuardRow> {
  const sb = await startSandbox({ port: 0, journalPath: "" });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-bench-guard-"));
  try {
    useNetworks(sb, ["exoclick"]);
    const d = sb.network<NetworkEmulator & { data: Record<string, Record<string, unknown>> }>("exoclick").data;
    for (let i = 1; i <= o.account; i++) {
      d.campaigns[i] = { id: i, name: `Older campaign ${i}`, status: 0 };
      d.urls[i] = { id: i, url: `https://old.example/${i}` };
      d.files[i] = { id: i, type: "image", file_hash_original: `h${i}` };
    }
    const { get } = require("../../provider/registry") as typeof import("../../provider/registry");
    const { png } = require("../../test/support/png") as typeof import("../../test/support/png");
    const make = async (key: string, args: Record<string, unknown>) => {
      const p = get(key);
      const c = await p.check({}, args);
      if (c.failures?.length) throw new Error(`${key}: ${JSON.stringify(c.failures)}`);
      return (await p.create(c.inputs)).id;
    };
    const from = sb.journal.length;
    const t0 = Date.now();
    for (let i = 0; i < o.sets; i++) {
      const image = path.join(dir, `b${i}.png`);
      fs.writeFileSync(image, png(300, 250, i));
      const url = await make("exoclick:LibraryUrl", { url: `https://new.example/${i}` });
      const file = await make("exoclick:LibraryFile", { path: image, size: "300x250" });
      const campaign = await make("exoclick:Campaign", { name: `New ${i}`, size: "300x250", pricing: { model: 4, price: 1.5 }, startDate: "2026-03-02" });
      await make("exoclick:Variation", { campaignId: campaign, libraryUrlId: url, libraryFileId: file });
    }
    const wallMs = Date.now() - t0;
    const reqs = sb.journal.slice(from).filter((e) => !/\/login$/.test(e.path));
    const lists = reqs.filter((e) => e.method === "GET" && e.query.limit !== undefined).length;
    const row: GuardRow = { account: o.account, sets: o.sets, creates: 4 * o.sets, requests: reqs.length, lists, wholeAccountPages: 3 * Math.ceil(o.account / 500), wallMs };
    o.log(`lost-create guard, ${row.creates} creates in an account of ${o.account} campaigns, URLs and images: ${row.requests} requests, ${lists} of them lists (the whole account: ${row.wholeAccountPages} pages); ${(wallMs / 1000).toFixed(1)} s`);
    return row;
  } finally {
    await sb.close();
    resetStackConfig();
    resetContexts();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface ListsRow {
  sizes: number[];
  pageSize: number;
  lists: Array<{ list: string; built: number[]; ms: number[] }>;
}

/**
 * Every sandbox list (test/support/listcases.ts), filled with each of `sizes`
 * objects: the work and the time of its last page of `pageSize`. The page's
 * work must be the page's size whatever the account's size (test/sandbox.paging.test.ts asserts it).
 */
export async function listsRow(o: { sizes: number[]; pageSize: number; log: (s: string) => void }): Promise<ListsRow> {
  const { LIST_CASES } = require("../../test/support/listcases") as typeof import("../../test/support/listcases");
  const sb = await startSandbox({ port: 0, journalPath: "" });
  try {
    useNetworks(sb, [...new Set(LIST_CASES.map((c) => c.network))]);
    const lists: ListsRow["lists"] = [];
    for (const c of LIST_CASES) {
      const row = { list: `${c.network} ${c.page(o.pageSize, o.pageSize).path}`, built: [] as number[], ms: [] as number[] };
      for (const n of o.sizes) {
        sb.reset();
        const em = sb.network<EmulatorBase<Record<string, any>> & { data: Record<string, unknown> }>(c.network);
        c.fill(em.data, n);
        const built0 = em.listWork.built;
        // The median of 5 (the first warms the route).
        const times: number[] = [];
        for (let r = 0; r < 5; r++) {
          const t0 = process.hrtime.bigint();
          const body = await c.client().request(c.page(n, o.pageSize));
          times.push(Number(process.hrtime.bigint() - t0) / 1e6);
          if (c.items(body).length !== o.pageSize) throw new Error(`${row.list}: a page of ${c.items(body).length}, not ${o.pageSize}`);
        }
        row.built.push((em.listWork.built - built0) / 5);
        row.ms.push(+times.sort((a, b) => a - b)[2].toFixed(2));
      }
      lists.push(row);
    }
    o.log(`sandbox lists, a page of ${o.pageSize} at ${o.sizes.join(" / ")} objects: ${lists.map((l) => `${l.list} ${l.ms.join(" / ")} ms`).join("; ")}`);
    return { sizes: o.sizes, pageSize: o.pageSize, lists };
  } finally {
    await sb.close();
    resetStackConfig();
    resetContexts();
  }
}
