import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT, TOOLS, assertEngineInstalled } from "../scripts/lib/engine";
import { PulumiCli } from "./support/cli";
import { runChild } from "./support/processes";
import { startSandbox, Sandbox } from "../provider/sandbox/server";
import { EXOCLICK_SANDBOX_CREDENTIALS, ExoClickSandbox } from "../provider/sandbox/exoclick";

/** A user's shell: nothing of this repository on PATH, no Pulumi or network settings. */
function userPath(): string {
  return (process.env.PATH ?? "").split(path.delimiter).filter((d) => d && !path.resolve(d).startsWith(ROOT)).join(path.delimiter);
}

async function ok(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  const r = await runChild(cmd, args, { cwd, env });
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} exited with ${r.code}:\n${r.out.slice(-4000)}`);
  return r;
}

/**
 * The two ways Pulumi users install a provider, through the real CLI
 * (3.248) and the sandbox, with no `pulumi-resource-adnetworks` on PATH (the
 * CLI's directory holds only the CLI, the language host and the dynamic
 * launcher) and one PULUMI_HOME: `pulumi package add <this repository>` (a
 * source plugin, PulumiPlugin.yaml) into a TypeScript project that has the
 * npm package, whose program imports the SDK it added and goes up and is
 * destroyed, the plugin run from Pulumi.yaml's `packages:` entry; then
 * `pulumi plugin install resource adnetworks <version> --file <the tarball
 * of npm run pack:plugin>`, after which a program on pulumi-adnetworks/plugin
 * that failed for want of the plugin goes up from the plugin cache.
 */
describe("@e2e shipping the plugin: pulumi package add, and pulumi plugin install --file", function () {
  this.timeout(900_000);
  const version: string = require(path.join(ROOT, "package.json")).version;
  let tmp: string;
  let sb: Sandbox;
  let bin: string;
  let app: string;
  let cli: PulumiCli;
  let cli2: PulumiCli | undefined;
  const stacks: PulumiCli[] = [];
  let tmpBefore: Set<string>;
  const urls = () => sb.network<ExoClickSandbox>("exoclick").inventory().libraryUrls.map((u) => u.url).sort();
  const configure = async (c: PulumiCli) => {
    await c.ok("stack", "init", "dev", "--non-interactive");
    stacks.push(c);
    await c.ok("config", "set", "--path", "adnetworks:exoclick.baseUrl", `${sb.urlFor("exoclick")}/v2`);
    await c.ok("config", "set", "--path", "--secret", "adnetworks:exoclick.apiToken", EXOCLICK_SANDBOX_CREDENTIALS.apiToken);
  };

  const destroy = async (c: PulumiCli) => {
    await c.ok("destroy", "--yes", "--non-interactive");
    stacks.splice(stacks.indexOf(c), 1);
  };

  before(async function () {
    assertEngineInstalled();
    tmpBefore = new Set(fs.readdirSync(os.tmpdir()));
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-shipping-"));
    // The CLI and its language host, without the plugin launcher that npm run setup:pulumi writes beside them.
    bin = path.join(tmp, "bin");
    fs.mkdirSync(bin);
    for (const f of ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"]) fs.symlinkSync(path.join(TOOLS, "bin", f), path.join(bin, f));
    // The npm package as a user installs it (dist/ is built: npm test builds first).
    const packed = await ok("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], ROOT);
    const tarball = path.join(tmp, JSON.parse(packed.stdout.slice(packed.stdout.indexOf("[")))[0].filename);
    app = path.join(tmp, "my-ads");
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "my-ads", private: true }, null, 2));
    fs.writeFileSync(path.join(app, "Pulumi.yaml"), "name: my-ads\nruntime: nodejs\nmain: index.ts\n");
    const pinned: string = require(path.join(ROOT, "package.json")).devDependencies["@pulumi/pulumi"];
    await ok("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball, `@pulumi/pulumi@${pinned}`, "typescript", "ts-node"], app, { ...process.env, PATH: userPath() });
    sb = await startSandbox({ port: 0 });
    cli = new PulumiCli(app, { bin, path: userPath() });
  });

  after(async () => {
    try {
      for (const c of stacks) await c.run("destroy", "--yes", "--non-interactive", "--stack", "dev");
    } finally {
      await sb?.close();
      cli?.cleanup();
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
      for (const e of fs.readdirSync(os.tmpdir())) {
        if (!tmpBefore?.has(e) && /^(node-compile-cache|v8-compile-cache-\d+|ts-node-[0-9a-f]+)$/.test(e)) fs.rmSync(path.join(os.tmpdir(), e), { recursive: true, force: true });
      }
    }
  });

  it("the CLI finds no adnetworks plugin on PATH or in its plugin cache", async () => {
    const r = await runChild("sh", ["-c", "command -v pulumi-resource-adnetworks || echo none"], { env: cli.env });
    expect(r.stdout.trim()).to.equal("none");
    expect(JSON.parse(await cli.ok("plugin", "ls", "--json")) ?? []).to.deep.equal([]);
  });

  it("pulumi package add <this repository> exits 0: sdks/adnetworks (@pulumi/adnetworks, re-exporting pulumi-adnetworks/plugin) is in package.json and node_modules, the source in Pulumi.yaml", async () => {
    const r = await cli.run("package", "add", ROOT);
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(r.stdout + r.stderr).to.contain('import * as adnetworks from "@pulumi/adnetworks";');
    expect(r.stderr).to.contain("Added package");
    const pkg = JSON.parse(fs.readFileSync(path.join(app, "package.json"), "utf8"));
    expect(pkg.dependencies["@pulumi/adnetworks"]).to.equal("file:sdks/adnetworks");
    const sdk = JSON.parse(fs.readFileSync(path.join(app, "sdks", "adnetworks", "package.json"), "utf8"));
    expect(sdk).to.deep.include({ name: "@pulumi/adnetworks", version, peerDependencies: { "pulumi-adnetworks": version } });
    expect(fs.realpathSync(path.join(app, "node_modules", "@pulumi", "adnetworks"))).to.equal(fs.realpathSync(path.join(app, "sdks", "adnetworks")));
    expect(fs.readFileSync(path.join(app, "Pulumi.yaml"), "utf8")).to.match(new RegExp(`packages:\\n\\s+adnetworks: ${ROOT.replace(/[/.]/g, "\\$&")}\\n`));
    // Nothing was installed into the repository: its dependencies were there.
    expect(r.stdout + r.stderr).to.contain(`${ROOT}: the plugin's dependencies are installed`);
  });

  it("the program on the SDK it added goes up against the sandbox (the plugin run from the package's source) and is destroyed", async () => {
    fs.writeFileSync(
      path.join(app, "index.ts"),
      `import * as adnetworks from "@pulumi/adnetworks";\nexport const landing = new adnetworks.exoclick.LibraryUrl("landing", { url: "https://added.example/landing" }).id;\n`,
    );
    await configure(cli);
    expect(await cli.up()).to.deep.equal({ create: 2 }); // the stack and the URL
    expect(urls()).to.deep.equal(["https://added.example/landing"]);
    const state = JSON.parse(await cli.ok("stack", "export")).deployment.resources.map((r: any) => r.type);
    expect(state).to.include.members(["pulumi:providers:adnetworks", "adnetworks:exoclick:LibraryUrl"]);
    await destroy(cli);
    expect(urls()).to.deep.equal([]);
  });

  it("npm run pack:plugin's tarball: the launcher at the top, the compiled plugin and its production dependencies, no PulumiPlugin.yaml", async () => {
    const out = path.join(tmp, "out");
    const r = await ok(process.execPath, [path.join(ROOT, "dist", "scripts", "pack-plugin.js"), "--out", out], ROOT);
    const tarball = r.stdout.trim();
    expect(path.basename(tarball)).to.match(new RegExp(`^pulumi-resource-adnetworks-v${version.replace(/\./g, "\\.")}-${process.platform}-(amd64|arm64|[a-z0-9]+)\\.tar\\.gz$`));
    const list = (await ok("tar", ["-tzf", tarball], tmp)).stdout.split("\n");
    for (const f of ["./pulumi-resource-adnetworks", "./dist/provider/plugin/main.js", "./node_modules/@pulumi/pulumi/package.json", "./node_modules/@grpc/grpc-js/package.json", "./package.json"]) expect(list, f).to.include(f);
    expect(list.filter((f) => /PulumiPlugin\.yaml$|^\.\/node_modules\/(typescript|mocha|chai|sinon)\//.test(f))).to.deep.equal([]);
    fs.writeFileSync(path.join(tmp, "tarball"), tarball);
  });

  it("a program on pulumi-adnetworks/plugin fails without the plugin; after pulumi plugin install resource adnetworks <version> --file <tarball> it goes up from the plugin cache and is destroyed", async () => {
    const tarball = fs.readFileSync(path.join(tmp, "tarball"), "utf8");
    const app2 = path.join(tmp, "cached");
    fs.mkdirSync(app2);
    fs.symlinkSync(path.join(app, "node_modules"), path.join(app2, "node_modules"));
    fs.writeFileSync(path.join(app2, "Pulumi.yaml"), "name: cached\nruntime: nodejs\nmain: index.ts\n");
    fs.writeFileSync(
      path.join(app2, "index.ts"),
      `import * as adnetworks from "pulumi-adnetworks/plugin";\nexport const landing = new adnetworks.exoclick.LibraryUrl("landing", { url: "https://cached.example/landing" }).id;\n`,
    );
    cli2 = new PulumiCli(app2, { bin, path: userPath() });
    cli2.cleanup(); // the same PULUMI_HOME and backend as the first project
    Object.assign(cli2.env, { PULUMI_HOME: cli.env.PULUMI_HOME, PULUMI_BACKEND_URL: cli.env.PULUMI_BACKEND_URL });
    await configure(cli2);
    const missing = await cli2.run("preview", "--non-interactive");
    expect(missing.code).to.not.equal(0);
    expect(missing.stdout + missing.stderr).to.contain("no resource plugin 'pulumi-resource-adnetworks' found in the workspace or on your $PATH");

    const install = await cli2.run("plugin", "install", "resource", "adnetworks", version, "--file", tarball);
    expect(install.code, install.stdout + install.stderr).to.equal(0);
    const plugins = JSON.parse(await cli2.ok("plugin", "ls", "--json"));
    expect(plugins.map((p: any) => [p.name, p.kind, p.version])).to.deep.equal([["adnetworks", "resource", version]]);
    expect(fs.statSync(path.join(cli.env.PULUMI_HOME!, "plugins", `resource-adnetworks-v${version}`, "pulumi-resource-adnetworks")).mode & 0o111).to.not.equal(0);

    expect(await cli2.up()).to.deep.equal({ create: 2 });
    expect(urls()).to.deep.equal(["https://cached.example/landing"]);
    await destroy(cli2);
    expect(urls()).to.deep.equal([]);
  });
});
