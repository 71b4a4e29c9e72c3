import { expect } from "chai";
import * as yaml from "js-yaml";
import type { ResourceDef } from "../provider/core/schema/define";
import { f, Fields } from "../provider/core/schema/schema";
import type { ImportedObject } from "../provider/import/codegen";
import { generateYaml, readBlocks } from "../provider/import/yaml";
import { parseArgs } from "../provider/cli/import";

// A made-up network, declared only through field schemas: the YAML emitter needs nothing else.
const campaignFields = {
  name: f.string({ required: true, naturalKey: true, doc: "Name." }),
  status: f.enum(["paused", "running"], { default: "paused", meanings: { running: "spending" }, doc: "Status." }),
  dailyBudget: f.integer({ serverDefault: true, min: 0, doc: "Budget." }),
  url: f.string({ doc: "Tracking URL." }),
  targeting: f.object({
    countries: f.list(f.string({ doc: "Code." }), { max: 10, default: [], doc: "Countries." }),
    devices: f.list(f.string({ doc: "Device." }), { max: 10, doc: "Devices." }),
  }, { doc: "Targeting." }),
  payments: f.list(f.object({ country: f.string({ doc: "Country." }), revenue: f.number({ doc: "Revenue." }) }, { doc: "Payment." }), { max: 10, doc: "Payments." }),
  token: f.string({ secret: true, doc: "Postback token." }),
  impressions: f.integer({ output: true, doc: "Output." }),
} satisfies Fields;
const adFields = {
  campaignId: f.string({ required: true, ref: "demo:Campaign", naturalKey: true, doc: "Campaign." }),
  slot: f.integer({ ref: "demo:Campaign", doc: "A numeric reference." }),
  active: f.boolean({ default: true, doc: "Active." }),
} satisfies Fields;

const def = (key: string, fields: Fields): ResourceDef<any> => ({
  key, doc: key, importId: "the id", fields,
  create: async () => ({ id: "" }), read: async () => undefined, update: async () => undefined, delete: async () => undefined,
});
const Campaign = def("demo:Campaign", campaignFields);
const Ad = def("demo:Ad", adFields);
const Other = def("other:Campaign", { name: f.string({ required: true, naturalKey: true, doc: "Name." }) });
const obj = (d: ResourceDef<any>, id: string, state: Record<string, any>): ImportedObject => {
  const [network, type] = d.key.split(":");
  return { key: d.key, network, type, def: d, id, state };
};

function account(): ImportedObject[] {
  return [
    obj(Ad, "c1/1", { campaignId: "c1", slot: 2, active: false }),
    obj(Campaign, "c1", {
      name: "Summer Sale!", status: "running", dailyBudget: 2000, url: "https://t.example/?c=${campaign}&x={clickid}",
      targeting: { countries: [], devices: ["mobile", "desktop"] },
      payments: [{ country: "RU", revenue: 30 }, { country: "US", revenue: 12.5 }],
      token: "s3cr3t-token", impressions: 99,
    }),
    obj(Campaign, "2", { name: "Winter", status: "paused" }),
  ];
}

const load = (text: string) => yaml.load(text) as { name: string; runtime: string; config?: Record<string, any>; resources: Record<string, any> };

describe("adnet-import --language yaml (schema-driven YAML emitter)", () => {
  it("writes one Pulumi.yaml on the plugin's types, each resource with import, references as interpolations", () => {
    const g = generateYaml(account(), ["demo"], undefined, "default", "my-account");
    expect(Object.keys(g.files)).to.deep.equal(["Pulumi.yaml"]);
    const p = load(g.files["Pulumi.yaml"]);
    expect(p.name).to.equal("my-account");
    expect(p.runtime).to.equal("yaml");
    expect(p.resources["summer-sale"]).to.deep.equal({
      type: "demo:Campaign".replace(/^/, "adnetworks:"),
      properties: {
        name: "Summer Sale!", status: "running", dailyBudget: 2000,
        url: "https://t.example/?c=$${campaign}&x={clickid}", // Pulumi YAML reads "$${" as a literal "${"
        targeting: { devices: ["mobile", "desktop"] }, // the empty default list is left out
        payments: [{ country: "RU", revenue: 30 }, { country: "US", revenue: 12.5 }],
        token: "${summerSaleToken}",
      },
      options: { import: "c1" },
    });
    expect(p.resources["summer-sale-ad"].properties).to.deep.equal({ campaignId: "${summer-sale.id}", slot: 2, active: false });
    expect(p.resources.winter.properties).to.deep.equal({ name: "Winter" }); // "paused" is the default
    expect(p.resources.winter.options).to.deep.equal({ import: "2" });
    // Dependencies first.
    const text = g.files["Pulumi.yaml"];
    expect(text.indexOf("  summer-sale:")).to.be.lessThan(text.indexOf("  summer-sale-ad:"));
    expect(text).to.contain("status: \"running\" # spending");
  });

  it("never writes a secret: it declares a secret config value and reports the key", () => {
    const g = generateYaml(account(), ["demo"], undefined, "default", "p");
    expect(g.files["Pulumi.yaml"]).not.to.contain("s3cr3t-token");
    expect(load(g.files["Pulumi.yaml"]).config).to.deep.equal({ summerSaleToken: { type: "string", secret: true } });
    expect(g.secrets).to.deep.equal([{ resource: "demo:Campaign summer-sale", field: "token", configKey: "summerSaleToken" }]);
  });

  it("a re-run of one network rewrites its block and keeps the other network's; a name two networks share gets its network's key", () => {
    const first = generateYaml([obj(Other, "o1", { name: "Winter" })], ["other"], undefined, "default", "p");
    const second = generateYaml(account(), ["demo"], first.names, "default", "ignored", first.files["Pulumi.yaml"]);
    const p = load(second.files["Pulumi.yaml"]);
    expect(p.name).to.equal("p"); // the project keeps its name
    expect(p.resources.winter).to.deep.include({ type: "adnetworks:other:Campaign" });
    expect(p.resources["demo-winter"]).to.deep.include({ type: "adnetworks:demo:Campaign", name: "winter" }); // the logical name stays "winter"
    expect([...readBlocks(second.files["Pulumi.yaml"]).resources.keys()]).to.deep.equal(["demo", "other"]);
    // Again: the same file.
    const third = generateYaml(account(), ["demo"], second.names, "default", "p", second.files["Pulumi.yaml"]);
    expect(third.files["Pulumi.yaml"]).to.equal(second.files["Pulumi.yaml"]);
  });

  it("--language takes typescript or yaml", () => {
    expect(parseArgs(["--network", "exoclick", "--out", "x", "--language", "yaml"]).language).to.equal("yaml");
    expect(parseArgs(["--network", "exoclick", "--out", "x"]).language).to.equal(undefined);
    expect(() => parseArgs(["--network", "exoclick", "--out", "x", "--language", "cobol"])).to.throw(/--language takes typescript, python, go, yaml/);
  });
});
