/**
 * `GenerateProgram` of the Node.js language host, for the code
 * `pulumi import <type> <name> <id>` prints: the CLI sends the PCL (Pulumi's
 * HCL program text) of what it imported, built from the package schema the
 * provider host answers (provider/core/schema/pulumiSchema.ts), and prints the
 * program this returns.
 *
 * It reads the part of PCL the importer writes (resource blocks of literal
 * values, references `other.id`, `secret(...)`, an `options` block) and
 * writes each resource of this package the way adnet-import does
 * (provider/import/codegen.ts): `new exoclick.Campaign("name", { ... },
 * { protect: true })`, defaults left out, secrets read from stack config,
 * ids of other imported resources as references. Any other resource type,
 * or PCL beyond that subset, is an error the CLI shows.
 */

type Value = string | number | boolean | null | Value[] | { [k: string]: Value } | Ref | Call;

/** A traversal such as `campaign.id`. */
export class Ref {
  constructor(readonly root: string, readonly path: string[]) {}
}

/** A function call such as `secret("...")`. */
export class Call {
  constructor(readonly name: string, readonly args: Value[]) {}
}

export interface Block {
  type: string;
  labels: string[];
  attributes: Record<string, Value>;
  blocks: Block[];
}

type Token = { kind: "ident" | "string" | "number" | "punct"; text: string; value?: string | number; pos: number };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const fail = (msg: string) => {
    const line = src.slice(0, i).split("\n").length;
    throw new Error(`PCL line ${line}: ${msg}`);
  };
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "#" || (c === "/" && src[i + 1] === "/")) {
      while (i < src.length && src[i] !== "\n") i++;
    } else if (c === "/" && src[i + 1] === "*") {
      const end = src.indexOf("*/", i + 2);
      if (end < 0) fail("unterminated comment");
      i = end + 2;
    } else if (c === '"') {
      const pos = i++;
      let s = "";
      for (;;) {
        if (i >= src.length) fail("unterminated string");
        const ch = src[i];
        if (ch === '"') {
          i++;
          break;
        }
        if (ch === "\\") {
          const e = src[i + 1];
          const simple: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };
          if (e in simple) {
            s += simple[e];
            i += 2;
          } else if (e === "u" || e === "U") {
            const n = e === "u" ? 4 : 8;
            const hex = src.slice(i + 2, i + 2 + n);
            if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) fail(`bad escape \\${e}${hex}`);
            s += String.fromCodePoint(parseInt(hex, 16));
            i += 2 + n;
          } else fail(`unknown escape \\${e}`);
        } else if ((ch === "$" || ch === "%") && src[i + 1] === ch && src[i + 2] === "{") {
          s += `${ch}{`; // $${ and %%{ are the escaped template sequences
          i += 3;
        } else if ((ch === "$" || ch === "%") && src[i + 1] === "{") {
          fail("template interpolation is not supported here");
        } else {
          s += ch;
          i++;
        }
      }
      out.push({ kind: "string", text: s, value: s, pos });
    } else if (/[0-9]/.test(c) || (c === "-" && /[0-9]/.test(src[i + 1] ?? ""))) {
      const m = /^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(src.slice(i))!;
      out.push({ kind: "number", text: m[0], value: Number(m[0]), pos: i });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][\w-]*/.exec(src.slice(i))!;
      out.push({ kind: "ident", text: m[0], pos: i });
      i += m[0].length;
    } else if ("{}[]()=,.:".includes(c)) {
      out.push({ kind: "punct", text: c, pos: i });
      i++;
    } else if (c === "<" && src[i + 1] === "<") {
      fail("heredoc strings are not supported here");
    } else fail(`unexpected character ${JSON.stringify(c)}`);
  }
  return out;
}

