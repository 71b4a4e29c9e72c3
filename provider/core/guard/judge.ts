/**
 * The guardrail judgement: one pure function that every place enforcing or
 * reporting the spend limits calls, so they cannot disagree:
 *  - the provider host's `check` (core/guard/hostGuard.ts), with the stack's
 *    current state as "before" and the program's figures (the plan the
 *    program's gate measured, core/guard/guard.ts) as "after";
 *  - the provider host's `delete` (protectRunning of a removed resource, and
 *    of `pulumi destroy`, which runs no program);
 *  - `adnet-spend` (core/money/steps.ts), with a preview's steps as before and after;
 *  - a policy pack, with the resources it is shown.
 *
 * Input: the spending resources before (the stack now; undefined when not
 * known to the caller) and after (the program), the limits, and the
 * resources to be replaced. Output: the totals per network and currency,
 * the violations, and what cannot be judged until apply ("pending"): figures
 * that are Outputs of other resources, or a before that is not known. A
 * violation found with some figures unknown is a violation all the same
 * (budgets are never negative, so the unknown ones can only add). The same
 * input gives the same messages, word for word, whoever calls it.
 *
 * No runtime dependency on @pulumi/pulumi.
 */
import { Entry, GroupTotals, GUARDRAIL_SETTINGS, Limits, limitFor, scopeOf, Spend, Summary, summarize } from "../money/spend";

export type Rule = "maxDailyBudget" | "maxDailyIncrease" | "protectRunning";

/** A verdict of one rule on one network, account and currency. */
interface Finding {
  rule: Rule;
  network: string;
  /** The network's account (absent: the default account); limits are judged per account. */
  account?: string;
  currency: string;
  /** The resources it is about (names). */
  resources: string[];
  /** In the user's words, starting with the setting, e.g. "adnetworks:maxDailyBudget: ...". */
  message: string;
}

/** A limit broken; `resources` make it up. */
export type Violation = Finding;

/** A limit that cannot be judged yet (figures not known until apply, or no before); `resources` are those whose figures are not known yet. */
export type Pending = Finding;

/** A resource that the update replaces or deletes, with its spend before. */
export interface Removal {
  name: string;
  urn?: string;
  op: "replace" | "delete";
  /** For a replace: the inputs whose change replaces it. */
  fields?: string[];
  spend: Spend;
}

export interface Judgement {
  summary: Summary;
  violations: Violation[];
  pending: Pending[];
}

export interface JudgeInput {
  /** The stack's spending resources now; undefined when the caller cannot know them (maxDailyIncrease is then pending). */
  before?: Entry[];
  /** The spending resources after the update. */
  after: Entry[];
  limits: Limits;
  /** Replacements (and, for callers that know them, deletes). With `before` given, deletes are also what is in before and not in after. */
  removals?: Removal[];
}

/** The judgement of whole lists of resources. */
export function judge(i: JudgeInput): Judgement {
  const summary = summarize(i.before ?? [], i.after);
  const removals = [...(i.removals ?? [])];
  if (i.before) {
    const id = (e: Entry) => e.urn ?? e.name;
    const kept = new Set(i.after.map(id));
    const listed = new Set(removals.map((r) => r.urn ?? r.name));
    for (const e of i.before) if (!kept.has(id(e)) && !listed.has(id(e))) removals.push({ name: e.name, urn: e.urn, op: "delete", spend: e.spend });
  }
  return judgeSummary(summary, i.limits, { beforeKnown: i.before !== undefined, removals });
}

const money = (x: number) => x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const signed = (x: number) => `${x >= 0 ? "+" : "-"}${money(Math.abs(x))}`;
const EPSILON = 1e-9;

/** "a, b and 3 more" from a capped list and its full length. */
export function listed(names: string[], count = names.length): string {
  const more = count - names.length;
  return more > 0 ? `${names.join(", ")} and ${more} more` : names.join(", ");
}

function contributorsText(g: GroupTotals): string {
  return listed(g.contributors.map((c) => `${c.name} (${money(c.daily)})`), g.contributorCount ?? g.contributors.length);
}

