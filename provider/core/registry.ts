import type { ProviderImpl, ResourceDef } from "./define";
import { applyConfigure, ConfigSource } from "./config";

/**
 * What `pulumi-adnetworks/host` exposes to the provider references in state
 * (`provider(key)`) and to the serialized shims older versions wrote
 * (`call(key, method, args)`): the implementation of each resource type by
 * its key "<module>:<Type>", loaded on first use from the network manifest
 * (provider/networks.ts), and `configure`, which keeps the stack config for
 * call-time credential lookups.
 */
function networks(): typeof import("../networks").NETWORKS {
  return require("../networks").NETWORKS;
}

const cache = new Map<string, ProviderImpl>();

/** The resource definition (field schema and calls) of a type, or undefined for an unknown type. */
export function definition(key: string): ResourceDef<any> | undefined {
  const [mod, type] = key.split(":");
  return networks().find((n) => n.name === mod)?.resources[type]?.();
}

/** Every stack config key any network reads. */
function configKeys(): string[] {
  // Plus the guardrails' own settings (adnetworks:*), which belong to no network.
  const guardrails: typeof import("./spend").GUARDRAIL_SETTINGS = require("./spend").GUARDRAIL_SETTINGS;
  return [...networks().flatMap((n) => Object.values(n.settings).map((s) => s.key)), ...Object.values(guardrails).map((s) => s.key)];
}

export async function configure(req: { config?: ConfigSource }): Promise<void> {
  applyConfigure(req?.config, configKeys());
}

export function get(key: string): ProviderImpl {
  let impl = cache.get(key);
  if (impl) return impl;
  const [mod, type] = key.split(":");
  const load = networks().find((n) => n.name === mod)?.resources[type];
  if (!load) {
    throw new Error(`pulumi-adnetworks: no resource type ${key} in the installed version; state was written by a version that had it, install that version or newer`);
  }
  const def = load();
  // With the engine's per-step checkpoints off, the host keeps its own journal of creates (core/journal.ts).
  impl = require("./journal").journaled(key, require("./define").providerOf(def), get, Object.keys(def.fields).filter((k) => def.fields[k].secret)) as ProviderImpl;
  cache.set(key, impl);
  return impl;
}

const METHODS = ["check", "diff", "create", "read", "update", "delete"] as const;
const providers = new Map<string, Record<string, (...a: any[]) => unknown>>();

/**
 * What the provider reference stored in state calls
 * (`require("pulumi-adnetworks/host").provider("exoclick:Campaign")`, see
 * core/reference.ts): a ResourceProvider for the type. Pulumi's stock
 * dynamic-provider host calls it once per distinct `__provider` text and
 * then `configure` once. The implementation is loaded on the first call of a
 * method, so an unknown type fails that call with a clear message.
 */
export function provider(key: string): Record<string, (...a: any[]) => unknown> {
  let p = providers.get(key);
  if (!p) {
    p = { configure: (req: { config?: ConfigSource }) => configure(req) };
    for (const m of METHODS) p[m] = (...args: unknown[]) => call(key, m, args);
    providers.set(key, p);
  }
  return p;
}

/**
 * What every serialized shim calls: `method` of type `key` with `args`.
 * State written before the provider reference holds a serialized closure
 * (core/shim.ts) whose methods call this; it stays for that state.
 */
export function call(key: string, method: string, args: unknown[]): unknown {
  if (method === "configure") return configure(args[0] as { config?: ConfigSource });
  const impl = get(key) as unknown as Record<string, (...a: unknown[]) => unknown>;
  if (typeof impl[method] !== "function") throw new Error(`pulumi-adnetworks: ${key} has no method ${method}`);
  return impl[method](...args);
}

export function types(): string[] {
  return networks().flatMap((n) => Object.keys(n.resources).map((t) => `${n.name}:${t}`));
}
