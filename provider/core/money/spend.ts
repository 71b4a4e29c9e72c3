/**
 * Spend: what a resource's inputs mean to money, read from the field
 * schemas (core/schema/schema.ts `spend` roles and `money`), never hand-listed per
 * network. Used by the spend summary (program process, provider host,
 * `adnet-spend`) and the guardrails (stack config `adnetworks:*`).
 *
 * Rules, for every field with a spend role (nested objects included):
 *  - dailyBudget, totalBudget: the amount (major currency units: every
 *    `money` field holds major units);
 *  - budget: with a sibling `budgetPeriod` field: daily as is, hourly x 24,
 *    weekly / 7, monthly / 30 as a daily rate, anything else (total, all) as
 *    a total budget; without one, a total budget;
 *  - `spendWhen`: the role holds only for those sibling values (an Affise
 *    cap is money only when its type is "budget");
 *  - lists of objects: each item on its own (Topsort bids, Affise caps);
 *  - bid: the amount (reported, never summed);
 *  - status: running when the value is one of `running`; a resource without a
 *    status field is running whenever it exists;
 *  - currency: the field's value, else `adnetworks:currencies` for the
 *    network's account, else for the network, else USD (ExoClick bills in
 *    the account's currency, Topsort in the marketplace's: set
 *    `adnetworks:currencies` when it is not USD);
 *  - account: the resource's `account` input (core/config/account.ts); figures,
 *    totals and limits are per network, account and currency.
 * A ResourceDef with a special rule supplies `spend(inputs, base)`.
 * Values not known yet (Outputs in the program, unknowns at preview) are
 * listed in `unknown` and count as 0.
 *
 * No runtime dependency on @pulumi/pulumi.
 */
import { valueNamed } from "../schema/schema";
import type { Field, Fields } from "../schema/schema";
import { isUnknown } from "../schema/validate";

export interface Spend {
  /** "<module>:<Type>". */
  key: string;
  network: string;
  /** The account of the network (stack config `<network>:accounts`); absent: the default account. */
  account?: string;
  currency: string;
  /** Spending (or about to): the status is a running value, or the type has no status. */
  running: boolean;
  /** Major units per day, when the resource has a daily budget or a periodic budget. */
  daily?: number;
  /** Major units over the resource's life. */
  total?: number;
  /** Bids in major units (a campaign may have several). */
  bids: number[];
  /** Paths of spend fields whose values are not known yet (counted as 0). */
  unknown: string[];
  /** Running with no daily limit at all (e.g. ExoClick dailyLimitType 0): no daily total bounds it. */
  uncapped?: boolean;
}

/** The days a periodic budget spreads over, for its daily rate. */
export const PERIOD_DAYS: Record<string, number> = { hourly: 1 / 24, hour: 1 / 24, daily: 1, day: 1, weekly: 7, week: 7, monthly: 30, month: 30 };

export interface SpendDef {
  key: string;
  fields: Fields;
  /** Special rules: adjusts the generic extraction (return undefined for "no spend"). */
  spend?(inputs: Record<string, unknown>, base: Spend): Spend | undefined;
}

/** Whether the def declares anything that spends. */
export function hasSpend(fields: Fields): boolean {
  return Object.values(fields).some((f) => (f.spend && ["dailyBudget", "totalBudget", "budget"].includes(f.spend))
    || (f.kind === "object" && hasSpend(f.fields)) || (f.kind === "list" && f.items.kind === "object" && hasSpend(f.items.fields)));
}

/** Not a plain value: Pulumi's unknown, a Promise or a Pulumi Output (program side). */
export function notKnown(v: unknown): boolean {
  if (isUnknown(v)) return true;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (typeof o.then === "function") return true;
    if (o.__pulumiOutput === true || typeof o.apply === "function") return true;
  }
  return false;
}

/**
 * The spend of one resource from its inputs, or undefined when the type does
 * not spend (no budget field).
 */
