/**
 * The code generator of adnet-import: turns listed objects into a Pulumi
 * TypeScript program, driven only by each resource's declared fields
 * (core/schema/schema.ts): which inputs to write (not outputs, not values equal to
 * the declared `default`, not empty server defaults), which values are
 * references to other resources (`ref`), which are secrets (read from stack
 * config instead), which name an object (`naturalKey`). Nothing here knows
 * a network.
 *
 * Names are stable: a mapping file in the output directory keeps the name
 * given to every object ("<module>:<Type>/<id>") and is never rewritten for
 * an existing entry; names of objects that disappeared are never reused (a
 * reused name would point the stack's old resource at a new object).
 */
import type { ResourceDef } from "../core/schema/define";
import { checkValue, Field, Fields, sameValue } from "../core/schema/schema";
import { Checker } from "../core/schema/validate";
import { accountIn, DEFAULT_ACCOUNT, importIdOf } from "../core/config/account";

/** One object of the account, as its def's `list()` reports it. */
export interface ImportedObject {
  /** "<module>:<Type>". */
  key: string;
  network: string;
  type: string;
  def: ResourceDef;
  /** The id `import` takes ("<account>:<id>" for an object of another account than the default). */
  id: string;
  state: Record<string, unknown>;
}

export interface NameMap {
  version: 1;
  /** "<module>:<Type>/<id>" -> resource name; entries are never changed or reused. */
  names: Record<string, string>;
  /** Networks (and networks of other accounts, "exoclick-brandB") that have a generated file (index.ts imports each). */
  networks: string[];
  /** Objects named once and no longer in the program (their names stay taken). */
  retired?: string[];
}

export interface SecretUse {
  resource: string;
  field: string;
  /** The stack config key the program reads (in the project's namespace). */
  configKey: string;
}

export interface Generated {
  /** File name (relative to the output directory) -> content. */
  files: Record<string, string>;
  names: NameMap;
  secrets: SecretUse[];
  /** References to objects that are not in the program (kept as literal ids). */
  danglingRefs: Array<{ resource: string; field: string; target: string }>;
  newNames: number;
  keptNames: number;
}

export const objectKey = (o: { key: string; id: string }) => `${o.key}/${o.id}`;

const RESERVED = new Set(("break case catch class const continue debugger default delete do else enum export extends false finally for function if import in " +
  "instanceof new null return super switch this throw true try typeof var void while with as implements interface let package private protected public " +
  "static yield any boolean number string symbol type from of await async config pulumi require module exports").split(" "));

export function slug(s: string, max = 48): string {
  return s
    .normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, "")
    .replace(/^www\./, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, max)
    .replace(/-+$/, "");
}

