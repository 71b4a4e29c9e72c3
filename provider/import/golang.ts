/**
 * adnet-import's Go emitter (`--language go`): the same objects, names and
 * rules as the TypeScript generator (codegen.ts: which inputs to write,
 * references, secrets from stack config, stable names, data + a loop above
 * DATA_ABOVE objects), written as a Go package on the provider plugin: one
 * file per network (`exoclick.go`, `exoclick-brandB.go` for another account)
 * with a function that declares its objects (`Exoclick(ctx, opts...)`:
 * options such as an explicit provider, `pulumi.Provider(p)`, apply to each),
 * and `program.go` with `Program(ctx *pulumi.Context) error` calling them all,
 * so the same code runs as a Pulumi Go project (`program/main.go`:
 * `pulumi.Run(accounts.Program)`) or as an Automation API inline program.
 *
 * Each object is the generated SDK's resource type (`exoclick.Campaign`, from
 * `sdk/go/adnetworks`) registered under the plugin's type token with its
 * inputs under their declared names (a `pulumi.Map`) and
 * `pulumi.Import(pulumi.ID(<id>))`, so the first `pulumi up` adopts it. The
 * text is what gofmt prints (its alignment of key/value lines is reproduced
 * here), so `gofmt -l` lists none of the files. Nothing here knows a network.
 */
import * as fs from "fs";
import * as path from "path";
import type { Field, Fields } from "../core/schema/schema";
import { accountIn, DEFAULT_ACCOUNT, importIdOf } from "../core/config/account";
import { GO_IMPORT_BASE_PATH } from "../plugin/schema";
import { pluginToken } from "../plugin/token";
import { assignNames, DATA_ABOVE, dataFile, dependencyOrder, fileUnit, Generated, ImportedObject, NameMap, objectKey, SecretUse, variableName, writtenFields } from "./codegen";

/** The generated package's name (its files, whatever the project is called). */
export const GO_PACKAGE = "accounts";

const GO_RESERVED = new Set((
  // keywords
  "break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var " +
  // predeclared identifiers
  "any append bool byte cap clear close complex complex64 complex128 copy delete error false float32 float64 imag int int8 int16 int32 int64 iota len make max min " +
  "new nil panic print println real recover rune string true uint uint8 uint16 uint32 uint64 uintptr " +
  // what the generated code itself names
  "ctx opts err pulumi config json fmt strconv embed imported idNumber secretObject declare object entry"
).split(" "));

/** A Go variable name for a resource (TypeScript's camelCase name, never a Go keyword, builtin or a name the code uses). */
export function goName(name: string, taken: ReadonlySet<string> = new Set()): string {
  let v = variableName(name);
  while (GO_RESERVED.has(v) || taken.has(v)) v += "Resource";
  return v;
}

/** The exported function of a file unit: "exoclick" -> "Exoclick", "exoclick-brandB" -> "ExoclickBrandB". */
export function unitFunction(unit: string): string {
  const v = unit.split(/[^A-Za-z0-9]+/).filter(Boolean).map((p) => p[0].toUpperCase() + p.slice(1)).join("");
  return /^[A-Z]/.test(v) ? v : `N${v}`;
}

const isPlain = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/** A Go string literal (JSON's escapes are Go's, but for lone surrogates, which Go refuses). */
export function goString(s: string): string {
  return JSON.stringify(s).replace(/\\u(d[89a-f][0-9a-f]{2})/gi, "\\ufffd");
}

function number(v: number): string {
  return Number.isSafeInteger(v) ? `pulumi.Int(${v})` : `pulumi.Float64(${JSON.stringify(v)})`;
}

/** A JSON value as a Pulumi input. */
function anyValue(v: unknown, indent: string): string {
  if (Array.isArray(v)) return list("pulumi.Array", v.map((x) => anyValue(x, indent + "\t")), indent);
  if (isPlain(v)) return pairs("pulumi.Map", Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => ({ key: goString(k), value: anyValue(x, indent + "\t") })), indent);
  if (typeof v === "string") return `pulumi.String(${goString(v)})`;
  if (typeof v === "number") return number(v);
  if (typeof v === "boolean") return `pulumi.Bool(${v})`;
  return "nil";
}

