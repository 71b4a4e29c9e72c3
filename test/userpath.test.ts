import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { ROOT } from "../scripts/lib/engine";
import { userProjectFiles } from "../scripts/lib/userpath";
import { typescriptProjectFiles } from "../provider/import/importer";

/**
 * The bench's user row measures the project a user gets from our docs: the
 * files adnet-import writes for a new TypeScript project (one source), the
 * banner example's program, a TypeScript main as in the README.
 */
describe("the bench's user project (scripts/lib/userpath.ts)", () => {
  const dir = path.join(ROOT, "no-such-dir-for-userpath");
  const theirs = typescriptProjectFiles(dir, "adnet-user");

  it("is adnet-import's TypeScript project (Pulumi.yaml, package.json, its tsconfigs) with the example's program and an index.ts that declares N campaigns", () => {
    const f = userProjectFiles({ dir, n: 7, prefix: "u", language: "typescript" });
    expect(yaml.load(f["Pulumi.yaml"])).to.deep.equal(yaml.load(theirs["Pulumi.yaml"]));
    expect((yaml.load(f["Pulumi.yaml"]) as any).main).to.equal("index.ts");
    expect(JSON.parse(f["package.json"])).to.deep.equal(JSON.parse(theirs["package.json"]));
    // tsconfig.json, and whatever else adnet-import writes (its tsconfig for Pulumi), as it writes them.
    for (const k of Object.keys(theirs).filter((k) => k !== "Pulumi.yaml" && k !== "package.json")) expect(f[k], k).to.equal(theirs[k]);
    expect(f).to.have.property("tsconfig.json");
    expect(f["program.ts"]).to.equal(fs.readFileSync(path.join(ROOT, "examples", "exoclick-banner", "program.ts"), "utf8"));
    expect(f["index.ts"]).to.contain(`from "./program"`).and.to.contain(`exoclickBanner({ prefix: "u", count: 7 })`);
  });

  it("adds runtime options to Pulumi.yaml's runtime, and a JavaScript main names index.js in Pulumi.yaml and package.json", () => {
    const base = yaml.load(theirs["Pulumi.yaml"]) as any;
    const ts = yaml.load(userProjectFiles({ dir, n: 1, prefix: "u", language: "typescript", runtimeOptions: { nodeargs: "--cpu-prof" } })["Pulumi.yaml"]) as any;
    const name = typeof base.runtime === "string" ? base.runtime : base.runtime.name;
    expect(ts.runtime).to.deep.equal({ name, options: { ...(base.runtime?.options ?? {}), nodeargs: "--cpu-prof" } });
    const js = userProjectFiles({ dir, n: 2, prefix: "u", language: "javascript" });
    expect((yaml.load(js["Pulumi.yaml"]) as any).main).to.equal("index.js");
    expect(JSON.parse(js["package.json"]).main).to.equal("index.js");
    expect(js).to.not.have.property("index.ts");
    expect(js["index.js"]).to.contain("exoclick-banner").and.to.contain("count: 2");
  });
});
