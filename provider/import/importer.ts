/**
 * adnet-import's work: list every object of every supported type of the
 * chosen networks (each def's read-only `list()`), choose what to import
 * (archived objects and unsupported types are reported, `--status active`
 * and `--filter` narrow it, referenced objects always come along), fetch
 * the files the network keeps for `localFile` fields, and write the program
 * (codegen.ts) with a summary. Generic: everything comes from the network
 * manifest and the resources' field declarations.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import fetch from "node-fetch";
import type { ListGaps, ResourceDef } from "../core/schema/define";
import type { Fields } from "../core/schema/schema";
import { namingValues } from "../core/schema/schema";
import { NETWORKS } from "../networks";
import { contextFor, DEFAULT_ACCOUNT, unconfigured } from "../core/config/context";
import { accountConfigured } from "../core/config/config";
import { importIdOf, splitImportId } from "../core/config/account";
import type { NetworkDef } from "../core/config/network";
import { generate, ImportedObject, NameMap, objectKey, refsOf, SecretUse } from "./codegen";
import { generateYaml } from "./yaml";
import { EMITTERS, Language, LANGUAGES } from "./languages";

export const NAMES_FILE = "adnet-import.names.json";
export const SUMMARY_FILE = "adnet-import.summary.json";
export const FILES_DIR = "files";

/** The languages adnet-import writes (`--language`, languages.ts): TypeScript on the dynamic resources, the others on the provider plugin. */
export { LANGUAGES };
export type { Language };

export interface ImportOptions {
  networks: string[];
  out: string;
  /** `type=<Type|module:Type>`, `name=<text>` (natural key or name contains it, any case), `id=<id>`; kinds AND, values of one kind OR. */
  filters?: string[];
  /** "active": only objects whose status field (spend role "status") says running. */
  status?: "active";
  /** Project name for a new Pulumi.yaml (default: the output directory's name). */
  project?: string;
  /**
   * The account to read (stack config `<network>:accounts`, core/config/config.ts);
   * default: the network's own settings. Its objects are written with
   * `account` and import ids "<account>:<id>", in "<network>-<account>.ts".
   */
  account?: string;
  /** The program's language (default "typescript"): "yaml" writes one Pulumi.yaml on the plugin's types (yaml.ts), "python" a Python program (python.ts), "go" a Go package (golang.ts); languages.ts. */
  language?: Language;
  /**
   * Write the code for the provider plugin's classes (`pulumi-adnetworks/plugin`,
   * type tokens `adnetworks:<network>:<Type>`) instead of the dynamic ones.
   */
  plugin?: boolean;
  log?: (line: string) => void;
}

export interface Skipped {
  type: string;
  id?: string;
  reason: string;
}

export interface ImportSummary {
  networks: string[];
  /** The account read (absent: the default account). */
  account?: string;
  /** The code uses the provider plugin's classes. */
  plugin?: boolean;
  out: string;
  /** Objects written as code, per "<module>:<Type>". */
  imported: Record<string, number>;
  total: number;
  /** What could not be listed, with why: types with no list() in this version, and objects a list could not reach (e.g. Affise postbacks of affiliates it may not list). */
  unsupported: Skipped[];
  /** Objects listed but not written as code, each with why (archived, filtered out, a file that could not be downloaded). */
  skipped: Skipped[];
  /** Objects that the filters left out but that imported ones reference (imported anyway). */
  addedAsReferenced: number;
  /** Resources of an earlier run that are no longer in the program (and why). */
  removed: Array<{ name: string; object: string; reason: string }>;
  secrets: SecretUse[];
  files: string[];
  danglingRefs: Array<{ resource: string; field: string; target: string }>;
  names: { new: number; kept: number };
  listMs: number;
  elapsedMs: number;
}

interface Listed extends ImportedObject {
  skip?: string;
}

function isDef(x: unknown): x is ResourceDef<any> {
  return !!x && typeof x === "object" && "fields" in x && "key" in x;
}

/**
 * Lists every object of every type of `network` in `account`; types without
 * `list()`, and what a list could not reach (its gaps), are reported as
 * not imported, with why.
 */
