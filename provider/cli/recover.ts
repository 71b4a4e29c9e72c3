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
 *    truncated checkpoint, from its intact .bak; locks of the dead run, which
 *    made the next `pulumi up` say "the stack is currently locked"; the
 *    temporary files of interrupted writes),
 * 2. removes the dead deployment's lock (`pulumi cancel`),
 * 3. finds, for every pending create, whether the object exists on the
 *    network (by natural key, never an object the stack already owns); one
 *    whose URN is still in state is a replacement in flight (create before
 *    delete): it is adopted as the replacement and the old one marked for
 *    deletion, as the engine marks it,
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
import { applyStackConfig } from "../core/config/config";
import { applyRecovery, planRecovery, RecoveryPlan } from "../core/engine/pending";
import * as registry from "../registry";
import { backendUrl, fileBackendRoot, FileRepair, KILLED_RUN_MESSAGES, repairFileBackend } from "../core/engine/filestate";
import { journalStore } from "../core/engine/journalStore";
import { CommandSpec, exitWith, required, runCommand, str } from "./args";
import { CWD_OPTION, findPulumi, pulumiError, pulumiOption } from "./pulumi";
import { thrown } from "../core/http/errors";
import type { Deployment } from "../core/engine/stackState";

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
  // A database backend that cannot be reached: say so (and what to do) before any command.
  await reachable(o.cwd, env, o.stack);
  const exported = JSON.parse(run(["stack", "export"]));
  // Runs with the engine's checkpoints off keep their own record (core/engine/journal.ts); a journal
  // of another stack or format stops here, before anything is written.
  const journal: string[] = await require("../core/engine/journal").journalReport(projectOf(o.cwd, exported.deployment), o.stack, exported.deployment, o.cwd, env);
  try {
    run(["cancel", "--yes"]);
    log("removed the interrupted deployment's lock");
  } catch {
    // No lock, or the backend refuses: the import below says which.
  }
  const deployment = exported.deployment;
  const config = JSON.parse(run(["config", "--show-secrets", "--json"])) as Record<string, { value?: string }>;
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) if (typeof v?.value === "string") flat[k] = v.value;
  applyStackConfig(flat, Object.keys(flat));
  const plan = await planRecovery(deployment, registry);
  for (const l of journal) log(l);
  log(`pending creates: ${plan.adopt.length} found on the network (adopting), ${plan.drop.length} not created (dropping), ${plan.unknown.length} of other providers (dropping)`);
  for (const a of plan.adopt) log(`  adopt ${a.urn} = ${a.id}${plan.replaced.includes(a.urn) ? " (a replacement in flight: the old one is marked for deletion, the next `pulumi up` deletes it)" : ""}`);
  for (const d of plan.drop) log(`  drop  ${d}`);
  const deletes = plan.cleared.filter((c) => c.type === "deleting").length;
  if (plan.cleared.length) log(`other pending operations: ${plan.cleared.length} cleared (${deletes} deletes of a killed \`pulumi destroy\`; those resources stay in state)`);
  for (const c of plan.cleared) log(`  clear ${c.type} ${c.urn}`);
  if (plan.adopt.length || plan.drop.length || plan.unknown.length || plan.cleared.length) {
    const repaired = { ...exported, deployment: await applyRecovery(deployment, plan, registry) };
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

export const SPEC: CommandSpec = {
  name: "adnet-recover",
  summary: "repairs a stack after `pulumi up` or `pulumi destroy` was killed",
  usage: ["--stack <stack> [--cwd <program dir>] [--pulumi <path>]"],
  description: [
    `Run it when the next plain \`pulumi up\` (or \`pulumi destroy\`) after a killed one says "${KILLED_RUN_MESSAGES.locked}" or "${KILLED_RUN_MESSAGES.eof}" (a file:// backend whose .attrs file the kill left empty).`,
    "In a file:// backend it first repairs what the kill left half-written (a 0-byte or unparsable .attrs sidecar, a 0-byte or truncated checkpoint, from its intact .bak; the dead run's locks; the temporary files of interrupted writes, such as a <stack>.json.<hex>.tmp), so the folder holds what a clean run leaves. Then it removes the lock (`pulumi cancel`), looks each pending create up on its network by natural key, adopts the objects that exist into state and drops the others, and clears the pending deletes of a killed destroy. It prints what it did and which command to run next: the interrupted one, again.",
    "It runs the Pulumi CLI in the program directory, with that stack's backend and config: log in first (`pulumi login file://...`) and set PULUMI_CONFIG_PASSPHRASE for a passphrase-encrypted stack.",
  ],
  options: [
    { name: "stack", value: "<stack>", description: "The stack whose `pulumi up` or `pulumi destroy` was killed. Required." },
    CWD_OPTION,
    pulumiOption(),
  ],
  examples: [
    "adnet-recover --stack dev                  # then run the interrupted `pulumi up` again",
    "adnet-recover --stack prod --cwd ./infra   # then `pulumi destroy` again after a killed destroy",
  ],
};

export function main(argv: string[]): Promise<number> {
  return runCommand(SPEC, argv, async (values) => {
    const stack = required(values, "stack", "<stack>");
    const cwd = path.resolve(str(values, "cwd") ?? process.cwd());
    const pulumi = findPulumi({ explicit: str(values, "pulumi"), cwd });
    try {
      await recover({ stack, cwd, pulumi: pulumi.bin, env: { PATH: pulumi.env.PATH } });
    } catch (e) {
      throw thrown(e)?.stderr !== undefined || thrown(e)?.code === "ENOENT" ? pulumiError("the Pulumi CLI", e) : e;
    }
    return 0;
  });
}

/** For a postgres:// or s3:// backend, fails with what to do when it cannot be reached. */
async function reachable(cwd: string, env: NodeJS.ProcessEnv, stack: string): Promise<void> {
  const url = backendUrl(cwd, env);
  if (!url || !/^(postgres(ql)?|s3):\/\//i.test(url)) return;
  const store = journalStore(projectOf(cwd, undefined), stack, cwd, env);
  try {
    await store.runs();
  } finally {
    await store.close();
  }
}

/** The project name: from a resource URN in the state, else Pulumi.yaml. */
function projectOf(cwd: string, deployment: Deployment | undefined): string {
  const urn: string | undefined = deployment?.resources?.[0]?.urn;
  if (urn) return urn.split("::")[1];
  try {
    return /^name:\s*["']?([^"'\s#]+)/m.exec(fs.readFileSync(path.join(cwd, "Pulumi.yaml"), "utf8"))?.[1] ?? "";
  } catch {
    return "";
  }
}

if (require.main === module) exitWith(main(process.argv.slice(2)), SPEC.name);
