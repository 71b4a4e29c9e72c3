/**
 * Counts the `any` type keywords in a tree of TypeScript sources (default:
 * provider/), per file and in total, with the TypeScript parser (comments
 * and strings do not count). Prints the largest counts first.
 *
 *   npm run build && node dist/scripts/count-any.js [dir] [--top N]
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : p.endsWith(".ts") && !p.endsWith(".d.ts") ? [p] : [];
  });
}

function count(file: string): { any: number; recordAny: number } {
  const sf = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  let any = 0, recordAny = 0;
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.AnyKeyword) {
      any++;
      const p = node.parent;
      if (p && ts.isTypeReferenceNode(p) && p.typeName.getText(sf) === "Record") recordAny++;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { any, recordAny };
}

/** The `any` keywords of every TypeScript source under `dir`, per file (largest first) and in total. */
export function countAny(dir: string): { rows: Array<{ f: string; any: number; recordAny: number }>; total: number; recordAny: number } {
  const rows = files(dir).map((f) => ({ f: path.relative(process.cwd(), f), ...count(f) })).sort((a, b) => b.any - a.any);
  return { rows, total: rows.reduce((n, r) => n + r.any, 0), recordAny: rows.reduce((n, r) => n + r.recordAny, 0) };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const top = args.includes("--top") ? Number(args[args.indexOf("--top") + 1]) : 10;
  const dir = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--top") ?? path.resolve(__dirname, "..", "..", "provider");
  const { rows, total, recordAny } = countAny(dir);
  for (const r of rows.slice(0, top)) if (r.any) console.log(`${String(r.any).padStart(4)}  ${r.f}`);
  console.log(`any: ${total} (of which in Record<string, any>: ${recordAny}) in ${rows.length} files`);
}
