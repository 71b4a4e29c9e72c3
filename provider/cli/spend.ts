#!/usr/bin/env node
/**
 * adnet-spend: what a `pulumi up` would do to ad spend, per network and
 * currency: the running daily and total budgets before and after, the
 * change, the resources that start or stop spending, and the guardrails the
 * change would break (stack config `adnetworks:*`).
 *
 *   npx adnet-spend [--stack dev] [--cwd path/to/program] [--json]
 *   npx adnet-spend --preview-json preview.json [--json]   # from a saved `pulumi preview --json`
 *
 * It runs `pulumi preview --json --show-sames` (no request reaches a
 * network: previews only read the program and the state) with
 * ADNETWORKS_GUARDRAILS=report, so the guardrails measure and report but
 * refuse nothing and every resource's step is listed, even when a limit is
 * broken; then it judges the steps' old and new inputs with the same
 * function the provider host uses (core/guard/judge.ts). Exit status: 0 within
 * the limits, 1 when a limit is broken (or the preview failed for another
 * reason), 2 on a usage error. `--format json` prints { headline, groups,
 * changes, before, after, violations, pending, previewFailed } for CI;
 * `--format markdown` the same as a table for a pull request (cli/review.ts).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { currencyFor, formatSummary, Limits, parseLimits, spendOf } from "../core/money/spend";
import { applyStackConfig } from "../core/config/config";
import { DEFAULT_ACCOUNT } from "../core/config/context";
import { collectResults, Figures, MAX_DAYS, outcomeText, ResultsItem, resultsEnabled, resultsOptions, ResultsTotal, ResultsWindow, totalsOf, windowText } from "../core/money/results";
import { networkNamed } from "../networks";
import { Pending, Violation } from "../core/guard/judge";
import { StepLike, stepJudgement, summarizeSteps } from "../core/money/steps";
import { tokenOfUrn, typeKeyOf } from "../core/engine/typeKey";
import { CommandSpec, exitWith, runCommand, str, UsageError, Values } from "./args";
import { CWD_OPTION, findPulumi, pulumiError, pulumiOption } from "./pulumi";
import * as registry from "../registry";
import { headline, markdown, SpendChange, spendChanges } from "./review";
import { thrown } from "../core/http/errors";

export interface SpendReport {
  /** One line: "+1,250.00 USD/day on ExoClick; 2 campaigns start spending". */
  headline: string;
  groups: ReturnType<typeof summarizeSteps>["groups"];
  before: Array<{ name: string; spend: unknown }>;
  after: Array<{ name: string; spend: unknown }>;
  /** Every resource whose spend changes, with its figures before and after. */
  changes: SpendChange[];
  violations: Violation[];
  /** Limits that cannot be judged until apply (budgets that are Outputs of other resources). */
  pending: Pending[];
  /** The preview's own errors (e.g. the program's spend gate), when it failed. */
  previewFailed?: string[];
  /** The last N days of every campaign, offer or variation the preview changes (absent: results off). */
  results?: ResultRow[];
  /** Their figures summed per network, account and currency (variations are in their campaigns' figures). */
  resultTotals?: ResultsTotal[];
}

/** One changed object's results: its figures, or why there are none. */
export interface ResultRow {
  name: string;
  urn: string;
  /** "<module>:<Type>". */
  key: string;
  network: string;
  account?: string;
  /** The preview's operation: update, replace, delete. */
  op: string;
  /** A part of another object (an ExoClick variation of its campaign): not summed. */
  part?: boolean;
  window: ResultsWindow;
  figures?: Figures;
  unavailable?: string;
}

/** Operations on an existing object whose results are shown. */
const CHANGING = new Set(["update", "replace", "create-replacement", "delete-replaced", "delete"]);

/** The changed objects of a preview's steps that a network reports results of (each once, with its operation). */
export function resultItems(steps: StepLike[], limits: Limits): Array<ResultsItem & { op: string }> {
  const out = new Map<string, ResultsItem & { op: string }>();
  for (const x of steps) {
    if (!CHANGING.has(x.op)) continue;
    const old = (x.oldState ?? x.old) as { type?: string; id?: string; inputs?: Record<string, unknown> } | undefined;
    const key = typeKeyOf(old?.type ?? x.type ?? tokenOfUrn(x.urn));
    const m = key ? [key, ...key.split(":")] : null;
    if (!m || !old?.id || !old.inputs) continue;
    const network = networkNamed(m[1]);
    if (!network?.results?.types[m[2]]) continue;
    const op = x.op === "delete" ? "delete" : x.op === "update" ? "update" : "replace";
    const known = out.get(x.urn);
    if (known) {
      if (op === "replace") known.op = op;
      continue;
    }
    const account = typeof old.inputs.account === "string" && old.inputs.account ? old.inputs.account : DEFAULT_ACCOUNT;
    const def = registry.definition(`${m[1]}:${m[2]}`);
    let currency: string;
    try {
      currency = (def && spendOf(def, old.inputs, limits.currencies)?.currency) || currencyFor(limits.currencies, m[1], account === DEFAULT_ACCOUNT ? undefined : account);
    } catch {
      currency = currencyFor(limits.currencies, m[1], account === DEFAULT_ACCOUNT ? undefined : account);
    }
    out.set(x.urn, { name: x.urn.split("::").pop() ?? x.urn, urn: x.urn, key: `${m[1]}:${m[2]}`, network, account, op, ask: { type: m[2], id: String(old.id), inputs: old.inputs, currency } });
  }
  return [...out.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.urn < b.urn ? -1 : 1));
}