function kebab(type: string): string {
  return type.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

function camel(name: string): string {
  const parts = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  let v = parts.map((p, i) => (i === 0 ? p : p[0].toUpperCase() + p.slice(1))).join("");
  if (!v || /^[0-9]/.test(v)) v = "r" + (v ? v[0].toUpperCase() + v.slice(1) : "");
  if (RESERVED.has(v)) v += "Resource";
  return v;
}

const isIdent = (k: string) => /^[A-Za-z_$][\w$]*$/.test(k);
const propKey = (k: string) => (isIdent(k) ? k : JSON.stringify(k));
const isPlain = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
const isEmpty = (v: unknown) => (Array.isArray(v) && v.length === 0) || (isPlain(v) && Object.keys(v).length === 0);

/** Whether an input value belongs in the program: not an output, not absent, not the declared default, not an empty server default. */
export function written(field: Field, value: unknown): boolean {
  // Outputs, and inputs that `check` derives from others (a file's content hash): never given by a program.
  if (field.output || (field as { derived?: boolean }).derived) return false;
  if (value === undefined || value === null) return false;
  if (!field.required && field.default !== undefined && sameValue(field, value, field.default)) return false;
  if (field.serverDefault && (isEmpty(value) || !acceptable(field, value))) return false;
  return true;
}

/** A field a program writes: its key, declaration, value, path from the resource's inputs, and an enum value's meaning. */
export interface WrittenField {
  key: string;
  field: Field;
  value: unknown;
  path: string;
  meaning?: string;
}

/** The fields of `value` a program writes (`written`), in declaration order: what every language's emitter lists. */
export function writtenFields(fields: Fields, value: Record<string, unknown>, path: string): WrittenField[] {
  const out: WrittenField[] = [];
  for (const [key, field] of Object.entries(fields)) {
    const v = value[key];
    if (!written(field, v)) continue;
    const meaning = field.kind === "enum" && field.meanings ? field.meanings[String(v)] : undefined;
    out.push({ key, field, value: v, path: path ? `${path}.${key}` : key, ...(meaning ? { meaning } : {}) });
  }
  return out;
}

/**
 * Whether a program may declare this value: a server default the field's own
 * rules refuse (a network's "-1 = unlimited" where only >= 0 may be sent) is
 * the network's choice, left out (omitted, it is not drift).
 */
function acceptable(field: Field, value: unknown): boolean {
  const c = new Checker("import");
  checkValue(c, field, "value", value);
  return c.failures.length === 0;
}

/** Every `ref` in a value: [target key, id, field path]. */
export function refsOf(fields: Fields, state: Record<string, unknown>): Array<{ key: string; id: string; path: string }> {
  const out: Array<{ key: string; id: string; path: string }> = [];
  // A reference is to an object of the same account: its id as `import` takes it.
  const account = accountIn(state);
  const walk = (field: Field, v: unknown, path: string) => {
    if (v === undefined || v === null) return;
    if (field.ref && (typeof v === "string" || typeof v === "number")) out.push({ key: field.ref, id: importIdOf(account, String(v)), path });
    if (field.kind === "object" && isPlain(v)) for (const [k, f] of Object.entries(field.fields)) walk(f, v[k], `${path}.${k}`);
    if (field.kind === "list" && Array.isArray(v)) v.forEach((x, i) => walk(field.items, x, `${path}[${i}]`));
    if (field.kind === "map" && isPlain(v)) for (const [k, x] of Object.entries(v)) walk(field.values, x, `${path}.${k}`);
  };
  for (const [k, f] of Object.entries(fields)) if (!f.output) walk(f, state[k], k);
  return out;
}

/**
 * Dependency order (referenced objects first), otherwise the given order;
 * a reference cycle (none of the networks has one) keeps the given order.
 */
export function dependencyOrder(objs: ImportedObject[]): ImportedObject[] {
  const byKey = new Map(objs.map((o) => [objectKey(o), o]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: ImportedObject[] = [];
  const visit = (o: ImportedObject) => {
    const k = objectKey(o);
    if (done.has(k) || visiting.has(k)) return;
    visiting.add(k);
    for (const r of refsOf(o.def.fields, o.state)) {
      const t = byKey.get(`${r.key}/${r.id}`);
      if (t) visit(t);
    }
    visiting.delete(k);
    done.add(k);
    out.push(o);
  };
  objs.forEach(visit);
  return out;
}

/** Looks like an id rather than a name: digits, a UUID, a long hex string. */
const idLike = (s: string) => /^\d+$/.test(s) || /^[0-9a-f]{16,}$/i.test(s) || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

/** A URL names its host and path (the query is tracking noise). */
const nameOfUrl = (s: string) => {
  try {
    const u = new URL(s);
    return u.host + (u.pathname === "/" ? "" : u.pathname);
  } catch {
    return s;
  }
};

/**
 * What an object is called: its `name` or `title` field, else the first
 * natural key that is not an id (a URL by host and path), else a `...Name`
 * field (a file name); else the first object it references plus its type,
 * else the type and the last characters of an id.
 */
function baseName(o: ImportedObject, nameOf: (key: string, id: string) => string | undefined): string {
  const fields = o.def.fields as Fields;
  const str = (k: string) => (typeof o.state[k] === "string" || typeof o.state[k] === "number" ? String(o.state[k]) : undefined);
  const candidates: Array<string | undefined> = [str("name"), str("title")];
  for (const [k, f] of Object.entries(fields)) {
    const v = str(k);
    if (!f.naturalKey || f.ref || v === undefined || idLike(v)) continue;
    candidates.push(f.kind === "url" ? nameOfUrl(v) : v);
  }
  for (const k of Object.keys(fields)) if (/Name$/.test(k)) candidates.push(str(k));
  for (const c of candidates) {
    const s = c !== undefined ? slug(c) : "";
    if (s) return s;
  }
  for (const r of refsOf(fields, o.state)) {
    const parent = nameOf(r.key, r.id);
    if (parent) return `${parent}-${kebab(o.type)}`;
  }
  // Only ids: the type and the last characters of the first (where sequential and random ids differ).
  const tail = (v: string) => slug(v).replace(/-/g, "").slice(-8);
  for (const [k, f] of Object.entries(fields)) {
    const v = str(k);
    if (f.naturalKey && !f.ref && v && tail(v)) return `${kebab(o.type)}-${tail(v)}`;
  }
  return `${kebab(o.type)}-${tail(o.id) || "object"}`;
}

/** Assigns names: existing entries stay; new ones are unique within the network and never reuse a name the map ever gave. */
export function assignNames(objs: ImportedObject[], previous: NameMap | undefined): { names: NameMap; nameOf: Map<string, string>; newNames: number; keptNames: number } {
  const names: NameMap = { version: 1, names: { ...(previous?.names ?? {}) }, networks: [...(previous?.networks ?? [])], retired: previous?.retired };
  const used = new Map<string, Set<string>>();
  const usedIn = (network: string) => {
    let s = used.get(network);
    if (!s) used.set(network, (s = new Set()));
    return s;
  };
  for (const [k, v] of Object.entries(names.names)) usedIn(k.split(":")[0]).add(v);
  const nameOf = new Map<string, string>();
  let newNames = 0;
  let keptNames = 0;
  for (const o of objs) {
    const k = objectKey(o);
    const existing = names.names[k];
    if (existing) {
      nameOf.set(k, existing);
      keptNames++;
      continue;
    }
    const base = baseName(o, (key, id) => nameOf.get(`${key}/${id}`));
    const taken = usedIn(o.network);
    let name = base;
    for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
    taken.add(name);
    names.names[k] = name;
    nameOf.set(k, name);
    newNames++;
  }
  for (const o of objs) if (!names.networks.includes(fileUnit(o.network, accountIn(o.state)))) names.networks.push(fileUnit(o.network, accountIn(o.state)));
  names.networks.sort();
  return { names, nameOf, newNames, keptNames };
}

/** What writing one object's arguments needs and records (the TypeScript and Python programs). */
export interface Ctx {
  varOf: Map<string, string>;
  secrets: SecretUse[];
  dangling: Array<{ resource: string; field: string; target: string }>;
  resource: string;
  varName: string;
  /** The account of the object written (its references are to objects of that account). */
  account?: string;
}

function secretExpr(field: Field, ctx: Ctx, path: string): string {
  const configKey = camel(`${ctx.varName}-${path.replace(/\[(\d+)\]/g, "-$1").replace(/\./g, "-")}`);
  ctx.secrets.push({ resource: ctx.resource, field: path, configKey });
  if (field.kind === "number" || field.kind === "integer") return `config.requireSecretNumber(${JSON.stringify(configKey)})`;
  if (field.kind === "boolean") return `config.requireSecretBoolean(${JSON.stringify(configKey)})`;
  if (field.kind === "string" || field.kind === "url" || field.kind === "date" || field.kind === "dateTime" || (field.kind === "enum" && field.values.every((x) => typeof x === "string"))) {
    return `config.requireSecret(${JSON.stringify(configKey)})`;
  }
  return `config.requireSecretObject<any>(${JSON.stringify(configKey)})`;
}

/** A TypeScript expression for `value` of `field`. */
function expr(field: Field, value: unknown, ctx: Ctx, path: string, indent: string): string {
  if (field.secret) return secretExpr(field, ctx, path);
  if (field.ref && (typeof value === "string" || typeof value === "number")) {
    const v = ctx.varOf.get(`${field.ref}/${importIdOf(ctx.account, String(value))}`);
    if (v) return field.kind === "number" || field.kind === "integer" ? `${v}.id.apply(Number)` : `${v}.id`;
    ctx.dangling.push({ resource: ctx.resource, field: path, target: `${field.ref}/${value}` });
    return `${JSON.stringify(value)} /* ${field.ref} ${value}: not in this program */`;
  }
  switch (field.kind) {
    case "object":
      return isPlain(value) ? objectExpr(field.fields, value, ctx, path, indent) : jsonExpr(value, indent);
    case "list": {
      if (!Array.isArray(value)) return jsonExpr(value, indent);
      const items = value.map((x, i) => expr(field.items, x, ctx, `${path}[${i}]`, indent + "  "));
      const oneLine = `[${items.join(", ")}]`;
      if (oneLine.length <= 100 && !oneLine.includes("\n")) return oneLine;
      return `[\n${items.map((x) => `${indent}  ${x},`).join("\n")}\n${indent}]`;
    }
    case "map": {
      if (!isPlain(value)) return jsonExpr(value, indent);
      const entries = Object.entries(value).map(([k, x]) => `${indent}  ${propKey(k)}: ${expr(field.values, x, ctx, `${path}.${k}`, indent + "  ")},`);
      return entries.length ? `{\n${entries.join("\n")}\n${indent}}` : "{}";
    }
    case "json":
      return jsonExpr(value, indent);
    default:
      return JSON.stringify(value);
  }
}

function jsonExpr(value: unknown, indent: string): string {
  if (Array.isArray(value)) {
    const items = value.map((x) => jsonExpr(x, indent + "  "));
    const oneLine = `[${items.join(", ")}]`;
    return oneLine.length <= 100 && !oneLine.includes("\n") ? oneLine : `[\n${items.map((x) => `${indent}  ${x},`).join("\n")}\n${indent}]`;
  }
  if (isPlain(value)) {
    const entries = Object.entries(value).filter(([, x]) => x !== undefined);
    if (!entries.length) return "{}";
    return `{\n${entries.map(([k, x]) => `${indent}  ${propKey(k)}: ${jsonExpr(x, indent + "  ")},`).join("\n")}\n${indent}}`;
  }
  return JSON.stringify(value ?? null);
}

function objectExpr(fields: Fields, value: Record<string, unknown>, ctx: Ctx, path: string, indent: string): string {
  const lines: string[] = [];
  for (const w of writtenFields(fields, value, path)) {
    lines.push(`${indent}  ${propKey(w.key)}: ${expr(w.field, w.value, ctx, w.path, indent + "  ")},${w.meaning ? ` // ${w.meaning}` : ""}`);
  }
  return lines.length ? `{\n${lines.join("\n")}\n${indent}}` : "{}";
}

/**
 * One resource as adnet-import writes it, for other code generators (the code
 * `pulumi import` prints, provider/language-host/generate.ts):
 * `const <varName> = new <network>.<Type>("<name>", { ... }, <options>);`.
 * `varOf` maps "<key>/<id>" of referenced objects to their variables; secret
 * fields are read from stack config and listed in `secrets`.
 */
export function resourceCode(o: { key: string; network: string; type: string; def: ResourceDef<any>; name: string; varName: string; state: Record<string, unknown>; options?: string; varOf: Map<string, string>; secrets: SecretUse[] }): string {
  const ctx: Ctx = { varOf: o.varOf, secrets: o.secrets, dangling: [], resource: `${o.key} ${o.name}`, varName: o.varName, account: accountIn(o.state) };
  return `const ${o.varName} = new ${o.network}.${o.type}(${JSON.stringify(o.name)}, ${objectExpr(o.def.fields, o.state, ctx, "", "")}${o.options ? `, ${o.options}` : ""});`;
}

/** A TypeScript variable name for a resource name (camelCase, never a reserved word). */
export const variableName = (name: string) => camel(name);

/** The program text of one network's objects (already in dependency order). */
function networkFile(network: string, objs: ImportedObject[], nameOf: Map<string, string>, varOf: Map<string, string>, secrets: SecretUse[], dangling: Ctx["dangling"], sdk: string): string {
  const body: string[] = [];
  const before = secrets.length;
  let lastType = "";
  for (const o of objs) {
    const k = objectKey(o);
    const name = nameOf.get(k)!;
    const varName = varOf.get(k)!;
    if (o.type !== lastType) {
      body.push(`// ${o.type}${o.def.importId ? ` (import id: ${o.def.importId})` : ""}`);
      lastType = o.type;
    }
    const ctx: Ctx = { varOf, secrets, dangling, resource: `${o.key} ${name}`, varName, account: accountIn(o.state) };
    const args = objectExpr(o.def.fields, o.state, ctx, "", "");
    body.push(`const ${varName} = new ${network}.${o.type}(${JSON.stringify(name)}, ${args}, { import: ${JSON.stringify(o.id)} });`);
    body.push("");
  }
  const account = objs.length ? accountIn(objs[0].state) : DEFAULT_ACCOUNT;
  const head = [
    `// The ${network} account${account !== DEFAULT_ACCOUNT ? ` ${JSON.stringify(account)}` : ""} as code, written by adnet-import. Re-run adnet-import to refresh it:`,
    `// resource names stay (adnet-import.names.json); edit and \`pulumi up\` as with any program.`,
    ...(secrets.length > before ? [`import * as pulumi from "@pulumi/pulumi";`] : []),
    `import { ${network} } from ${JSON.stringify(sdk)};`,
    "",
    ...(secrets.length > before ? ["// Secret fields come from stack config: pulumi config set --secret <key> <value>", "const config = new pulumi.Config();", ""] : []),
  ];
  return [...head, ...body].join("\n").replace(/\n+$/, "\n");
}

/**
 * Above this many objects a network's file is data beside a small loop
 * (`dataFile`): 3,100 statements, one per object, made a 2.2 MB program that
 * ts-node type-checked on every preview (30 s for a no-op preview of the
 * bench's account).
 */
export const DATA_ABOVE = 100;

/** A value of the data file: a reference is `{ "@ref": <resource name> }`, a secret `{ "@secret": <config key> }`. */
function dataValue(field: Field, value: unknown, ctx: Ctx, path: string, names: Map<string, string>): unknown {
  if (field.secret) {
    const configKey = camel(`${ctx.varName}-${path.replace(/\[(\d+)\]/g, "-$1").replace(/\./g, "-")}`);
    ctx.secrets.push({ resource: ctx.resource, field: path, configKey });
    const as = field.kind === "number" || field.kind === "integer" ? "number" : field.kind === "boolean" ? "boolean"
      : field.kind === "string" || field.kind === "url" || field.kind === "date" || field.kind === "dateTime" || (field.kind === "enum" && field.values.every((x) => typeof x === "string")) ? "string" : "object";
    return { "@secret": configKey, as };
  }
  if (field.ref && (typeof value === "string" || typeof value === "number")) {
    const name = names.get(`${field.ref}/${importIdOf(ctx.account, String(value))}`);
    if (name) return field.kind === "number" || field.kind === "integer" ? { "@ref": name, as: "number" } : { "@ref": name };
    ctx.dangling.push({ resource: ctx.resource, field: path, target: `${field.ref}/${value}` });
    return value;
  }
  if (field.kind === "object" && isPlain(value)) return dataArgs(field.fields, value, ctx, path, names);
  if (field.kind === "list" && Array.isArray(value)) return value.map((x, i) => dataValue(field.items, x, ctx, `${path}[${i}]`, names));
  if (field.kind === "map" && isPlain(value)) return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, dataValue(field.values, x, ctx, `${path}.${k}`, names)]));
  return value;
}

function dataArgs(fields: Fields, value: Record<string, unknown>, ctx: Ctx, path: string, names: Map<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, f] of Object.entries(fields)) if (written(f, value[k])) out[k] = dataValue(f, value[k], ctx, path ? `${path}.${k}` : k, names);
  return out;
}

