import { expect } from "chai";
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import type { ResourceDef } from "../provider/core/schema/define";
import { f, Fields } from "../provider/core/schema/schema";
import { generate, ImportedObject, NameMap, slug } from "../provider/import/codegen";
import { DEFAULT_ACCOUNT } from "../provider/core/config/account";
import { choose, fetchFiles, PULUMI_TSCONFIG, Skipped, typescriptProjectFiles } from "../provider/import/importer";
import { parseArgs } from "../provider/cli/import";
import { generatePython, pythonName } from "../provider/import/python";
import { generateGo, goName, goProjectFiles, goString, unitFunction } from "../provider/import/golang";
import { execFileSync } from "child_process";
import { png } from "./support/png";

// A made-up network, declared only through field schemas: the generator must need nothing else.
const imageFields = {
  path: f.string({ required: true, localFile: { url: "fileUrl", hash: "contentHash" }, doc: "Local image." }),
  contentHash: f.string({ naturalKey: true, output: true, doc: "MD5." }),
  fileUrl: f.url({ output: true, doc: "Where the network serves it." }),
} satisfies Fields;
const campaignFields = {
  name: f.string({ required: true, naturalKey: true, doc: "Name." }),
  status: f.enum(["paused", "running"], { default: "paused", spend: "status", running: ["running"], meanings: { running: "spending" }, doc: "Status." }),
  dailyBudget: f.integer({ serverDefault: true, min: 0, spend: "dailyBudget", doc: "Budget." }),
  region: f.string({ default: "all", doc: "Region." }),
  targeting: f.object({
    countries: f.list(f.string({ doc: "Code." }), { max: 10, default: [], doc: "Countries." }),
    devices: f.list(f.string({ doc: "Device." }), { max: 10, doc: "Devices." }),
  }, { doc: "Targeting." }),
  token: f.string({ secret: true, doc: "Postback token." }),
  impressions: f.integer({ output: true, doc: "Output." }),
} satisfies Fields;
const adFields = {
  campaignId: f.string({ required: true, ref: "demo:Campaign", naturalKey: true, doc: "Campaign." }),
  imageId: f.integer({ required: true, ref: "demo:Image", doc: "Image (numeric id)." }),
  active: f.boolean({ default: true, doc: "Active." }),
} satisfies Fields;

const def = (key: string, fields: Fields): ResourceDef<any> => ({
  key, doc: key, importId: "the id", fields,
  create: async () => ({ id: "" }), read: async () => undefined, update: async () => undefined, delete: async () => undefined,
});
const Image = def("demo:Image", imageFields);
const Campaign = def("demo:Campaign", campaignFields);
const Ad = def("demo:Ad", adFields);
const obj = (d: ResourceDef<any>, id: string, state: Record<string, any>, skip?: string): ImportedObject & { skip?: string } => {
  const [network, type] = d.key.split(":");
  return { key: d.key, network, type, def: d, id, state, ...(skip ? { skip } : {}) };
};

function account() {
  const image = obj(Image, "7", { path: "files/abc.png", contentHash: "0123456789abcdef0123456789abcdef", fileUrl: "https://cdn.example/7.png" });
  const summer = obj(Campaign, "c1", { name: "Summer Sale!", status: "running", dailyBudget: 2000, region: "all", targeting: { countries: [], devices: ["mobile"] }, token: "s3cr3t-token", impressions: 99 });
  const winter = obj(Campaign, "c2", { name: "Winter", status: "paused", dailyBudget: -1, region: "eu" });
  const ads = Array.from({ length: 25 }, (_, i) => obj(Ad, `c1/${i + 1}`, { campaignId: "c1", imageId: 7, active: i % 2 === 0 }));
  return [...ads, winter, summer, image];
}

