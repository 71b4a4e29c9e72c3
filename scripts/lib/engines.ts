/**
 * Pulumi versions side by side for the benchmark: this repository's
 * (.tools/bin and node_modules) and others installed by
 * `scripts/setup-engine.sh <version>` into .tools/engines/<version>/:
 *   bin/   the CLI of that version (built from the Go module proxy into its
 *          own cache) with the dynamic-provider launcher,
 *   app/   this package (dist, copied before each run) with its dependencies
 *          and @pulumi/pulumi of that version, where the benchmark's worker runs.
 */
import * as fs from "fs";
import * as path from "path";
import { ROOT, TOOLS, sdkVersion } from "./engine";
import { NODES_DIR } from "./nodes";
import { satisfies } from "../../provider/core/engine/compat";

export interface Engine {
  /** The Pulumi version (CLI and @pulumi/pulumi). */
  version: string;
  /** Directory whose bin/ holds the CLI and the dynamic-provider launcher. */
  toolsDir: string;
  pulumiBin: string;
  /** The benchmark's worker script, where it resolves that @pulumi/pulumi. */
  worker: string;
  /** The Node.js that runs it (and, first on PATH, the CLI's plugins), when its SDK does not accept this one. */
  node?: string;
}

export const ENGINES_DIR = path.join(TOOLS, "engines");

export function thisEngine(): Engine {
  return { version: sdkVersion(), toolsDir: TOOLS, pulumiBin: path.join(TOOLS, "bin", "pulumi"), worker: path.join(ROOT, "dist", "scripts", "bench-worker.js") };
}

function appDir(version: string): string {
  return path.join(ENGINES_DIR, version, "app");
}

function installed(version: string): boolean {
  return fs.existsSync(path.join(ENGINES_DIR, version, "bin", "pulumi")) && fs.existsSync(path.join(appDir(version), "node_modules", "@pulumi", "pulumi", "package.json"));
}

/** Versions installed by scripts/setup-engine.sh (other than this repository's). */
export function installedEngines(): string[] {
  if (!fs.existsSync(ENGINES_DIR)) return [];
  return fs.readdirSync(ENGINES_DIR).filter((v) => v !== sdkVersion() && installed(v)).sort();
}

export function otherEngine(version: string): Engine {
  if (!installed(version)) throw new Error(`Pulumi ${version} is not installed for the benchmark: run \`bash scripts/setup-engine.sh ${version}\` (builds its CLI once from the Go module proxy into its own cache, ~5 min on 2 cores, and installs @pulumi/pulumi@${version} under .tools/engines/${version})`);
  const dir = path.join(ENGINES_DIR, version);
  const major = engineNodeMajor(version);
  return {
    version,
    toolsDir: dir,
    pulumiBin: path.join(dir, "bin", "pulumi"),
    worker: path.join(appDir(version), "dist", "scripts", "bench-worker.js"),
    ...(major ? { node: path.join(NODES_DIR, major, "node_modules", "node", "bin", "node") } : {}),
  };
}

/**
 * The Node.js major a version's SDK needs when it does not accept the one
 * running (its engines, e.g. ">=22" since 3.249): the first major this
 * package is tested on that it accepts (install it with nodeBinDir, scripts/lib/nodes.ts).
 */
export function engineNodeMajor(version: string): string | undefined {
  const range: string | undefined = require(path.join(appDir(version), "node_modules", "@pulumi", "pulumi", "package.json")).engines?.node;
  if (!range || satisfies(process.versions.node, range)) return undefined;
  const tested: string[] = require(path.join(ROOT, "package.json")).adnetworks.nodeTested;
  const major = tested.find((m) => satisfies(`${m}.99.0`, range));
  if (!major) throw new Error(`@pulumi/pulumi ${version} needs Node.js ${range}, and none of the tested majors (${tested.join(", ")}) is in it`);
  return major;
}

function copyDir(from: string, to: string): void {
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(from, to, { recursive: true, dereference: false });
}

/** Copies this build (dist, the banner example's files, the stable entry points, the CLI timer) into that version's app. */
export function syncEngineApp(version: string): void {
  const app = appDir(version);
  copyDir(path.join(ROOT, "dist"), path.join(app, "dist"));
  copyDir(path.join(ROOT, "examples", "exoclick-banner"), path.join(app, "examples", "exoclick-banner"));
  for (const f of ["host.js", "dynamic-host.js", "scripts/lib/pulumi-rusage.py"]) {
    fs.mkdirSync(path.dirname(path.join(app, f)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, f), path.join(app, f));
  }
}