interface Ctx {
  varOf: Map<string, string>;
  /** The TypeScript program's variable of each object: its secrets' config keys are TypeScript's. */
  tsVar: string;
  secrets: SecretUse[];
  dangling: Generated["danglingRefs"];
  resource: string;
  account?: string;
}

/** Between a value and its comment (never in a literal: goString escapes it); the comment goes on a line above the value. */
const NOTE = "\u0000";
const oneLine = (s: string) => !s.includes("\n") && !s.includes(NOTE);
const splitNote = (s: string): [string, string | undefined] => {
  const [code, note] = s.split(NOTE);
  return [code, note];
};
const commentLine = (indent: string, note: string) => `${indent}// ${note.replace(/\s*\n\s*/g, " ")}`;

/** `T{a, b}` on one line when short, else one element per line. */
function list(type: string, items: string[], indent: string): string {
  if (!items.length) return `${type}{}`;
  const one = `${type}{${items.join(", ")}}`;
  if (one.length <= 100 && items.every(oneLine)) return one;
  return `${type}{\n${items.map((x) => {
    const [code, note] = splitNote(x);
    return `${note ? `${commentLine(`${indent}\t`, note)}\n` : ""}${indent}\t${code},`;
  }).join("\n")}\n${indent}}`;
}

interface Pair {
  key: string;
  value: string;
  /** A comment line above the pair (an enum value's meaning). */
  note?: string;
}

/**
 * `T{"k": v, ...}`: on one line when short, else one pair per line with the
 * values of consecutive one-line pairs aligned as gofmt aligns them (a
 * section ends at a multi-line value, a comment line, or a key much longer
 * or shorter than the section's: go/printer's exprList).
 */
function pairs(type: string, items: Pair[], indent: string, multiline = false): string {
  if (!items.length) return `${type}{}`;
  const one = `${type}{${items.map((p) => `${p.key}: ${p.value}`).join(", ")}}`;
  if (!multiline && one.length <= 100 && items.every((p) => oneLine(p.value) && !p.note)) return one;
  // A value's own comment (a reference kept as an id) goes on the line above, with the pair's.
  items = items.map((p) => {
    const [value, note] = splitNote(p.value);
    return note ? { key: p.key, value, note: p.note ? `${p.note}; ${note}` : note } : p;
  });
  const inner = indent + "\t";
  // Sections of pairs aligned together.
  const sections: Pair[][] = [];
  let section: Pair[] = [];
  let prevSize = 0;
  let lnsum = 0;
  let count = 0;
  const cut = () => {
    if (section.length) sections.push(section);
    section = [];
  };
  for (const p of items) {
    const single = items.length > 1 && !p.value.includes("\n");
    const size = single ? p.key.length : 0;
    let ff = true;
    if (prevSize > 0 && size > 0) {
      if (count === 0 || (prevSize <= 40 && size <= 40)) ff = false;
      else {
        const ratio = size / Math.exp(lnsum / count);
        ff = 2.5 * ratio <= 1 || 2.5 <= ratio;
      }
    }
    if (ff) {
      cut();
      lnsum = 0;
      count = 0;
    }
    if (p.note) cut();
    section.push(p);
    if (!single) cut();
    prevSize = size;
    if (size > 0) {
      lnsum += Math.log(size);
      count++;
    }
  }
  cut();
  const lines: string[] = [];
  for (const s of sections) {
    const aligned = s.length > 1 || !s[0].value.includes("\n");
    const width = Math.max(...s.map((p) => p.key.length + 1));
    for (const p of s) {
      if (p.note) lines.push(commentLine(inner, p.note));
      const pad = aligned && !p.value.includes("\n") && items.length > 1 ? " ".repeat(width - p.key.length) : " ";
      lines.push(`${inner}${p.key}:${pad}${p.value},`);
    }
  }
  return `${type}{\n${lines.join("\n")}\n${indent}}`;
}

