/**
 * npm run demo [-- --keep | --cleanup | --only <name>]
 *
 * The main job: deploys the example stacks to the local sandbox with the
 * real Pulumi engine, shows what the sandbox now holds, proves that a
 * preview finds nothing left to change, and destroys everything (unless
 * --keep). Then it adopts an account made outside Pulumi (adnet-import,
 * `--only import`). No account is needed.
 */
import * as fs from "fs";
import * as path from "path";
import { startSandbox, Sandbox } from "../provider/sandbox/server";
import { engineStack, ROOT } from "./lib/engine";
import { exampleStacks, ExampleStack, sandboxConfig } from "./lib/examples";
import { importAccounts, summaryText } from "../provider/import/importer";
import { applyStackConfig, resetStackConfig } from "../provider/core/config/config";
import { networkNamed } from "../provider/networks";
import { PulumiCli } from "../test/support/cli";
import { seedExoClick } from "../test/support/accounts";
import { sandboxConfig as networkSandboxConfig } from "../provider/sandbox/config";

const KEEP_DIR = path.join(ROOT, ".pulumi-demo");
const args = process.argv.slice(2);
const keep = args.includes("--keep");
const cleanup = args.includes("--cleanup");
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const line = (s = "") => process.stdout.write(s + "\n");

function table(rows: Array<Record<string, unknown>>, columns: string[]): string {
  const cells = rows.map((r) => columns.map((c) => {
    const v = r[c];
    return v === undefined || v === null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
  }));
  const widths = columns.map((c, i) => Math.min(48, Math.max(c.length, ...cells.map((r) => r[i].length))));
  const fmt = (vals: string[]) => "  " + vals.map((v, i) => (v.length > widths[i] ? v.slice(0, widths[i] - 1) + "…" : v.padEnd(widths[i]))).join("  ");
  return [fmt(columns), fmt(widths.map((w) => "-".repeat(w))), ...cells.map(fmt)].join("\n");
}

function printInventory(sb: Sandbox, networks: string[]) {
  const inv = sb.inventory();
  for (const n of networks) {
    for (const [kind, items] of Object.entries(inv[n] ?? {})) {
      line(`  ${bold(`${n} ${kind}`)} (${items.length})`);
      if (!items.length) continue;
      const first = items[0] as Record<string, unknown>;
      const columns = Object.keys(first).filter((k) => !/^(categories|countries|description|file_hash|url_optimum)/.test(k)).slice(0, 7);
      line(table(items as Array<Record<string, unknown>>, columns));
    }
  }
}

async function run(ex: ExampleStack, sb: Sandbox) {
  line();
  line(bold(`=== ${ex.title} ===`));
  const stateDir = keep || cleanup ? path.join(KEEP_DIR, "state") : undefined;
  const e = await engineStack({
    project: ex.name,
    stack: "demo",
    program: ex.program(),
    workDir: path.join(ROOT, ex.workDir),
    config: sandboxConfig(sb, ex.networks),
    stateDir,
  });
  const out = (s: string) => process.stdout.write(s);
  try {
    if (cleanup) {
      await e.stack.destroy({ onOutput: out });
      return;
    }
    line(bold(`\n$ pulumi up   (${ex.workDir}, stack "demo", local file backend)`));
    const up = await e.stack.up({ onOutput: out, color: process.stdout.isTTY ? "always" : "never" });
    line(bold("\nStack outputs:"));
    const width = Math.max(0, ...Object.keys(up.outputs).map((k) => k.length));
    for (const [k, v] of Object.entries(up.outputs)) line(`  ${k.padEnd(width)}  ${v.secret ? "[secret]" : JSON.stringify(v.value)}`);
    line(bold("\nWhat the sandbox now holds:"));
    printInventory(sb, ex.networks);
    line(bold("\n$ pulumi preview   (right after up: nothing should change)"));
    const pv = await e.stack.preview({ onOutput: out, color: process.stdout.isTTY ? "always" : "never" });
    const pending = Object.entries(pv.changeSummary).filter(([k, v]) => k !== "same" && v);
    line(pending.length ? `  ! preview wants changes: ${JSON.stringify(pv.changeSummary)}` : `  ok: ${pv.changeSummary.same ?? 0} resources unchanged, nothing to do`);
    if (pending.length) process.exitCode = 1;
    if (!keep) {
      line(bold("\n$ pulumi destroy"));
      await e.stack.destroy({ onOutput: out, color: process.stdout.isTTY ? "always" : "never" });
      line(bold("\nAfter destroy the sandbox holds:"));
      printInventory(sb, ex.networks);
    }
  } finally {
    e.cleanup();
  }
}

/**
 * Adopting an existing account: objects made straight through the sandbox's
 * API (as the dashboard would) become a program with adnet-import, `pulumi
 * up` adopts them (imports only), and a budget edit in the generated code
 * updates the campaign in place.
 */
