import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

/**
 * The module graph of provider/, read with the TypeScript compiler's parser
 * (already a dev dependency; no type checking, so it takes well under a
 * second): every `import`/`export ... from`, `require("...")` and
 * `import("...")` of a relative path. Type-only imports (`import type`,
 * `export type`, specifiers all marked `type`) are erased from the
 * JavaScript, so they are not edges of the runtime graph; everything else
 * counts, even a value import TypeScript would elide (stricter than Node).
 */
const ROOT = path.resolve(__dirname, "..", "..");
const PROVIDER = path.join(ROOT, "provider");

interface Edge {
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith(".ts") && !p.endsWith(".d.ts") ? [p] : [];
  });
}

function resolve(from: string, spec: string): string | undefined {
  if (!spec.startsWith(".") || spec.endsWith(".json")) return undefined; // a package, or data
  const base = path.resolve(path.dirname(from), spec);
  for (const p of [`${base}.ts`, path.join(base, "index.ts")]) if (fs.existsSync(p)) return p;
  throw new Error(`${path.relative(ROOT, from)}: cannot resolve ${spec}`);
}

function edgesOf(file: string): Edge[] {
  const sf = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const out: Edge[] = [];
  const add = (spec: ts.Expression | undefined, typeOnly: boolean) => {
    if (!spec || !ts.isStringLiteralLike(spec)) return;
    const to = resolve(file, spec.text);
    if (to) out.push({ to, typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const allTypes = !!clause && !clause.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly);
      add(node.moduleSpecifier, !!clause?.isTypeOnly || allTypes);
    } else if (ts.isExportDeclaration(node)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      add(node.moduleSpecifier, node.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
    } else if (ts.isImportTypeNode(node)) {
      // `typeof import("./x")` in a type position: erased.
      if (ts.isLiteralTypeNode(node.argument)) add(node.argument.literal, true);
    } else if (ts.isCallExpression(node) && node.arguments.length === 1) {
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === "require";
      const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      if (isRequire || isDynamicImport) add(node.arguments[0], false);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

const rel = (p: string) => path.relative(PROVIDER, p).split(path.sep).join("/");
const graph = new Map(sourceFiles(PROVIDER).map((f) => [f, edgesOf(f)]));

/** Strongly connected components with more than one file (or a file importing itself): the import cycles. */
function cycles(files: string[], runtimeOnly: boolean): string[][] {
  const inScope = new Set(files);
  let index = 0;
  const idx = new Map<string, number>(), low = new Map<string, number>(), onStack = new Set<string>(), stack: string[] = [];
  const out: string[][] = [];
  const strong = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const e of graph.get(v) ?? []) {
      if ((runtimeOnly && e.typeOnly) || !inScope.has(e.to)) continue;
      if (!idx.has(e.to)) {
        strong(e.to);
        low.set(v, Math.min(low.get(v)!, low.get(e.to)!));
      } else if (onStack.has(e.to)) low.set(v, Math.min(low.get(v)!, idx.get(e.to)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      const selfLoop = (graph.get(v) ?? []).some((e) => e.to === v && !(runtimeOnly && e.typeOnly));
      if (scc.length > 1 || selfLoop) out.push(scc.map(rel).sort());
    }
  };
  for (const f of files) if (!idx.has(f)) strong(f);
  return out;
}

describe("the module graph of provider/", () => {
  const outsideSandbox = [...graph.keys()].filter((f) => !rel(f).startsWith("sandbox/"));

  it("has no import cycle at all: every file of provider/, the sandbox too, type-only imports counted", () => {
    const all = [...graph.keys()];
    expect(all.length).to.be.greaterThan(100);
    expect(cycles(all, false)).to.deep.equal([]);
  });

  it("has no import cycle between files outside the sandbox (runtime imports)", () => {
    expect(outsideSandbox.length).to.be.greaterThan(40);
    expect(cycles(outsideSandbox, true)).to.deep.equal([]);
  });

  it("finds a cycle when there is one (the check itself)", () => {
    // exoclick/client.ts importing the network declaration (which imports the client) would be one.
    const client = path.join(PROVIDER, "exoclick", "client.ts");
    const campaign = path.join(PROVIDER, "exoclick", "network.ts");
    const saved = graph.get(client)!;
    graph.set(client, [...saved, { to: campaign, typeOnly: false }]);
    try {
      const found = cycles(outsideSandbox, true);
      expect(found.some((c) => c.includes("exoclick/client.ts") && c.includes("exoclick/network.ts"))).to.equal(true);
    } finally {
      graph.set(client, saved);
    }
    // A type-only import closes a circle too (the client naming its resources' types was one).
    const offer = path.join(PROVIDER, "affise", "offer.ts");
    const affise = path.join(PROVIDER, "affise", "client.ts");
    const before = graph.get(affise)!;
    graph.set(affise, [...before, { to: offer, typeOnly: true }]);
    try {
      expect(cycles([...graph.keys()], true).some((c) => c.includes("affise/client.ts"))).to.equal(false);
      expect(cycles([...graph.keys()], false).some((c) => c.includes("affise/client.ts") && c.includes("affise/offer.ts"))).to.equal(true);
    } finally {
      graph.set(affise, before);
    }
  });

  it("core never imports upward (a network, the network list, the registry, the CLIs) nor the emulators", () => {
    const bad: string[] = [];
    for (const [f, edges] of graph) {
      if (!rel(f).startsWith("core/")) continue;
      for (const e of edges) if (!rel(e.to).startsWith("core/")) bad.push(`${rel(f)} -> ${rel(e.to)}`);
    }
    expect(bad).to.deep.equal([]);
  });

  it("the emulators import nothing of the clients and resources (only the sandbox's own server, base, core's redaction and the commands' option parser)", () => {
    const bad: string[] = [];
    for (const [f, edges] of graph) {
      if (!rel(f).startsWith("sandbox/")) continue;
      for (const e of edges) {
        const to = rel(e.to);
        // The sandbox's network list names the networks by type only (so a missing emulator fails to compile); its config helper joins both sides for the harness.
        if (to.startsWith("sandbox/") || to === "core/http/redact.ts" || (e.typeOnly && (to === "networks.ts" || to.startsWith("core/")))) continue;
        if (rel(f) === "sandbox/config.ts" && (to === "networks.ts" || to === "core/config/network.ts" || to === "core/config/config.ts")) continue;
        // The adnet-sandbox command parses its options with the commands' shared parser (no client or resource code).
        if (rel(f) === "sandbox/cli.ts" && to === "cli/args.ts") continue;
        bad.push(`${rel(f)} -> ${to}`);
      }
    }
    expect(bad).to.deep.equal([]);
  });

  it("follows engine -> registry -> network index (each network on first use) -> each network -> its resources with static imports", () => {
    const importsOf = (f: string) => (graph.get(path.join(PROVIDER, f)) ?? []).filter((e) => !e.typeOnly).map((e) => rel(e.to));
    expect(importsOf("registry.ts")).to.include("networkIndex.ts");
    const networks = importsOf("networks.ts");
    const index = importsOf("networkIndex.ts");
    for (const n of ["affise", "exoclick", "integr8", "interchange", "topsort"]) {
      expect(networks).to.include(`${n}/network.ts`);
      expect(index).to.include.members([`${n}/network.ts`, `${n}/settings.ts`]);
      expect(importsOf(`${n}/network.ts`)).to.include(`${n}/settings.ts`);
      expect(importsOf(`${n}/network.ts`)).to.include(`${n}/client.ts`);
      expect(importsOf(`${n}/settings.ts`).every((x) => x.startsWith("core/") || x.startsWith(`${n}/constants`)), `${n}/settings.ts is a leaf`).to.equal(true);
    }
    // No computed require: every require/import() argument is a string literal (the host wrapper alone loads Pulumi's own modules by resolved path).
    for (const f of graph.keys()) {
      if (rel(f) === "core/engine/dynamicHost.ts") continue;
      const text = fs.readFileSync(f, "utf8");
      expect(/require\(\s*[^"'\s)]/.test(text.replace(/require\.(resolve|cache|main)/g, "")), `${rel(f)} has a computed require`).to.equal(false);
    }
  });
});
