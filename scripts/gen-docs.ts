/**
 * Writes, from the resource definitions (each resource's `doc` and field
 * declarations, the one doc source), so nothing is copied by hand:
 *  - the field tables of docs/<network>.md (between the generated-section markers),
 *  - the units statement of docs/<network>.md: every amount field, its currency,
 *    what the network is sent and the decimals a program may write (from each
 *    field's `money` and the network's `amounts` source), the one statement of units,
 *  - the resource classes of provider/<network>/index.ts with their JSDoc and
 *    `Args` types (between the generated-code markers),
 *  - the plugin's TypeScript SDK, provider/plugin/sdk/ (whole files): the
 *    same classes on the plugin's type tokens, and `Provider` with its
 *    arguments from the networks' settings (plugin/config.ts).
 * `--check` writes nothing and exits 1 when a file is stale
 * (test/docs.test.ts runs the same check).
 *
 *   npm run docs            # regenerate
 *   npm run docs -- --check # verify
 */
import * as fs from "fs";
import * as path from "path";
import { NETWORKS } from "../provider/networks";
import { docTable, Field, Fields, inputNames, outputNames } from "../provider/core/schema/schema";
import type { MoneyUnit } from "../provider/core/money/money";
import { definition } from "../provider/registry";
import { registryIndex, registryInstallation } from "./registry-docs";
import type { NetworkDef } from "../provider/core/config/network";

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

const UNITS_START = "<!-- generated: units of amounts (npm run docs); do not edit by hand -->";
const UNITS_END = "<!-- end of generated units of amounts -->";

/** Every money field of a network: "<Type>.<path>", its declaration, and the currency field that applies (by path), if any. */
export function moneyFields(n: NetworkDef): Array<{ path: string; field: Field; currency?: string }> {
  const out: Array<{ path: string; field: Field; currency?: string }> = [];
  const walk = (fields: Fields, prefix: string, currency: string | undefined) => {
    const own = Object.entries(fields).find(([, f]) => f.spend === "currency");
    const cur = own ? `${prefix}${own[0]}` : currency;
    for (const [k, f] of Object.entries(fields)) {
      const item = f.kind === "list" ? f.items : f;
      if (item.money) out.push({ path: `${prefix}${k}${f.kind === "list" ? "[]" : ""}`, field: item, ...(cur ? { currency: cur } : {}) });
      if (item.kind === "object") walk(item.fields, `${prefix}${k}${f.kind === "list" ? "[]" : ""}.`, cur);
    }
  };
  for (const [type, def] of Object.entries(n.resources)) walk(def.fields, `${type}.`, undefined);
  return out;
}

const SENT: Record<MoneyUnit, string> = {
  cents: "cents: x 100, whatever the currency",
  minor: "the currency's minor units (ISO 4217): x 100 for USD, x 1 for JPY, x 1000 for KWD",
  major: "major units, as written",
};
const DECIMALS: Record<MoneyUnit, string> = {
  cents: "2, whatever the currency",
  minor: "the currency's: 2 for USD, 0 for JPY, 3 for KWD",
  major: "the currency's: 2 for USD, 0 for JPY, 3 for KWD",
};

/** The one statement of units of a network's page (undefined: it has no amount). */
export function unitsSection(n: NetworkDef): string | undefined {
  const list = moneyFields(n);
  if (!list.length) return undefined;
  const rows = list.map(({ path: p, field, currency }) => {
    const [type, ...rest] = p.split(".");
    const where = currency ? `\`${currency.split(".").slice(1).join(".")}\` of the ${type}` : "the account's (`adnetworks:currencies`, default USD)";
    const when = field.spendWhen ? ` (money when ${Object.entries(field.spendWhen).map(([k, v]) => `\`${k}\` is ${v.map((x) => JSON.stringify(x)).join(" or ")}`).join(" and ")})` : "";
    return `| \`${n.name}.${type}\` \`${rest.join(".")}\`${field.output ? " (output)" : ""}${when} | ${where} | ${SENT[field.money!]} | ${DECIMALS[field.money!]} |`;
  });
  return [
    UNITS_START, "", "## Amounts and units", "",
    `Every amount a program writes for ${n.title} is in **major units** of its currency (\`20\` is 20.00, \`0.35\` is 0.35), as on every network of this package. This table is written from each field's declaration (\`money\` in \`provider/${n.name}/\`), which check, the wire mapping, the spend figures and the field reference use too. An amount with more decimals than the network stores is refused at preview, never rounded.`, "",
    "| amount | currency | sent to the network as | decimals a program may write |", "| --- | --- | --- | --- |", ...rows, "",
    `Source of the unit and precision: ${n.amounts ?? "not stated"}.`, "",
    UNITS_END,
  ].join("\n");
}

