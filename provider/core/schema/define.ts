/**
 * The resource contract, driven by a field schema (core/schema/schema.ts). A
 * resource declares its fields once and hand-writes only what the network
 * makes special: cross-field rules, status machines, sub-resources, and the
 * calls themselves. From the declaration:
 *  - check validates without the network (`lookup` values aside: read-only,
 *    see lookupCheck) and applies defaults, so what `read`
 *    returns after a create equals the inputs (no diff after `up`);
 *  - diff compares declared inputs only, replaces on `replaceOnChange` fields
 *    (and on what `replaceWhen` says);
 *  - read returns the remote object in input shape, aligned with the prior
 *    state (no drift from spelling or undeclared server defaults), so
 *    dashboard edits show in `pulumi refresh`; a 404 removes it from state;
 *  - update gets the changed inputs only; delete treats 404 as done;
 *  - a create that made the object and then failed throws PartialCreateError.
 *
 * No runtime dependency on @pulumi/pulumi (the provider host loads this
 * without the Pulumi runtime).
 */
import type * as pulumi from "@pulumi/pulumi";
import { ApiError, ConfigError, UserError } from "../http/errors";
import { containsSecret, REDACTED, redactString } from "../http/redact";
import { DefinitionLookup, hostLimits, onCheck, onDelete } from "../guard/hostGuard";
import { readPlan, Plan } from "../guard/plan";
import { resultsCurrency, resultsOnCheck, resultsOnDiff } from "../money/hostResults";
import { clipValues, distance } from "./text";
import { Checker, CheckFailure } from "./validate";
import { isSecretKey } from "../http/redact";
import {
  alignRead, changedFields, checkFields, Fields, InputsOf, inputNames, LookupRef, lookupsOf, outputNames, replacingFields, StateOf,
} from "./schema";
import { Context, contextFor, DEFAULT_ACCOUNT, unconfigured } from "../config/context";
import { accountIn, splitImportId } from "../config/account";
import { accountConfigured, isProviderHost } from "../config/config";
import { verifyCredentials } from "../guard/verify";
import { downgradeState, isOutdated, stateVersion, upgradeState } from "../engine/upgrade";
import { moneyChecks } from "../money/moneyCheck";
import { currentResourceName } from "../config/log";
import type { NetworkBase } from "../config/networkBase";
import type { ResultsNetwork } from "../money/results";
import type { SettingSpec } from "../config/config";
import type { Spend, SpendDef } from "../money/spend";

type Props = Record<string, unknown>;