/**
 * A network's objects as data (`<unit>.objects.json`: one entry per object, in
 * dependency order, with its type, resource name, import id and arguments)
 * and the loop that declares them (`<unit>.ts`). Same resource names, same
 * arguments and the same `import` ids as the one-statement-per-object file;
 * only the loop is type-checked.
 */
export function dataFile(network: string, unit: string, objs: ImportedObject[], nameOf: Map<string, string>, varOf: Map<string, string>, secrets: SecretUse[], dangling: Ctx["dangling"], sdk: string): { code: string; data: string } {
  const before = secrets.length;
  const entries = objs.map((o) => {
    const k = objectKey(o);
    const name = nameOf.get(k)!;
    const ctx: Ctx = { varOf, secrets, dangling, resource: `${o.key} ${name}`, varName: varOf.get(k)!, account: accountIn(o.state) };
    return { type: o.type, name, import: o.id, args: dataArgs(o.def.fields, o.state, ctx, "", nameOf) };
  });
  // One object per line: a diff of a re-import shows the objects that changed.
  const data = `[\n${entries.map((e) => `  ${JSON.stringify(e)}`).join(",\n")}\n]\n`;
  const account = objs.length ? accountIn(objs[0].state) : DEFAULT_ACCOUNT;
  const types = [...new Set(objs.map((o) => o.type))];
  const withSecrets = secrets.length > before;
  const code = [
    `// The ${network} account${account !== DEFAULT_ACCOUNT ? ` ${JSON.stringify(account)}` : ""} as code, written by adnet-import. Re-run adnet-import to refresh it:`,
    `// resource names stay (adnet-import.names.json); edit and \`pulumi up\` as with any program.`,
    `// Its ${objs.length} objects (${types.join(", ")}) are in ${unit}.objects.json, one per line in dependency order:`,
    `// { type, name (the resource's), import (its id at the network), args }. In args, { "@ref": "<name>" } is the id`,
    `// of the resource of that name above it${withSecrets ? `, { "@secret": "<key>" } a secret read from stack config` : ""}.`,
    `import * as pulumi from "@pulumi/pulumi";`,
    `import { ${network} } from ${JSON.stringify(sdk)};`,
    "",
    `interface Entry { type: string; name: string; import: string; args: Record<string, unknown> }`,
    `type Constructor = new (name: string, args: any, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;`,
    `// eslint-disable-next-line @typescript-eslint/no-var-requires`,
    `const objects: Entry[] = require("./${unit}.objects.json");`,
    ...(withSecrets ? ["// Secret fields come from stack config: pulumi config set --secret <key> <value>", "const config = new pulumi.Config();"] : []),
    `const made = new Map<string, pulumi.CustomResource>();`,
    "",
    `function resolve(v: unknown): unknown {`,
    `  if (Array.isArray(v)) return v.map(resolve);`,
    `  if (!v || typeof v !== "object") return v;`,
    `  const o = v as Record<string, unknown>;`,
    `  if (typeof o["@ref"] === "string") {`,
    `    const target = made.get(o["@ref"]);`,
    `    if (!target) throw new Error(\`${unit}.objects.json: no resource named \${o["@ref"]} above its first use\`);`,
    `    return o.as === "number" ? target.id.apply(Number) : target.id;`,
    `  }`,
    ...(withSecrets ? [
      `  if (typeof o["@secret"] === "string") {`,
      `    const key = o["@secret"];`,
      `    return o.as === "number" ? config.requireSecretNumber(key) : o.as === "boolean" ? config.requireSecretBoolean(key) : o.as === "string" ? config.requireSecret(key) : config.requireSecretObject<unknown>(key);`,
      `  }`,
    ] : []),
    `  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, resolve(x)]));`,
    `}`,
    "",
    `for (const o of objects) {`,
    `  const Type = (${network} as unknown as Record<string, Constructor>)[o.type];`,
    `  made.set(o.name, new Type(o.name, resolve(o.args), { import: o.import }));`,
    `}`,
    "",
  ].join("\n");
  return { code, data };
}

