/**
 * Writes the Python and Go SDKs (sdk/python: `pulumi_adnetworks`;
 * sdk/go/adnetworks: the module named by the schema's
 * language.go.importBasePath) from the package schema
 * (provider/plugin/schema.ts, generated from the declarations) with Pulumi's
 * own code generators: tools/sdkgen, built by scripts/setup-sdkgen.sh into
 * .tools/bin. The generated files are committed; test/sdk.test.ts
 * regenerates them into a temporary folder and fails when they differ.
 *
 *   npm run sdk               # regenerate sdk/python and sdk/go
 *   npm run sdk -- --check    # write nothing; exit 1 when sdk/ is stale
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { packageSchema } from "../provider/plugin/schema";
import { VERSION } from "../provider/plugin/server";

const ROOT = path.resolve(__dirname, "..", "..");

/** The generated SDKs: language -> folder (relative to the repository). */
export const SDK_DIRS: Record<"python" | "go", string> = { python: "sdk/python", go: "sdk/go" };

/** The generator setup:sdkgen installs. */
export function generatorPath(root: string = ROOT): string {
  return path.join(root, ".tools", "bin", "pulumi-adnetworks-sdkgen");
}

export const MISSING_GENERATOR = "the SDK generator is not installed: run `npm run setup:sdkgen` (it builds tools/sdkgen with Go; no Go? `apt-get install golang-go` or go.dev)";

/** Writes both SDKs under `outRoot` (sdk/python, sdk/go); the schema goes through a file in `workDir`. */
export function generateSdks(outRoot: string, workDir: string, generator: string = generatorPath()): void {
  if (!fs.existsSync(generator)) throw new Error(MISSING_GENERATOR);
  const schemaFile = path.join(workDir, "schema.json");
  fs.writeFileSync(schemaFile, JSON.stringify(packageSchema(VERSION), null, 2));
  for (const [language, dir] of Object.entries(SDK_DIRS)) {
    execFileSync(generator, ["-schema", schemaFile, "-language", language, "-out", path.join(outRoot, dir)], { stdio: ["ignore", "ignore", "pipe"] });
  }
}

/** Every file under `dir`, relative, sorted. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out.sort();
}

/** Files that differ between two trees: added, removed or changed (relative paths). */
export function differingFiles(a: string, b: string): string[] {
  const fa = filesUnder(a);
  const fb = filesUnder(b);
  const all = [...new Set([...fa, ...fb])].sort();
  return all.filter((f) => {
    const pa = path.join(a, f);
    const pb = path.join(b, f);
    if (!fs.existsSync(pa) || !fs.existsSync(pb)) return true;
    return !fs.readFileSync(pa).equals(fs.readFileSync(pb));
  });
}

/** The committed SDK files that regenerating from the current schema would change (empty: up to date). */
export function staleSdkFiles(root: string = ROOT): string[] {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-sdkgen-"));
  try {
    generateSdks(work, work);
    return Object.values(SDK_DIRS).flatMap((dir) => differingFiles(path.join(root, dir), path.join(work, dir)).map((f) => path.join(dir, f)));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    if (process.argv.includes("--check")) {
      const stale = staleSdkFiles();
      if (stale.length) {
        console.error(`stale SDK files (run \`npm run sdk\`):\n  ${stale.join("\n  ")}`);
        process.exit(1);
      }
      console.log("sdk/ is up to date with the schema");
    } else {
      const work = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-sdkgen-"));
      try {
        generateSdks(ROOT, work);
      } finally {
        fs.rmSync(work, { recursive: true, force: true });
      }
      for (const dir of Object.values(SDK_DIRS)) console.log(`wrote ${dir} (${filesUnder(path.join(ROOT, dir)).length} files)`);
    }
  } catch (e) {
    console.error(`npm run sdk: ${(e as Error).message}`);
    process.exit(1);
  }
}
