/**
 * Programs in another language on the provider plugin (test/e2e.go.test.ts,
 * test/e2e.python.test.ts): the language's three examples run by its
 * Automation API driver (one JSON request as its argument, its answer the
 * last line it prints) in one stack with two accounts, and the tests every
 * language passes on that stack, the same for each.
 */
import { expect } from "chai";
import { runChild, ChildRun } from "./processes";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { assertEngineInstalled, ROOT, TOOLS } from "../../scripts/lib/engine";
import { startSandbox, Sandbox } from "../../provider/sandbox/server";
import * as registry from "../../provider/registry";
import { PulumiCli } from "./cli";
import { pluginConfig } from "./plugin";

export interface DriverResult {
  op: string;
  summary?: Record<string, number>;
  error?: string;
  stdout: string;
}

/** Changes by operation, without "same". */
export const changes = (s: Record<string, number> = {}) => Object.fromEntries(Object.entries(s).filter(([k, v]) => k !== "same" && v));

/** Links every example's images into `dir` (the programs read them by relative path; the examples themselves stay untouched). */
export function linkExampleImages(examples: string, dir: string): void {
  for (const ex of fs.readdirSync(examples).filter((e) => fs.statSync(path.join(examples, e)).isDirectory())) {
    for (const f of fs.readdirSync(path.join(examples, ex))) if (f.endsWith(".png")) fs.symlinkSync(path.join(examples, ex, f), path.join(dir, f));
  }
}

/**
 * The examples' stack of one language, set by the test file's `before`
 * (sandbox, program directory, CLI, the first up's summary); `command`
 * gives the driver's command line for a request.
 */
export class DriverStack {
  sb!: Sandbox;
  dir!: string;
  cli!: PulumiCli;
  upSummary!: Record<string, number>;

  constructor(readonly language: string, private readonly command: (request: string) => { cmd: string; args: string[]; env?: Record<string, string> }) {}

  /**
   * The test file's `before`: the engine and the plugin's launcher checked,
   * a sandbox, the program's directory (`prefix`: its temporary name) with
   * the images of the examples in `examples`, the CLI on it.
   */
  async open(prefix: string, examples: string): Promise<void> {
    assertEngineInstalled();
    if (!fs.existsSync(path.join(TOOLS, "bin", "pulumi-resource-adnetworks"))) throw new Error("the plugin launcher is not installed (.tools/bin/pulumi-resource-adnetworks): run `npm run setup:pulumi`");
    this.sb = await startSandbox({ port: 0 });
    // The program's directory: the examples' files (images read by relative path), never the examples themselves.
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    linkExampleImages(examples, this.dir);
    this.cli = new PulumiCli(this.dir);
  }

  /** The first up, with the stack's `config` (its time printed); its summary is `upSummary`. */
  async firstUp(config: Record<string, { value: string; secret?: boolean }>): Promise<void> {
    const started = Date.now();
    const up = await this.ok({ op: "up", config });
    console.log(`      first up (the driver, the CLI and the plugin): ${((Date.now() - started) / 1000).toFixed(1)} s`);
    this.upSummary = changes(up.summary);
  }

  /** The test file's `after`: whatever is left destroyed, the sandbox stopped, the directory removed. */
  async close(): Promise<void> {
    try {
      if (this.dir && this.cli) await this.drive({ op: "destroy" }).catch(() => undefined);
    } finally {
      await this.sb?.close();
      this.cli?.cleanup();
      if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
    }
  }

  /** One request to the driver (`op`: up, preview, destroy ...; the stack's directory and the engine added). */
  async drive(req: Record<string, unknown>): Promise<DriverResult> {
    const { cmd, args, env } = this.command(JSON.stringify({ workDir: this.dir, pulumiRoot: TOOLS, ...req }));
    const { code, stdout, stderr } = await runChild(cmd, args, { cwd: this.dir, env: { ...this.cli.env, ...(env ?? {}) } });
    if (process.env.ADNET_TEST_VERBOSE) process.stdout.write(`${stdout}${stderr}`);
    const last = stdout.trim().split("\n").pop() ?? "";
    if (code !== 0 || !last.startsWith("{")) throw new Error(`the ${this.language} driver (${String(req.op)}) exited with ${code}:\n${stdout.slice(-3000)}\n${stderr.slice(-3000)}`);
    return JSON.parse(last);
  }

  /** A request that must succeed. */
  async ok(req: Record<string, unknown>): Promise<DriverResult> {
    const r = await this.drive(req);
    if (r.error) throw new Error(`${String(req.op)} failed: ${r.error}\n${r.stdout}`);
    return r;
  }

  /** Another command in the stack's directory, with the CLI's environment. */
  run(cmd: string, args: string[]): Promise<ChildRun> {
    return runChild(cmd, args, { cwd: this.dir, env: this.cli.env });
  }

  inventory(): Record<string, Record<string, any[]>> {
    return this.sb.inventory() as Record<string, Record<string, any[]>>;
  }
}

/**
 * The tests every language passes on its examples' stack, in order: the
 * first up in both accounts, a preview with 0 requests, an update with the
 * spend summary (`spendTitle`: what the title says of it), a bad input
 * refused at preview with the core's own message.
 */
