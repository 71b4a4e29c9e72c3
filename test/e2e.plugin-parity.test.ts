/**
 * Everything the dynamic resources have, on the provider plugin (issue #31
 * item 4): programs importing `pulumi-adnetworks/plugin` (type tokens
 * `adnetworks:exoclick:Campaign`), the real CLI, the sandbox, one stack.
 * The plugin server serves the same ResourceProvider (registry.get: the
 * guardrails in check and delete, the journal around create) as the
 * dynamic-provider host; what reads this package's resources out of state
 * (the guardrails' before, protectRunning's deletes, the journal's owned
 * ids, adnet-recover, the policy pack) reads both type tokens.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT, TOOLS, assertEngineInstalled } from "../scripts/lib/engine";
import { PulumiCli } from "./support/cli";
import { pluginConfig } from "./support/plugin";
import { alive, descendants, runChild } from "./support/processes";
import { startSandbox, Sandbox } from "../provider/sandbox/server";
import { sandboxConfig } from "../provider/sandbox/config";
import { applyStackConfig, resetStackConfig } from "../provider/core/config/config";
import { resetContexts } from "../provider/core/config/context";
import { recover } from "../provider/cli/recover";
import { importAccounts } from "../provider/import/importer";

const PACK = path.join(ROOT, "policy");

/** name -> [daily budget, status, campaign name]. */
type Spec = Record<string, [number, 0 | 1, string?]>;

const PROGRAM = [
  `const pulumi = require("@pulumi/pulumi");`,
  `const { exoclick } = require("pulumi-adnetworks/plugin");`,
  `const config = new pulumi.Config("program");`,
  `for (const [name, [budget, status, title]] of Object.entries(JSON.parse(config.require("spec")))) {`,
  `  new exoclick.Campaign(name, { name: title || "Parity " + name, status, size: "300x250", pricing: { model: 4, price: 3 }, dailyLimitType: 1, maxDailyBudget: budget });`,
  `}`,
].join("\n");

interface Outcome {
  code: number | null;
  /** The provider's check problems ("has a problem: ..."), and other errors in full. */
  errors: string[];
  /** Policy violations: "<level> <policy>: <message>". */
  policies: string[];
  /** Info messages on the stack (the spend summary). */
  stackInfo: string[];
  text: string;
}

