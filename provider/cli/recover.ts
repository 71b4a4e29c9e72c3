#!/usr/bin/env node
/**
 * adnet-recover: repairs a stack after `pulumi up` or `pulumi destroy` was
 * killed (kill -9, a closed laptop, a CI timeout).
 *
 *   npx adnet-recover --stack dev [--cwd path/to/program]
 *
 * 1. in a file:// backend, repairs what the kill left half-written before
 *    the CLI reads it (a 0-byte or unparsable .attrs sidecar, which made
 *    every command fail with "failed to load checkpoint: EOF"; a 0-byte or
 *    truncated checkpoint, from its intact .bak; locks of the dead run),
 * 2. removes the dead deployment's lock (`pulumi cancel`),
 * 3. finds, for every pending create, whether the object exists on the
 *    network (by natural key, never an object the stack already owns),
 * 4. writes the state that `pulumi refresh --import-pending-creates URN ID
 *    ... --clear-pending-creates` would: adopted objects become resources
 *    (read from the network), the rest are dropped, and other pending
 *    operations (the deletes of a killed destroy) are cleared while their
 *    resources stay in state (`stack export`/`import`, so no language host
 *    is needed and any backend works).
 * Afterwards run the interrupted command again: `pulumi up` creates what is
 * still missing, exactly once; `pulumi destroy` deletes what is left.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { applyStackConfig } from "../core/config";
import { applyRecovery, planRecovery, RecoveryPlan } from "../core/pending";
import { backendUrl, fileBackendRoot, FileRepair, repairFileBackend } from "../core/filestate";

export interface RecoverOptions {
  stack: string;
  cwd: string;
  /** Environment for the pulumi CLI (backend, passphrase, PULUMI_HOME...). */
  env?: NodeJS.ProcessEnv;
  /** The pulumi executable (default: "pulumi" on PATH). */
  pulumi?: string;
  log?: (line: string) => void;
}

export interface RecoveryResult extends RecoveryPlan {
  /** What was repaired in a file:// backend (undefined for other backends). */
  files?: FileRepair;
}

export async function recover(o: RecoverOptions): Promise<RecoveryResult> {
  const log = o.log ?? ((l: string) => process.stderr.write(l + "\n"));
  const env = { ...process.env, ...(o.env ?? {}) };
  const root = fileBackendRoot(backendUrl(o.cwd, env));
  let files: FileRepair | undefined;
  if (root) {
    files = repairFileBackend(root, o.stack);
    for (const a of files.actions) log(`file backend: ${a}`);
    for (const p of files.problems) log(`file backend: cannot repair: ${p}`);
  }
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
  // Runs with the engine's checkpoints off keep their own record (core/journal.ts).
  for (const l of require("../core/journal").journalReport(projectOf(o.cwd, deployment), o.stack, deployment, o.cwd, env)) log(l);
  log(`pending creates: ${plan.adopt.length} found on the network (adopting), ${plan.drop.length} not created (dropping), ${plan.unknown.length} of other providers (dropping)`);
  for (const a of plan.adopt) log(`  adopt ${a.urn} = ${a.id}`);
  for (const d of plan.drop) log(`  drop  ${d}`);
  const deletes = plan.cleared.filter((c) => c.type === "deleting").length;
  if (plan.cleared.length) log(`other pending operations: ${plan.cleared.length} cleared (${deletes} deletes of a killed \`pulumi destroy\`; those resources stay in state)`);
  for (const c of plan.cleared) log(`  clear ${c.type} ${c.urn}`);
  if (plan.adopt.length || plan.drop.length || plan.unknown.length || plan.cleared.length) {
    const repaired = { ...exported, deployment: await applyRecovery(deployment, plan) };
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "adnet-recover-")), "state.json");
    fs.writeFileSync(file, JSON.stringify(repaired));
    try {
      run(["stack", "import", "--file", file]);
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
    log("state repaired");
  } else {
    log("no pending operations in state");
  }
  log(deletes
    ? "next: run `pulumi destroy` again (it was interrupted): it deletes what is left; objects already gone count as deleted"
    : "next: run the interrupted command again: `pulumi up` creates what is still missing, exactly once (after a killed `pulumi destroy`, run `pulumi destroy` again)");
  return { ...plan, files };
}

/** The project name: from a resource URN in the state, else Pulumi.yaml. */
function projectOf(cwd: string, deployment: any): string {
  const urn: string | undefined = deployment?.resources?.[0]?.urn;
  if (urn) return urn.split("::")[1];
  try {
    return /^name:\s*["']?([^"'\s#]+)/m.exec(fs.readFileSync(path.join(cwd, "Pulumi.yaml"), "utf8"))?.[1] ?? "";
  } catch {
    return "";
  }
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
