import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "./support/engine";
import { asDeclared, findings, inPolicyWords, judgeStack, limitsOf, POLICIES, StackResource, StateBefore } from "../provider/policy/rules";
import { plain, spendPolicies, stackConfigOf } from "../provider/policy/pack";
import { stepJudgement, summarizeSteps, StepLike } from "../provider/core/money/steps";
import { judge } from "../provider/core/guard/judge";
import { GUARDRAIL_SETTINGS, spendOf } from "../provider/core/money/spend";
import { UNKNOWN } from "../provider/core/schema/validate";
import { definition } from "../provider/registry";
import type { StateResource } from "../provider/core/engine/stackState";

const T = "pulumi-nodejs:dynamic/exoclick:Campaign";
const urn = (name: string, type = T) => `urn:pulumi:dev::shop::${type}::${name}`;
const campaign = (budget: unknown, status: unknown = 1, size = "300x250") => ({ name: `C ${budget}`, status, size, pricing: { model: 4, price: 3 }, dailyLimitType: 1, maxDailyBudget: budget, advertiserAdType: 0, mediaStorageTemplate: "img_banner" });

/** The same change as a preview's steps (what adnet-spend and the stack config limits judge) and as the stack a policy sees. */
function scenario() {
  const olds: Record<string, any> = { a: campaign(20), b: campaign(15), c: campaign(10), g: campaign(8) };
  const news: Record<string, any> = { a: campaign(30), b: campaign(15), d: campaign(25), f: campaign(UNKNOWN), g: campaign(8, 1, "728x90") };
  const state: StateResource[] = Object.entries(olds).map(([n, inputs]) => ({ urn: urn(n), type: T, inputs }));
  const stack: StackResource[] = Object.entries(news).map(([n, props]) => ({ urn: urn(n), type: T, props }));
  const op = (n: string) => (!olds[n] ? "create" : !news[n] ? "delete" : n === "g" ? "replace" : "update");
  const steps: StepLike[] = [...new Set([...Object.keys(olds), ...Object.keys(news)])].map((n) => ({
    op: op(n), urn: urn(n), type: T, ...(olds[n] ? { oldState: { inputs: olds[n] } } : {}), ...(news[n] ? { newState: { inputs: news[n] } } : {}), ...(n === "g" ? { replaceReasons: ["size"] } : {}),
  }));
  return { state, stack, steps };
}

