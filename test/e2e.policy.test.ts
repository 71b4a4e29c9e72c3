import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "./support/engine";
import { PulumiCli } from "./support/cli";
import { startSandbox, Sandbox } from "../provider/sandbox/server";
import { EXOCLICK_SANDBOX_CREDENTIALS } from "../provider/sandbox/exoclick";
import { GUARDRAIL_SETTINGS } from "../provider/core/money/spend";
import { inPolicyWords } from "../provider/policy/rules";
import { runChild } from "./support/processes";

const PACK = path.join(ROOT, "policy");
const GUARDRAIL_KEYS = Object.values(GUARDRAIL_SETTINGS).map((s) => s.key);

interface Outcome {
  code: number | null;
  /** Policy violations: "<level> <policy>: <message>". */
  policies: string[];
  /** The provider's own errors (its check's problems), without the resource prefix. */
  errors: string[];
  text: string;
}

/**
 * The real CLI with the shipped policy pack (`policy/`, as a user points
 * `--policy-pack` at node_modules/pulumi-adnetworks/policy) on a sandbox
 * stack: Pulumi runs the pack through this package's Node.js language host
 * (RunPlugin), and the pack judges with the same function as the stack
 * config limits.
 */
describe("@e2e pulumi preview --policy-pack with the shipped pack", function () {
  this.timeout(600_000);
  let dir: string;
  let cli: PulumiCli;
  let sb: Sandbox;
  const stack = "policy";

  /** A CLI command with the streaming JSON events (policy events are only in those). */
  const pulumi = async (args: string[], policyConfig?: object): Promise<Outcome> => {
    const extra: string[] = [];
    if (policyConfig) {
      const file = path.join(dir, `policy-config-${Math.random().toString(36).slice(2)}.json`);
      fs.writeFileSync(file, JSON.stringify(policyConfig));
      extra.push("--policy-pack-config", file);
    }
    const { code, out } = await runChild(path.join(cli.bin, "pulumi"), [...args, "--json", "--non-interactive", "--stack", stack, ...extra], {
      cwd: dir, env: { ...cli.env, PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "1" },
    });
    {
      const events = out.split("\n").filter((l) => l.startsWith("{")).map((l) => { try { return JSON.parse(l); } catch { return {}; } });
      const policies = events.filter((e) => e.policyEvent).map((e) => `${e.policyEvent.enforcementLevel} ${e.policyEvent.policyName}: ${String(e.policyEvent.message).split("\n").slice(1).join("\n").trim()}`);
      const errors = events.filter((e) => e.diagnosticEvent?.severity === "error").map((e) => String(e.diagnosticEvent.message).trim()).filter((m) => m.includes("has a problem: ")).map((m) => m.slice(m.indexOf("has a problem: ") + "has a problem: ".length));
      return { code, policies, errors, text: out };
    }
  };
  const withPack = (verb: string[], policyConfig: object) => pulumi([...verb, "--policy-pack", PACK], policyConfig);
  const spec = (s: Record<string, [number, 0 | 1, string?]>) => cli.ok("config", "set", "--stack", stack, "program:spec", JSON.stringify(s));

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-policy-program-"));
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: policy-program\nmain: index.js\nruntime: nodejs\n");
    fs.writeFileSync(path.join(dir, "index.js"), [
      `const pulumi = require("@pulumi/pulumi");`,
      `const { exoclick } = require("pulumi-adnetworks");`,
      `const config = new pulumi.Config("program");`,
      `for (const [name, [budget, status, size]] of Object.entries(JSON.parse(config.require("spec")))) {`,
      `  new exoclick.Campaign(name, { name: "Policy " + name, status, size: size || "300x250", pricing: { model: 4, price: 3 }, dailyLimitType: 1, maxDailyBudget: budget });`,
      `}`,
      `if (config.getBoolean("later")) {`,
      `  const landing = new exoclick.LibraryUrl("landing", { url: "https://example.com/policy-landing" });`,
      `  new exoclick.Campaign("later", { name: "Policy later", status: 1, size: "300x250", pricing: { model: 4, price: 3 }, dailyLimitType: 1, maxDailyBudget: landing.id.apply(() => 10) });`,
      `}`,
    ].join("\n"));
    cli = new PulumiCli(dir);
    sb = await startSandbox({ port: 0 });
    await cli.ok("stack", "init", stack, "--non-interactive");
    await cli.ok("config", "set", "--stack", stack, "exoclick:baseUrl", `${sb.urlFor("exoclick")}/v2`);
    await cli.ok("config", "set", "--stack", stack, "--secret", "exoclick:apiToken", EXOCLICK_SANDBOX_CREDENTIALS.apiToken);
  });
  afterEach(async () => {
    for (const k of [...GUARDRAIL_KEYS, "program:later"]) await cli.run("config", "rm", "--stack", stack, k);
  });
  after(async () => {
    await sb?.close();
    cli?.cleanup();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a mandatory violation stops `pulumi preview` and `pulumi up` with 0 requests sent; the same one as advisory is reported and the preview goes on", async () => {
    await spec({ a: [20, 1], b: [15, 1] });
    const message = "the running daily budgets on exoclick in USD would total 35.00, over the limit of 30.00: a (20.00), b (15.00). Lower or pause some, or raise the limit of max-daily-budget";
    const preview = await withPack(["preview"], { "max-daily-budget": { limit: { "exoclick:USD": 30, "*": 1000 } } });
    expect(preview.code, preview.text.slice(-3000)).to.not.equal(0);
    expect(preview.policies).to.deep.equal([`mandatory max-daily-budget: ${message}`]);
    expect(preview.errors).to.deep.equal([]); // no stack config limit: the pack alone stopped it
    const up = await withPack(["up", "--yes"], { "max-daily-budget": { limit: 30 } });
    expect(up.code).to.not.equal(0);
    expect(up.policies).to.deep.equal([`mandatory max-daily-budget: ${message}`]);
    expect(sb.journal, JSON.stringify(sb.journal.map((r) => `${r.method} ${r.path}`))).to.have.length(0);
    const advisory = await withPack(["preview"], { "max-daily-budget": { enforcementLevel: "advisory", limit: 30 } });
    expect(advisory.code, advisory.text.slice(-3000)).to.equal(0);
    expect(advisory.policies).to.deep.equal([`advisory max-daily-budget: ${message}`]);
    expect(sb.journal).to.have.length(0);
  });

  it("a budget that is an Output of another resource: the advisory not-known-until-apply policy says so instead of passing silently", async () => {
    await spec({ a: [20, 1] });
    await cli.ok("config", "set", "--stack", stack, "program:later", "true");
    const r = await withPack(["preview"], { "max-daily-budget": { limit: 100 } });
    expect(r.code, r.text.slice(-3000)).to.equal(0);
    expect(r.policies).to.deep.equal([
      "advisory not-known-until-apply: max-daily-budget: not known until apply for exoclick USD: the budgets of later depend on other resources; the known running daily budgets total 20.00 of the 100.00 allowed",
    ]);
    expect(sb.journal).to.have.length(0);
  });

  it("gives the same verdict as the stack config limits on the same preview (increase against the state, replacement of a running campaign, total)", async () => {
    await spec({ a: [20, 1], b: [15, 1], g: [8, 1] });
    await cli.ok("up", "--yes", "--non-interactive", "--skip-preview", "--stack", stack);
    const writes = sb.journal.length;
    // The change: a 20 -> 30, d new at 25, g's size (a replacement); 43.00 a day before, 78.00 after.
    await spec({ a: [30, 1], b: [15, 1], d: [25, 1], g: [8, 1, "728x90"] });
    /** The same limits as stack config (the provider's check judges) and as policy config (the pack judges), on the same preview. */
    const both = async (stackConfig: Record<string, string>, policyConfig: object) => {
      for (const [k, v] of Object.entries(stackConfig)) await cli.ok("config", "set", "--stack", stack, k, v);
      const host = await pulumi(["preview"]);
      for (const k of GUARDRAIL_KEYS) await cli.run("config", "rm", "--stack", stack, k);
      const pack = await withPack(["preview"], policyConfig);
      expect(pack.errors).to.deep.equal([]);
      return { host, pack, packMessages: pack.policies.map((p) => p.replace(/^mandatory [a-z-]+: /, "")).sort(), hostMessages: host.errors.map(inPolicyWords).sort() };
    };
    // Over both budget limits and replacing a running campaign. The engine stops a preview at the first resource
    // whose check fails, so the provider names the budgets (its first resource) and the pack, judging the whole stack
    // at once, also the replacement: the same verdict, and each of the provider's messages is one of the pack's.
    const over = await both(
      { "adnetworks:maxDailyBudget": "60", "adnetworks:maxDailyIncrease": "20", "adnetworks:protectRunning": "true" },
      { "max-daily-budget": { limit: 60 }, "max-daily-increase": { limit: 20 }, "protect-running": {} },
    );
    expect([over.host.code !== 0, over.pack.code !== 0]).to.deep.equal([true, true]);
    expect(over.hostMessages.length).to.be.greaterThan(0);
    expect(over.packMessages).to.include.members(over.hostMessages);
    expect(over.pack.policies.map((p) => p.split(":")[0]).sort()).to.deep.equal(["mandatory max-daily-budget", "mandatory max-daily-increase", "mandatory protect-running"]);
    expect(over.pack.policies.find((p) => p.startsWith("mandatory max-daily-increase"))).to.contain("would rise from 43.00 to 78.00 (+35.00) in this update, over the limit of 20.00");
    // Within the budgets, the replacement alone: both refuse it, with the same message.
    const replace = await both(
      { "adnetworks:maxDailyBudget": "100", "adnetworks:maxDailyIncrease": "50", "adnetworks:protectRunning": "true" },
      { "max-daily-budget": { limit: 100 }, "max-daily-increase": { limit: 50 }, "protect-running": {} },
    );
    expect([replace.host.code !== 0, replace.pack.code !== 0]).to.deep.equal([true, true]);
    expect(replace.hostMessages).to.deep.equal(replace.packMessages);
    expect(replace.packMessages).to.deep.equal([
      "g is running (daily budget 8.00 USD) and this change of size would replace it (a new campaign, the old one deleted, history and learning lost). Pause it first, or allow this once: add \"g\" to allowReplace in the policy config of protect-running",
    ]);
    // The replacement allowed: both pass.
    const fits = await both(
      { "adnetworks:maxDailyBudget": "100", "adnetworks:maxDailyIncrease": "50", "adnetworks:protectRunning": "true", "adnetworks:allowReplace": "[\"g\"]" },
      { "max-daily-budget": { limit: 100 }, "max-daily-increase": { limit: 50 }, "protect-running": { allowReplace: ["g"] } },
    );
    expect([fits.host.code, fits.pack.code], fits.pack.text.slice(-3000)).to.deep.equal([0, 0]);
    expect([fits.hostMessages, fits.packMessages]).to.deep.equal([[], []]);
    // Nothing sent under the pack; the host's own previews with changes verify the credentials (a login, no write).
    expect(sb.journal.slice(writes).map((r) => `${r.method} ${r.path}`).filter((r) => r !== "POST /v2/login")).to.deep.equal([]);
    await cli.ok("destroy", "--yes", "--non-interactive", "--stack", stack);
  });
});
