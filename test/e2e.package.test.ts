import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT, TOOLS, assertEngineInstalled } from "../scripts/lib/engine";
import { nodeBinDir } from "../scripts/lib/nodes";
import { PulumiCli } from "./support/cli";
import { startSandbox, Sandbox } from "../provider/sandbox/server";
import { EXOCLICK_SANDBOX_CREDENTIALS, ExoClickSandbox } from "../provider/sandbox/exoclick";
import { runChild } from "./support/processes";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a user's shell: no npm script variables, nothing of this repository on PATH. */
function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) || k === "INIT_CWD" || k.startsWith("PULUMI_") || /_(API_KEY|API_TOKEN|PASSWORD|BASE_URL)$/.test(k)) continue;
    env[k] = v;
  }
  env.PATH = (process.env.PATH ?? "").split(path.delimiter).filter((d) => d && !path.resolve(d).startsWith(ROOT)).join(path.delimiter);
  return { ...env, ...extra };
}

/** Async (a sandbox in this process must keep answering). */
function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return runChild(cmd, args, { cwd, env });
}

async function ok(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  const r = await run(cmd, args, cwd, env);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} exited with ${r.code}:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  return r;
}

/**
 * Which CLI runs the program of the newest SDK: "newest", the CLI of the
 * same version (built once per machine by `npm run setup:newest`, which
 * `npm test` runs first); "pinned" (the repository's own, 3.248.0) is
 * where to turn back if that build is ever dropped from the tests' setup.
 */
const CLI_FOR_NEWEST = "newest" as "pinned" | "newest";

/** The README's first program, with the Node.js and SDK it ran with as outputs. */
const PROGRAM = `import { exoclick } from "pulumi-adnetworks";

const landing = new exoclick.LibraryUrl("landing", { url: "https://your-landing-page.com" });
const banner = new exoclick.LibraryFile("banner", { path: "banner-300x250.png", size: "300x250" });
const campaign = new exoclick.Campaign("campaign", {
  name: "Banner 300x250 Production",
  size: "300x250",
  categories: { type: "targeted", elements: [97, 98, 99] },
  countries: { type: "targeted", elements: [{ country: "USA" }] },
  pricing: { model: 4, price: 3 },
  startDate: "2026-03-02",
  dailyLimitType: 1,
  maxDailyBudget: 20,
});
const variation = new exoclick.Variation("variation", { campaignId: campaign.id, libraryUrlId: landing.id, libraryFileId: banner.id });
export const campaignId = campaign.id;
export const variationId = variation.id;
export const ranWith = { node: process.version, sdk: require("@pulumi/pulumi/package.json").version as string };
`;

/** The one place each @pulumi/pulumi is installed in a project, and what `npm ls` shows of it: one copy. */
async function sdkCopies(app: string, env: NodeJS.ProcessEnv): Promise<{ versions: string[]; paths: string[] }> {
  const ls = await run("npm", ["ls", "@pulumi/pulumi", "--all", "--json"], app, env);
  const versions = new Set<string>();
  const walk = (deps: Record<string, any> | undefined) => {
    for (const [name, d] of Object.entries(deps ?? {})) {
      if (name === "@pulumi/pulumi" && d.version) versions.add(d.version);
      walk(d.dependencies);
    }
  };
  walk(JSON.parse(ls.stdout).dependencies);
  const paths: string[] = [];
  const find = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const p = path.join(dir, e.name);
      if (e.name === "pulumi" && path.basename(dir) === "@pulumi" && fs.existsSync(path.join(p, "package.json"))) paths.push(path.relative(app, p));
      if (e.name === "node_modules" || e.name.startsWith("@") || path.basename(dir) === "node_modules" || path.basename(path.dirname(dir)) === "node_modules") find(p);
    }
  };
  find(path.join(app, "node_modules"));
  return { versions: [...versions], paths };
}

/**
 * The package as a user gets it: a fresh clone of this repository (no
 * dist/), `npm pack` there (its prepare script builds first), the tarball
 * installed into new projects outside the repository, `npx adnet-setup`, then
 * the real Pulumi CLI from that project's .tools/bin runs a program against
 * the sandbox. Nothing of the clone is on PATH or in node_modules. Three
 * projects: Node 20 with @pulumi/pulumi pinned by this repository and its CLI
 * (up, a no-change preview, adnet-spend, the policy pack, adnet-import,
 * destroy); Node 22 (from the npm registry, cached in .tools/node) with the
 * newest @pulumi/pulumi tested and the CLI of that version (up, preview,
 * destroy); Node 24 loading the package and doing a sandbox round trip. The
 * clone is of HEAD: commit what the tarball should hold.
 */
