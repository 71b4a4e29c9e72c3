/**
 * adnet-import's YAML emitter (`--language yaml`): the listed objects as a
 * Pulumi YAML program, one `Pulumi.yaml` (YAML reads one file), on the
 * provider plugin's types (`adnetworks:exoclick:Campaign`, docs/plugin.md),
 * each resource with `options: import: <id>` so the first `pulumi up`
 * adopts it. Driven only by the fields' declarations, as codegen.ts (whose
 * choices it shares: which inputs are written, names, dependency order,
 * references, secrets from config).
 *
 * Each network's objects (of one account) are a block between marker
 * comments, in `resources:` and in `config:` (its secret fields); a re-run
 * rewrites the blocks of the networks it reads and keeps the others'.
 */
import type { Field, Fields } from "../core/schema/schema";
import { accountIn, importIdOf } from "../core/config/account";
import { pluginToken } from "../plugin/token";
import { Generated, ImportedObject, NameMap, objectKey, planProgram, SecretUse, variableName, writtenFields } from "./codegen";

const isPlain = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/** YAML keys that need no quotes (what a declaration's field names are). */
const plainKey = (k: string) => (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : JSON.stringify(k));

/**
 * A scalar as YAML: JSON's form (a double-quoted string is YAML too), with
 * `${` escaped as `$${` (Pulumi YAML reads `${...}` as an interpolation).
 */
function scalar(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v).replace(/\$\{/g, () => "$${");
  return JSON.stringify(v ?? null);
}

interface Ctx {
  keyOf: Map<string, string>;
  secrets: SecretUse[];
  dangling: Generated["danglingRefs"];
  resource: string;
  key: string;
  account?: string;
  /** Config key -> its YAML config type (string, integer, number, boolean). */
  secretTypes: Map<string, string>;
}

/** The config key of a secret field (in the project's namespace), as codegen.ts names it. */
function secretKey(ctx: Ctx, path: string): string {
  return variableName(`${ctx.key}-${path.replace(/\[(\d+)\]/g, "-$1").replace(/\./g, "-")}`);
}

/** A value of `field` as YAML, starting after "key:" (a scalar on the same line, or block lines below at `indent`). */
function value(field: Field, v: unknown, ctx: Ctx, path: string, indent: string): string {
  if (field.secret) {
    const configKey = secretKey(ctx, path);
    ctx.secrets.push({ resource: ctx.resource, field: path, configKey });
    ctx.secretTypes.set(configKey, field.kind === "integer" || field.kind === "number" || field.kind === "boolean" ? field.kind : "string");
    return ` \${${configKey}}`;
  }
  if (field.ref && (typeof v === "string" || typeof v === "number")) {
    const key = ctx.keyOf.get(`${field.ref}/${importIdOf(ctx.account, String(v))}`);
    // An id is a string: a numeric field keeps the number, naming its resource (YAML converts no type).
    if (key && (field.kind === "integer" || field.kind === "number")) return ` ${scalar(v)} # ${key}'s id`;
    if (key) return ` \${${key}.id}`;
    ctx.dangling.push({ resource: ctx.resource, field: path, target: `${field.ref}/${v}` });
    return ` ${scalar(v)} # ${field.ref} ${v}: not in this program`;
  }
  switch (field.kind) {
    case "object":
      return isPlain(v) ? block(field.fields, v, ctx, path, indent) : json(v, indent);
    case "list": {
      if (!Array.isArray(v)) return json(v, indent);
      if (!v.length) return " []";
      const items = v.map((x, i) => value(field.items, x, ctx, `${path}[${i}]`, indent + "  "));
      if (items.every((x) => !x.includes("\n") && !x.includes("#"))) {
        const line = ` [${items.map((x) => x.trim()).join(", ")}]`;
        if (line.length <= 100) return line;
      }
      return items.map((x) => `\n${indent}-${x.includes("\n") ? x.replace(/^\n\s*/, " ") : x}`).join("");
    }
    case "map": {
      if (!isPlain(v)) return json(v, indent);
      const entries = Object.entries(v);
      if (!entries.length) return " {}";
      return entries.map(([k, x]) => `\n${indent}${plainKey(k)}:${value(field.values, x, ctx, `${path}.${k}`, indent + "  ")}`).join("");
    }
    case "json":
      return json(v, indent);
    default:
      return ` ${scalar(v)}${comment(field, v)}`;
  }
}

function comment(field: Field, v: unknown): string {
  if (field.kind === "enum" && field.meanings && field.meanings[String(v)]) return ` # ${field.meanings[String(v)].replace(/\n/g, " ")}`;
  return "";
}

/** Free-form data (`json` fields) in block form. */
function json(v: unknown, indent: string): string {
  if (Array.isArray(v)) {
    if (!v.length) return " []";
    return v.map((x) => {
      const inner = json(x, indent + "  ");
      return `\n${indent}-${inner.includes("\n") ? inner.replace(/^\n\s*/, " ") : inner}`;
    }).join("");
  }
  if (isPlain(v)) {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    if (!entries.length) return " {}";
    return entries.map(([k, x]) => `\n${indent}${plainKey(k)}:${json(x, indent + "  ")}`).join("");
  }
  return ` ${scalar(v)}`;
}

/** The written inputs of an object of `fields`, one "key: value" per line at `indent`. */
function block(fields: Fields, v: Record<string, unknown>, ctx: Ctx, path: string, indent: string): string {
  const lines: string[] = [];
  for (const w of writtenFields(fields, v, path)) {
    lines.push(`\n${indent}${plainKey(w.key)}:${value(w.field, w.value, ctx, w.path, indent + "  ")}`);
  }
  return lines.length ? lines.join("") : " {}";
}

