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
 * function the provider host uses (core/judge.ts). Exit status: 0 within
 * the limits, 1 when a limit is broken (or the preview failed for another
 * reason), 2 on a usage error. `--format json` prints { headline, groups,
 * changes, before, after, violations, pending, previewFailed } for CI;
 * `--format markdown` the same as a table for a pull request (cli/review.ts).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { formatSummary, parseLimits } from "../core/spend";
import { Pending, Violation } from "../core/judge";
import { StepLike, stepJudgement, summarizeSteps } from "../core/steps";
import { CommandSpec, runCommandSync, str, UsageError, Values } from "./args";
import { CWD_OPTION, findPulumi, pulumiError, pulumiOption } from "./pulumi";
import * as registry from "../registry";
import { headline, markdown, SpendChange, spendChanges } from "./review";

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
}

/** The report from a preview's JSON and the stack config (`pulumi config --json` shape: key -> { value }). */
export function report(preview: any, config: Record<string, { value?: string }>): SpendReport {
  const limits = parseLimits((k) => config[k]?.value);
  const steps: StepLike[] = preview?.steps ?? [];
  const s = summarizeSteps(steps, registry.definition, limits.currencies);
  const failed = (preview?.diagnostics ?? []).filter((d: any) => d.severity === "error").map((d: any) => String(d.message).trim());
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
  return lines;
}

export const SPEC: CommandSpec = {
  name: "adnet-spend",
  summary: "what a `pulumi up` would do to ad spend, per network and currency",
  usage: ["[--stack <stack>] [--cwd <program dir>] [--format text|markdown|json]", "--preview-json <file> [--format text|markdown|json]"],
  description: [
    "Runs `pulumi preview --json --show-sames` (no request reaches a network) and prints, per network and currency, the running daily and total budgets before and after, the change, the resources that start and stop spending, bids changed, the guardrails (stack config adnetworks:*) the change would break and what is not known until apply, after a one-line headline. `--format markdown` prints it as a table for a pull request (see examples/ci/).",
    "Exit status: 0 within the limits, 1 when a limit is broken or the preview failed, 2 on a usage error. The preview needs the stack's backend and passphrase: `pulumi login file://...` and PULUMI_CONFIG_PASSPHRASE for a local stack.",
  ],
  options: [
    { name: "stack", value: "<stack>", description: "The stack to preview (default: the selected stack)." },
    CWD_OPTION,
    { name: "format", value: "<format>", choices: ["text", "markdown", "json"], description: "text (default) for a terminal; markdown for a pull request comment or a CI job summary; json ({ headline, groups, changes, before, after, violations, pending, previewFailed }) for scripts." },
    { name: "json", description: "The same as --format json (kept for older scripts)." },
    { name: "preview-json", value: "<file>", description: "Read a saved `pulumi preview --json` instead of running one." },
    pulumiOption(),
  ],
  examples: [
    "adnet-spend --stack dev",
    "adnet-spend --stack prod --cwd ./infra --format json > spend.json   # exit 1 when a limit is broken",
    "adnet-spend --stack prod --format markdown > spend.md   # a pull request comment (examples/ci/)",
    "pulumi preview --json > preview.json && adnet-spend --preview-json preview.json",
  ],
};

export function main(argv = process.argv.slice(2)): number {
  return runCommandSync(SPEC, argv, spend);
}

function spend(values: Values): number {
  const format = values.json ? "json" : str(values, "format") ?? "text";
  if (values.json && (str(values, "format") ?? "json") !== "json") throw new UsageError(`--json and --format ${str(values, "format")} disagree: give one`);
  const stack = str(values, "stack");
  const cwd = path.resolve(str(values, "cwd") ?? process.cwd());
  const stackArgs = stack ? ["--stack", stack] : [];
  const file = str(values, "preview-json");
  const pulumi = file ? undefined : findPulumi({ explicit: str(values, "pulumi"), cwd });
  let preview: any;
  if (file) preview = JSON.parse(fs.readFileSync(file, "utf8"));
  else {
    let out: string;
    try {
      // Report mode: the guardrails refuse nothing, so every resource is listed; the limits are judged here.
      out = execFileSync(pulumi!.bin, ["preview", "--json", "--show-sames", "--non-interactive", ...stackArgs], {
        cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"], env: { ...pulumi!.env, ADNETWORKS_GUARDRAILS: "report" },
      });
    } catch (e: any) {
      out = String(e?.stdout ?? "");
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
  const r = report(preview, config);
  process.stdout.write(format === "json" ? `${JSON.stringify(r, null, 2)}\n` : format === "markdown" ? markdown(r, { stack }) : `${formatReport(r).join("\n")}\n`);
  return r.violations.length || r.previewFailed ? 1 : 0;
}

if (require.main === module) process.exit(main());
