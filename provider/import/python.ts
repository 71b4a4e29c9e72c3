/**
 * adnet-import's Python emitter (`--language python`): the same objects,
 * names and rules as the TypeScript generator (codegen.ts: which inputs to
 * write, references, secrets from stack config, stable names), written as a
 * Pulumi Python program on the provider plugin: one module per network
 * (`exoclick.py`, `exoclick_brandB.py` for another account), `__main__.py`
 * importing them, each resource with `import_` and its network id, so the
 * first `pulumi up` adopts everything.
 *
 * Each resource is a `pulumi.CustomResource` of the plugin's type token
 * (`adnetworks:exoclick:Campaign`) with its inputs under their declared
 * names, the names of the plugin's schema: the program needs only `pulumi`
 * from PyPI and the plugin. Nothing here knows a network.
 */
import type { Field, Fields } from "../core/schema/schema";
import { accountIn, DEFAULT_ACCOUNT, importIdOf } from "../core/config/account";
import { Ctx, Generated, ImportedObject, NameMap, objectKey, planProgram, SecretUse, slug, variablesOf, writtenFields } from "./codegen";

const KEYWORDS = new Set(("False None True and as assert async await break class continue def del elif else except finally for from global if import in is " +
  "lambda nonlocal not or pass raise return try while with yield pulumi config print id type list dict str int float bool object").split(" "));

/** A Python variable name for a resource name (snake_case, never a keyword or a builtin the program uses). */
export function pythonName(name: string): string {
  let v = slug(name, 60).replace(/-/g, "_");
  if (!v || /^[0-9]/.test(v)) v = `r_${v}`;
  if (KEYWORDS.has(v)) v += "_resource";
  return v;
}

/** The module of a file unit ("exoclick-brandB" -> "exoclick_brandB"). */
export const moduleOf = (unit: string) => unit.replace(/[^A-Za-z0-9_]/g, "_");

const isPlain = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/** A Python literal of a JSON value's scalar (JSON strings and numbers are Python literals). */
function scalar(v: unknown): string {
  if (v === true) return "True";
  if (v === false) return "False";
  if (v === null || v === undefined) return "None";
  return JSON.stringify(v);
}

const INDENT = "    ";
/** Between an item's code and its end-of-line comment (never in a literal: JSON escapes it). */
const NOTE = "\u0000";
const withNote = (code: string, note?: string) => (note ? `${code}${NOTE}${note}` : code);
/** One item on its line: the code, its comma, then its comment. */
const line = (item: string, indent: string) => {
  const [code, note] = item.split(NOTE);
  return `${indent}${INDENT}${code},${note ? `  # ${note}` : ""}`;
};

function join(open: string, close: string, items: string[], indent: string, multiline = false): string {
  if (!items.length) return `${open}${close}`;
  const oneLine = `${open}${items.join(", ")}${close}`;
  if (!multiline && oneLine.length <= 100 && !oneLine.includes("\n") && !oneLine.includes(NOTE)) return oneLine;
  return `${open}\n${items.map((x) => line(x, indent)).join("\n")}\n${indent}${close}`;
}

function json(value: unknown, indent: string): string {
  if (Array.isArray(value)) return join("[", "]", value.map((x) => json(x, indent + INDENT)), indent);
  if (isPlain(value)) return join("{", "}", Object.entries(value).filter(([, x]) => x !== undefined).map(([k, x]) => `${JSON.stringify(k)}: ${json(x, indent + INDENT)}`), indent);
  return scalar(value);
}

function secret(field: Field, ctx: Ctx, path: string): string {
  const key = `${ctx.varName}_${path.replace(/\[(\d+)\]/g, "_$1").replace(/\./g, "_")}`.replace(/_([a-z0-9])/gi, (_m, c: string) => c.toUpperCase());
  ctx.secrets.push({ resource: ctx.resource, field: path, configKey: key });
  const k = JSON.stringify(key);
  if (field.kind === "integer") return `config.require_secret_int(${k})`;
  if (field.kind === "number") return `config.require_secret_float(${k})`;
  if (field.kind === "boolean") return `config.require_secret_bool(${k})`;
  if (field.kind === "string" || field.kind === "url" || field.kind === "date" || field.kind === "dateTime" || (field.kind === "enum" && field.values.every((x) => typeof x === "string"))) {
    return `config.require_secret(${k})`;
  }
  return `config.require_secret_object(${k})`;
}

