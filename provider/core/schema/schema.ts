/**
 * Field schemas: every field of a resource is declared once, here, and the
 * rest derives from the declaration:
 *  - the Args and Output TypeScript types (mapped types, no codegen),
 *  - `check` (known keys, types, enums, ranges, list sizes, uniqueness,
 *    defaults) with messages that name the field and what is allowed,
 *  - `diff` (which inputs changed, which replace),
 *  - the wire mapping (input names <-> the network's names) for plain fields,
 *  - `read` alignment (server defaults never declared are not drift; the same
 *    value spelled differently keeps the program's spelling),
 *  - the props every resource registers (so every declared output exists),
 *  - the docs tables (scripts/gen-docs.ts).
 * Only cross-field rules, status machines and sub-resources are hand-written.
 *
 * This module has no runtime dependency on @pulumi/pulumi: the provider host
 * loads it without the Pulumi runtime.
 */
import type * as pulumi from "@pulumi/pulumi";
import { Checker, containsUnknown, isHttpUrl, isIsoDate, isRfc3339, isUnknown, typeOf } from "./validate";
import { didYouMean } from "./text";
import { amountDecimals, fitsUnit, fromWireAmount, MoneyUnit, toWireAmount, unitText } from "../money/money";

/** What a field means to money (see core/money/spend.ts). */
export type SpendRole = "dailyBudget" | "totalBudget" | "budget" | "budgetPeriod" | "bid" | "status" | "currency";

export interface Common {
  /** One sentence or two for the docs tables and the generated types. */
  doc: string;
  required?: boolean;
  /** Applied by `check` when the input is absent. */
  default?: unknown;
  /** The network's name for the field; `false`: not sent by the generic wire mapping. */
  wire?: string | false;
  /** Changing the field replaces the object (the network cannot change it in place). */
  replaceOnChange?: boolean;
  /** Never echoed in messages; stored as a secret output. */
  secret?: boolean;
  /** Omitted, the network chooses a value: reading it back is not drift. */
  serverDefault?: boolean;
  /** Part of the key that finds the object again (lost responses, adoption, import). */
  naturalKey?: boolean;
  /**
   * The account inside the network the object belongs to (an organization),
   * when a resource can name one: natural keys are unique within it, so two
   * resources in two accounts may share one (core/guard/guard.ts).
   */
  accountScope?: boolean;
  /** What the field means to spend (guardrails, spend summary). */
  spend?: SpendRole;
  /** For `spend: "status"`: the values that mean "spending". */
  running?: readonly unknown[];
  /**
   * An amount of money, and how the network writes it (core/money/money.ts):
   * "cents", "minor" (the currency's ISO 4217 minor units) or "major".
   * Programs always give major units (20 = 20.00); check, the wire mapping,
   * spend figures, the docs and the migration of older state derive from it.
   * The field's min / max are the network's limits in its own unit.
   */
  money?: MoneyUnit;
  /**
   * For an amount (`money`): the largest amount a program plausibly means, in
   * major units of a two-decimal currency (x 100 for a currency of no
   * decimals such as JPY, / 10 for one of three): about 100 times a typical
   * amount, so a typical amount written in cents or minor units lands above
   * it. A new or changed amount above it is refused at preview unless
   * confirmed (`adnetworks:confirmAmounts`, core/money/moneyCheck.ts).
   */
  plausibleMax?: number;
  /**
   * What a quantity counts, for the docs' unit column and messages, e.g.
   * "minutes", "impressions per day". Never money: an amount declares
   * `money` (its unit in the docs derives from it); schema.test.ts refuses a
   * money-like unit on any field of any resource.
   */
  unit?: string;
  /**
   * The value must be in the network's reference list of this name (e.g.
   * ExoClick's `/collections/browsers`): looked up, read-only, at preview
   * (core/schema/define.ts `lookupCheck`, through the network's `referenceList`).
   * A whole-number field with a lookup also takes an entry's name
   * ("Android" for an operating system's id): resolved through the list at
   * preview and stored as the id.
   */
  lookup?: string;
  /**
   * The lookup list is per value of another field: the name of a sibling
   * field of the enclosing object (a country's regions: "country"), or
   * "@key" for the key of the enclosing map ({ US: [33] }). The list is
   * looked up as "<lookup>:<value>" (e.g. "regions:USA").
   */
  lookupBy?: string;
  /** Values that are no entry of the list and never looked up (a country's region 0: the whole country). */
  lookupExcept?: readonly (string | number)[];
  /**
   * The spend role applies only when sibling fields hold one of these values,
   * e.g. `{ type: ["budget"] }` for a cap whose value is money only for that type.
   */
  spendWhen?: Record<string, readonly unknown[]>;
  /** Computed by the network: an output, never an input. */
  output?: boolean;
  /**
   * Computed by the resource's `check` from other inputs (e.g. a file's
   * content hash): not an argument the program gives, but an input all the
   * same (stored, diffed, may replace). A value in the news is ignored (computed again).
   */
  derived?: boolean;
  /** Custom equality (e.g. the same instant written differently). */
  equal?: (a: unknown, b: unknown) => boolean;
  /** Extra validation after the generic rules; `path` is the field's path. */
  validate?: (c: Checker, path: string, value: never) => void;
  /** Turns an accepted alternative spelling into the field's kind before validation (e.g. a number into its string). */
  coerce?: (value: unknown) => unknown;
  /** Normalises a valid value (e.g. upper-case a code); runs after validation. */
  normalize?: (value: never) => unknown;
  /** Input value -> wire value (default: identity, nested fields mapped). */
  encode?: (value: never) => unknown;
  /** Wire value -> input value. */
  decode?: (value: never) => unknown;
  /** An example value for the docs. */
  example?: unknown;
  /**
   * The field holds the id of another resource of this package, by key
   * ("exoclick:Campaign"): generated programs (adnet-import) write a
   * reference (`campaign.id`) instead of the literal id.
   */
  ref?: string;
  /**
   * The field is the path of a local file whose bytes the network keeps
   * (an uploaded image): `url` names the output field with the address the
   * network serves the bytes from, `hash` (optional) the output field with
   * their MD5 or SHA-256 hex digest. adnet-import downloads the file next to
   * the program (content-hashed name) and writes its relative path.
   */
  localFile?: { url: string; hash?: string };
}