export async function listNetwork(network: string, account: string = DEFAULT_ACCOUNT): Promise<{ objects: Listed[]; unsupported: Skipped[] }> {
  const net: NetworkDef | undefined = NETWORKS.find((n) => n.name === network);
  if (!net) throw new Error(`unknown network ${JSON.stringify(network)}; known: ${NETWORKS.map((n) => n.name).join(", ")}`);
  if (!accountConfigured(net.settings, account)) throw unconfigured(net, account);
  const unsupported: Skipped[] = [];
  // Types are listed at the same time (each list() pages on its own); the order of the result stays the manifest's.
  const perType = await Promise.all(Object.entries(net.resources).map(async ([type, def]) => {
    const key = `${network}:${type}`;
    if (!isDef(def) || typeof def.list !== "function") {
      unsupported.push({ type: key, reason: isDef(def) ? "no list() in this version" : "not declared with a field schema in this version (no list())" });
      return [];
    }
    const seen = new Set<string>();
    const objects: Listed[] = [];
    const items = await def.list(contextFor(net, account));
    for (const gap of (items as ListGaps).gaps ?? []) unsupported.push({ type: key, reason: gap });
    for (const item of items) {
      const id = String(item.id);
      if (seen.has(id)) continue; // a page boundary that moved while listing
      seen.add(id);
      // An object of another account: written with its account, and the import id that names it.
      const state = account === DEFAULT_ACCOUNT ? (item.state as Record<string, unknown>) : { ...(item.state as Record<string, unknown>), account };
      objects.push({ key, network, type, def, id: importIdOf(account, id), state, skip: item.skip });
    }
    return objects;
  }));
  unsupported.sort((a, b) => Object.keys(net.resources).indexOf(a.type.split(":")[1]) - Object.keys(net.resources).indexOf(b.type.split(":")[1]));
  return { objects: perType.flat(), unsupported };
}

function parseFilters(filters: string[]): { types: string[]; names: string[]; ids: string[] } {
  const out = { types: [] as string[], names: [] as string[], ids: [] as string[] };
  for (const raw of filters.flatMap((f) => f.split(",")).map((f) => f.trim()).filter(Boolean)) {
    const m = /^(type|name|id)=(.+)$/.exec(raw);
    if (!m) throw new Error(`--filter ${JSON.stringify(raw)}: expected type=<Type or module:Type>, name=<text> or id=<id>`);
    (m[1] === "type" ? out.types : m[1] === "name" ? out.names : out.ids).push(m[2]);
  }
  return out;
}

/** The values that name an object: its non-reference natural key fields, else a `name` field. */
function nameValues(o: ImportedObject): string[] {
  return namingValues(o.def.fields as Fields, o.state);
}

function notActive(o: ImportedObject): string | undefined {
  for (const [k, f] of Object.entries(o.def.fields as Fields)) {
    if (f.spend !== "status" || !f.running) continue;
    const v = o.state[k] ?? f.default;
    if (!f.running.some((r) => String(r) === String(v))) {
      const meaning = f.kind === "enum" ? f.meanings?.[String(v)] : undefined;
      return `not active (${k} ${JSON.stringify(v)}${meaning ? ` = ${meaning}` : ""})`;
    }
  }
  return undefined;
}

/**
 * What to import: live objects passing the filters, plus everything they
 * reference; an object with no name of its own (a variation) follows the
 * objects it references.
 */