/** The page with its units statement replaced (or put before the field reference). */
export function withUnits(page: string, n: NetworkDef): string {
  const section = unitsSection(n);
  const a = page.indexOf(UNITS_START);
  const b = page.indexOf(UNITS_END);
  if (a >= 0 && b > a) return section ? page.slice(0, a) + section + page.slice(b + UNITS_END.length) : page.slice(0, a).replace(/\s*$/, "\n\n") + page.slice(b + UNITS_END.length).replace(/^\s*/, "");
  if (!section) return page;
  const f = page.indexOf(START);
  return f >= 0 ? `${page.slice(0, f)}${section}\n\n${page.slice(f)}` : `${page.replace(/\s*$/, "")}\n\n${section}\n`;
}

/** A page's hand-written text: without its generated sections. */
export function handWritten(page: string): string {
  let out = page;
  for (const [a, b] of [[START, END], [UNITS_START, UNITS_END]]) {
    const i = out.indexOf(a);
    const j = out.indexOf(b);
    if (i >= 0 && j > i) out = out.slice(0, i) + out.slice(j + b.length);
  }
  return out;
}

const CODE_START = "// generated: resource classes from each resource's `doc` and fields (npm run docs); do not edit by hand";
const CODE_END = "// end of generated resource classes";

/** `text` as a JSDoc block, wrapped at about 100 columns. */
function jsdoc(text: string): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + word.length + 1 > 96) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return ["/**", ...lines.map((l) => ` * ${l.replace(/\*\//g, "*\\/")}`), " */"].join("\n");
}

/** The module of a resource type by the naming rule (LibraryUrl -> ./libraryUrl, exporting `libraryUrl`), checked against the definition. */
function moduleOf(n: NetworkDef, type: string): string {
  const name = type[0].toLowerCase() + type.slice(1);
  const mod = require(path.join(ROOT, "dist", "provider", n.name, name));
  if (mod[name] !== n.resources[type]) throw new Error(`${n.name}:${type}: expected provider/${n.name}/${name}.ts to export it as \`${name}\``);
  return name;
}

/** The generated part of provider/<network>/index.ts: one class, JSDoc and Args type per resource type. */
export function resourceClasses(n: NetworkDef): string {
  const types = Object.keys(n.resources);
  const parts = [CODE_START, `import { resourceClass } from "../core/engine/reference";`, `import type { ArgsOf } from "../core/schema/schema";`];
  for (const type of types) parts.push(`import { ${moduleOf(n, type)} } from "./${moduleOf(n, type)}";`);
  for (const type of types) {
    const def = n.resources[type];
    const v = moduleOf(n, type);
    parts.push("", jsdoc(`${def.doc} Import id: ${def.importId}.`), `export class ${type} extends resourceClass(${v}) {}`, `/** The arguments of \`${n.name}.${type}\` (from its field declarations). */`, `export type ${type}Args = ArgsOf<typeof ${v}.fields>;`);
  }
  parts.push(CODE_END);
  return parts.join("\n");
}

/** The index with its generated part replaced (or put first). */
export function withResourceClasses(index: string, n: NetworkDef): string {
  const section = resourceClasses(n);
  const a = index.indexOf(CODE_START);
  const b = index.indexOf(CODE_END);
  if (a >= 0 && b > a) return index.slice(0, a) + section + index.slice(b + CODE_END.length);
  return `${section}\n${index}`;
}

const API_START = "// generated: one namespace per network of provider/networks.ts (npm run docs); do not edit by hand";
const API_END = "// end of generated namespaces";

/** The generated part of provider/index.ts: `export * as <network>` for every listed network. */
export function namespaces(): string {
  return [API_START, ...NETWORKS.map((n) => `export * as ${n.name} from "./${n.name}";`), API_END].join("\n");
}

function replaceSection(text: string, start: string, end: string, section: string): string {
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a >= 0 && b > a) return text.slice(0, a) + section + text.slice(b + end.length);
  return `${section}\n${text}`;
}

const SDK_HEADER = "// generated from each resource's `doc` and fields and the networks' settings (npm run docs); do not edit by hand";

/** provider/plugin/sdk/<network>.ts: the plugin's classes of one network (type tokens adnetworks:<network>:<Type>). */
export function pluginNetworkSdk(n: NetworkDef): string {
  const types = Object.keys(n.resources);
  const parts = [SDK_HEADER, `import { pluginResourceClass } from "../resource";`, `import type { ArgsOf } from "../../core/schema/schema";`];
  for (const type of types) parts.push(`import { ${moduleOf(n, type)} } from "../../${n.name}/${moduleOf(n, type)}";`);
  for (const type of types) {
    const def = n.resources[type];
    const v = moduleOf(n, type);
    parts.push("", jsdoc(`${def.doc} Import id: ${def.importId}. Served by the adnetworks provider plugin (type adnetworks:${n.name}:${type}).`), `export class ${type} extends pluginResourceClass(${v}) {}`, `/** The arguments of \`${n.name}.${type}\` (from its field declarations). */`, `export type ${type}Args = ArgsOf<typeof ${v}.fields>;`);
  }
  return parts.join("\n") + "\n";
}