export interface StringField extends Common {
  kind: "string" | "url" | "date" | "dateTime";
  min?: number;
  max?: number;
  pattern?: RegExp;
  patternHint?: string;
  /** url: tracking macros such as {clickid} allowed. */
  macros?: boolean;
}
export interface NumberField extends Common {
  kind: "number" | "integer";
  min?: number;
  max?: number;
  exclusiveMin?: number;
  exclusiveMax?: number;
}
export interface BooleanField extends Common {
  kind: "boolean";
}
export interface EnumField extends Common {
  kind: "enum";
  values: readonly (string | number | boolean)[];
  /** Per value, what it means (docs). */
  meanings?: Record<string, string>;
  /**
   * Per value of a numeric code, the name a program may give instead
   * (`pricing.model: "smartCpm"` for 4): accepted by check (any case) and
   * stored as the value; shown in the docs and messages beside the meaning.
   */
  names?: Record<string, string>;
}
export interface ListField extends Common {
  kind: "list";
  items: Field;
  min?: number;
  /** The network's documented limit, or a sane cap. */
  max: number;
  /** Items must be distinct under this key (e.g. case-insensitive codes). */
  unique?: (item: never) => string;
  /** What `unique` compares, for messages and docs, e.g. "target (with its trigger)". */
  uniqueBy?: string;
  /** Order carries no meaning: compared as sets. */
  unordered?: boolean;
  /**
   * On the wire as a map of indices (`{"0": a, "1": b}`: PHP-bracket forms
   * `a[0]=...`): encoded so, and read back from either a map or a list.
   */
  indexed?: boolean;
}
export interface ObjectField extends Common {
  kind: "object";
  fields: Fields;
}
export interface MapField extends Common {
  kind: "map";
  values: Field;
  keyPattern?: RegExp;
  keyHint?: string;
  max?: number;
}
export interface JsonField extends Common {
  kind: "json";
}

export type Field = StringField | NumberField | BooleanField | EnumField | ListField | ObjectField | MapField | JsonField;
export type Fields = Record<string, Field>;

/**
 * A field's hook as the schema calls it: hooks are declared with the type of
 * the field's value (`(v: boolean) => ...`), and the schema calls them only
 * with a value of that kind (validated, or read from the wire for decode).
 */
function hook<R>(f: (value: never) => R): (value: unknown) => R {
  return f as (value: unknown) => R;
}

// ---------------------------------------------------------------- builders

type Opts<F> = Omit<F, "kind">;

/** Field builders; `const` generics keep `required: true` and enum values as literal types. */
export const f = {
  string: <const O extends Opts<StringField>>(o: O) => ({ kind: "string" as const, ...o }),
  url: <const O extends Opts<StringField>>(o: O) => ({ kind: "url" as const, ...o }),
  date: <const O extends Opts<StringField>>(o: O) => ({ kind: "date" as const, ...o }),
  dateTime: <const O extends Opts<StringField>>(o: O) => ({ kind: "dateTime" as const, ...o }),
  number: <const O extends Opts<NumberField>>(o: O) => ({ kind: "number" as const, ...o }),
  integer: <const O extends Opts<NumberField>>(o: O) => ({ kind: "integer" as const, ...o }),
  boolean: <const O extends Opts<BooleanField>>(o: O) => ({ kind: "boolean" as const, ...o }),
  enum: <const V extends readonly (string | number | boolean)[], const O extends Omit<Opts<EnumField>, "values">>(values: V, o: O) =>
    ({ kind: "enum" as const, values, ...o }),
  list: <I extends Field, const O extends Omit<Opts<ListField>, "items">>(items: I, o: O) => ({ kind: "list" as const, items, ...o }),
  object: <Fs extends Fields, const O extends Omit<Opts<ObjectField>, "fields">>(fields: Fs, o: O) => ({ kind: "object" as const, fields, ...o }),
  map: <V extends Field, const O extends Omit<Opts<MapField>, "values">>(values: V, o: O) => ({ kind: "map" as const, values, ...o }),
  json: <const O extends Opts<JsonField>>(o: O) => ({ kind: "json" as const, ...o }),
};

// ---------------------------------------------------------------- types

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The plain value of a field. */
export type ValueOf<F> =
  F extends { kind: "string" | "url" | "date" | "dateTime" } ? string
  : F extends { kind: "number" | "integer" } ? number
  : F extends { kind: "boolean" } ? boolean
  : F extends { kind: "enum"; values: readonly (infer V)[] } ? V
  : F extends { kind: "list"; items: infer I } ? ValueOf<I>[]
  : F extends { kind: "object"; fields: infer Fs } ? PlainOf<Fs>
  : F extends { kind: "map"; values: infer V } ? Record<string, ValueOf<V>>
  : F extends { kind: "json" } ? Record<string, unknown>
  : unknown;

type IsOutput<F> = F extends { output: true } ? true : false;
/** Not an argument of the program: outputs and fields `check` derives. */
type IsNotArg<F> = F extends { output: true } ? true : F extends { derived: true } ? true : false;
type IsRequired<F> = F extends { required: true } ? true : false;
type IsDefined<F> = F extends { required: true } ? true : F extends { default: {} } ? true : false;

/** Plain values of input fields (as the user gives them). */
export type PlainOf<Fs> = Simplify<
  { [K in keyof Fs as IsOutput<Fs[K]> extends true ? never : IsRequired<Fs[K]> extends true ? K : never]: ValueOf<Fs[K]> } &
  { [K in keyof Fs as IsOutput<Fs[K]> extends true ? never : IsRequired<Fs[K]> extends true ? never : K]?: ValueOf<Fs[K]> }
