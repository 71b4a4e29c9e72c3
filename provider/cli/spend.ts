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
 * reason), 2 on a usage error. `--json` prints { groups, before, after,
 * violations, pending, previewFailed } for CI.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { formatSummary, parseLimits } from "../core/spend";
import { Pending, Violation } from "../core/judge";
import { StepLike, stepJudgement, summarizeSteps } from "../core/steps";
import { CommandSpec, runCommandSync, str, Values } from "./args";
import { CWD_OPTION, findPulumi, pulumiError, pulumiOption } from "./pulumi";
import * as registry from "../registry";

export interface SpendReport {
  groups: ReturnType<typeof summarizeSteps>["groups"];
  before: Array<{ name: string; spend: unknown }>;
  after: Array<{ name: string; spend: unknown }>;
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
  return {
    groups: s.groups,
    before: s.before.map((e) => ({ name: e.name, spend: e.spend })),
    after: s.after.map((e) => ({ name: e.name, spend: e.spend })),
    violations: j.violations,
    pending: j.pending,
    ...(failed.length ? { previewFailed: failed } : {}),
  };
}

export function formatReport(r: SpendReport): string[] {
  const lines = formatSummary(r);
  for (const v of r.violations) lines.push(`LIMIT ${v.message}`);
  for (const p of r.pending) lines.push(`NOT KNOWN UNTIL APPLY ${p.message}`);
  for (const f of r.previewFailed ?? []) lines.push(`PREVIEW FAILED: ${f}`);
  return lines;
}

export const SPEC: CommandSpec = {
  name: "adnet-spend",
  summary: "what a `pulumi up` would do to ad spend, per network and currency",
  usage: ["[--stack <stack>] [--cwd <program dir>] [--json]", "--preview-json <file> [--json]"],
  description: [
    "Runs `pulumi preview --json --show-sames` (no request reaches a network) and prints, per network and currency, the running daily and total budgets before and after, the change, the resources that start and stop spending, and the guardrails (stack config adnetworks:*) the change would break.",
    "Exit status: 0 within the limits, 1 when a limit is broken or the preview failed, 2 on a usage error. The preview needs the stack's backend and passphrase: `pulumi login file://...` and PULUMI_CONFIG_PASSPHRASE for a local stack.",
  ],
  options: [
    { name: "stack", value: "<stack>", description: "The stack to preview (default: the selected stack)." },
    CWD_OPTION,
    { name: "json", description: "Print { groups, before, after, violations, previewFailed } as JSON, for CI." },
    { name: "preview-json", value: "<file>", description: "Read a saved `pulumi preview --json` instead of running one." },
    pulumiOption(),
  ],
  examples: [
    "adnet-spend --stack dev",
    "adnet-spend --stack prod --cwd ./infra --json > spend.json   # exit 1 when a limit is broken",
    "pulumi preview --json > preview.json && adnet-spend --preview-json preview.json",
  ],
};

export function main(argv = process.argv.slice(2)): number {
  return runCommandSync(SPEC, argv, spend);
}

function spend(values: Values): number {
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
  process.stdout.write(values.json ? `${JSON.stringify(r, null, 2)}\n` : `${formatReport(r).join("\n")}\n`);
  return r.violations.length || r.previewFailed ? 1 : 0;
}

if (require.main === module) process.exit(main());