export interface ResourceDef<Fs extends Fields = Fields, C = unknown> {
  /** "<module>:<Type>", e.g. "exoclick:Campaign"; the Pulumi type is pulumi-nodejs:dynamic/<module>:<Type>. */
  key: string;
  /**
   * What the resource is: the one source of the docs page's section, the
   * generated class's JSDoc (provider/<network>/index.ts, `npm run docs`).
   */
  doc: string;
  /** The import id format, for the docs, e.g. "the numeric campaign id". */
  importId: string;
  fields: Fs;
  /**
   * Rules across fields, after every field passed its own; may adjust the
   * inputs. Must not call the network (`ctx.settings` may be read, not
   * `ctx.client`); values in the network's reference lists are declared with
   * `lookup` and checked by the core (`lookupCheck`).
   */
  check?(ctx: Context<C>, inputs: InputsOf<Fs>, c: Checker, olds: Partial<StateOf<Fs>>): InputsOf<Fs> | void;
  /**
   * Rules between this resource and the ones its `ref` fields name, run in
   * the program when it declares both (core/guard/guard.ts): each problem, a
   * sentence naming the resources, fails their checks at preview.
   */
  relate?: import("../guard/guard").GateDef["relate"];
  /** Replacements beyond `replaceOnChange` (e.g. a value that may change in place only one way). */
  replaceWhen?(olds: StateOf<Fs>, news: InputsOf<Fs>, changed: string[]): string[];
  create(ctx: Context<C>, inputs: InputsOf<Fs>): Promise<{ id: string; outs?: Partial<StateOf<Fs>> }>;
  /**
   * The remote object in input shape plus computed outputs, or undefined when
   * it is gone. `state` is undefined on import (nothing known yet).
   */
  read(ctx: Context<C>, id: string, state: StateOf<Fs> | undefined): Promise<Partial<StateOf<Fs>> | undefined>;
  /** Applies the changed inputs; returns computed outputs that changed. */
  update(ctx: Context<C>, id: string, olds: StateOf<Fs>, news: InputsOf<Fs>, changed: string[]): Promise<Partial<StateOf<Fs>> | void>;
  delete(ctx: Context<C>, id: string, state: StateOf<Fs>): Promise<void>;
  /**
   * Finds the object a create with these inputs made, by natural key,
   * ignoring ids in `exclude` (owned by other resources). Used to recover
   * from a deployment killed while creating (core/engine/pending.ts).
   */
  find?(ctx: Context<C>, inputs: InputsOf<Fs>, exclude: Set<string>): Promise<string | undefined>;
  /**
   * Every live object of this type in the account, as `read` would report
   * it (input shape plus outputs), with the id `import` takes. Used to turn
   * an account into code (adnet-import). Read-only.
   * An object the account keeps but that is not live (archived, deleted
   * with a soft delete) may be listed with `skip` saying why ("archived"):
   * adnet-import reports it and writes no code for it.
   */
  list?(ctx: Context<C>): Promise<Array<Listed<Fs>>>;
  /**
   * Special spend rules (core/money/spend.ts): adjusts what the schema's spend roles
   * give, e.g. a budget whose meaning depends on another field. Most types
   * need none.
   */
  spend?(inputs: Record<string, unknown>, base: Spend): Spend | undefined;
  /** Upgrades any state shape an older version wrote. */
  upgrade?(state: Props): Props;
}

/** One object of an account, as `list` reports it. */
export interface Listed<Fs extends Fields = Fields> {
  id: string;
  state: Partial<StateOf<Fs>>;
  skip?: string;
}

/**
 * What a `list` could not see, said instead of left out: objects it cannot
 * reach (e.g. postbacks of affiliates it may not list). adnet-import reports
 * each in its summary. A list sets it on the array it returns.
 */
export type ListGaps = { gaps?: string[] };

export type ProviderImpl = Required<Pick<pulumi.dynamic.ResourceProvider, "check" | "diff" | "create" | "read" | "update" | "delete">> & {
  find?(inputs: Props, exclude: Set<string>): Promise<string | undefined>;
  /** Every object of the type in the account (adnet-import; default: the default account), when the type can list. */
  list?(account?: string): Promise<ListedObject[]>;
};

/**
 * The registry's interface (provider/registry.ts implements it over the
 * network list), for the modules of core/ that work on any registered type
 * (pending-operation recovery, spend steps, the host wrapper): their callers
 * hand it in, so core never imports upward.
 */
export interface Registry {
  types(): string[];
  get(key: string): ProviderImpl;
  definition(key: string): ResourceDef | undefined;
}

/** A listed object as the engine's side sees it (untyped state). */
export interface ListedObject {
  id: string;
  state: Props;
  skip?: string;
}

/** A ResourceDef as the engine's side sees it: untyped property maps (past check, they hold what the schema made). */
interface UntypedDef<C> {
  key: string;
  fields: Fields;
  check?(ctx: Context<C>, inputs: Props, c: Checker, olds: Props): Props | void;
  replaceWhen?(olds: Props, news: Props, changed: string[]): string[];
  create(ctx: Context<C>, inputs: Props): Promise<{ id: string; outs?: Props }>;
  read(ctx: Context<C>, id: string, state: Props | undefined): Promise<Props | undefined>;
  update(ctx: Context<C>, id: string, olds: Props, news: Props, changed: string[]): Promise<Props | void>;
  delete(ctx: Context<C>, id: string, state: Props): Promise<void>;
  find?(ctx: Context<C>, inputs: Props, exclude: Set<string>): Promise<string | undefined>;
  list?(ctx: Context<C>): Promise<ListedObject[]>;
  spend?(inputs: Record<string, unknown>, base: Spend): Spend | undefined;
  upgrade?(state: Props): Props;
}