>;

/** What `check` produces: required and defaulted inputs are always there. */
export type InputsOf<Fs> = Simplify<
  { [K in keyof Fs as IsOutput<Fs[K]> extends true ? never : IsDefined<Fs[K]> extends true ? K : never]: ValueOf<Fs[K]> } &
  { [K in keyof Fs as IsOutput<Fs[K]> extends true ? never : IsDefined<Fs[K]> extends true ? never : K]?: ValueOf<Fs[K]> }
>;

/** Inputs plus the computed outputs, as stored in state. */
export type StateOf<Fs> = Simplify<InputsOf<Fs> & { [K in keyof Fs as IsOutput<Fs[K]> extends true ? K : never]?: ValueOf<Fs[K]> }>;

/**
 * What a program may pass for a field. Enums, numeric ones too, take only
 * their literals (`status: 2` and `pricing.model: 9` fail to compile, as a
 * wrong string enum does); a number held in a variable needs its literal
 * type (`const status: 0 | 1 = ...`). A numeric enum with `names` also
 * takes them (`pricing.model: "smartCpm"`), and a whole number looked up in
 * a reference list also takes an entry's name (`"Android"`).
 */
type InputOf<F> =
  F extends { kind: "list"; items: infer I } ? pulumi.Input<InputOf<I>[]>
  : F extends { kind: "object"; fields: infer Fs } ? pulumi.Input<ArgsOf<Fs>>
  : F extends { kind: "map"; values: infer V } ? pulumi.Input<Record<string, InputOf<V>>>
  : F extends { kind: "enum"; values: readonly (infer V)[]; names: infer N } ? pulumi.Input<V | N[keyof N]>
  : F extends { kind: "enum"; values: readonly (infer V)[] } ? pulumi.Input<V>
  : F extends { kind: "integer"; lookup: string } ? pulumi.Input<number | string>
  : pulumi.Input<ValueOf<F>>;

/** The resource's constructor arguments. */
export type ArgsOf<Fs> = Simplify<
  { [K in keyof Fs as IsNotArg<Fs[K]> extends true ? never : IsRequired<Fs[K]> extends true ? K : never]: InputOf<Fs[K]> } &
  { [K in keyof Fs as IsNotArg<Fs[K]> extends true ? never : IsRequired<Fs[K]> extends true ? never : K]?: InputOf<Fs[K]> }
>;

/** A field's name on the wire: its `wire` name, else its own; `wire: false` fields are not on the wire. */
type WireName<K, F> = F extends { wire: false } ? never : F extends { wire: infer W extends string } ? W : K;

/** A field's value on the wire: what its `encode` returns, else its value with nested fields under their wire names. */
export type WireValueOf<F> =
  F extends { encode: (v: never) => infer W } ? W
  : F extends { kind: "object"; fields: infer Fs } ? WireOf<Fs>
  : F extends { kind: "list"; indexed: true; items: infer I } ? Record<string, WireValueOf<I>>
  : F extends { kind: "list"; items: infer I } ? WireValueOf<I>[]
  : F extends { kind: "map"; values: infer V } ? Record<string, WireValueOf<V>>
  : ValueOf<F>;

/**
 * The network's object as the declared wire names say (inputs and outputs,
 * each optional: a read may lack any). Derived from the declaration like the
 * Args types, so a client typed with it and the fields cannot disagree.
 */
export type WireOf<Fs> = { [K in keyof Fs as WireName<K, Fs[K]>]?: WireValueOf<Fs[K]> };

/** What `toWire` sends for `Fs`: the inputs under their wire names. */
export type WireInputOf<Fs> = { [K in keyof Fs as IsOutput<Fs[K]> extends true ? never : WireName<K, Fs[K]>]?: WireValueOf<Fs[K]> };

/** The resource's outputs: defined when required or defaulted, else possibly undefined. */
export type OutputsOf<Fs> = {
  readonly [K in keyof Fs]: pulumi.Output<IsDefined<Fs[K]> extends true ? ValueOf<Fs[K]> : ValueOf<Fs[K]> | undefined>;
};

// ---------------------------------------------------------------- names

export function inputNames(fields: Fields): string[] {
  return Object.keys(fields).filter((k) => !fields[k].output);
}
export function outputNames(fields: Fields): string[] {
  return Object.keys(fields).filter((k) => fields[k].output);
}

/** A known value of a field declared with `lookup`, and where it is. */
export interface LookupRef {
  path: string;
  /** The list's name, with its scope when the field declares `lookupBy` ("regions:USA"). */
  list: string;
  value: string | number;
  /** A name given for an id (a string in a whole-number field): resolved through the list. */
  byName?: boolean;
  /** Puts the resolved id in the value's place. */
  set?: (id: number) => void;
}

/** Every known value of the inputs' `lookup` fields (nested objects, lists and maps too); unknowns are skipped. */
export function lookupsOf(fields: Fields, value: Record<string, unknown> | undefined): LookupRef[] {
  const out: LookupRef[] = [];
  type Scope = { parent?: Record<string, unknown>; key?: string };
  const walk = (field: Field, v: unknown, path: string, scope: Scope, set?: (x: unknown) => void) => {
    if (v === undefined || v === null || isUnknown(v)) return;
    if (field.lookup && (typeof v === "string" || typeof v === "number") && !field.lookupExcept?.includes(v)) {
      let list = field.lookup;
      if (field.lookupBy) {
        const by = field.lookupBy === "@key" ? scope.key : scope.parent?.[field.lookupBy];
        if (by === undefined || by === null || isUnknown(by)) return;
        list = `${list}:${String(by)}`;
      }
      const byName = typeof v === "string" && (field.kind === "integer" || field.kind === "number");
      out.push({ path, list, value: v, ...(byName ? { byName, ...(set ? { set } : {}) } : {}) });
    }
    if (field.kind === "object" && isPlainObject(v)) for (const [k, x] of Object.entries(field.fields)) walk(x, v[k], `${path}.${k}`, { ...scope, parent: v }, (y) => { v[k] = y; });
    if (field.kind === "list" && Array.isArray(v)) v.forEach((x, i) => walk(field.items, x, `${path}[${i}]`, scope, (y) => { v[i] = y; }));
    if (field.kind === "map" && isPlainObject(v)) for (const [k, x] of Object.entries(v)) walk(field.values, x, `${path}.${k}`, { ...scope, key: k }, (y) => { v[k] = y; });
  };
  for (const k of inputNames(fields)) walk(fields[k], value?.[k], k, { parent: value }, value ? (y) => { value[k] = y; } : undefined);
  return out;
}

