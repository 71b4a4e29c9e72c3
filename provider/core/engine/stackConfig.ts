/**
 * The current stack config, read from the Pulumi CLI that started this
 * provider host.
 *
 * Why: the engine configures the dynamic provider with the inputs of the
 * default `pulumi-nodejs` provider. During `pulumi up` and `preview` the
 * program runs and those inputs are the current stack config; during
 * `pulumi refresh` and `pulumi destroy` no program runs and the engine
 * configures the provider with the inputs recorded in state, i.e. the stack
 * config of the last `up`. (PULUMI_CONFIG in the host's environment carries
 * only the `pulumi-nodejs:` namespace.) So after
 * `pulumi config set --secret exoclick:apiToken <new>`, a refresh still used
 * the old token. The host therefore asks the CLI for the stack's config once
 * per process (not for a plain `up` or `preview`, whose configure() already
 * carries the current config; the lookup costs a CLI start, 0.3 to 1.7 s): `pulumi config --show-secrets --json --stack <stack>`, with
 * the parent CLI's own binary, stack and environment (backend, passphrase).
 * Values stay in this process's memory; secrets are registered for redaction.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { debug } from "../config/log";
import { thrown } from "../http/errors";

export interface CliCommand {
  pulumi: string;
  args: string[];
  verb?: string;
  stale?: boolean;
  /** `--target` URNs (globs as the CLI takes them) and `--target-dependents`: a destroy of part of the stack. */
  targets?: string[];
  targetDependents?: boolean;
  /** Run with `--policy-pack`: the engine asks the pack after the provider's checks. */
  policyPack?: boolean;
}

/** The parent CLI (binary and --stack) when this process was started by `pulumi`, from /proc. */
export function parentCli(ppid = process.ppid): CliCommand | undefined {
  let exe: string;
  let argv: string[];
  try {
    exe = fs.readlinkSync(`/proc/${ppid}/exe`);
    argv = fs.readFileSync(`/proc/${ppid}/cmdline`, "utf8").split("\0").filter(Boolean);
  } catch {
    return undefined;
  }
  if (!/^pulumi(\.exe)?$/.test(path.basename(exe))) return undefined;
  const policyPack = argv.some((a) => a === "--policy-pack" || a.startsWith("--policy-pack="));
  return { pulumi: exe, args: stackArgs(argv), verb: verb(argv), stale: engineConfigMayBeStale(argv), ...targetArgs(argv), ...(policyPack ? { policyPack } : {}) };
}

/** `--target X` / `-t X` / `--target=X` (repeatable) and `--target-dependents` as the parent was given them. */
export function targetArgs(argv: string[]): { targets?: string[]; targetDependents?: boolean } {
  const targets: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const m = /^(?:--target|-t)(?:=(.+))?$/.exec(argv[i]);
    if (!m) continue;
    const v = m[1] ?? argv[++i];
    if (v) targets.push(v);
  }
  const dependents = argv.some((a) => a === "--target-dependents" || a === "--target-dependents=true");
  return targets.length ? { targets, ...(dependents ? { targetDependents: true } : {}) } : {};
}

const VALUE_FLAGS = new Set(["-C", "--cwd", "-s", "--stack", "-t", "--target", "--color", "-v", "--verbose", "--tracing", "--profiling", "--memprofilerate", "--logflow"]);

/** The CLI's command (`up`, `refresh`, ...): the first argument that is neither a flag nor a flag's value. */
export function verb(argv: string[]): string | undefined {
  for (let i = 1; i < argv.length; i++) {
    if (argv[i].startsWith("-")) {
      if (VALUE_FLAGS.has(argv[i])) i++;
      continue;
    }
    return argv[i];
  }
  return undefined;
}

/**
 * Whether the engine's configure() may carry stale config: every command
 * but a plain `up` / `preview`, where the program runs and registers the
 * default provider with the current config (with `--refresh`, the refresh
 * part uses the provider recorded in state).
 */
export function engineConfigMayBeStale(argv: string[]): boolean {
  const v = verb(argv);
  const refresh = argv.some((a) => a === "-r" || a === "--refresh" || a === "--refresh=true");
  return !(v && ["up", "update", "preview", "pre"].includes(v)) || refresh;
}

/** `--stack X` as the parent was given it (`--stack X`, `--stack=X`, `-s X`, `-s=X`); none means the selected stack. */
export function stackArgs(argv: string[]): string[] {
  for (let i = 0; i < argv.length; i++) {
    const m = /^(?:--stack|-s)(?:=(.+))?$/.exec(argv[i]);
    if (!m) continue;
    const v = m[1] ?? argv[i + 1];
    if (v) return ["--stack", v];
  }
  return [];
}

/**
 * Runs `pulumi config --show-secrets --json`; key -> { value, secret }.
 * Synchronous on purpose: Pulumi's dynamic-provider host caches a provider
 * before its configure() finishes, so concurrent calls of the same type
 * would otherwise run before the config is in place.
 */
export function readStackConfig(cmd: CliCommand, cwd = process.cwd(), timeoutMs = 30_000): Record<string, { value?: string; secret?: boolean }> {
  let stdout: string;
  try {
    stdout = execFileSync(cmd.pulumi, ["config", "--show-secrets", "--json", "--non-interactive", ...cmd.args], {
      cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (e) {
    throw new Error(`pulumi config failed: ${String(thrown(e)?.stderr || thrown(e)?.message).split("\n")[0]}`);
  }
  return JSON.parse(stdout);
}

let current: { value: Record<string, string> | undefined } | undefined;

/**
 * The current stack config as flat `ns:key` -> value, once per process, or
 * undefined when this process was not started by the Pulumi CLI or the CLI
 * could not tell (then the engine's configure() values are used).
 */
export function currentStackConfig(): Record<string, string> | undefined {
  current ??= { value: load() };
  return current.value;
}

function load(): Record<string, string> | undefined {
  if (process.env.ADNET_STACK_CONFIG_FROM_CLI === "0") return undefined;
  const cmd = parentCli();
  if (!cmd || !cmd.stale) return undefined; // a plain up or preview: the engine's config is the current one
  const started = Date.now();
  try {
    const cfg = readStackConfig(cmd);
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(cfg)) if (typeof v?.value === "string") flat[k] = v.value;
    debug(`stack config: ${Object.keys(flat).length} keys from the CLI (${cmd.args.join(" ") || "selected stack"}) in ${Date.now() - started} ms`);
    return flat;
  } catch (e) {
    debug(`stack config: using the engine's provider config (${thrown(e)?.message ?? e})`);
    return undefined;
  }
}
