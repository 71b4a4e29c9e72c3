// First: Node.js and @pulumi/pulumi in the tested range (core/engine/compat.ts).
import "./core/engine/loadCheck";
import { loadNetwork, NETWORK_INDEX } from "./networkIndex";
import { providerOf, ProviderImpl, ResourceDef } from "./core/schema/define";
import { journaled } from "./core/engine/journal";
import { accountsKey, applyConfigure, ConfigSource } from "./core/config/config";
import { GUARDRAIL_SETTINGS } from "./core/money/spend";
import { RESULTS_SETTINGS } from "./core/money/results";
import type { NetworkDef } from "./core/config/network";

/**
 * What `pulumi-adnetworks/host` exposes to the provider references in state
 * (`provider(key)`) and to the serialized shims older versions wrote
 * (`call(key, method, args)`): the implementation of each resource type by
 * its key "<module>:<Type>", from the explicit network list
 * (provider/networks.ts -> <network>/network.ts -> the resource modules), and
 * `configure`, which keeps the stack config for the contexts' settings.
 * A network's modules load when a key of it is first asked for
 * (provider/networkIndex.ts): the host of an ExoClick stack loads ExoClick's.
 */

const cache = new Map<string, ProviderImpl>();

function lookup(key: string): { network: NetworkDef; def: ResourceDef } | undefined {
  const [mod, type] = key.split(":");
  const network: NetworkDef | undefined = loadNetwork(mod);
  const def = network && Object.prototype.hasOwnProperty.call(network.resources, type) ? network.resources[type] : undefined;
  return network && def ? { network, def } : undefined;
}

/** The resource definition (field schema and calls) of a type, or undefined for an unknown type. */
export function definition(key: string): ResourceDef | undefined {
  return lookup(key)?.def;
}

/** Every stack config key any network reads (its settings and its other accounts, `<network>:accounts`), plus the guardrails' own settings (adnetworks:*), which belong to no network. */
export function configKeys(): string[] {
  return [...Object.entries(NETWORK_INDEX).flatMap(([name, n]) => [...Object.values(n.settings()).map((s) => s.key), accountsKey(name)]), ...Object.values(GUARDRAIL_SETTINGS).map((s) => s.key), ...Object.values(RESULTS_SETTINGS).map((s) => s.key)];
}

export async function configure(req: { config?: ConfigSource }): Promise<void> {
  applyConfigure(req?.config, configKeys());
}

export function get(key: string): ProviderImpl {
  let impl = cache.get(key);
  if (impl) return impl;
  const found = lookup(key);
  if (!found) {
    throw new Error(`pulumi-adnetworks: no resource type ${key} in the installed version; state was written by a version that had it, install that version or newer`);
  }
  // With the engine's per-step checkpoints off, the host keeps its own journal of creates (core/engine/journal.ts).
  const secrets = Object.keys(found.def.fields).filter((k) => found.def.fields[k].secret);
  impl = journaled(key, providerOf(found.def, found.network, definition), get, secrets);
  cache.set(key, impl);
  return impl;
}

const METHODS = ["check", "diff", "create", "read", "update", "delete"] as const;
type Method = (...a: unknown[]) => unknown;
const providers = new Map<string, Record<string, Method>>();

/**
 * What the provider reference stored in state calls
 * (`require("pulumi-adnetworks/host").provider("exoclick:Campaign",1)`, see
 * core/engine/reference.ts): a ResourceProvider for the type. The number is the
 * version of the state's shape (core/engine/upgrade.ts), which the implementation
 * reads from the props it is given. Pulumi's stock
 * dynamic-provider host calls it once per distinct `__provider` text and
 * then `configure` once. The implementation is looked up on the first call
 * of a method, so an unknown type fails that call with a clear message.
 */
export function provider(key: string, _stateVersion?: number): Record<string, Method> {
  let p = providers.get(key);
  if (!p) {
    p = { configure: (req) => configure(req as { config?: ConfigSource }) };
    for (const m of METHODS) p[m] = (...args: unknown[]) => call(key, m, args);
    providers.set(key, p);
  }
  return p;
}

/**
 * What every serialized shim calls: `method` of type `key` with `args`.
 * State written before the provider reference holds a serialized closure
 * (core/engine/shim.ts) whose methods call this; it stays for that state.
 */
export function call(key: string, method: string, args: unknown[]): unknown {
  if (method === "configure") return configure(args[0] as { config?: ConfigSource });
  const impl = get(key) as unknown as Record<string, Method>;
  if (typeof impl[method] !== "function") throw new Error(`pulumi-adnetworks: ${key} has no method ${method}`);
  // An unreachable network is said in full once per process (core/http/http.ts).
  const { sayOnce } = require("./core/http/http") as typeof import("./core/http/http");
  return Promise.resolve(impl[method](...args)).catch((e) => {
    throw sayOnce(e);
  });
}

export function types(): string[] {
  return Object.keys(NETWORK_INDEX).flatMap((name) => Object.keys(loadNetwork(name)!.resources).map((t) => `${name}:${t}`));
}
