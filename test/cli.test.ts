import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT, TOOLS } from "../scripts/lib/engine";
import { CommandSpec, helpText, parseCommandLine, suggestOption, UsageError } from "../provider/cli/args";
import { findPulumi, pulumiHints } from "../provider/cli/pulumi";
import { EMULATORS } from "../provider/sandbox/networks";
import { sandboxCredentials } from "../provider/sandbox/config";

const pkg = require(path.join(ROOT, "package.json"));
// The commands; `pulumi-resource-adnetworks` is the provider plugin the engine starts (test/e2e.plugin.test.ts), not a command.
const BINS = Object.entries(pkg.bin as Record<string, string>).filter(([name]) => name.startsWith("adnet-"));

function runBin(file: string, args: string[], env: NodeJS.ProcessEnv = process.env, cwd = ROOT) {
  const r = spawnSync(process.execPath, [path.join(ROOT, file), ...args], { cwd, env, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function specOf(file: string): CommandSpec {
  return require(path.join(ROOT, file)).SPEC;
}

describe("every command's help and usage errors", () => {
  it("package.json's bins are the six commands, each exporting its spec", () => {
    expect(BINS.map(([name]) => name).sort()).to.deep.equal(["adnet-import", "adnet-lists", "adnet-recover", "adnet-sandbox", "adnet-setup", "adnet-spend"]);
    expect(Object.keys(pkg.bin).filter((n) => !n.startsWith("adnet-"))).to.deep.equal(["pulumi-resource-adnetworks"]);
    expect(pkg.bin["pulumi-resource-adnetworks"]).to.equal("dist/provider/plugin/main.js");
    for (const [name, file] of BINS) expect(specOf(file).name).to.equal(name);
  });

  it("pulumi-resource-adnetworks --help and -h: exit 0 with what it is and how it is installed, no server started", () => {
    for (const flag of ["--help", "-h"]) {
      const r = runBin("dist/provider/plugin/main.js", [flag]);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/^usage: pulumi-resource-adnetworks /);
      expect(r.stdout).to.contain("pulumi package add");
      // A server would have printed its port as the first line.
      expect(r.stdout).to.not.match(/^\d+\n/);
    }
  });

  for (const [name, file] of BINS) {
    describe(name, () => {
      for (const flag of ["--help", "-h"]) {
        it(`${flag}: exit 0, usage, every option with its description, examples, on stdout`, () => {
          const r = runBin(file, [flag]);
          expect(r.code, r.stderr).to.equal(0);
          expect(r.stderr).to.equal("");
          const spec = specOf(file);
          expect(r.stdout).to.contain(`${name}: ${spec.summary}`);
          expect(r.stdout).to.match(new RegExp(`Usage:\\n  ${name} `));
          const options = r.stdout.slice(r.stdout.indexOf("Options:"), r.stdout.indexOf("Examples:"));
          for (const o of [...spec.options, { name: "help", description: "Show this help and exit." }]) {
            expect(options, `--${o.name}`).to.match(new RegExp(`--${o.name}\\b`));
            // the description's first words follow the option (wrapped text is joined)
            expect(options.replace(/\s+/g, " "), `--${o.name}'s description`).to.contain(o.description.split(/\s+/).slice(0, 4).join(" "));
          }
          const examples = r.stdout.slice(r.stdout.indexOf("Examples:")).split("\n").slice(1).filter((l) => l.trim());
          expect(examples.length).to.be.greaterThan(0);
          expect(examples.every((l) => l.includes(name))).to.equal(true);
        });
      }

      it("an unknown option: exit 2, the option named on stderr, a pointer to --help, nothing started", () => {
        const r = runBin(file, ["--no-such-option"]);
        expect(r.code).to.equal(2);
        expect(r.stdout).to.equal("");
        expect(r.stderr).to.contain(`${name}: unknown option --no-such-option`);
        expect(r.stderr).to.contain(`Run \`${name} --help\``);
      });

      it("a misspelled option: exit 2 with a suggestion", () => {
        const spec = specOf(file);
        const target = spec.options.find((o) => o.name.length >= 4)!;
        const typo = `--${target.name.slice(0, -1)}${target.name.slice(-1) === "x" ? "y" : "x"}`;
        const r = runBin(file, [typo, ...(target.value ? ["1"] : [])]);
        expect(r.code).to.equal(2);
        expect(r.stderr).to.contain(`unknown option ${typo}; did you mean --${target.name}?`);
      });
    });
  }

  it("adnet-setup --help and the README say which way to install: the npm package for TypeScript, pulumi package add, pulumi plugin install --file", () => {
    const r = runBin(pkg.bin["adnet-setup"], ["--help"]);
    expect(r.code, r.stderr).to.equal(0);
    const help = r.stdout.replace(/\s+/g, " ");
    for (const route of ["a TypeScript program uses this npm package", "`pulumi package add <a clone of pulumi-adnetworks, or its git URL>`", "`npm run pack:plugin`", "`pulumi plugin install resource adnetworks <version> --file <tarball>`"]) expect(help).to.contain(route);
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### Which way to install"), readme.indexOf("## Networks, credentials and the sandbox"));
    for (const route of ["TypeScript programs", "`pulumi package add <a clone of pulumi-adnetworks>`", "`npm run pack:plugin`", "`pulumi plugin install resource adnetworks <version> --file <tarball>`", "`npx adnet-setup --help` says the same"]) expect(section).to.contain(route);
    // The script the routes name exists and packs what it says.
    expect(pkg.scripts["pack:plugin"]).to.equal("npm run build && node dist/scripts/pack-plugin.js");
    expect(pkg.files).to.include("PulumiPlugin.yaml");
  });

  it("adnet-sandbox -h prints help instead of starting the server; a bad port is a usage error", () => {
    const r = runBin(pkg.bin["adnet-sandbox"], ["-h", "--port", "0"]);
    expect(r.code).to.equal(0);
    expect(r.stdout).not.to.contain("listening");
    const bad = runBin(pkg.bin["adnet-sandbox"], ["--port", "eighty"]);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.contain("--port takes a whole number");
    // The credentials of every account the sandbox serves (brandB's too), from its own account list.
    const text = r.stdout.replace(/\s+/g, " ");
    for (const n of Object.keys(EMULATORS)) {
      const creds = sandboxCredentials(n);
      expect(creds.filter((c) => c.account === "brandB").length, `${n}: brandB's credentials`).to.be.greaterThan(0);
      for (const c of creds) expect(text, `${n} ${c.key}`).to.contain(`${c.key} = ${c.value}`);
    }
  });

  it("adnet-import: a missing --out and an unknown network are usage errors (exit 2)", () => {
    const r = runBin(pkg.bin["adnet-import"], ["--network", "exoclick"]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain("--out <dir> are required");
    const n = runBin(pkg.bin["adnet-import"], ["--network", "myspace", "--out", "x"]);
    expect(n.code).to.equal(2);
    expect(n.stderr).to.contain('unknown network "myspace"');
  });

  it("adnet-recover without --stack: exit 2 naming it", () => {
    const r = runBin(pkg.bin["adnet-recover"], []);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain("--stack <stack> is required");
  });
});

describe("the argument parser", () => {
  const spec: CommandSpec = {
    name: "t",
    summary: "test",
    usage: [""],
    options: [
      { name: "stack", value: "<stack>", description: "The stack." },
      { name: "filter", value: "<f>", multiple: true, description: "Filters." },
      { name: "json", description: "JSON." },
      { name: "port", short: "p", value: "<n>", description: "Port." },
      { name: "format", value: "<format>", choices: ["text", "markdown"], description: "Format." },
    ],
    examples: ["t --stack dev"],
  };
  const parse = (...argv: string[]) => parseCommandLine(spec, argv);

  it("values, repeated options, --x=value, short aliases, flags", () => {
    expect(parse("--stack", "dev", "--filter", "a", "--filter=b", "-p", "9", "--json")).to.deep.equal({ help: false, values: { stack: "dev", filter: ["a", "b"], port: "9", json: true } });
    expect(parse("--stack", "dev", "-h")).to.deep.equal({ help: true });
  });

  it("refuses unknown options (with the closest), a missing value, a value for a flag, stray arguments", () => {
    expect(() => parse("--stak", "dev")).to.throw(UsageError, "unknown option --stak; did you mean --stack?");
    expect(() => parse("--zzzzzzzz")).to.throw(UsageError, /^unknown option --zzzzzzzz$/);
    expect(() => parse("--stack")).to.throw(UsageError, "--stack needs a value");
    expect(() => parse("--stack", "--json")).to.throw(UsageError, "--stack needs a value");
    expect(() => parse("--json=yes")).to.throw(UsageError, "--json takes no value");
    expect(() => parse("dev")).to.throw(UsageError, 'unexpected argument "dev"');
    expect(suggestOption(spec, "--fitler")).to.equal("--filter");
  });

  it("an option with choices takes one of them, else names them (and the closest)", () => {
    expect(parse("--format", "markdown")).to.deep.equal({ help: false, values: { format: "markdown" } });
    expect(() => parse("--format", "mardown")).to.throw(UsageError, '--format "mardown" is not one of text, markdown; did you mean markdown?');
    expect(() => parse("--format=html")).to.throw(UsageError, /^--format "html" is not one of text, markdown$/);
    expect(helpText(spec).replace(/\s+/g, " ")).to.contain("Format. One of: text, markdown.");
  });

  it("the help lists every option and the examples", () => {
    const text = helpText(spec);
    for (const o of ["--stack <stack>", "--filter <f>", "--json", "-p, --port <n>", "-h, --help"]) expect(text).to.contain(o);
    expect(text).to.contain("Examples:\n  t --stack dev");
  });
});

describe("finding the Pulumi CLI, and what to run when it fails", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-find-pulumi-"));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("--pulumi, then PULUMI_BIN, then the nearest .tools/bin/pulumi above the program, with its directory first on PATH", () => {
    const bin = path.join(tmp, "project", ".tools", "bin");
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, "pulumi"), "#!/bin/sh\n", { mode: 0o755 });
    const program = path.join(tmp, "project", "infra", "prod");
    fs.mkdirSync(program, { recursive: true });
    const env = { PATH: "/usr/bin", PULUMI_BIN: "" };
    const found = findPulumi({ cwd: program, env });
    expect(found.bin).to.equal(path.join(bin, "pulumi"));
    expect(found.env.PATH!.split(path.delimiter)[0]).to.equal(bin);
    expect(findPulumi({ cwd: program, env: { ...env, PULUMI_BIN: "/opt/p/pulumi" } }).bin).to.equal("/opt/p/pulumi");
    expect(findPulumi({ cwd: program, explicit: "/x/pulumi", env: { ...env, PULUMI_BIN: "/opt/p/pulumi" } }).bin).to.equal("/x/pulumi");
  });

  it("names `pulumi login` and the passphrase from the CLI's own errors", () => {
    expect(pulumiHints("error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions").join(" ")).to.contain("pulumi login --local");
    expect(pulumiHints("error: passphrase must be set with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE environment variables").join(" ")).to.contain("export PULUMI_CONFIG_PASSPHRASE");
    expect(pulumiHints("error: something else")).to.deep.equal([]);
  });

  it("@e2e adnet-recover and adnet-spend with no backend logged in say what to run (real CLI)", function () {
    this.timeout(120_000);
    const cli = path.join(TOOLS, "bin", "pulumi");
    if (!fs.existsSync(cli)) this.skip();
    const program = path.join(tmp, "program");
    fs.mkdirSync(program, { recursive: true });
    fs.writeFileSync(path.join(program, "Pulumi.yaml"), "name: p\nruntime: nodejs\n");
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: tmp, PULUMI_HOME: path.join(tmp, "home"), PULUMI_SKIP_UPDATE_CHECK: "true" };
    for (const [name, args] of [["adnet-recover", ["--stack", "dev"]], ["adnet-spend", ["--stack", "dev"]]] as const) {
      const r = runBin(pkg.bin[name], [...args, "--cwd", program, "--pulumi", cli], env, program);
      expect(r.code, `${name}: ${r.stderr}`).to.equal(1);
      expect(r.stderr, name).to.contain("PULUMI_ACCESS_TOKEN must be set");
      expect(r.stderr, name).to.contain("pulumi login --local");
    }
    const missing = runBin(pkg.bin["adnet-spend"], ["--cwd", program, "--pulumi", path.join(tmp, "no-such-pulumi")], env, program);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.contain("npx adnet-setup");
  });
});