function secret(field: Field, ctx: Ctx, path: string): string {
  const configKey = variableName(`${ctx.tsVar}-${path.replace(/\[(\d+)\]/g, "-$1").replace(/\./g, "-")}`);
  ctx.secrets.push({ resource: ctx.resource, field: path, configKey });
  const k = goString(configKey);
  if (field.kind === "integer") return `config.RequireSecretInt(ctx, ${k})`;
  if (field.kind === "number") return `config.RequireSecretFloat64(ctx, ${k})`;
  if (field.kind === "boolean") return `config.RequireSecretBool(ctx, ${k})`;
  if (field.kind === "string" || field.kind === "url" || field.kind === "date" || field.kind === "dateTime" || (field.kind === "enum" && field.values.every((x) => typeof x === "string"))) {
    return `config.RequireSecret(ctx, ${k})`;
  }
  return `secretObject(ctx, ${k})`;
}

/** A Go expression (a Pulumi input) for `value` of `field`. */
function expr(field: Field, value: unknown, ctx: Ctx, path: string, indent: string): string {
  if (field.secret) return secret(field, ctx, path);
  if (field.ref && (typeof value === "string" || typeof value === "number")) {
    const v = ctx.varOf.get(`${field.ref}/${importIdOf(ctx.account, String(value))}`);
    if (v) return field.kind === "number" || field.kind === "integer" ? `idNumber(${v}.ID())` : `${v}.ID()`;
    ctx.dangling.push({ resource: ctx.resource, field: path, target: `${field.ref}/${value}` });
    // Kept as the id, with why (on the line above).
    return `${typeof value === "number" ? number(value) : `pulumi.String(${goString(value)})`}${NOTE}${field.ref} ${value}: not in this program`;
  }
  switch (field.kind) {
    case "object":
      return isPlain(value) ? args(field.fields, value, ctx, path, indent) : anyValue(value, indent);
    case "list":
      return Array.isArray(value) ? list("pulumi.Array", value.map((x, i) => expr(field.items, x, ctx, `${path}[${i}]`, indent + "\t")), indent) : anyValue(value, indent);
    case "map":
      return isPlain(value)
        ? pairs("pulumi.Map", Object.entries(value).map(([k, x]) => ({ key: goString(k), value: expr(field.values, x, ctx, `${path}.${k}`, indent + "\t") })), indent)
        : anyValue(value, indent);
    default:
      return anyValue(value, indent);
  }
}

function args(fields: Fields, value: Record<string, unknown>, ctx: Ctx, path: string, indent: string): string {
  const items: Pair[] = [];
  for (const w of writtenFields(fields, value, path)) {
    items.push({ key: goString(w.key), value: expr(w.field, w.value, ctx, w.path, indent + "\t"), ...(w.meaning ? { note: w.meaning } : {}) });
  }
  // One field per line at the top (a resource's inputs read as a list of fields).
  return pairs("pulumi.Map", items, indent, !path);
}

/** The comment at the top of a network's file. */
function header(network: string, account: string): string[] {
  return [
    `// The ${network} account${account !== DEFAULT_ACCOUNT ? ` ${JSON.stringify(account)}` : ""} as code, written by adnet-import. Re-run adnet-import to refresh it:`,
    "// resource names stay (adnet-import.names.json); edit and `pulumi up` as with any program.",
    "",
    `package ${GO_PACKAGE}`,
    "",
  ];
}

function imports(paths: string[]): string[] {
  const sorted = [...new Set(paths)].sort();
  return sorted.length === 1 ? [`import ${goString(sorted[0])}`, ""] : ["import (", ...sorted.map((p) => `\t${goString(p)}`), ")", ""];
}

const PULUMI = "github.com/pulumi/pulumi/sdk/v3/go/pulumi";
const CONFIG = "github.com/pulumi/pulumi/sdk/v3/go/pulumi/config";

