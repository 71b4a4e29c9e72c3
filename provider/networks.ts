import { network as affise } from "./affise/network";
import { network as exoclick } from "./exoclick/network";
import { network as integr8 } from "./integr8/network";
import { network as interchange } from "./interchange/network";
import { network as topsort } from "./topsort/network";
import type { NetworkDef } from "./core/config/network";

/**
 * Every network, by name: the one list that the docs generator, the
 * sandbox's config, adnet-import and the conformance tests read. The
 * registry (what the provider host serves) and the config keys read the
 * same networks through networkIndex.ts, which loads each on first use
 * (test/networks.test.ts checks both name the same networks in the same
 * order). Adding a network is its folder, one import and one entry here,
 * its entry in networkIndex.ts, and one line in provider/index.ts (the
 * typed public API).
 */
export const NETWORKS = [affise, exoclick, integr8, interchange, topsort] as const;

/** The name of a listed network. */
export type NetworkName = (typeof NETWORKS)[number]["name"];

export function networkNamed(name: string): NetworkDef | undefined {
  return NETWORKS.find((n) => n.name === name);
}