export function choose(all: Listed[], opts: Pick<ImportOptions, "filters" | "status">): { chosen: Listed[]; skipped: Skipped[]; addedAsReferenced: number } {
  const skipped: Skipped[] = [];
  const live = all.filter((o) => {
    if (o.skip) skipped.push({ type: o.key, id: o.id, reason: o.skip });
    return !o.skip;
  });
  const f = parseFilters(opts.filters ?? []);
  const byKey = new Map(live.map((o) => [objectKey(o), o]));
  const reasonOut = new Map<string, string>();
  for (const o of live) {
    if (f.types.length && !f.types.some((t) => t === o.type || t === o.key)) reasonOut.set(objectKey(o), "filtered out (type)");
    else if (f.ids.length && !f.ids.includes(o.id) && !f.ids.includes(splitImportId(o.id).id)) reasonOut.set(objectKey(o), "filtered out (id)");
    else if (f.names.length && !nameValues(o).some((v) => f.names.some((n) => v.toLowerCase().includes(n.toLowerCase())))) reasonOut.set(objectKey(o), "filtered out (name)");
    else if (opts.status === "active") {
      const r = notActive(o);
      if (r) reasonOut.set(objectKey(o), r);
    }
  }
  // Children without a name of their own (variations) go with a parent that is not active.
  for (const o of live) {
    const k = objectKey(o);
    if (nameValues(o).length || reasonOut.get(k)?.startsWith("not active") || reasonOut.get(k) === "filtered out (type)") continue;
    const parent = refsOf(o.def.fields, o.state).map((r) => `${r.key}/${r.id}`).find((p) => reasonOut.get(p)?.startsWith("not active"));
    if (parent) reasonOut.set(k, `left out with ${parent}, ${reasonOut.get(parent)}`);
  }
  const kept = new Set(live.filter((o) => !reasonOut.has(objectKey(o))).map(objectKey));
  // Children without a name of their own follow a kept parent (unless their own status rules them out).
  if (f.names.length || f.ids.length) {
    for (const o of live) {
      const k = objectKey(o);
      if (kept.has(k) || nameValues(o).length || /^(not active|left out with)/.test(reasonOut.get(k) ?? "") || reasonOut.get(k) === "filtered out (type)") continue;
      if (refsOf(o.def.fields, o.state).some((r) => kept.has(`${r.key}/${r.id}`))) kept.add(k);
    }
  }
  // References always come along, so the program refers instead of hard-coding ids.
  let addedAsReferenced = 0;
  const queue = [...kept];
  while (queue.length) {
    const o = byKey.get(queue.pop()!)!;
    for (const r of refsOf(o.def.fields, o.state)) {
      const k = `${r.key}/${r.id}`;
      if (byKey.has(k) && !kept.has(k)) {
        kept.add(k);
        addedAsReferenced++;
        queue.push(k);
      }
    }
  }
  for (const o of live) if (!kept.has(objectKey(o))) skipped.push({ type: o.key, id: o.id, reason: reasonOut.get(objectKey(o)) ?? "filtered out" });
  return { chosen: live.filter((o) => kept.has(objectKey(o))), skipped, addedAsReferenced };
}

function extensionOf(url: string, data: Buffer): string {
  const sig = data.subarray(0, 12);
  if (sig[0] === 0x89 && sig.toString("latin1", 1, 4) === "PNG") return "png";
  if (sig[0] === 0xff && sig[1] === 0xd8) return "jpg";
  if (sig.toString("latin1", 0, 3) === "GIF") return "gif";
  if (sig.toString("latin1", 0, 4) === "RIFF" && sig.toString("latin1", 8, 12) === "WEBP") return "webp";
  const m = /\.([a-z0-9]{2,5})(?:$|\?)/i.exec(new URL(url).pathname);
  return m ? m[1].toLowerCase() : "bin";
}

function digest(hash: string | undefined, data: Buffer): { name: string; ok: boolean } {
  const md5 = crypto.createHash("md5").update(data).digest("hex");
  if (typeof hash === "string" && /^[0-9a-f]{64}$/i.test(hash)) {
    const sha = crypto.createHash("sha256").update(data).digest("hex");
    return { name: sha, ok: sha === hash.toLowerCase() };
  }
  return { name: md5, ok: typeof hash !== "string" || !/^[0-9a-f]{32}$/i.test(hash) || md5 === hash.toLowerCase() };
}

/**
 * For each `localFile` field: the bytes the network serves, saved under
 * files/<content hash>.<ext> (once per content, however many objects use
 * it), and the field set to that relative path. An existing file whose name
 * is the network's hash is not downloaded again. Up to 8 downloads at once.
 */