describe("the policy pack's rules (provider/policy/rules.ts)", () => {
  const S = GUARDRAIL_SETTINGS;
  const { state, stack, steps } = scenario();
  const limits = { maxDailyBudget: { "exoclick:USD": 60 }, maxDailyIncrease: 20, protectRunning: true };

  it("judge the stack the way the stack config limits judge the same preview's steps: the same violations and pending, rule by rule", () => {
    const fromSteps = stepJudgement(steps, summarizeSteps(steps, definition), limits);
    const fromStack = judgeStack(stack, { resources: state }, limits);
    expect(fromStack.violations).to.deep.equal(fromSteps.violations);
    expect(fromStack.pending).to.deep.equal(fromSteps.pending);
    expect(fromStack.summary.groups).to.deep.equal(fromSteps.summary.groups);
    // 20+15+10+8 = 53 before, 30+15+25+8 = 78 after (+25) with f not known; g replaced while running, c deleted while running.
    expect(fromStack.violations.map((v) => `${v.rule} ${v.resources.join(",")}`)).to.deep.equal([
      "maxDailyBudget a,d,b,g", "maxDailyIncrease a,d,b,g", "protectRunning g", "protectRunning c",
    ]);
  });

  it("a preview's steps of the provider plugin's types (adnetworks:exoclick:Campaign, from any language's program) judge as the dynamic ones do", () => {
    const P = "adnetworks:exoclick:Campaign";
    const onPlugin = steps.map((s) => ({ ...s, type: P, urn: s.urn.replace(T, P) }));
    const dynamic = stepJudgement(steps, summarizeSteps(steps, definition), limits);
    const plugin = stepJudgement(onPlugin, summarizeSteps(onPlugin, definition), limits);
    expect(plugin.summary.groups).to.deep.equal(dynamic.summary.groups);
    expect(plugin.summary.groups.map((g) => `${g.network} ${g.after.daily}`)).to.deep.equal(["exoclick 78"]);
    expect(plugin.violations.map((v) => `${v.rule} ${v.resources.join(",")}`)).to.deep.equal(dynamic.violations.map((v) => `${v.rule} ${v.resources.join(",")}`));
  });

  it("each policy reports its own rule, in the policy's words, on the resource when it is one", () => {
    const f = (rule: "maxDailyBudget" | "maxDailyIncrease" | "protectRunning", config: object) => findings(rule, stack, { resources: state }, limitsOf(rule, config));
    const budget = f("maxDailyBudget", { limit: { "exoclick:USD": 60 } });
    expect(budget.violations).to.deep.equal([{ message: "the running daily budgets on exoclick in USD would total 78.00, over the limit of 60.00: a (30.00), d (25.00), b (15.00), g (8.00) (not known until apply, not counted: f). Lower or pause some, or raise the limit of max-daily-budget" }]);
    expect(budget.pending).to.deep.equal([]);
    const increase = f("maxDailyIncrease", { limit: 100 });
    expect(increase.violations).to.deep.equal([]);
    expect(increase.pending).to.deep.equal([{ message: "max-daily-increase: not known until apply for exoclick USD: the budgets of f depend on other resources; the known change is +25.00 of the 100.00 allowed" }]);
    const protect = f("protectRunning", { allowDelete: ["c"] });
    expect(protect.violations).to.deep.equal([{
      urn: urn("g"),
      message: "g is running (daily budget 8.00 USD) and this change of size would replace it (a new campaign, the old one deleted, history and learning lost). Pause it first, or allow this once: add \"g\" to allowReplace in the policy config of protect-running",
    }]);
    expect(f("protectRunning", { allowReplace: ["g"] }).violations.map((v) => v.message)).to.deep.equal([
      "c is running (daily budget 10.00 USD) and would be deleted (it is no longer in the program). Pause it first and run `pulumi up`, or allow this once: add \"c\" to allowDelete in the policy config of protect-running",
    ]);
  });

  it("without the stack's state: max-daily-increase fails as the provider's does, protect-running says it cannot see replacements and deletes", () => {
    const none: StateBefore = { error: "`pulumi stack export` failed: no stack" };
    expect(findings("maxDailyIncrease", stack, none, limitsOf("maxDailyIncrease", { limit: 100 })).violations.map((v) => v.message)).to.deep.equal([
      "cannot be judged: the stack's current state could not be read (`pulumi stack export` failed: no stack); remove the limit or disable max-daily-increase to go on without it",
    ]);
    const p = findings("protectRunning", stack, none, limitsOf("protectRunning", {}));
    expect(p.violations).to.deep.equal([]);
    expect(p.pending.map((x) => x.message)).to.deep.equal([
      "protect-running: not judged: the stack's current state could not be read (`pulumi stack export` failed: no stack), so replacements and deletes of running resources cannot be seen; the stack config's adnetworks:protectRunning, enforced by the provider itself, still sees them",
    ]);
    // max-daily-budget needs no state.
    expect(findings("maxDailyBudget", stack, none, limitsOf("maxDailyBudget", { limit: 60 })).violations).to.have.length(1);
  });

  it("a resource that does not change keeps outputs the network filled in (Topsort's walletId): not a replacement", () => {
    const TS = "pulumi-nodejs:dynamic/topsort:Campaign";
    const inputs = { vendorId: "v", name: "Listing", adFormat: "listing", budget: { amount: 1500, type: "daily" }, startDate: "2027-03-01T00:00:00Z", endDate: "2027-05-31T23:59:59Z", bids: [{ amount: 2.5, target: { id: "sku-1" } }], isActive: true };
    const outputs = { ...inputs, campaignId: "c-1", walletId: "3fa85f64-5717-4562-b3fc-2c963f66afa6" };
    const before: StateBefore = { resources: [{ urn: urn("t", TS), type: TS, inputs }] };
    const j = judgeStack([{ urn: urn("t", TS), type: TS, props: outputs }], before, { protectRunning: true });
    expect(j.violations).to.deep.equal([]);
    expect(asDeclared(definition("topsort:Campaign")!.fields, inputs, outputs)).not.to.have.property("walletId");
    // A declared wallet that changes is a replacement.
    const declared: StateBefore = { resources: [{ urn: urn("t", TS), type: TS, inputs: { ...inputs, walletId: "3fa85f64-5717-4562-b3fc-2c963f66afa6" } }] };
    const moved = judgeStack([{ urn: urn("t", TS), type: TS, props: { ...outputs, walletId: "11111111-5717-4562-b3fc-2c963f66afa6" } }], declared, { protectRunning: true });
    expect(moved.violations.map((v) => v.message)).to.have.length(1);
    expect(moved.violations[0].message).to.contain("this change of walletId would replace it");
  });

  it("every message the judgement writes reads in policy terms: no stack config key, no `pulumi config set`", () => {
    const open = spendOf(definition("exoclick:Campaign")!, { status: 1, dailyLimitType: 0, pricing: { model: 4, price: 3 } })!;
    const all = [
      ...judgeStack(stack, { resources: state }, limits).violations,
      ...judgeStack(stack, { resources: state }, { maxDailyBudget: 1000, maxDailyIncrease: 1000 }).pending,
      ...judge({ after: [{ name: "open", spend: open }], limits: { maxDailyBudget: 10, maxDailyIncrease: 10 } }).violations,
      ...judge({ after: [{ name: "open", spend: open }], limits: { maxDailyBudget: 10, maxDailyIncrease: 10 } }).pending,
    ].map((x) => x.message);
    expect(all.length).to.be.greaterThan(6);
    for (const m of all) {
      const w = inPolicyWords(m);
      expect(w, m).not.to.match(/adnetworks:|pulumi config set/);
      expect(m.startsWith(`${S.maxDailyBudget.key}: `) || m.startsWith(`${S.maxDailyIncrease.key}: `) || m.startsWith(`${S.protectRunning.key}: `), m).to.equal(true);
    }
  });

  it("a bad limit is refused with the policy's name", () => {
    expect(() => limitsOf("maxDailyBudget", { limit: -1 as any })).to.throw(/^max-daily-budget must be a number of major currency units/);
  });
});

