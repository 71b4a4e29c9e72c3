/**
 * "Imports it into code and adopts it with 0 changes": runs the built
 * adnet-import against a sandbox network, then the real Pulumi CLI on the
 * generated program in a fresh stack of its own, and reports what happened
 * (the change summaries, the writes the network saw, the generated code,
 * which must compile with tsc --strict).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "../../scripts/lib/engine";
import type { Sandbox } from "../../provider/sandbox/server";
import { SUMMARY_FILE, ImportSummary } from "../../provider/import/importer";
import { PulumiCli } from "./cli";
import { sandboxSettings } from "./accounts";
import { ChildRun, runChild } from "./processes";

/** Runs the built adnet-import binary with the given environment's credentials only (async: the sandbox answers from this process). */
export function adnetImport(args: string[], env: Record<string, string>): Promise<ChildRun> {
  const inherited = { ...process.env };
  for (const k of Object.keys(inherited)) if (/^(EXOCLICK|AFFISE|INTEGR8|TOPSORT|INTERCHANGE)_/.test(k)) delete inherited[k];
  return runChild(process.execPath, [path.join(ROOT, "dist", "provider", "cli", "import.js"), ...args], { env: { ...inherited, ...env } });
}

/** tsc --strict --noEmit on a generated program (its tsconfig.json), with what it printed. */
export function typecheck(dir: string): Promise<ChildRun> {
  return runChild(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "--strict", "--noEmit", "-p", path.join(dir, "tsconfig.json")]);
}

export interface Adopted {
  summary: ImportSummary;
  /** The generated `<network>.ts`. */
  code: string;
  /** `pulumi up` of the generated program in a new stack, by operation. */
  up: Record<string, number>;
  /** Writes (not logins) the network saw during that up, as "METHOD /path". */
  writesDuringUp: string[];
  /** Writes during `adnet-import` itself. */
  writesDuringImport: string[];
}

/**
 * Imports every object of `network` into a program under a temporary
 * directory and adopts them with `pulumi up` in a new stack; then checks
 * `pulumi preview --expect-no-changes` (it throws if that preview has changes).
 * The adopting stack's state is thrown away afterwards (the objects stay, for
 * the caller's own stack to destroy).
 */
export async function importAndAdopt(sb: Sandbox, network: string): Promise<Adopted> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-adopt-"));
  const out = path.join(tmp, network);
  const settings = sandboxSettings(sb, network);
  const last = () => sb.journal.reduce((m, r) => Math.max(m, r.seq), 0);
  const writesSince = (from: number) => sb.requests(network, { writes: true }).filter((r) => r.seq > from && !/\/login$/.test(r.path)).map((r) => `${r.method} ${r.path}`);
  const cli = new PulumiCli(out);
  try {
    const beforeImport = last();
    const r = await adnetImport(["--network", network, "--out", out], settings.env);
    if (r.code !== 0) throw new Error(`adnet-import exited with ${r.code}:\n${r.stderr}${r.stdout}`);
    const writesDuringImport = writesSince(beforeImport);
    const summary: ImportSummary = JSON.parse(fs.readFileSync(path.join(out, SUMMARY_FILE), "utf8"));
    const code = fs.readFileSync(path.join(out, `${network}.ts`), "utf8");
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(out, "node_modules"));
    // The generated program type-checks against the package's Args types.
    const tsc = await typecheck(out);
    if (tsc.code !== 0) throw new Error(`the generated program does not compile (tsc --strict):\n${tsc.out}`);
    await cli.ok("stack", "init", "adopt", "--non-interactive");
    for (const [k, v] of Object.entries(settings.config)) await cli.ok("config", "set", ...(v.secret ? ["--secret"] : []), k, v.value);
    const beforeUp = last();
    const up = await cli.up();
    const writesDuringUp = writesSince(beforeUp);
    await cli.ok("preview", "--expect-no-changes", "--non-interactive");
    return { summary, code, up, writesDuringUp, writesDuringImport };
  } finally {
    cli.cleanup();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