describe("@e2e the packed package, from a fresh clone, installed into projects outside the repository", function () {
  this.timeout(900_000);
  const pkgJson = require(path.join(ROOT, "package.json"));
  const pinned: string = pkgJson.devDependencies["@pulumi/pulumi"];
  const newest: string = pkgJson.adnetworks.newestPulumiTested;
  let tmp: string;
  let clone: string;
  let app: string;
  let tarball: string;
  let files: string[];
  let sb: Sandbox;
  let cli: PulumiCli;
  let stackCreated = false;
  const counts = () => {
    const inv = sb.network<ExoClickSandbox>("exoclick").inventory();
    return [inv.libraryUrls.length, inv.libraryFiles.length, inv.campaigns.length, inv.variations.length];
  };

  /** What the run's temporary folder held before: Node 22's npm (node-compile-cache) and the newest SDK's ts-node (ts-node-<hash>) write caches there, removed after. */
  let tmpBefore: Set<string>;

  before(async function () {
    assertEngineInstalled(); // the build is cached, so adnet-setup copies it
    tmpBefore = new Set(fs.readdirSync(os.tmpdir()));
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-package-"));
    expect(path.relative(ROOT, tmp).startsWith("..")).to.equal(true);
    clone = path.join(tmp, "clone");
    await ok("git", ["clone", "--quiet", ROOT, clone], tmp, userEnv());
    expect(fs.existsSync(path.join(clone, "dist")), "a fresh clone has no dist/").to.equal(false);
    // The dependencies as `npm ci` installs them; its prepare step is left to `npm pack` (one build).
    await ok("npm", ["ci", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund"], clone, userEnv());
    const packed = await ok("npm", ["pack", "--json", "--pack-destination", tmp], clone, userEnv());
    const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("[")))[0];
    tarball = path.join(tmp, info.filename);
    files = info.files.map((f: { path: string }) => f.path);
    sb = await startSandbox({ port: 0 });
  });

  after(async () => {
    try {
      if (stackCreated) {
        await cli.run("destroy", "--yes", "--non-interactive", "--stack", "dev");
        await cli.run("stack", "rm", "--yes", "--force", "--non-interactive", "dev");
      }
    } finally {
      await sb?.close();
      cli?.cleanup();
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
      for (const e of fs.readdirSync(os.tmpdir())) {
        if (!tmpBefore?.has(e) && /^(node-compile-cache|ts-node-[0-9a-f]+)$/.test(e)) fs.rmSync(path.join(os.tmpdir(), e), { recursive: true, force: true });
      }
    }
  });

  it("npm pack in a fresh clone builds dist/ first (prepare) and packs it", () => {
    expect(fs.existsSync(path.join(clone, "dist", "provider", "index.js"))).to.equal(true);
    for (const f of ["dist/provider/index.js", "dist/provider/index.d.ts", "dist/provider/registry.js", "dist/provider/core/engine/compat.js"]) expect(files).to.include(f);
  });

  it("ships the LICENSE (Apache-2.0 text), the docs the README links to, every bin, the language host, and sources for every source map", () => {
    expect(files).to.include("LICENSE");
    const license = fs.readFileSync(path.join(clone, "LICENSE"), "utf8");
    expect(license).to.match(/Apache License\s+Version 2\.0, January 2004/);
    expect(license).to.contain("TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION");
    expect(require(path.join(ROOT, "package.json")).license).to.equal("Apache-2.0");

    const readme = fs.readFileSync(path.join(clone, "README.md"), "utf8");
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:/i.test(l));
    expect(links.length).to.be.greaterThan(5);
    for (const l of links) expect(files, `README link ${l}`).to.include(path.posix.normalize(l));

    for (const bin of Object.values(require(path.join(ROOT, "package.json")).bin) as string[]) expect(files).to.include(bin);
    expect(files).to.include("dist/provider/language-host/main.js");
    expect(files).to.include("scripts/setup-pulumi.sh");
    for (const f of ["policy/PulumiPolicy.yaml", "policy/package.json", "policy/index.js", "dist/provider/policy/pack.js"]) expect(files).to.include(f);

    const maps = files.filter((f) => f.endsWith(".map"));
    expect(maps.length).to.be.greaterThan(10);
    const missing: string[] = [];
    for (const m of maps) {
      const map = JSON.parse(fs.readFileSync(path.join(clone, m), "utf8"));
      for (const s of map.sources as string[]) {
        const source = path.posix.normalize(path.posix.join(path.posix.dirname(m), map.sourceRoot ?? "", s));
        if (!files.includes(source)) missing.push(`${m} -> ${source}`);
      }
    }
    expect(missing).to.deep.equal([]);
    expect(files.filter((f) => /^(test|examples)\//.test(f) || f.startsWith("dist/test/"))).to.deep.equal([]);
  });

  it(`Node 20: npm install <tarball> @pulumi/pulumi@${pinned} typescript ts-node gives one copy of the SDK; then \`npx adnet-setup\` gives a working engine in the project's .tools/bin`, async () => {
    app = path.join(tmp, "my-ads");
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "my-ads", private: true, main: "index.ts" }, null, 2));
    await ok("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball, `@pulumi/pulumi@${pinned}`, "typescript", "ts-node"], app, userEnv());
    expect(fs.existsSync(path.join(app, "node_modules", "pulumi-adnetworks", "dist", "provider", "language-host", "main.js"))).to.equal(true);
    expect(await sdkCopies(app, userEnv())).to.deep.equal({ versions: [pinned], paths: [path.join("node_modules", "@pulumi", "pulumi")] });

    const setup = await ok("npx", ["adnet-setup"], app, userEnv());
    const lines = (setup.stdout + setup.stderr).trim().split("\n");
    expect(lines.length, lines.join("\n")).to.be.lessThan(10);
    expect(setup.stdout).to.contain(`export PATH="$PWD/.tools/bin:$PATH"`);
    for (const f of ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"]) {
      expect(fs.statSync(path.join(app, ".tools", "bin", f)).mode & 0o111, f).to.not.equal(0);
    }
    const version = await ok(path.join(app, ".tools", "bin", "pulumi"), ["version"], app, userEnv());
    expect(version.stdout.trim()).to.equal(`v${pinned}`);
  });

  it("pulumi up of a program against the sandbox creates its objects; preview right after shows no changes", async () => {
    fs.copyFileSync(path.join(ROOT, "examples", "exoclick-banner", "banner-300x250.png"), path.join(app, "banner-300x250.png"));
    fs.writeFileSync(path.join(app, "Pulumi.yaml"), "name: my-ads\nruntime: nodejs\n");
    fs.writeFileSync(
      path.join(app, "index.ts"),
      PROGRAM,
    );
    cli = new PulumiCli(app, { bin: path.join(app, ".tools", "bin"), path: userEnv().PATH });
    await cli.ok("stack", "init", "dev", "--non-interactive");
    stackCreated = true;
    await cli.ok("config", "set", "exoclick:baseUrl", `${sb.urlFor("exoclick")}/v2`);
    await cli.ok("config", "set", "--secret", "exoclick:apiToken", EXOCLICK_SANDBOX_CREDENTIALS.apiToken);
    const up = await cli.ok("up", "--yes", "--non-interactive");
    expect(up).to.match(/\+ 5 created/);
    expect(counts()).to.deep.equal([1, 1, 1, 1]);
    const outputs = JSON.parse(await cli.ok("stack", "output", "--json"));
    expect(outputs.campaignId).to.equal(String(sb.network<ExoClickSandbox>("exoclick").inventory().campaigns[0].id));
    const preview = await cli.ok("preview", "--expect-no-changes", "--non-interactive");
    expect(preview).to.match(/5 unchanged/);
  });

  it("adnet-spend finds the project's Pulumi CLI with none on PATH", async () => {
    const env = userEnv({ ...cli.env, PATH: userEnv().PATH });
    const r = await run("npx", ["adnet-spend", "--stack", "dev"], app, env);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^spend exoclick USD: /m);
  });

  it("the shipped policy pack runs from node_modules/pulumi-adnetworks/policy through the project's language host", async () => {
    fs.writeFileSync(path.join(app, "spend-policy.json"), JSON.stringify({ "max-daily-budget": { limit: 1000 }, "max-daily-increase": { limit: 100 } }));
    const r = await cli.run("preview", "--non-interactive", "--policy-pack", "node_modules/pulumi-adnetworks/policy", "--policy-pack-config", "spend-policy.json");
    expect(r.code, r.stdout.slice(-3000) + r.stderr).to.equal(0);
    expect(r.stdout).to.match(/adnetworks-spend@v0\.1\.0 \(local: /);
    expect(r.stdout).not.to.match(/\[(mandatory|advisory)\]/);
  });

  it("adnet-import from the installed package writes a project that depends on it as my-ads does (the tarball, by path); npm install there resolves and pulumi up adopts every object with 0 changes", async () => {
    const out = path.join(tmp, "imported");
    const env = userEnv({ EXOCLICK_API_TOKEN: EXOCLICK_SANDBOX_CREDENTIALS.apiToken, EXOCLICK_BASE_URL: `${sb.urlFor("exoclick")}/v2` });
    await ok("npx", ["adnet-import", "--network", "exoclick", "--out", out], app, env);
    const pkg = JSON.parse(fs.readFileSync(path.join(out, "package.json"), "utf8"));
    // my-ads has "file:../<tarball>" (npm install <tarball>): the same tarball, by a path relative to the new project.
    expect(JSON.parse(fs.readFileSync(path.join(app, "package.json"), "utf8")).dependencies["pulumi-adnetworks"]).to.equal(`file:../${path.basename(tarball)}`);
    expect(pkg.dependencies["pulumi-adnetworks"]).to.equal(`file:../${path.basename(tarball)}`);
    await ok("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], out, userEnv());
    expect(fs.existsSync(path.join(out, "node_modules", "pulumi-adnetworks", "dist", "provider", "index.js"))).to.equal(true);
    const imported = new PulumiCli(out, { bin: path.join(app, ".tools", "bin"), path: userEnv().PATH });
    try {
      await imported.ok("stack", "init", "adopt", "--non-interactive");
      await imported.ok("config", "set", "exoclick:baseUrl", `${sb.urlFor("exoclick")}/v2`);
      await imported.ok("config", "set", "--secret", "exoclick:apiToken", EXOCLICK_SANDBOX_CREDENTIALS.apiToken);
      const writes = () => sb.requests("exoclick", { writes: true }).filter((r) => !/\/login$/.test(r.path)).length;
      const before = writes();
      expect(await imported.up()).to.deep.equal({ create: 1, import: 4 }); // the stack itself, and the 4 objects
      expect(writes()).to.equal(before);
      await imported.ok("preview", "--expect-no-changes", "--non-interactive");
      // The objects stay my-ads' to destroy: this stack's state is dropped, its objects kept.
      await imported.ok("stack", "rm", "--force", "--yes", "--non-interactive", "adopt");
    } finally {
      imported.cleanup();
    }
    expect(counts()).to.deep.equal([1, 1, 1, 1]);
  });

  it("pulumi destroy removes everything", async () => {
    await cli.ok("destroy", "--yes", "--non-interactive");
    expect(counts()).to.deep.equal([0, 0, 0, 0]);
    await cli.ok("stack", "rm", "--yes", "--non-interactive", "dev");
    stackCreated = false;
  });

  describe(`Node 22 with the newest @pulumi/pulumi tested (${newest}), through the Pulumi CLI ${CLI_FOR_NEWEST === "pinned" ? pinned : newest}`, () => {
    let app22: string;
    let env22: NodeJS.ProcessEnv;
    let cli22: PulumiCli | undefined;
    let stack22 = false;
    const cliVersion = CLI_FOR_NEWEST === "pinned" ? pinned : newest;

    before(async function () {
      // The CLI is built once per machine (npm run setup:pulumi, or setup:newest); adnet-setup copies it from the cache. Never built here.
      const cached = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "pulumi-adnetworks", `pulumi-${cliVersion}`, "bin", "pulumi");
      if (!fs.existsSync(cached)) throw new Error(`Pulumi ${cliVersion} is not built on this machine (${cached}): run \`npm test\`'s setup first (npm run pretest)`);
      env22 = userEnv({ PATH: `${await nodeBinDir("22")}${path.delimiter}${userEnv().PATH}` });
    });

    after(async () => {
      if (cli22 && stack22) {
        await cli22.run("destroy", "--yes", "--non-interactive", "--stack", "dev");
        await cli22.run("stack", "rm", "--yes", "--force", "--non-interactive", "dev");
      }
      cli22?.cleanup();
    });

    it(`npm install <tarball> @pulumi/pulumi@${newest} typescript ts-node on Node 22: one copy of the SDK in npm ls; npx adnet-setup installs the Pulumi CLI`, async () => {
      app22 = path.join(tmp, "my-ads-22");
      fs.mkdirSync(app22);
      fs.writeFileSync(path.join(app22, "package.json"), JSON.stringify({ name: "my-ads-22", private: true, main: "index.ts" }, null, 2));
      const npmNode = await ok("npm", ["exec", "--", "node", "--version"], app22, env22);
      expect(npmNode.stdout.trim()).to.match(/^v22\./);
      const install = await ok("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball, `@pulumi/pulumi@${newest}`, "typescript", "ts-node"], app22, env22);
      expect(install.stderr).to.not.contain("EBADENGINE");
      expect(await sdkCopies(app22, env22)).to.deep.equal({ versions: [newest], paths: [path.join("node_modules", "@pulumi", "pulumi")] });
      await ok("npx", ["adnet-setup"], app22, { ...env22, ...(cliVersion !== newest ? { PULUMI_VERSION: cliVersion } : {}) });
      const version = await ok(path.join(app22, ".tools", "bin", "pulumi"), ["version"], app22, env22);
      expect(version.stdout.trim()).to.equal(`v${cliVersion}`);
    });

    it("pulumi up against the sandbox runs the program on Node 22 with that SDK; preview shows no changes; destroy empties the sandbox", async () => {
      fs.copyFileSync(path.join(ROOT, "examples", "exoclick-banner", "banner-300x250.png"), path.join(app22, "banner-300x250.png"));
      fs.writeFileSync(path.join(app22, "Pulumi.yaml"), "name: my-ads-22\nruntime: nodejs\n");
      fs.writeFileSync(path.join(app22, "index.ts"), PROGRAM);
      cli22 = new PulumiCli(app22, { bin: path.join(app22, ".tools", "bin"), path: env22.PATH });
      await cli22.ok("stack", "init", "dev", "--non-interactive");
      stack22 = true;
      await cli22.ok("config", "set", "exoclick:baseUrl", `${sb.urlFor("exoclick")}/v2`);
      await cli22.ok("config", "set", "--secret", "exoclick:apiToken", EXOCLICK_SANDBOX_CREDENTIALS.apiToken);
      const before = counts();
      const up = await cli22.ok("up", "--yes", "--non-interactive");
      expect(up).to.match(/\+ 5 created/);
      expect(counts().map((n, i) => n - before[i])).to.deep.equal([1, 1, 1, 1]);
      const outputs = JSON.parse(await cli22.ok("stack", "output", "--json"));
      expect(outputs.ranWith.node).to.match(/^v22\./);
      expect(outputs.ranWith.sdk).to.equal(newest);
      await cli22.ok("preview", "--expect-no-changes", "--non-interactive");
      await cli22.ok("destroy", "--yes", "--non-interactive");
      expect(counts()).to.deep.equal(before);
      await cli22.ok("stack", "rm", "--yes", "--non-interactive", "dev");
      stack22 = false;
    });

    it("Node 24: the installed package loads and its provider does a sandbox round trip (check, create, read, delete)", async () => {
      const env24 = userEnv({ PATH: `${await nodeBinDir("24")}${path.delimiter}${userEnv().PATH}` });
      fs.writeFileSync(
        path.join(app22, "smoke.js"),
        `const { startSandbox, exoclick } = require("pulumi-adnetworks");
const host = require("pulumi-adnetworks/host");
(async () => {
  const sb = await startSandbox({ port: 0 });
  try {
    process.env.EXOCLICK_BASE_URL = sb.urlFor("exoclick") + "/v2";
    process.env.EXOCLICK_API_TOKEN = ${JSON.stringify(EXOCLICK_SANDBOX_CREDENTIALS.apiToken)};
    const p = host.provider("exoclick:LibraryUrl");
    const checked = await p.check({}, { url: "https://node24.example/landing" });
    if (checked.failures && checked.failures.length) throw new Error(JSON.stringify(checked.failures));
    const created = await p.create(checked.inputs);
    const read = await p.read(created.id, created.outs);
    const held = sb.network("exoclick").inventory().libraryUrls.map((u) => u.url);
    await p.delete(created.id, created.outs);
    const left = sb.network("exoclick").inventory().libraryUrls.length;
    console.log(JSON.stringify({ node: process.version, sdk: require("@pulumi/pulumi/package.json").version, campaign: typeof exoclick.Campaign, url: read.props.url, held, left }));
  } finally {
    await sb.close();
  }
})().catch((e) => { console.error(e); process.exit(1); });
`,
      );
      const r = await ok("node", ["smoke.js"], app22, env24);
      const got = JSON.parse(r.stdout.trim().split("\n").pop()!);
      expect(got.node).to.match(/^v24\./);
      expect(got).to.deep.include({ sdk: newest, campaign: "function", url: "https://node24.example/landing", held: ["https://node24.example/landing"], left: 0 });
    });
  });
});