describe("the policy pack's wiring (provider/policy/pack.ts)", () => {
  it("reads a value the policy framework cannot know yet as Pulumi's unknown, however deep", () => {
    const unknownError = () => {
      const e = new Error("number value at .maxDailyBudget can't be known during preview");
      Object.defineProperty(e, "constructor", { value: function UnknownValueError() {} });
      throw e;
    };
    const props = new Proxy({ status: 1, maxDailyBudget: 0, pricing: { price: 3 } }, { get: (t, k) => (k === "maxDailyBudget" ? unknownError() : (t as any)[k]) });
    expect(plain(props)).to.deep.equal({ status: 1, maxDailyBudget: UNKNOWN, pricing: { price: 3 } });
    expect(plain([1, { a: null }])).to.deep.equal([1, { a: null }]);
  });

  it("the stack's currencies come from the stack config the engine hands the pack", () => {
    expect(stackConfigOf({ PULUMI_CONFIG: JSON.stringify({ "adnetworks:currencies": "{\"exoclick\":\"EUR\"}" }) })).to.deep.equal({ "adnetworks:currencies": "{\"exoclick\":\"EUR\"}" });
    expect(stackConfigOf({})).to.deep.equal({});
  });

  it("four policies; a limit policy with no limit is not applicable; the advisory one reports what the others could not judge, once", async () => {
    const { state, stack } = scenario();
    const policies = spendPolicies({ state: Promise.resolve({ resources: state }), stackConfig: {} });
    expect(policies.map((p) => [p.name, p.enforcementLevel])).to.deep.equal([
      [POLICIES.maxDailyBudget, undefined], [POLICIES.maxDailyIncrease, undefined], [POLICIES.protectRunning, undefined], [POLICIES.notKnown, "advisory"],
    ]);
    const run = async (configs: Record<string, object>) => {
      const reported: Record<string, string[]> = {};
      for (const p of policies) {
        const args: any = {
          resources: stack.map((r) => ({ ...r, name: r.urn.split("::").pop() })),
          getConfig: () => configs[p.name] ?? {},
          notApplicable: (reason: string) => {
            throw Object.assign(new Error(reason), { notApplicable: true });
          },
        };
        try {
          await p.validateStack(args, (message: string) => (reported[p.name] ??= []).push(message));
        } catch (e: any) {
          if (!e.notApplicable) throw e;
          (reported[p.name] ??= []).push(`n/a: ${e.message}`);
        }
      }
      return reported;
    };
    const r = await run({ [POLICIES.maxDailyBudget]: { limit: 1000 }, [POLICIES.protectRunning]: { allowReplace: ["g"], allowDelete: ["c"] } });
    expect(r).to.deep.equal({
      [POLICIES.maxDailyIncrease]: ["n/a: no limit configured (set \"limit\" in the policy config of max-daily-increase)"],
      [POLICIES.notKnown]: ["max-daily-budget: not known until apply for exoclick USD: the budgets of f depend on other resources; the known running daily budgets total 78.00 of the 1,000.00 allowed"],
    });
    // Once: a second analysis starts afresh.
    expect((await run({}))[POLICIES.notKnown]).to.equal(undefined);
  });

  it("ships as a directory Pulumi runs: PulumiPolicy.yaml (nodejs), package.json with the package's version, index.js serving the pack", () => {
    const dir = path.join(ROOT, "policy");
    expect(fs.readFileSync(path.join(dir, "PulumiPolicy.yaml"), "utf8")).to.match(/^runtime: nodejs$/m);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    const root = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    expect(pkg.version).to.equal(root.version);
    expect(root.files).to.include("policy");
    expect(root.dependencies).to.have.property("@pulumi/policy");
    expect(fs.readFileSync(path.join(dir, pkg.main), "utf8")).to.contain('require("../dist/provider/policy/pack").serve()');
  });
});
