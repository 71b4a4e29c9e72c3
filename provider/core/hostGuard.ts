/**
 * The guardrails in the provider host (see README "Spend guardrails").
 *
 * `check` judges, with the shared judgement (core/judge.ts), the whole
 * program's figures after the update (the plan the program's gate put in
 * the resource's props, core/guard.ts) against the stack's state before it
 * (read once per process, core/stackState.ts, only when a limit compares
 * the two). Every resource of one update gets the same plan and the same
 * state, so every check reaches the same verdict whatever order the engine
 * checks them in:
 *  - at preview, a group's violation is reported by one resource (the
 *    group's carrier, the first the program declared), once;
 *  - at update, every resource that spends refuses, so none of them is sent
 *    whichever the engine checks first (it stops at the first failure);
 *  - a figure the program could not know (an Output of another resource) is
 *    judged by its own resource when known: the program's known figures
 *    plus its own, others not known yet counted as 0.
 * `check` also refuses a replacement of a running resource under
 * `adnetworks:protectRunning` (a check failure: once, no stack trace), and
 * reports the problems the program found (shared natural keys, rules
 * between resources). `delete` refuses to delete a running resource under
 * protectRunning (a resource removed from the program, or `pulumi destroy`,
 * which runs no program: only the provider sees it).
 *
 * What the update does to spend is written once, as one message on the
 * stack, when the last resource that spends has been checked, and only
 * when some spend changes.
 *
 * No runtime dependency on @pulumi/pulumi.
 */
import { setting } from "./config";
import { UserError } from "./errors";
import { judgeSummary, protectRunning, Violation } from "./judge";
import { currentResourceName, currentUrn, progress } from "./log";
import { Plan, PlanGroup, PLAN_LIST_MAX } from "./plan";
import { changedFields, Fields, replacingFields } from "./schema";
import { accountOf, currencyFor, describeChange, Entry, groupKey, GroupTotals, GUARDRAIL_SETTINGS, Limits, nameOfUrn, parseLimits, scopeOf, Spend, spendOf, SpendDef, summarize, Summary } from "./spend";
import { upgradeState } from "./upgrade";
import { stackResources, StateResource } from "./stackState";
import { Checker, containsUnknown as containsUnknownValue } from "./validate";

export function hostLimits(): Limits {
  const specs = Object.values(GUARDRAIL_SETTINGS);
  return parseLimits((key) => {
    const spec = specs.find((s) => s.key === key);
    return spec ? setting(spec) : undefined;
  });
}

/** What the host's guardrails need of a ResourceDef. */
export interface GuardDef extends SpendDef {
  fields: Fields;
  replaceWhen?(olds: any, news: any, changed: string[]): string[];
}

function reportOnly(plan: Plan | undefined): boolean {
  return !!plan?.report || process.env.ADNETWORKS_GUARDRAILS === "report";
}

function hasInputs(props: Record<string, any>): boolean {
  return Object.keys(props).some((k) => !k.startsWith("__"));
}

/** A type key's spend declaration, from the registry (provider/registry.ts hands it in: core imports nothing above it). */
export type DefinitionLookup = (key: string) => SpendDef | undefined;

/** The resources that spend, in state, as entries (type keys resolved through the registry). */
function stateEntries(currencies: Record<string, string> | undefined, definition: DefinitionLookup): { entries?: Entry[]; error?: string } {
  const { resources, error } = stackResources();
  return resources ? { entries: entriesOfState(resources, currencies, definition) } : { error };
}

/** State's resources (`pulumi stack export`) as spend entries; the old copy of a replaced one, marked for deletion, is its own entry. */
export function entriesOfState(resources: StateResource[], currencies: Record<string, string> | undefined, definition: DefinitionLookup): Entry[] {
  const entries: Entry[] = [];
  for (const r of resources) {
    const m = /^pulumi-nodejs:dynamic\/([^:]+):([^:]+)$/.exec(r.type ?? "");
    const def = m ? definition(`${m[1]}:${m[2]}`) : undefined;
    if (!def || !r.inputs) continue;
    // State an older version wrote holds amounts in the networks' units: read it as this version does.
    const s = spendOf(def, upgradeState(def.fields, r.inputs, currencyFor(currencies, m![1], accountOf(r.inputs))), currencies);
    if (s) entries.push({ name: nameOfUrn(r.urn), urn: r.delete ? `${r.urn}#deleting` : r.urn, spend: s });
  }
  return entries;
}

