/**
 * The shape of the state this version writes, and the upgrade of every
 * shape an older version wrote. The version is in the provider reference
 * every resource's state holds (`__provider`, core/engine/reference.ts), which
 * Pulumi's dynamic-provider host keeps beside the inputs and outputs of
 * every operation:
 *  - the serialized closure (core/engine/shim.ts) or the reference without a
 *    version (`...provider("exoclick:Campaign")`): version 0, amounts in each
 *    network's wire unit (ExoClick cents, Topsort minor units, Affise and
 *    Interchange major units);
 *  - `...provider("exoclick:Campaign",1)`: version 1, amounts in major units
 *    (core/money/money.ts), whatever the network.
 * Props without a provider text (a caller other than the engine) are of
 * this version. The upgrade is derived from the field declarations
 * (`money`): no network lists its own migration. It sends nothing: the new
 * reference differs from the stored one, so `diff` reports a change and
 * `update` with no changed input stores the upgraded state without a
 * request (core/schema/define.ts). A refresh before that keeps the stored version
 * (the host keeps the stored reference), so `read` answers in its units.
 *
 * No runtime dependency on @pulumi/pulumi.
 */
import { fromWireAmount, MoneyUnit, toWireAmount } from "../money/money";
import type { Field, Fields } from "../schema/schema";

/** The version of the state this version writes (the number in its provider reference). */
export const STATE_VERSION = 1;

type Props = Record<string, unknown>;

/** The version of a state map, from its provider text; this version's when it has none. */
export function stateVersion(props: Props | undefined): number {
  const text = props?.__provider;
  if (typeof text !== "string") return STATE_VERSION;
  const m = /\.provider\("[^"]*",(\d+)\)$/.exec(text);
  return m ? Number(m[1]) : 0;
}

/**
 * A state map (inputs or outputs) of any version, in this version's shape.
 * `currency` is the resource's currency when its fields hold none (Topsort:
 * the marketplace's), for minor units.
 */
export function upgradeState(fields: Fields, props: Props, currency?: string): Props {
  if (!props || typeof props !== "object" || stateVersion(props) >= 1) return props;
  return convertAmounts(fields, props, currency, fromWireAmount);
}

/** Values of this version in the shape of `version` (a read of state that keeps an older reference). */
export function downgradeState(fields: Fields, values: Props, version: number, currency?: string): Props {
  if (version >= 1) return values;
  return convertAmounts(fields, values, currency, toWireAmount);
}

/** Whether a state map of a type with amounts was written by an older version. */
export function isOutdated(fields: Fields, props: Props | undefined): boolean {
  return !!props && stateVersion(props) < STATE_VERSION && hasMoney(fields);
}

/** Every amount of `values` (declared `money`, nested objects and lists too) converted with `convert`. */
export function convertAmounts(fields: Fields, values: Props, currency: string | undefined, convert: (unit: MoneyUnit, v: number, currency?: string) => number): Props {
  const cur = currencyIn(fields, values) ?? currency;
  const out: Props = { ...values };
  for (const [k, field] of Object.entries(fields)) {
    if (out[k] === undefined || out[k] === null) continue;
    // A value that is money only for some sibling values (an Affise cap of type "budget").
    if (field.spendWhen && !Object.entries(field.spendWhen).every(([s, allowed]) => allowed.includes(values[s] ?? fields[s]?.default))) continue;
    out[k] = convertValue(field, out[k], cur, convert);
  }
  return out;
}

function convertValue(field: Field, v: unknown, currency: string | undefined, convert: (unit: MoneyUnit, v: number, currency?: string) => number): unknown {
  if (field.money && typeof v === "number") return convert(field.money, v, currency);
  if (field.kind === "object" && v && typeof v === "object" && !Array.isArray(v)) return convertAmounts(field.fields, v as Props, currency, convert);
  if (field.kind === "list" && Array.isArray(v)) return v.map((x) => convertValue(field.items, x, currency, convert));
  return v;
}

/** The value of a field with spend role "currency" among `values` (not nested), when there is one. */
function currencyIn(fields: Fields, values: Props): string | undefined {
  for (const [k, f] of Object.entries(fields)) if (f.spend === "currency" && typeof values[k] === "string") return values[k].toUpperCase();
  return undefined;
}

/** Whether a resource type declares any amount (its state changes shape with version 1). */
export function hasMoney(fields: Fields): boolean {
  return Object.values(fields).some((f) => !!f.money || (f.kind === "object" && hasMoney(f.fields)) || (f.kind === "list" && f.items.kind === "object" && hasMoney(f.items.fields)));
}
