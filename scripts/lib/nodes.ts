/**
 * Other Node.js versions than the one running, from the npm registry: the
 * `node@<major>` package installs a `node` binary (its preinstall fetches
 * the platform's `node-<os>-<arch>` package, also from the registry). Each
 * major is installed once into .tools/node/<major> (git-ignored) and reused
 * by later runs; the tests run the package's programs with them.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { TOOLS } from "./engine";

export const NODES_DIR = path.join(TOOLS, "node");

function exec(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { ...opts, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as any).code === "number" ? (err as any).code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) || (err && code !== 0 ? String(err.message) : "") });
    });
  });
}

async function versionOf(node: string): Promise<string | undefined> {
  if (!fs.existsSync(node)) return undefined;
  const r = await exec(node, ["--version"]);
  return r.code === 0 ? r.stdout.trim().replace(/^v/, "") : undefined;
}

/**
 * The directory holding `node` of that major (put it first on PATH: npm,
 * npx and the Pulumi plugins' launchers then run with it too). Installs
 * node@<major> into .tools/node/<major> the first time (about 20 s and
 * 190 MB; async, so a sandbox served from this process keeps answering).
 */
export async function nodeBinDir(major: string): Promise<string> {
  const dir = path.join(NODES_DIR, major);
  const bin = path.join(dir, "node_modules", "node", "bin");
  const have = await versionOf(path.join(bin, "node"));
  if (have?.split(".")[0] === major) return bin;
  fs.mkdirSync(dir, { recursive: true });
  if (!fs.existsSync(path.join(dir, "package.json"))) fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: `adnet-node-${major}`, private: true }) + "\n");
  const r = await exec("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", `node@${major}`], { cwd: dir });
  const got = await versionOf(path.join(bin, "node"));
  if (r.code !== 0 || got?.split(".")[0] !== major) {
    throw new Error(`could not install Node.js ${major} from the npm registry into ${path.relative(process.cwd(), dir) || dir} (npm install node@${major} exited ${r.code}; node there reports ${got ?? "nothing"}):\n${r.stderr.slice(-2000)}`);
  }
  return bin;
}
