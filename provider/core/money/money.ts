/**
 * One money convention for every amount of every network: a program always
 * writes an amount in the major units of its currency, as a decimal
 * (`maxDailyBudget: 20` is 20.00 a day, `price: 0.35` is 0.35). Each money
 * field declares once how its network writes it on the wire (`money` in
 * core/schema/schema.ts); check, the wire mapping, spend figures, the docs tables
 * and the migration of older state all derive from that:
 *  - "cents": hundredths, whatever the currency (ExoClick: 20.00 -> 2000);
 *  - "minor": the currency's minor units by ISO 4217 (Topsort: 20.00 USD ->
 *    2000, 20 JPY -> 20, 20.000 KWD -> 20000);
 *  - "major": as the program writes it (Affise, Interchange).
 * Every amount has at most the decimals its network stores (amountDecimals):
 * more is refused at preview, never rounded on the wire.
 *
 * No runtime dependency on @pulumi/pulumi.
 */
import * as iso4217 from "currency-codes";

export type MoneyUnit = "cents" | "minor" | "major";

/** The currency when none is known (no currency field, no `adnetworks:currencies`). */
export const DEFAULT_CURRENCY = "USD";

/** Decimal places of a currency by ISO 4217 (USD 2, JPY 0, KWD 3); 2 for a code ISO 4217 does not list. */
export function currencyDigits(currency: string | undefined): number {
  const d = currency ? iso4217.code(currency.toUpperCase())?.digits : undefined;
  return typeof d === "number" ? d : 2;
}

/** Wire units per major unit: cents 100, minor 10^digits of the currency, major 1. */
export function wireFactor(unit: MoneyUnit, currency?: string): number {
  return unit === "cents" ? 100 : unit === "minor" ? 10 ** currencyDigits(currency ?? DEFAULT_CURRENCY) : 1;
}

/** The decimals a program may write for an amount of this unit (undefined: any). */
export function decimalsOf(unit: MoneyUnit, currency?: string): number | undefined {
  return unit === "major" ? undefined : Math.round(Math.log10(wireFactor(unit, currency)));
}

/** A program's amount (major units) as the network writes it. */
export function toWireAmount(unit: MoneyUnit, v: number, currency?: string): number {
  const f = wireFactor(unit, currency);
  return f === 1 ? v : Math.round(v * f);
}

/** The network's amount as a program writes it (major units), without binary noise (2000 cents -> 20, 35 -> 0.35). */
export function fromWireAmount(unit: MoneyUnit, v: number, currency?: string): number {
  const f = wireFactor(unit, currency);
  if (f === 1) return v;
  return Number((v / f).toFixed(decimalsOf(unit, currency)));
}

/**
 * The decimals an amount (major units) may have: what the network can store
 * exactly. Cents: 2, whatever the currency (ExoClick keeps hundredths of a
 * yen too); minor: the currency's (ISO 4217: USD 2, JPY 0, KWD 3); major:
 * the currency's too (a network that takes decimals in major units stores
 * its currency's minor units: inferred for Affise and Interchange, whose
 * docs state no precision; see each network's page).
 */
export function amountDecimals(unit: MoneyUnit, currency?: string): number {
  return unit === "cents" ? 2 : currencyDigits(currency ?? DEFAULT_CURRENCY);
}

/** Whether `v` (major units) has no more decimals than the network stores (20.05 USD does, 20.005 does not). */
export function fitsUnit(unit: MoneyUnit, v: number, currency?: string): boolean {
  const scaled = v * 10 ** amountDecimals(unit, currency);
  // Binary noise only (20.05 x 100 = 2005.0000000000002): a few units in the last place, however large the amount.
  return Math.abs(scaled - Math.round(scaled)) <= 16 * Number.EPSILON * Math.max(1, Math.abs(scaled));
}

/** What the unit means, for messages and the docs tables. */
export function unitText(unit: MoneyUnit): string {
  switch (unit) {
    case "cents":
      return "major units, to 2 decimals whatever the currency (sent in cents, x 100)";
    case "minor":
      return "major units, to the currency's decimals (sent in the currency's minor units by ISO 4217: x 100 for USD, x 1 for JPY)";
    case "major":
      return "major units, to the currency's decimals (sent as is)";
  }
}

/** An amount for messages: "2,000.00 USD". */
export function moneyText(v: number, currency?: string): string {
  const digits = currency ? currencyDigits(currency) : 2;
  return `${v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: Math.max(digits, 2) })}${currency ? ` ${currency}` : ""}`;
}
