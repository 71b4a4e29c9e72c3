import { expect } from "chai";
import { generateProgram, parsePcl, Ref, Call } from "../provider/language-host/generate";
import { packageSchema } from "../provider/core/schema/pulumiSchema";
import * as registry from "../provider/registry";

describe("pulumi import support: the package schema and the code from PCL", () => {
  it("the schema names every type with its inputs (no outputs, nothing derived) and required inputs", () => {
    const schema = packageSchema("3.248.0", registry) as any;
    expect(Object.keys(schema.resources).sort()).to.deep.equal(registry.types().map((k) => `pulumi-nodejs:dynamic/${k}`).sort());
    const campaign = schema.resources["pulumi-nodejs:dynamic/exoclick:Campaign"];
    expect(campaign.inputProperties.maxDailyBudget).to.deep.include({ type: "integer" });
    expect(campaign.inputProperties.categories).to.deep.include({ $ref: "pulumi.json#/Any" });
    expect(campaign.requiredInputs).to.include("name");
    const file = schema.resources["pulumi-nodejs:dynamic/exoclick:LibraryFile"];
    for (const [k, f] of Object.entries(registry.definition("exoclick:LibraryFile")!.fields)) {
      if ((f as any).output || (f as any).derived) expect(file.inputProperties, k).not.to.have.property(k);
    }
  });

  it("parses the PCL the importer writes: blocks, labels, literals with escapes, objects, tuples, references, calls", () => {
    const [pkg, res] = parsePcl(`package "pulumi-nodejs" {
  baseProviderName = "pulumi-nodejs"
}

resource summer-sale "pulumi-nodejs:dynamic/exoclick:Campaign" {
    __logicalName = "summer sale"
    name = "Say \\"hi\\"\\n$\${x} \\u00e9"
    pricing = {
        "model" = 4
        "price" = 3.5
    }
    categories = { type = "targeted", elements = [97, 98] }
    flag = true
    none = null
    other = landing.id
    token = secret("s3cret")
    options {
        protect = true
        dependsOn = [landing]
    }
}
`);
    expect(pkg.type).to.equal("package");
    expect(res.labels).to.deep.equal(["summer-sale", "pulumi-nodejs:dynamic/exoclick:Campaign"]);
    expect(res.attributes.name).to.equal('Say "hi"\n${x} é');
    expect(res.attributes.pricing).to.deep.equal({ model: 4, price: 3.5 });
    expect(res.attributes.categories).to.deep.equal({ type: "targeted", elements: [97, 98] });
    expect(res.attributes.flag).to.equal(true);
    expect(res.attributes.none).to.equal(null);
    expect(res.attributes.other).to.be.instanceOf(Ref).and.deep.include({ root: "landing", path: ["id"] });
    expect(res.attributes.token).to.be.instanceOf(Call).and.deep.include({ name: "secret", args: ["s3cret"] });
    expect(res.blocks[0].type).to.equal("options");
    expect(res.blocks[0].attributes.protect).to.equal(true);
    expect(() => parsePcl('resource x "t" { a = "${b}" }')).to.throw(/interpolation/);
  });

  it("writes each resource as adnet-import does: defaults left out, references to other imported resources, the options", () => {
    const text = generateProgram({
      "main.pp": `resource landing "pulumi-nodejs:dynamic/exoclick:LibraryUrl" {
    url = "https://landing.example.com/a"
    options {
        protect = true
    }
}

resource my-campaign "pulumi-nodejs:dynamic/exoclick:Campaign" {
    __logicalName = "my campaign"
    name = "Summer"
    size = "300x250"
    categories = { "type" = "targeted", "elements" = [97] }
    countries = { "type" = "targeted", "elements" = [{ "country" = "USA" }] }
    pricing = { "model" = 4, "price" = 300 }
    startDate = "2027-03-02"
    dailyLimitType = 1
    maxDailyBudget = 2000
    options {
        protect = true
        dependsOn = [landing]
    }
}
`,
    });
    expect(text).to.match(/^import \{ exoclick \} from "pulumi-adnetworks";\n/);
    expect(text).to.contain(`const landing = new exoclick.LibraryUrl("landing", {\n  url: "https://landing.example.com/a",\n}, { protect: true });`);
    expect(text).to.contain(`const myCampaign = new exoclick.Campaign("my campaign", {`);
    expect(text).to.contain(`  maxDailyBudget: 2000,`);
    expect(text).to.contain(`}, { protect: true, dependsOn: [landing] });`);
    expect(() => generateProgram({ "m.pp": 'resource b "aws:s3/bucket:Bucket" {\n}\n' })).to.throw(/not a pulumi-adnetworks resource type/);
  });
});