export function spendOf(def: SpendDef, inputs: Record<string, unknown>, currencies: Record<string, string> = {}): Spend | undefined {
  if (!hasSpend(def.fields) && !def.spend) return undefined;
  const network = def.key.split(":")[0];
  const account = accountOf(inputs);
  const s: Spend = { key: def.key, network, ...(account ? { account } : {}), currency: "", running: true, bids: [], unknown: [] };
  let currency: string | undefined;
  let sawStatus = false;
  const walk = (fields: Fields, values: object, prefix: string) => {
    const period = Object.entries(fields).find(([, f]) => f.spend === "budgetPeriod" && applies(f, fields, values));
    let periodValue: unknown = period ? valueAt(values, period[0]) ?? period[1].default : undefined;
    if (period && notKnown(periodValue)) {
      s.unknown.push(`${prefix}${period[0]}`);
      periodValue = undefined;
    }
    for (const [name, field] of Object.entries(fields)) {
      if (field.output) continue;
      const path = `${prefix}${name}`;
      let v = valueAt(values, name);
      if (v === undefined) v = field.default;
      // A named value of a numeric code (status "running" for 1), as check stores it.
      if (field.kind === "enum" && typeof v === "string") v = valueNamed(field, v) ?? v;
      if (field.kind === "object") {
        if (notKnown(v)) {
          if (hasSpend(field.fields) || hasRole(field.fields)) s.unknown.push(path);
          continue;
        }
        if (v && typeof v === "object") walk(field.fields, v, `${path}.`);
        continue;
      }
      if (field.kind === "list" && field.items.kind === "object") {
        // Each item on its own (Topsort bids, Affise caps and payouts).
        const itemFields = field.items.fields;
        if (!hasRole(itemFields)) continue;
        if (notKnown(v)) {
          s.unknown.push(path);
          continue;
        }
        (Array.isArray(v) ? v : []).forEach((item, i) => {
          if (notKnown(item)) s.unknown.push(`${path}[${i}]`);
          else if (item && typeof item === "object") walk(itemFields, item, `${path}[${i}].`);
        });
        continue;
      }
      if (field.spend && !applies(field, fields, values)) continue;
      if (!field.spend || field.spend === "budgetPeriod") continue;
      if (field.spend === "status") sawStatus = true;
      if (notKnown(v)) {
        s.unknown.push(path);
        if (field.spend === "status") s.running = true; // unknown status: assume the worst
        continue;
      }
      if (v === undefined || v === null) {
        if (field.spend === "status") s.running = false;
        continue;
      }
      const amount = typeof v === "number" ? v : undefined;
      switch (field.spend) {
        case "status":
          s.running = (field.running ?? []).some((r) => r === v);
          break;
        case "currency":
          currency ??= String(v).toUpperCase();
          break;
        case "bid":
          if (amount !== undefined && !s.bids.includes(amount)) s.bids.push(amount);
          break;
        case "dailyBudget":
          if (amount !== undefined) s.daily = (s.daily ?? 0) + amount;
          break;
        case "totalBudget":
          if (amount !== undefined) s.total = (s.total ?? 0) + amount;
          break;
        case "budget": {
          if (amount === undefined) break;
          const days = typeof periodValue === "string" ? PERIOD_DAYS[periodValue.toLowerCase()] : undefined;
          if (days) s.daily = (s.daily ?? 0) + amount / days;
          else s.total = (s.total ?? 0) + amount;
          break;
        }
      }
    }
  };
  walk(def.fields, inputs ?? {}, "");
  if (!sawStatus && !hasRole(def.fields, "status")) s.running = true;
  s.currency = currency ?? currencyFor(currencies, network, account);
  return def.spend ? def.spend(inputs ?? {}, s) : s;
}

/** The account a resource's inputs name, or undefined for the default account (also when not known yet). */
export function accountOf(inputs: Record<string, unknown> | undefined): string | undefined {
  const a = inputs?.account;
  return typeof a === "string" && a !== "" && a !== "default" && !notKnown(a) ? a : undefined;
}

/** The currency of a network's account when no field says it: `adnetworks:currencies` "network/account", "network", "*", else USD. */
export function currencyFor(currencies: Record<string, string> | undefined, network: string, account?: string): string {
  const c = currencies ?? {};
  const v = (account ? c[`${network}/${account}`] : undefined) ?? c[network] ?? c["*"];
  return typeof v === "string" && v ? v.toUpperCase() : "USD";
}

/** Where a group of figures is: "exoclick" for the default account, "exoclick/brandB" for another. */
export function scopeOf(g: { network: string; account?: string }): string {
  return g.account ? `${g.network}/${g.account}` : g.network;
}

/** The key of a group of figures: network, account and currency. */
export function groupKey(g: { network: string; account?: string; currency: string }): string {
  return `${scopeOf(g)}:${g.currency}`;
}

