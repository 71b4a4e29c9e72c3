import type { ProviderImpl, ResourceDef } from "./define";
import { applyConfigure, ConfigSource } from "./config";

/**
 * What `pulumi-adnetworks/host` exposes to the provider references in state:
 * the implementation of each resource type by its key "<module>:<Type>",
 * loaded on first use from the network manifest (provider/networks.ts), and
 * `configure`, which keeps the stack config for call-time credential lookups.
 */
function networks(): typeof import("../networks").NETWORKS {
  return require("../networks").NETWORKS;
}

const cache = new Map<string, ProviderImpl>();

function isDef(x: unknown): x is ResourceDef<any> {
  return !!x && typeof x === "object" && "fields" in x && "key" in x;
}

/** The resource definition (schema) of a type, or undefined for a type without one. */
export function definition(key: string): ResourceDef<any> | undefined {
  const [mod, type] = key.split(":");
  const load = networks().find((n) => n.name === mod)?.resources[type];
  const r = load?.();
  return isDef(r) ? r : undefined;
}

/** Every stack config key any network reads. */
function configKeys(): string[] {
  return networks().flatMap((n) => Object.values(n.settings).map((s) => s.key));
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
  const r = load();
  impl = isDef(r) ? require("./define").providerOf(r) as ProviderImpl : r;
  cache.set(key, impl);
  return impl;
}

/** What every serialized shim calls: `method` of type `key` with `args`. */
export function call(key: string, method: string, args: unknown[]): unknown {
  if (method === "configure") return configure(args[0] as { config?: ConfigSource });
  const impl = get(key) as unknown as Record<string, (...a: unknown[]) => unknown>;
  if (typeof impl[method] !== "function") throw new Error(`pulumi-adnetworks: ${key} has no method ${method}`);
  return impl[method](...args);
}

export function types(): string[] {
  return networks().flatMap((n) => Object.keys(n.resources).map((t) => `${n.name}:${t}`));
}

/**
 * The provider a reference in state (`core/reference.ts`) asks for: loaded by
 * Pulumi's dynamic-provider host with `requireFromString(text).handler()`.
 */
export function provider(key: string): Record<string, (...a: any[]) => unknown> {
  const p: Record<string, (...a: any[]) => unknown> = { configure: (req: { config?: ConfigSource }) => configure(req) };
  for (const m of ["check", "diff", "create", "read", "update", "delete"]) p[m] = (...a: unknown[]) => call(key, m, a);
  return p;
}