function funcDoc(fn: string, network: string, account: string): string[] {
  return [
    `// ${fn} declares the ${network} objects of ${account !== DEFAULT_ACCOUNT ? `the account ${JSON.stringify(account)}` : "the account"}, each adopted by its id; opts apply to`,
    "// each (pulumi.Provider(p) puts them on an explicit provider).",
  ];
}

/** The Go file of one network's objects (already in dependency order). */
function networkFile(network: string, unit: string, objs: ImportedObject[], nameOf: Map<string, string>, varOf: Map<string, string>, tsVarOf: Map<string, string>, secrets: SecretUse[], dangling: Ctx["dangling"]): string {
  const before = secrets.length;
  const body: string[] = [];
  let lastType = "";
  for (const o of objs) {
    const k = objectKey(o);
    const name = nameOf.get(k)!;
    const v = varOf.get(k)!;
    if (o.type !== lastType) {
      if (body.length) body.push("");
      body.push(`\t// ${o.type}${o.def.importId ? ` (import id: ${o.def.importId})` : ""}`);
      lastType = o.type;
    }
    const ctx: Ctx = { varOf, tsVar: tsVarOf.get(k)!, secrets, dangling, resource: `${o.key} ${name}`, account: accountIn(o.state) };
    const a = args(o.def.fields as Fields, o.state, ctx, "", "\t");
    body.push(`\tvar ${v} ${network}.${o.type}`);
    body.push(`\tif err := ctx.RegisterResource(${goString(pluginToken(o.key))}, ${goString(name)}, ${a}, &${v}, imported(opts, ${goString(o.id)})...); err != nil {`);
    body.push("\t\treturn err");
    body.push("\t}");
  }
  const account = objs.length ? accountIn(objs[0].state) : DEFAULT_ACCOUNT;
  const fn = unitFunction(unit);
  const paths = [PULUMI, ...(objs.length ? [`${GO_IMPORT_BASE_PATH}/${network}`] : []), ...(secrets.length > before ? [CONFIG] : [])];
  return [
    ...header(network, account),
    ...imports(paths),
    ...(secrets.length > before ? ["// Secret fields come from stack config: pulumi config set --secret <key> <value>", ""] : []),
    ...funcDoc(fn, network, account),
    `func ${fn}(ctx *pulumi.Context, opts ...pulumi.ResourceOption) error {`,
    ...body,
    "\treturn nil",
    "}",
    "",
  ].join("\n");
}

/** A network's objects as data (`<unit>.objects.json`, codegen's format) and the Go file that declares them (the loop is `declare`, in program.go). */
function networkDataFile(network: string, unit: string, objs: ImportedObject[], nameOf: Map<string, string>, tsVarOf: Map<string, string>, secrets: SecretUse[], dangling: Ctx["dangling"]): { code: string; data: string } {
  const before = secrets.length;
  const { data } = dataFile(network, unit, objs, nameOf, tsVarOf, secrets, dangling, "");
  const account = objs.length ? accountIn(objs[0].state) : DEFAULT_ACCOUNT;
  const types = [...new Set(objs.map((o) => o.type))];
  const fn = unitFunction(unit);
  const variable = `${fn[0].toLowerCase()}${fn.slice(1)}Objects`;
  const code = [
    ...header(network, account),
    "import (",
    '\t_ "embed"',
    "",
    `\t${goString(PULUMI)}`,
    ")",
    "",
    `// Its ${objs.length} objects (${types.join(", ")}) are in ${unit}.objects.json, one per line in dependency order:`,
    "// { type, name (the resource's), import (its id at the network), args }. In args, { \"@ref\": \"<name>\" } is the id",
    `// of the resource of that name above it${secrets.length > before ? ', { "@secret": "<key>" } a secret read from stack config' : ""}.`,
    "",
    `//go:embed ${unit}.objects.json`,
    `var ${variable} []byte`,
    "",
    ...funcDoc(fn, network, account),
    `func ${fn}(ctx *pulumi.Context, opts ...pulumi.ResourceOption) error {`,
    `\treturn declare(ctx, ${goString(network)}, ${goString(`${unit}.objects.json`)}, ${variable}, opts)`,
    "}",
    "",
  ].join("\n");
  return { code, data };
}

