/**
 * Amounts that look like the wrong unit are refused at preview unless
 * confirmed (core/money/money.ts has the convention: major units everywhere).
 * What looks like the wrong unit, for a new amount or a changed one (an
 * amount the stack already holds is never judged again):
 *  - after an upgrade from a version that took each network's wire unit, an
 *    amount the program still writes in that unit (`maxDailyBudget: 2000`
 *    meant as cents, now 2,000.00): always refused (the stack holds 20.00);
 *  - an amount that rises FAR (50) times or more: a unit mistake (x 100)
 *    more often than a decision (a fall of as much is only a warning: it is
 *    how such a mistake is put right);
 *  - an amount above its field's `plausibleMax` (about 100 times a typical
 *    amount, so a typical one written in cents lands above it);
 *  - an amount FAR times or more above the median of the same field of the
 *    program's resources of its type, account and currency (three or more
 *    amounts, itself included, so that budgets 9, 9 and 900 flag 900 and
 *    never a 9; found by the program's gate, core/guard/guard.ts, and judged here).
 * `adnetworks:confirmAmounts` confirms one ("<resource>.<field>") or every
 * amount of a resource ("<resource>"). Every figure names its currency.
 *
 * No runtime dependency on @pulumi/pulumi.
 */
import { currencyDigits, moneyText, MoneyUnit, wireFactor } from "./money";
import { GUARDRAIL_SETTINGS } from "./spend";
import type { Field, Fields } from "../schema/schema";
import { isOutdated } from "../engine/upgrade";
import type { Checker } from "../schema/validate";
import { isUnknown } from "../schema/validate";
import { warn } from "../config/log";

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
  /** The field's `plausibleMax` (major units of a two-decimal currency). */
  plausibleMax?: number;
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
  if (f.money) return typeof v === "number" && Number.isFinite(v) ? [{ path, field, unit: f.money, value: v, ...(currency ? { currency } : {}), ...(f.plausibleMax !== undefined ? { plausibleMax: f.plausibleMax } : {}) }] : [];
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

/** An amount the gate found far above the program's others (core/guard/guard.ts): in the resource's plan. */
export interface FlaggedAmount {
  path: string;
  value: number;
  message: string;
}

/** The ceiling of an amount in its currency: plausibleMax for 2 decimals, x 100 for 0, / 10 for 3. */
export function ceilingOf(a: Amount, currency: string): number | undefined {
  return a.plausibleMax === undefined ? undefined : a.plausibleMax * 10 ** (2 - currencyDigits(currency));
}

/** Whether `adnetworks:confirmAmounts` confirms this amount of this resource. */
export function isConfirmed(list: readonly string[] | undefined, name: string, a: Pick<Amount, "path" | "field">): boolean {
  return !!list && (list.includes(name) || list.includes(`${name}.${a.path}`) || list.includes(`${name}.${a.field}`));
}

function confirmText(name: string, a: Amount, cur: string): string {
  const key = GUARDRAIL_SETTINGS.confirmAmounts.key;
  return `amounts are in major units of the currency (${moneyText(1, cur)} is written 1). If ${moneyText(a.value, cur)} is meant, confirm it in ${key} ("${name}.${a.field}", or "${name}" for every amount of ${name}), e.g. pulumi config set ${key} '${JSON.stringify([`${name}.${a.field}`])}'`;
}

/**
 * At check: an amount the program writes in the unit an older version took
 * (the stack's state is of that version and holds that very number) fails;
 * a new or changed amount that looks like the wrong unit fails unless
 * confirmed (rises FAR times, above its ceiling, or flagged by the gate in
 * `flagged`); a fall of FAR times is a warning. `prior` is the state
 * upgraded, `rawOlds` as stored, `name` the resource's name.
 */