// ---------------------------------------------------------------- check

const known = (v: unknown) => v !== undefined && v !== null && !isUnknown(v);

/** A printable value for messages (secrets never shown; a URL's credentials and query values masked). */
export function show(field: Field | undefined, v: unknown): string {
  if (field?.secret) return "a secret value (not shown)";
  if (field?.kind === "url" && typeof v === "string") return typeOf(maskUrl(v));
  return typeOf(v);
}

/**
 * A URL as it may be echoed in a message: tracking and postback URLs often
 * carry a token in the query or user:password before the host, so those are
 * replaced by "***" (the path and parameter names stay, to locate the mistake).
 */
export function maskUrl(v: string): string {
  const q = v.indexOf("?");
  const head = q < 0 ? v : v.slice(0, q);
  const query = q < 0 ? undefined : v.slice(q + 1);
  const masked = head.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@?#]*@/i, "$1***@");
  if (query === undefined) return masked;
  return `${masked}?${query.split("&").map((kv) => (kv.includes("=") ? `${kv.slice(0, kv.indexOf("="))}=***` : kv)).join("&")}`;
}

/**
 * Validates `value` against `field` at `path`, returns the normalised value
 * (defaults applied, nested objects and lists normalised). Unknown values
 * (preview placeholders) pass through unchecked.
 */
export function checkValue(c: Checker, field: Field, path: string, value: unknown): unknown {
  let v = value;
  if ((v === undefined || v === null) && field.default !== undefined) v = clone(field.default);
  if (v === undefined || v === null) {
    if (field.required) c.fail(path, `${path} is required${hint(field)}`);
    return undefined;
  }
  if (isUnknown(v)) return v;
  if (field.coerce) v = field.coerce(v);
  const before = c.failures.length;
  const fail = (p: string, reason: string) => c.fail(p, reason, { hideValue: field.secret });
  switch (field.kind) {
    case "string":
    case "url":
    case "date":
    case "dateTime": {
      if (typeof v !== "string") {
        fail(path, `${path} must be ${kindName(field)}, got ${show(field, v)}`);
        break;
      }
      if ((field.required || (field.min ?? 0) > 0) && v.trim() === "") {
        fail(path, `${path} must not be empty or only spaces`);
        break;
      }
      if (field.min !== undefined && v.length < field.min) fail(path, `${path} must be at least ${field.min} characters, got ${v.length}`);
      if (field.max !== undefined && v.length > field.max) fail(path, `${path} must be at most ${field.max} characters, got ${v.length}`);
      if (field.kind === "url" && !isHttpUrl(v, field.macros)) fail(path, `${path} must be an absolute http:// or https:// URL with a host, got ${show(field, v)}`);
      if (field.kind === "date" && !isIsoDate(v)) fail(path, `${path} must be a date in the form YYYY-MM-DD, got ${show(field, v)}`);
      if (field.kind === "dateTime" && !isRfc3339(v)) fail(path, `${path} must be an RFC 3339 date-time such as 2026-03-02T00:00:00Z, got ${show(field, v)}`);
      if (field.pattern && !field.pattern.test(v)) fail(path, `${path} must be ${field.patternHint ?? `match ${field.pattern}`}, got ${show(field, v)}`);
      break;
    }
    case "number":
    case "integer": {
      // A name for an id of a reference list ("Android"): resolved through the list at preview (core/schema/define.ts lookupCheck).
      if (field.lookup && typeof v === "string") {
        if (v.trim() === "") fail(path, `${path} must be an id of the network's ${field.lookup} list or the name of one of its entries, got ""`);
        else v = v.trim();
        break;
      }
      if (typeof v !== "number" || !Number.isFinite(v)) {
        fail(path, `${path} must be a ${field.kind === "integer" ? "whole number" : "number"}, got ${show(field, v)}`);
        break;
      }
      if (field.money) {
        checkAmount(fail, field as NumberField & { money: MoneyUnit }, path, v, c.currency);
        break;
      }
      if (field.kind === "integer" && !Number.isInteger(v)) {
        fail(path, `${path} must be a whole number, got ${v}`);
        break;
      }
      const lo = field.min !== undefined ? v < field.min : field.exclusiveMin !== undefined ? v <= field.exclusiveMin : false;
      const hi = field.max !== undefined ? v > field.max : field.exclusiveMax !== undefined ? v >= field.exclusiveMax : false;
      if (lo || hi) fail(path, `${path} must be ${rangeText(field)}, got ${v}`);
      break;
    }
    case "boolean":
      if (typeof v !== "boolean") fail(path, `${path} must be true or false, got ${show(field, v)}`);
      break;
    case "enum":
      if (field.names && typeof v === "string") v = valueNamed(field, v) ?? v;
      if (!field.values.includes(v as never)) fail(path, `${path} must be one of ${allowed(field)}; got ${show(field, v)}${enumHint(field, v)}`);
      break;
    case "list": {
      if (!Array.isArray(v)) {
        fail(path, `${path} must be a list, got ${show(field, v)}`);
        break;
      }
      if (field.min !== undefined && v.length < field.min) fail(path, `${path} must have at least ${field.min} item${field.min === 1 ? "" : "s"}, got ${v.length}`);
      if (v.length > field.max) {
        fail(path, `${path} must have at most ${field.max} items, got ${v.length}`);
        break; // do not check 50,000 items one by one
      }
      v = v.map((x, i) => checkValue(c, { ...field.items, required: true }, `${path}[${i}]`, x));
      if (field.unique) {
        const seen = new Map<string, number>();
        (v as unknown[]).forEach((x, i) => {
          if (containsUnknown(x) || x === undefined) return;
          const k = hook(field.unique!)(x);
          if (seen.has(k)) {
            fail(`${path}[${i}]`, field.uniqueBy
              ? `${path}[${i}] has the same ${field.uniqueBy} as ${path}[${seen.get(k)}]; each ${field.uniqueBy} may appear once`
              : `${path}[${i}] repeats ${path}[${seen.get(k)}] (${show(field.items, x)}); each may appear once`);
          }
          else seen.set(k, i);
        });
      }
      break;
    }
    case "object": {
      if (typeof v !== "object" || Array.isArray(v)) {
        fail(path, `${path} must be an object, got ${show(field, v)}`);
        break;
      }
      v = checkFields(c, field.fields, v as Record<string, unknown>, path);
      break;
    }
    case "map": {
      if (typeof v !== "object" || Array.isArray(v)) {
        fail(path, `${path} must be an object, got ${show(field, v)}`);
        break;
      }
      const entries = Object.entries(v as Record<string, unknown>);
      if (field.max !== undefined && entries.length > field.max) {
        fail(path, `${path} must have at most ${field.max} entries, got ${entries.length}`);
        break;
      }
      const out: Record<string, unknown> = {};
      for (const [k, x] of entries) {
        if (field.keyPattern && !field.keyPattern.test(k)) fail(`${path}.${k}`, `${path} keys must be ${field.keyHint ?? `match ${field.keyPattern}`}; got ${JSON.stringify(k)}`);
        out[k] = checkValue(c, { ...field.values, required: true }, `${path}.${k}`, x);
      }
      v = out;
      break;
    }
    case "json":
      if (typeof v !== "object" || Array.isArray(v)) fail(path, `${path} must be an object, got ${show(field, v)}`);
      break;
  }
  if (c.failures.length === before && field.validate) (field.validate as (c: Checker, path: string, value: unknown) => void)(c, path, v);
  if (c.failures.length === before && field.normalize && !containsUnknown(v)) v = hook(field.normalize)(v);
  return v;
}

