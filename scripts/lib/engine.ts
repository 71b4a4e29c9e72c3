/**
 * The real Pulumi engine, driven through the Automation API with the CLI
 * that `npm run setup:pulumi` builds into .tools/bin. Programs run inline
 * (in this process), so no language host is needed; each stack gets its own
 * PULUMI_HOME, a local file backend and a passphrase secrets provider.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as auto from "@pulumi/pulumi/automation";

export const ROOT = path.resolve(__dirname, "..", "..", "..");
export const TOOLS = path.join(ROOT, ".tools");
export const PULUMI_BIN = path.join(TOOLS, "bin", "pulumi");

export function sdkVersion(): string {
  return require(path.join(ROOT, "node_modules", "@pulumi", "pulumi", "package.json")).version;
}

/** Fails with one clear sentence when the engine is missing. */
export function assertEngineInstalled(tools = TOOLS): void {
  for (const f of ["pulumi", "pulumi-resource-pulumi-nodejs"]) {
    if (!fs.existsSync(path.join(tools, "bin", f))) {
      throw new Error(`The Pulumi engine is not installed (${path.relative(ROOT, path.join(tools, "bin", f))} is missing): run \`npm run setup:pulumi\` (it builds Pulumi ${sdkVersion()} from the Go module proxy; Go is required).`);
    }
  }
}

/**
 * File-backend settings the README recommends (see "State and checkpoints"):
 * every stack of the tests, the demo and the benchmark uses them.
 */
export const RECOMMENDED_FILE_BACKEND: { env: Record<string, string>; query?: string } = { env: { PULUMI_DIY_BACKEND_ZSTD: "true" } };

/**
 * Inline programs run many times in one process need their own gRPC
 * connections to each engine.
 *
 * Pulumi's Node SDK (3.248) opens new clients to the engine and the resource
 * monitor for every inline run and never closes the old ones, and grpc-js
 * shares one connection ("subchannel") between all clients of the same
 * address. After a run whose engine went away (a failed preview, for
 * example), the old client keeps retrying with backoff; when a later engine
 * listens on the same port (ports are reused), the new run's first call is
 * served by that broken connection and fails at once with
 * `14 UNAVAILABLE: No connection established. Last error: null`. The SDK's
 * inline-program server treats every gRPC error as "the engine is shutting
 * down" and reports success, so the preview or update succeeds having
 * registered nothing but the stack (seen about once in 30 previews after a
 * few hundred engine runs in one process; pulumi/pulumi#7125 is the same
 * message). A per-channel subchannel pool removes the sharing; the SDK
 * reads these options (internal, not in its typings) each time it creates
 * a client.
 */
export function isolateEngineConnections(): void {
  const settings: { grpcClientOptions?: Record<string, unknown> } = require("@pulumi/pulumi/runtime/settings");
  if (!settings.grpcClientOptions) throw new Error(`@pulumi/pulumi ${sdkVersion()} has no runtime/settings.grpcClientOptions: see isolateEngineConnections in scripts/lib/engine.ts`);
  settings.grpcClientOptions["grpc.use_local_subchannel_pool"] = 1;
}

export interface EngineStackOptions {
  project?: string;
  stack?: string;
  program: auto.PulumiFn;
  /** The program's directory (or several, merged): relative paths in the program resolve against it. */
  workDir?: string | string[];
  config?: Record<string, auto.ConfigValue>;
  env?: Record<string, string>;
  /** Keep state here instead of a fresh temp dir. */
  stateDir?: string;
  passphrase?: string;
  /** Query options of the file:// backend URL, e.g. "metadata=skip" (see README, Benchmark). */
  backendQuery?: string;
  /** Another backend instead of a file:// one in a temp dir (e.g. postgres://...: scripts/lib/postgres.ts). */
  backendUrl?: string;
  /** Directory holding bin/pulumi (default .tools); the benchmark wraps the CLI to time it. */
  pulumiRoot?: string;
  /** Directory holding bin/ with the engine and its dynamic-provider launcher, first on PATH (default .tools; the benchmark's other engine versions). */
  toolsDir?: string;
  /** The directories of an earlier engineStack of the same stack (another process continues with it; cleanup removes them). */
  reuse?: { home: string; workDir: string; stateDir: string };
}

export interface EngineStack {
  stack: auto.Stack;
  stateDir: string;
  home: string;
  workDir: string;
  env: Record<string, string>;
  /** Removes the temporary PULUMI_HOME and state (not a destroy). */
  cleanup(): void;
}

/**
 * A scratch program directory: links to the program's files (so relative
 * paths such as images resolve) and to this repo's node_modules (where the
 * dynamic-provider host resolves @pulumi/pulumi and pulumi-adnetworks).
 * The Automation API writes Pulumi.yaml and stack settings there, never
 * into the example itself.
 */
function scratchDir(sources: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-program-"));
  for (const source of sources) {
    for (const f of fs.readdirSync(source)) {
      if (/^Pulumi\..*ya?ml$/.test(f) || f === "node_modules" || fs.existsSync(path.join(dir, f))) continue;
      fs.symlinkSync(path.join(source, f), path.join(dir, f));
    }
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

export async function engineStack(o: EngineStackOptions): Promise<EngineStack> {
  const tools = o.toolsDir ?? TOOLS;
  assertEngineInstalled(tools);
  isolateEngineConnections();
  const home = o.reuse?.home ?? fs.mkdtempSync(path.join(os.tmpdir(), "adnet-pulumi-home-"));
  const workDir = o.reuse?.workDir ?? scratchDir([o.workDir ?? ROOT].flat());
  const stateDir = o.reuse?.stateDir ?? o.stateDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "adnet-pulumi-state-"));
  fs.mkdirSync(stateDir, { recursive: true });
  const query = o.backendQuery ?? RECOMMENDED_FILE_BACKEND.query;
  const backendUrl = o.backendUrl ?? `file://${stateDir}${query ? `?${query}` : ""}`;
  const env: Record<string, string> = {
    PATH: `${path.join(tools, "bin")}${path.delimiter}${process.env.PATH ?? ""}`,
    PULUMI_HOME: home,
    PULUMI_BACKEND_URL: backendUrl,
    PULUMI_CONFIG_PASSPHRASE: o.passphrase ?? "adnet-local-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    ...RECOMMENDED_FILE_BACKEND.env,
    ...(o.env ?? {}),
  };
  const pulumiCommand = await auto.PulumiCommand.get({ root: o.pulumiRoot ?? tools });
  const projectName = o.project ?? "adnet-e2e";
  const stack = await auto.LocalWorkspace.createOrSelectStack(
    { stackName: o.stack ?? "dev", projectName, program: o.program },
    {
      workDir,
      pulumiHome: home,
      envVars: env,
      pulumiCommand,
      projectSettings: { name: projectName, runtime: "nodejs", backend: { url: backendUrl } },
      secretsProvider: "passphrase",
    },
  );
  if (o.config) await stack.setAllConfig(o.config);
  return {
    stack,
    stateDir,
    home,
    workDir,
    env,
    cleanup() {
      fs.rmSync(home, { recursive: true, force: true });
      fs.rmSync(workDir, { recursive: true, force: true });
      if (!o.stateDir || o.reuse) fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
