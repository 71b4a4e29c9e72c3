import { expect } from "chai";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createRequire } from "module";
import { ROOT } from "./support/engine";
import { serveLanguageHost, ServedLanguageHost } from "./support/language-host";
import { runChild } from "./support/processes";
import { installDependencies, pluginReady, sdkFiles } from "../provider/language-host/packages";
import { launcher, tarballName } from "../scripts/pack-plugin";
import { startedByRunPlugin } from "../provider/plugin/source";

/* eslint-disable @typescript-eslint/no-var-requires */
const langproto = require("@pulumi/pulumi/proto/language_pb");
const pluginproto = require("@pulumi/pulumi/proto/plugin_pb");

const VERSION: string = require(path.join(ROOT, "package.json")).version;

/**
 * Shipping the plugin (docs/plugin.md "Installing the plugin"): what the
 * Node.js language host answers to `pulumi package add` (GeneratePackage,
 * Link, InstallDependencies) over gRPC as the engine calls it, the package
 * run as a source plugin by run-plugin, and the plugin tarball's launcher.
 * Through the real CLI: test/e2e.shipping.test.ts.
 */
describe("shipping the plugin: package add's RPCs, the source plugin, the tarball's launcher", function () {
  this.timeout(60_000);
  let host: ServedLanguageHost | undefined;
  let client: any;
  let tmp: string;
  const call = <T>(method: string, req: unknown) => new Promise<T>((resolve, reject) => client[method](req, (e: any, r: T) => (e ? reject(e) : resolve(r))));

  before(async () => {
    host = await serveLanguageHost();
    client = host.client;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-shipping-unit-"));
  });
  after(() => {
    host?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** A program directory: package.json, and optionally the repository's node_modules (where pulumi-adnetworks resolves). */
  function program(name: string, withModules: boolean): string {
    const dir = path.join(tmp, name);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, private: true, dependencies: { "pulumi-adnetworks": "^0.1.0" } }));
    if (withModules) fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    return dir;
  }

  function linkRequest(programDir: string, sdkPath: string) {
    const req = new langproto.LinkRequest();
    const info = new langproto.ProgramInfo();
    info.setRootDirectory(programDir);
    info.setProgramDirectory(programDir);
    info.setEntryPoint(".");
    req.setInfo(info);
    const dep = new langproto.LinkRequest.LinkDependency();
    dep.setPath(sdkPath);
    const pkg = new pluginproto.PackageDependency();
    pkg.setName("adnetworks");
    pkg.setKind("resource");
    pkg.setVersion(VERSION);
    dep.setPackage(pkg);
    req.setPackagesList([dep]);
    return req;
  }

  it("GeneratePackage writes @pulumi/adnetworks, whose classes are pulumi-adnetworks/plugin's; Link makes the program depend on it and says how to import it", async () => {
    const app = program("app", true);
    const gen = new langproto.GeneratePackageRequest();
    gen.setDirectory(path.join(app, "sdks", "adnetworks"));
    gen.setSchema(JSON.stringify({ name: "adnetworks", version: VERSION, resources: {} }));
    await call("generatePackage", gen);
    const sdk = JSON.parse(fs.readFileSync(path.join(app, "sdks", "adnetworks", "package.json"), "utf8"));
    expect(sdk).to.deep.include({ name: "@pulumi/adnetworks", version: VERSION, main: "index.js", types: "index.d.ts", peerDependencies: { "pulumi-adnetworks": VERSION } });
    expect(fs.readFileSync(path.join(app, "sdks", "adnetworks", "index.d.ts"), "utf8")).to.equal('export * from "pulumi-adnetworks/plugin";\n');
    // Loaded from the program, the SDK is the package's plugin SDK (the same classes, so the same type tokens).
    const loaded = createRequire(path.join(app, "index.js"))("./sdks/adnetworks");
    const plugin = createRequire(path.join(app, "index.js"))("pulumi-adnetworks/plugin");
    expect(loaded.exoclick.Campaign).to.equal(plugin.exoclick.Campaign);
    expect(typeof loaded.Provider).to.equal("function");

    const res: any = await call("link", linkRequest(app, path.join("sdks", "adnetworks")));
    expect(res.getImportInstructions()).to.contain('import * as adnetworks from "@pulumi/adnetworks";');
    expect(JSON.parse(fs.readFileSync(path.join(app, "package.json"), "utf8")).dependencies).to.deep.equal({ "pulumi-adnetworks": "^0.1.0", "@pulumi/adnetworks": "file:sdks/adnetworks" });
  });

  it("Link refuses a program without pulumi-adnetworks (the SDK's classes), naming what to install; GeneratePackage refuses another package's schema", async () => {
    const bare = program("bare", false);
    fs.mkdirSync(path.join(bare, "sdks"));
    const sdkDir = path.join(bare, "sdks", "adnetworks");
    fs.mkdirSync(sdkDir);
    for (const [f, text] of Object.entries(sdkFiles({ name: "adnetworks", version: VERSION }))) fs.writeFileSync(path.join(sdkDir, f), text);
    const err: any = await call("link", linkRequest(bare, path.join("sdks", "adnetworks"))).then(() => undefined, (e) => e);
    expect(err?.details).to.contain(`install pulumi-adnetworks ${VERSION} in ${bare} first`);
    expect(JSON.parse(fs.readFileSync(path.join(bare, "package.json"), "utf8")).dependencies).to.deep.equal({ "pulumi-adnetworks": "^0.1.0" });

    const gen = new langproto.GeneratePackageRequest();
    gen.setDirectory(path.join(tmp, "random-sdk"));
    gen.setSchema(JSON.stringify({ name: "random", version: "4.0.0" }));
    const refused: any = await call("generatePackage", gen).then(() => undefined, (e) => e);
    expect(refused?.details).to.contain('generates the SDK of the adnetworks package only, not "random"');
    expect(fs.existsSync(path.join(tmp, "random-sdk"))).to.equal(false);
  });

  it("InstallDependencies: a plugin directory that runs as it is (this repository) is left alone; one missing a dependency is not ready; a program gets npm install; no package.json, nothing", async () => {
    expect(pluginReady(ROOT)).to.equal(true);
    const broken = path.join(tmp, "broken-plugin");
    fs.mkdirSync(broken);
    fs.writeFileSync(path.join(broken, "package.json"), JSON.stringify({ name: "p", version: "1.0.0", main: "index.js", dependencies: { "adnet-no-such-package": "1.0.0" } }));
    fs.writeFileSync(path.join(broken, "index.js"), "");
    expect(pluginReady(broken)).to.equal(false);
    fs.writeFileSync(path.join(broken, "package.json"), JSON.stringify({ name: "p", version: "1.0.0", main: "dist/index.js" }));
    expect(pluginReady(broken), "no main file (a clone not built)").to.equal(false);

    const out: string[] = [];
    const sink = { stdout: (d: Buffer) => out.push(d.toString()), stderr: (d: Buffer) => out.push(d.toString()) };
    await installDependencies(ROOT, true, sink);
    expect(out.join("")).to.equal(`${ROOT}: the plugin's dependencies are installed\n`);

    const empty = path.join(tmp, "no-package-json");
    fs.mkdirSync(empty);
    await installDependencies(empty, false, sink);
    expect(fs.readdirSync(empty)).to.deep.equal([]);

    // A program with no dependencies: npm install runs there (and writes its lock file).
    const prog = path.join(tmp, "prog");
    fs.mkdirSync(prog);
    fs.writeFileSync(path.join(prog, "package.json"), JSON.stringify({ name: "prog", version: "1.0.0", private: true }));
    await installDependencies(prog, false, sink);
    expect(fs.existsSync(path.join(prog, "package-lock.json"))).to.equal(true);
  });

  it("run by @pulumi/pulumi/cmd/run-plugin (as the language host runs a source plugin), the package serves the plugin; a plugin that only imports the package does not", async () => {
    const runPlugin = require.resolve("@pulumi/pulumi/cmd/run-plugin", { paths: [ROOT] });
    // The package's directory: the first line of stdout is the plugin's port.
    const child = spawn(process.execPath, [runPlugin, ROOT, "127.0.0.1:1"], { cwd: tmp, stdio: ["ignore", "pipe", "pipe"] });
    const first = await new Promise<string>((resolve, reject) => {
      let out = "";
      let err = "";
      child.stdout!.on("data", (d) => {
        out += d;
        if (out.includes("\n")) resolve(out.split("\n")[0]);
      });
      child.stderr!.on("data", (d) => (err += d));
      child.on("close", (code) => reject(new Error(`run-plugin exited with ${code} before printing a port: ${err}`)));
    });
    child.kill("SIGKILL");
    expect(first).to.match(/^\d+$/);

    // Another plugin directory that imports the package: nothing served, run-plugin ends on its own.
    const other = path.join(tmp, "other-plugin");
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, "package.json"), JSON.stringify({ name: "other", version: "1.0.0", main: "index.js" }));
    fs.writeFileSync(path.join(other, "index.js"), 'require("pulumi-adnetworks"); process.stdout.write("loaded\\n");\n');
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(other, "node_modules"));
    const r = await runChild(process.execPath, [runPlugin, other, "127.0.0.1:1"], { cwd: tmp });
    expect(r.code, r.out).to.equal(0);
    expect(r.stdout).to.equal("loaded\n");
    // And loaded by anything else (this test), the library does not serve either.
    expect(startedByRunPlugin(require.cache[require.resolve("pulumi-adnetworks")]!)).to.equal(false);
  });

  it("the plugin tarball: Pulumi's archive name; its launcher runs dist/provider/plugin/main.js from its own directory with the engine's arguments", async () => {
    expect(tarballName("0.1.0", "linux", "x64")).to.equal("pulumi-resource-adnetworks-v0.1.0-linux-amd64.tar.gz");
    expect(tarballName("1.2.3", "darwin", "arm64")).to.equal("pulumi-resource-adnetworks-v1.2.3-darwin-arm64.tar.gz");
    const dir = path.join(tmp, "plugin dir");
    fs.mkdirSync(path.join(dir, "dist", "provider", "plugin"), { recursive: true });
    fs.writeFileSync(path.join(dir, "dist", "provider", "plugin", "main.js"), "process.stdout.write(JSON.stringify({ args: process.argv.slice(2), file: __filename }));\n");
    fs.writeFileSync(path.join(dir, "pulumi-resource-adnetworks"), launcher("0.1.0"), { mode: 0o755 });
    const r = await runChild(path.join(dir, "pulumi-resource-adnetworks"), ["--logtostderr", "127.0.0.1:4000"], { cwd: os.tmpdir() });
    expect(r.code, r.out).to.equal(0);
    expect(JSON.parse(r.stdout)).to.deep.equal({ args: ["--logtostderr", "127.0.0.1:4000"], file: path.join(dir, "dist", "provider", "plugin", "main.js") });
  });
});
