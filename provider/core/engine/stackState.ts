/**
 * The stack's resources as they are before this command changes anything,
 * read once per provider-host process from the Pulumi CLI that started it:
 * `pulumi stack export`, with the parent CLI's own binary, stack and
 * environment (backend, passphrase), as core/engine/stackConfig.ts reads the
 * config. Only the guardrails that compare before and after need it
 * (`adnetworks:maxDailyIncrease`); a host that never judges one never reads it.
 *
 * Reading while the command holds the stack's lock works (the export only
 * reads the checkpoint). It is read at the first `check` of a resource that
 * spends, synchronously: the host serves nothing else meanwhile, so no
 * resource that spends has changed in state yet. No secret is decrypted
 * (no --show-secrets).
 */
import { execFileSync } from "child_process";
import { debug } from "../config/log";
import { parentCli } from "./stackConfig";
import { thrown } from "../http/errors";

/** A stack's deployment as `pulumi stack export` and the backends hold it (the parts this package reads; the rest kept as is). */
export interface Deployment {
  resources?: Array<StateResource & { id?: string; outputs?: Record<string, unknown>; [key: string]: unknown }>;
  pending_operations?: Array<{ type: string; resource: StateResource & { id?: string; [key: string]: unknown } }>;
  [key: string]: unknown;
}

export interface StateResource {
  urn: string;
  type: string;
  inputs?: Record<string, unknown>;
  /** Marked for deletion (the old copy of a replaced resource). */
  delete?: boolean;
  /** URNs it depends on, and its parent (what `--target-dependents` follows). */
  dependencies?: string[];
  parent?: string;
}

let cached: { resources?: StateResource[]; error?: string; ms?: number } | undefined;

/** The stack's resources, or why they could not be read. Once per process. */
export function stackResources(): { resources?: StateResource[]; error?: string } {
  cached ??= load();
  return cached;
}

/** For tests: a given state (or undefined to read again). */
export function setStackResources(resources: StateResource[] | undefined, error?: string): void {
  cached = resources || error ? { resources, error } : undefined;
}

function load(): { resources?: StateResource[]; error?: string; ms?: number } {
  const cmd = parentCli();
  if (!cmd) return { error: "this provider host was not started by the Pulumi CLI" };
  const started = Date.now();
  try {
    const out = execFileSync(cmd.pulumi, ["stack", "export", "--non-interactive", ...cmd.args], {
      cwd: process.cwd(), timeout: 60_000, maxBuffer: 512 * 1024 * 1024, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"],
    });
    const resources: StateResource[] = JSON.parse(out)?.deployment?.resources ?? [];
    const ms = Date.now() - started;
    debug(`stack state: ${resources.length} resources from \`pulumi stack export\` in ${ms} ms`);
    return { resources, ms };
  } catch (e) {
    const why = String(thrown(e)?.stderr || thrown(e)?.message || e).trim().split("\n")[0];
    debug(`stack state: cannot read it (${why})`);
    return { error: `\`pulumi stack export\` failed: ${why}` };
  }
}
