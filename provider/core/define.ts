/**
 * The resource contract, driven by a field schema (core/schema.ts). A
 * resource declares its fields once and hand-writes only what the network
 * makes special: cross-field rules, status machines, sub-resources, and the
 * calls themselves. From the declaration:
 *  - check validates without the network and applies defaults, so what `read`
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
import { ApiError, UserError } from "./errors";
import { containsSecret, REDACTED, redactString } from "./redact";
import { onCheck, onDelete } from "./hostGuard";
import { readPlan } from "./plan";
import { clipValues } from "./text";
import { Checker, CheckFailure } from "./validate";
import { isSecretKey } from "./redact";
import {
  alignRead, changedFields, checkFields, Fields, InputsOf, inputNames, outputNames, replacingFields, StateOf,
} from "./schema";

type Props = Record<string, any>;

export interface ResourceDef<Fs extends Fields = Fields> {
  /** "<module>:<Type>", e.g. "exoclick:Campaign"; the Pulumi type is pulumi-nodejs:dynamic/<module>:<Type>. */
  key: string;
  /** What the resource is, for the docs. */
  doc: string;
  /** The import id format, for the docs, e.g. "the numeric campaign id". */
  importId: string;
  fields: Fs;
  /** Rules across fields, after every field passed its own; may adjust the inputs. Must not call the network. */
  check?(inputs: InputsOf<Fs>, c: Checker, olds: Partial<StateOf<Fs>>): InputsOf<Fs> | void;
  /**
   * Rules between this resource and the ones its `ref` fields name, run in
   * the program when it declares both (core/guard.ts): each problem, a
   * sentence naming the resources, fails their checks at preview.
   */
  relate?: import("./guard").GateDef["relate"];
  /** Replacements beyond `replaceOnChange` (e.g. a value that may change in place only one way). */
  replaceWhen?(olds: StateOf<Fs>, news: InputsOf<Fs>, changed: string[]): string[];
  create(inputs: InputsOf<Fs>): Promise<{ id: string; outs?: Partial<StateOf<Fs>> }>;
  /**
   * The remote object in input shape plus computed outputs, or undefined when
   * it is gone. `state` is undefined on import (nothing known yet).
   */
  read(id: string, state: StateOf<Fs> | undefined): Promise<Partial<StateOf<Fs>> | undefined>;
  /** Applies the changed inputs; returns computed outputs that changed. */
  update(id: string, olds: StateOf<Fs>, news: InputsOf<Fs>, changed: string[]): Promise<Partial<StateOf<Fs>> | void>;
  delete(id: string, state: StateOf<Fs>): Promise<void>;
  /**
   * Finds the object a create with these inputs made, by natural key,
   * ignoring ids in `exclude` (owned by other resources). Used to recover
   * from a deployment killed while creating (core/pending.ts).
   */
  find?(inputs: InputsOf<Fs>, exclude: Set<string>): Promise<string | undefined>;
  /**
   * Every live object of this type in the account, as `read` would report
   * it (input shape plus outputs), with the id `import` takes. Used to turn
   * an account into code (adnet-import). Read-only.
   * An object the account keeps but that is not live (archived, deleted
   * with a soft delete) may be listed with `skip` saying why ("archived"):
   * adnet-import reports it and writes no code for it.
   */
  list?(): Promise<Array<{ id: string; state: Partial<StateOf<Fs>>; skip?: string }>>;
  /**
   * Special spend rules (core/spend.ts): adjusts what the schema's spend roles
   * give, e.g. a budget whose meaning depends on another field. Most types
   * need none.
   */
  spend?(inputs: Record<string, any>, base: import("./spend").Spend): import("./spend").Spend | undefined;
  /** Upgrades any state shape an older version wrote. */
  upgrade?(state: Props): Props;
}

export type ProviderImpl = Required<Pick<pulumi.dynamic.ResourceProvider, "check" | "diff" | "create" | "read" | "update" | "delete">> & {
  find?(inputs: Props, exclude: Set<string>): Promise<string | undefined>;
};

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

/** Drops undefined values (protobuf Structs cannot carry them), deeply. */
export function clean<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clean) as unknown as T;
  if (v && typeof v === "object") {
    const out: Props = {};
    for (const [k, x] of Object.entries(v as Props)) if (x !== undefined) out[k] = clean(x);
    return out as T;
  }
  return v;
}

export function pick(props: Props, keys: readonly string[]): Props {
  const out: Props = {};
  for (const k of keys) if (props[k] !== undefined) out[k] = props[k];
  return out;
}

/** Where a network's credentials go: its secret settings (stack config, environment). */
function credentialsHint(key: string): string {
  const module = key.split(":")[0];
  let settings: Array<{ key: string; env: string; secret?: boolean }> = [];
  try {
    settings = Object.values(require("../networks").networkNamed(module)?.settings ?? {});
  } catch {
    // No manifest (a definition outside the package): the generic hint below.
  }
  const secret = settings.filter((s) => s.secret);
  if (!secret.length) return "set them in stack config (pulumi config set --secret) or the environment";
  return `set ${secret.map((s) => `stack config ${s.key} (pulumi config set --secret ${s.key} <value>) or environment ${s.env}`).join(", or ")}`;
}