/** A schema type as TypeScript (the guardrails' settings). */
function tsOf(t: Record<string, any>): string {
  if (t.oneOf) return t.oneOf.map(tsOf).join(" | ");
  if (t.type === "array") return `${tsOf(t.items)}[]`;
  if (t.type === "object") return `Record<string, ${t.additionalProperties ? tsOf(t.additionalProperties) : "unknown"}>`;
  return t.type === "integer" ? "number" : t.type;
}

/** provider/plugin/sdk/index.ts: one namespace per network and the Provider class. */
export function pluginIndexSdk(): string {
  const { networkSettings, guardrailSettings, settingDoc } = require("../provider/plugin/config") as typeof import("../provider/plugin/config");
  const { configSpec, SchemaBuilder } = require("../provider/plugin/schema") as typeof import("../provider/plugin/schema");
  const variables = configSpec(new SchemaBuilder()).variables as Record<string, any>;
  const parts = [SDK_HEADER, `import type { Input } from "@pulumi/pulumi/output";`, `import type { ResourceOptions } from "@pulumi/pulumi/resource";`, `import { AdnetworksProviderResource } from "../resource";`, ""];
  for (const n of NETWORKS) parts.push(`export * as ${n.name} from "./${n.name}";`);
  parts.push("", "/** The arguments of `Provider`: per network the settings of the account this instance manages, and the guardrails. */", "export interface ProviderArgs {");
  for (const n of networkSettings()) {
    parts.push(`  /** ${variables[n.network].description} */`, `  ${n.network}?: {`);
    for (const s of n.settings) parts.push(`    ${jsdoc(settingDoc(s)).split("\n").join("\n    ")}`, `    ${s.name}?: Input<string>;`);
    parts.push(`    /** Other ${n.title} accounts by name (for resources whose \`account\` input names one), each with these settings. */`, `    accounts?: Input<Record<string, Record<string, Input<string>>>>;`, "  };");
  }
  for (const g of guardrailSettings()) parts.push(`  ${jsdoc(variables[g.name].description).split("\n").join("\n  ")}`, `  ${g.name}?: Input<${tsOf(variables[g.name])}>;`);
  parts.push("}", "");
  const secrets = Object.fromEntries(networkSettings().map((n) => [n.network, n.settings.filter((s) => s.spec.secret).map((s) => s.name)]));
  parts.push("/** The settings stored as secrets, from their declarations. */", `const SECRET_SETTINGS: Record<string, readonly string[]> = ${JSON.stringify(secrets)};`, "");
  parts.push(jsdoc("The adnetworks provider: one instance per set of accounts. Resources given `{ provider }` are managed with its credentials (docs/plugin.md); without one, the default provider reads stack config `adnetworks:<network>` (e.g. `pulumi config set --secret --path adnetworks:exoclick.apiToken <token>`)."));
  parts.push("export class Provider extends AdnetworksProviderResource {", "  constructor(name: string, args: ProviderArgs = {}, opts?: ResourceOptions) {", "    super(name, args as Record<string, unknown>, SECRET_SETTINGS, opts);", "  }", "}");
  return parts.join("\n") + "\n";
}

/** A file's text, or "" when it does not exist yet (a new network's page or index). */
function readOrEmpty(file: string): string {
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
}

/** Files whose generated section is not current: [file, expected content]. */
export function stalePages(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const check = (file: string, next: (text: string) => string) => {
    const text = readOrEmpty(file);
    const wanted = next(text);
    if (wanted !== text) out.push([file, wanted]);
  };
  for (const n of NETWORKS) {
    check(path.join(ROOT, n.docs), (page) => withUnits(withFieldReference(page || `# ${n.title}\n`, n), n));
    check(path.join(ROOT, "provider", n.name, "index.ts"), (index) => withResourceClasses(index, n));
  }
  check(path.join(ROOT, "provider", "index.ts"), (index) => replaceSection(index, API_START, API_END, namespaces()));
  for (const n of NETWORKS) check(path.join(ROOT, "provider", "plugin", "sdk", `${n.name}.ts`), () => pluginNetworkSdk(n));
  check(path.join(ROOT, "provider", "plugin", "sdk", "index.ts"), () => pluginIndexSdk());
  check(path.join(ROOT, "docs", "registry", "_index.md"), () => registryIndex());
  check(path.join(ROOT, "docs", "registry", "installation-configuration.md"), () => registryInstallation());
  return out;
}

if (require.main === module) {
  const check = process.argv.includes("--check");
  const stale = stalePages();
  for (const [file, next] of stale) {
    if (check) console.error(`stale: ${path.relative(ROOT, file)} (run npm run docs)`);
    else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, next);
      console.log(`wrote ${path.relative(ROOT, file)}`);
    }
  }
  if (check && stale.length) process.exit(1);
  if (!stale.length) console.log("docs are current");
}
