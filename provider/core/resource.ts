import type * as pulumi from "@pulumi/pulumi";
import { ApiError } from "./errors";
import { Checker, CheckFailure, containsUnknown, UNKNOWN } from "./validate";

type Props = Record<string, any>;

/**
 * What a resource type implements. The base turns it into a full dynamic
 * ResourceProvider with the project's contract:
 *  - check validates (no network) and normalises inputs (defaults applied),
 *  - diff compares only declared inputs and replaces on `replaceOn` fields,
 *  - read returns remote values in input shape, so out-of-band edits show as
 *    drift and `import` works; a 404 removes the resource from state,
 *  - update gets the changed fields only; delete treats 404 as done.
 */
export interface ResourceSpec {
  /** Pulumi type token parts: pulumi-nodejs:dynamic/<module>:<type>. */
  module: string;
  type: string;
  /** Input property names; the only ones that diff compares. */
  inputs: readonly string[];
  /**
   * Inputs the network cannot change in place. A dotted path ("budget.currency")
   * replaces when that nested value changes; the top-level input is reported.
   */
  replaceOn?: readonly string[];
  /** Inputs that are ignored by diff when the new value is undefined (server-defaulted). */
  optionalServerDefaults?: readonly string[];
  /** Validates with `c` and returns normalised inputs. Must not call the network. */
  check(news: Props, c: Checker, olds: Props): Props | Promise<Props>;
  create(inputs: Props): Promise<{ id: string; outs: Props }>;
  /** Remote state in output shape, or undefined when the object is gone. */
  read(id: string, state: Props): Promise<Props | undefined>;
  update(id: string, olds: Props, news: Props, changed: string[]): Promise<Props>;
  delete(id: string, state: Props): Promise<void>;
  /** Custom equality per input (e.g. order-insensitive lists). */
  equal?: Record<string, (a: unknown, b: unknown) => boolean>;
  /**
   * Finds the object a create with these inputs made, by natural key,
   * ignoring ids in `exclude` (owned by other resources). Used to recover
   * from a deployment killed while creating (see core/pending.ts).
   */
  find?(inputs: Props, exclude: Set<string>): Promise<string | undefined>;
  /** Upgrades any state shape an older version wrote. */
  upgrade?(state: Props): Props;
}

export type ProviderImpl = Required<Pick<pulumi.dynamic.ResourceProvider, "check" | "diff" | "create" | "read" | "update" | "delete">>;

function strip(props: Props | undefined): Props {
  const out: Props = {};
  for (const [k, v] of Object.entries(props ?? {})) if (!k.startsWith("__")) out[k] = v;
  return out;
}

/** Whether the stored provider text differs from the one the program declares now. */
export function providerChanged(olds: Props | undefined, news: Props | undefined): boolean {
  const o = olds?.__provider, n = news?.__provider;
  return typeof o === "string" && typeof n === "string" && o !== n;
}

/** Structural equality where a missing key equals undefined and null. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === undefined || a === null) && (b === undefined || b === null)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
    for (const k of keys) if (!deepEqual((a as Props)[k], (b as Props)[k])) return false;
    return true;
  }
  return false;
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

export function changedInputs(spec: ResourceSpec, olds: Props, news: Props): string[] {
  return spec.inputs.filter((k) => {
    if (news[k] === undefined && spec.optionalServerDefaults?.includes(k)) return false;
    if (containsUnknown(news[k])) return true;
    const eq = spec.equal?.[k] ?? deepEqual;
    return !eq(olds[k], news[k]);
  });
}

/** The value at a nested path; an unknown placeholder on the way stays unknown. */
function at(v: unknown, path: string[]): unknown {
  return path.reduce<unknown>((x, k) => (x === UNKNOWN ? x : x && typeof x === "object" ? (x as Props)[k] : undefined), v);
}

/** The changed inputs that force a replacement (see `replaceOn`). */
export function replacedInputs(spec: ResourceSpec, changed: string[], olds: Props, news: Props): string[] {
  const out: string[] = [];
  for (const p of spec.replaceOn ?? []) {
    const [top, ...rest] = p.split(".");
    if (!changed.includes(top) || out.includes(top)) continue;
    if (!rest.length) out.push(top);
    else {
      const nv = at(news[top], rest);
      if (containsUnknown(nv) || !deepEqual(at(olds[top], rest), nv)) out.push(top);
    }
  }
  return out;
}

export function defineResource(spec: ResourceSpec): ProviderImpl & { spec: ResourceSpec; find?(inputs: Props, exclude: Set<string>): Promise<string | undefined> } {
  const label = `${spec.module}.${spec.type}`;
  const upgrade = (p: Props) => (spec.upgrade ? spec.upgrade(strip(p)) : strip(p));
  return {
    spec,
    ...(spec.find ? { find: (inputs: Props, exclude: Set<string>) => spec.find!(strip(inputs), exclude) } : {}),
    async check(olds: Props, news: Props) {
      const c = new Checker(label);
      const n = strip(news);
      c.knownKeys(undefined, n, spec.inputs);
      let inputs: Props;
      try {
        inputs = await spec.check(n, c, strip(olds));
      } catch (e: any) {
        // A validator should never throw; if one does, surface it as a failure.
        return { inputs: n, failures: [...c.failures, { property: "", reason: String(e?.message ?? e) }] as CheckFailure[] };
      }
      return { inputs: clean(inputs), failures: c.failures };
    },
    async diff(_id: string, olds: Props, news: Props) {
      const o = upgrade(olds);
      const n = strip(news);
      const changed = changedInputs(spec, o, n);
      const replaces = replacedInputs(spec, changed, o, n);
      // State written by an older version holds another provider text (the
      // serialized closure of core/shim.ts). Report a change so the engine
      // stores the current reference; update then sends nothing (no changed
      // input) and nothing is replaced.
      const newProvider = providerChanged(olds, news);
      return { changes: changed.length > 0 || newProvider, replaces, deleteBeforeReplace: false, stables: spec.inputs.filter((k) => !changed.includes(k)) };
    },
    async create(inputs: Props) {
      const n = strip(inputs);
      const { id, outs } = await spec.create(n);
      return { id: String(id), outs: clean({ ...n, ...outs }) };
    },
    async read(id: string, props: Props) {
      const state = upgrade(props);
      let remote: Props | undefined;
      try {
        remote = await spec.read(id, state);
      } catch (e) {
        if (e instanceof ApiError && e.isNotFound) remote = undefined;
        else throw e;
      }
      // An empty id tells the engine the object no longer exists.
      if (!remote) return { id: "", props: {} } as any;
      return { id, props: clean(remote), inputs: clean(pick(remote, spec.inputs)) };
    },
    async update(id: string, olds: Props, news: Props) {
      const o = upgrade(olds);
      const n = strip(news);
      const changed = changedInputs(spec, o, n);
      // Only the provider text changed (an upgrade from an older version):
      // nothing to send; keep the outputs the network computed.
      if (!changed.length) return { outs: clean({ ...o, ...n }) };
      const outs = await spec.update(id, o, n, changed);
      return { outs: clean({ ...n, ...outs }) };
    },
    async delete(id: string, props: Props) {
      try {
        await spec.delete(id, upgrade(props));
      } catch (e) {
        if (e instanceof ApiError && e.isNotFound) return;
        throw e;
      }
    },
  };
}