/** Whether the stored provider text differs from the one the program declares now. */
export function providerChanged(olds: Props | undefined, news: Props | undefined): boolean {
  const o = olds?.__provider, n = news?.__provider;
  return typeof o === "string" && typeof n === "string" && o !== n;
}

/** The ResourceProvider that the host serves for `def`. */
export function providerOf<Fs extends Fields>(def: ResourceDef<Fs>): ProviderImpl {
  const fields = def.fields;
  const inputs = inputNames(fields);
  const outputs = outputNames(fields);
  const label = def.key.replace(":", ".");
  const upgrade = (p: Props) => (def.upgrade ? def.upgrade(strip(p)) : strip(p));
  const state = (p: Props): any => upgrade(p);
  const carried = (olds: Props) => pick(olds, outputs);
  return {
    ...(def.find ? { find: (n: Props, exclude: Set<string>) => def.find!(strip(n) as InputsOf<Fs>, exclude) } : {}),
    async check(olds: Props, news: Props) {
      const c = new Checker(label);
      const given = strip(news);
      for (const k of Object.keys(given)) {
        if (k in fields || !isSecretKey(k)) continue;
        // A credential pasted into the program: say where it goes, never echo it.
        c.fail("", `${k} is not an input of ${label}: credentials are never resource inputs (inputs are stored in state in clear); ${credentialsHint(def.key)}. The value is not shown`);
        delete given[k];
      }
      let out: any = checkFields(c, fields, given);
      if (def.check) {
        try {
          out = def.check(out, c, upgrade(olds) as any) ?? out;
        } catch (e: any) {
          // A rule should never throw; if one does, surface it as a failure.
          c.fail("", String(e?.message ?? e));
        }
      }
      onCheck(def, upgrade(olds), out, c, readPlan(news));
      // A credential given as a plain input (e.g. the API key as an advertiser id) is never echoed:
      // masked in the reason (also where a message shortened the value), and reported without a
      // property so Pulumi does not print the value beside it.
      const leaked = secretStrings(news);
      const failures = (c.failures as CheckFailure[]).map((f) => {
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
      return { inputs: clean(out), failures };
    },
    async diff(_id: string, olds: Props, news: Props) {
      const o = state(olds);
      const n: any = strip(news);
      const changed = changedFields(fields, o, n);
      const replaces = replacingFields(fields, changed, o, n);
      if (def.replaceWhen && changed.length) for (const k of def.replaceWhen(o, n, changed)) if (!replaces.includes(k)) replaces.push(k);
      // State written by an older version holds another provider text (the
      // serialized closure of core/shim.ts): report a change so the engine
      // stores the current reference; update then sends nothing.
      return { changes: changed.length > 0 || providerChanged(olds, news), replaces, deleteBeforeReplace: false, stables: inputs.filter((k) => !changed.includes(k)) };
    },
    async create(news: Props) {
      const n: any = strip(news);
      const { id, outs } = await def.create(n);
      return { id: String(id), outs: clean({ ...n, ...(outs ?? {}) }) };
    },
    async read(id: string, props: Props) {
      const s = state(props ?? {});
      const prior = inputs.some((k) => s[k as keyof typeof s] !== undefined) ? s : undefined;
      let remote: Props | undefined;
      try {
        remote = await def.read(id, prior);
      } catch (e: any) {
        if (e instanceof ApiError && e.isNotFound) remote = undefined;
        // Pulumi prefixes errors of a refresh's preview with "Preview failed:": say what failed and that nothing changed.
        else throw new UserError(`could not read ${label} ${id} from the network, so the stack was left as it was (a refresh changes nothing until every read succeeds): ${e?.message ?? e}`);
      }
      // An empty id tells the engine the object no longer exists.
      if (!remote) return { id: "", props: {} } as any;
      const aligned = alignRead(fields, remote, prior ? pick(prior, inputs) : undefined);
      return { id, props: clean({ ...pick(remote, outputs), ...aligned }), inputs: clean(aligned) };
    },
    async update(id: string, olds: Props, news: Props) {
      const o = state(olds);
      const n: any = strip(news);
      const changed = changedFields(fields, o, n);
      // Only the provider text changed (an upgrade from an older version):
      // nothing to send; keep the outputs the network computed.
      if (!changed.length) return { outs: clean({ ...o, ...n }) };
      const outs = await def.update(id, o, n, changed);
      return { outs: clean({ ...carried(o), ...n, ...(outs ?? {}) }) };
    },
    async delete(id: string, props: Props) {
      onDelete(def, state(props));
      try {
        await def.delete(id, state(props));
      } catch (e) {
        if (e instanceof ApiError && e.isNotFound) return;
        throw e;
      }
    },
  };
}
