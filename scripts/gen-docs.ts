/**
 * Writes the field tables of docs/<network>.md from the resource schemas
 * (between the generated-section markers), so the docs cannot drift from
 * the code. `--check` writes nothing and exits 1 when a page is stale
 * (test/docs.test.ts runs the same check).
 *
 *   npm run docs            # regenerate
 *   npm run docs -- --check # verify
 */
import * as fs from "fs";
import * as path from "path";
import { NETWORKS } from "../provider/networks";
import { docTable, inputNames, outputNames } from "../provider/core/schema";
import { definition } from "../provider/registry";
import type { NetworkDef } from "../provider/core/network";

const ROOT = path.resolve(__dirname, "..", "..");
const START = "<!-- generated: field reference (npm run docs); do not edit by hand -->";
const END = "<!-- end of generated field reference -->";

/** The generated section of a network's page. */
export function fieldReference(n: NetworkDef): string {
  const parts = [START, "", "## Field reference", ""];
  parts.push(`Generated from the resource schemas in \`provider/${n.name}/\`. *replaces*: changing the field replaces the object; *network default when omitted*: the network picks a value, and reading it back is not drift; *natural key*: what finds an object again after a lost response or a killed deployment; *spend*: what the field means to money (spend guardrails).`, "");
  for (const type of Object.keys(n.resources)) {
    const def = definition(`${n.name}:${type}`);
    if (!def) continue;
    parts.push(`### \`${n.name}.${type}\``, "", def.doc, "");
    parts.push(`Import id: ${def.importId}. Inputs: ${inputNames(def.fields).length}; outputs beyond the inputs: ${outputNames(def.fields).map((k) => `\`${k}\``).join(", ") || "none"}.`, "");
    parts.push(docTable(def.fields), "");
  }
  parts.push(END);
  return parts.join("\n");
}

/** The page with its generated section replaced (or appended). */
export function withFieldReference(page: string, n: NetworkDef): string {
  const section = fieldReference(n);
  const a = page.indexOf(START);
  const b = page.indexOf(END);
  if (a >= 0 && b > a) return page.slice(0, a) + section + page.slice(b + END.length);
  return `${page.replace(/\s*$/, "")}\n\n${section}\n`;
}

/** Pages whose generated section is not current: [file, expected content]. */
export function stalePages(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const n of NETWORKS) {
    const file = path.join(ROOT, n.docs);
    const page = fs.readFileSync(file, "utf8");
    const next = withFieldReference(page, n);
    if (next !== page) out.push([file, next]);
  }
  return out;
}

if (require.main === module) {
  const check = process.argv.includes("--check");
  const stale = stalePages();
  for (const [file, next] of stale) {
    if (check) console.error(`stale: ${path.relative(ROOT, file)} (run npm run docs)`);
    else {
      fs.writeFileSync(file, next);
      console.log(`wrote ${path.relative(ROOT, file)}`);
    }
  }
  if (check && stale.length) process.exit(1);
  if (!stale.length) console.log("docs are current");
}
