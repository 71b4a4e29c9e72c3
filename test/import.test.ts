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
import { choose, fetchFiles, Skipped } from "../provider/import/importer";
import { parseArgs } from "../provider/cli/import";
import { generatePython, pythonName } from "../provider/import/python";
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

describe("adnet-import generator (schema-driven, no network code)", () => {
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