function hasRole(fields: Fields, role?: string): boolean {
  return Object.values(fields).some((f: Field) => (role ? f.spend === role : !!f.spend) || (f.kind === "object" && hasRole(f.fields, role)) || (f.kind === "list" && f.items.kind === "object" && hasRole(f.items.fields, role)));
}

/** `spendWhen`: the role holds only when the sibling fields have one of the listed values. */
function applies(field: Field, fields: Fields, values: object): boolean {
  const when = (field as { spendWhen?: Record<string, readonly unknown[]> }).spendWhen;
  if (!when) return true;
  return Object.entries(when).every(([k, allowed]) => allowed.includes(valueAt(values, k) ?? fields[k]?.default));
}

/** A property of an object of values (an input map, a nested object's or a list item's), read as unknown. */
function valueAt(values: object, key: string): unknown {
  return (values as Record<string, unknown>)[key];
}

// ---------------------------------------------------------------- totals

/** One resource's spend with its name (the Pulumi resource name) before and/or after. */
export interface Entry {
  name: string;
  /** The URN when known (steps), for uniqueness. */
  urn?: string;
  spend: Spend;
}

export interface GroupTotals {
  network: string;
  /** The network's account (absent: the default account). */
  account?: string;
  currency: string;
  before: { daily: number; total: number; running: number };
  after: { daily: number; total: number; running: number };
  change: { daily: number; total: number };
  /** Resources that spend after and did not before (new running ones, or started). */
  starts: string[];
  /** Resources that spent before and do not after (paused, or deleted). */
  stops: string[];
  /** Resources whose spend figures are not known until apply (a plan may list only the first ones: see unknownCount). */
  unknown: string[];
  /** How many resources are not known until apply, when `unknown` is shortened. */
  unknownCount?: number;
  /** Running resources with no daily limit. */
  uncapped: string[];
  /** Running resources with a daily budget after the update, largest first (a plan may list only the first ones). */
  contributors: Array<{ name: string; daily: number }>;
  /** How many contributors there are, when `contributors` is shortened. */
  contributorCount?: number;
}

export interface Summary {
  groups: GroupTotals[];
}

const round = (x: number) => Math.round(x * 100) / 100;

/** Largest daily budget first, then by name: the order messages list contributors in. */
export function byContribution(a: { name: string; daily: number }, b: { name: string; daily: number }): number {
  return b.daily - a.daily || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** Per network and currency: running daily and total budgets before and after, the change, what starts and stops. */
export function summarize(before: Entry[], after: Entry[]): Summary {
  const groups = new Map<string, GroupTotals>();
  const group = (s: Spend) => {
    const k = groupKey(s);
    let g = groups.get(k);
    if (!g) {
      g = { network: s.network, ...(s.account ? { account: s.account } : {}), currency: s.currency, before: { daily: 0, total: 0, running: 0 }, after: { daily: 0, total: 0, running: 0 }, change: { daily: 0, total: 0 }, starts: [], stops: [], unknown: [], uncapped: [], contributors: [] };
      groups.set(k, g);
    }
    return g;
  };
  const id = (e: Entry) => e.urn ?? e.name;
  const beforeBy = new Map(before.map((e) => [id(e), e]));
  const afterBy = new Map(after.map((e) => [id(e), e]));
  for (const [side, list] of [["before", before], ["after", after]] as const) {
    for (const e of list) {
      const g = group(e.spend);
      if (side === "after" && e.spend.unknown.length) g.unknown.push(e.name);
      if (!e.spend.running) continue;
      if (side === "after" && e.spend.uncapped) g.uncapped.push(e.name);
      if (side === "after" && (e.spend.daily ?? 0) > 0) g.contributors.push({ name: e.name, daily: round(e.spend.daily!) });
      g[side].daily += e.spend.daily ?? 0;
      g[side].total += e.spend.total ?? 0;
      g[side].running++;
    }
  }
  for (const e of after) {
    const b = beforeBy.get(id(e));
    if (e.spend.running && !(b?.spend.running && groupKey(b.spend) === groupKey(e.spend))) group(e.spend).starts.push(e.name);
  }
  for (const e of before) {
    const a = afterBy.get(id(e));
    if (e.spend.running && !(a?.spend.running && groupKey(a.spend) === groupKey(e.spend))) group(e.spend).stops.push(e.name);
  }
  const out = [...groups.values()].sort((a, b) => groupKey(a).localeCompare(groupKey(b)));
  for (const g of out) {
    g.contributors.sort(byContribution);
    for (const side of [g.before, g.after]) {
      side.daily = round(side.daily);
      side.total = round(side.total);
    }
    g.change = { daily: round(g.after.daily - g.before.daily), total: round(g.after.total - g.before.total) };
  }
  return { groups: out };
}

// One formatter: toLocaleString builds a new one per call (a tenth of the host's CPU in a no-op preview).
// Built on first use: the first Intl.NumberFormat loads ICU's number data (50-90 ms of the host's CPU at
// load), and a no-op run formats no amount (describeChange compares the figures first).
let MONEY: Intl.NumberFormat | undefined;
const money = (x: number) => (MONEY ??= new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })).format(x);
const signed = (x: number) => `${x >= 0 ? "+" : "-"}${money(Math.abs(x))}`;