/**
 * The judgement of per-group totals (a Summary), for callers that have
 * totals rather than every resource (the provider host gets the program's
 * totals in the plan). `beforeKnown: false`: the before side is empty
 * because it is not known, not because nothing spends.
 */
export function judgeSummary(s: Summary, limits: Limits, o: { beforeKnown: boolean; removals?: Removal[] }): Judgement {
  const S = GUARDRAIL_SETTINGS;
  const violations: Violation[] = [];
  const pending: Pending[] = [];
  for (const g of s.groups) {
    const account = g.account ? { account: g.account } : {};
    const where = `on ${g.network}${g.account ? ` (account ${g.account})` : ""} in ${g.currency}`;
    const unknown = listed(g.unknown, g.unknownCount ?? g.unknown.length);
    const max = limitFor(limits.maxDailyBudget, g.network, g.currency, g.account);
    if (max !== undefined && g.after.daily > max + EPSILON) {
      violations.push({
        rule: "maxDailyBudget", network: g.network, ...account, currency: g.currency, resources: g.contributors.map((c) => c.name),
        message: `${S.maxDailyBudget.key}: the running daily budgets ${where} would total ${money(g.after.daily)}, over the limit of ${money(max)}: ${contributorsText(g)}${g.unknown.length ? ` (not known until apply, not counted: ${unknown})` : ""}. Lower or pause some, or raise ${S.maxDailyBudget.key}`,
      });
    } else if (max !== undefined && g.unknown.length) {
      pending.push({
        rule: "maxDailyBudget", network: g.network, ...account, currency: g.currency, resources: g.unknown,
        message: `${S.maxDailyBudget.key}: not known until apply for ${scopeOf(g)} ${g.currency}: the budgets of ${unknown} depend on other resources; the known running daily budgets total ${money(g.after.daily)} of the ${money(max)} allowed`,
      });
    }
    if (max !== undefined && g.uncapped.length) {
      violations.push({
        rule: "maxDailyBudget", network: g.network, ...account, currency: g.currency, resources: g.uncapped,
        message: `${S.maxDailyBudget.key}: ${g.uncapped.join(", ")} would run ${where} with no daily limit, so nothing bounds the daily spend under the limit of ${money(max)}; give ${g.uncapped.length > 1 ? "them" : "it"} a daily limit`,
      });
    }
    const inc = limitFor(limits.maxDailyIncrease, g.network, g.currency, g.account);
    if (inc === undefined) continue;
    if (!o.beforeKnown) {
      pending.push({
        rule: "maxDailyIncrease", network: g.network, ...account, currency: g.currency, resources: [],
        message: `${S.maxDailyIncrease.key}: not judged here for ${scopeOf(g)} ${g.currency}: the stack's current state is not known`,
      });
    } else if (g.change.daily > inc + EPSILON) {
      violations.push({
        rule: "maxDailyIncrease", network: g.network, ...account, currency: g.currency, resources: g.contributors.map((c) => c.name),
        message: `${S.maxDailyIncrease.key}: the running daily budgets ${where} would rise from ${money(g.before.daily)} to ${money(g.after.daily)} (${signed(g.change.daily)}) in this update, over the limit of ${money(inc)}; running after: ${contributorsText(g) || "none"}${g.unknown.length ? ` (not known until apply, not counted: ${unknown})` : ""}. Lower the budgets, or raise ${S.maxDailyIncrease.key} for this update`,
      });
    } else if (g.unknown.length) {
      pending.push({
        rule: "maxDailyIncrease", network: g.network, ...account, currency: g.currency, resources: g.unknown,
        message: `${S.maxDailyIncrease.key}: not known until apply for ${scopeOf(g)} ${g.currency}: the budgets of ${unknown} depend on other resources; the known change is ${signed(g.change.daily)} of the ${money(inc)} allowed`,
      });
    }
  }
  if (limits.protectRunning) {
    for (const r of o.removals ?? []) {
      const v = protectRunning(r, limits);
      if (v) violations.push(v);
    }
  }
  return { summary: s, violations, pending };
}

