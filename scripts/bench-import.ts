/**
 * npm run bench:import [-- --campaigns 500 --offers 1000 --latency-ms 25 --tsc]
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
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startSandbox, Sandbox } from "../provider/sandbox/server";
import { applyStackConfig, resetStackConfig } from "../provider/core/config";
import { get } from "../provider/registry";
import { networkNamed } from "../provider/networks";
import { importAccounts } from "../provider/import/importer";
import { ROOT } from "./lib/engine";
import { png } from "../test/support/png";
import { sandboxConfig } from "../provider/sandbox/config";

const argv = process.argv.slice(2);
function opt(name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}
const CAMPAIGNS = Number(opt("--campaigns") ?? 500);
const OFFERS = Number(opt("--offers") ?? 1000);
const LATENCY_MS = Number(opt("--latency-ms") ?? 25);
const TSC = argv.includes("--tsc");
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
    const programBytes = fs.readdirSync(out).filter((f) => f.endsWith(".ts")).reduce((s, f) => s + fs.statSync(path.join(out, f)).size, 0);
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
    line(`| RSS growth of this process | ${((process.memoryUsage().rss - rss0) / 1048576).toFixed(0)} MB |`);
    if (TSC) {
      fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(out, "node_modules"));
      const t = Date.now();
      const r = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "--strict", "--noEmit", "-p", path.join(out, "tsconfig.json")], { encoding: "utf8" });
      line(`| tsc --strict on the generated program | ${sec(Date.now() - t)}${r.status === 0 ? "" : " (FAILED)"} |`);
      if (r.status !== 0) line(r.stdout.slice(0, 2000));
    }
    line();
    line(`Machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")}; node ${process.version}`);
  } finally {
    await sb.close();
    resetStackConfig();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
