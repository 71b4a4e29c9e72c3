/**
 * The package as a source plugin: `PulumiPlugin.yaml` (runtime nodejs) at
 * the package root makes `pulumi package add <this package's directory or
 * git URL>` and a Pulumi.yaml `packages:` entry run the plugin through the
 * Node.js language host's RunPlugin, which starts
 * `@pulumi/pulumi/cmd/run-plugin` with the directory and the engine's
 * address: run-plugin `require`s the directory, that is package.json's
 * `main` (provider/index.ts, the library). The library starts the plugin
 * server only when run-plugin's runner itself required it (not when a
 * program, or another plugin, imports the package).
 */
import * as path from "path";

/** True when `mod` was required directly by `@pulumi/pulumi/cmd/run-plugin` (this package is the plugin run). */
export function startedByRunPlugin(mod: NodeModule, main: NodeModule | undefined = require.main): boolean {
  if (!main || !/[\\/]@pulumi[\\/]pulumi[\\/]cmd[\\/]run-plugin[\\/]index\.js$/.test(main.filename)) return false;
  const runner = require.cache[path.join(path.dirname(main.filename), "run.js")];
  return !!runner && runner.children.includes(mod);
}