/** What a spend is, for messages: "daily budget 20.00 USD, total budget 500.00 USD". */
function budgetsText(s: Spend): string {
  return [s.daily !== undefined ? `daily budget ${money(s.daily)} ${s.currency}` : "", s.total !== undefined ? `total budget ${money(s.total)} ${s.currency}` : "", s.uncapped ? "no daily limit" : ""].filter(Boolean).join(", ");
}

/**
 * protectRunning for one resource about to be replaced or deleted: a
 * violation when it is running and no allow list names it. A replace is
 * allowed by `allowReplace`; a delete by `allowDelete` (or `allowReplace`:
 * the old copy of a replaced resource is deleted too).
 */
export function protectRunning(r: Removal, limits: Limits): Violation | undefined {
  const S = GUARDRAIL_SETTINGS;
  if (!limits.protectRunning || !r.spend.running) return undefined;
  const allowed = r.op === "replace" ? limits.allowReplace ?? [] : [...(limits.allowDelete ?? []), ...(limits.allowReplace ?? [])];
  if (allowed.includes(r.name)) return undefined;
  const what = budgetsText(r.spend);
  const base = { rule: "protectRunning" as const, network: r.spend.network, ...(r.spend.account ? { account: r.spend.account } : {}), currency: r.spend.currency, resources: [r.name] };
  if (r.op === "replace") {
    return {
      ...base,
      message: `${S.protectRunning.key}: ${r.name} is running${what ? ` (${what})` : ""} and this change of ${(r.fields ?? []).join(", ") || "its inputs"} would replace it (a new campaign, the old one deleted, history and learning lost). Pause it first, or allow this once: pulumi config set ${S.allowReplace.key} '${JSON.stringify([r.name])}'`,
    };
  }
  return {
    ...base,
    message: `${S.protectRunning.key}: ${r.name} is running${what ? ` (${what})` : ""} and would be deleted (it is no longer in the program, or this is \`pulumi destroy\`). Pause it first and run \`pulumi up\`, or allow this once: pulumi config set ${S.allowDelete.key} '${JSON.stringify([r.name])}'`,
  };
}

/**
 * protectRunning over every delete of one run, all or nothing: the message
 * that refuses them all when any is refused (undefined when none is): one
 * message naming each refused resource with its budgets, and the one allow
 * list that lets them all go. Sorted by name, so
 * the same set gives the same words whatever order the engine reaches them.
 */
export function deletesRefusal(removals: Removal[], limits: Limits): { message: string; resources: string[] } | undefined {
  const S = GUARDRAIL_SETTINGS;
  const refused = removals
    .map((r) => ({ r, v: protectRunning({ ...r, op: "delete" }, limits) }))
    .filter((x) => x.v)
    .sort((a, b) => (a.r.name < b.r.name ? -1 : a.r.name > b.r.name ? 1 : 0));
  const names = [...new Set(refused.map((x) => x.r.name))];
  if (!refused.length) return undefined;
  const what = (n: string) => budgetsText(refused.find((x) => x.r.name === n)!.r.spend);
  const each = names.map((n) => `${n}${what(n) ? ` (${what(n)})` : ""}`);
  const head = names.length === 1
    ? `${names[0]} is running${what(names[0]) ? ` (${what(names[0])})` : ""} and would be deleted (it is no longer in the program, or this is \`pulumi destroy\`)`
    : `${names.length} running resources would be deleted (no longer in the program, or this is \`pulumi destroy\`): ${each.join(", ")}`;
  return {
    resources: names,
    message: `${S.protectRunning.key}: ${head}. A guardrail's verdict is all or nothing, so nothing is deleted. Pause ${names.length === 1 ? "it" : "them"} first and run \`pulumi up\`, or allow this once: pulumi config set ${S.allowDelete.key} '${JSON.stringify(names)}'`,
  };
}
