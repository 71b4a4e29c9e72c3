import * as fs from "fs";
import * as path from "path";
import type { NetworkDef } from "./core/network";

/**
 * Every network: each folder of provider/ with a `network` module (its
 * `defineNetwork(...)` declaration), by name. Adding a network is its
 * folder plus one line in provider/index.ts (`export * as <name> from
 * "./<name>"`, the typed public API).
 */
export const NETWORKS: NetworkDef[] = fs
  .readdirSync(__dirname, { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(__dirname, d.name, "network.js")))
  .map((d) => d.name)
  .sort()
  .map((name) => require(`./${name}/network`).network as NetworkDef | undefined)
  .filter((n): n is NetworkDef => !!n); // core/network.ts declares the type, not a network

export function networkNamed(name: string): NetworkDef | undefined {
  return NETWORKS.find((n) => n.name === name);
}