/** The program's figures as a Summary's after side (before filled from state when known). */
function summaryOf(groups: PlanGroup[], before: Entry[] | undefined): Summary {
  const fromState = before ? summarize(before, []) : { groups: [] };
  const out = new Map<string, GroupTotals>();
  const blank = (network: string, account: string | undefined, currency: string): GroupTotals => ({
    network, ...(account ? { account } : {}), currency, before: { daily: 0, total: 0, running: 0 }, after: { daily: 0, total: 0, running: 0 }, change: { daily: 0, total: 0 },
    starts: [], stops: [], unknown: [], uncapped: [], contributors: [],
  });
  for (const g of fromState.groups) out.set(groupKey(g), { ...blank(g.network, g.account, g.currency), before: g.before });
  for (const p of groups) {
    const k = groupKey(p);
    const g = out.get(k) ?? blank(p.network, p.account, p.currency);
    g.after = { daily: p.daily, total: p.total, running: p.running };
    g.contributors = p.contributors.map(([name, daily]) => ({ name, daily }));
    g.contributorCount = p.contributorCount;
    g.unknown = [...p.unknown];
    g.unknownCount = p.unknownCount;
    g.uncapped = [...p.uncapped];
    out.set(k, g);
  }
  const list = [...out.values()].sort((a, b) => groupKey(a).localeCompare(groupKey(b)));
  for (const g of list) g.change = { daily: round(g.after.daily - g.before.daily), total: round(g.after.total - g.before.total) };
  return { groups: list };
}

const round = (x: number) => Math.round(x * 100) / 100;

/**
 * The plan's groups with this resource's own figures added: it was not known
 * to the program (`counted`: the plan counts it among the unknown ones), or
 * there is no plan.
 */
function withSelf(groups: PlanGroup[], name: string, s: Spend, counted: boolean): PlanGroup[] {
  const out = groups.map((g) => ({ ...g, contributors: [...g.contributors], unknown: [...g.unknown], uncapped: [...g.uncapped] }));
  let g = out.find((x) => groupKey(x) === groupKey(s));
  if (!g) {
    g = { network: s.network, ...(s.account ? { account: s.account } : {}), currency: s.currency, daily: 0, total: 0, running: 0, contributors: [], contributorCount: 0, unknown: [], unknownCount: 0, uncapped: [], carrier: "" };
    out.push(g);
  }
  const i = g.unknown.indexOf(name);
  if (i >= 0) g.unknown.splice(i, 1);
  if (counted) g.unknownCount = Math.max(0, g.unknownCount - 1);
  if (s.unknown.length) {
    g.unknown.push(name);
    g.unknownCount++;
    return out;
  }
  if (s.running) {
    g.daily = round(g.daily + (s.daily ?? 0));
    g.total = round(g.total + (s.total ?? 0));
    g.running++;
    if (s.uncapped) g.uncapped.push(name);
    if ((s.daily ?? 0) > 0) {
      g.contributors.push([name, round(s.daily!)]);
      g.contributors.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      g.contributors = g.contributors.slice(0, PLAN_LIST_MAX);
      g.contributorCount++;
    }
  }
  return out;
}

/** Each resource's before and after in this process (one command), by URN, for the stack message. */
const seen = new Map<string, { name: string; before?: Spend; after: Spend; own: boolean; counted: boolean }>();
/** The latest plan's groups (the one that counts the most resources) and how many it counts. */
let latest: { groups: PlanGroup[]; count: number } | undefined;
let reported = 0;

export function onCheck(def: GuardDef, olds: Record<string, any>, news: Record<string, any>, c: Checker, plan: Plan | undefined, definition: DefinitionLookup): void {
  for (const p of plan?.problems ?? []) c.fail("", p);
  let limits: Limits;
  try {
    limits = hostLimits();
  } catch (e: any) {
    c.fail("", `adnetworks guardrails: ${e?.message ?? e}`);
    return;
  }
  const after = spendOf(def, news, limits.currencies);
  if (!after) return;
  const urn = currentUrn.getStore() || `${def.key}#${seen.size}`;
  const name = currentResourceName() ?? "this resource";
  const before = hasInputs(olds) ? spendOf(def, olds, limits.currencies) : seen.get(urn)?.before;
  const report = reportOnly(plan);

  // protectRunning: a replacement of a running resource (known changes only; unknown ones are judged at update).
  if (hasInputs(olds) && limits.protectRunning && before?.running) {
    const replaces = replacementFields(def, olds, news);
    const v = replaces.length ? protectRunning({ name, urn, op: "replace", fields: replaces, spend: before }, limits) : undefined;
    if (v && !report) c.fail("", v.message);
  }

  // The budgets of the whole program, judged once the same way for every resource.
  const needsBefore = limits.maxDailyIncrease !== undefined;
  let beforeEntries: Entry[] | undefined;
  let stateError: string | undefined;
  if (needsBefore) ({ entries: beforeEntries, error: stateError } = stateEntries(limits.currencies, definition));
  const own = !plan?.groups || plan.known === false;
  const programGroups = plan?.groups ?? [];
  const base = judgeSummary(summaryOf(programGroups, beforeEntries), limits, { beforeKnown: !!beforeEntries });
  const mine = own ? judgeSummary(summaryOf(withSelf(programGroups, name, after, plan?.known === false), beforeEntries), limits, { beforeKnown: !!beforeEntries }) : base;
  const carrierOf = new Map(programGroups.map((g) => [groupKey(g), g.carrier]));
  const isCarrier = (v: Violation) => !plan?.groups || carrierOf.get(groupKey(v)) === `${def.key} ${name}`;
  const messages = new Set<string>();
  if (!report) {
    for (const v of base.violations) if (!plan?.dryRun || isCarrier(v)) messages.add(v.message);
    // Violations that only this resource's own figures show (the program's alone did not): it reports them itself.
    const group = (v: Violation) => `${v.rule} ${groupKey(v)}`;
    const known = new Set(base.violations.map(group));
    for (const v of mine.violations) if (!known.has(group(v))) messages.add(v.message);
    if (stateError && (!plan?.dryRun || isCarrierOfAny(programGroups, def.key, name) || !plan?.groups)) {
      messages.add(`${GUARDRAIL_SETTINGS.maxDailyIncrease.key} cannot be judged: the stack's current state could not be read (${stateError}); remove the setting to go on without it`);
    }
  }
  for (const m of messages) c.fail("", m);

  seen.set(urn, { name, before, after, own, counted: plan?.known === false });
  if (plan?.groups && plan.count !== undefined) {
    if (!latest || plan.count >= latest.count) latest = { groups: plan.groups, count: plan.count };
    // Written by the check that completes the set, unless it fails (the error is the message then).
    if (seen.size >= latest.count && latest.count > reported && !c.failures.length) {
      reported = latest.count;
      const text = stackMessage(latest.groups, limits, beforeEntries);
      if (text) progress(text, stackUrn(urn));
    }
  }
}