export async function fetchFiles(objs: Listed[], out: string, skipped: Skipped[]): Promise<{ kept: Listed[]; files: string[] }> {
  const files = new Set<string>();
  const existing = fs.existsSync(path.join(out, FILES_DIR)) ? fs.readdirSync(path.join(out, FILES_DIR)) : [];
  /** Downloads by the network's hash (or by URL when it gives none): one per content. */
  const pending = new Map<string, Promise<string>>();
  const download = async (url: string, hash: unknown): Promise<string> => {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
    const data = Buffer.from(await res.arrayBuffer());
    const d = digest(typeof hash === "string" ? hash : undefined, data);
    if (!d.ok) throw new Error(`GET ${url}: the bytes do not match the network's hash ${hash}`);
    const rel = `${FILES_DIR}/${d.name}.${extensionOf(url, data)}`;
    fs.mkdirSync(path.join(out, FILES_DIR), { recursive: true });
    if (!fs.existsSync(path.join(out, rel))) fs.writeFileSync(path.join(out, rel), data);
    return rel;
  };
  const failed = new Map<Listed, string>();
  const one = async (o: Listed) => {
    for (const [k, f] of Object.entries(o.def.fields as Fields)) {
      if (!f.localFile) continue;
      const url = o.state[f.localFile.url];
      const hash = f.localFile.hash ? o.state[f.localFile.hash] : undefined;
      if (typeof url !== "string" || !url) {
        failed.set(o, `the network gives no address for its ${k} file`);
        return;
      }
      const known = typeof hash === "string" ? existing.find((x) => x.startsWith(`${hash.toLowerCase()}.`)) : undefined;
      if (known) {
        const rel = `${FILES_DIR}/${known}`;
        o.state[k] = rel;
        files.add(rel);
        continue;
      }
      const key = typeof hash === "string" && hash ? `hash:${hash.toLowerCase()}` : `url:${url}`;
      let p = pending.get(key);
      if (!p) pending.set(key, (p = download(url, hash)));
      try {
        const rel = await p;
        o.state[k] = rel;
        files.add(rel);
      } catch (e) {
        failed.set(o, `could not download its ${k} file (${(e as Error)?.message ?? e})`);
        return;
      }
    }
  };
  let next = 0;
  const worker = async () => {
    while (next < objs.length) await one(objs[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(8, objs.length) }, worker));
  for (const o of objs) {
    const why = failed.get(o);
    if (why) skipped.push({ type: o.key, id: o.id, reason: why });
  }
  return { kept: objs.filter((o) => !failed.has(o)), files: [...files].sort() };
}

/** This package's root directory (dist/provider/import -> the root). */
const PACKAGE_ROOT = path.resolve(__dirname, "..", "..", "..");

/**
 * How the generated project depends on this package, so that `npm install`
 * there resolves it: the spec of the project that installed it (a registry
 * version or range, a git or tarball URL, as they are; a `file:` path
 * rewritten to be relative to `out`), else the path of this package (run
 * from a clone, or installed with no project declaring it).
 */
export function dependencySpec(out: string, root: string = PACKAGE_ROOT): string {
  const rel = (target: string) => {
    const r = path.relative(path.resolve(out), target).split(path.sep).join("/");
    return `file:${r === "" ? "." : r.startsWith(".") ? r : `./${r}`}`;
  };
  const nodeModules = path.dirname(root);
  if (path.basename(nodeModules) === "node_modules") {
    const project = path.dirname(nodeModules);
    let pj: Record<string, Record<string, string> | undefined> = {};
    try {
      pj = JSON.parse(fs.readFileSync(path.join(project, "package.json"), "utf8"));
    } catch {
      pj = {};
    }
    const name = require("../../../package.json").name as string;
    const spec = pj.dependencies?.[name] ?? pj.devDependencies?.[name] ?? pj.optionalDependencies?.[name];
    if (typeof spec === "string" && spec) {
      const local = /^(file:|link:)/.exec(spec);
      if (local) return rel(path.resolve(project, spec.slice(local[1].length)));
      if (/^(\.{0,2}\/)/.test(spec)) return rel(path.resolve(project, spec));
      return spec;
    }
  }
  let real = root;
  try {
    real = fs.realpathSync(root);
  } catch {
    // the path as it is
  }
  return rel(real);
}

/**
 * The tsconfig Pulumi runs a new TypeScript project with (Pulumi.yaml's
 * `tsconfig` option): tsconfig.json with `noCheck`, which Pulumi's runner
 * reads as ts-node's transpileOnly. Type-checking the program on every
 * command cost 4-5 s of CPU whatever its size (ts-node builds a program of
 * every declaration file it imports: @types/node, the SDK, gRPC, this
 * package; 3 KB of loop for 3,100 objects or 18 objects alike), a quarter of
 * the no-op preview after adopting 3,100 objects. `npm run check` (tsc -p
 * tsconfig.json) and editors type-check it as before. These files are also
 * the project the bench's user row builds (scripts/lib/userpath.ts), so an
 * option given to users here is in the bench's figure too.
 */
export const PULUMI_TSCONFIG = "tsconfig.pulumi.json";

