#!/usr/bin/env node
/**
 * adnet-sandbox: runs the ad-network emulators as a local server.
 *   npx adnet-sandbox --port 8787 [--data sandbox.json] [--journal journal.jsonl] [--latency-ms 25] [--faults "rate=0.1;seed=7"]
 */
import { startSandbox } from "./server";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  if (process.argv.includes("--help")) {
    console.log("usage: adnet-sandbox [--port 8787] [--host 127.0.0.1] [--data state.json] [--journal journal.jsonl] [--latency-ms N] [--faults SPEC]");
    return;
  }
  const sb = await startSandbox({
    port: Number(arg("port") ?? process.env.ADNET_SANDBOX_PORT ?? 8787),
    host: arg("host") ?? "127.0.0.1",
    persistPath: arg("data"),
    journalPath: arg("journal"),
    latencyMs: arg("latency-ms") !== undefined ? Number(arg("latency-ms")) : undefined,
    faults: arg("faults"),
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
}

main().catch((e) => {
  console.error(e?.message ?? e);
  process.exit(1);
});