describe("adnet-import's Python emitter (--language python)", () => {
  /** Python's own parser on the text (python3: the machine's; `npm test` makes sure of it through setup-python.sh). */
  const parses = (text: string) => execFileSync("python3", ["-c", "import ast, sys; ast.parse(sys.stdin.read())"], { input: text, stdio: ["pipe", "pipe", "pipe"] });

  it("writes the same objects under the same names as TypeScript, as Python that parses, each with import_ and the plugin's type token", () => {
    const ts = generate(account(), ["demo"], undefined);
    const py = generatePython(account(), ["demo"], undefined);
    expect(py.names).to.deep.equal(ts.names);
    expect(Object.keys(py.files).sort()).to.deep.equal(["__main__.py", "demo.py"]);
    const text = py.files["demo.py"];
    parses(text);
    parses(py.files["__main__.py"]);
    expect(py.files["__main__.py"]).to.contain("import demo  # noqa: F401");
    expect(text.match(/= pulumi\.CustomResource\("adnetworks:demo:Ad", /g)).to.have.length(25);
    expect(text.match(/"imageId": image_89abcdef\.id\.apply\(int\),/g), text).to.have.length(25); // numeric ref field
    expect(text.match(/"campaignId": summer_sale\.id,/g)).to.have.length(25);
    expect(text.indexOf('"adnetworks:demo:Image"')).to.be.lessThan(text.indexOf('"adnetworks:demo:Ad"'));
    expect(text).to.contain(`pulumi.ResourceOptions(import_="c1/1")`);
    const summer = text.slice(text.indexOf(`"summer-sale", {`), text.indexOf(`import_="c1")`));
    expect(summer).to.contain(`    "status": "running",  # spending\n`);
    expect(summer).to.contain(`"targeting": {"devices": ["mobile"]},`);
    expect(summer).not.to.match(/region|countries|impressions/);
  });

  it("never writes a secret: reads it from stack config, under the key TypeScript's program reads", () => {
    const ts = generate(account(), ["demo"], undefined);
    const py = generatePython(account(), ["demo"], undefined);
    expect(Object.values(py.files).join("\n")).not.to.contain("s3cr3t-token");
    expect(py.files["demo.py"]).to.contain(`"token": config.require_secret("summerSaleToken"),`);
    expect(py.files["demo.py"]).to.contain("config = pulumi.Config()");
    expect(py.secrets).to.deep.equal(ts.secrets);
  });

  it("variable names are Python identifiers, never keywords; another account's module is importable", () => {
    expect(pythonName("class")).to.equal("class_resource");
    expect(pythonName("300x250 banner")).to.equal("r_300x250_banner");
    expect(pythonName("Summer Sale!")).to.equal("summer_sale");
    const py = generatePython([obj(Campaign, "brandB:c1", { name: "Summer", account: "brandB" })], ["demo"], undefined, "brandB");
    expect(Object.keys(py.files).sort()).to.deep.equal(["__main__.py", "demo_brandB.py"]);
    expect(py.files["__main__.py"]).to.contain("import demo_brandB  # noqa: F401");
    parses(py.files["demo_brandB.py"]);
  });

  it("--language takes the four languages' names; anything else is a usage error naming them", () => {
    expect(parseArgs(["--network", "exoclick", "--out", "x", "--language", "python"]).language).to.equal("python");
    expect(parseArgs(["--network", "exoclick", "--out", "x"]).language).to.equal(undefined);
    expect(() => parseArgs(["--network", "exoclick", "--out", "x", "--language", "ruby"])).to.throw(/--language takes typescript, python, go, yaml; got "ruby"/);
  });
});

describe("adnet-import's Go emitter (--language go)", () => {
  /** Go's own formatter: the files it would change (none), and a parse error as a failure; skipped where Go is not installed (setup:go needs it, so `npm test` has it). */
  const gofmt = (files: Record<string, string>): string[] => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-gofmt-"));
    try {
      for (const [f, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        fs.writeFileSync(path.join(dir, f), text);
      }
      return execFileSync("gofmt", ["-l", "-e", dir], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).split("\n").filter(Boolean).map((f) => path.relative(dir, f));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  let haveGo = true;
  try {
    execFileSync("gofmt", ["-l", os.devNull], { stdio: "ignore" });
  } catch {
    haveGo = false;
  }
  const clean = (files: Record<string, string>) => {
    const go = Object.fromEntries(Object.entries(files).filter(([f]) => f.endsWith(".go")));
    if (haveGo) expect(gofmt(go), Object.values(go).join("\n---\n")).to.deep.equal([]);
  };

  it("writes the same objects under the same names as TypeScript, each the SDK's type registered under the plugin's token with its import id, gofmt-clean", () => {
    const ts = generate(account(), ["demo"], undefined);
    const go = generateGo(account(), ["demo"], undefined);
    expect(go.names).to.deep.equal(ts.names);
    expect(Object.keys(go.files).sort()).to.deep.equal(["demo.go", "program.go"]);
    clean(go.files);
    const text = go.files["demo.go"];
    expect(text).to.contain("package accounts\n");
    expect(text).to.contain(`\t"github.com/pulumi-adnetworks/pulumi-adnetworks/sdk/go/adnetworks/demo"\n`);
    expect(text).to.contain("func Demo(ctx *pulumi.Context, opts ...pulumi.ResourceOption) error {");
    expect(text.match(/ctx\.RegisterResource\("adnetworks:demo:Ad", /g)).to.have.length(25);
    expect(text.match(/\tvar \w+ demo\.Ad\n/g)).to.have.length(25);
    // References: the target's id (a numeric field: as a number); dependencies first.
    expect(text.match(/"campaignId": summerSale\.ID\(\),/g)).to.have.length(25);
    expect(text.match(/"imageId": +idNumber\(image89abcdef\.ID\(\)\),/g), text).to.have.length(25);
    expect(text.indexOf('"adnetworks:demo:Image"')).to.be.lessThan(text.indexOf('"adnetworks:demo:Ad"'));
    expect(text).to.contain(`}, &summerSaleAd, imported(opts, "c1/1")...); err != nil {`);
    const summer = text.slice(text.indexOf(`"summer-sale", pulumi.Map{`), text.indexOf(`imported(opts, "c1")`));
    expect(summer).to.contain(`\t\t// spending\n\t\t"status":      pulumi.String("running"),\n`);
    expect(summer).to.contain(`"targeting":   pulumi.Map{"devices": pulumi.Array{pulumi.String("mobile")}},`);
    expect(summer).not.to.match(/region|countries|impressions/);
    // Program calls every network's function; the helpers it uses are there.
    expect(go.files["program.go"]).to.contain("func Program(ctx *pulumi.Context) error {\n\tif err := Demo(ctx); err != nil {");
    expect(go.files["program.go"]).to.contain("pulumi.Import(pulumi.ID(id))");
  });

  it("never writes a secret: reads it from stack config with config.RequireSecret..., under the keys TypeScript's program reads", () => {
    const ts = generate(account(), ["demo"], undefined);
    const go = generateGo(account(), ["demo"], undefined);
    expect(Object.values(go.files).join("\n")).not.to.contain("s3cr3t-token");
    expect(go.files["demo.go"]).to.contain(`"token":       config.RequireSecret(ctx, "summerSaleToken"),`);
    expect(go.files["demo.go"]).to.contain(`\t"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"\n`);
    expect(go.secrets).to.deep.equal(ts.secrets);
    // Without secrets the file does not import config (Go refuses an unused import).
    const plain = generateGo([obj(Campaign, "c9", { name: "Plain" })], ["demo"], undefined);
    expect(plain.files["demo.go"]).not.to.contain("pulumi/config");
    clean(plain.files);
  });

  it("writes every kind of field as Go that gofmt leaves alone: scalars, enums, objects, lists, maps, free-form data, secrets of each kind, ids kept as they are", () => {
    const everyFields = {
      title: f.string({ required: true, doc: "T." }),
      site: f.url({ doc: "U." }),
      day: f.date({ doc: "D." }),
      at: f.dateTime({ doc: "DT." }),
      count: f.integer({ doc: "I." }),
      ratio: f.number({ doc: "N." }),
      on: f.boolean({ doc: "B." }),
      mode: f.enum([0, 1, 2], { meanings: { 1: "evenly\nthrough the day" }, doc: "E." }),
      kind: f.enum(["a", "b"], { doc: "E2." }),
      schedule: f.object({ timezone: f.string({ doc: "Z." }), parting: f.list(f.object({ day: f.integer({ doc: "D." }), hours: f.list(f.integer({ doc: "H." }), { max: 24, doc: "H." }) }, { doc: "P." }), { max: 7, doc: "P." }) }, { doc: "S." }),
      labels: f.map(f.string({ doc: "L." }), { doc: "M." }),
      extra: f.json({ doc: "J." }),
      pin: f.integer({ secret: true, doc: "S." }),
      flag: f.boolean({ secret: true, doc: "S." }),
      blob: f.object({ a: f.string({ doc: "A." }) }, { secret: true, doc: "S." }),
      aVeryLongFieldNameThatGoesOnAndOnPastFortyCharacters: f.string({ doc: "Long." }),
      other: f.integer({ ref: "demo:Image", doc: "A numeric reference." }),
    } satisfies Fields;
    const Every = def("demo:Every", everyFields);
    const state = {
      title: 'Quote " back\\slash\nnew line ${x} é \u2028', site: "https://example.com/a//b", day: "2026-01-01", at: "2026-01-01T10:00:00Z",
      count: 3, ratio: 0.25, on: false, mode: 1, kind: "b",
      schedule: { timezone: "Europe/Paris", parting: [{ day: 1, hours: [9, 10, 11] }, { day: 2, hours: Array.from({ length: 24 }, (_, i) => i) }] },
      labels: { team: "growth", "with space": "x" },
      extra: { nested: { list: [1, "two", true, null], big: 1e21 }, empty: {} },
      pin: 1234, flag: true, blob: { a: "x" },
      aVeryLongFieldNameThatGoesOnAndOnPastFortyCharacters: "long", other: 404,
    };
    const go = generateGo([obj(Every, "e1", state)], ["demo"], undefined);
    clean(go.files);
    const text = go.files["demo.go"];
    expect(text).to.contain(`"title":`);
    expect(text).to.contain(`pulumi.String(${goString(state.title)})`);
    expect(goString("\ud800")).to.equal(JSON.stringify("\ufffd").replace("\ufffd", "\\ufffd"));
    expect(text).to.contain(`pulumi.Float64(0.25)`);
    expect(text).to.contain(`\t\t// evenly through the day\n\t\t"mode":`);
    expect(text).to.contain(`pulumi.Int(1),`);
    expect(text).to.contain(`"hours": pulumi.Array{pulumi.Int(9), pulumi.Int(10), pulumi.Int(11)},`);
    expect(text).to.contain(`"with space": pulumi.String("x")`);
    expect(text).to.contain(`pulumi.Float64(1e+21)`);
    expect(text).to.match(/"pin": +config\.RequireSecretInt\(ctx, "\w+Pin"\),/);
    expect(text).to.match(/"flag": +config\.RequireSecretBool\(ctx, "\w+Flag"\),/);
    expect(text).to.match(/"blob": +secretObject\(ctx, "\w+Blob"\),/);
    expect(text).to.contain(`\t\t// demo:Image 404: not in this program\n\t\t"other": pulumi.Int(404),`);
    expect(go.danglingRefs).to.deep.equal([{ resource: "demo:Every quote-back-slash-new-line-x-e", field: "other", target: "demo:Image/404" }]);
    expect(text).not.to.contain("1234");
  });

  it("puts each account's objects on the options the caller gives (an explicit provider), in a file and function of its own", () => {
    const go = generateGo([obj(Campaign, "brandB:c1", { name: "Summer", account: "brandB" })], ["demo"], { version: 1, names: {}, networks: ["demo"] }, "brandB");
    expect(Object.keys(go.files).sort()).to.deep.equal(["demo-brandB.go", "program.go"]);
    clean(go.files);
    expect(unitFunction("demo-brandB")).to.equal("DemoBrandB");
    expect(go.files["demo-brandB.go"]).to.contain("func DemoBrandB(ctx *pulumi.Context, opts ...pulumi.ResourceOption) error {");
    expect(go.files["demo-brandB.go"]).to.contain(`imported(opts, "brandB:c1")...`);
    // program.go calls the earlier run's network too (its file stays).
    expect(go.files["program.go"]).to.contain("\tif err := Demo(ctx); err != nil {");
    expect(go.files["program.go"]).to.contain("\tif err := DemoBrandB(ctx); err != nil {");
  });

  it("variables are Go identifiers that shadow nothing the code uses (keywords, builtins, the network's package)", () => {
    expect(goName("type")).to.equal("typeResource");
    expect(goName("string")).to.equal("stringResource");
    expect(goName("err")).to.equal("errResource");
    expect(goName("300x250 banner")).to.equal("r300x250Banner");
    const go = generateGo([obj(Campaign, "c1", { name: "demo" }), obj(Campaign, "c2", { name: "ctx" }), obj(Campaign, "c3", { name: "imported" })], ["demo"], undefined);
    clean(go.files);
    expect(go.files["demo.go"]).to.contain("\tvar demoResource demo.Campaign\n");
    expect(go.files["demo.go"]).to.contain("\tvar ctxResource demo.Campaign\n");
    expect(go.files["demo.go"]).to.contain("\tvar importedResource demo.Campaign\n");
  });

  it("above 100 objects a network is data (<network>.objects.json, TypeScript's format) embedded in a small file whose loop declares it", () => {
    const ts = generate(account(), ["demo"], undefined, DEFAULT_ACCOUNT, 10, "plugin");
    const go = generateGo(account(), ["demo"], undefined, DEFAULT_ACCOUNT, 10);
    expect(Object.keys(go.files).sort()).to.deep.equal(["demo.go", "demo.objects.json", "program.go"]);
    clean(go.files);
    expect(go.files["demo.objects.json"]).to.equal(ts.files["demo.objects.json"]);
    expect(go.files["demo.go"]).to.contain("//go:embed demo.objects.json\nvar demoObjects []byte\n");
    expect(go.files["demo.go"]).to.contain(`return declare(ctx, "demo", "demo.objects.json", demoObjects, opts)`);
    expect(go.secrets).to.deep.equal(ts.secrets);
    expect(go.files["program.go"]).to.contain(`ctx.RegisterResource("adnetworks:"+network+":"+e.Type, e.Name, args, &r, imported(opts, e.Import)...)`);
  });

  it("a new project: Pulumi.yaml (runtime go, main program/), go.mod requiring the SDK (replaced by this checkout's), program/main.go running Program", () => {
    const root = path.resolve(__dirname, "..", "..");
    const out = path.join(root, "..", "somewhere", "my-account");
    const files = goProjectFiles(out, "my-account", "3.248.0", root);
    clean(files);
    expect(files["Pulumi.yaml"]).to.match(/^runtime: go$/m);
    expect(files["Pulumi.yaml"]).to.match(/^main: program\/$/m);
    expect(files["go.mod"]).to.match(/^module my-account$/m);
    expect(files["go.mod"]).to.contain("\tgithub.com/pulumi-adnetworks/pulumi-adnetworks/sdk/go/adnetworks v0.0.0\n\tgithub.com/pulumi/pulumi/sdk/v3 v3.248.0\n");
    const rel = path.relative(out, path.join(root, "sdk", "go", "adnetworks")).split(path.sep).join("/");
    expect(files["go.mod"]).to.contain(`replace github.com/pulumi-adnetworks/pulumi-adnetworks/sdk/go/adnetworks => ${rel}\n`);
    expect(files["program/main.go"]).to.contain(`\taccounts "my-account"\n`);
    expect(files["program/main.go"]).to.contain("pulumi.Run(accounts.Program)");
    // Installed without the SDK's sources: the replace line is left for the user.
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-go-root-"));
    try {
      expect(goProjectFiles(out, "my-account", "3.248.0", bare)["go.mod"]).to.contain("// replace github.com/pulumi-adnetworks/pulumi-adnetworks/sdk/go/adnetworks => <your checkout");
    } finally {
      fs.rmSync(bare, { recursive: true, force: true });
    }
  });

  it("--language go is available", () => {
    expect(parseArgs(["--network", "exoclick", "--out", "x", "--language", "go"]).language).to.equal("go");
  });
});

describe("adnet-import generator (schema-driven, no network code)", () => {
  it("a new TypeScript project: Pulumi runs it through tsconfig.pulumi.json (noCheck: transpiled only), tsconfig.json still type-checks it (npm run check, editors)", () => {
    const files = typescriptProjectFiles(path.join(os.tmpdir(), "my-account"), "my-account");
    expect(files["Pulumi.yaml"]).to.contain(`runtime:\n  name: nodejs\n  options:\n    tsconfig: ${PULUMI_TSCONFIG}\n`);
    expect(JSON.parse(files["package.json"]).scripts.check).to.equal("tsc -p tsconfig.json");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-tsconfig-"));
    try {
      for (const f of ["tsconfig.json", PULUMI_TSCONFIG]) fs.writeFileSync(path.join(dir, f), files[f]);
      // What Pulumi's runner reads to decide transpileOnly (the tsconfig Pulumi.yaml names; tsc's and editors' has no noCheck).
      const { loadTypeScriptCompilerOptions } = require("@pulumi/pulumi/tsutils");
      expect(loadTypeScriptCompilerOptions(path.join(dir, PULUMI_TSCONFIG)).noCheck).to.equal(true);
      expect(loadTypeScriptCompilerOptions(path.join(dir, "tsconfig.json")).noCheck).to.equal(undefined);
      // ts-node reads it with tsconfig.json's options under it (extends): the same strict compile.
      const ts = require("typescript");
      const parsed = (f: string) => ts.getParsedCommandLineOfConfigFile(path.join(dir, f), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d: unknown) => { throw new Error(String(d)); } }).options;
      const { noCheck, configFilePath: _a, ...pulumiOptions } = parsed(PULUMI_TSCONFIG);
      const { configFilePath: _b, ...checkOptions } = parsed("tsconfig.json");
      expect(noCheck).to.equal(true);
      expect(pulumiOptions).to.deep.equal(checkOptions);
      expect(checkOptions.strict).to.equal(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("writes references as code, the shared image once, dependencies first", () => {
    const g = generate(account(), ["demo"], undefined);
    const text = g.files["demo.ts"];
    expect(text.match(/new demo\.Image\(/g)).to.have.length(1);
    expect(text.match(/imageId: image89abcdef\.id\.apply\(Number\)/g), text).to.have.length(25); // numeric ref field
    expect(text.match(/campaignId: summerSale\.id,/g)).to.have.length(25);
    expect(text.indexOf("new demo.Image(")).to.be.lessThan(text.indexOf("new demo.Ad("));
    expect(text.indexOf("new demo.Campaign(\"summer-sale\"")).to.be.lessThan(text.indexOf("new demo.Ad("));
    expect(text).to.contain(`{ import: "c1/1" }`);
    expect(g.files["index.ts"]).to.contain(`import "./demo";`);
  });

  it("writes only what differs from the declared defaults; never outputs; server defaults the field refuses are left out", () => {
    const text = generate(account(), ["demo"], undefined).files["demo.ts"];
    const summer = text.slice(text.indexOf(`new demo.Campaign("summer-sale"`), text.indexOf(`{ import: "c1" }`));
    expect(summer).to.contain(`status: "running", // spending`);
    expect(summer).to.contain("dailyBudget: 2000,");
    expect(summer).not.to.match(/region|countries|impressions/); // defaults, empty defaults, outputs
    expect(summer).to.contain(`devices: ["mobile"]`);
    const winter = text.slice(text.indexOf(`new demo.Campaign("winter"`), text.indexOf(`{ import: "c2" }`));
    expect(winter).not.to.match(/status|dailyBudget/); // default "paused"; -1 is the network's own choice
    expect(winter).to.contain(`region: "eu"`);
    const ad = text.slice(text.indexOf(`new demo.Ad(`), text.indexOf(`{ import: "c1/1" }`));
    expect(ad).not.to.contain("active"); // true is the default
  });

  it("never writes a secret: it reads it from stack config and reports the key", () => {
    const g = generate(account(), ["demo"], undefined);
    expect(Object.values(g.files).join("\n")).not.to.contain("s3cr3t-token");
    expect(g.files["demo.ts"]).to.contain(`token: config.requireSecret("summerSaleToken")`);
    expect(g.files["demo.ts"]).to.contain("const config = new pulumi.Config();");
    expect(g.secrets).to.deep.equal([{ resource: "demo:Campaign summer-sale", field: "token", configKey: "summerSaleToken" }]);
  });

  it("above DATA_ABOVE objects a network is data beside a loop: the same names, import ids, arguments, references and secrets as the statements", () => {
    const statements = generate(account(), ["demo"], undefined);
    const g = generate(account(), ["demo"], undefined, DEFAULT_ACCOUNT, 10);
    const data: Array<{ type: string; name: string; import: string; args: Record<string, unknown> }> = JSON.parse(g.files["demo.objects.json"]);
    expect(g.files["demo.objects.json"].trim().split("\n")).to.have.length(account().length + 2); // one object per line
    expect(data.map((e) => `${e.type} ${e.name} ${e.import}`)).to.deep.equal(
      [...statements.files["demo.ts"].matchAll(/new demo\.(\w+)\("([^"]+)", [\s\S]*?\{ import: "([^"]+)" \}\);/g)].map((m) => `${m[1]} ${m[2]} ${m[3]}`));
    expect(g.names).to.deep.equal(statements.names);
    const summer = data.find((e) => e.name === "summer-sale")!;
    expect(summer.args).to.deep.equal({ name: "Summer Sale!", status: "running", dailyBudget: 2000, targeting: { devices: ["mobile"] }, token: { "@secret": "summerSaleToken", as: "string" } });
    expect(data.find((e) => e.name === "winter")!.args).to.deep.equal({ name: "Winter", region: "eu" });
    expect(data.find((e) => e.import === "c1/2")!.args).to.deep.equal({ campaignId: { "@ref": "summer-sale" }, imageId: { "@ref": "image-89abcdef", as: "number" }, active: false });
    expect(g.secrets).to.deep.equal(statements.secrets);
    expect(Object.values(g.files).join("\n")).not.to.contain("s3cr3t-token");
    const loop = g.files["demo.ts"];
    expect(loop).to.contain(`const objects: Entry[] = require("./demo.objects.json");`);
    expect(loop).to.contain("new Type(o.name, resolve(o.args), { import: o.import })");
    expect(loop).to.contain("config.requireSecret(key)");
    expect(loop.length).to.be.lessThan(3000);
    expect(statements.files["demo.objects.json"]).to.equal(undefined);
  });

  it("names come from natural keys, slugged and unique; children take their parent's name", () => {
    const g = generate([...account(), obj(Campaign, "c3", { name: "summer  sale" })], ["demo"], undefined);
    expect(g.names.names["demo:Campaign/c1"]).to.equal("summer-sale");
    expect(g.names.names["demo:Campaign/c3"]).to.equal("summer-sale-2");
    expect(g.names.names["demo:Ad/c1/1"]).to.equal("summer-sale-ad");
    expect(g.names.names["demo:Ad/c1/2"]).to.equal("summer-sale-ad-2");
    expect(g.names.names["demo:Image/7"]).to.equal("image-89abcdef"); // only a digest: the type and its last characters
    expect(slug("https://www.Shop.example/Été?x={clickid}")).to.equal("shop-example-ete-x-clickid");
  });

  it("re-running keeps every name, even when the natural key changed, and never reuses a retired name", () => {
    const first = generate(account(), ["demo"], undefined);
    const changed = account().filter((o) => o.id !== "c2");
    changed.find((o) => o.id === "c1")!.state.name = "Autumn";
    changed.push(obj(Campaign, "c9", { name: "Winter" }));
    const names: NameMap = { ...first.names, retired: ["demo:Campaign/c2"] };
    const second = generate(changed, ["demo"], names);
    expect(second.names.names["demo:Campaign/c1"]).to.equal("summer-sale");
    expect(second.files["demo.ts"]).to.contain(`new demo.Campaign("summer-sale", {\n  name: "Autumn",`);
    expect(second.names.names["demo:Campaign/c9"]).to.equal("winter-2"); // "winter" belonged to c2
    expect(second.keptNames).to.equal(first.newNames - 1);
    expect(second.newNames).to.equal(1);
  });

  it("choose: archived objects are reported; --status active and --filter narrow; references and nameless children come along", () => {
    const all = [...account(), obj(Campaign, "c0", { name: "Gone" }, "archived")];
    const a = choose(all, {});
    expect(a.chosen).to.have.length(28);
    expect(a.skipped).to.deep.equal([{ type: "demo:Campaign", id: "c0", reason: "archived" }]);
    const active = choose(all, { status: "active" });
    expect(active.skipped.find((s) => s.id === "c2")!.reason).to.equal(`not active (status "paused")`);
    // A paused campaign's ads go with it (they do not bring it back as a reference).
    const paused = choose([...all, obj(Ad, "c2/1", { campaignId: "c2", imageId: 7 })], { status: "active" });
    expect(paused.chosen.some((o) => o.id === "c2" || o.id === "c2/1")).to.equal(false);
    expect(paused.skipped.find((s) => s.id === "c2/1")!.reason).to.equal(`left out with demo:Campaign/c2, not active (status "paused")`);
    expect(paused.chosen.filter((o) => o.key === "demo:Ad")).to.have.length(25);
    const named = choose(all, { filters: ["name=summer"] });
    expect(named.chosen.map((o) => o.key).sort().filter((k, i, x) => x.indexOf(k) === i)).to.deep.equal(["demo:Ad", "demo:Campaign", "demo:Image"]);
    expect(named.chosen.filter((o) => o.key === "demo:Campaign").map((o) => o.id)).to.deep.equal(["c1"]);
    expect(named.addedAsReferenced).to.equal(1); // the image
    const typed = choose(all, { filters: ["type=Ad"] });
    expect(typed.chosen.filter((o) => o.key === "demo:Ad")).to.have.length(25);
    expect(typed.addedAsReferenced).to.equal(2); // campaign c1 and the image, so the ads refer to them
    expect(() => choose(all, { filters: ["colour=red"] })).to.throw(/type=<Type or module:Type>, name=<text> or id=<id>/);
  });

  it("localFile: downloads what the network serves once per content, content-hashed, and checks the network's hash", async () => {
    const data = png(300, 250, 3);
    const md5 = crypto.createHash("md5").update(data).digest("hex");
    let gets = 0;
    const server = http.createServer((req, res) => {
      gets++;
      if (req.url === "/img/7.png" || req.url === "/img/8.png") {
        res.writeHead(200, { "content-type": "image/png" });
        res.end(data);
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const base = `http://127.0.0.1:${(server.address() as any).port}`;
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-import-unit-"));
    try {
      const objs = [
        obj(Image, "7", { contentHash: md5, fileUrl: `${base}/img/7.png` }),
        obj(Image, "8", { contentHash: md5, fileUrl: `${base}/img/8.png` }),
        obj(Image, "9", { contentHash: "f".repeat(32), fileUrl: `${base}/img/7.png` }),
        obj(Image, "10", { contentHash: "e".repeat(32), fileUrl: `${base}/missing.png` }),
      ];
      const skipped: Skipped[] = [];
      const r = await fetchFiles(objs, out, skipped);
      expect(gets).to.equal(3); // 7 and 8 hold the same content: one download
      expect(r.files).to.deep.equal([`files/${md5}.png`]);
      expect(r.kept.map((o) => o.state.path)).to.deep.equal([`files/${md5}.png`, `files/${md5}.png`]);
      expect(fs.readFileSync(path.join(out, "files", `${md5}.png`)).equals(data)).to.equal(true);
      expect(skipped.map((s) => s.id)).to.deep.equal(["9", "10"]);
      expect(skipped[0].reason).to.match(/do not match the network's hash/);
      // A re-run finds the file by the network's hash and downloads nothing.
      const before = gets;
      await fetchFiles([obj(Image, "7", { contentHash: md5, fileUrl: `${base}/img/7.png` })], out, []);
      expect(gets).to.equal(before);
    } finally {
      server.close();
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it("the command line: networks, out, filters, status", () => {
    expect(parseArgs(["--network", "exoclick,affise", "--out", "acct", "--filter", "type=Campaign", "--status", "active"])).to.deep.equal({
      networks: ["exoclick", "affise"], out: "acct", filters: ["type=Campaign"], status: "active",
    });
    expect(() => parseArgs(["--network", "myspace", "--out", "x"])).to.throw(/unknown network "myspace"/);
    expect(() => parseArgs(["--network", "exoclick"])).to.throw(/--out <dir> are required/);
  });
});
