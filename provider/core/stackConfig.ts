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
 * per process: `pulumi config --show-secrets --json --stack <stack>`, with
 * the parent CLI's own binary, stack and environment (backend, passphrase).
 * Values stay in this process's memory; secrets are registered for redaction.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { debug } from "./log";

export interface CliCommand {
  pulumi: string;
  args: string[];
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
  return { pulumi: exe, args: stackArgs(argv) };
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

/** Runs `pulumi config --show-secrets --json`; key -> { value, secret }. */
export function readStackConfig(cmd: CliCommand, cwd = process.cwd(), timeoutMs = 30_000): Promise<Record<string, { value?: string; secret?: boolean }>> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd.pulumi,
      ["config", "--show-secrets", "--json", "--non-interactive", ...cmd.args],
      { cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`pulumi config failed: ${String(stderr || err.message).split("\n")[0]}`));
        try {
          resolve(JSON.parse(stdout));
        } catch (e) {
          reject(e);
        }
      },
    ).stdin?.end();
  });
}

let current: Promise<Record<string, string> | undefined> | undefined;

/**
 * The current stack config as flat `ns:key` -> value, once per process, or
 * undefined when this process was not started by the Pulumi CLI or the CLI
 * could not tell (then the engine's configure() values are used).
 */
export function currentStackConfig(): Promise<Record<string, string> | undefined> {
  current ??= (async () => {
    if (process.env.ADNET_STACK_CONFIG_FROM_CLI === "0") return undefined;
    const cmd = parentCli();
    if (!cmd) return undefined;
    try {
      const cfg = await readStackConfig(cmd);
      const flat: Record<string, string> = {};
      for (const [k, v] of Object.entries(cfg)) if (typeof v?.value === "string") flat[k] = v.value;
      debug(`stack config: ${Object.keys(flat).length} keys from the CLI (${cmd.args.join(" ") || "selected stack"})`);
      return flat;
    } catch (e: any) {
      debug(`stack config: using the engine's provider config (${e?.message ?? e})`);
      return undefined;
    }
  })();
  return current;
}
