import type { NetworkDef } from "./core/network";

/** Every network. Adding a network: its folder, with a `network.ts`, plus one line here. */
export const NETWORKS: NetworkDef[] = [
  require("./exoclick/network").network,
  require("./affise/network").network,
  require("./integr8/network").network,
  require("./topsort/network").network,
  require("./interchange/network").network,
];

export function networkNamed(name: string): NetworkDef | undefined {
  return NETWORKS.find((n) => n.name === name);
}
