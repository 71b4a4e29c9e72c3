import { expect } from "chai";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT, TOOLS, assertEngineInstalled } from "../scripts/lib/engine";
import { startSandbox, Sandbox } from "../provider/sandbox/server";
import { resetStackConfig } from "../provider/core/config";
import { NAMES_FILE, SUMMARY_FILE, ImportSummary, listNetwork } from "../provider/import/importer";
import { PulumiCli } from "./support/cli";
import { sandboxSettings, seedExoClick } from "./support/accounts";

/** Runs the built adnet-import binary with the environment's credentials (async: the sandbox answers from this process). */
function adnetImport(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const inherited = { ...process.env };
  for (const k of Object.keys(inherited)) if (/^(EXOCLICK|AFFISE|INTEGR8|TOPSORT|INTERCHANGE)_/.test(k)) delete inherited[k];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, "dist", "provider", "cli", "import.js"), ...args], { env: { ...inherited, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Writes to the network other than logging in. */
const writes = (sb: Sandbox, network: string, from = 0) =>
  sb.requests(network, { writes: true }).filter((r) => r.seq > from && !/\/login$/.test(r.path)).map((r) => `${r.method} ${r.path}`);
const lastSeq = (sb: Sandbox) => sb.journal.reduce((m, r) => Math.max(m, r.seq), 0);

/** Replaces the value of `field` in the first `new <network>.<type>(` block of a generated file. */
function editField(text: string, network: string, type: string, field: string, value: string): string {
  const start = text.indexOf(`new ${network}.${type}(`);
  expect(start, `no ${network}.${type} in the generated program`).to.be.greaterThan(-1);
  const end = text.indexOf("{ import:", start);
  const block = text.slice(start, end);
  const re = new RegExp(`(\\n\\s+${field}: )([^,\\n]+)(,)`);
  expect(block, `${field} in the first ${type}`).to.match(re);
  return text.slice(0, start) + block.replace(re, `$1${value}$3`) + text.slice(end);
}

interface NetworkCase {
  network: string;
  seed(sb: Sandbox): Promise<unknown>;
  /** The budget edit made in the generated code. */
  budget: { type: string; field: string; value: number };
  /** How many objects the account holds that are archived (reported, not imported). */
  archived?: number;
}

const CASES: NetworkCase[] = [
  { network: "exoclick", seed: seedExoClick, budget: { type: "Campaign", field: "maxDailyBudget", value: 2500 }, archived: 1 },
];

describe("@e2e adnet-import: a live account as code, adopted by pulumi up", function () {
  this.timeout(600_000);
  let sb: Sandbox;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-import-"));

  before(async () => {
    assertEngineInstalled();
    if (!fs.existsSync(path.join(TOOLS, "bin", "pulumi-language-nodejs"))) throw new Error("the Node.js language host is not installed: run `npm run setup:pulumi`");
    sb = await startSandbox({ port: 0 });
  });
  after(async () => {
    resetStackConfig();
    await sb?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  for (const c of CASES) {
    describe(c.network, () => {
      const out = path.join(tmp, c.network);
      let cli: PulumiCli;
      let summary: ImportSummary;
      let settings: ReturnType<typeof sandboxSettings>;

      before(async () => {
        await c.seed(sb);
        settings = sandboxSettings(sb, c.network);
        cli = new PulumiCli(out);
      });
      after(async () => {
        if (cli && fs.existsSync(path.join(out, "Pulumi.yaml"))) {
          await cli.run("destroy", "--yes", "--non-interactive", "--stack", "dev");
        }
        cli?.cleanup();
      });

      it("adnet-import writes the program, reading only (0 writes), and reports what it skipped", async () => {
        const before = lastSeq(sb);
        const r = await adnetImport(["--network", c.network, "--out", out], settings.env);
        expect(r.code, r.stderr + r.stdout).to.equal(0);
        expect(writes(sb, c.network, before)).to.deep.equal([]);
        summary = JSON.parse(fs.readFileSync(path.join(out, SUMMARY_FILE), "utf8"));
        expect(r.stdout).to.contain(`${summary.total} object(s)`);
        // Every live object of every listable type is in the program.
        resetStackConfig();
        const { applyStackConfig } = require("../provider/core/config");
        const flat = Object.fromEntries(Object.entries(settings.config).map(([k, v]) => [k, v.value]));
        applyStackConfig(flat, Object.keys(flat));
        const listed = await listNetwork(c.network);
        const live = listed.objects.filter((o) => !o.skip);
        expect(summary.total).to.equal(live.length).and.to.be.greaterThan(0);
        expect(summary.skipped.filter((s) => s.reason === "archived").length).to.equal(c.archived ?? 0);
        expect(summary.unsupported.map((u) => u.type)).to.deep.equal(listed.unsupported.map((u) => u.type));
        for (const f of ["index.ts", `${c.network}.ts`, "Pulumi.yaml", "package.json", "tsconfig.json", NAMES_FILE]) expect(fs.existsSync(path.join(out, f)), f).to.equal(true);
        fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(out, "node_modules"));
      });

      it("the generated code holds no credential and compiles with tsc --strict", async () => {
        const secrets = Object.values(settings.config).filter((v) => v.secret).map((v) => v.value);
        expect(secrets.length).to.be.greaterThan(0);
        for (const f of fs.readdirSync(out).filter((f) => !fs.statSync(path.join(out, f)).isDirectory())) {
          const text = fs.readFileSync(path.join(out, f), "utf8");
          for (const s of secrets) expect(text, `${f} contains a credential`).not.to.contain(s);
        }
        const tsc = await new Promise<{ code: number | null; out: string }>((resolve) => {
          const child = spawn(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "--strict", "--noEmit", "-p", path.join(out, "tsconfig.json")], { stdio: ["ignore", "pipe", "pipe"] });
          let o = "";
          child.stdout.on("data", (d) => (o += d));
          child.stderr.on("data", (d) => (o += d));
          child.on("close", (code) => resolve({ code, out: o }));
        });
        expect(tsc.code, tsc.out).to.equal(0);
      });

      it("pulumi up adopts every object: 0 creates, 0 updates, 0 deletes, 0 writes", async () => {
        await cli.ok("stack", "init", "dev", "--non-interactive");
        for (const [k, v] of Object.entries(settings.config)) await cli.ok("config", "set", ...(v.secret ? ["--secret"] : []), k, v.value);
        const before = lastSeq(sb);
        const changes = await cli.up();
        expect(changes).to.deep.equal({ create: 1, import: summary.total }); // create: the stack itself
        expect(writes(sb, c.network, before)).to.deep.equal([]);
      });

      it("pulumi preview --expect-no-changes passes", async () => {
        await cli.ok("preview", "--expect-no-changes", "--non-interactive");
      });

      it("a budget edit in the generated code updates that object in place", async () => {
        const file = path.join(out, `${c.network}.ts`);
        fs.writeFileSync(file, editField(fs.readFileSync(file, "utf8"), c.network, c.budget.type, c.budget.field, String(c.budget.value)));
        const before = lastSeq(sb);
        const changes = await cli.up();
        expect(changes).to.deep.equal({ update: 1 });
        expect(writes(sb, c.network, before)).to.have.length.greaterThan(0);
        const listed = await listNetwork(c.network);
        expect(listed.objects.some((o) => o.type === c.budget.type && o.state[c.budget.field] === c.budget.value)).to.equal(true);
      });
    });
  }
});