/**
 * Adds the results of what the preview changes (core/money/results.ts): one
 * statistics request per network, account and page, never failing the
 * report (a network that cannot be read is marked unavailable with the reason).
 */
export async function addResults(r: SpendReport, steps: StepLike[], limits: Limits, days?: number): Promise<SpendReport> {
  if (!resultsEnabled()) return r;
  const items = resultItems(steps, limits);
  const o = resultsOptions();
  if (days !== undefined) o.days = days;
  const got = await collectResults(items, o);
  const rows: ResultRow[] = [];
  for (const it of items) {
    const outcome = got.get(it.urn);
    if (!outcome) continue;
    rows.push({
      name: it.name, urn: it.urn, key: it.key, network: it.network.name, ...(it.account !== DEFAULT_ACCOUNT ? { account: it.account } : {}), op: it.op,
      ...(it.network.results?.types[it.ask.type] === "part" ? { part: true } : {}), window: outcome.window,
      ...("figures" in outcome ? { figures: outcome.figures } : { unavailable: outcome.unavailable }),
    });
  }
  const totals = totalsOf(rows.map((x) => ({ network: x.network, account: x.account, part: x.part, outcome: x.figures ? { figures: x.figures, window: x.window } : { unavailable: x.unavailable ?? "", window: x.window } })));
  return { ...r, results: rows, resultTotals: totals };
}

/** What adnet-spend reads of `pulumi preview --json`. */
export interface PreviewJson {
  steps?: StepLike[];
  diagnostics?: Array<{ severity?: string; message?: unknown }>;
  config?: unknown;
}

/** The report from a preview's JSON and the stack config (`pulumi config --json` shape: key -> { value }). */
export function report(preview: PreviewJson | undefined, config: Record<string, { value?: string }>): SpendReport {
  const limits = parseLimits((k) => config[k]?.value);
  const steps: StepLike[] = preview?.steps ?? [];
  const s = summarizeSteps(steps, registry.definition, limits.currencies);
  const failed = (preview?.diagnostics ?? []).filter((d) => d.severity === "error").map((d) => String(d.message).trim());
  const j = stepJudgement(steps, s, limits);
  const r: Omit<SpendReport, "headline"> = {
    groups: s.groups,
    before: s.before.map((e) => ({ name: e.name, spend: e.spend })),
    after: s.after.map((e) => ({ name: e.name, spend: e.spend })),
    changes: spendChanges(steps, s),
    violations: j.violations,
    pending: j.pending,
    ...(failed.length ? { previewFailed: failed } : {}),
  };
  return { headline: headline(r), ...r };
}

export function formatReport(r: SpendReport): string[] {
  const lines = [`spend: ${r.headline}`, ...formatSummary(r)];
  for (const v of r.violations) lines.push(`LIMIT ${v.message}`);
  for (const p of r.pending) lines.push(`NOT KNOWN UNTIL APPLY ${p.message}`);
  for (const f of r.previewFailed ?? []) lines.push(`PREVIEW FAILED: ${f}`);
  if (r.results?.length) {
    lines.push(`results of what changes, ${[...new Set(r.results.map((x) => windowText(x.window)))].join(" / ")}:`);
    for (const x of r.results) {
      lines.push(`  ${x.name} (${x.key.replace(":", " ")}${x.account ? `, account ${x.account}` : ""}, ${x.op}): ${outcomeText(x.figures ? { figures: x.figures, window: x.window } : { unavailable: x.unavailable ?? "", window: x.window })}`);
    }
    for (const t of r.resultTotals ?? []) {
      lines.push(`  ${t.network}${t.account ? `/${t.account}` : ""} ${t.currency}: spend ${t.spend.toFixed(2)}, ${t.impressions} impressions, ${t.clicks} clicks, ${t.conversions} conversions over ${t.objects} changed`);
    }
  }
  return lines;
}