/** The summary as lines of text (Pulumi's output, adnet-spend). */
export function formatSummary(s: Summary, opts: { beforeKnown?: boolean } = {}): string[] {
  if (!s.groups.length) return ["spend: no resource with a budget"];
  const lines: string[] = [];
  for (const g of s.groups) {
    const cur = g.currency;
    if (opts.beforeKnown === false) {
      lines.push(`spend ${scopeOf(g)} ${cur}: running daily budgets ${money(g.after.daily)}, total budgets ${money(g.after.total)} (${g.after.running} running)`);
    } else {
      lines.push(`spend ${scopeOf(g)} ${cur}: daily ${money(g.before.daily)} -> ${money(g.after.daily)} (${signed(g.change.daily)}), total ${money(g.before.total)} -> ${money(g.after.total)} (${signed(g.change.total)}); running ${g.before.running} -> ${g.after.running}`);
      if (g.starts.length) lines.push(`  starts spending: ${g.starts.join(", ")}`);
      if (g.stops.length) lines.push(`  stops spending: ${g.stops.join(", ")}`);
    }
    if (g.unknown.length) lines.push(`  not known until apply (counted as 0): ${g.unknown.join(", ")}`);
    if (g.uncapped.length) lines.push(`  running with no daily limit: ${g.uncapped.join(", ")}`);
  }
  return lines;
}

/** Whether two spends print the same line: every figure describeChange prints, and the currency, equal. */
function sameFigures(a: Spend, b: Spend): boolean {
  return a.currency === b.currency && a.running === b.running && !!a.uncapped === !!b.uncapped && a.daily === b.daily && a.total === b.total
    && a.bids.length === b.bids.length && a.bids.every((x, i) => x === b.bids[i]);
}

/** One resource's change as a line for its row, or undefined when nothing about money changes. */
export function describeChange(before: Spend | undefined, after: Spend): string | undefined {
  // The same figures print the same line: nothing to format (a no-op preview's every resource).
  if (before && sameFigures(before, after)) return undefined;
  const fmt = (s: Spend) => [
    s.uncapped ? "no daily limit" : s.daily !== undefined ? `daily ${money(s.daily)}` : "",
    s.total !== undefined ? `total ${money(s.total)}` : "",
    s.bids.length ? `bid ${s.bids.map(money).join("/")}` : "",
    s.running ? "running" : "paused",
  ].filter(Boolean).join(", ");
  const a = fmt(after);
  if (!before) return after.running ? `spend ${after.currency}: new, ${a}` : undefined;
  const b = fmt(before);
  if (a === b && before.currency === after.currency) return undefined;
  return `spend ${after.currency}: ${b} -> ${a}`;
}

// ---------------------------------------------------------------- limits

/** The guardrail settings, as stack config keys under `adnetworks:` (environment ADNETWORKS_*). */
export const GUARDRAIL_SETTINGS = {
  maxDailyBudget: { key: "adnetworks:maxDailyBudget", env: "ADNETWORKS_MAX_DAILY_BUDGET" },
  maxDailyIncrease: { key: "adnetworks:maxDailyIncrease", env: "ADNETWORKS_MAX_DAILY_INCREASE" },
  protectRunning: { key: "adnetworks:protectRunning", env: "ADNETWORKS_PROTECT_RUNNING" },
  allowReplace: { key: "adnetworks:allowReplace", env: "ADNETWORKS_ALLOW_REPLACE" },
  allowDelete: { key: "adnetworks:allowDelete", env: "ADNETWORKS_ALLOW_DELETE" },
  allowDuplicates: { key: "adnetworks:allowDuplicates", env: "ADNETWORKS_ALLOW_DUPLICATES" },
  confirmAmounts: { key: "adnetworks:confirmAmounts", env: "ADNETWORKS_CONFIRM_AMOUNTS" },
  currencies: { key: "adnetworks:currencies", env: "ADNETWORKS_CURRENCIES" },
} as const;