/** Parses the PCL the importer writes into its top-level blocks. */
export function parsePcl(src: string): Block[] {
  const t = tokenize(src);
  let i = 0;
  const peek = (o = 0) => t[i + o];
  const fail = (msg: string): never => {
    const pos = peek()?.pos ?? src.length;
    throw new Error(`PCL line ${src.slice(0, pos).split("\n").length}: ${msg}`);
  };
  const punct = (p: string) => peek()?.kind === "punct" && peek().text === p;
  const expect = (p: string) => {
    if (!punct(p)) fail(`expected "${p}", found ${peek() ? JSON.stringify(peek().text) : "the end"}`);
    i++;
  };

  function value(): Value {
    const tok = peek();
    if (!tok) return fail("expected a value");
    if (tok.kind === "string" || tok.kind === "number") {
      i++;
      return tok.value!;
    }
    if (punct("[")) {
      i++;
      const items: Value[] = [];
      while (!punct("]")) {
        items.push(value());
        if (punct(",")) i++;
      }
      i++;
      return items;
    }
    if (punct("{")) {
      i++;
      const obj: Record<string, Value> = {};
      while (!punct("}")) {
        const k = peek();
        if (!k || (k.kind !== "ident" && k.kind !== "string")) fail("expected an object key");
        i++;
        if (punct("=") || punct(":")) i++;
        else fail('expected "=" after an object key');
        obj[k.text] = value();
        if (punct(",")) i++;
      }
      i++;
      return obj;
    }
    if (tok.kind === "ident") {
      i++;
      if (tok.text === "true" || tok.text === "false") return tok.text === "true";
      if (tok.text === "null") return null;
      if (punct("(")) {
        i++;
        const args: Value[] = [];
        while (!punct(")")) {
          args.push(value());
          if (punct(",")) i++;
        }
        i++;
        return new Call(tok.text, args);
      }
      const path: string[] = [];
      while (punct(".")) {
        i++;
        const n = peek();
        if (n?.kind !== "ident") fail("expected an attribute name after '.'");
        path.push(n.text);
        i++;
      }
      return new Ref(tok.text, path);
    }
    return fail(`unexpected ${JSON.stringify(tok.text)}`);
  }

  function body(): Pick<Block, "attributes" | "blocks"> {
    const attributes: Record<string, Value> = {};
    const blocks: Block[] = [];
    while (!punct("}")) {
      const name = peek();
      if (name?.kind !== "ident") fail("expected an attribute or a block");
      if (peek(1)?.kind === "punct" && peek(1).text === "=") {
        i += 2;
        attributes[name.text] = value();
      } else blocks.push(block());
    }
    return { attributes, blocks };
  }

  function block(): Block {
    const type = peek().text;
    i++;
    const labels: string[] = [];
    while (peek() && (peek().kind === "string" || peek().kind === "ident")) labels.push(peek().text), i++;
    expect("{");
    const b = body();
    expect("}");
    return { type, labels, ...b };
  }

  const blocks: Block[] = [];
  while (i < t.length) {
    if (peek().kind !== "ident") fail("expected a block");
    blocks.push(block());
  }
  return blocks;
}

/** A dynamic resource's type token, or the provider plugin's (`adnetworks:<network>:<Type>`, whose classes are in `pulumi-adnetworks/plugin`). */
const TYPE = /^(?:pulumi-nodejs:dynamic\/|adnetworks:)([^:/]+):([^:/]+)$/;
const REF = "\u0000ref:";
const FILE = "\u0000file:";

/** Plain values for the code generator: `other.id` becomes a marker the output turns back into `other.id`; `secret(x)` is x (secret fields are read from config anyway). */
function plain(v: Value, varOf: (pclName: string) => string): unknown {
  if (v instanceof Ref) {
    if (v.path.length === 1 && v.path[0] === "id") return `${REF}${varOf(v.root)}`;
    throw new Error(`cannot write a reference to ${[v.root, ...v.path].join(".")}`);
  }
  if (v instanceof Call) {
    if (v.name === "secret" && v.args.length === 1) return plain(v.args[0], varOf);
    throw new Error(`cannot write a call of ${v.name}()`);
  }
  if (Array.isArray(v)) return v.map((x) => plain(x, varOf));
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x, varOf)]));
  return v;
}