async function importStep(sb: Sandbox) {
  line();
  line(bold("=== Adopting an existing ExoClick account (adnet-import) ==="));
  const seeded = await seedExoClick(sb);
  line(`Made in the sandbox directly, as a dashboard would: ${seeded.urls.length} landing pages, 2 images, ${seeded.campaigns.length} campaigns with 4 variations (one image shared by 3), 1 archived campaign.`);
  const dir = fs.mkdtempSync(path.join(require("os").tmpdir(), "adnet-demo-import-"));
  const out = path.join(dir, "account");
  const cli = new PulumiCli(out);
  const config = networkSandboxConfig("exoclick", sb.urlFor("exoclick"));
  try {
    line(bold(`\n$ npx adnet-import --network exoclick --out ${out}`));
    resetStackConfig();
    applyStackConfig(Object.fromEntries(Object.entries(config).map(([k, v]) => [k, v.value])), Object.keys(config));
    const summary = await importAccounts({ networks: ["exoclick"], out });
    line(summaryText(summary));
    const code = fs.readFileSync(path.join(out, "exoclick.ts"), "utf8");
    const start = code.indexOf("// Campaign");
    line(bold("\nexoclick.ts (a campaign):"));
    line(code.slice(start, code.indexOf("});", start) + 3));
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(out, "node_modules"));
    await cli.ok("stack", "init", "demo", "--non-interactive");
    for (const [k, v] of Object.entries(config)) await cli.ok("config", "set", ...(v.secret ? ["--secret"] : []), k, v.value);
    line(bold("\n$ pulumi up   (adopts every object: imports, no creates, no writes)"));
    const before = sb.journal.length;
    line((await cli.ok("up", "--yes", "--non-interactive", "--skip-preview")).trim());
    const writes = sb.journal.slice(before).filter((r) => r.method !== "GET" && !/\/login$/.test(r.path)).length;
    line(`  requests that changed something on ExoClick: ${writes}`);
    line(bold("\n$ (edit exoclick.ts: maxDailyBudget 20 -> 25) && pulumi up"));
    fs.writeFileSync(path.join(out, "exoclick.ts"), code.replace("maxDailyBudget: 20,", "maxDailyBudget: 25,"));
    line((await cli.ok("up", "--yes", "--non-interactive", "--skip-preview")).trim());
    const c = sb.network<any>("exoclick").inventory().campaigns.find((x: any) => x.name === "Summer Sale 300x250");
    line(`  the sandbox now holds max_daily_budget ${c?.max_daily_budget} for "${c?.name}"`);
    line(bold("\n$ pulumi destroy"));
    const destroyed = await cli.ok("destroy", "--yes", "--non-interactive", "--skip-preview");
    // (The CLI's closing hint about `pulumi stack rm` does not apply: the demo removes the stack's directory.)
    line(destroyed.replace(/\nThe resources in the stack have been deleted[\s\S]*$/, "").trim());
    const left = Object.values(sb.inventory().exoclick ?? {}).reduce((n, items) => n + (items as unknown[]).length, 0);
    line(`  the sandbox's ExoClick account now holds ${left} objects`);
  } finally {
    resetStackConfig();
    cli.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  if (keep || cleanup) fs.mkdirSync(KEEP_DIR, { recursive: true });
  // A kept demo's stack config names the sandbox URL, so it keeps one port.
  const port = keep || cleanup ? Number(process.env.ADNET_DEMO_PORT ?? 8787) : 0;
  const sb = await startSandbox({
    port,
    persistPath: keep || cleanup ? path.join(KEEP_DIR, "sandbox.json") : undefined,
    journalPath: keep ? path.join(KEEP_DIR, "journal.jsonl") : undefined,
  });
  line(`Sandbox (all networks) listening on ${sb.url}`);
  try {
    for (const ex of exampleStacks()) {
      if (only && ex.name !== only) continue;
      await run(ex, sb);
    }
    if (!cleanup && (!only || only === "import")) await importStep(sb);
  } finally {
    await sb.close();
  }
  if (cleanup) {
    fs.rmSync(KEEP_DIR, { recursive: true, force: true });
    line("\nDestroyed the kept demo stacks and removed .pulumi-demo/.");
  } else if (keep) {
    line(`\nKept: stacks in .pulumi-demo/state, sandbox data in .pulumi-demo/sandbox.json, every request in .pulumi-demo/journal.jsonl.`);
    line(`Look at the objects:  npx adnet-sandbox --data .pulumi-demo/sandbox.json   then open http://127.0.0.1:8787/__admin/inventory`);
    line(`Clean up:             npm run demo -- --cleanup`);
  } else {
    line("\nDone: every example was deployed, verified with a no-change preview, and destroyed.");
  }
}

main().catch((e) => {
  console.error(`\ndemo failed: ${e?.message ?? e}`);
  process.exit(1);
});