/**
 * An amount (major units): it must fit the network's unit (20.05 in cents,
 * not 20.005) and its range, which the field declares in the network's unit
 * and messages give in major units.
 */
function checkAmount(fail: (p: string, reason: string) => void, field: NumberField & { money: MoneyUnit }, path: string, v: number, currency: string | undefined): void {
  const unit = field.money;
  if (!fitsUnit(unit, v, currency)) {
    const digits = amountDecimals(unit, currency);
    fail(path, `${path} is an amount in major units of the currency${currency ? ` (${currency})` : ""}, which the network takes to ${digits === 0 ? "whole units" : `${digits} decimal${digits === 1 ? "" : "s"}`}; got ${v}`);
    return;
  }
  const w = toWireAmount(unit, v, currency);
  const lo = field.min !== undefined ? w < field.min : field.exclusiveMin !== undefined ? w <= field.exclusiveMin : false;
  const hi = field.max !== undefined ? w > field.max : field.exclusiveMax !== undefined ? w >= field.exclusiveMax : false;
  if (lo || hi) fail(path, `${path} must be ${amountRangeText(field, currency)} (major units of the currency), got ${v}`);
}

/** A money field's range in major units, e.g. ">= 0 and <= 1000000". */
export function amountRangeText(field: NumberField & { money: MoneyUnit }, currency?: string): string {
  const m = (x: number | undefined) => (x === undefined ? undefined : fromWireAmount(field.money, x, currency));
  return rangeText({ min: m(field.min), max: m(field.max), exclusiveMin: m(field.exclusiveMin), exclusiveMax: m(field.exclusiveMax) });
}

/** Validates an object of fields: unknown keys, each field; returns normalised values. */
export function checkFields(c: Checker, fields: Fields, value: Record<string, unknown>, path?: string): Record<string, unknown> {
  const inputs = inputNames(fields);
  const args = inputs.filter((k) => !fields[k].derived);
  // A derived value in the news (checked inputs fed back, `pulumi import`) is dropped: `check` computes it again.
  const given: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!fields[k]?.derived) given[k] = v;
  c.knownKeys(path, given, args);
  const out: Record<string, unknown> = {};
  // The amounts of an object that names its own currency (an Affise payout, an Interchange budget) are in that one.
  const own = Object.entries(fields).find(([k, f]) => f.spend === "currency" && typeof value[k] === "string" && /^[A-Za-z]{3}$/.test(value[k] as string));
  const outer = c.currency;
  if (own) c.currency = (value[own[0]] as string).toUpperCase();
  try {
    for (const k of args) {
      const v = checkValue(c, fields[k], path ? `${path}.${k}` : k, value[k]);
      if (v !== undefined) out[k] = v;
    }
  } finally {
    c.currency = outer;
  }
  return out;
}

function hint(field: Field): string {
  if (field.kind === "enum") return `; one of ${allowed(field)}`;
  return field.example !== undefined ? `, e.g. ${JSON.stringify(field.example)}` : "";
}

/** " (did you mean "active"?)": the allowed value spelled like the one given (case, a typo, a number given as a string). */
function enumHint(field: EnumField, v: unknown): string {
  if (field.secret) return "";
  const same = field.values.find((x) => String(x).toLowerCase() === String(v).trim().toLowerCase());
  if (same !== undefined) return ` (did you mean ${JSON.stringify(same)}?)`;
  const strings = [...field.values.filter((x): x is string => typeof x === "string"), ...Object.values(field.names ?? {})];
  return typeof v === "string" && strings.length ? didYouMean(v, strings) : "";
}

function allowed(field: EnumField): string {
  return field.values.map((a) => JSON.stringify(a) + valueText(field, a)).join(", ");
}

