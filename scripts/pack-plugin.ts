/**
 * `npm run pack:plugin`: the adnetworks resource-provider plugin as a
 * plugin tarball for `pulumi plugin install resource adnetworks <version>
 * --file <tarball>` (docs/plugin.md "Installing the plugin").
 *
 *   npm run pack:plugin                      # dist/pulumi-resource-adnetworks-v<version>-<os>-<arch>.tar.gz
 *   node dist/scripts/pack-plugin.js --out <dir>
 *
 * What goes in: the npm package's files (`npm pack`: dist/provider, docs,
 * the sources of the source maps), its production dependencies with the
 * @pulumi/pulumi this repository pins (`npm install --omit=dev`, from npm's
 * cache when it holds them), and at the top the executable the engine runs,
 * `pulumi-resource-adnetworks`, a shell launcher that runs
 * dist/provider/plugin/main.js with the `node` on PATH (Node.js 20.19 or
 * later, 22 or 24): the plugin carries its JavaScript and dependencies, not
 * a Node.js. Nothing in it is native code, so one tarball serves every Unix
 * (the name carries the platform it was packed on, as Pulumi names plugin
 * archives). Without PulumiPlugin.yaml: installed, it is a binary plugin,
 * run without any language host.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");

/** The name Pulumi gives a plugin archive: pulumi-resource-<name>-v<version>-<os>-<arch>.tar.gz. */
export function tarballName(version: string, platform: string = process.platform, arch: string = process.arch): string {
  const archName: Record<string, string> = { x64: "amd64", arm64: "arm64" };
  return `pulumi-resource-adnetworks-v${version}-${platform}-${archName[arch] ?? arch}.tar.gz`;
}

/** The executable at the top of the plugin: runs the compiled plugin with the node on PATH. */
export function launcher(version: string): string {
  return [
    "#!/bin/sh",
    `# The adnetworks resource-provider plugin (pulumi-adnetworks ${version}), from npm run pack:plugin.`,
    "# Needs Node.js 20.19 or later, 22 or 24 on PATH; everything else is in this directory.",
    'dir="$(cd "$(dirname "$0")" && pwd)"',
    'exec node "$dir/dist/provider/plugin/main.js" "$@"',
    "",
  ].join("\n");
}

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new Error(`cannot run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} (in ${cwd}) exited with ${r.status}:\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
  return r.stdout;
}

/** Packs the plugin into `outDir`; returns the tarball's path. `dist/` must be built (npm run build). */
export function packPlugin(outDir: string, log: (line: string) => void = () => undefined): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  if (!fs.existsSync(path.join(ROOT, "dist", "provider", "plugin", "main.js"))) throw new Error("dist/ is not built: run npm run build (npm run pack:plugin does)");
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-pack-plugin-"));
  try {
    log("npm pack (the package's files)");
    const packed = JSON.parse(run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", staging], ROOT));
    run("tar", ["-xzf", path.join(staging, packed[0].filename), "-C", staging], staging);
    const dir = path.join(staging, "package");
    // A binary plugin: no PulumiPlugin.yaml (that makes a directory a source plugin, run by a language host).
    fs.rmSync(path.join(dir, "PulumiPlugin.yaml"), { force: true });
    // Its production dependencies and the pinned SDK (a peer dependency of the npm package: here the plugin's own).
    const staged = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    const sdk: string = pkg.devDependencies["@pulumi/pulumi"];
    staged.dependencies = { ...staged.dependencies, "@pulumi/pulumi": sdk };
    delete staged.devDependencies;
    delete staged.peerDependencies;
    delete staged.scripts;
    fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify(staged, null, 2)}\n`);
    log(`npm install --omit=dev (its dependencies and @pulumi/pulumi ${sdk})`);
    run("npm", ["install", "--omit=dev", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund", "--no-package-lock"], dir);
    const exe = path.join(dir, "pulumi-resource-adnetworks");
    fs.writeFileSync(exe, launcher(pkg.version), { mode: 0o755 });
    fs.mkdirSync(outDir, { recursive: true });
    const out = path.join(outDir, tarballName(pkg.version));
    run("tar", ["-czf", out, "-C", dir, "."], dir);
    return out;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const i = process.argv.indexOf("--out");
  const outDir = path.resolve(i > 0 && process.argv[i + 1] ? process.argv[i + 1] : path.join(ROOT, "dist"));
  const say = (line: string) => process.stderr.write(`[pack:plugin] ${line}\n`);
  try {
    const out = packPlugin(outDir, say);
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version;
    say(`${out} (${(fs.statSync(out).size / 1024 / 1024).toFixed(1)} MB)`);
    const rel = path.relative(process.cwd(), out);
    say(`install: pulumi plugin install resource adnetworks ${version} --file ${rel.startsWith("..") ? out : rel}`);
    process.stdout.write(`${out}\n`);
  } catch (e: any) {
    say(`failed: ${e?.message ?? e}`);
    process.exit(1);
  }
}
