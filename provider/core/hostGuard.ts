/**
 * The spend guardrails in the provider host, which sees each resource's
 * before (olds) and after (news), one resource at a time:
 *  - check: writes the resource's spend change on its row of Pulumi's
 *    output (e.g. `spend USD: daily 20.00, running -> daily 50.00, running`)
 *    and enforces `adnetworks:maxDailyIncrease` and `adnetworks:maxDailyBudget`
 *    on the running daily budgets of the resources checked so far in this
 *    command, per network and currency (a check failure: at preview, before
 *    any request). Every resource of the program is checked, so this sees
 *    the budgets that were Outputs in the program, which the program's gate
 *    counts as unknown;
 *  - diff: `adnetworks:protectRunning` refuses to replace a resource that is
 *    spending unless its name is in `adnetworks:allowReplace`.
 * No runtime dependency on @pulumi/pulumi.
 */
import { setting } from "./config";
import { currentResourceName, currentUrn, progress } from "./log";
import { describeChange, GUARDRAIL_SETTINGS, limitFor, Limits, parseLimits, Spend, spendOf, SpendDef } from "./spend";
import type { Checker } from "./validate";

export function hostLimits(): Limits {
  const specs = Object.values(GUARDRAIL_SETTINGS);
  return parseLimits((key) => {
    const spec = specs.find((s) => s.key === key);
    return spec ? setting(spec) : undefined;
  });
}

/**
 * Each resource's before and after in this host process (one command), by
 * URN. A replacement is checked twice (the second time with no olds), so the
 * first before is kept.
 */
const seen = new Map<string, { before?: Spend; after: Spend }>();

const money = (x: number) => x.toFixed(2);
const daily = (s: Spend | undefined) => (s?.running ? s.daily ?? 0 : 0);

function hasInputs(props: Record<string, any>): boolean {
  return Object.keys(props).some((k) => !k.startsWith("__"));
}

/** Running daily budgets of one network and currency after this update, over the resources checked so far. */
function afterTotal(network: string, currency: string): number {
  let total = 0;
  for (const { after } of seen.values()) if (after.network === network && after.currency === currency) total += daily(after);
  return total;
}

/** Net change of the running daily budgets of one network and currency over the resources checked so far. */
function increase(network: string, currency: string): number {
  let total = 0;
  for (const { before, after } of seen.values()) {
    if (after.network === network && after.currency === currency) total += daily(after);
    if (before && before.network === network && before.currency === currency) total -= daily(before);
  }
  return total;
}

export function onCheck(def: SpendDef, olds: Record<string, any>, news: Record<string, any>, c: Checker): void {
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
  const before = hasInputs(olds) ? spendOf(def, olds, limits.currencies) : seen.get(urn)?.before;
  seen.set(urn, { before, after });
  const line = describeChange(before, after);
  if (line) progress(line);
  const name = currentResourceName() ?? "this resource";
  // The program's gate judged the plain values; here the values an Output gave are known too.
  const max = limitFor(limits.maxDailyBudget, after.network, after.currency);
  const sum = afterTotal(after.network, after.currency);
  if (max !== undefined && after.running && after.uncapped) {
    c.fail("", `adnetworks:maxDailyBudget: ${name} would run on ${after.network} with no daily limit, so nothing bounds its daily spend under the limit of ${money(max)} ${after.currency}; give it a daily limit`);
  } else if (max !== undefined && after.running && sum > max + 1e-9) {
    // Only a spending resource carries the failure (checks run concurrently: a paused one checked last adds nothing).
    c.fail("", `adnetworks:maxDailyBudget: with ${name} (daily ${money(daily(after))} ${after.currency}) the running daily budgets on ${after.network} in ${after.currency} reach ${money(sum)}, over the limit of ${money(max)}`);
  }
  const inc = limitFor(limits.maxDailyIncrease, after.network, after.currency);
  const total = increase(after.network, after.currency);
  if (inc !== undefined && total > inc + 1e-9) {
    c.fail("", `adnetworks:maxDailyIncrease: with ${name} (daily ${money(daily(before))} -> ${money(daily(after))} ${after.currency}) the running daily budgets on ${after.network} in ${after.currency} rise by ${money(total)} in this update, over the limit of ${money(inc)}. Lower the budget, or raise adnetworks:maxDailyIncrease for this update`);
  }
}

/** Throws when a spending resource would be replaced and that is not allowed. */
export function onDiff(def: SpendDef, olds: Record<string, any>, replaces: string[]): void {
  if (!replaces.length) return;
  const limits = hostLimits();
  if (!limits.protectRunning) return;
  const before = spendOf(def, olds, limits.currencies);
  if (!before?.running) return;
  const name = currentResourceName();
  if (name && limits.allowReplace?.includes(name)) return;
  const what = [before.daily !== undefined ? `daily budget ${money(before.daily)} ${before.currency}` : "", before.total !== undefined ? `total budget ${money(before.total)} ${before.currency}` : ""].filter(Boolean).join(", ");
  throw new Error(`adnetworks:protectRunning: ${name ?? def.key} is running${what ? ` (${what})` : ""} and this change of ${replaces.join(", ")} would replace it (a new campaign, the old one deleted, history and learning lost). Pause it first, or allow this once: pulumi config set adnetworks:allowReplace '["${name ?? "<name>"}"]'`);
}
