/**
 * The guardrails in the provider host (see README "Spend guardrails").
 *
 * `check` judges, with the shared judgement (core/guard/judge.ts), the whole
 * program's figures after the update (the plan the program's gate put in
 * the resource's props, core/guard/guard.ts) against the stack's state before it
 * (read once per process, core/engine/stackState.ts, only when a limit compares
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
import { setting } from "../config/config";
import { UserError, thrown } from "../http/errors";
import { deletesRefusal, judgeSummary, protectRunning, Removal, Violation } from "./judge";
import { currentResourceName, currentUrn, progress } from "../config/log";
import { Plan, PlanGroup, PLAN_LIST_MAX } from "./plan";
import { changedFields, Fields, replacingFields } from "../schema/schema";
import { accountOf, currencyFor, describeChange, Entry, groupKey, GroupTotals, GUARDRAIL_SETTINGS, Limits, nameOfUrn, parseLimits, scopeOf, Spend, spendOf, SpendDef, summarize, Summary } from "../money/spend";
import { upgradeState } from "../engine/upgrade";
import { stackResources, StateResource } from "../engine/stackState";
import { CliCommand, parentCli } from "../engine/stackConfig";
import { Checker, containsUnknown as containsUnknownValue } from "../schema/validate";
import { typeKeyOf } from "../engine/typeKey";

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
  replaceWhen?(olds: Record<string, unknown>, news: Record<string, unknown>, changed: string[]): string[];
}

function reportOnly(plan: Plan | undefined): boolean {
  return !!plan?.report || process.env.ADNETWORKS_GUARDRAILS === "report";
}

function hasInputs(props: Record<string, unknown>): boolean {
  return Object.keys(props).some((k) => !k.startsWith("__"));
}

/** A type key's spend declaration, from the registry (provider/registry.ts hands it in: core imports nothing above it). */
export type DefinitionLookup = (key: string) => SpendDef | undefined;

/** The resources that spend, in state, as entries (type keys resolved through the registry). */
function stateEntries(currencies: Record<string, string> | undefined, definition: DefinitionLookup): { entries?: Entry[]; error?: string } {
  const { resources, error } = stackResources();
  return resources ? { entries: entriesOfState(resources, currencies, definition) } : { error };
}

/** "<type key> <name>" of a resource of this package in state (undefined for any other). */
export function keyOfState(r: StateResource): string | undefined {
  const key = typeKeyOf(r.type);
  return key ? `${key} ${nameOfUrn(r.urn)}` : undefined;
}

/** State's resources (`pulumi stack export`) as spend entries; the old copy of a replaced one, marked for deletion, is its own entry. */
export function entriesOfState(resources: StateResource[], currencies: Record<string, string> | undefined, definition: DefinitionLookup): Entry[] {
  return spendsOfState(resources, currencies, definition).map(({ r, spend }) => ({ name: nameOfUrn(r.urn), urn: r.delete ? `${r.urn}#deleting` : r.urn, spend }));
}