/** What the engine's dynamic-provider host reads from `check`. */
type CheckResult = { inputs: Props; failures: CheckFailure[] };

/** Every string inside `v` that contains a registered credential. */
function secretStrings(v: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 20) return out;
  if (typeof v === "string") {
    if (containsSecret(v)) out.push(v);
  } else if (v && typeof v === "object") {
    for (const x of Object.values(v)) secretStrings(x, out, depth + 1);
  }
  return out;
}

/** Drops Pulumi's reserved keys (`__provider`). */
export function strip(props: Props | undefined): Props {
  const out: Props = {};
  for (const [k, v] of Object.entries(props ?? {})) if (!k.startsWith("__")) out[k] = v;
  return out;
}

// clean lives in a module of its own: the resources' list shapes use it, and a program loads them without this host code.
import { clean } from "./clean";
export { clean };

export function pick(props: Props, keys: readonly string[]): Props {
  const out: Props = {};
  for (const k of keys) if (props[k] !== undefined) out[k] = props[k];
  return out;
}

/** Where a network's credentials go: its secret settings (stack config, environment). */
function credentialsHint(settings: Record<string, SettingSpec>): string {
  const secret = Object.values(settings).filter((s) => s.secret);
  if (!secret.length) return "set them in stack config (pulumi config set --secret) or the environment";
  return `set ${secret.map((s) => `stack config ${s.key} (pulumi config set --secret ${s.key} <value>) or environment ${s.env}`).join(", or ")}`;
}

/** Whether the stored provider text differs from the one the program declares now. */
export function providerChanged(olds: Props | undefined, news: Props | undefined): boolean {
  const o = olds?.__provider, n = news?.__provider;
  return typeof o === "string" && typeof n === "string" && o !== n;
}

// ---------------------------------------------------------------- the steps of check

/**
 * Step 1, credential-leak scan: a credential pasted into the program under a
 * credential-like key that is not a field fails, says where credentials go,
 * never echoes the value, and is dropped from what the next steps see.
 */
export function refuseCredentialInputs(c: Checker, label: string, fields: Fields, settings: Record<string, SettingSpec>, given: Props): Props {
  const out = { ...given };
  for (const k of Object.keys(given)) {
    if (k in fields || !isSecretKey(k)) continue;
    c.fail("", `${k} is not an input of ${label}: credentials are never resource inputs (inputs are stored in state in clear); ${credentialsHint(settings)}. The value is not shown`);
    delete out[k];
  }
  return out;
}

/** Step 2, schema check: every field by its declaration (types, enums, ranges, lists, defaults, unknown keys). */
export function schemaCheck(c: Checker, fields: Fields, given: Props): Props {
  return checkFields(c, fields, given);
}

/** Step 3, cross-field rules: the resource's own `check`; a rule that throws becomes a failure. */
export function crossFieldCheck<C>(def: Pick<UntypedDef<C>, "check">, ctx: Context<C>, inputs: Props, c: Checker, olds: Props): Props {
  if (!def.check) return inputs;
  try {
    return def.check(ctx, inputs, c, olds) ?? inputs;
  } catch (e) {
    // A rule should never throw; if one does, surface it as a failure.
    c.fail("", String((e as Error)?.message ?? e));
    return inputs;
  }
}

/**
 * Step 4, guardrails: spend limits and protected running campaigns
 * (core/guard/hostGuard.ts), judged on the program's plan (core/guard/plan.ts) and the
 * stack's state, after the resource's own rules gave the final inputs.
 */
