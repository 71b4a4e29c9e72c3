/**
 * Amounts far from what they were, or from what the rest of the program
 * uses, are said at preview (core/money.ts has the convention):
 *  - after an upgrade from a version that took each network's wire unit, an
 *    amount the program still writes in that unit (`maxDailyBudget: 2000`
 *    meant as cents, now 2,000.00) fails the check: the stack holds 20.00,
 *    and the program would raise it 100 times. Write the amount in major
 *    units (20); the state is then upgraded with no request;
 *  - an amount that changes 50 times or more (up or down) is a warning on
 *    the resource: a unit mistake more often than a decision;
 *  - an amount 50 times or more above (or below) the median of the same
 *    field of the program's other resources of the type, account and
 *    currency is a warning too (the program's gate, core/guard.ts).
 * Every figure names its currency.
 *
 * No runtime dependency on @pulumi/pulumi.
 */
import { moneyText, MoneyUnit, wireFactor } from "./money";
import type { Field, Fields } from "./schema";
import { isOutdated } from "./upgrade";
import type { Checker } from "./validate";
import { isUnknown } from "./validate";
import { warn } from "./log";

/** How many times larger (or smaller) an amount must be to be said. */
export const FAR = 50;

export interface Amount {
  /** The field's path, e.g. "bids[0].amount". */
  path: string;
  /** The path with list positions left out, e.g. "bids[].amount": what amounts of several resources are compared by. */
  field: string;
  unit: MoneyUnit;
  value: number;
  /** The currency the amount is in, when a field of the resource says it. */
  currency?: string;
}

/** Every known amount of `values` (money fields, nested objects and lists too). */
export function amountsOf(fields: Fields, values: Record<string, unknown> | undefined, prefix = "", pattern = "", currency?: string): Amount[] {
  const out: Amount[] = [];
  if (!values || typeof values !== "object") return out;
  const cur = currencyField(fields, values) ?? currency;
  for (const [k, f] of Object.entries(fields)) {
    if (f.output) continue;
    // A value that is money only for some sibling values (an Affise cap of type "budget").
    if (f.spendWhen && !Object.entries(f.spendWhen).every(([s, allowed]) => allowed.includes(values[s] ?? fields[s]?.default))) continue;
    const v = values[k];
    const path = `${prefix}${k}`;
    const field = `${pattern}${k}`;
    out.push(...amountsIn(f, v, path, field, cur));
  }
  return out;
}

function amountsIn(f: Field, v: unknown, path: string, field: string, currency: string | undefined): Amount[] {
  if (v === undefined || v === null || isUnknown(v)) return [];
  if (f.money) return typeof v === "number" && Number.isFinite(v) ? [{ path, field, unit: f.money, value: v, ...(currency ? { currency } : {}) }] : [];
  if (f.kind === "object" && typeof v === "object" && !Array.isArray(v)) return amountsOf(f.fields, v as Record<string, unknown>, `${path}.`, `${field}.`, currency);
  if (f.kind === "list" && Array.isArray(v)) return v.flatMap((x, i) => amountsIn(f.items, x, `${path}[${i}]`, `${field}[]`, currency));
  return [];
}

function currencyField(fields: Fields, values: Record<string, unknown>): string | undefined {
  for (const [k, f] of Object.entries(fields)) if (f.spend === "currency" && typeof values[k] === "string" && !isUnknown(values[k])) return String(values[k]).toUpperCase();
  return undefined;
}

/** How far apart two amounts are: the larger over the smaller (Infinity when one is 0 and the other not). */
export function ratio(a: number, b: number): number {
  if (a === b) return 1;
  const lo = Math.min(Math.abs(a), Math.abs(b));
  const hi = Math.max(Math.abs(a), Math.abs(b));
  return lo === 0 ? Infinity : hi / lo;
}