/** A limit for all, or per "network/account:CUR", "network/account", "network:CUR", "network", "*:CUR", "*". */
export type Limit = number | Record<string, number>;

export interface Limits {
  maxDailyBudget?: Limit;
  maxDailyIncrease?: Limit;
  protectRunning?: boolean;
  allowReplace?: string[];
  allowDelete?: string[];
  /** Resources that may share a natural key with another of their type (core/guard/guard.ts). */
  allowDuplicates?: string[];
  /** Amounts that look like the wrong unit, confirmed: "<resource>" (all of its amounts) or "<resource>.<field path>" (core/money/moneyCheck.ts). */
  confirmAmounts?: string[];
  currencies?: Record<string, string>;
}

function parseJsonish(v: string | undefined): unknown {
  if (v === undefined || v === "") return undefined;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

function parseLimit(key: string, v: unknown): Limit | undefined {
  if (v === undefined) return undefined;
  if (typeof v === "number" && v >= 0) return v;
  if (v && typeof v === "object" && !Array.isArray(v) && Object.values(v).every((x) => typeof x === "number" && x >= 0)) return v as Record<string, number>;
  throw new Error(`${key} must be a number of major currency units (e.g. 500) or an object such as {"exoclick:USD": 500, "*": 1000}; got ${JSON.stringify(v)}`);
}

/** Limits from config values as strings (stack config or environment). */
export function parseLimits(get: (key: string) => string | undefined): Limits {
  const S = GUARDRAIL_SETTINGS;
  const out: Limits = {};
  const daily = parseLimit(S.maxDailyBudget.key, parseJsonish(get(S.maxDailyBudget.key)));
  if (daily !== undefined) out.maxDailyBudget = daily;
  const inc = parseLimit(S.maxDailyIncrease.key, parseJsonish(get(S.maxDailyIncrease.key)));
  if (inc !== undefined) out.maxDailyIncrease = inc;
  const protect = parseJsonish(get(S.protectRunning.key));
  if (protect !== undefined) out.protectRunning = protect === true || protect === "true" || protect === 1;
  const names = (v: unknown) => (Array.isArray(v) ? v.map(String) : String(v).split(",").map((x) => x.trim()).filter(Boolean));
  const allow = parseJsonish(get(S.allowReplace.key));
  if (allow !== undefined) out.allowReplace = names(allow);
  const allowDelete = parseJsonish(get(S.allowDelete.key));
  if (allowDelete !== undefined) out.allowDelete = names(allowDelete);
  const allowDuplicates = parseJsonish(get(S.allowDuplicates.key));
  if (allowDuplicates !== undefined) out.allowDuplicates = names(allowDuplicates);
  const confirmAmounts = parseJsonish(get(S.confirmAmounts.key));
  if (confirmAmounts !== undefined) out.confirmAmounts = names(confirmAmounts);
  const cur = parseJsonish(get(S.currencies.key));
  if (cur !== undefined) {
    if (typeof cur === "string") out.currencies = { "*": cur };
    else if (cur && typeof cur === "object") out.currencies = cur as Record<string, string>;
  }
  return out;
}

/**
 * The limit that applies to a network's account and currency, or undefined:
 * "network/account:CUR", "network/account", then the network's and
 * everyone's. A limit of a network applies to each of its accounts on its own.
 */
export function limitFor(limit: Limit | undefined, network: string, currency: string, account?: string): number | undefined {
  if (limit === undefined) return undefined;
  if (typeof limit === "number") return limit;
  const own = account ? [`${network}/${account}:${currency}`, `${network}/${account}`] : [];
  for (const k of [...own, `${network}:${currency}`, network, `*:${currency}`, "*"]) if (typeof limit[k] === "number") return limit[k];
  return undefined;
}

/** The Pulumi resource name in a URN. */
export function nameOfUrn(urn: string): string {
  return urn.split("::").pop() ?? urn;
}
