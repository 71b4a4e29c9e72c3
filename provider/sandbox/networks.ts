import type { NetworkEmulator } from "./server";

/** Every network's emulator, freshly made (from the network manifest). */
export function defaultNetworks(): NetworkEmulator[] {
  return require("../networks").NETWORKS.map((n: { emulator(): NetworkEmulator }) => n.emulator());
}