/** program.go: Program (every network's function) and the helpers the network files use. */
function programFile(units: string[]): string {
  return [
    "// Every network's objects, written by adnet-import (one file per network). Program is what `pulumi up` runs",
    "// (program/main.go) and what an Automation API inline program can run.",
    "",
    `package ${GO_PACKAGE}`,
    "",
    "import (",
    '\t"encoding/json"',
    '\t"fmt"',
    '\t"strconv"',
    "",
    `\t${goString(PULUMI)}`,
    `\t${goString(CONFIG)}`,
    ")",
    "",
    "// Program declares every network's objects, on the default provider (stack config adnetworks:<network>.<setting>).",
    "func Program(ctx *pulumi.Context) error {",
    ...units.flatMap((u) => [`\tif err := ${unitFunction(u)}(ctx); err != nil {`, "\t\treturn err", "\t}"]),
    "\treturn nil",
    "}",
    "",
    "// imported is the caller's options and the adoption of the object of that id.",
    "func imported(opts []pulumi.ResourceOption, id string) []pulumi.ResourceOption {",
    "\treturn append(append([]pulumi.ResourceOption{}, opts...), pulumi.Import(pulumi.ID(id)))",
    "}",
    "",
    "// idNumber is a resource's id as a number, for a numeric field that refers to it.",
    "func idNumber(id pulumi.IDOutput) pulumi.Float64Output {",
    "\treturn id.ApplyT(func(id pulumi.ID) (float64, error) { return strconv.ParseFloat(string(id), 64) }).(pulumi.Float64Output)",
    "}",
    "",
    "// secretObject is a secret structured value of stack config.",
    "func secretObject(ctx *pulumi.Context, key string) pulumi.Output {",
    "\tvar value interface{}",
    "\treturn config.RequireSecretObject(ctx, key, &value)",
    "}",
    "",
    "// object is a resource of any of the plugin's types (the objects of a <network>.objects.json).",
    "type object struct {",
    "\tpulumi.CustomResourceState",
    "}",
    "",
    "// entry is one object of a <network>.objects.json.",
    "type entry struct {",
    '\tType   string                 `json:"type"`',
    '\tName   string                 `json:"name"`',
    '\tImport string                 `json:"import"`',
    '\tArgs   map[string]interface{} `json:"args"`',
    "}",
    "",
    "// declare declares the objects of a network's data file, in its order, each adopted by its id.",
    "func declare(ctx *pulumi.Context, network, file string, data []byte, opts []pulumi.ResourceOption) error {",
    "\tvar entries []entry",
    "\tif err := json.Unmarshal(data, &entries); err != nil {",
    '\t\treturn fmt.Errorf("%s: %w", file, err)',
    "\t}",
    "\tmade := map[string]*object{}",
    "\tvar resolve func(v interface{}) (pulumi.Input, error)",
    "\tresolve = func(v interface{}) (pulumi.Input, error) {",
    "\t\tswitch x := v.(type) {",
    "\t\tcase []interface{}:",
    "\t\t\tout := pulumi.Array{}",
    "\t\t\tfor _, item := range x {",
    "\t\t\t\tr, err := resolve(item)",
    "\t\t\t\tif err != nil {",
    "\t\t\t\t\treturn nil, err",
    "\t\t\t\t}",
    "\t\t\t\tout = append(out, r)",
    "\t\t\t}",
    "\t\t\treturn out, nil",
    "\t\tcase map[string]interface{}:",
    '\t\t\tif name, ok := x["@ref"].(string); ok {',
    "\t\t\t\ttarget, ok := made[name]",
    "\t\t\t\tif !ok {",
    '\t\t\t\t\treturn nil, fmt.Errorf("%s: no resource named %s above its first use", file, name)',
    "\t\t\t\t}",
    '\t\t\t\tif x["as"] == "number" {',
    "\t\t\t\t\treturn idNumber(target.ID()), nil",
    "\t\t\t\t}",
    "\t\t\t\treturn target.ID(), nil",
    "\t\t\t}",
    '\t\t\tif key, ok := x["@secret"].(string); ok {',
    '\t\t\t\tswitch x["as"] {',
    '\t\t\t\tcase "number":',
    "\t\t\t\t\treturn config.RequireSecretFloat64(ctx, key), nil",
    '\t\t\t\tcase "boolean":',
    "\t\t\t\t\treturn config.RequireSecretBool(ctx, key), nil",
    '\t\t\t\tcase "string":',
    "\t\t\t\t\treturn config.RequireSecret(ctx, key), nil",
    "\t\t\t\t}",
    "\t\t\t\treturn secretObject(ctx, key), nil",
    "\t\t\t}",
    "\t\t\tout := pulumi.Map{}",
    "\t\t\tfor k, item := range x {",
    "\t\t\t\tr, err := resolve(item)",
    "\t\t\t\tif err != nil {",
    "\t\t\t\t\treturn nil, err",
    "\t\t\t\t}",
    "\t\t\t\tout[k] = r",
    "\t\t\t}",
    "\t\t\treturn out, nil",
    "\t\tcase string:",
    "\t\t\treturn pulumi.String(x), nil",
    "\t\tcase float64:",
    "\t\t\treturn pulumi.Float64(x), nil",
    "\t\tcase bool:",
    "\t\t\treturn pulumi.Bool(x), nil",
    "\t\tcase nil:",
    "\t\t\treturn nil, nil",
    "\t\t}",
    '\t\treturn nil, fmt.Errorf("%s: unexpected value %v", file, v)',
    "\t}",
    "\tfor _, e := range entries {",
    "\t\targs, err := resolve(e.Args)",
    "\t\tif err != nil {",
    "\t\t\treturn err",
    "\t\t}",
    "\t\tvar r object",
    '\t\tif err := ctx.RegisterResource("adnetworks:"+network+":"+e.Type, e.Name, args, &r, imported(opts, e.Import)...); err != nil {',
    "\t\t\treturn err",
    "\t\t}",
    "\t\tmade[e.Name] = &r",
    "\t}",
    "\treturn nil",
    "}",
    "",
  ].join("\n");
}