/**
 * At check: an amount the program writes in the unit an older version took
 * (the stack's state is of that version and holds that very number) fails;
 * an amount that moves by FAR times or more is a warning.
 * `prior` is the state upgraded, `rawOlds` as stored.
 */
export function moneyWarnings(def: { key: string; fields: Fields }, prior: Record<string, unknown>, news: Record<string, unknown>, c: Checker, rawOlds: Record<string, unknown> | undefined, currency: string): void {
  const before = new Map(amountsOf(def.fields, prior, "", "", currency).map((a) => [a.path, a]));
  const raw = isOutdated(def.fields, rawOlds) ? new Map(amountsOf(def.fields, rawOlds, "", "", currency).map((a) => [a.path, a])) : undefined;
  for (const a of amountsOf(def.fields, news, "", "", currency)) {
    const b = before.get(a.path);
    if (!b) continue;
    const cur = a.currency ?? currency;
    const old = raw?.get(a.path);
    if (old && wireFactor(a.unit, cur) !== 1 && old.value === a.value && b.value !== a.value) {
      c.fail(a.path, `${a.path}: ${a.value} is ${moneyText(a.value, cur)} in this version, which takes every amount in major units of the currency; the stack holds ${moneyText(b.value, cur)} (written as ${old.value} ${a.unit === "cents" ? "cents" : "minor units"} by the version before), so this would multiply it by ${wireFactor(a.unit, cur)}. Write ${a.path.split(".").pop()!.replace(/\[\d+\]$/, "")}: ${b.value} to keep it (the stack is then upgraded with no request to the network), and change it after that if a new amount is meant`);
      continue;
    }
    if (b.value !== a.value && ratio(a.value, b.value) >= FAR) {
      warn(`${def.key.replace(":", ".")} ${a.path} goes from ${moneyText(b.value, cur)} to ${moneyText(a.value, cur)} (${a.value > b.value ? "x" : "/"}${fmtRatio(ratio(a.value, b.value))}): amounts are in major units of the currency (${moneyText(1, cur)} is written 1); check the unit if this is not meant`);
    }
  }
}

function fmtRatio(r: number): string {
  return r === Infinity ? "∞" : r >= 10 ? String(Math.round(r)) : r.toFixed(1);
}

/** An amount of one resource among the program's resources of its type, account and currency. */
export interface Placed {
  /** "<key>|<account>|<currency>|<field>": what amounts are compared within. */
  group: string;
  name: string;
  amount: Amount;
}

/**
 * The amounts that are FAR times or more from the median of the same field
 * of the program's other resources (at least two others with that field),
 * as messages by resource name. Used by the program's gate (core/guard.ts).
 */
export function outliers(all: Placed[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const byGroup = new Map<string, Placed[]>();
  for (const p of all) {
    const list = byGroup.get(p.group) ?? [];
    list.push(p);
    byGroup.set(p.group, list);
  }
  for (const [group, list] of byGroup) {
    if (list.length < 3) continue;
    for (const p of list) {
      const others = list.filter((x) => x.name !== p.name).map((x) => x.amount.value).sort((a, b) => a - b);
      if (others.length < 2) continue;
      const median = others.length % 2 ? others[(others.length - 1) / 2] : (others[others.length / 2 - 1] + others[others.length / 2]) / 2;
      if (median <= 0 || p.amount.value <= 0 || ratio(p.amount.value, median) < FAR) continue;
      const [key, , currency] = group.split("|");
      const cur = p.amount.currency ?? currency;
      const msg = `${p.amount.path} is ${moneyText(p.amount.value, cur)}, ${fmtRatio(ratio(p.amount.value, median))} times ${p.amount.value > median ? "above" : "below"} the median of the program's other ${key.replace(":", ".")} ${p.amount.field} (${moneyText(median, cur)}): amounts are in major units of the currency; check the unit if this is not meant`;
      out.set(p.name, [...(out.get(p.name) ?? []), msg]);
    }
  }
  return out;
}

