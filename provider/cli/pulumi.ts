/**
 * The Pulumi CLI the adnet-* commands run, found the same way by each:
 *
 *   1. `--pulumi <path>`, then the PULUMI_BIN environment variable;
 *   2. the project's own `.tools/bin/pulumi` (what `npx adnet-setup` or
 *      `npm run setup:pulumi` installs), in the program directory or the
 *      nearest directory above it that has one;
 *   3. this package's `.tools/bin/pulumi` (a clone of this repository);
 *   4. `pulumi` on PATH (a Pulumi CLI installed the ordinary way).
 *
 * The CLI runs with its own directory first on PATH, so it finds the
 * plugins installed beside it (the dynamic-provider launcher, the language
 * host). Failures say what to run: no CLI, no backend logged in, no
 * passphrase.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { OptionSpec } from "./args";
import { applyStackConfig } from "../core/config/config";
import { settingsOf } from "../plugin/config";
import { thrown, Thrown } from "../core/http/errors";

export interface PulumiCommand {
  /** The executable to run. */
  bin: string;
  /** Where it was found, for messages. */
  source: string;
  /** Environment for it: the given one with the CLI's directory first on PATH. */
  env: NodeJS.ProcessEnv;
}

const PACKAGE_ROOT = path.resolve(__dirname, "..", "..", "..");

function executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The `--pulumi <path>` option of every command that runs the Pulumi CLI (`for` says when, e.g. "for --stack"). */
export function pulumiOption(when = ""): OptionSpec {
  return { name: "pulumi", value: "<path>", description: `The Pulumi CLI to run${when ? ` ${when}` : ""} (default: PULUMI_BIN, the project's .tools/bin/pulumi, else pulumi on PATH).` };
}

/** The `--cwd <dir>` option: the program directory. */
export const CWD_OPTION: OptionSpec = { name: "cwd", value: "<dir>", description: "The program directory (where Pulumi.yaml is; default: the current directory)." };

/** The nearest `.tools/bin/pulumi` at or above `dir`. */
export function projectPulumi(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const candidate = path.join(d, ".tools", "bin", "pulumi");
    if (executable(candidate)) return candidate;
    if (path.dirname(d) === d) return undefined;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (dir && executable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

export function findPulumi(o: { explicit?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): PulumiCommand {
  const env = { ...process.env, ...(o.env ?? {}) };
  let bin: string | undefined;
  let source = "";
  if (o.explicit) [bin, source] = [o.explicit, "--pulumi"];
  else if (env.PULUMI_BIN) [bin, source] = [env.PULUMI_BIN, "PULUMI_BIN"];
  else {
    const project = projectPulumi(o.cwd ?? process.cwd());
    const own = path.join(PACKAGE_ROOT, ".tools", "bin", "pulumi");
    if (project) [bin, source] = [project, "the project's .tools/bin"];
    else if (executable(own)) [bin, source] = [own, "pulumi-adnetworks' .tools/bin"];
    else {
      const found = onPath("pulumi", env);
      if (found) [bin, source] = [found, "PATH"];
    }
  }
  if (!bin) {
    throw new Error(
      "no Pulumi CLI found: run `npx adnet-setup` in your project (installs one into .tools/bin), install it from pulumi.com, or name one with --pulumi <path> or PULUMI_BIN",
    );
  }
  if (bin.includes(path.sep)) {
    bin = path.resolve(o.cwd ?? process.cwd(), bin);
    env.PATH = `${path.dirname(bin)}${path.delimiter}${env.PATH ?? ""}`;
  }
  return { bin, source, env };
}

/**
 * What to do about a failed Pulumi command, from its error output: the
 * lines to add to the message (none when nothing is recognised).
 */
export function pulumiHints(stderr: string): string[] {
  const hints: string[] = [];
  if (/PULUMI_ACCESS_TOKEN must be set|not logged in|no credentials|pulumi login/i.test(stderr)) {
    hints.push(
      "No Pulumi backend is logged in. For state on this machine: `pulumi login --local` (keeps it in ~/.pulumi),",
      "or `pulumi login file://<an existing directory>`; for Pulumi Cloud: `pulumi login`. Or set PULUMI_BACKEND_URL for this shell.",
    );
  }
  if (/passphrase/i.test(stderr)) {
    hints.push("The stack's secrets need its passphrase: `export PULUMI_CONFIG_PASSPHRASE=...` (or PULUMI_CONFIG_PASSPHRASE_FILE).");
  }
  if (/no Pulumi\.yaml project file found|could not find.*Pulumi\.yaml/i.test(stderr)) {
    hints.push("No Pulumi project here: run the command in your program's directory, or pass --cwd <program dir>.");
  }
  if (/no stack (named|selected)|stack .* not found|No current stack/i.test(stderr)) {
    hints.push("Name the stack with --stack <stack> (`pulumi stack ls` lists them).");
  }
  return hints;
}

/** An Error for a failed Pulumi command: its own message, then the hints. */
export function pulumiError(what: string, e: unknown): Error {
  const t = thrown(e) as Thrown & { path?: unknown };
  if (t.code === "ENOENT") return new Error(`cannot run the Pulumi CLI (${t.path ?? "pulumi"}: not found). Run \`npx adnet-setup\`, install it from pulumi.com, or name one with --pulumi <path>.`);
  const stderr = String(t.stderr ?? "").trim() || String(t.message ?? e);
  const hints = pulumiHints(stderr);
  return new Error([`${what} failed: ${stderr}`, ...hints].join("\n"));
}

/** The stack's config (secrets decrypted by the pulumi CLI), as call-time settings. */
export function useStackConfig(stack: string, cwd: string, explicit?: string): void {
  const pulumi = findPulumi({ explicit, cwd });
  let text: string;
  try {
    text = execFileSync(pulumi.bin, ["config", "--show-secrets", "--json", "--stack", stack], { cwd, env: pulumi.env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    throw pulumiError(`reading the config of stack ${JSON.stringify(stack)} (${pulumi.bin} config)`, e);
  }
  const config = JSON.parse(text) as Record<string, { value?: string }>;
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) if (typeof v?.value === "string") flat[k] = v.value;
  // A stack on the provider plugin keeps each network's settings in one object, `adnetworks:<network>` (plugin/config.ts).
  const ofPlugin = Object.fromEntries(Object.entries(flat).filter(([k]) => k.startsWith("adnetworks:")).map(([k, v]) => [k.slice("adnetworks:".length), v]));
  for (const [k, v] of Object.entries(settingsOf(ofPlugin))) flat[k] ??= v;
  applyStackConfig(flat, Object.keys(flat));
}

