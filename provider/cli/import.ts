#!/usr/bin/env node
/**
 * adnet-import: a live account as code.
 *
 *   npx adnet-import --network exoclick[,affise,...] --out <dir>
 *                    [--filter type=Campaign,name=summer,id=123] [--status active]
 *                    [--stack <stack> [--cwd <program dir>]] [--project <name>] [--account <name>]
 *                    [--language typescript|python|go|yaml]
 *
 * Reads every object of every supported type with the stack's credentials
 * (`--stack`: its config, secrets decrypted by the pulumi CLI) or the
 * environment's (EXOCLICK_API_TOKEN, AFFISE_API_KEY, ...), read-only, and
 * writes a Pulumi program into <dir> (TypeScript: one file per network;
 * `--language yaml`: one Pulumi.yaml on the provider plugin's types;
 * `--language python`: a module per network on the plugin's types;
 * `--language go`: a Go package, a file and function per network), each
 * resource with the `import` option, so the first `pulumi up` adopts them
 * all. Prints a summary and writes it to <dir>/adnet-import.summary.json.
 */
import { NETWORKS } from "../networks";
import { importAccounts, summaryText } from "../import/importer";
import { available, Language, LANGUAGES } from "../import/languages";
import { CommandSpec, exitWith, list, parseCommandLine, runCommand, str, UsageError } from "./args";
import { accountOption, accountValue, STACK_CONFIG_OPTIONS, useStackConfigOption } from "./settings";

export const SPEC: CommandSpec = {
  name: "adnet-import",
  summary: "writes a Pulumi program that adopts what an ad-network account already holds",
  usage: [
    `--network <${NETWORKS.map((n) => n.name).join("|")}>[,...] --out <dir> [options]`,
  ],
  description: [
    "Reads every object of every supported type (read-only: it sends no write) with the credentials of the environment (EXOCLICK_API_TOKEN, AFFISE_API_KEY, ...) or of a stack's config (--stack), and writes into <dir> one file per network in the program's language (--language; default TypeScript), each resource with the `import` option and its network id, so the first `pulumi up` adopts everything instead of creating it. Also writes the entry point (index.ts, __main__.py for Python, program.go for Go) and the project files when missing (Pulumi.yaml, and package.json and tsconfig.json, requirements.txt, or go.mod and program/main.go), the names given to objects (adnet-import.names.json, kept across runs) and a summary (adnet-import.summary.json, also printed).",
  ],
  options: [
    { name: "network", value: "<names>", multiple: true, aliases: ["networks"], description: `Networks to read, comma-separated or repeated: ${NETWORKS.map((n) => n.name).join(", ")}. Required.` },
    { name: "out", value: "<dir>", description: "Directory to write the program into (created when missing; re-running keeps every name). Required." },
    { name: "filter", value: "<kind=value,...>", multiple: true, description: "Keep only matching objects: type=Campaign, name=<text>, id=<id>; kinds combine with AND, values of one kind with OR. Objects the kept ones refer to come along." },
    { name: "status", value: "active", description: "Only objects whose status says they are running." },
    accountOption("Read this account of the networks (stack config <network>:accounts, or environment NETWORK_ACCOUNT_SETTING) instead of the default one; its objects are written with `account: \"<name>\"` and import ids \"<name>:<id>\", in <network>-<name>.ts (default: the network's own settings, in <network>.ts)."),
    { name: "language", value: `<${LANGUAGES.join("|")}>`, description: `The program's language (default typescript: one file per network on the dynamic resources, with index.ts, package.json and tsconfig.json). yaml: one Pulumi.yaml (runtime: yaml) on the provider plugin's types (adnetworks:<network>:<Type>, docs/plugin.md), each network's objects in a marked block that a re-run rewrites. python: one module per network and __main__.py on the plugin's types, with Pulumi.yaml (runtime: python) and requirements.txt (pulumi from PyPI). go: a Go package (one file and function per network taking the caller's options, program.go's Program(ctx) for pulumi.Run or an Automation API inline program) on the Go SDK's types, with Pulumi.yaml (runtime: go), go.mod and program/main.go. The plugin's programs read the default provider's stack config adnetworks:<network>. In this version: ${LANGUAGES.filter(available).join(", ")}; see docs/languages.md.` },
    { name: "plugin", description: "Write the code for the provider plugin's classes (`import { exoclick } from \"pulumi-adnetworks/plugin\"`, types adnetworks:<network>:<Type>, docs/plugin.md) instead of the dynamic resources'; the arguments are the same." },
    { name: "project", value: "<name>", description: "Project name for a new Pulumi.yaml (default: from the --out directory's name)." },
    ...STACK_CONFIG_OPTIONS,
  ],
  examples: [
    "EXOCLICK_API_TOKEN=... adnet-import --network exoclick --out my-account",
    "adnet-import --network exoclick,affise --out my-account --stack prod --cwd ./infra",
    "adnet-import --network exoclick --out summer --filter type=Campaign,name=summer --status active",
    "adnet-import --network exoclick --account brandB --out my-accounts --stack prod   # brandB's objects, into exoclick-brandB.ts",
    "adnet-import --network exoclick,affise --out my-account-py --language python   # a Python program on the provider plugin",
    "adnet-import --network exoclick,affise --out my-account-yaml --language yaml   # one Pulumi.yaml",
    "adnet-import --network exoclick,affise --out my-account-go --language go   # a Go package: Program(ctx), one function per network",
  ],
};

