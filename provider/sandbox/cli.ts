#!/usr/bin/env node
/**
 * adnet-sandbox: runs the ad-network emulators as a local server.
 *   npx adnet-sandbox --port 8787 [--data sandbox.json] [--journal journal.jsonl] [--latency-ms 25] [--faults "rate=0.1;seed=7"]
 */
import { startSandbox } from "./server";
import { EMULATORS } from "./networks";
import { sandboxCredentialsText } from "./config";
import { CommandSpec, exitWith, runCommand, str, UsageError } from "../cli/args";

/** Each network's sandbox base URL and credentials, of every account it serves, from the emulators' own list (sandbox/networks.ts). */
function credentialParagraphs(): string[] {
  return Object.entries(EMULATORS).map(([name, e]) => `${name}: base URL http://127.0.0.1:8787/${name}${e.path ?? ""}; ${sandboxCredentialsText(name, "")}.`);
}

export const SPEC: CommandSpec = {
  name: "adnet-sandbox",
  summary: "runs a local emulator of every network's API (ExoClick, Affise, Integr8, Topsort, Interchange) as one HTTP server",
  usage: ["[--port 8787] [--host 127.0.0.1] [--data <file>] [--journal <file>] [--latency-ms <ms>] [--faults <spec>]"],
  description: [
    "Each network is served under its own prefix (http://127.0.0.1:8787/exoclick/v2, /affise, /integr8, /topsort, /interchange), in two accounts with their own credentials and data (the default one and \"brandB\"); GET /__admin/inventory lists the live objects. Point a stack at it with `pulumi config set exoclick:baseUrl http://127.0.0.1:8787/exoclick/v2` and the sandbox's token; another account's settings go under `<network>:accounts` (pulumi config set --secret --path 'exoclick:accounts.brandB.apiToken' <token>, and its baseUrl the same way). Stops on Ctrl-C (SIGINT) or SIGTERM.",
    "The sandbox's credentials (stack config key = value; on another --port, change the port in the URLs):",
    ...credentialParagraphs(),
  ],
  options: [
    { name: "port", short: "p", value: "<port>", description: "Port to listen on (default: ADNET_SANDBOX_PORT, else 8787; 0 picks a free one)." },
    { name: "host", value: "<address>", description: "Address to listen on (default 127.0.0.1)." },
    { name: "data", value: "<file>", description: "Keep the objects in this JSON file, written through on every change, and load it at start (default: in memory only)." },
    { name: "journal", value: "<file>", description: "Append every request (method, path, body with credentials redacted) to this JSON-lines file." },
    { name: "latency-ms", value: "<ms>", description: "Add this many milliseconds to every response." },
    { name: "faults", value: "<spec>", description: 'Inject faults, e.g. "rate=0.2;kinds=429,503,reset,slow,lost;seed=7" (also ADNET_SANDBOX_FAULTS).' },
  ],
  examples: [
    "adnet-sandbox                                  # every network on http://127.0.0.1:8787",
    "adnet-sandbox --port 9000 --data sandbox.json  # keeps the objects across restarts",
    'adnet-sandbox --faults "rate=0.1;seed=7"        # 10% of requests fail, reproducibly',
  ],
};

function number(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`--${name} takes a whole number, got ${JSON.stringify(v)}`);
  return Number(v);
}

export function main(argv: string[]): Promise<number | undefined> {
  return runCommand<number | undefined>(SPEC, argv, async (values) => {
    const sb = await startSandbox({
      port: number("port", str(values, "port") ?? process.env.ADNET_SANDBOX_PORT) ?? 8787,
      host: str(values, "host") ?? "127.0.0.1",
      persistPath: str(values, "data"),
      journalPath: str(values, "journal"),
      latencyMs: number("latency-ms", str(values, "latency-ms")),
      faults: str(values, "faults"),
    });
    console.log(`adnet sandbox listening on ${sb.url}`);
    for (const n of Object.keys(sb.inventory())) console.log(`  ${n.padEnd(12)} ${sb.urlFor(n)}`);
    console.log(`  inventory    ${sb.url}/__admin/inventory`);
    const stop = async () => {
      await sb.close();
      process.exit(0);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    return undefined; // keeps serving
  });
}

if (require.main === module) exitWith(main(process.argv.slice(2)), SPEC.name);
