import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { compatibilityProblems, ownPackageJson, PackageJson, satisfies } from "../provider/core/engine/compat";
import { runChild } from "./support/processes";

const ROOT = path.resolve(__dirname, "..", "..");

describe("Node.js and @pulumi/pulumi versions: the tested range, refused outside it with what to do", () => {
  const pkg: PackageJson = ownPackageJson();

  it("package.json declares them once: @pulumi/pulumi a peer from the repository's own pin to <4, engines the Node majors tested", () => {
    expect(pkg.name).to.equal("pulumi-adnetworks");
    const raw = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    expect(raw.dependencies).to.not.have.property("@pulumi/pulumi");
    const pin = raw.devDependencies["@pulumi/pulumi"];
    expect(pin).to.match(/^\d+\.\d+\.\d+$/);
    expect(raw.peerDependencies["@pulumi/pulumi"]).to.equal(`>=${pin} <4`);
    expect(require("@pulumi/pulumi/package.json").version).to.equal(pin);
    // the policy SDK's own range takes the user's SDK (one copy)
    const policy = require("@pulumi/policy/package.json");
    const policySdk = policy.dependencies?.["@pulumi/pulumi"] ?? policy.peerDependencies?.["@pulumi/pulumi"];
    for (const v of [pin, raw.adnetworks.newestPulumiTested]) expect(satisfies(v, policySdk), `${v} in @pulumi/policy's ${policySdk}`).to.equal(true);
    expect(raw.engines.node.split("||").map((s: string) => /\^(\d+)/.exec(s)![1])).to.deep.equal(raw.adnetworks.nodeTested);
    expect(raw.scripts.prepare).to.equal("npm run build");
  });

  it("satisfies: the range forms package.json uses", () => {
    const node = pkg.engines!.node!;
    for (const v of ["20.19.0", "20.20.2", "22.0.0", "22.23.3", "24.9.0"]) expect(satisfies(v, node), v).to.equal(true);
    for (const v of ["18.20.0", "20.18.9", "21.7.0", "23.1.0", "25.0.0", "26.10.0"]) expect(satisfies(v, node), v).to.equal(false);
    const sdk = pkg.peerDependencies!["@pulumi/pulumi"];
    for (const v of ["3.248.0", "3.276.0", "3.300.1"]) expect(satisfies(v, sdk), v).to.equal(true);
    for (const v of ["3.247.9", "3.200.0", "4.0.0", "2.9.0"]) expect(satisfies(v, sdk), v).to.equal(false);
    expect(satisfies("22.1.0", ">=22")).to.equal(true);
    expect(satisfies("20.20.2", ">=22")).to.equal(false);
    expect(satisfies("3.250.0", "^3.204.0")).to.equal(true);
    expect(satisfies("1.2.3", "~1.2")).to.equal(true);
    expect(satisfies("1.3.0", "~1.2")).to.equal(false);
    expect(satisfies("22.5.0", "22")).to.equal(true);
    expect(satisfies("22.5.0", "nonsense!")).to.equal(false);
  });

  it("in range: no problem (Node 20 with the pinned SDK, Node 22 and 24 with the newest)", () => {
    const low = { version: "3.248.0", engines: { node: ">=20" } };
    const newest = { version: pkg.adnetworks!.newestPulumiTested!, engines: { node: ">=22" } };
    expect(compatibilityProblems(pkg, "20.19.0", low)).to.deep.equal([]);
    expect(compatibilityProblems(pkg, "22.23.3", newest)).to.deep.equal([]);
    expect(compatibilityProblems(pkg, "24.9.0", newest)).to.deep.equal([]);
    expect(compatibilityProblems(pkg, process.versions.node, { version: require("@pulumi/pulumi/package.json").version, engines: require("@pulumi/pulumi/package.json").engines })).to.deep.equal([]);
  });

  it("each problem says what to do", () => {
    const newest = pkg.adnetworks!.newestPulumiTested!;
    const [oldNode] = compatibilityProblems(pkg, "18.20.4", { version: "3.248.0" });
    expect(oldNode).to.contain("this is Node.js 18.20.4");
    expect(oldNode).to.contain("tested on Node.js 20, 22, 24");
    expect(oldNode).to.contain("npm install --prefix ~/.node24 node@24");
    expect(compatibilityProblems(pkg, "26.1.0", { version: "3.248.0" })[0]).to.contain("this is Node.js 26.1.0");

    const [oldSdk] = compatibilityProblems(pkg, "22.12.0", { version: "3.200.0", path: "/p/node_modules/@pulumi/pulumi" });
    expect(oldSdk).to.contain("works with @pulumi/pulumi >=3.248.0 <4 (tested: 3.248.0 and " + newest + ")");
    expect(oldSdk).to.contain("this project has @pulumi/pulumi 3.200.0 (/p/node_modules/@pulumi/pulumi)");
    expect(oldSdk).to.contain(`Run: npm install @pulumi/pulumi@${newest}`);
    expect(compatibilityProblems(pkg, "22.12.0", { version: "4.0.0" })).to.have.length(1);

    const [sdkNode] = compatibilityProblems(pkg, "20.19.0", { version: newest, engines: { node: ">=22" } });
    expect(sdkNode).to.contain(`@pulumi/pulumi ${newest} needs Node.js >=22`);
    expect(sdkNode).to.contain("npm install @pulumi/pulumi@3.248.0");

    const [missing] = compatibilityProblems(pkg, "22.12.0", undefined);
    expect(missing).to.contain("needs @pulumi/pulumi (a peer dependency, >=3.248.0 <4)");
    expect(missing).to.contain(`Run: npm install @pulumi/pulumi@${newest}`);
  });

  describe("at load and at setup, in a project whose @pulumi/pulumi is out of range", () => {
    let tmp: string;
    /** Never reaches a build: no package script to run, no Go on PATH, a cache of its own. */
    let env: NodeJS.ProcessEnv;
    before(() => {
      // A project with an old SDK (only its package.json: the check comes before any other require)
      // and this package as package.json, host.js and a link to dist/ (no node_modules of its own), so
      // that with --preserve-symlinks the package resolves the project's SDK.
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-compat-"));
      fs.mkdirSync(path.join(tmp, "node_modules", "@pulumi", "pulumi"), { recursive: true });
      fs.writeFileSync(path.join(tmp, "node_modules", "@pulumi", "pulumi", "package.json"), JSON.stringify({ name: "@pulumi/pulumi", version: "3.200.0", engines: { node: ">=18" } }));
      const pkgDir = path.join(tmp, "node_modules", "pulumi-adnetworks");
      fs.mkdirSync(pkgDir);
      for (const f of ["package.json", "host.js"]) fs.copyFileSync(path.join(ROOT, f), path.join(pkgDir, f));
      fs.symlinkSync(path.join(ROOT, "dist"), path.join(pkgDir, "dist"));
      fs.writeFileSync(path.join(tmp, "index.js"), 'require("pulumi-adnetworks"); require("fs").writeFileSync("loaded", "");\n');
      env = { ...process.env, PATH: path.dirname(process.execPath), ADNET_PULUMI_CACHE: path.join(tmp, "cache") };
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("require('pulumi-adnetworks') fails with the message before anything runs", async () => {
      const r = await runChild(process.execPath, ["--preserve-symlinks", "index.js"], { cwd: tmp, env });
      expect(r.code).to.equal(1);
      expect(r.stderr).to.contain("CompatibilityError: pulumi-adnetworks");
      expect(r.stderr).to.contain("this project has @pulumi/pulumi 3.200.0");
      expect(fs.existsSync(path.join(tmp, "loaded"))).to.equal(false);
    });

    it("the provider host's entry point (pulumi-adnetworks/host) refuses the same way", async () => {
      const r = await runChild(process.execPath, ["--preserve-symlinks", "-e", 'require("pulumi-adnetworks/host")'], { cwd: tmp, env });
      expect(r.code).to.equal(1);
      expect(r.stderr).to.contain("this project has @pulumi/pulumi 3.200.0");
    });

    it("adnet-setup says what to do and writes nothing (no .tools, no build)", async () => {
      const setup = path.join(tmp, "node_modules", "pulumi-adnetworks", "dist", "provider", "cli", "setup.js");
      const r = await runChild(process.execPath, ["--preserve-symlinks", "--preserve-symlinks-main", setup], { cwd: tmp, env });
      expect(r.code).to.equal(1);
      expect(r.stderr).to.match(/^adnet-setup: pulumi-adnetworks \S+ works with @pulumi\/pulumi >=3\.248\.0 <4/);
      expect(r.stderr).to.contain("Run: npm install @pulumi/pulumi@");
      expect(fs.existsSync(path.join(tmp, ".tools"))).to.equal(false);
      expect(fs.existsSync(path.join(tmp, "cache"))).to.equal(false);
    });
  });
});