export function typescriptProjectFiles(out: string, project: string): Record<string, string> {
  const pkg = require("../../../package.json");
  const sdk = require("@pulumi/pulumi/package.json").version;
  return {
    // Pulumi runs the program through tsconfig.pulumi.json (noCheck: transpiled, not type-checked); tsconfig.json type-checks it (npm run check, editors).
    "Pulumi.yaml": `name: ${project}\nruntime:\n  name: nodejs\n  options:\n    tsconfig: ${PULUMI_TSCONFIG}\nmain: index.ts\ndescription: Ad network accounts as code (written by adnet-import)\n`,
    "package.json": JSON.stringify({
      name: project,
      private: true,
      main: "index.ts",
      scripts: { check: "tsc -p tsconfig.json" },
      dependencies: { "@pulumi/pulumi": sdk, [pkg.name]: dependencySpec(out) },
      devDependencies: { "@types/node": pkg.devDependencies["@types/node"], typescript: pkg.devDependencies.typescript },
    }, null, 2) + "\n",
    "tsconfig.json": JSON.stringify({
      compilerOptions: {
        strict: true, target: "es2020", module: "commonjs", moduleResolution: "node", esModuleInterop: true,
        skipLibCheck: true, forceConsistentCasingInFileNames: true, noEmit: true,
      },
      include: ["*.ts"],
    }, null, 2) + "\n",
    [PULUMI_TSCONFIG]: JSON.stringify({ extends: "./tsconfig.json", compilerOptions: { noCheck: true } }, null, 2) + "\n",
    ".gitignore": "node_modules/\n",
  };
}

function slugProject(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9_.-]+/g, "-").replace(/^-+|-+$/g, "") || "adnet-account";
}

/** Reads the accounts and writes the program into `opts.out`. Read-only on every network. */
export async function importAccounts(opts: ImportOptions): Promise<ImportSummary> {
  const t0 = Date.now();
  const log = opts.log ?? (() => undefined);
  const out = path.resolve(opts.out);
  fs.mkdirSync(out, { recursive: true });
  const all: Listed[] = [];
  const unsupported: Skipped[] = [];
  const account = opts.account ?? DEFAULT_ACCOUNT;
  const listed = await Promise.all(opts.networks.map((n) => listNetwork(n, account)));
  for (const [i, n] of opts.networks.entries()) {
    const r = listed[i];
    log(`${n}: listed ${r.objects.length} object(s)${r.unsupported.length ? `; not listable: ${r.unsupported.map((u) => u.type).join(", ")}` : ""}`);
    all.push(...r.objects);
    unsupported.push(...r.unsupported);
  }
  const listMs = Date.now() - t0;
  const { chosen, skipped, addedAsReferenced } = choose(all, opts);
  const { kept, files } = await fetchFiles(chosen, out, skipped);

  const namesPath = path.join(out, NAMES_FILE);
  const previous: NameMap | undefined = fs.existsSync(namesPath) ? JSON.parse(fs.readFileSync(namesPath, "utf8")) : undefined;
  const project = opts.project ?? slugProject(path.basename(out));
  const language = opts.language ?? "typescript";
  let g;
  if (language === "yaml") {
    const file = path.join(out, "Pulumi.yaml");
    const earlier = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
    if (earlier !== undefined && !/^runtime:\s*yaml\s*$/m.test(earlier)) throw new Error(`${file} is not a YAML program (no "runtime: yaml"); give --out a new directory for --language yaml`);
    g = generateYaml(kept, opts.networks, previous, account, project, earlier);
  } else if (language === "typescript") {
    g = generate(kept, opts.networks, previous, account, undefined, opts.plugin ? "plugin" : "dynamic");
  } else {
    const emitter = EMITTERS[language];
    if (!emitter) throw new Error(`adnet-import cannot write ${language} in this version`);
    g = emitter.generate(kept, opts.networks, previous, account);
  }

  // What the previous program declared and this one no longer does.
  const present = new Set(kept.map(objectKey));
  const live = new Map(all.map((o) => [objectKey(o), o]));
  const why = new Map(skipped.map((s) => [`${s.type}/${s.id}`, s.reason]));
  const retired = new Set(previous?.retired ?? []);
  const removed: ImportSummary["removed"] = [];
  for (const [k, name] of Object.entries(previous?.names ?? {})) {
    if (!opts.networks.includes(k.split(":")[0])) continue;
    // Objects of another account than this run's are that account's run's business.
    if ((splitImportId(k.slice(k.indexOf("/") + 1)).account ?? DEFAULT_ACCOUNT) !== account) continue;
    if (present.has(k)) {
      retired.delete(k);
      continue;
    }
    if (!retired.has(k)) removed.push({ name, object: k, reason: live.has(k) ? why.get(k) ?? "left out" : "no longer in the account" });
    retired.add(k);
  }
  g.names.retired = [...retired].sort();
  // Retired names stay in the map so that they are never given to another object.
  for (const [file, text] of Object.entries(g.files)) fs.writeFileSync(path.join(out, file), text);
  // A network's data file (codegen's DATA_ABOVE) from an earlier run whose program is statements again.
  for (const file of Object.keys(g.files)) {
    const data = file.replace(/\.(ts|go)$/, ".objects.json");
    if (/\.(ts|go)$/.test(file) && file !== "index.ts" && file !== "program.go" && !g.files[data] && fs.existsSync(path.join(out, data))) fs.rmSync(path.join(out, data));
  }
  const emitter = language === "typescript" || language === "yaml" ? undefined : EMITTERS[language];
  const newProject = language === "typescript" ? typescriptProjectFiles(out, project) : emitter ? emitter.projectFiles({ out, project, sdkVersion: require("@pulumi/pulumi/package.json").version }) : {};
  for (const [file, text] of Object.entries(newProject)) {
    if (fs.existsSync(path.join(out, file))) continue;
    fs.mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
    fs.writeFileSync(path.join(out, file), text);
  }
  fs.writeFileSync(namesPath, JSON.stringify(g.names, null, 2) + "\n");

  const imported: Record<string, number> = {};
  for (const o of kept) imported[o.key] = (imported[o.key] ?? 0) + 1;
  const summary: ImportSummary = {
    networks: opts.networks,
    ...(account !== DEFAULT_ACCOUNT ? { account } : {}),
    ...(opts.plugin ? { plugin: true } : {}),
    out,
    imported,
    total: kept.length,
    unsupported,
    skipped,
    addedAsReferenced,
    removed,
    secrets: g.secrets,
    files,
    danglingRefs: g.danglingRefs,
    names: { new: g.newNames, kept: g.keptNames },
    listMs,
    elapsedMs: Date.now() - t0,
  };
  fs.writeFileSync(path.join(out, SUMMARY_FILE), JSON.stringify(summary, null, 2) + "\n");
  return summary;
}

