import type { NetworkDef } from "./core/config/network";
import type { SettingSpec } from "./core/config/config";

/**
 * Every network of provider/networks.ts by name, each loaded when first
 * asked for: the provider host (provider/registry.ts) serves one request
 * type at a time, and a stack of ExoClick resources needs none of the other
 * networks' modules (issue #35: loading all five and their dependencies, qs,
 * i18n-iso-countries, currency-codes ..., cost the host about 0.15 s of CPU
 * per run). `settings` is the network's small settings module (the config
 * keys every network reads, for `configure`), without its resources and
 * client. Same names and order as NETWORKS (test/networks.test.ts checks it).
 */
export const NETWORK_INDEX: Readonly<Record<string, { network(): NetworkDef; settings(): Record<string, SettingSpec> }>> = {
  affise: {
    network: () => (require("./affise/network") as typeof import("./affise/network")).network,
    settings: () => (require("./affise/settings") as typeof import("./affise/settings")).settings,
  },
  exoclick: {
    network: () => (require("./exoclick/network") as typeof import("./exoclick/network")).network,
    settings: () => (require("./exoclick/settings") as typeof import("./exoclick/settings")).settings,
  },
  integr8: {
    network: () => (require("./integr8/network") as typeof import("./integr8/network")).network,
    settings: () => (require("./integr8/settings") as typeof import("./integr8/settings")).settings,
  },
  interchange: {
    network: () => (require("./interchange/network") as typeof import("./interchange/network")).network,
    settings: () => (require("./interchange/settings") as typeof import("./interchange/settings")).settings,
  },
  topsort: {
    network: () => (require("./topsort/network") as typeof import("./topsort/network")).network,
    settings: () => (require("./topsort/settings") as typeof import("./topsort/settings")).settings,
  },
};

/** The network named `name`, loaded now if it was not, or undefined for a name no network has. */
export function loadNetwork(name: string): NetworkDef | undefined {
  return Object.prototype.hasOwnProperty.call(NETWORK_INDEX, name) ? NETWORK_INDEX[name].network() : undefined;
}
