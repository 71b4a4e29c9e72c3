#!/usr/bin/env node
/**
 * The `pulumi-resource-adnetworks` plugin's entry point. The engine starts
 * it with its own address as the last argument (after flags such as
 * `--logtostderr` or `-v=9`), reads the port from the first line of stdout,
 * and talks `pulumirpc.ResourceProvider` to it (plugin/server.ts). Run as
 * the executable (the bin, the plugin tarball's launcher), or from the
 * package's main when the language host runs the package as a source
 * plugin (plugin/source.ts).
 */
import { exitWhenParentDies } from "../core/engine/parent";
import { enableReadCache } from "../core/http/readcache";
import { serve } from "./server";

/** What `pulumi-resource-adnetworks --help` prints: the engine starts the plugin; a person only asks what it is. */
export const USAGE = `usage: pulumi-resource-adnetworks [engine flags] <engine address>

The adnetworks resource provider plugin (ExoClick, Affise, Integr8, Topsort,
Interchange). The Pulumi engine starts it and reads the port it serves on
from its first line of output; you do not run it by hand. Install it with
\`npm install pulumi-adnetworks\` (a program imports pulumi-adnetworks/plugin),
\`pulumi package add <path or git URL>\`, or \`pulumi plugin install resource
adnetworks <version> --file <tarball>\` (docs/plugin.md).
`;

export async function main(argv: string[]): Promise<void> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(USAGE);
    return;
  }
  const engineAddress = [...argv].reverse().find((a) => !a.startsWith("-")) ?? "";
  exitWhenParentDies();
  // One process per provider instance and command, as the dynamic host: reads of many objects of a kind share one listing.
  enableReadCache();
  const { port } = await serve(engineAddress);
  // The port, as a plain string (no colours), is how the engine finds the server.
  process.stdout.write(`${port}\n`);
}

export function start(argv: string[]): void {
  main(argv).catch((e) => {
    process.stderr.write(`pulumi-resource-adnetworks: ${e?.stack ?? e}\n`);
    process.exit(1);
  });
}

if (require.main === module) start(process.argv.slice(2));