/** The summary as text for the terminal. */
export function summaryText(s: ImportSummary): string {
  const lines: string[] = [];
  lines.push(`adnet-import: ${s.total} object(s) of ${s.networks.join(", ")}${s.account ? ` (account ${s.account})` : ""} written as code to ${s.out} in ${(s.elapsedMs / 1000).toFixed(1)} s`);
  const types = Object.keys(s.imported).sort();
  const w = Math.max(4, ...types.map((t) => t.length));
  for (const t of types) lines.push(`  ${t.padEnd(w)}  ${String(s.imported[t]).padStart(6)}`);
  if (s.addedAsReferenced) lines.push(`  (${s.addedAsReferenced} of them outside the filters, imported because others refer to them)`);
  if (s.files.length) lines.push(`  files downloaded into ${FILES_DIR}/: ${s.files.length}`);
  lines.push(`  names: ${s.names.kept} kept from the last run, ${s.names.new} new`);
  if (s.unsupported.length) {
    lines.push("not imported (what could not be listed):");
    for (const u of s.unsupported) lines.push(`  ${u.type}: ${u.reason}`);
  }
  if (s.skipped.length) {
    const byReason = new Map<string, number>();
    for (const k of s.skipped) byReason.set(`${k.type}: ${k.reason}`, (byReason.get(`${k.type}: ${k.reason}`) ?? 0) + 1);
    lines.push("skipped (objects):");
    for (const [r, n] of [...byReason].sort()) lines.push(`  ${n} × ${r}`);
  }
  if (s.removed.length) {
    lines.push("no longer in the program (were in the last run):");
    for (const r of s.removed) lines.push(`  ${r.name} (${r.object}): ${r.reason}${r.reason === "no longer in the account" ? "" : " — pulumi up would delete it if the stack holds it"}`);
  }
  if (s.danglingRefs.length) lines.push(`references to objects not in the program (kept as ids): ${s.danglingRefs.length}`);
  if (s.secrets.length) {
    lines.push("secret fields read from stack config; set each before pulumi up:");
    for (const x of s.secrets) lines.push(`  pulumi config set --secret ${x.configKey} <value>   # ${x.resource} ${x.field}`);
  }
  lines.push(`next: cd ${s.out} && pulumi stack init && pulumi config set ${s.plugin ? "--secret --path adnetworks:<network>.<setting>" : "--secret <network>:<setting>"} ... (credentials) && pulumi up`);
  return lines.join("\n");
}