function optionsCode(options: Block | undefined, varOf: (pclName: string) => string): string {
  if (!options) return "";
  const parts: string[] = [];
  for (const [k, v] of Object.entries(options.attributes)) {
    const code = (x: Value): string => {
      if (x instanceof Ref && x.path.length === 0) return varOf(x.root);
      if (Array.isArray(x)) return `[${x.map(code).join(", ")}]`;
      if (x instanceof Ref || x instanceof Call || (x && typeof x === "object")) throw new Error(`cannot write the resource option ${k}`);
      return JSON.stringify(x);
    };
    parts.push(`${k}: ${code(v)}`);
  }
  return parts.length ? `{ ${parts.join(", ")} }` : "";
}

/** The TypeScript program for the PCL files `pulumi import` sends. */
export function generateProgram(sources: Record<string, string>): string {
  const codegen: typeof import("../import/codegen") = require("../import/codegen");
  const registry: typeof import("../registry") = require("../registry");
  const resources = Object.keys(sources)
    .sort()
    .flatMap((f) => parsePcl(sources[f]))
    .filter((b) => b.type === "resource");
  // Variable names: PCL names (may hold "-") to TypeScript identifiers, unique.
  const vars = new Map<string, string>();
  const used = new Set<string>();
  for (const r of resources) {
    const base = codegen.variableName(r.labels[0]);
    let v = base;
    for (let n = 2; used.has(v); n++) v = `${base}${n}`;
    used.add(v);
    vars.set(r.labels[0], v);
  }
  const varOf = (pclName: string) => {
    const v = vars.get(pclName);
    if (!v) throw new Error(`a reference to ${pclName}, which is not in this import`);
    return v;
  };
  // The code generator looks references up by "<key>/<id>"; here the id is the marker of a variable.
  const refs = new (class extends Map<string, string> {
    get(k: string) {
      const at = k.indexOf(`/${REF}`);
      return at >= 0 ? k.slice(at + 1 + REF.length) : super.get(k);
    }
  })();
  const secrets: import("../import/codegen").SecretUse[] = [];
  const networks = new Set<string>();
  const body: string[] = [];
  let plugin = false;
  for (const r of resources) {
    const [pclName, type] = r.labels;
    const m = TYPE.exec(type ?? "");
    const key = m ? `${m[1]}:${m[2]}` : "";
    const def = m ? registry.definition(key) : undefined;
    if (!m || !def) throw new Error(`cannot write code for ${type}: not a pulumi-adnetworks resource type (known: ${registry.types().join(", ")})`);
    const { __logicalName, ...attrs } = r.attributes;
    const state = plain(attrs, varOf) as Record<string, unknown>;
    // A file the network keeps (an uploaded image): not on this machine, and not in state.
    for (const [k, f] of Object.entries(def.fields as import("../core/schema/schema").Fields)) if (f.localFile && !state[k]) state[k] = `${FILE}${m[1]}`;
    const options = optionsCode(r.blocks.find((b) => b.type === "options"), varOf);
    networks.add(m[1]);
    if (type.startsWith("adnetworks:")) plugin = true;
    body.push(
      codegen.resourceCode({
        key,
        network: m[1],
        type: m[2],
        def,
        name: typeof __logicalName === "string" ? __logicalName : pclName,
        varName: vars.get(pclName)!,
        state,
        options,
        varOf: refs,
        secrets,
      }),
    );
  }
  const head = [
    ...(secrets.length ? [`import * as pulumi from "@pulumi/pulumi";`] : []),
    `import { ${[...networks].sort().join(", ")} } from "pulumi-adnetworks${plugin ? "/plugin" : ""}";`,
    "",
    ...(secrets.length
      ? [`// Secret fields come from stack config: ${secrets.map((s) => `pulumi config set --secret ${s.configKey} <value>`).join("; ")}`, "const config = new pulumi.Config();", ""]
      : []),
  ];
  const text = [...head, ...body].join("\n") + "\n";
  // Markers left in other fields (a value the importer recognised as another resource's id).
  return text
    .replace(/"\\u0000ref:([A-Za-z_$][\w$]*)"/g, "$1.id")
    .replace(/"\\u0000file:(\w+)"/g, (_m, network: string) => `"" /* the file ${network} keeps is not on this machine: save it next to the program and give its path (adnet-import downloads it) */`);
}