/** The generated file (without ".ts") of a network's objects of one account: "exoclick", "exoclick-brandB". */
export function fileUnit(network: string, account: string): string {
  return account === DEFAULT_ACCOUNT ? network : `${network}-${account}`;
}

/**
 * What every language's program starts from: `objs` in dependency order,
 * their names (kept from `previous`, new ones unique), and the name map's
 * files with those of `networks` read from `account` among them.
 */
export function planProgram(objs: ImportedObject[], networks: string[], previous: NameMap | undefined, account: string) {
  const ordered = dependencyOrder(objs);
  const { names, nameOf, newNames, keptNames } = assignNames(ordered, previous);
  const unit = (network: string) => fileUnit(network, account);
  for (const n of networks) if (!names.networks.includes(unit(n))) names.networks.push(unit(n));
  names.networks.sort();
  return { ordered, names, nameOf, newNames, keptNames, unit };
}

/**
 * A program variable per object, unique within its network's file: `base`
 * of its name, then `numbered(base, 2)`, `numbered(base, 3)` ... when taken.
 */
export function variablesOf(ordered: ImportedObject[], nameOf: Map<string, string>, base: (name: string) => string, numbered: (base: string, i: number) => string): Map<string, string> {
  const varOf = new Map<string, string>();
  const varsUsed = new Map<string, Set<string>>();
  for (const o of ordered) {
    let used = varsUsed.get(o.network);
    if (!used) varsUsed.set(o.network, (used = new Set()));
    const b = base(nameOf.get(objectKey(o))!);
    let v = b;
    for (let i = 2; used.has(v); i++) v = numbered(b, i);
    used.add(v);
    varOf.set(objectKey(o), v);
  }
  return varOf;
}