describe("@e2e provider plugin: guardrails, policy pack, journal and adnet-recover, adnet-import, quota, List (parity with the dynamic resources)", function () {
  this.timeout(900_000);
  let sb: Sandbox;
  let dir: string;
  let cli: PulumiCli;
  const stack = "parity";
  // A login (the credentials verified at preview) writes nothing.
  const writes = () => sb.requests("exoclick", { writes: true }).filter((e) => !/\/login$/.test(e.path)).length;
  const campaigns = () => ((sb.inventory() as any).exoclick?.campaigns ?? []) as Array<{ id: number; name: string; status: number }>;
  const spec = (s: Spec) => cli.ok("config", "set", "--stack", stack, "program:spec", JSON.stringify(s));
  const setConfig = (k: string, v: string) => cli.ok("config", "set", "--stack", stack, k, v);
  const rmConfig = (k: string) => cli.run("config", "rm", "--stack", stack, k);

  /** A CLI command with the engine's JSON events. */
  const pulumi = async (args: string[], o: { env?: NodeJS.ProcessEnv; policyConfig?: object } = {}): Promise<Outcome> => {
    const extra: string[] = [];
    if (o.policyConfig) {
      const file = path.join(cli.tmp, "policy-config.json");
      fs.writeFileSync(file, JSON.stringify(o.policyConfig));
      extra.push("--policy-pack", PACK, "--policy-pack-config", file);
    }
    const { code, out } = await runChild(path.join(cli.bin, "pulumi"), [...args, "--json", "--non-interactive", "--stack", stack, ...extra], {
      cwd: dir, env: { ...cli.env, PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "1", ...(o.env ?? {}) },
    });
    const events = out.split("\n").filter((l) => l.startsWith("{")).map((l) => { try { return JSON.parse(l); } catch { return {}; } });
    const errors = events.filter((e) => e.diagnosticEvent?.severity === "error").map((e) => String(e.diagnosticEvent.message).trim())
      .map((m) => (m.includes("has a problem: ") ? m.slice(m.indexOf("has a problem: ") + "has a problem: ".length) : m))
      .filter((m) => !/^(update|preview|destroy) failed$/.test(m));
    const policies = events.filter((e) => e.policyEvent).map((e) => `${e.policyEvent.enforcementLevel} ${e.policyEvent.policyName}: ${String(e.policyEvent.message).split("\n").slice(1).join("\n").trim()}`);
    const stackInfo = events.filter((e) => e.diagnosticEvent?.severity === "info" && /::pulumi:pulumi:Stack::/.test(e.diagnosticEvent.urn ?? "")).map((e) => String(e.diagnosticEvent.message).trim());
    return { code, errors: [...new Set(errors)], policies, stackInfo, text: out };
  };

  before(async function () {
    assertEngineInstalled();
    if (!fs.existsSync(path.join(TOOLS, "bin", "pulumi-resource-adnetworks"))) throw new Error("the plugin launcher is not installed (.tools/bin/pulumi-resource-adnetworks): run `npm run setup:pulumi`");
    sb = await startSandbox({ port: 0 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-parity-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: adnet-parity\nruntime: nodejs\nmain: index.js\n");
    fs.writeFileSync(path.join(dir, "index.js"), PROGRAM);
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    cli = new PulumiCli(dir);
    await cli.ok("stack", "init", stack, "--non-interactive");
    for (const [k, v] of Object.entries(pluginConfig(sb, ["exoclick"]).exoclick)) await cli.ok("config", "set", "--stack", stack, "--path", ...(k === "baseUrl" ? [] : ["--secret"]), `adnetworks:exoclick.${k}`, v);
  });

  after(async () => {
    try {
      for (const k of ["adnetworks:protectRunning", "adnetworks:maxDailyBudget"]) await cli?.run("config", "rm", "--stack", stack, k);
      await cli?.run("destroy", "--yes", "--non-interactive", "--skip-preview", "--stack", stack);
    } finally {
      resetStackConfig();
      resetContexts();
      await sb?.close();
      cli?.cleanup();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses at preview and at up, once, with 0 requests: adnetworks:maxDailyBudget, a wrong-unit amount, a shared natural key", async () => {
    await spec({ a: [20, 1], b: [20, 1] });
    await setConfig("adnetworks:maxDailyBudget", "30");
    const limit = "adnetworks:maxDailyBudget: the running daily budgets on exoclick in USD would total 40.00, over the limit of 30.00: a (20.00), b (20.00). Lower or pause some, or raise adnetworks:maxDailyBudget";
    const preview = await pulumi(["preview"]);
    expect(preview.code, preview.text.slice(-3000)).to.not.equal(0);
    expect(preview.errors).to.deep.equal([limit]);
    const up = await pulumi(["up", "--yes", "--skip-preview"]);
    expect(up.code).to.not.equal(0);
    expect(up.errors).to.deep.equal([limit]);
    await rmConfig("adnetworks:maxDailyBudget");

    await spec({ a: [1750, 1] });
    const unit = await pulumi(["preview"]);
    expect(unit.code).to.not.equal(0);
    expect(unit.errors.join("\n")).to.contain("maxDailyBudget is 1,750.00 USD, above the 1,000.00 USD a exoclick.Campaign maxDailyBudget plausibly holds, which looks like the wrong unit");

    await spec({ a: [20, 1, "Same"], b: [10, 1, "Same"] });
    const same = await pulumi(["preview"]);
    expect(same.code).to.not.equal(0);
    expect(same.errors.join("\n")).to.contain("have the same natural key");
    expect(sb.journal.map((e) => `${e.method} ${e.path}`), "requests").to.deep.equal([]);
  });

  it("within the limits the preview writes the spend summary on the stack; the policy pack refuses at its own limit (0 requests); up creates; `pulumi do ... list` lists them", async () => {
    await spec({ a: [20, 1], b: [15, 1] });
    await setConfig("adnetworks:maxDailyBudget", "50");
    const preview = await pulumi(["preview"]);
    expect(preview.code, preview.text.slice(-3000)).to.equal(0);
    expect(preview.stackInfo).to.deep.equal([[
      "adnetworks spend in this update (`npx adnet-spend` shows the whole before and after):",
      "  a: new, daily 20.00, bid 3.00, running (exoclick USD)",
      "  b: new, daily 15.00, bid 3.00, running (exoclick USD)",
      "  exoclick USD: running daily budgets after this update 35.00, 2 running",
    ].join("\n")]);
    expect(writes()).to.equal(0);

    const before = sb.journal.length;
    const pack = await pulumi(["preview"], { policyConfig: { "max-daily-budget": { limit: { "exoclick:USD": 30, "*": 1000 } } } });
    expect(pack.code, pack.text.slice(-3000)).to.not.equal(0);
    expect(pack.policies).to.deep.equal(["mandatory max-daily-budget: the running daily budgets on exoclick in USD would total 35.00, over the limit of 30.00: a (20.00), b (15.00). Lower or pause some, or raise the limit of max-daily-budget"]);
    expect(sb.journal.length - before, "requests under --policy-pack").to.equal(0);

    const up = await pulumi(["up", "--yes", "--skip-preview"]);
    expect(up.code, up.text.slice(-3000)).to.equal(0);
    expect(campaigns().map((c) => c.name).sort()).to.deep.equal(["Parity a", "Parity b"]);
    await rmConfig("adnetworks:maxDailyBudget");

    // List, as Pulumi 3.248 calls it: `pulumi do <type> list` with the stack's provider config; only reads.
    const mark = writes();
    const listed = await cli.run("do", "--package", path.join(cli.bin, "pulumi-resource-adnetworks"), "adnetworks:exoclick:Campaign", "list", "--all");
    expect(listed.code, listed.stderr).to.equal(0);
    expect(JSON.parse(listed.stdout)).to.deep.equal(campaigns().map((c) => ({ id: String(c.id), name: c.name })));
    expect(writes() - mark).to.equal(0);
  });

  it("protectRunning: a running campaign dropped from the program is refused at preview; pulumi destroy refuses every delete with one message; 0 writes", async () => {
    await setConfig("adnetworks:protectRunning", "true");
    const before = writes();
    await spec({ a: [20, 1] });
    const drop = await pulumi(["preview"]);
    expect(drop.code).to.not.equal(0);
    expect(drop.errors.join("\n")).to.contain("adnetworks:protectRunning: b is running (daily budget 15.00 USD) and would be deleted");
    const destroy = await pulumi(["destroy", "--yes", "--skip-preview"]);
    expect(destroy.code).to.not.equal(0);
    const all = "adnetworks:protectRunning: 2 running resources would be deleted (no longer in the program, or this is `pulumi destroy`): a (daily budget 20.00 USD), b (daily budget 15.00 USD). A guardrail's verdict is all or nothing, so nothing is deleted.";
    expect(destroy.errors.filter((e) => e.includes("protectRunning")).map((e) => e.slice(e.indexOf("adnetworks:protectRunning")))).to.have.length.greaterThan(0)
      .and.satisfy((es: string[]) => es.every((e) => e.startsWith(all)));
    expect(writes() - before, "writes").to.equal(0);
    expect(campaigns()).to.have.length(2);
    await rmConfig("adnetworks:protectRunning");
    await spec({ a: [20, 1], b: [15, 1] });
  });

  it("a 429 whose Retry-After is hours (a daily quota) fails at once with the reset time", async () => {
    await spec({ a: [21, 1], b: [15, 1] });
    sb.faults.next({ kind: "429", count: 1, networks: ["exoclick"], routes: ["PUT"], retryAfterSeconds: 6 * 3600 });
    const before = sb.journal.length;
    const up = await pulumi(["up", "--yes", "--skip-preview"]);
    expect(up.code).to.not.equal(0);
    expect(up.errors.join("\n")).to.match(/request quota is used up and resets at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in 6h 0m, by its Retry-After\)/);
    const puts = sb.journal.slice(before).filter((e) => e.method === "PUT");
    expect(puts.map((e) => e.status)).to.deep.equal([429]); // never retried
  });

  it("kill -9 of the plugin mid-create (PULUMI_SKIP_CHECKPOINTS, the journal): adnet-recover reports the create in flight; the next up adopts it: 0 duplicates, 0 orphans", async () => {
    const SKIP = { PULUMI_SKIP_CHECKPOINTS: "true" };
    const all: Spec = { a: [20, 1], b: [15, 1], c: [5, 0], d: [5, 0], e: [5, 0] };
    await spec(all);
    const held = sb.faults.hold({ nth: 2, routes: ["POST /"] });
    // The engine saves the state once, at the end; the plugin keeps the journal of its creates.
    Object.assign(cli.env, SKIP);
    const child = cli.spawn(["up", "--yes", "--skip-preview", "--non-interactive", "--stack", stack]);
    delete cli.env.PULUMI_SKIP_CHECKPOINTS;
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    const done = new Promise<number | null>((resolve) => child.on("close", resolve));
    const first = await Promise.race([held.reached, done.then(() => undefined)]);
    expect(first, `pulumi up ended before its 2nd POST:\n${out}`).to.be.a("string");
    const plugins = descendants(child.pid!).filter((p) => p.cmd.includes("plugin/main.js"));
    expect(plugins, "the plugin's process").to.have.length(1);
    process.kill(plugins[0].pid, "SIGKILL");
    const code = await done;
    expect(code, out.slice(-3000)).to.not.equal(0);
    expect(plugins.some(alive)).to.equal(false);
    // The held create reaches the network now: made there, answered to nobody.
    held.release();
    for (let i = 0; i < 100 && sb.journal.length < sb.faults.seen; i++) await new Promise((r) => setTimeout(r, 50));

    const lines: string[] = [];
    await recover({ stack, cwd: dir, env: { ...cli.env, ...SKIP }, pulumi: path.join(cli.bin, "pulumi"), log: (l) => lines.push(l) });
    expect(lines.join("\n")).to.match(/[1-9]\d* create\(s\) were in flight/);

    const up = await pulumi(["up", "--yes", "--skip-preview"], { env: SKIP });
    expect(up.code, up.text.slice(-3000)).to.equal(0);
    const names = campaigns().filter((c) => c.status !== -1).map((c) => c.name).sort();
    expect(names, "no duplicate, no orphan").to.deep.equal(Object.keys(all).map((n) => `Parity ${n}`));
    const again = await pulumi(["preview", "--expect-no-changes"], { env: SKIP });
    expect(again.code, again.text.slice(-3000)).to.equal(0);
  });

  it("adnet-import --plugin writes the account as a program on the plugin: its first up imports every campaign with 0 writes, then no changes", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-parity-import-"));
    const keys = Object.keys(sandboxConfig("exoclick", sb.urlFor("exoclick")));
    applyStackConfig(Object.fromEntries(Object.entries(sandboxConfig("exoclick", sb.urlFor("exoclick"))).map(([k, v]) => [k, v.value])), keys);
    resetContexts();
    let imported: PulumiCli | undefined;
    try {
      const summary = await importAccounts({ networks: ["exoclick"], out, plugin: true });
      expect(summary.imported).to.deep.equal({ "exoclick:Campaign": 5 });
      expect(fs.readFileSync(path.join(out, "exoclick.ts"), "utf8")).to.contain('import { exoclick } from "pulumi-adnetworks/plugin";');
      fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(out, "node_modules"));
      imported = new PulumiCli(out);
      await imported.ok("stack", "init", "adopted", "--non-interactive");
      for (const [k, v] of Object.entries(pluginConfig(sb, ["exoclick"]).exoclick)) await imported.ok("config", "set", "--path", ...(k === "baseUrl" ? [] : ["--secret"]), `adnetworks:exoclick.${k}`, v);
      const before = writes();
      expect(await imported.up()).to.deep.equal({ import: 5, create: 1 }); // the campaigns, and the default provider
      expect(writes() - before, "writes").to.equal(0);
      const state = JSON.parse(await imported.ok("stack", "export")).deployment.resources as any[];
      expect(state.filter((r) => r.type === "adnetworks:exoclick:Campaign")).to.have.length(5);
      await imported.ok("preview", "--expect-no-changes", "--non-interactive");
    } finally {
      resetStackConfig();
      resetContexts();
      imported?.cleanup();
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