/** " ("smartCpm": smart CPM)": a value's name and meaning, for messages. */
function valueText(field: EnumField, a: unknown): string {
  const name = field.names?.[String(a)], meaning = field.meanings?.[String(a)];
  if (name === undefined && meaning === undefined) return "";
  return ` (${[name !== undefined ? JSON.stringify(name) : undefined, meaning].filter((x) => x !== undefined).join(": ")})`;
}

/** An enum's value as check stores it: a name (`"none"`) becomes its value (0); anything else is as given. */
export function enumValue(field: Field, v: unknown): unknown {
  return field.kind === "enum" && typeof v === "string" ? valueNamed(field, v) ?? v : v;
}

/** The value an enum's name stands for (any case), if `given` is one. */
export function valueNamed(field: EnumField, given: string): string | number | boolean | undefined {
  const g = given.trim().toLowerCase();
  return field.values.find((x) => field.names?.[String(x)]?.toLowerCase() === g);
}

function kindName(field: Field): string {
  return field.kind === "url" ? "an http(s) URL string" : field.kind === "date" ? "a date string YYYY-MM-DD" : field.kind === "dateTime" ? "an RFC 3339 date-time string" : "a string";
}

export function rangeText(o: { min?: number; max?: number; exclusiveMin?: number; exclusiveMax?: number }): string {
  const lo = o.min !== undefined ? `>= ${o.min}` : o.exclusiveMin !== undefined ? `> ${o.exclusiveMin}` : undefined;
  const hi = o.max !== undefined ? `<= ${o.max}` : o.exclusiveMax !== undefined ? `< ${o.exclusiveMax}` : undefined;
  return [lo, hi].filter(Boolean).join(" and ");
}

function clone<T>(v: T): T {
  return v && typeof v === "object" ? JSON.parse(JSON.stringify(v)) : v;
}

// ---------------------------------------------------------------- equality and diff

/** Structural equality where a missing key equals undefined and null. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === undefined || a === null) && (b === undefined || b === null)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
    for (const k of keys) if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
    return true;
  }
  return false;
}

/**
 * Whether two values of a field mean the same: defaults count as given,
 * unordered lists compare as sets, custom `equal` wins. An absent value of
 * a `serverDefault` field is the network's choice, so it equals anything,
 * but only on the side that is not declared: `declared` says which side
 * holds what the program declared ("a" or "b"). A value the program
 * declared that the other side lacks is a difference (a lost write shows as
 * drift); without `declared`, either side's absence counts as the network's
 * choice.
 */
export function sameValue(field: Field, a: unknown, b: unknown, declared?: "a" | "b"): boolean {
  if (field.equal) return field.equal(a, b);
  const da = a === undefined || a === null ? field.default : a;
  const db = b === undefined || b === null ? field.default : b;
  if (field.kind === "object" && (da === undefined) !== (db === undefined) && isPlainObject(da ?? db)) {
    // An object on one side only equals absence when it holds nothing but the network's defaults (its fields compare with absent ones).
    const declaredValue = declared === "a" ? da : declared === "b" ? db : undefined;
    if (!field.serverDefault || declaredValue !== undefined) return sameFields(field.fields, (da ?? {}) as Record<string, unknown>, (db ?? {}) as Record<string, unknown>, declared);
  }
  if (da === undefined || db === undefined) {
    if (field.serverDefault) {
      const declaredValue = declared === "a" ? da : declared === "b" ? db : undefined;
      return declaredValue === undefined;
    }
    return deepEqual(da, db);
  }
  if (field.kind === "object" && isPlainObject(da) && isPlainObject(db)) return sameFields(field.fields, da, db, declared);
  if (field.kind === "list" && Array.isArray(da) && Array.isArray(db)) {
    if (da.length !== db.length) return false;
    if (field.unordered) {
      const rest = [...db];
      return da.every((x) => {
        const i = rest.findIndex((y) => sameValue(field.items, x, y, declared));
        return i >= 0 && rest.splice(i, 1).length === 1;
      });
    }
    return da.every((x, i) => sameValue(field.items, x, db[i], declared));
  }
  if (field.kind === "map" && isPlainObject(da) && isPlainObject(db)) {
    const keys = new Set([...Object.keys(da), ...Object.keys(db)]);
    return [...keys].every((k) => sameValue(field.values, da[k], db[k], declared));
  }
  return deepEqual(da, db);
}

/** Field-by-field equality of two objects of `fields`. */
export function sameFields(fields: Fields, a: Record<string, unknown>, b: Record<string, unknown>, declared?: "a" | "b"): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const field = fields[k];
    if (field ? !sameValue(field, a[k], b[k], declared) : !deepEqual(a[k], b[k])) return false;
  }
  return true;
}

/**
 * The inputs whose new value differs from the old one. The news are what
 * the program declares: a server-defaulted value it leaves out is no change,
 * one it declares where the state has none is.
 */
export function changedFields(fields: Fields, olds: Record<string, unknown>, news: Record<string, unknown>): string[] {
  return inputNames(fields).filter((k) => containsUnknown(news[k]) || !sameValue(fields[k], olds[k], news[k], "b"));
}

/** The changed inputs declared `replaceOnChange` (also through nested fields). */
export function replacingFields(fields: Fields, changed: string[], olds: Record<string, unknown>, news: Record<string, unknown>): string[] {
  return changed.filter((k) => replaces(fields[k], olds[k], news[k]));
}

