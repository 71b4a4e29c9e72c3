/**
 * The spend limits as Pulumi policies: what each policy of the shipped pack
 * (provider/policy/pack.ts, `pulumi preview --policy-pack
 * node_modules/pulumi-adnetworks/policy`) reports, judged by the same
 * function as the stack-config limits (core/guard/judge.ts `judge`), so both give
 * the same verdict on the same preview.
 *
 * A stack policy sees every resource of the stack after the update (its
 * outputs: at preview, the new inputs of what changes and the stored
 * outputs of what does not; values not known until apply are Pulumi's
 * unknown), never the state before it; so "before" is the stack's state
 * read from the Pulumi CLI that started the pack (`pulumi stack export`, as
 * the provider host reads it for maxDailyIncrease), and from before and
 * after come what the stack config rules see: the totals, the replacements
 * (by the resources' own diff rules, core/guard/hostGuard.ts `replacementFields`)
 * and the deletes.
 *
 * Pure: no @pulumi/policy here (pack.ts wires it), so tests call it directly.
 */
import { GUARDRAIL_SETTINGS, Limit, Limits, nameOfUrn, parseLimits, spendOf } from "../core/money/spend";
import type { Entry } from "../core/money/spend";
import { judge, Judgement, Pending, Removal, Rule, Violation } from "../core/guard/judge";
import { DefinitionLookup, entriesOfState, GuardDef, replacementFields } from "../core/guard/hostGuard";
import type { StateResource } from "../core/engine/stackState";
import type { Fields } from "../core/schema/schema";
import { typeKeyOf } from "../core/engine/typeKey";
import * as registry from "../registry";
import { thrown } from "../core/http/errors";

/** The pack's policies, by the rule each enforces. */
export const POLICIES = {
  maxDailyBudget: "max-daily-budget",
  maxDailyIncrease: "max-daily-increase",
  protectRunning: "protect-running",
  notKnown: "not-known-until-apply",
} as const;

export type PolicyName = (typeof POLICIES)[keyof typeof POLICIES];

/** A policy's config, as in `--policy-pack-config` (enforcementLevel is Pulumi's). */
export interface LimitConfig {
  /** Major currency units per day: one number for all, or per "network:CUR", "network", "*:CUR", "*" (as adnetworks:maxDailyBudget). */
  limit?: Limit;
}
export interface ProtectConfig {
  allowReplace?: string[];
  allowDelete?: string[];
}

/** A resource of the stack after the update, as a stack policy gets it (props plain, unknowns as Pulumi's unknown). */
export interface StackResource {
  urn: string;
  type: string;
  props: Record<string, unknown>;
}

/** The stack's state before the update, or why it is not known. */
export interface StateBefore {
  resources?: StateResource[];
  error?: string;
}

export interface Finding {
  message: string;
  /** The resource it is about, when it is one resource of the stack. */
  urn?: string;
}

/** The registry's spend declarations (provider/registry.ts), as the provider host gets them. */
const definition: DefinitionLookup = registry.definition;

const keyOf = typeKeyOf;

/** The account currencies from the stack's config (`adnetworks:currencies`), else its environment variable: as the provider reads them. */
export function currenciesFrom(stackConfig: Record<string, string>, env: NodeJS.ProcessEnv = process.env): Record<string, string> | undefined {
  const S = GUARDRAIL_SETTINGS.currencies;
  return parseLimits((k) => (k === S.key ? stackConfig[k] ?? env[S.env] : undefined)).currencies;
}

/** The limits one policy's config stands for, in the stack config's terms (checked the same way). */
export function limitsOf(rule: Rule, config: LimitConfig & ProtectConfig, currencies?: Record<string, string>): Limits {
  const S = GUARDRAIL_SETTINGS;
  const values: Record<string, string> = {};
  if (rule === "maxDailyBudget" && config.limit !== undefined) values[S.maxDailyBudget.key] = JSON.stringify(config.limit);
  if (rule === "maxDailyIncrease" && config.limit !== undefined) values[S.maxDailyIncrease.key] = JSON.stringify(config.limit);
  if (rule === "protectRunning") {
    values[S.protectRunning.key] = "true";
    if (config.allowReplace) values[S.allowReplace.key] = JSON.stringify(config.allowReplace);
    if (config.allowDelete) values[S.allowDelete.key] = JSON.stringify(config.allowDelete);
  }
  let limits: Limits;
  try {
    limits = parseLimits((k) => values[k]);
  } catch (e) {
    throw new Error(inPolicyWords(String(thrown(e)?.message ?? e)));
  }
  return currencies ? { ...limits, currencies } : limits;
}

