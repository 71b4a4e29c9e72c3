/**
 * The spend summary of a whole preview, from its steps: every step carries
 * the resource's old inputs (state) and new inputs (program), so before and
 * after totals are exact (`pulumi preview --json` "steps", or the Automation
 * API's resourcePreEvent metadata). Used by `adnet-spend` and the tests.
 */
import { accountOf, currencyFor, Entry, Limits, nameOfUrn, spendOf, SpendDef, summarize, Summary } from "./spend";
import { judge, Judgement, Removal, Violation } from "../guard/judge";
import { upgradeState } from "../engine/upgrade";
import { typeKeyOf } from "../engine/typeKey";

/** A step as `pulumi preview --json` prints it, or an engine event's metadata. */
export interface StepLike {
  op: string;
  urn: string;
  type?: string;
  oldState?: { type?: string; inputs?: Record<string, unknown> };
  newState?: { type?: string; inputs?: Record<string, unknown> };
  old?: { type?: string; inputs?: Record<string, unknown> };
  new?: { type?: string; inputs?: Record<string, unknown> };
  /** The inputs whose change replaces the resource (engine events). */
  keys?: string[];
  /** The same, as `pulumi preview --json` names them. */
  replaceReasons?: string[];
}

/** Operations after which the resource no longer exists. */
const GONE = new Set(["delete", "delete-replaced", "discard", "discard-replaced", "remove-pending-replace"]);

function keyOf(step: StepLike): string | undefined {
  const type = step.type ?? step.newState?.type ?? step.oldState?.type ?? step.new?.type ?? step.old?.type ?? step.urn.split("::")[2]?.split("$").pop() ?? "";
  return typeKeyOf(type);
}

export interface StepSummary extends Summary {
  before: Entry[];
  after: Entry[];
}

/** `definition` is the registry's (provider/registry.ts): the spend declaration of a type key. */
export function summarizeSteps(steps: StepLike[], definition: (key: string) => SpendDef | undefined, currencies: Record<string, string> = {}): StepSummary {
  const before = new Map<string, Entry>();
  const after = new Map<string, Entry>();
  const gone = new Set<string>();
  for (const step of steps) {
    const key = keyOf(step);
    const def = key ? definition(key) : undefined;
    if (!def) continue;
    const old = step.oldState?.inputs ?? step.old?.inputs;
    const neu = step.newState?.inputs ?? step.new?.inputs;
    const name = nameOfUrn(step.urn);
    if (old && !before.has(step.urn)) {
      // The state's inputs: an older version wrote amounts in the networks' units.
      const s = spendOf(def, upgradeState(def.fields, old, currencyFor(currencies, key!.split(":")[0], accountOf(old))), currencies);
      if (s) before.set(step.urn, { name, urn: step.urn, spend: s });
    }
    if (step.op === "delete") gone.add(step.urn);
    if (neu && !GONE.has(step.op)) {
      const s = spendOf(def, neu, currencies);
      if (s) after.set(step.urn, { name, urn: step.urn, spend: s });
    }
  }
  for (const urn of gone) after.delete(urn);
  const b = [...before.values()];
  const a = [...after.values()];
  return { ...summarize(b, a), before: b, after: a };
}

/**
 * The guardrail judgement of a preview (core/guard/judge.ts, the same function the
 * provider host calls): budgets before and after, replacements and deletes
 * of running resources.
 */
export function stepJudgement(steps: StepLike[], s: StepSummary, limits: Limits): Judgement {
  const before = new Map(s.before.map((e) => [e.urn, e]));
  const removals: Removal[] = [];
  const seen = new Set<string>();
  for (const x of steps) {
    if ((x.op !== "replace" && x.op !== "create-replacement") || seen.has(x.urn)) continue;
    seen.add(x.urn);
    const e = before.get(x.urn);
    if (e) removals.push({ name: e.name, urn: e.urn, op: "replace", fields: x.keys ?? x.replaceReasons, spend: e.spend });
  }
  return judge({ before: s.before, after: s.after, limits, removals });
}

/** The limits the steps break. */
export function stepViolations(steps: StepLike[], s: StepSummary, limits: Limits): Violation[] {
  return stepJudgement(steps, s, limits).violations;
}