function replaces(field: Field, a: unknown, b: unknown): boolean {
  if (field.replaceOnChange) return true;
  if (field.kind === "object") {
    if (containsUnknown(b)) return Object.values(field.fields).some((x) => x.replaceOnChange);
    const ao = isPlainObject(a) ? a : {};
    const bo = isPlainObject(b) ? b : {};
    return Object.entries(field.fields).some(([k, x]) => (containsUnknown(bo[k]) || !sameValue(x, ao[k], bo[k], "b")) && replaces(x, ao[k], bo[k]));
  }
  return false;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

// ---------------------------------------------------------------- wire

/**
 * Input values -> the network's field names and encodings (`keys` limits the
 * top level, e.g. to the changed inputs). Fields with `wire: false` are left
 * to hand-written code. An absent value is not sent.
 */
export function toWire<Fs extends Fields>(fields: Fs, value: object, keys: readonly string[] = inputNames(fields), opts: WireOptions = {}): WireInputOf<Fs> {
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const field = fields[k];
    if (!field || field.wire === false || field.output) continue;
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined) continue;
    out[field.wire ?? k] = encodeValue(field, v, opts);
  }
  return out as WireInputOf<Fs>;
}

/** What the wire mapping needs beyond the values. */
export interface WireOptions {
  /** The currency of the amounts (for `money: "minor"`; default USD). */
  currency?: string;
}

/** One value as the network writes it (nested fields mapped, amounts in the field's money unit). */
export function encodeValue(field: Field, v: unknown, opts: WireOptions = {}): unknown {
  if (v === undefined || v === null) return v;
  // An amount is in the network's unit before an encode hook shapes it (and after a decode hook read it).
  if (field.money && typeof v === "number") v = toWireAmount(field.money, v, opts.currency);
  if (field.encode) return hook(field.encode)(v);
  if (field.money) return v;
  if (field.kind === "object" && isPlainObject(v)) return toWire(field.fields, v, undefined, opts);
  if (field.kind === "list" && Array.isArray(v)) {
    const items = v.map((x) => encodeValue(field.items, x, opts));
    return field.indexed ? Object.fromEntries(items.map((x, i) => [String(i), x])) : items;
  }
  if (field.kind === "map" && isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encodeValue(field.values, x, opts)]));
  return v;
}

/** How a network writes unset values on the wire, beyond null and "" (which always mean unset). */
export interface WireConventions extends WireOptions {
  /** Empty lists and maps mean unset (PHP APIs answer an unset list as [] and an empty map as []): read as absent, nested too. */
  emptyAsAbsent?: boolean;
}

/** The network's object -> input (and output) names and encodings. Empty values become undefined. */
export function fromWire<Fs extends Fields>(fields: Fs, wire: object | undefined | null, conventions: WireConventions = {}): Partial<StateOf<Fs>> {
  return decodeFields(fields, wire, conventions) as Partial<StateOf<Fs>>;
}

