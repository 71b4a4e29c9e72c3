import type { ProviderImpl } from "./resource";
import { applyStackConfig, ConfigSource } from "./config";

/**
 * What `pulumi-adnetworks/host` exposes to the provider references in state
 * (`provider(key)`) and to the serialized shims older versions wrote
 * (`call(key, method, args)`): the
 * implementation of each resource type by its key "<module>:<Type>", loaded
 * on first use, and `configure`, which keeps the stack config for call-time
 * credential lookups.
 */
const loaders: Record<string, () => ProviderImpl> = {
  "exoclick:LibraryUrl": () => require("../exoclick/libraryUrl").provider,
  "exoclick:LibraryFile": () => require("../exoclick/libraryFile").provider,
  "exoclick:Campaign": () => require("../exoclick/campaign").provider,
  "exoclick:Variation": () => require("../exoclick/variation").provider,
  "affise:Offer": () => require("../affise/offer").provider,
  "affise:Postback": () => require("../affise/postback").provider,
  "interchange:Campaign": () => require("../interchange/campaign").provider,
  "integr8:Postback": () => require("../integr8/postback").provider,
  "integr8:OfferApplication": () => require("../integr8/offerApplication").provider,
  "topsort:Campaign": () => require("../topsort/campaign").provider,
};

/** Every stack config key any network reads. */
function configKeys(): string[] {
  const keys: string[] = [];
  for (const mod of ["../exoclick/client", "../affise/client", "../interchange/client", "../integr8/client", "../topsort/client"]) {
    keys.push(...Object.values(require(mod).SETTINGS as Record<string, { key: string }>).map((s) => s.key));
  }
  return keys;
}

export async function configure(req: { config?: ConfigSource }): Promise<void> {
  applyStackConfig(req?.config, configKeys());
}

export function get(key: string): ProviderImpl {
  const load = loaders[key];
  if (!load) {
    throw new Error(`pulumi-adnetworks: no resource type ${key} in the installed version; state was written by a version that had it, install that version or newer`);
  }
  return load();
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
  return Object.keys(loaders);
}
