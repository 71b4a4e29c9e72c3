/**
 * The guardrails without the engine: the program's gate (core/guard/guard.ts)
 * measures, the provider host's check (core/guard/hostGuard.ts) judges with the
 * shared judgement (core/guard/judge.ts). The engine checks resources one at a
 * time in whatever order their registrations arrive: here the checks run
 * in many shuffled orders and must give one verdict.
 */
import { expect } from "chai";
import { gate, resetGate } from "../provider/core/guard/guard";
import { get } from "../provider/registry";
import { definition } from "../provider/registry";
import { currentUrn, setProgressSink } from "../provider/core/config/log";
import { applyStackConfig, resetStackConfig } from "../provider/core/config/config";
import { deletesOfRun, onCheck, resetHostGuard, setRunCommand } from "../provider/core/guard/hostGuard";
import { Checker } from "../provider/core/schema/validate";
import { setStackResources } from "../provider/core/engine/stackState";
import { Plan, PLAN_KEY } from "../provider/core/guard/plan";
import { judge } from "../provider/core/guard/judge";
import { spendOf } from "../provider/core/money/spend";
import { shuffled } from "./support/shuffle";

const TYPE = "pulumi-nodejs:dynamic/exoclick:Campaign";
const urn = (n: string) => `urn:pulumi:dev::p::${TYPE}::${n}`;
// The tests give budgets in cents, as ExoClick sends them; programs write major units (2000 cents -> maxDailyBudget: 20).
const campaign = (name: string, cents: number, status: 0 | 1) => ({ name: `G ${name}`, status, size: "300x250", pricing: { model: 4, price: 3 }, dailyLimitType: 1, maxDailyBudget: cents / 100 });

/** The plans the gate gives resources declared in this order (as one program's synchronous part). */
async function plans(specs: Array<[string, ReturnType<typeof campaign>]>): Promise<Map<string, Plan | undefined>> {
  resetGate();
  const def = definition("exoclick:Campaign")!;
  const gated = specs.map(([name, args]) => [name, gate(def, name, args)] as const);
  const out = new Map<string, Plan | undefined>();
  for (const [name, g] of gated) out.set(name, await g.promise);
  return out;
}

async function check(name: string, olds: Record<string, unknown>, news: Record<string, unknown>, plan: Plan | undefined) {
  const p = get("exoclick:Campaign");
  return currentUrn.run(urn(name), () => p.check(olds, { ...news, [PLAN_KEY]: plan }));
}

/** What the host writes to Pulumi's output (the stack message), collected instead of printed. */
const written: Array<{ message: string; urn?: string }> = [];