export function guardrailCheck(def: SpendDef, olds: Props, inputs: Props, c: Checker, plan: Plan | undefined, definition: DefinitionLookup): boolean {
  return onCheck(def, olds, inputs, c, plan, definition);
}

/** `adnetworks:confirmAmounts` (a bad guardrail setting is reported by the guardrail step). */
function confirmedAmounts(): string[] | undefined {
  try {
    return hostLimits().confirmAmounts;
  } catch {
    return undefined;
  }
}

/**
 * Step 4b, reference lists: a value of a `lookup` field (an id in one of the
 * network's own lists, e.g. ExoClick's browsers) is looked up, read-only,
 * once every other step passed and only when the olds do not already hold
 * it (an unchanged stack previews with 0 requests). Each list is fetched at
 * most once per process (the network caches it). A name given for an id
 * ("Android") is resolved through the list and stored as the id; the names
 * resolved are kept beside the inputs (`NAMES_KEY`), so the next preview of
 * the same program resolves them without a request. Without credentials the
 * lookup is skipped with a note on the resource (the network checks the
 * values at `up`); a list that cannot be fetched fails the check, naming
 * the field, the list and the network's error. A value not in the list fails
 * with the entries nearest to it and the command that prints the list.
 */
export async function lookupCheck<C>(network: NetworkBase<C>, ctx: Context<C>, label: string, fields: Fields, inputs: Props, olds: Props, c: Checker, oldNames?: unknown): Promise<void> {
  if (!network.referenceList || c.failures.length) return;
  const memo = namesOf(oldNames);
  const resolved: Record<string, Record<string, number>> = {};
  const remember = (list: string, name: string, id: number) => ((resolved[list] ??= {})[name] = id);
  const had = new Set(lookupsOf(fields, olds).map((r) => `${r.list}\u0000${r.value}`));
  const todo = lookupsOf(fields, inputs).filter((r) => {
    if (r.byName) {
      const id = memo[r.list]?.[String(r.value)];
      if (id === undefined) return true;
      r.set?.(id);
      remember(r.list, String(r.value), id);
      return false;
    }
    return !had.has(`${r.list}\u0000${r.value}`);
  });
  const finish = () => {
    if (Object.keys(resolved).length) inputs[NAMES_KEY] = resolved;
  };
  if (!todo.length) return finish();
  const lists = [...new Set(todo.map((r) => r.list))];
  let client: C;
  try {
    client = ctx.client;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    ctx.log.progress(`${label}: ${todo.map((r) => r.path).join(", ")} not checked against ${network.title}'s ${lists.join(", ")} list(s) at preview: ${e.message}. ${network.title} checks them at pulumi up`);
    return finish();
  }
  for (const list of lists) {
    const refs = todo.filter((r) => r.list === list);
    // A list whose entries the network reads one by one (cheaper than the whole list): one request per value.
    const entry = (v: string) => network.referenceEntry?.(client, list, v);
    if (!refs.some((r) => r.byName) && entry(String(refs[0].value)) !== undefined) {
      for (const r of refs) {
        try {
          const e = await entry(String(r.value))!;
          if (!e.found) c.fail(r.path, notInList(network, r, undefined));
        } catch (err) {
          c.fail(r.path, `${r.path}: could not be checked against ${network.title}'s ${list} list: ${(err as Error)?.message ?? err}`);
        }
      }
      continue;
    }
    let known: ReadonlyMap<string, string>;
    try {
      known = await network.referenceList(client, list);
    } catch (e) {
      c.fail(refs[0].path, `${refs.map((r) => r.path).join(", ")}: could not be checked against ${network.title}'s ${list} list, which could not be read: ${(e as Error)?.message ?? e}`);
      continue;
    }
    for (const r of refs) {
      if (r.byName) {
        const id = idNamed(known, String(r.value));
        if (id !== undefined) {
          r.set?.(id);
          remember(list, String(r.value), id);
          continue;
        }
      } else if (known.has(String(r.value))) continue;
      c.fail(r.path, notInList(network, r, known));
    }
  }
  finish();
}

