/**
 * Results at preview, in the provider host: the last N days of every
 * campaign, offer or variation the preview changes, written as one message
 * on the stack beside the spend lines (core/guard/hostGuard.ts), read with one
 * statistics request per network, account and page (core/money/results.ts).
 *
 * Which objects change is known only once the engine has checked every
 * resource of the program and diffed every one that exists: the program's
 * gate tells each resource how many resources the program declared
 * (`resources` in its plan, core/guard/plan.ts), and the call that completes the
 * set (a check of a new resource, or a diff) fetches the figures and
 * writes the message, waiting at most the statistics timeout. So the
 * message does not depend on the order the engine reaches resources in,
 * and a preview that changes nothing (or has results off) sends nothing.
 *
 * Only at preview (the plan's dryRun), only for resources the program
 * declared in this process; `adnetworks:showResults false` turns it off.
 */
import { DEFAULT_ACCOUNT } from "../config/context";
import { currentUrn, debug, progress } from "../config/log";
import type { Plan } from "../guard/plan";
import { collectResults, outcomeText, ResultsItem, resultsEnabled, ResultsNetwork, resultsOptions, totalsOf, windowText } from "./results";
import { hostLimits, stackUrn } from "../guard/hostGuard";
import { spendOf, SpendDef } from "./spend";
import { DEFAULT_CURRENCY } from "./money";
import { moneyText } from "./money";

interface Seen {
  /** Exists in state: a diff follows the check. */
  exists: boolean;
  diffed: boolean;
  item?: ResultsItem;
}

const seen = new Map<string, Seen>();
/** The most resources a plan of this process counted. */
let expected = 0;
let dryRun = false;
let flushed = 0;

/** The check of any resource of this package: counts it (and whether it exists, so a diff is due). */
export async function resultsOnCheck(exists: boolean, plan: Plan | undefined): Promise<void> {
  const urn = currentUrn.getStore();
  // adnet-spend's preview (report mode) reads the results itself, once, from the preview's steps.
  if (!urn || !plan?.dryRun || plan.report || plan.resources === undefined) return;
  dryRun = true;
  expected = Math.max(expected, plan.resources);
  const s = seen.get(urn);
  seen.set(urn, { exists, diffed: s?.diffed ?? false, item: s?.item });
  await maybeFlush();
}

/** The diff of an existing resource: what changes, and the object to read results of. */
export async function resultsOnDiff(network: ResultsNetwork, key: string, id: string, changed: boolean, inputs: Record<string, unknown>, currency: () => string): Promise<void> {
  const urn = currentUrn.getStore();
  const s = urn ? seen.get(urn) : undefined;
  if (!urn || !s) return; // not counted at check: results are off for this run
  s.diffed = true;
  const type = key.split(":")[1];
  if (changed && network.results?.types[type] && id) {
    const account = typeof inputs.account === "string" && inputs.account ? inputs.account : DEFAULT_ACCOUNT;
    s.item = { name: urn.split("::").pop() ?? urn, urn, key, network, account, ask: { type, id, inputs, currency: currency() } };
  }
  seen.set(urn, s);
  await maybeFlush();
}

function complete(): boolean {
  if (!dryRun || expected === 0 || seen.size < expected || expected <= flushed) return false;
  for (const s of seen.values()) if (s.exists && !s.diffed) return false;
  return true;
}

async function maybeFlush(): Promise<void> {
  if (!complete()) return;
  flushed = expected;
  const items = [...seen.values()].map((s) => s.item).filter((x): x is ResultsItem => !!x);
  if (!items.length) return;
  let text: string | undefined;
  try {
    if (!resultsEnabled()) return;
    const o = resultsOptions();
    const outcomes = await collectResults(items, o);
    text = resultsMessage(items, outcomes);
  } catch (e) {
    // Never fails the preview: a bad setting is said once, as the message.
    text = `adnetworks results: not shown: ${(e as Error)?.message ?? e}`;
  }
  const at = stackUrn(items[0].urn);
  if (text) progress(text, at || undefined);
  debug(`results: ${items.length} objects`);
}

/** The message: each changed object's figures (sorted by name), then the totals per network, account and currency. */
export function resultsMessage(items: ResultsItem[], outcomes: Map<string, import("./results").Outcome>): string | undefined {
  const rows = items.map((it) => ({ it, o: outcomes.get(it.urn) })).filter((r) => r.o)
    .sort((a, b) => (a.it.name < b.it.name ? -1 : a.it.name > b.it.name ? 1 : a.it.urn < b.it.urn ? -1 : 1));
  if (!rows.length) return undefined;
  const windows = [...new Set(rows.map((r) => windowText(r.o!.window)))];
  const lines = [`adnetworks results of what this update changes, ${windows.join(" / ")}:`];
  for (const { it, o } of rows) lines.push(`  ${it.name} (${it.key.replace(":", " ")}${it.account !== DEFAULT_ACCOUNT ? `, account ${it.account}` : ""}): ${outcomeText(o!)}`);
  const totals = totalsOf(rows.map(({ it, o }) => ({ network: it.network.name, account: it.account, part: it.network.results?.types[it.ask.type] === "part", outcome: o! })));
  for (const t of totals) {
    lines.push(`  ${t.network}${t.account ? `/${t.account}` : ""} ${t.currency}: spend ${moneyText(t.spend, t.currency)}, ${t.impressions.toLocaleString("en-US")} impressions, ${t.clicks.toLocaleString("en-US")} clicks, ${t.conversions.toLocaleString("en-US")} conversions over ${t.objects} changed`);
  }
  return lines.join("\n");
}

/** The currency of an object's figures: its budgets' (the same rules as the guardrails), else its account's. */
export function resultsCurrency(def: SpendDef, inputs: Record<string, unknown>, accountCurrency: () => string | undefined): string {
  let currencies: Record<string, string> | undefined;
  try {
    currencies = hostLimits().currencies;
  } catch {
    currencies = undefined; // a bad setting: the guardrails report it
  }
  try {
    return spendOf(def, inputs, currencies)?.currency || accountCurrency() || DEFAULT_CURRENCY;
  } catch {
    return accountCurrency() || DEFAULT_CURRENCY;
  }
}

/** For tests: forget what this process has seen. */
export function resetHostResults(): void {
  seen.clear();
  expected = 0;
  dryRun = false;
  flushed = 0;
}