describe("guardrails without the engine", () => {
  before(() => setProgressSink((message, urn) => written.push({ message, urn })));
  after(() => setProgressSink((m) => process.stderr.write(`${m}\n`)));

  describe("the same verdict whatever the order of the checks", () => {
    const config = (c: Record<string, string>) => {
      resetStackConfig();
      applyStackConfig(c, Object.keys(c));
    };
    beforeEach(() => {
      resetHostGuard();
      resetGate();
    });
    afterEach(() => {
      resetStackConfig();
      setStackResources(undefined);
      resetHostGuard();
    });

    // The stack now: a and b running at 20.00 a day, d running at 10.00 (removed from the program).
    const state = [
      { urn: urn("a"), type: TYPE, inputs: campaign("a", 2000, 1) },
      { urn: urn("b"), type: TYPE, inputs: campaign("b", 2000, 1) },
      { urn: urn("d"), type: TYPE, inputs: campaign("d", 1000, 1) },
    ];
    const olds = Object.fromEntries(state.map((r) => [r.urn.split("::").pop()!, r.inputs]));

    it("maxDailyIncrease: 200 shuffled check orders of one update give one verdict, reported by the group's first resource at preview, by every resource at update", async () => {
      config({ "adnetworks:maxDailyIncrease": "5" });
      setStackResources(state);
      // a raised to 28.00, b unchanged, c new at 5.00, d removed: 40.00 + 10.00 -> 53.00 (+3.00) is within 5.00; with c at 9.00 it is +7.00.
      for (const [cCents, violated] of [[500, false], [900, true]] as const) {
        const specs: Array<[string, ReturnType<typeof campaign>]> = [["a", campaign("a", 2800, 1)], ["b", campaign("b", 2000, 1)], ["c", campaign("c", cCents, 1)]];
        const p = await plans(specs);
        for (const dryRun of [true, false]) {
          const verdicts = new Set<string>();
          const messages = new Set<string>();
          for (let seed = 1; seed <= 100; seed++) {
            resetHostGuard();
            written.length = 0;
            const failures: string[] = [];
            for (const [name, args] of shuffled(specs, seed)) {
              const r = await check(name, olds[name] ?? {}, args, { ...p.get(name)!, dryRun });
              for (const f of r.failures ?? []) failures.push(`${name}: ${f.reason}`);
            }
            verdicts.add(failures.sort().join("\n"));
            messages.add(written.map((w) => `${w.urn}\n${w.message}`).join("\n--\n"));
          }
          // Within the limit: one message on the stack, the same whatever the order.
          if (!violated) {
            expect([...messages]).to.deep.equal([`urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev\n${[
              "adnetworks spend in this update (`npx adnet-spend` shows the whole before and after):",
              "  a: daily 20.00, bid 3.00, running -> daily 28.00, bid 3.00, running (exoclick USD)",
              "  c: new, daily 5.00, bid 3.00, running (exoclick USD)",
              "  exoclick USD: running daily budgets 50.00 -> 53.00 (+3.00), 3 running",
            ].join("\n")}`]);
          }
          expect([...verdicts], `dryRun ${dryRun}`).to.have.length(1);
          const [verdict] = [...verdicts];
          if (!violated) expect(verdict).to.equal("");
          else if (dryRun) {
            expect(verdict).to.equal("a: adnetworks:maxDailyIncrease: the running daily budgets on exoclick in USD would rise from 50.00 to 57.00 (+7.00) in this update, over the limit of 5.00; running after: a (28.00), b (20.00), c (9.00). Lower the budgets, or raise adnetworks:maxDailyIncrease for this update");
          } else expect(verdict.split("\n").map((l) => l.split(":")[0])).to.deep.equal(["a", "b", "c"]);
        }
      }
    });

    it("protectRunning: a replacement of a running campaign marks the whole run refused at whichever check comes first (so none verifies credentials), and only the replaced one fails, in any order", async () => {
      // a running and b paused, both 300x250 in the stack; the program makes both 728x90 (a replacement each).
      setStackResources([{ urn: urn("a"), type: TYPE, inputs: campaign("a", 2000, 1) }, { urn: urn("b"), type: TYPE, inputs: campaign("b", 2000, 0) }]);
      const olds2: Record<string, Record<string, unknown>> = { a: campaign("a", 2000, 1), b: campaign("b", 2000, 0) };
      const specs: Array<[string, ReturnType<typeof campaign>]> = [["a", { ...campaign("a", 2000, 1), size: "728x90" }], ["b", { ...campaign("b", 2000, 0), size: "728x90" }]];
      const def = definition("exoclick:Campaign") as unknown as Parameters<typeof onCheck>[0];
      const run = async (order: string[], dryRun: boolean, p: Map<string, Plan | undefined>) => {
        resetHostGuard();
        const out: string[] = [];
        for (const name of order) {
          const c = new Checker(name);
          const args = specs.find(([n]) => n === name)![1];
          const refused = currentUrn.run(urn(name), () => onCheck(def, olds2[name], args, c, { ...p.get(name)!, dryRun }, definition));
          out.push(`${name} ${refused ? "refused" : "sends"}${c.failures.length ? ": fails" : ""}`);
        }
        return out.sort().join(", ");
      };
      config({ "adnetworks:protectRunning": "true" });
      // The program's gate reads its settings from the environment here (no Pulumi runtime config in a unit test).
      process.env.ADNETWORKS_PROTECT_RUNNING = "true";
      let p: Map<string, Plan | undefined>;
      try {
        p = await plans(specs);
      } finally {
        delete process.env.ADNETWORKS_PROTECT_RUNNING;
      }
      // Each resource's plan holds the program's known inputs that may replace each campaign (its replaceOnChange fields, defaults included).
      const replacing = p.get("b")!.replacing!;
      expect(Object.keys(replacing)).to.deep.equal(["exoclick:Campaign a", "exoclick:Campaign b"]);
      for (const v of Object.values(replacing)) expect(v).to.deep.include({ size: "728x90" }).and.not.have.property("maxDailyBudget");
      expect(p.get("a")!.replacing).to.deep.equal(replacing);
      for (const dryRun of [true, false]) {
        for (const order of [["a", "b"], ["b", "a"]]) expect(await run(order, dryRun, p), `${order} dryRun ${dryRun}`).to.equal("a refused: fails, b refused");
      }
      // Allowed once: neither is refused (both may verify the credentials), in either order.
      config({ "adnetworks:protectRunning": "true", "adnetworks:allowReplace": JSON.stringify(["a"]) });
      for (const order of [["a", "b"], ["b", "a"]]) expect(await run(order, true, p)).to.equal("a sends, b sends");
      // The same change with a paused: nothing running is replaced.
      config({ "adnetworks:protectRunning": "true" });
      setStackResources([{ urn: urn("a"), type: TYPE, inputs: campaign("a", 2000, 0) }, { urn: urn("b"), type: TYPE, inputs: campaign("b", 2000, 0) }]);
      olds2.a = campaign("a", 2000, 0);
      for (const order of [["a", "b"], ["b", "a"]]) expect(await run(order, true, p)).to.equal("a sends, b sends");
    });

    it("an unchanged program never breaks maxDailyIncrease, in any order", async () => {
      config({ "adnetworks:maxDailyIncrease": "0" });
      setStackResources(state.slice(0, 2));
      const specs: Array<[string, ReturnType<typeof campaign>]> = [["a", campaign("a", 2000, 1)], ["b", campaign("b", 2000, 1)]];
      const p = await plans(specs);
      for (let seed = 1; seed <= 50; seed++) {
        resetHostGuard();
        written.length = 0;
        for (const [name, args] of shuffled(specs, seed)) expect((await check(name, olds[name], args, p.get(name))).failures).to.deep.equal([]);
        // No change to spend: no message on the stack.
        expect(written).to.deep.equal([]);
      }
    });

    it("a budget the program could not know is judged by its own resource, with the program's known figures (the same in any order)", async () => {
      config({ "adnetworks:maxDailyBudget": "30" });
      const def = definition("exoclick:Campaign")!;
      const { UNKNOWN } = require("../provider/core/schema/validate");
      // What the gate sends when c's budget is an Output of another resource: not known to the program.
      const a = gate(def, "a", campaign("a", 2000, 1));
      const c = gate(def, "c", { ...campaign("c", 0, 1), maxDailyBudget: UNKNOWN } as any);
      const [pa, pc] = [await a.promise, await c.promise];
      expect(pc!.known).to.equal(false);
      expect(pc!.groups![0]).to.deep.include({ daily: 20, running: 1, unknown: ["c"], unknownCount: 1 });
      const verdicts = new Set<string>();
      for (const order of [["a", "c"], ["c", "a"]]) {
        resetHostGuard();
        const failures: string[] = [];
        for (const name of order) {
          // At update, c's budget is known to the host: 15.00.
          const args = name === "a" ? campaign("a", 2000, 1) : campaign("c", 1500, 1);
          const r = await check(name, {}, args, name === "a" ? { ...pa!, dryRun: false } : { ...pc!, dryRun: false });
          for (const f of r.failures ?? []) failures.push(`${name}: ${f.reason}`);
        }
        verdicts.add(failures.join("\n"));
      }
      expect([...verdicts]).to.deep.equal(["c: adnetworks:maxDailyBudget: the running daily budgets on exoclick in USD would total 35.00, over the limit of 30.00: a (20.00), c (15.00). Lower or pause some, or raise adnetworks:maxDailyBudget"]);
    });

    it("the judgement is one pure function: before and after lists give totals, violations and what is not known until apply", () => {
      const def = definition("exoclick:Campaign")!;
      const s = (cents: number, status: 0 | 1) => spendOf(def, campaign("x", cents, status))!;
      const { UNKNOWN } = require("../provider/core/schema/validate");
      const j = judge({
        before: [{ name: "a", spend: s(2000, 1) }],
        after: [{ name: "a", spend: s(2000, 1) }, { name: "c", spend: spendOf(def, { ...campaign("c", 0, 1), maxDailyBudget: UNKNOWN })! }],
        limits: { maxDailyBudget: 30, maxDailyIncrease: 5 },
      });
      expect(j.violations).to.deep.equal([]);
      expect(j.pending.map((p) => p.message)).to.deep.equal([
        "adnetworks:maxDailyBudget: not known until apply for exoclick USD: the budgets of c depend on other resources; the known running daily budgets total 20.00 of the 30.00 allowed",
        "adnetworks:maxDailyIncrease: not known until apply for exoclick USD: the budgets of c depend on other resources; the known change is +0.00 of the 5.00 allowed",
      ]);
      // Without a before, maxDailyIncrease cannot be judged, and says so.
      expect(judge({ after: [{ name: "a", spend: s(2000, 1) }], limits: { maxDailyIncrease: 5 } }).pending.map((p) => p.rule)).to.deep.equal(["maxDailyIncrease"]);
    });
  });

  describe("protectRunning is all or nothing: every delete of a run is judged together, before the first write", () => {
    const config = (c: Record<string, string>) => {
      resetStackConfig();
      applyStackConfig(c, Object.keys(c));
    };
    const VAR = "pulumi-nodejs:dynamic/exoclick:Variation";
    const vurn = (n: string) => `urn:pulumi:dev::p::${VAR}::${n}`;
    // a and c running, b paused; each with a variation (deleted first: it depends on its campaign).
    const state = [
      { urn: urn("a"), type: TYPE, inputs: campaign("a", 2000, 1) },
      { urn: urn("b"), type: TYPE, inputs: campaign("b", 2000, 0) },
      { urn: urn("c"), type: TYPE, inputs: campaign("c", 500, 1) },
      ...["a", "b", "c"].map((n) => ({ urn: vurn(`${n}-v`), type: VAR, inputs: { campaignId: "1", libraryUrlId: "2", libraryFileId: "3" }, dependencies: [urn(n)] })),
    ];
    const both = "adnetworks:protectRunning: 2 running resources would be deleted (no longer in the program, or this is `pulumi destroy`): a (daily budget 20.00 USD), c (daily budget 5.00 USD). A guardrail's verdict is all or nothing, so nothing is deleted. Pause them first and run `pulumi up`, or allow this once: pulumi config set adnetworks:allowDelete '[\"a\",\"c\"]'";
    beforeEach(() => {
      resetHostGuard();
      resetGate();
    });
    afterEach(() => {
      resetStackConfig();
      setStackResources(undefined);
      setRunCommand(undefined);
      delete process.env.ADNETWORKS_PROTECT_RUNNING;
      resetHostGuard();
      resetGate();
    });

    /** Every delete of the state in the given order: the refusal of each (or "" when it would go to the network). */
    async function deletes(order: typeof state): Promise<string[]> {
      const out: string[] = [];
      for (const r of order) {
        const key = r.type.split("/")[1];
        try {
          // The guard throws before any request; a delete it lets through would reach no sandbox here, so it is caught as "sent".
          await currentUrn.run(r.urn, () => get(key).delete("1", r.inputs));
          out.push("");
        } catch (e: any) {
          out.push(e?.constructor?.name === "UserError" ? e.message : "");
        }
      }
      return out;
    }

    it("pulumi destroy: the first delete (a variation) already refuses, with the one message naming every running campaign; the same in 30 shuffled orders", async () => {
      config({ "adnetworks:protectRunning": "true" });
      setStackResources(state);
      setRunCommand({ verb: "destroy" });
      for (let seed = 1; seed <= 30; seed++) {
        resetHostGuard();
        expect(await deletes(shuffled(state, seed))).to.deep.equal(state.map(() => both));
      }
      // Allowed: nothing is refused.
      config({ "adnetworks:protectRunning": "true", "adnetworks:allowDelete": '["a","c"]' });
      resetHostGuard();
      expect(await deletes(state)).to.deep.equal(state.map(() => ""));
    });

    it("the set of a run: destroy takes all (or --target and --target-dependents), up what the program no longer declares", () => {
      const names = (rs: any[] | undefined) => rs?.map((r) => r.urn.split("::").pop()).sort();
      expect(names(deletesOfRun(state, { verb: "destroy" }))).to.deep.equal(["a", "a-v", "b", "b-v", "c", "c-v"]);
      expect(names(deletesOfRun(state, { verb: "destroy", targets: [urn("a")] }))).to.deep.equal(["a"]);
      expect(names(deletesOfRun(state, { verb: "destroy", targets: [urn("a")], targetDependents: true }))).to.deep.equal(["a", "a-v"]);
      expect(names(deletesOfRun(state, { verb: "destroy", targets: ["urn:pulumi:dev::p::*::c*"] }))).to.deep.equal(["c", "c-v"]);
      const program = new Set(["exoclick:Campaign a", "exoclick:Campaign b", "exoclick:Variation a-v", "exoclick:Variation b-v"]);
      expect(names(deletesOfRun(state, { verb: "up", program }))).to.deep.equal(["c", "c-v"]);
      expect(deletesOfRun(state, { verb: "refresh" })).to.equal(undefined);
    });

    it("pulumi up: a running campaign the program no longer declares is refused at the check of any resource (at preview by the first), in any order", async () => {
      config({ "adnetworks:protectRunning": "true" });
      // The program's gate reads the stack config of the program (outside a Pulumi run: the environment).
      process.env.ADNETWORKS_PROTECT_RUNNING = "true";
      setStackResources(state.slice(0, 3));
      const specs: Array<[string, ReturnType<typeof campaign>]> = [["a", campaign("a", 2000, 1)], ["b", campaign("b", 2000, 0)]];
      const p = await plans(specs);
      expect(p.get("b")!.names).to.deep.equal(["exoclick:Campaign a", "exoclick:Campaign b"]);
      const one = "adnetworks:protectRunning: c is running (daily budget 5.00 USD) and would be deleted (it is no longer in the program, or this is `pulumi destroy`). A guardrail's verdict is all or nothing, so nothing is deleted. Pause it first and run `pulumi up`, or allow this once: pulumi config set adnetworks:allowDelete '[\"c\"]'";
      for (const dryRun of [true, false]) {
        for (let seed = 1; seed <= 10; seed++) {
          resetHostGuard();
          const failures: string[] = [];
          for (const [name, args] of shuffled(specs, seed)) {
            const r = await check(name, campaign(name, 2000, name === "a" ? 1 : 0), args, { ...p.get(name)!, dryRun });
            for (const f of r.failures ?? []) failures.push(`${name}: ${f.reason}`);
          }
          expect(failures.sort()).to.deep.equal(dryRun ? [`a: ${one}`] : [`a: ${one}`, `b: ${one}`]);
        }
      }
    });
  });

  describe("what only the whole program shows, found by the gate with 0 requests", () => {
    beforeEach(() => resetGate());
    afterEach(() => {
      delete process.env.ADNETWORKS_ALLOW_DUPLICATES;
      resetGate();
    });

    it("two campaigns with the same name (ignoring case and surrounding spaces) both carry the problem, naming both; allowDuplicates lets them be", async () => {
      const def = definition("exoclick:Campaign")!;
      const declare = () => [
        gate(def, "summer-1", { ...campaign("x", 100, 0), name: "Summer Sale" }),
        gate(def, "summer-2", { ...campaign("y", 100, 0), name: "  summer sale " }),
        gate(def, "winter", { ...campaign("z", 100, 0), name: "Winter Sale" }),
      ];
      const [a, b, c] = declare();
      const [pa, pb, pc] = [await a.promise, await b.promise, await c.promise];
      expect(pa!.problems).to.have.length(1);
      expect(pa!.problems![0]).to.equal(pb!.problems![0]);
      expect(pa!.problems![0]).to.contain("exoclick.Campaign 'summer-1' and 'summer-2' have the same natural key, name \"Summer Sale\" (compared ignoring case and surrounding spaces)")
        .and.contain(`pulumi config set adnetworks:allowDuplicates '["summer-1","summer-2"]'`);
      expect(pc!.problems).to.equal(undefined);
      // The host's check reports it (the plan travels in the props), before any request.
      const r = await get("exoclick:Campaign").check({}, { ...campaign("x", 100, 0), name: "Summer Sale", [PLAN_KEY]: pa });
      expect((r.failures ?? []).map((f: any) => f.reason)).to.deep.equal(pa!.problems);
      // Where the network truly allows it: listed in adnetworks:allowDuplicates (stack config, or its environment variable).
      resetGate();
      process.env.ADNETWORKS_ALLOW_DUPLICATES = '["summer-1","summer-2"]';
      const again = declare();
      for (const g of again) expect((await g.promise)?.problems, JSON.stringify(await g.promise)).to.equal(undefined);
    });

    it("natural keys are compared within one account: the same Integr8 postback in two organizations is no duplicate", async () => {
      const def = definition("integr8:Postback")!;
      const pb = { name: "Conversions", integration: "6501c0ffee00000000000001", serviceType: "conversion", url: "https://tracker.example/pb?tx={tx}" };
      const [a, b, c] = [gate(def, "org-a", { ...pb, organizationId: "org-a" }), gate(def, "org-b", { ...pb, organizationId: "org-b" }), gate(def, "org-b-again", { ...pb, organizationId: "org-b" })];
      expect((await a.promise)?.problems).to.equal(undefined);
      expect((await b.promise)?.problems?.[0]).to.contain("integr8.Postback 'org-b' and 'org-b-again' have the same natural key");
      expect((await c.promise)?.problems).to.deep.equal((await b.promise)?.problems);
    });
  });
});