export function moneyChecks(
  def: { key: string; fields: Fields }, prior: Record<string, unknown>, news: Record<string, unknown>, c: Checker, rawOlds: Record<string, unknown> | undefined, currency: string,
  o: { name: string; confirmed?: readonly string[]; flagged?: readonly FlaggedAmount[] } = { name: "this resource" },
): void {
  const before = new Map(amountsOf(def.fields, prior, "", "", currency).map((a) => [a.path, a]));
  const raw = isOutdated(def.fields, rawOlds) ? new Map(amountsOf(def.fields, rawOlds, "", "", currency).map((a) => [a.path, a])) : undefined;
  const label = def.key.replace(":", ".");
  for (const a of amountsOf(def.fields, news, "", "", currency)) {
    const b = before.get(a.path);
    const cur = a.currency ?? currency;
    const old = b ? raw?.get(a.path) : undefined;
    if (b && old && wireFactor(a.unit, cur) !== 1 && old.value === a.value && b.value !== a.value) {
      c.fail(a.path, `${a.path}: ${a.value} is ${moneyText(a.value, cur)} in this version, which takes every amount in major units of the currency; the stack holds ${moneyText(b.value, cur)} (written as ${old.value} ${a.unit === "cents" ? "cents" : "minor units"} by the version before), so this would multiply it by ${wireFactor(a.unit, cur)}. Write ${a.path.split(".").pop()!.replace(/\[\d+\]$/, "")}: ${b.value} to keep it (the stack is then upgraded with no request to the network), and change it after that if a new amount is meant`);
      continue;
    }
    // An amount the stack already holds is never judged again.
    if (b && b.value === a.value) continue;
    if (b && b.value > 0 && a.value < b.value && ratio(a.value, b.value) >= FAR) {
      warn(`${label} ${a.path} goes from ${moneyText(b.value, cur)} to ${moneyText(a.value, cur)} (/${fmtRatio(ratio(a.value, b.value))}): amounts are in major units of the currency (${moneyText(1, cur)} is written 1); check the unit if this is not meant`);
      continue;
    }
    if (isConfirmed(o.confirmed, o.name, a)) continue;
    const ceiling = ceilingOf(a, cur);
    const flag = o.flagged?.find((x) => x.path === a.path && x.value === a.value);
    if (b && b.value > 0 && a.value > b.value && ratio(a.value, b.value) >= FAR) {
      c.fail(a.path, `${a.path} goes from ${moneyText(b.value, cur)} to ${moneyText(a.value, cur)} (x${fmtRatio(ratio(a.value, b.value))}), which looks like the wrong unit: ${confirmText(o.name, a, cur)}`);
    } else if (ceiling !== undefined && a.value > ceiling) {
      c.fail(a.path, `${a.path} is ${moneyText(a.value, cur)}, above the ${moneyText(ceiling, cur)} a ${label} ${a.field} plausibly holds, which looks like the wrong unit: ${confirmText(o.name, a, cur)}`);
    } else if (flag) {
      c.fail(a.path, `${flag.message}, which looks like the wrong unit: ${confirmText(o.name, a, cur)}`);
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
 * The amounts that are FAR times or more above the median of the same field
 * of the program's resources of their type, account and currency (three
 * amounts or more, each one included: of 9, 9 and 900 only 900 is far, and
 * never a 9; of an even count the lower median), by resource name. Only
 * above: an amount far below the others spends less, and may be the right
 * one among wrong ones. Used by the program's gate (core/guard/guard.ts); the
 * host refuses a new or changed one unless confirmed (moneyChecks).
 */
export function outliers(all: Placed[]): Map<string, FlaggedAmount[]> {
  const out = new Map<string, FlaggedAmount[]>();
  const byGroup = new Map<string, Placed[]>();
  for (const p of all) {
    const list = byGroup.get(p.group) ?? [];
    list.push(p);
    byGroup.set(p.group, list);
  }
  for (const [group, list] of byGroup) {
    if (list.length < 3) continue;
    const values = list.map((x) => x.amount.value).sort((a, b) => a - b);
    const median = values[Math.floor((values.length - 1) / 2)];
    if (median <= 0) continue;
    for (const p of list) {
      if (p.amount.value <= median || ratio(p.amount.value, median) < FAR) continue;
      const [key, , currency] = group.split("|");
      const cur = p.amount.currency ?? currency;
      const message = `${p.amount.path} is ${moneyText(p.amount.value, cur)}, ${fmtRatio(ratio(p.amount.value, median))} times the median of the program's ${list.length} ${key.replace(":", ".")} ${p.amount.field} (${moneyText(median, cur)})`;
      out.set(p.name, [...(out.get(p.name) ?? []), { path: p.amount.path, value: p.amount.value, message }]);
    }
  }
  return out;
}