export const SPEC: CommandSpec = {
  name: "adnet-spend",
  summary: "what a `pulumi up` would do to ad spend, per network and currency",
  usage: ["[--stack <stack>] [--cwd <program dir>] [--format text|markdown|json] [--days <N>]", "--preview-json <file> [--format text|markdown|json] [--days <N>]"],
  description: [
    "Runs `pulumi preview --json --show-sames` (no request reaches a network) and prints, per network and currency, the running daily and total budgets before and after, the change, the resources that start and stop spending, bids changed, the guardrails (stack config adnetworks:*) the change would break and what is not known until apply, after a one-line headline. `--format markdown` prints it as a table for a pull request (see examples/ci/).",
    "Exit status: 0 within the limits, 1 when a limit is broken or the preview failed, 2 on a usage error. The preview needs the stack's backend and passphrase: `pulumi login file://...` and PULUMI_CONFIG_PASSPHRASE for a local stack.",
  ],
  options: [
    { name: "stack", value: "<stack>", description: "The stack to preview (default: the selected stack)." },
    CWD_OPTION,
    { name: "format", value: "<format>", choices: ["text", "markdown", "json"], description: "text (default) for a terminal; markdown for a pull request comment or a CI job summary; json ({ headline, groups, changes, before, after, violations, pending, previewFailed }) for scripts." },
    { name: "json", description: "The same as --format json (kept for older scripts)." },
    { name: "preview-json", value: "<file>", description: "Read a saved `pulumi preview --json` instead of running one (the networks' credentials then come from the environment)." },
    { name: "days", value: "<N>", description: `Results of the last N whole days (default 7, or adnetworks:resultsDays; 1 to ${MAX_DAYS}, Interchange at most 90) of every campaign, offer or variation the preview changes; adnetworks:showResults false turns them off.` },
    pulumiOption(),
  ],
  examples: [
    "adnet-spend --stack dev",
    "adnet-spend --stack prod --cwd ./infra --format json > spend.json   # exit 1 when a limit is broken",
    "adnet-spend --stack prod --format markdown > spend.md   # a pull request comment (examples/ci/)",
    "pulumi preview --json > preview.json && adnet-spend --preview-json preview.json",
  ],
};

export function main(argv = process.argv.slice(2)): Promise<number> {
  return runCommand(SPEC, argv, spend);
}

async function spend(values: Values): Promise<number> {
  const format = values.json ? "json" : str(values, "format") ?? "text";
  const daysText = str(values, "days");
  const days = daysText === undefined ? undefined : Number(daysText);
  if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > MAX_DAYS)) throw new UsageError(`--days takes a whole number from 1 to ${MAX_DAYS}, got ${JSON.stringify(daysText)}`);
  if (values.json && (str(values, "format") ?? "json") !== "json") throw new UsageError(`--json and --format ${str(values, "format")} disagree: give one`);
  const stack = str(values, "stack");
  const cwd = path.resolve(str(values, "cwd") ?? process.cwd());
  const stackArgs = stack ? ["--stack", stack] : [];
  const file = str(values, "preview-json");
  const pulumi = file ? undefined : findPulumi({ explicit: str(values, "pulumi"), cwd });
  let preview: PreviewJson | undefined;
  if (file) preview = JSON.parse(fs.readFileSync(file, "utf8"));
  else {
    let out: string;
    try {
      // Report mode: the guardrails refuse nothing, so every resource is listed; the limits are judged here.
      out = execFileSync(pulumi!.bin, ["preview", "--json", "--show-sames", "--non-interactive", ...stackArgs], {
        cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"], env: { ...pulumi!.env, ADNETWORKS_GUARDRAILS: "report" },
      });
    } catch (e) {
      out = String(thrown(e)?.stdout ?? "");
      if (!out.trim().startsWith("{")) {
        process.stderr.write(`adnet-spend: ${pulumiError("pulumi preview", e).message}\n`);
        return 1;
      }
    }
    preview = JSON.parse(out);
  }
  let config: Record<string, { value?: string }> = {};
  if (preview?.config && typeof preview.config === "object") {
    // `pulumi preview --json` carries the stack config (secrets hidden); the guardrail keys are plain.
    for (const [k, v] of Object.entries(preview.config)) config[k] = { value: typeof v === "string" ? v : JSON.stringify(v) };
  } else if (!file) {
    config = JSON.parse(execFileSync(pulumi!.bin, ["config", "--json", ...stackArgs], { cwd, env: pulumi!.env, encoding: "utf8" }));
  }
  let r = report(preview, config);
  // Results: the networks' settings from the stack's config (with its secrets; a saved preview: its plain values and the environment).
  const keys = registry.configKeys();
  let settings: Record<string, string> = Object.fromEntries(Object.entries(config).filter(([, v]) => typeof v.value === "string" && v.value !== "[secret]").map(([k, v]) => [k, v.value as string]));
  if (!file) {
    try {
      const full = JSON.parse(execFileSync(pulumi!.bin, ["config", "--show-secrets", "--json", ...stackArgs], { cwd, env: pulumi!.env, encoding: "utf8" })) as Record<string, { value?: string }>;
      settings = Object.fromEntries(Object.entries(full).filter(([, v]) => typeof v.value === "string").map(([k, v]) => [k, v.value as string]));
    } catch {
      // The plain values then; missing credentials mark the results unavailable.
    }
  }
  applyStackConfig(settings, keys);
  r = await addResults(r, preview?.steps ?? [], parseLimits((k) => config[k]?.value), days);
  process.stdout.write(format === "json" ? `${JSON.stringify(r, null, 2)}\n` : format === "markdown" ? markdown(r, { stack }) : `${formatReport(r).join("\n")}\n`);
  return r.violations.length || r.previewFailed ? 1 : 0;
}

if (require.main === module) exitWith(main(), "adnet-spend");