/** A Python expression for `value` of `field`. */
function expr(field: Field, value: unknown, ctx: Ctx, path: string, indent: string): string {
  if (field.secret) return secret(field, ctx, path);
  if (field.ref && (typeof value === "string" || typeof value === "number")) {
    const v = ctx.varOf.get(`${field.ref}/${importIdOf(ctx.account, String(value))}`);
    if (v) return field.kind === "number" || field.kind === "integer" ? `${v}.id.apply(int)` : `${v}.id`;
    ctx.dangling.push({ resource: ctx.resource, field: path, target: `${field.ref}/${value}` });
    return withNote(scalar(value), `${field.ref} ${value}: not in this program`);
  }
  switch (field.kind) {
    case "object":
      return isPlain(value) ? object(field.fields, value, ctx, path, indent) : json(value, indent);
    case "list":
      return Array.isArray(value) ? join("[", "]", value.map((x, i) => expr(field.items, x, ctx, `${path}[${i}]`, indent + INDENT)), indent) : json(value, indent);
    case "map":
      return isPlain(value) ? join("{", "}", Object.entries(value).map(([k, x]) => `${JSON.stringify(k)}: ${expr(field.values, x, ctx, `${path}.${k}`, indent + INDENT)}`), indent) : json(value, indent);
    case "json":
      return json(value, indent);
    default:
      return scalar(value);
  }
}

function object(fields: Fields, value: Record<string, unknown>, ctx: Ctx, path: string, indent: string): string {
  const items: string[] = [];
  for (const w of writtenFields(fields, value, path)) {
    items.push(withNote(`${JSON.stringify(w.key)}: ${expr(w.field, w.value, ctx, w.path, indent + INDENT)}`, w.meaning));
  }
  // One field per line at the top (a resource's inputs read as a list of fields).
  return join("{", "}", items, indent, !path);
}

function networkModule(network: string, objs: ImportedObject[], nameOf: Map<string, string>, varOf: Map<string, string>, secrets: SecretUse[], dangling: Ctx["dangling"]): string {
  const body: string[] = [];
  const before = secrets.length;
  let lastType = "";
  for (const o of objs) {
    const k = objectKey(o);
    const name = nameOf.get(k)!;
    const varName = varOf.get(k)!;
    if (o.type !== lastType) {
      body.push(`# ${o.type}${o.def.importId ? ` (import id: ${o.def.importId})` : ""}`);
      lastType = o.type;
    }
    const ctx: Ctx = { varOf, secrets, dangling, resource: `${o.key} ${name}`, varName, account: accountIn(o.state) };
    const args = object(o.def.fields, o.state, ctx, "", "");
    body.push(`${varName} = pulumi.CustomResource(${JSON.stringify(`adnetworks:${o.key}`)}, ${JSON.stringify(name)}, ${args}, pulumi.ResourceOptions(import_=${JSON.stringify(o.id)}))`);
    body.push("");
  }
  const account = objs.length ? accountIn(objs[0].state) : DEFAULT_ACCOUNT;
  const head = [
    `"""The ${network} account${account !== DEFAULT_ACCOUNT ? ` ${JSON.stringify(account)}` : ""} as code, written by adnet-import. Re-run adnet-import to refresh it:`,
    `resource names stay (adnet-import.names.json); edit and \`pulumi up\` as with any program."""`,
    "import pulumi",
    "",
    ...(secrets.length > before ? ["# Secret fields come from stack config: pulumi config set --secret <key> <value>", "config = pulumi.Config()", ""] : []),
  ];
  return [...head, ...body].join("\n").replace(/\n+$/, "\n");
}

/** The program's files for `objs` (as codegen.ts's `generate`, in Python). */
export function generatePython(objs: ImportedObject[], networks: string[], previous: NameMap | undefined, account: string = DEFAULT_ACCOUNT): Generated {
  const { ordered, names, nameOf, newNames, keptNames, unit } = planProgram(objs, networks, previous, account);
  const varOf = variablesOf(ordered, nameOf, pythonName, (base, i) => `${base}_${i}`);
  const secrets: SecretUse[] = [];
  const dangling: Ctx["dangling"] = [];
  const files: Record<string, string> = {};
  for (const network of networks) {
    files[`${moduleOf(unit(network))}.py`] = networkModule(network, ordered.filter((o) => o.network === network), nameOf, varOf, secrets, dangling);
  }
  files["__main__.py"] = [
    '"""Every network\'s objects, written by adnet-import (one module per network)."""',
    ...names.networks.map((n) => `import ${moduleOf(n)}  # noqa: F401`),
    "",
  ].join("\n");
  return { files, names, secrets, danglingRefs: dangling, newNames, keptNames };
}

/** Pulumi.yaml, requirements.txt and .gitignore of a new Python project (written when missing). */
export function pythonProjectFiles(project: string, sdkVersion: string): Record<string, string> {
  return {
    "Pulumi.yaml": [
      `name: ${project}`,
      "description: Ad network accounts as code (written by adnet-import)",
      "# Needs the adnetworks provider plugin (pulumi-resource-adnetworks) on PATH: npx adnet-setup.",
      "runtime:",
      "  name: python",
      "  options:",
      "    toolchain: pip",
      "    virtualenv: venv",
      "",
    ].join("\n"),
    "requirements.txt": `pulumi>=${sdkVersion},<4.0.0\n`,
    ".gitignore": "venv/\n__pycache__/\n",
  };
}
