#!/usr/bin/env node
/**
 * adnet-import: a live account as code.
 *
 *   npx adnet-import --network exoclick[,affise,...] --out <dir>
 *                    [--filter type=Campaign,name=summer,id=123] [--status active]
 *                    [--stack <stack> [--cwd <program dir>]] [--project <name>]
 *
 * Reads every object of every supported type with the stack's credentials
 * (`--stack`: its config, secrets decrypted by the pulumi CLI) or the
 * environment's (EXOCLICK_API_TOKEN, AFFISE_API_KEY, ...), read-only, and
 * writes a Pulumi TypeScript program into <dir>: one file per network, each
 * resource with the `import` option, so the first `pulumi up` adopts them
 * all. Prints a summary and writes it to <dir>/adnet-import.summary.json.
 */
import { execFileSync } from "child_process";
import * as path from "path";
import { applyStackConfig } from "../core/config";
import { NETWORKS } from "../networks";
import { importAccounts, summaryText } from "../import/importer";

const USAGE = `usage: adnet-import --network <${NETWORKS.map((n) => n.name).join("|")}>[,...] --out <dir> [--filter type=<Type>,name=<text>,id=<id>] [--status active] [--stack <stack> [--cwd <dir>]] [--project <name>]`;

export interface CliArgs {
  networks: string[];
  out: string;
  filters: string[];
  status?: "active";
  stack?: string;
  cwd?: string;
  project?: string;
}

export function parseArgs(argv: string[]): CliArgs {
  const a: Partial<CliArgs> & { filters: string[] } = { filters: [] };
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new Error(`unexpected argument ${JSON.stringify(argv[i])}\n${USAGE}`);
    const value = () => {
      const v = m[2] ?? argv[++i];
      if (v === undefined || v.startsWith("--")) throw new Error(`--${m[1]} needs a value\n${USAGE}`);
      return v;
    };
    switch (m[1]) {
      case "network":
      case "networks":
        a.networks = [...(a.networks ?? []), ...value().split(",").map((s) => s.trim()).filter(Boolean)];
        break;
      case "out": a.out = value(); break;
      case "filter": a.filters.push(value()); break;
      case "status": {
        const v = value();
        if (v !== "active") throw new Error(`--status takes "active", got ${JSON.stringify(v)}`);
        a.status = "active";
        break;
      }
      case "stack": a.stack = value(); break;
      case "cwd": a.cwd = value(); break;
      case "project": a.project = value(); break;
      case "help": throw new Error(USAGE);
      default: throw new Error(`unknown option --${m[1]}\n${USAGE}`);
    }
  }
  if (!a.networks?.length || !a.out) throw new Error(USAGE);
  for (const n of a.networks) if (!NETWORKS.some((x) => x.name === n)) throw new Error(`unknown network ${JSON.stringify(n)}; known: ${NETWORKS.map((x) => x.name).join(", ")}`);
  return a as CliArgs;
}

/** The stack's config (secrets decrypted by the pulumi CLI), as call-time settings. */
function useStackConfig(stack: string, cwd: string): void {
  const text = execFileSync("pulumi", ["config", "--show-secrets", "--json", "--stack", stack], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const config = JSON.parse(text) as Record<string, { value?: string }>;
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) if (typeof v?.value === "string") flat[k] = v.value;
  applyStackConfig(flat, Object.keys(flat));
}

export async function main(argv: string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (e: any) {
    process.stderr.write(`${e.message}\n`);
    return 2;
  }
  if (args.stack) useStackConfig(args.stack, path.resolve(args.cwd ?? "."));
  const summary = await importAccounts({
    networks: args.networks,
    out: args.out,
    filters: args.filters,
    status: args.status,
    project: args.project,
    log: (l) => process.stderr.write(`${l}\n`),
  });
  process.stdout.write(summaryText(summary) + "\n");
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`adnet-import: ${e?.message ?? e}\n`);
      process.exit(1);
    },
  );
}