export interface CliArgs {
  networks: string[];
  out: string;
  filters: string[];
  status?: "active";
  stack?: string;
  cwd?: string;
  project?: string;
  pulumi?: string;
  account?: string;
  language?: Language;
  plugin?: boolean;
}

/** The arguments of a run from the parsed options (UsageError when one is missing or wrong). */
function toArgs(values: Record<string, unknown>): CliArgs {
  const v = values as Parameters<typeof str>[0];
  const networks = list(v, "network");
  const out = str(v, "out");
  if (!networks.length || !out) throw new UsageError(`--network <names> and --out <dir> are required`);
  for (const n of networks) if (!NETWORKS.some((x) => x.name === n)) throw new UsageError(`unknown network ${JSON.stringify(n)}; known: ${NETWORKS.map((x) => x.name).join(", ")}`);
  const status = str(v, "status");
  if (status !== undefined && status !== "active") throw new UsageError(`--status takes "active", got ${JSON.stringify(status)}`);
  const a: CliArgs = { networks, out, filters: (v.filter as string[] | undefined) ?? [] };
  if (status) a.status = "active";
  if (v.plugin) a.plugin = true;
  const account = accountValue(v);
  if (account !== undefined) a.account = account;
  const language = str(v, "language");
  if (language !== undefined) {
    if (!(LANGUAGES as readonly string[]).includes(language)) throw new UsageError(`--language takes ${LANGUAGES.join(", ")}; got ${JSON.stringify(language)}`);
    if (!available(language as Language)) throw new UsageError(`--language ${language}: not available in this version (available: ${LANGUAGES.filter(available).join(", ")})`);
    a.language = language as Language;
  }
  for (const k of ["stack", "cwd", "project", "pulumi"] as const) {
    const x = str(v, k);
    if (x !== undefined) a[k] = x;
  }
  return a;
}

/** Parses a command line (throws UsageError; `--help` is handled by main). */
export function parseArgs(argv: string[]): CliArgs {
  const parsed = parseCommandLine(SPEC, argv);
  if (parsed.help) throw new UsageError("--help");
  return toArgs(parsed.values);
}

export function main(argv: string[]): Promise<number> {
  return runCommand(SPEC, argv, async (values) => {
    const args = toArgs(values);
    useStackConfigOption(values);
    const summary = await importAccounts({
      networks: args.networks,
      out: args.out,
      filters: args.filters,
      status: args.status,
      project: args.project,
      account: args.account,
      language: args.language,
      plugin: args.plugin,
      log: (l) => process.stderr.write(`${l}\n`),
    });
    process.stdout.write(summaryText(summary) + "\n");
    return 0;
  });
}

if (require.main === module) exitWith(main(process.argv.slice(2)), SPEC.name);
