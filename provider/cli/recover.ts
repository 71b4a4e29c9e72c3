#!/usr/bin/env node
/**
 * adnet-recover: repairs a stack after `pulumi up` was killed while creating.
 *
 *   npx adnet-recover --stack dev [--cwd path/to/program]
 *
 * 1. removes the dead deployment's lock (`pulumi cancel`),
 * 2. finds, for every pending create, whether the object exists on the
 *    network (by natural key, never an object the stack already owns),
 * 3. writes the state that `pulumi refresh --import-pending-creates URN ID
 *    ... --clear-pending-creates` would: adopted objects become resources
 *    (read from the network), the rest are dropped (`stack export`/`import`,
 *    so no language host is needed and any backend works).
 * Afterwards `pulumi up` creates what is still missing, exactly once.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { applyStackConfig } from "../core/config";
import { applyRecovery, planRecovery, RecoveryPlan } from "../core/pending";

export interface RecoverOptions {
  stack: string;
  cwd: string;
  /** Environment for the pulumi CLI (backend, passphrase, PULUMI_HOME...). */
  env?: NodeJS.ProcessEnv;
  /** The pulumi executable (default: "pulumi" on PATH). */
  pulumi?: string;
  log?: (line: string) => void;
}

export async function recover(o: RecoverOptions): Promise<RecoveryPlan> {
  const log = o.log ?? ((l: string) => process.stderr.write(l + "\n"));
  const env = { ...process.env, ...(o.env ?? {}) };
  const run = (args: string[]) => execFileSync(o.pulumi ?? "pulumi", [...args, "--stack", o.stack], { cwd: o.cwd, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
  try {
    run(["cancel", "--yes"]);
    log("removed the interrupted deployment's lock");
  } catch {
    // No lock, or the backend refuses: the refresh below says which.
  }
  const exported = JSON.parse(run(["stack", "export"]));
  const deployment = exported.deployment;
  const config = JSON.parse(run(["config", "--show-secrets", "--json"])) as Record<string, { value?: string }>;
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) if (typeof v?.value === "string") flat[k] = v.value;
  applyStackConfig(flat, Object.keys(flat));
  const plan = await planRecovery(deployment);
  log(`pending creates: ${plan.adopt.length} found on the network (adopting), ${plan.drop.length} not created (dropping), ${plan.unknown.length} of other providers (dropping)`);
  for (const a of plan.adopt) log(`  adopt ${a.urn} = ${a.id}`);
  for (const d of plan.drop) log(`  drop  ${d}`);
  if (plan.adopt.length || plan.drop.length || plan.unknown.length) {
    const repaired = { ...exported, deployment: await applyRecovery(deployment, plan) };
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "adnet-recover-")), "state.json");
    fs.writeFileSync(file, JSON.stringify(repaired));
    try {
      run(["stack", "import", "--file", file]);
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
    log("state repaired; run `pulumi up` to create what is still missing");
  } else {
    log("no pending creates: nothing to repair");
  }
  return plan;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (require.main === module) {
  const stack = arg("stack");
  if (!stack) {
    console.error("usage: adnet-recover --stack <name> [--cwd <program dir>]");
    process.exit(2);
  }
  recover({ stack, cwd: arg("cwd") ?? process.cwd(), pulumi: process.env.PULUMI_BIN })
    .then(() => process.exit(0))
    .catch((e) => {
      console.error(`adnet-recover: ${e?.stderr ?? e?.message ?? e}`);
      process.exit(1);
    });
}
