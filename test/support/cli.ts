import { spawn, ChildProcess } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TOOLS } from "../../scripts/lib/engine";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The real Pulumi CLI run in a program directory, as a user runs it (the
 * language host from .tools/bin runs index.ts with ts-node), with its own
 * PULUMI_HOME and file backend. Async, never execFileSync: a sandbox in this
 * process answers the provider from this process's event loop.
 */
export class PulumiCli {
  readonly tmp: string;
  readonly env: NodeJS.ProcessEnv;

  /** The directory holding the CLI and its plugins (default: this repository's .tools/bin). */
  readonly bin: string;

  constructor(readonly cwd: string, opts: { passphrase?: string; bin?: string; path?: string } = {}) {
    this.bin = opts.bin ?? path.join(TOOLS, "bin");
    this.tmp = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-cli-"));
    fs.mkdirSync(path.join(this.tmp, "home"));
    fs.mkdirSync(path.join(this.tmp, "state"));
    const inherited = { ...process.env };
    for (const k of Object.keys(inherited)) if (k.startsWith("PULUMI_") || /_(API_KEY|API_TOKEN|PASSWORD|BASE_URL)$/.test(k)) delete inherited[k];
    this.env = {
      ...inherited,
      PATH: `${this.bin}${path.delimiter}${opts.path ?? process.env.PATH ?? ""}`,
      PULUMI_HOME: path.join(this.tmp, "home"),
      PULUMI_BACKEND_URL: `file://${path.join(this.tmp, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: opts.passphrase ?? "adnet-test-passphrase",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      // Results at preview read the networks' statistics (issue #34): off unless a test turns them on.
      ADNETWORKS_SHOW_RESULTS: "false",
    };
  }

  /** The CLI as a child process (`detached`: in its own process group, so a test can end all it started). */
  spawn(args: string[], opts: { detached?: boolean } = {}): ChildProcess {
    return spawn(path.join(this.bin, "pulumi"), args, { cwd: this.cwd, env: this.env, stdio: ["ignore", "pipe", "pipe"], detached: opts.detached });
  }

  run(...args: string[]): Promise<CliResult> {
    return new Promise((resolve, reject) => {
      const child = this.spawn(args);
      let stdout = "";
      let stderr = "";
      child.stdout!.on("data", (d) => (stdout += d));
      child.stderr!.on("data", (d) => (stderr += d));
      child.on("error", reject);
      child.on("close", (code) => {
        if (process.env.ADNET_TEST_VERBOSE) process.stdout.write(`$ pulumi ${args.join(" ")}\n${stdout}${stderr}`);
        resolve({ code, stdout, stderr });
      });
    });
  }

  async ok(...args: string[]): Promise<string> {
    const r = await this.run(...args);
    if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited with ${r.code}:\n${brief(r.stdout)}\n${r.stderr.slice(-4000)}`);
    return r.stdout;
  }

  /** `pulumi up --json`: the change summary by operation (without "same"). */
  async up(...extra: string[]): Promise<Record<string, number>> {
    return changeSummary(await this.ok("up", "--yes", "--non-interactive", "--skip-preview", "--json", ...extra));
  }

  cleanup(): void {
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }
}

function events(jsonOut: string): any[] {
  const trimmed = jsonOut.trim();
  if (trimmed.startsWith("{") && !trimmed.includes("\n{")) return [JSON.parse(trimmed)];
  return trimmed.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
}

/** Errors and the summary of a JSON event stream (the rest is noise in a failure message). */
function brief(out: string): string {
  try {
    return events(out)
      .filter((e) => e.summaryEvent || (e.diagnosticEvent && e.diagnosticEvent.severity !== "debug" && e.diagnosticEvent.severity !== "info#err"))
      .map((e) => (e.summaryEvent ? `summary: ${JSON.stringify(e.summaryEvent.resourceChanges)} ${e.summaryEvent.result ?? ""}` : `${e.diagnosticEvent.severity}: ${e.diagnosticEvent.message.trim()}`))
      .join("\n")
      .slice(-6000);
  } catch {
    return out.slice(-6000);
  }
}

/** The change summary of `pulumi up/preview --json` output (an event stream), without "same" and zeros. */
export function changeSummary(jsonOut: string): Record<string, number> {
  const ev = events(jsonOut);
  const last = [...ev].reverse().find((e) => e.summaryEvent || e.changeSummary);
  const summary: Record<string, number> = last?.summaryEvent?.resourceChanges ?? last?.changeSummary ?? {};
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(summary)) if (k !== "same" && v) out[k] = v as number;
  return out;
}
