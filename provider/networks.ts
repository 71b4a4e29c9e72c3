import { network as affise } from "./affise/network";
import { network as exoclick } from "./exoclick/network";
import { network as integr8 } from "./integr8/network";
import { network as interchange } from "./interchange/network";
import { network as topsort } from "./topsort/network";
import type { NetworkDef } from "./core/config/network";

/**
 * Every network, by name: the one list that the registry (what the provider
 * host serves), the config keys, the docs generator, the sandbox's config,
 * adnet-import and the conformance tests read. Adding a network is its
 * folder, one import and one entry here, and one line in provider/index.ts
 * (the typed public API).
 */
export const NETWORKS = [affise, exoclick, integr8, interchange, topsort] as const;

/** The name of a listed network. */
export type NetworkName = (typeof NETWORKS)[number]["name"];

export function networkNamed(name: string): NetworkDef | undefined {
  return NETWORKS.find((n) => n.name === name);
}