/** The known input changes that replace the resource (as its `diff` decides; unknown ones are judged at update). */
export function replacementFields(def: GuardDef, olds: Record<string, any>, news: Record<string, any>): string[] {
  const changed = changedFields(def.fields, olds, news).filter((k) => !containsUnknownValue(news[k]));
  const replaces = replacingFields(def.fields, changed, olds, news);
  if (def.replaceWhen && changed.length) for (const k of def.replaceWhen(olds, news, changed)) if (!replaces.includes(k) && !containsUnknownValue(news[k])) replaces.push(k);
  return replaces;
}

function isCarrierOfAny(groups: PlanGroup[], key: string, name: string): boolean {
  return groups.some((g) => g.carrier === `${key} ${name}`);
}

/** The stack resource's URN, from any URN of the stack. */
export function stackUrn(urn: string): string {
  const [head, project] = urn.split("::");
  const stack = head?.startsWith("urn:pulumi:") ? head.slice("urn:pulumi:".length) : "";
  return stack && project ? `${head}::${project}::pulumi:pulumi:Stack::${project}-${stack}` : "";
}

const money = (x: number) => x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const signed = (x: number) => `${x >= 0 ? "+" : "-"}${money(Math.abs(x))}`;

/**
 * The one message on the stack: each resource whose spend changes, the
 * totals, what is not known until apply; undefined when nothing changes.
 * Made from the whole set (the program's figures, each resource's own
 * figures the program did not know), so it does not depend on the order.
 */
function stackMessage(planGroups: PlanGroup[], limits: Limits, before: Entry[] | undefined): string | undefined {
  const rows = [...seen.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const changes: string[] = [];
  for (const { name, before: b, after } of rows) {
    const line = describeChange(b, after);
    if (line) changes.push(`  ${name}: ${line.replace(/^spend [A-Z]{3}: /, "")} (${scopeOf(after)} ${after.currency})`);
  }
  if (!changes.length) return undefined;
  let groups = planGroups;
  for (const r of rows) if (r.own) groups = withSelf(groups, r.name, r.after, r.counted);
  const j = judgeSummary(summaryOf(groups, before), limits, { beforeKnown: !!before });
  const totals = j.summary.groups.map((g) => before
    ? `  ${scopeOf(g)} ${g.currency}: running daily budgets ${money(g.before.daily)} -> ${money(g.after.daily)} (${signed(g.change.daily)}), ${g.after.running} running`
    : `  ${scopeOf(g)} ${g.currency}: running daily budgets after this update ${money(g.after.daily)}, ${g.after.running} running`);
  const pending = j.pending.filter((p) => p.resources.length).map((p) => `  ${p.message}`);
  return ["adnetworks spend in this update (`npx adnet-spend` shows the whole before and after):", ...changes, ...totals, ...pending].join("\n");
}

/**
 * protectRunning for a delete: throws (a message, no stack trace) when the
 * resource is running and no allow list names it. `state` is what is stored.
 */
export function onDelete(def: GuardDef, state: Record<string, any>): void {
  let limits: Limits;
  try {
    limits = hostLimits();
  } catch (e: any) {
    throw new UserError(`adnetworks guardrails: ${e?.message ?? e}`);
  }
  if (!limits.protectRunning || reportOnly(undefined)) return;
  const spend = spendOf(def, state, limits.currencies);
  if (!spend) return;
  const name = currentResourceName() ?? def.key;
  const v = protectRunning({ name, op: "delete", spend }, limits);
  if (v) throw new UserError(v.message);
}

/** For tests: forget what this process has seen. */
export function resetHostGuard(): void {
  seen.clear();
  latest = undefined;
  reported = 0;
}