/** The program's files for `objs` (as codegen.ts's `generate`, in Go). */
export function generateGo(objs: ImportedObject[], networks: string[], previous: NameMap | undefined, account: string = DEFAULT_ACCOUNT, dataAbove: number = DATA_ABOVE): Generated {
  const ordered = dependencyOrder(objs);
  const { names, nameOf, newNames, keptNames } = assignNames(ordered, previous);
  const unit = (network: string) => fileUnit(network, account);
  for (const n of networks) if (!names.networks.includes(unit(n))) names.networks.push(unit(n));
  names.networks.sort();
  // TypeScript's variable of each object (the secrets' config keys), and the Go one (never a package the file imports).
  const tsVarOf = new Map<string, string>();
  const varOf = new Map<string, string>();
  const tsUsed = new Map<string, Set<string>>();
  const goUsed = new Map<string, Set<string>>();
  const packages = new Set(ordered.map((o) => o.network));
  const usedIn = (m: Map<string, Set<string>>, network: string) => {
    let s = m.get(network);
    if (!s) m.set(network, (s = new Set()));
    return s;
  };
  for (const o of ordered) {
    const k = objectKey(o);
    const base = variableName(nameOf.get(k)!);
    const ts = usedIn(tsUsed, o.network);
    let t = base;
    for (let i = 2; ts.has(t); i++) t = `${base}${i}`;
    ts.add(t);
    tsVarOf.set(k, t);
    const go = usedIn(goUsed, o.network);
    let g = goName(t, packages);
    while (go.has(g)) g += "Resource";
    go.add(g);
    varOf.set(k, g);
  }
  const secrets: SecretUse[] = [];
  const dangling: Ctx["dangling"] = [];
  const files: Record<string, string> = {};
  for (const network of networks) {
    const mine = ordered.filter((o) => o.network === network);
    const u = unit(network);
    if (mine.length > dataAbove) {
      const { code, data } = networkDataFile(network, u, mine, nameOf, tsVarOf, secrets, dangling);
      files[`${u}.go`] = code;
      files[`${u}.objects.json`] = data;
    } else files[`${u}.go`] = networkFile(network, u, mine, nameOf, varOf, tsVarOf, secrets, dangling);
  }
  files["program.go"] = programFile(names.networks);
  return { files, names, secrets, danglingRefs: dangling, newNames, keptNames };
}