/** The module a generated program imports its classes from: the dynamic resources', or the provider plugin's (docs/plugin.md). */
export const SDK_MODULE = { dynamic: "pulumi-adnetworks", plugin: "pulumi-adnetworks/plugin" } as const;

/**
 * The program's files for `objs`, the objects of `networks` (one file each;
 * files of networks imported earlier and not now are left alone, index.ts
 * imports them all), reusing `previous` names. `sdk`: the classes the code
 * uses (the same arguments either way).
 */
export function generate(objs: ImportedObject[], networks: string[], previous: NameMap | undefined, account: string = DEFAULT_ACCOUNT, dataAbove: number = DATA_ABOVE, sdk: keyof typeof SDK_MODULE = "dynamic"): Generated {
  const { ordered, names, nameOf, newNames, keptNames, unit } = planProgram(objs, networks, previous, account);
  const varOf = variablesOf(ordered, nameOf, camel, (base, i) => `${base}${i}`);
  const secrets: SecretUse[] = [];
  const dangling: Ctx["dangling"] = [];
  const files: Record<string, string> = {};
  for (const network of networks) {
    const mine = ordered.filter((o) => o.network === network);
    if (mine.length > dataAbove) {
      const { code, data } = dataFile(network, unit(network), mine, nameOf, varOf, secrets, dangling, SDK_MODULE[sdk]);
      files[`${unit(network)}.ts`] = code;
      // Not <unit>.json: index.ts's `import "./<unit>"` would load the data instead of the loop (Node tries .json before ts-node's .ts).
      files[`${unit(network)}.objects.json`] = data;
    } else files[`${unit(network)}.ts`] = networkFile(network, mine, nameOf, varOf, secrets, dangling, SDK_MODULE[sdk]);
  }
  files["index.ts"] = [
    "// Every network's objects, written by adnet-import (one file per network).",
    ...names.networks.map((n) => `import "./${n}";`),
    "",
  ].join("\n");
  return { files, names, secrets, danglingRefs: dangling, newNames, keptNames };
}