/** The judgement of one rule on the stack's resources after the update and its state before. */
export function judgeStack(resources: StackResource[], before: StateBefore, limits: Limits): Judgement & { afterEntries: Entry[] } {
  const after: Entry[] = [];
  const news = new Map<string, { key: string; props: Record<string, unknown> }>();
  for (const r of resources) {
    const key = keyOf(r.type);
    const def = key ? definition(key) : undefined;
    if (!key || !def) continue;
    news.set(r.urn, { key, props: r.props });
    const s = spendOf(def, r.props, limits.currencies);
    if (s) after.push({ name: nameOfUrn(r.urn), urn: r.urn, spend: s });
  }
  const entries = before.resources ? entriesOfState(before.resources, limits.currencies, definition) : undefined;
  const removals: Removal[] = [];
  if (before.resources && limits.protectRunning) {
    const beforeByUrn = new Map(entries!.map((e) => [e.urn!, e]));
    for (const old of before.resources) {
      const now = news.get(old.urn);
      const def = now ? (definition(now.key) as GuardDef | undefined) : undefined;
      const e = beforeByUrn.get(old.urn);
      if (!now || !def || !e || old.delete || !old.inputs) continue;
      const fields = replacementFields(def, old.inputs, asDeclared(def.fields, old.inputs, now.props));
      if (fields.length) removals.push({ name: e.name, urn: e.urn, op: "replace", fields, spend: e.spend });
    }
  }
  return { ...judge({ before: entries, after, limits, removals }), afterEntries: after };
}

/**
 * What a policy reports: its rule's violations (in the policy's words), and
 * its limits that cannot be judged until apply (for the advisory policy).
 * maxDailyIncrease with the state unreadable fails, as the provider host's
 * does; protectRunning cannot see replacements or deletes without it and
 * says so among the pending.
 */
export function findings(rule: Rule, resources: StackResource[], before: StateBefore, limits: Limits): { violations: Finding[]; pending: Finding[] } {
  const j = judgeStack(resources, before, limits);
  const urnOf = new Map(j.afterEntries.map((e) => [e.name, e.urn!]));
  const one = (x: Violation | Pending) => (x.resources.length === 1 ? urnOf.get(x.resources[0]) : undefined);
  const violations: Finding[] = j.violations.filter((v) => v.rule === rule).map((v) => ({ message: inPolicyWords(v.message), ...(one(v) ? { urn: one(v) } : {}) }));
  let pending: Finding[] = j.pending.filter((p) => p.rule === rule).map((p) => ({ message: `${POLICIES[rule]}: ${inPolicyWords(p.message)}` }));
  if (!before.resources && rule === "maxDailyIncrease" && limits.maxDailyIncrease !== undefined) {
    violations.push({ message: `cannot be judged: the stack's current state could not be read (${before.error ?? "unknown reason"}); remove the limit or disable ${POLICIES.maxDailyIncrease} to go on without it` });
    pending = [];
  }
  if (!before.resources && rule === "protectRunning") {
    pending.push({ message: `${POLICIES.protectRunning}: not judged: the stack's current state could not be read (${before.error ?? "unknown reason"}), so replacements and deletes of running resources cannot be seen; the stack config's adnetworks:protectRunning, enforced by the provider itself, still sees them` });
  }
  return { violations, pending };
}

/**
 * The outputs as the program declared them: a field the network fills in
 * when it is left out (`serverDefault`) that the stored inputs do not hold
 * is the network's value, not a change (a resource that does not change
 * keeps its stored outputs, which hold such values). The one change this
 * cannot see, a program that starts to declare such a field whose change
 * replaces, is still refused by the provider's own check under
 * adnetworks:protectRunning.
 */
export function asDeclared(fields: Fields, olds: Record<string, unknown>, outputs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...outputs };
  for (const [k, f] of Object.entries(fields)) {
    const old = olds?.[k];
    if ((old === undefined || old === null) && f.serverDefault) delete out[k];
    else if (f.kind === "object" && isObject(old) && isObject(out[k])) out[k] = asDeclared(f.fields, old, out[k] as Record<string, unknown>);
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

const S = GUARDRAIL_SETTINGS;
const POLICY_OF: Record<string, string> = {
  [S.maxDailyBudget.key]: POLICIES.maxDailyBudget,
  [S.maxDailyIncrease.key]: POLICIES.maxDailyIncrease,
  [S.protectRunning.key]: POLICIES.protectRunning,
};

/**
 * The judgement's messages, written for stack config, in the policy's terms:
 * no leading setting name (Pulumi shows the policy's), "raise the limit of
 * max-daily-budget" for "raise adnetworks:maxDailyBudget", the policy config
 * to allow a replacement or delete instead of `pulumi config set`.
 */
export function inPolicyWords(message: string): string {
  // A policy pack never sees `pulumi destroy` (it takes no --policy-pack): a delete is a resource gone from the program.
  let m = message.replace(/^adnetworks:\w+: /, "").replace(", or this is `pulumi destroy`)", ")");
  m = m.replace(/pulumi config set (adnetworks:allow(?:Replace|Delete)) '(\[[^\]]*\])'/g, (_all, key: string, list: string) => {
    const setting = key.slice("adnetworks:".length);
    const names = (JSON.parse(list) as string[]).map((n) => JSON.stringify(n)).join(", ");
    return `add ${names} to ${setting} in the policy config of ${POLICIES.protectRunning}`;
  });
  for (const [key, policy] of Object.entries(POLICY_OF)) m = m.split(`raise ${key}`).join(`raise the limit of ${policy}`).split(key).join(policy);
  return m;
}
