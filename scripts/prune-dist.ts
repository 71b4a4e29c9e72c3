/**
 * Removes compiled files whose TypeScript source is gone (a moved or deleted
 * module): tsc never deletes its old output, and `npm pack` ships all of
 * dist/provider, so a stale file would be packed, with a source map whose
 * source is not there. Runs after every `npm run build`.
 */
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const DIST = path.join(ROOT, "dist");

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

export function staleOutputs(): string[] {
  if (!fs.existsSync(DIST)) return [];
  return walk(DIST).filter((file) => {
    const m = /^(.*?)(\.d\.ts|\.js)(\.map)?$/.exec(path.relative(DIST, file));
    if (!m) return false;
    const source = path.join(ROOT, m[1]);
    return !fs.existsSync(`${source}.ts`) && !fs.existsSync(`${source}.tsx`) && !fs.existsSync(`${source}.json`);
  });
}

if (require.main === module) {
  const stale = staleOutputs();
  for (const f of stale) fs.rmSync(f);
  if (stale.length) process.stdout.write(`prune-dist: removed ${stale.length} compiled files whose source is gone\n`);
}
