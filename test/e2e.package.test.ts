import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT, assertEngineInstalled } from "../scripts/lib/engine";
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
 * The package as a user gets it: `npm pack`, installed into a new project
 * outside the repository, `npx adnet-setup`, then the real Pulumi CLI from
 * that project's .tools/bin runs a program against the sandbox (up, a
 * no-change preview, adnet-spend, destroy). Nothing of the clone is on PATH
 * or in node_modules.
 */
describe("@e2e the packed package, installed into a project outside the repository", function () {
  this.timeout(900_000);
  let tmp: string;
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

  before(async function () {
    assertEngineInstalled(); // the build is cached, so adnet-setup copies it
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-package-"));
    expect(path.relative(ROOT, tmp).startsWith("..")).to.equal(true);
    const packed = await ok("npm", ["pack", "--json", "--pack-destination", tmp], ROOT, userEnv());
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
    }
  });

  it("ships the LICENSE (Apache-2.0 text), the docs the README links to, every bin, the language host, and sources for every source map", () => {
    expect(files).to.include("LICENSE");
    const license = fs.readFileSync(path.join(ROOT, "LICENSE"), "utf8");
    expect(license).to.match(/Apache License\s+Version 2\.0, January 2004/);
    expect(license).to.contain("TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION");
    expect(require(path.join(ROOT, "package.json")).license).to.equal("Apache-2.0");

    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:/i.test(l));
    expect(links.length).to.be.greaterThan(5);
    for (const l of links) expect(files, `README link ${l}`).to.include(path.posix.normalize(l));

    for (const bin of Object.values(require(path.join(ROOT, "package.json")).bin) as string[]) expect(files).to.include(bin);
    expect(files).to.include("dist/scripts/language-host/main.js");
    expect(files).to.include("scripts/setup-pulumi.sh");
    for (const f of ["policy/PulumiPolicy.yaml", "policy/package.json", "policy/index.js", "dist/provider/policy/pack.js"]) expect(files).to.include(f);

    const maps = files.filter((f) => f.endsWith(".map"));
    expect(maps.length).to.be.greaterThan(10);
    const missing: string[] = [];
    for (const m of maps) {
      const map = JSON.parse(fs.readFileSync(path.join(ROOT, m), "utf8"));
      for (const s of map.sources as string[]) {
        const source = path.posix.normalize(path.posix.join(path.posix.dirname(m), map.sourceRoot ?? "", s));
        if (!files.includes(source)) missing.push(`${m} -> ${source}`);
      }
    }
    expect(missing).to.deep.equal([]);
    expect(files.filter((f) => /^(test|examples)\//.test(f) || f.startsWith("dist/test/"))).to.deep.equal([]);
  });

  it("npm install <tarball> typescript ts-node, then `npx adnet-setup`, gives a working engine in the project's .tools/bin", async () => {
    app = path.join(tmp, "my-ads");
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "my-ads", private: true, main: "index.ts" }, null, 2));
    await ok("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball, "typescript", "ts-node"], app, userEnv());
    expect(fs.existsSync(path.join(app, "node_modules", "pulumi-adnetworks", "dist", "scripts", "language-host", "main.js"))).to.equal(true);

    const setup = await ok("npx", ["adnet-setup"], app, userEnv());
    const lines = (setup.stdout + setup.stderr).trim().split("\n");
    expect(lines.length, lines.join("\n")).to.be.lessThan(10);
    expect(setup.stdout).to.contain(`export PATH="$PWD/.tools/bin:$PATH"`);
    for (const f of ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"]) {
      expect(fs.statSync(path.join(app, ".tools", "bin", f)).mode & 0o111, f).to.not.equal(0);
    }
    const version = await ok(path.join(app, ".tools", "bin", "pulumi"), ["version"], app, userEnv());
    expect(version.stdout.trim()).to.equal(`v${require("@pulumi/pulumi/package.json").version}`);
  });

  it("pulumi up of a program against the sandbox creates its objects; preview right after shows no changes", async () => {
    fs.copyFileSync(path.join(ROOT, "examples", "exoclick-banner", "banner-300x250.png"), path.join(app, "banner-300x250.png"));
    fs.writeFileSync(path.join(app, "Pulumi.yaml"), "name: my-ads\nruntime: nodejs\n");
    fs.writeFileSync(
      path.join(app, "index.ts"),
      `import { exoclick } from "pulumi-adnetworks";

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
`,
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
});