function decodeFields(fields: Fields, wire: object | undefined | null, conventions: WireConventions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!wire) return out;
  for (const [k, field] of Object.entries(fields)) {
    if (field.wire === false) continue;
    const v = decodeValue(field, (wire as Record<string, unknown>)[field.wire ?? k], conventions);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

function decodeValue(field: Field, v: unknown, conventions: WireConventions): unknown {
  const decoded = decodeOne(field, v, conventions);
  return conventions.emptyAsAbsent && isEmptyValue(decoded) ? undefined : decoded;
}

function decodeOne(field: Field, v: unknown, conventions: WireConventions): unknown {
  if (v === undefined || v === null || v === "") return undefined;
  if (field.decode) {
    const d = hook(field.decode)(v);
    return field.money && typeof d === "number" ? fromWireAmount(field.money, d, conventions.currency) : d;
  }
  if (field.kind === "object" && isPlainObject(v)) return decodeFields(field.fields, v, conventions);
  if (field.kind === "list" && field.indexed && isPlainObject(v)) return decodeOne(field, Object.values(v), conventions);
  if (field.kind === "list" && Array.isArray(v)) return v.map((x) => decodeValue(field.items, x, conventions));
  if (field.kind === "map" && isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const d = decodeValue(field.values, x, conventions);
      if (d !== undefined) out[k] = d;
    }
    return out;
  }
  if ((field.kind === "number" || field.kind === "integer") && typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return decodeOne(field, Number(v), conventions);
  if (field.money && typeof v === "number") return fromWireAmount(field.money, v, conventions.currency);
  // 28 for "28": the network's JSON may type a string field's value as a number.
  if (field.kind === "string" && typeof v === "number") return String(v);
  if (field.kind === "boolean") return v === true || v === 1 || v === "1" || v === "true";
  if (field.kind === "enum" && !field.values.includes(v as never)) {
    // "1" for 1, 1 for "1": the network's JSON may type it differently.
    const alt = field.values.find((x) => String(x) === String(v));
    return alt ?? v;
  }
  return v;
}

// ---------------------------------------------------------------- read alignment

/**
 * What `read` reports as inputs, given what the network holds (`remote`, in
 * input shape) and what the state held before (`prior`, undefined on
 * import): where both mean the same (`sameValue`), the prior spelling stays,
 * so a refresh right after `up` changes nothing; a server-defaulted value the
 * program never declared is dropped (it is the network's choice, not drift);
 * a value the program declared that the network returns absent is drift
 * (the write was lost), whatever the field's `serverDefault`.
 */
export function alignRead(fields: Fields, remote: Record<string, unknown>, prior: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of inputNames(fields)) {
    const v = alignValue(fields[k], remote[k], prior ? prior[k] : undefined, prior !== undefined);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

function alignValue(field: Field, remote: unknown, prior: unknown, hasPrior: boolean): unknown {
  if (hasPrior && (prior === undefined || prior === null)) {
    // Not declared: the network's default is not drift; anything else is.
    if (field.serverDefault) return undefined;
    if (field.default === undefined && remote !== undefined && isEmptyValue(remote)) return undefined;
  }
  if (!hasPrior && field.default !== undefined && sameValue(field, remote, field.default) && remote !== undefined) {
    // Import: keep defaults, the program may leave them out and check fills them in.
    return remote;
  }
  if (prior !== undefined && prior !== null && sameValue(field, prior, remote, "a")) {
    if (field.kind === "object" && isPlainObject(prior) && isPlainObject(remote)) return alignRead(field.fields, remote, prior);
    return prior;
  }
  if (field.kind === "object" && isPlainObject(remote)) {
    const aligned = alignRead(field.fields, remote, isPlainObject(prior) ? prior : hasPrior ? {} : undefined);
    // An object the program never declared that holds only the network's defaults (dropped above) is not drift.
    return hasPrior && (prior === undefined || prior === null) && !Object.keys(aligned).length ? undefined : aligned;
  }
  if (field.kind === "list" && Array.isArray(remote) && field.items.kind === "object") {
    const items = field.items;
    const p = Array.isArray(prior) ? prior : [];
    return remote.map((x, i) => (isPlainObject(x) ? alignRead(items.fields, x, isPlainObject(p[i]) ? p[i] : hasPrior ? {} : undefined) : x));
  }
  return remote;
}

function isEmptyValue(v: unknown): boolean {
  return (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.keys(v).length === 0);
}

// ---------------------------------------------------------------- docs

function typeText(field: Field): string {
  if (field.money) return "amount";
  switch (field.kind) {
    case "enum":
      return field.values.map((v) => JSON.stringify(v) + (field.names?.[String(v)] !== undefined ? ` or ${JSON.stringify(field.names[String(v)])}` : "")).join(" \\| ");
    case "list":
      return `list of ${typeText(field.items)}`;
    case "object":
      return "object";
    case "map":
      return `map of ${typeText(field.values)}`;
    case "json":
      return "object (free form)";
    case "integer":
      return "whole number";
    case "dateTime":
      return "date-time (RFC 3339)";
    case "date":
      return "date (YYYY-MM-DD)";
    default:
      return field.kind;
  }
}

/** A field's unit for the docs tables (a list's: its items'): money's convention, a declared unit, else "—". */
export function unitOf(field: Field): string {
  const f = field.kind === "list" ? field.items : field;
  if (f.money) return unitText(f.money);
  return f.unit ?? "—";
}

function constraintText(field: Field): string {
  const parts: string[] = [];
  const item = field.kind === "list" ? field.items : field.kind === "map" ? (field.values.kind === "list" ? field.values.items : field.values) : undefined;
  if ((field.kind === "number" || field.kind === "integer") && field.money && amountRangeText(field as NumberField & { money: MoneyUnit })) {
    parts.push(`${amountRangeText(field as NumberField & { money: MoneyUnit })}${field.money === "minor" ? " (for a currency of 2 decimals)" : ""}`);
    if (field.plausibleMax !== undefined) parts.push(`above ${field.plausibleMax.toLocaleString("en-US")} (a currency of 2 decimals) only when confirmed (adnetworks:confirmAmounts)`);
  } else if ((field.kind === "number" || field.kind === "integer") && rangeText(field)) parts.push(rangeText(field));
  if (field.kind === "string" || field.kind === "url") {
    if (field.min !== undefined || field.max !== undefined) parts.push(`${field.min ?? 0}–${field.max ?? "∞"} chars`);
    if (field.patternHint) parts.push(field.patternHint);
  }
  if (field.kind === "list") parts.push(`${field.min ?? 0}–${field.max} items${field.unique ? `, distinct${field.uniqueBy ? ` by ${field.uniqueBy}` : ""}` : ""}`);
  if (field.kind === "list" && field.indexed) parts.push("on the wire as an indexed map ([0], [1], ...)");
  const lookup = field.lookup ?? item?.lookup;
  const by = field.lookupBy ?? item?.lookupBy;
  const named = (item ?? field).kind === "integer";
  if (lookup) parts.push(`${item ? "each " : ""}in the network's \`${lookup}\` list${by ? ` of the ${by === "@key" ? "key's" : `\`${by}\`'s`} value` : ""} (looked up at preview${named ? "; an id or an entry's name" : ""}; \`npx adnet-lists\` prints it)`);
  if (field.default !== undefined) parts.push(`default ${JSON.stringify(field.default)}`);
  if (field.serverDefault) parts.push("network default when omitted");
  return parts.join("; ");
}

/** Markdown table rows for `fields` (nested fields as `parent.child`). */
export function docRows(fields: Fields, prefix = ""): string[] {
  const rows: string[] = [];
  for (const [k, field] of Object.entries(fields)) {
    const name = `${prefix}${k}`;
    const wire = field.wire === false ? "—" : `\`${field.wire ?? k}\``;
    const flags = [
      field.output ? "output" : field.derived ? "derived" : field.required ? "required" : "optional",
      field.replaceOnChange ? "replaces" : "",
      field.secret ? "secret" : "",
      field.naturalKey ? "natural key" : "",
      field.spend ? `spend: ${field.spend}${field.spendWhen ? ` when ${Object.entries(field.spendWhen).map(([k, v]) => `${k} is ${v.map((x) => JSON.stringify(x)).join(" or ")}`).join(" and ")}` : ""}` : "",
    ].filter(Boolean).join(", ");
    const doc = field.doc.replace(/\|/g, "\\|").replace(/\n/g, " ");
    rows.push(`| \`${name}\` | ${typeText(field)} | ${unitOf(field)} | ${flags} | ${wire} | ${constraintText(field).replace(/\|/g, "\\|")} | ${doc} |`);
    if (field.kind === "object") rows.push(...docRows(field.fields, `${name}.`));
    if (field.kind === "list" && field.items.kind === "object") rows.push(...docRows(field.items.fields, `${name}[].`));
  }
  return rows;
}

export function docTable(fields: Fields): string {
  return ["| field | type | unit | use | wire name | rules | description |", "| --- | --- | --- | --- | --- | --- | --- |", ...docRows(fields)].join("\n");
}

/** The values that name an object: its natural key fields that are no reference, else its `name` (adnet-import's names, the plugin's List). */
export function namingValues(fields: Fields, state: Record<string, unknown>): string[] {
  const vals = Object.entries(fields).filter(([, f]) => f.naturalKey && !f.ref).map(([k]) => state[k]).filter((v) => typeof v === "string" || typeof v === "number").map(String);
  if (!vals.length && typeof state.name === "string") vals.push(state.name);
  return vals;
}