/** State's resources of this package that spend, each with its definition, its inputs as this version reads them, and its spend. */
function spendsOfState(resources: StateResource[], currencies: Record<string, string> | undefined, definition: DefinitionLookup): Array<{ r: StateResource; def: SpendDef; olds: Record<string, unknown>; spend: Spend }> {
  const out: Array<{ r: StateResource; def: SpendDef; olds: Record<string, unknown>; spend: Spend }> = [];
  for (const r of resources) {
    const key = typeKeyOf(r.type);
    const def = key ? definition(key) : undefined;
    if (!def || !r.inputs) continue;
    // State an older version wrote holds amounts in the networks' units: read it as this version does.
    const olds = upgradeState(def.fields, r.inputs, currencyFor(currencies, key!.split(":")[0], accountOf(r.inputs)));
    const spend = spendOf(def, olds, currencies);
    if (spend) out.push({ r, def, olds, spend });
  }
  return out;
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

/**
 * Returns whether the run sends nothing whatever this resource holds: the
 * program's gate or the guardrails refuse it (at preview only one resource
 * may say so), or it is `adnet-spend`'s report-only preview. The same for
 * every resource of the run, so the steps that would send a request (the
 * credentials' verification, core/guard/verify.ts) skip it in any order.
 */
export function onCheck(def: GuardDef, olds: Record<string, unknown>, news: Record<string, unknown>, c: Checker, plan: Plan | undefined, definition: DefinitionLookup): boolean {
  for (const p of plan?.problems ?? []) c.fail("", p);
  let limits: Limits;
  try {
    limits = hostLimits();
  } catch (e) {
    c.fail("", `adnetworks guardrails: ${thrown(e)?.message ?? e}`);
    return true;
  }
  let refused = !!plan?.refused || !!plan?.problems?.length;
  const name = currentResourceName() ?? "this resource";
  const self = `${def.key} ${name}`;
  programKeys.add(self);
  for (const k of plan?.names ?? []) programKeys.add(k);
  const report = reportOnly(plan);
  if (report) refused = true;

  // protectRunning: running resources of the stack the program no longer declares would be deleted at the end
  // of this update; refused here, before anything of the update is written (at preview by the program's first resource).
  if (limits.protectRunning && plan?.names && !report) {
    const m = removalsRefusal(plan.names, limits, definition);
    if (m) refused = true;
    if (m && (!plan.dryRun || plan.first === self)) c.fail("", m);
  }

  // protectRunning: a replacement of a running resource the program declares refuses the whole run, found at whichever
  // resource the host checks first, so no resource of it sends anything (the credentials' verification) in any order.
  // The replaced resource itself fails below with the reason; this only marks the run (a value the host would normalize
  // differently can only make a run send less, never fail).
  if (limits.protectRunning && plan?.replacing && !report && replacementsRefused(plan.replacing, limits, definition)) refused = true;

  const after = spendOf(def, news, limits.currencies);
  if (!after) {
    // A resource that spends nothing refuses an update that breaks a limit too, so nothing of it is written (all or nothing).
    if (plan?.groups && !plan.dryRun && !report) {
      const before = limits.maxDailyIncrease !== undefined ? stateEntries(limits.currencies, definition).entries : undefined;
      for (const v of judgeSummary(summaryOf(plan.groups, before), limits, { beforeKnown: !!before }).violations) c.fail("", v.message);
    }
    if (plan?.groups && !report) {
      const before = limits.maxDailyIncrease !== undefined ? stateEntries(limits.currencies, definition) : undefined;
      if (before?.error || judgeSummary(summaryOf(plan.groups, before?.entries), limits, { beforeKnown: !!before?.entries }).violations.length) refused = true;
    }
    return refused;
  }
  const urn = currentUrn.getStore() || `${def.key}#${seen.size}`;
  const before = hasInputs(olds) ? spendOf(def, olds, limits.currencies) : seen.get(urn)?.before;

  // protectRunning: a replacement of a running resource (known changes only; unknown ones are judged at update).
  if (hasInputs(olds) && limits.protectRunning && before?.running) {
    const replaces = replacementFields(def, olds, news);
    const v = replaces.length ? protectRunning({ name, urn, op: "replace", fields: replaces, spend: before }, limits) : undefined;
    if (v && !report) c.fail("", v.message);
    if (v) refused = true;
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
  if (base.violations.length || mine.violations.length || stateError) refused = true;

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
  return refused;
}

/** The known input changes that replace the resource (as its `diff` decides; unknown ones are judged at update). */
export function replacementFields(def: GuardDef, olds: Record<string, unknown>, news: Record<string, unknown>): string[] {
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

/** The stack's resources as removals (the spend each would stop). */
function removalsOf(resources: StateResource[], limits: Limits, definition: DefinitionLookup): Removal[] {
  return entriesOfState(resources, limits.currencies, definition).map((e) => ({ name: e.name, urn: e.urn, op: "delete" as const, spend: e.spend }));
}

/** Whether a URN is named by `--target` (a URN, or a glob with `*` as the CLI takes it). */
function targeted(urn: string, targets: string[]): boolean {
  return targets.some((t) => t === urn || (t.includes("*") && new RegExp(`^${t.split("*").map((x) => x.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`).test(urn)));
}

/** With `--target`: the targeted resources and, with `--target-dependents`, what depends on them (by dependency or parent). */
function withinTargets(resources: StateResource[], run: Pick<CliCommand, "targets" | "targetDependents">): StateResource[] {
  if (!run.targets?.length) return resources;
  const chosen = new Set(resources.filter((r) => targeted(r.urn, run.targets!)).map((r) => r.urn));
  if (run.targetDependents) {
    for (let grew = true; grew; ) {
      grew = false;
      for (const r of resources) {
        if (chosen.has(r.urn)) continue;
        if ((r.parent && chosen.has(r.parent)) || (r.dependencies ?? []).some((d) => chosen.has(d))) {
          chosen.add(r.urn);
          grew = true;
        }
      }
    }
  }
  return resources.filter((r) => chosen.has(r.urn));
}

/**
 * The stack's resources that this run deletes: `pulumi destroy` all of them
 * (with `--target`, the targeted ones and, with `--target-dependents`, what
 * depends on them); `pulumi up` those the program no longer declares
 * (`program`: "<type key> <name>" of every resource it declared) and old
 * copies marked for deletion. Undefined for another command: its deletes
 * are judged one by one.
 */
export function deletesOfRun(resources: StateResource[], run: Pick<CliCommand, "verb" | "targets" | "targetDependents"> & { program?: Set<string> }): StateResource[] | undefined {
  const mine = resources.filter((r) => keyOfState(r));
  if (run.verb === "destroy" || run.verb === "down") return withinTargets(mine, run);
  if (run.verb === "up" || run.verb === "update") {
    return withinTargets(mine.filter((r) => r.delete || !run.program?.has(keyOfState(r)!)), run);
  }
  return undefined;
}

/** For tests: the command this host serves (default: the CLI that started it). */
let runCommand: { cmd?: Pick<CliCommand, "verb" | "targets" | "targetDependents"> } | undefined;
export function setRunCommand(cmd: Pick<CliCommand, "verb" | "targets" | "targetDependents"> | undefined): void {
  runCommand = cmd ? { cmd } : undefined;
}
const thisRun = () => (runCommand ? runCommand.cmd : parentCli());

/** "<type key> <name>" of every resource the program declares, as this process learnt them (the plans' lists, the checks). */
const programKeys = new Set<string>();
/** The verdict on the removals a plan's list implies, by list (read once per list). */
const removalVerdicts = new Map<string, string | undefined>();
/** This run's verdict on its deletes, judged once at its first delete; `judged: false` when the set could not be known. */
let deleteVerdict: { judged: boolean; message?: string } | undefined;

/** At check, under protectRunning: the refusal of the running resources the program no longer declares (undefined: none, or the state cannot be read). */
const replacementVerdicts = new Map<string, boolean>();
/** Whether the program's inputs (`Plan.replacing`) would replace a running resource of the stack's state that protectRunning does not allow. */
function replacementsRefused(replacing: Record<string, Record<string, unknown>>, limits: Limits, definition: DefinitionLookup): boolean {
  const k = JSON.stringify(replacing);
  const known = replacementVerdicts.get(k);
  if (known !== undefined) return known;
  const refused = spendsOfState(stackResources().resources ?? [], limits.currencies, definition).some(({ r, def, olds, spend }) => {
    const news = r.delete || !spend.running ? undefined : replacing[keyOfState(r) ?? ""];
    const fields = news ? replacementFields(def, olds, { ...olds, ...news }) : [];
    return fields.length > 0 && !!protectRunning({ name: nameOfUrn(r.urn), urn: r.urn, op: "replace", fields, spend }, limits);
  });
  replacementVerdicts.set(k, refused);
  return refused;
}

function removalsRefusal(names: string[], limits: Limits, definition: DefinitionLookup): string | undefined {
  const k = names.join("\n");
  if (removalVerdicts.has(k)) return removalVerdicts.get(k);
  const { resources } = stackResources();
  const run = thisRun();
  const gone = resources ? deletesOfRun(resources, { verb: "up", targets: run?.targets, targetDependents: run?.targetDependents, program: new Set(names) })!.filter((r) => !r.delete) : [];
  const m = deletesRefusal(removalsOf(gone, limits, definition), limits)?.message;
  removalVerdicts.set(k, m);
  return m;
}

/**
 * protectRunning for a delete, all or nothing: at the first delete of the
 * run (a variation goes before its campaign) the whole set of this run's
 * deletes is judged from the stack's state, and when any is refused every
 * delete of the run throws the one message that lists them all (no stack
 * trace), so nothing is deleted. When the set cannot be known (the state
 * cannot be read, a host not started by the CLI) the resource is judged on
 * its own. `state` is what is stored.
 */
export function onDelete(def: GuardDef, state: Record<string, unknown>, definition?: DefinitionLookup): void {
  let limits: Limits;
  try {
    limits = hostLimits();
  } catch (e) {
    throw new UserError(`adnetworks guardrails: ${thrown(e)?.message ?? e}`);
  }
  if (!limits.protectRunning || reportOnly(undefined)) return;
  if (definition) {
    deleteVerdict ??= judgeDeletes(limits, definition);
    if (deleteVerdict.message) throw new UserError(deleteVerdict.message);
  }
  const spend = spendOf(def, state, limits.currencies);
  if (!spend) return;
  const name = currentResourceName() ?? def.key;
  const v = protectRunning({ name, op: "delete", spend }, limits);
  if (v) throw new UserError(v.message);
}

function judgeDeletes(limits: Limits, definition: DefinitionLookup): { judged: boolean; message?: string } {
  const run = thisRun();
  if (!run) return { judged: false };
  const { resources } = stackResources();
  const set = resources ? deletesOfRun(resources, { ...run, program: programKeys }) : undefined;
  if (!set) return { judged: false };
  return { judged: true, message: deletesRefusal(removalsOf(set, limits, definition), limits)?.message };
}

/** For tests: forget what this process has seen. */
export function resetHostGuard(): void {
  seen.clear();
  programKeys.clear();
  removalVerdicts.clear();
  replacementVerdicts.clear();
  deleteVerdict = undefined;
  latest = undefined;
  reported = 0;
}