/** The Go SDK's module path (the schema's `language.go.importBasePath`). */
export const GO_SDK_MODULE = GO_IMPORT_BASE_PATH;

/** This package's root directory (dist/provider/import -> the root; provider/import from sources). */
function packageRoot(): string {
  for (const up of [["..", "..", ".."], ["..", ".."]]) {
    const root = path.resolve(__dirname, ...up);
    if (fs.existsSync(path.join(root, "package.json"))) return root;
  }
  return path.resolve(__dirname, "..", "..", "..");
}

/**
 * Pulumi.yaml, go.mod, program/main.go and .gitignore of a new Go project
 * (written when missing). go.mod requires the SDK and points it (`replace`)
 * at this package's `sdk/go/adnetworks` when it has one (a checkout of the
 * repository), relative to `out`.
 */
export function goProjectFiles(out: string, project: string, sdkVersion: string, root: string = packageRoot()): Record<string, string> {
  const module = project.replace(/[^A-Za-z0-9._~/-]+/g, "-").replace(/^[-./]+/, "") || "adnet-account";
  const sdkDir = path.join(root, "sdk", "go", "adnetworks");
  const rel = path.relative(path.resolve(out), sdkDir).split(path.sep).join("/");
  const replace = fs.existsSync(path.join(sdkDir, "go.mod"))
    ? [`replace ${GO_SDK_MODULE} => ${rel.startsWith(".") ? rel : `./${rel}`}`]
    : [`// replace ${GO_SDK_MODULE} => <your checkout of pulumi-adnetworks>/sdk/go/adnetworks`];
  return {
    "Pulumi.yaml": [
      `name: ${project}`,
      "description: Ad network accounts as code (written by adnet-import)",
      "# Needs the adnetworks provider plugin (pulumi-resource-adnetworks) on PATH: npx adnet-setup.",
      "# Pulumi's Go language host builds and runs program/ (main.go: pulumi.Run(accounts.Program)).",
      "runtime: go",
      "main: program/",
      "",
    ].join("\n"),
    "go.mod": [
      `module ${module}`,
      "",
      "go 1.25",
      "",
      "require (",
      `\t${GO_SDK_MODULE} v0.0.0`,
      `\tgithub.com/pulumi/pulumi/sdk/v3 v${sdkVersion}`,
      ")",
      "",
      "// The Go SDK of the adnetworks provider plugin (sdk/go/adnetworks of pulumi-adnetworks). Then: go mod tidy.",
      ...replace,
      "",
    ].join("\n"),
    "program/main.go": [
      "// The program `pulumi up` runs (Pulumi.yaml: main: program/): every network's objects, written by adnet-import.",
      "package main",
      "",
      ...imports([module, PULUMI]).slice(0, -1).map((l) => l.replace(`\t${goString(module)}`, `\t${GO_PACKAGE} ${goString(module)}`)),
      "",
      "func main() {",
      `\tpulumi.Run(${GO_PACKAGE}.Program)`,
      "}",
      "",
    ].join("\n"),
    ".gitignore": "program/program\n",
  };
}