/** Where the names a program gave for ids of reference lists are kept beside the inputs (list -> name -> id); never a field. */
export const NAMES_KEY = "__adnetNames";

function namesOf(v: unknown): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  if (!v || typeof v !== "object") return out;
  for (const [list, m] of Object.entries(v as Record<string, unknown>)) {
    if (!m || typeof m !== "object") continue;
    for (const [name, id] of Object.entries(m as Record<string, unknown>)) if (typeof id === "number") (out[list] ??= {})[name] = id;
  }
  return out;
}

/** The id of the entry named `name` (any case, spaces ignored at the ends), when exactly one entry has that name. */
export function idNamed(known: ReadonlyMap<string, string>, name: string): number | undefined {
  const g = name.trim().toLowerCase();
  const ids = [...known].filter(([id, n]) => n.toLowerCase() === g && Number.isFinite(Number(id))).map(([id]) => Number(id));
  return ids.length === 1 ? ids[0] : undefined;
}

/**
 * The message for a value that is not in its list: the list, its size, the
 * entries nearest to the value (by spelling for a name, by number for an
 * id), and the command that prints the whole list.
 */
export function notInList(network: Pick<NetworkBase, "name" | "title">, r: Pick<LookupRef, "path" | "list" | "value" | "byName">, known: ReadonlyMap<string, string> | undefined): string {
  const entry = ([v, name]: [string, string]) => (name && name !== v ? `${JSON.stringify(v)} (${name})` : JSON.stringify(v));
  const near = known ? nearestEntries(known, r.value, 5).map(entry).join(", ") : "";
  const what = r.byName ? `must name an entry of ${network.title}'s ${r.list} list` : `must be in ${network.title}'s ${r.list} list`;
  const size = known ? ` (${known.size} entries${near ? `; nearest: ${near}` : ""})` : ` (${network.title} answered that it has no such entry)`;
  const list = /[\s'"]/.test(r.list) ? JSON.stringify(r.list) : r.list;
  return `${r.path} ${what}; got ${JSON.stringify(r.value)}${size}. npx adnet-lists --network ${network.name} --list ${list} prints the list`;
}

/** The `n` entries nearest to `value`: by edit distance of names for a string, by distance of ids for a number. */
export function nearestEntries(known: ReadonlyMap<string, string>, value: string | number, n: number): Array<[string, string]> {
  const entries = [...known];
  const g = String(value).toLowerCase();
  const score = ([v, name]: [string, string]): number => {
    if (typeof value === "number" && Number.isFinite(Number(v))) return Math.abs(Number(v) - value);
    return Math.min(distance(g, name.toLowerCase()), distance(g, v.toLowerCase()));
  };
  return entries.map((e, i) => ({ e, s: score(e), i })).sort((a, b) => a.s - b.s || a.i - b.i).slice(0, n).map((x) => x.e);
}

/**
 * Step 5, redaction: a credential given as a plain input (e.g. the API key
 * as an advertiser id) is never echoed: masked in the reason (also where a
 * message shortened the value), and reported without a property so Pulumi
 * does not print the value beside it.
 */
export function redactFailures(failures: CheckFailure[], news: Props | undefined): CheckFailure[] {
  const leaked = secretStrings(news);
  return failures.map((f) => {
    let reason = redactString(f.reason);
    // Whole, or as far as a message shortened it (to 200 characters, or 40 in older messages).
    for (const s of leaked) for (const part of [s, s.slice(0, 200), s.slice(0, 40)]) reason = reason.split(part).join(REDACTED);
    const topValue = f.property ? JSON.stringify(news?.[f.property] ?? "") : "";
    if (reason !== f.reason || leaked.some((s) => topValue.includes(JSON.stringify(s).slice(1, -1)))) return { property: "", reason: clipValues(reason) };
    // Pulumi prints a property's value beside the reason: none for a missing one (it printed `value {<nil>}`),
    // nor a long one (a 10,000-character name, 3,000 bids); the reason names the field.
    const v = f.property ? news?.[f.property] : undefined;
    const bare = f.property && (v === undefined || v === null || topValue.length > 200);
    return { property: bare ? "" : f.property, reason: clipValues(reason) };
  });
}

/**
 * The ResourceProvider that the host serves for `def` of `network`: every
 * method gets the network's context (its configured client), looked up by
 * network and account (core/config/context.ts).
 */
export function providerOf<Fs extends Fields, C>(typed: ResourceDef<Fs, C>, network: ResultsNetwork<C>, definition: DefinitionLookup): ProviderImpl {
  // The engine's side is untyped property maps: past check, they hold what the schema made.
  const def = typed as unknown as UntypedDef<C>;
  const fields = def.fields;
  const inputs = inputNames(fields);
  const outputs = outputNames(fields);
  const label = def.key.replace(":", ".");
  /** The context of the account the props name (each method's client is that account's). */
  const ctx = (props?: Props, account: string = accountIn(props)): Context<C> => contextFor(network, account);
  /** Any state shape this or an older version wrote, in this version's (amounts in major units: core/engine/upgrade.ts). */
  const upgrade = (p: Props) => {
    const s = strip(upgradeState(fields, p ?? {}, isOutdated(fields, p) ? currencyOf(p) : undefined));
    return def.upgrade ? def.upgrade(s) : s;
  };
  const currencyOf = (p: Props) => {
    try {
      return ctx(p).currency;
    } catch {
      return undefined; // an account no longer configured: USD's minor units (the read that follows says what is missing)
    }
  };
  const state = (p: Props) => upgrade(p);
  /** A new resource, or one whose declared inputs change (what diff reports, but for the stored shape: an upgrade sends nothing). */
  const hasChange = (prior: Props, next: Props) => !inputs.some((k) => prior[k] !== undefined) || changedFields(fields, prior, next).length > 0;
  const carried = (olds: Props) => pick(olds, outputs);
  return {
    ...(def.find ? { find: (n: Props, exclude: Set<string>) => def.find!(ctx(n), upgrade(n), exclude) } : {}),
    ...(def.list ? { list: (account?: string): Promise<ListedObject[]> => def.list!(ctx(undefined, account)) } : {}),
    async check(olds: Props, news: Props): Promise<CheckResult> {
      const c = new Checker(label);
      const given0 = strip(news);
      const account = accountIn(given0);
      // A named account that no config names fails here, with 0 requests (a typo must not write into another account).
      if (account !== DEFAULT_ACCOUNT && !accountConfigured(network.settings, account)) c.fail("account", unconfigured(network, account).message);
      // Step 0: the network's settings are read, so its credentials are registered for redaction before any message is written.
      const context = accountConfigured(network.settings, account) ? ctx(undefined, account) : ctx();
      c.currency = context.currency;
      const given = refuseCredentialInputs(c, label, fields, network.settings, given0);
      let out = schemaCheck(c, fields, given);
      const prior = upgrade(olds);
      out = crossFieldCheck(def, context, out, c, prior);
      const plan = readPlan(news);
      moneyChecks(def, prior, out, c, olds, context.currency, { name: currentResourceName() ?? label, confirmed: confirmedAmounts(), flagged: plan?.amounts });
      const runRefused = guardrailCheck(def, prior, out, c, plan, definition);
      await lookupCheck(network, context, label, fields, out, prior, c, olds?.[NAMES_KEY]);
      // Step 4c: the account's credentials, when every other step passed, the run is not refused anyway (the gate, a guardrail,
      // adnet-spend's report-only preview: nothing is sent then) and the resource has a change to make, judged after the lookups
      // turned names into the ids the state holds (in the engine's host only).
      if (!c.failures.length && !runRefused && isProviderHost() && hasChange(prior, out)) await verifyCredentials(network, context, c);
      // Results beside each change (core/money/hostResults.ts): counts this resource; the check that completes the set reads them.
      await resultsOnCheck(inputs.some((k) => prior[k] !== undefined), plan);
      return { inputs: clean(out), failures: redactFailures(c.failures as CheckFailure[], news) };
    },
    async diff(id: string, olds: Props, news: Props) {
      const o = state(olds);
      const n = strip(news);
      const changed = changedFields(fields, o, n);
      const replaces = replacingFields(fields, changed, o, n);
      if (def.replaceWhen && changed.length) for (const k of def.replaceWhen(o, n, changed)) if (!replaces.includes(k)) replaces.push(k);
      // Results beside each change (core/money/hostResults.ts): the diff that completes the set reads them (bounded, never fails).
      await resultsOnDiff(network, def.key, id, changed.length > 0, o, () => resultsCurrency(def, o, () => currencyOf(o)));
      // State written by an older version holds another provider text (the
      // serialized closure of core/engine/shim.ts) or amounts in the networks' units:
      // report a change so the engine stores the current shape; update then sends nothing.
      return { changes: changed.length > 0 || providerChanged(olds, news) || isOutdated(fields, olds), replaces, deleteBeforeReplace: false, stables: inputs.filter((k) => !changed.includes(k)) };
    },
    async create(news: Props) {
      const n = strip(news);
      const { id, outs } = await def.create(ctx(n), n);
      return { id: String(id), outs: clean({ ...n, ...(outs ?? {}) }) };
    },
    async read(id: string, props: Props) {
      const s = state(props ?? {});
      const prior = inputs.some((k) => s[k] !== undefined) ? s : undefined;
      // An import id of another account ("brandB:8140060"): the engine's import read carries no props.
      const named = prior ? { id } : splitImportId(id);
      const account = prior ? accountIn(prior) : named.account ?? DEFAULT_ACCOUNT;
      const rid = named.id;
      let remote: Props | undefined;
      try {
        remote = await def.read(ctx(undefined, account), rid, prior);
      } catch (e) {
        if (e instanceof ApiError && e.isNotFound) remote = undefined;
        // Pulumi prefixes errors of a refresh's preview with "Preview failed:": say what failed and that nothing changed.
        else throw new UserError(`could not read ${label} ${id} from the network, so the stack was left as it was (a refresh changes nothing until every read succeeds): ${(e as Error)?.message ?? e}`);
      }
      // An empty id tells the engine the object no longer exists.
      if (!remote) return { id: "", props: {} };
      // The object is in the account it was read from.
      if (account !== DEFAULT_ACCOUNT) remote = { ...remote, account };
      const aligned = alignRead(fields, remote, prior ? pick(prior, inputs) : undefined);
      // The host keeps the stored provider reference: state of an older version stays in its units until the next up upgrades it.
      const version = stateVersion(props);
      const shaped = (p: Props) => (version < 1 && isOutdated(fields, props) ? downgradeState(fields, p, version, currencyOf(props)) : p);
      return { id: rid, props: clean(shaped({ ...pick(remote, outputs), ...aligned })), inputs: clean(shaped(aligned)) };
    },
    async update(id: string, olds: Props, news: Props) {
      const o = state(olds);
      const n = strip(news);
      const changed = changedFields(fields, o, n);
      // Only the provider text or the state's shape changed (an upgrade from an older version):
      // nothing to send; keep the outputs the network computed.
      if (!changed.length) return { outs: clean({ ...o, ...n }) };
      const outs = await def.update(ctx(n), id, o, n, changed);
      return { outs: clean({ ...carried(o), ...n, ...(outs ?? {}) }) };
    },
    async delete(id: string, props: Props) {
      const s = state(props);
      onDelete(def, s, definition);
      try {
        await def.delete(ctx(s), id, s);
      } catch (e) {
        if (e instanceof ApiError && e.isNotFound) return;
        throw e;
      }
    },
  };
}