export function examplesStackTests(h: DriverStack, spendTitle: string): void {
  it("up creates the three examples in brandA and the banner and Interchange campaign in brandB, each in its own account", async () => {
    // brandA: 4 ExoClick, 2 Affise, 1 Interchange; brandB: 4 ExoClick, 1 Interchange; the two providers; the stack.
    expect(h.upSummary).to.deep.equal({ create: 15 });
    const inv = h.inventory();
    expect(inv.exoclick.campaigns.map((c) => c.name)).to.deep.equal(["Banner 300x250 Production"]);
    expect(inv["exoclick@brandB"].campaigns.map((c) => c.name)).to.deep.equal(["Banner 300x250 Production"]);
    expect(inv.exoclick.libraryFiles).to.have.length(1);
    expect(inv["exoclick@brandB"].libraryFiles).to.have.length(1);
    expect(inv.affise.offers.map((o) => o.title)).to.deep.equal(["NEW BIG OFFER"]);
    expect(inv.affise.postbacks).to.have.length(1);
    expect(inv.interchange.campaigns.map((c) => c.name)).to.deep.equal(["retail retail media Q1 2026"]);
    expect(inv["interchange@brandB"].campaigns.map((c) => c.name)).to.deep.equal(["brandB retail media Q1 2026"]);
    const state = JSON.stringify(JSON.parse(await h.cli.ok("stack", "export", "--stack", "dev")).deployment);
    expect(state).to.not.contain(pluginConfig(h.sb, ["exoclick"], "brandB").exoclick.apiToken);
  });

  it("preview --expect-no-changes sends 0 requests", async () => {
    const mark = h.sb.journal.length;
    const r = await h.ok({ op: "preview", expectNoChanges: true });
    expect(changes(r.summary)).to.deep.equal({});
    expect(h.sb.journal.slice(mark).map((e) => `${e.method} ${e.path}`)).to.deep.equal([]);
  });

  it(`an update changes the banner's daily budget in place; adnet-spend shows the preview's spend summary${spendTitle}`, async () => {
    const id = String(h.inventory().exoclick.campaigns[0].id);
    const stepsFile = path.join(h.dir, "preview.json");
    const preview = await h.ok({ op: "preview", stepsFile, config: { "test:budget": { value: "25" } } });
    expect(changes(preview.summary)).to.deep.equal({ update: 1 });
    expect(preview.stdout).to.match(/maxDailyBudget: 20 => 25/);
    // The spend summary of the program's preview: `pulumi preview --json > preview.json && adnet-spend --preview-json preview.json`.
    const spend = await h.run(process.execPath, [path.join(ROOT, "dist", "provider", "cli", "spend.js"), "--preview-json", stepsFile, "--format", "json"]);
    fs.rmSync(stepsFile);
    expect(spend.code, spend.stderr).to.equal(0);
    const report = JSON.parse(spend.stdout);
    console.log(`      adnet-spend: ${report.headline}`);
    const change = report.changes.find((c: any) => c.name === "demo-campaign");
    expect(change, JSON.stringify(report.changes)).to.exist;
    expect([change.before.daily, change.after.daily]).to.deep.equal([20, 25]);
    expect(report.groups.map((g: any) => g.network).sort()).to.include.members(["exoclick", "interchange"]);
    const up = await h.ok({ op: "up" });
    expect(changes(up.summary)).to.deep.equal({ update: 1 });
    expect(h.sb.network<any>("exoclick").data.campaigns[id].max_daily_budget).to.equal(2500);
  });

  it("a bad input is refused at preview with the message TypeScript programs get, and nothing is sent", async () => {
    const inputs = { name: "Bad", size: "300x250", pricing: { model: 4, price: 3 }, status: 7, dailyLimitType: 1, maxDailyBudget: -5 };
    // The core's check, as a TypeScript program (dynamic or plugin) meets it.
    const expected = (await registry.get("exoclick:Campaign").check({}, inputs)).failures ?? [];
    expect(expected.map((f) => f.property).sort()).to.deep.equal(["maxDailyBudget", "status"]);
    const mark = h.sb.journal.length;
    const r = await h.drive({ op: "preview", config: { "test:bad": { value: JSON.stringify({ type: "adnetworks:exoclick:Campaign", inputs }) } } });
    expect(r.error, "the preview succeeded").to.be.a("string");
    for (const f of expected) expect(`${r.error}\n${r.stdout}`).to.contain(f.reason);
    expect(h.sb.journal.slice(mark).filter((e) => e.method !== "GET" && !/\/login$/.test(e.path))).to.deep.equal([]);
    await h.ok({ op: "preview", expectNoChanges: true, removeConfig: ["test:bad"] });
  });
}

/** The last test of every language: destroy empties both accounts. */
export function destroyTest(h: DriverStack): void {
  it("destroy removes every object from both accounts with 0 errors", async () => {
    const r = await h.ok({ op: "destroy" });
    expect(changes(r.summary)).to.deep.equal({ delete: 15 });
    const inv = h.inventory();
    for (const account of ["exoclick", "exoclick@brandB"]) {
      expect(inv[account].campaigns.filter((c) => c.status !== -1), account).to.deep.equal([]);
      expect(inv[account].libraryUrls, account).to.deep.equal([]);
    }
    expect(inv.affise.offers.filter((o) => o.status !== "deleted")).to.deep.equal([]);
    expect(inv.interchange.campaigns.filter((c) => !["ARCHIVED", "DELETED"].includes(c.status))).to.deep.equal([]);
  });
}