const BEGIN = (unit: string) => `# >>> adnet-import ${unit}`;
const END = (unit: string) => `# <<< adnet-import ${unit}`;

/** The blocks of an earlier Pulumi.yaml: section ("config" | "resources") -> unit -> lines between the markers. */
export function readBlocks(text: string): Record<"config" | "resources", Map<string, string>> {
  const out = { config: new Map<string, string>(), resources: new Map<string, string>() };
  let section: "config" | "resources" | undefined;
  let unit: string | undefined;
  let lines: string[] = [];
  for (const line of text.split("\n")) {
    const top = /^([A-Za-z]+):/.exec(line);
    if (top) section = top[1] === "config" || top[1] === "resources" ? top[1] : undefined;
    const begin = /^\s*# >>> adnet-import (\S+)$/.exec(line);
    const end = /^\s*# <<< adnet-import (\S+)$/.exec(line);
    if (begin) {
      unit = begin[1];
      lines = [];
    } else if (end && unit === end[1]) {
      if (section) out[section].set(unit, lines.join("\n"));
      unit = undefined;
    } else if (unit) {
      lines.push(line);
    }
  }
  return out;
}

/**
 * The YAML program of `objs`, the objects of `networks` read from `account`:
 * `Pulumi.yaml` with their blocks, and the blocks of other networks kept from
 * `previousText` (the earlier file), with names reused from `previous`.
 */
export function generateYaml(objs: ImportedObject[], networks: string[], previous: NameMap | undefined, account: string, project: string, previousText?: string): Generated {
  const { ordered, names, nameOf, newNames, keptNames, unit } = planProgram(objs, networks, previous, account);
  const kept = previousText ? readBlocks(previousText) : { config: new Map<string, string>(), resources: new Map<string, string>() };
  const ours = new Set(networks.map(unit));
  // Keys of the kept blocks are taken: a resource's key is its name, or "<network>-<name>" when another holds that.
  const taken = new Set<string>();
  for (const [u, text] of kept.resources) if (!ours.has(u)) for (const m of text.matchAll(/^ {2}([^\s#][^:]*):\s*$/gm)) taken.add(m[1]);
  const keyOf = new Map<string, string>();
  const counts = new Map<string, number>();
  for (const o of ordered) counts.set(nameOf.get(objectKey(o))!, (counts.get(nameOf.get(objectKey(o))!) ?? 0) + 1);
  for (const o of ordered) {
    const name = nameOf.get(objectKey(o))!;
    let key = counts.get(name)! > 1 || taken.has(name) ? `${o.network}-${name}` : name;
    for (let i = 2; taken.has(key); i++) key = `${o.network}-${name}-${i}`;
    taken.add(key);
    keyOf.set(objectKey(o), key);
  }
  const secrets: SecretUse[] = [];
  const dangling: Generated["danglingRefs"] = [];
  const resources = new Map<string, string>();
  const config = new Map<string, string>();
  const secretTypes = new Map<string, string>();
  for (const network of networks) {
    const before = secrets.length;
    const lines: string[] = [];
    let lastType = "";
    for (const o of ordered.filter((x) => x.network === network)) {
      const k = objectKey(o);
      const name = nameOf.get(k)!;
      const key = keyOf.get(k)!;
      if (o.type !== lastType) {
        lines.push(`  # ${o.type}${o.def.importId ? ` (import id: ${o.def.importId})` : ""}`);
        lastType = o.type;
      }
      const ctx: Ctx = { keyOf, secrets, dangling, resource: `${o.key} ${name}`, key, account: accountIn(o.state), secretTypes };
      lines.push(`  ${plainKey(key)}:`);
      lines.push(`    type: ${pluginToken(o.key)}`);
      if (key !== name) lines.push(`    name: ${scalar(name)}`);
      lines.push(`    properties:${block(o.def.fields as Fields, o.state, ctx, "", "      ")}`);
      lines.push(`    options:`);
      lines.push(`      import: ${scalar(o.id)}`);
    }
    resources.set(unit(network), lines.join("\n"));
    const mine = secrets.slice(before);
    config.set(unit(network), mine.map((s) => `  ${plainKey(s.configKey)}:\n    type: ${secretTypes.get(s.configKey)}\n    secret: true`).join("\n"));
  }
  const all = (section: "config" | "resources", fresh: Map<string, string>) => {
    const units = [...new Set([...kept[section].keys()].filter((u) => !ours.has(u)).concat([...fresh.keys()]))].sort();
    return units
      .map((u) => ({ u, text: fresh.get(u) ?? kept[section].get(u) ?? "" }))
      .filter((x) => x.text.trim())
      .map((x) => `  ${BEGIN(x.u)}\n${x.text}\n  ${END(x.u)}`);
  };
  const configBlocks = all("config", config);
  const resourceBlocks = all("resources", resources);
  const text = [
    `# Ad network accounts as code, written by adnet-import --language yaml. Re-run adnet-import to refresh a network's block`,
    `# (between its "adnet-import" markers; resource names stay, adnet-import.names.json); edit and \`pulumi up\` as with any program.`,
    `# The default provider's credentials: pulumi config set --secret --path adnetworks:<network>.<setting> <value> (docs/plugin.md).`,
    `name: ${previousText && /^name:\s*(\S+)/m.exec(previousText)?.[1] || project}`,
    "runtime: yaml",
    "description: Ad network accounts as code (written by adnet-import)",
    ...(configBlocks.length ? ["config:", ...configBlocks] : []),
    "resources:",
    ...(resourceBlocks.length ? resourceBlocks : ["  {}"]),
    "",
  ].join("\n");
  return { files: { "Pulumi.yaml": text }, names, secrets, danglingRefs: dangling, newNames, keptNames };
}
