import { expect } from "chai";
import { typeKeyOf } from "../provider/core/engine/typeKey";
import { deletesOfRun, entriesOfState, keyOfState } from "../provider/core/guard/hostGuard";
import { keyOf, unsettled } from "../provider/core/engine/journal";
import { judgeStack, limitsOf } from "../provider/policy/rules";
import * as registry from "../provider/registry";

const DYNAMIC = "pulumi-nodejs:dynamic/exoclick:Campaign";
const PLUGIN = "adnetworks:exoclick:Campaign";
const inputs = { name: "A", status: 1, size: "300x250", pricing: { model: 4, price: 3 }, dailyLimitType: 1, maxDailyBudget: 20 };
const res = (type: string, name: string, extra: object = {}) => ({ urn: `urn:pulumi:dev::p::${type}::${name}`, type, id: name === "a" ? "1" : "2", inputs, ...extra });

/** A stack on the provider plugin reads as one on the dynamic resources wherever state, steps or a policy's view is read. */
describe("state of the plugin's types (adnetworks:<network>:<Type>) read as the dynamic resources'", () => {
  it("typeKeyOf: both tokens give the registry's key; any other token none", () => {
    expect(typeKeyOf(DYNAMIC)).to.equal("exoclick:Campaign");
    expect(typeKeyOf(PLUGIN)).to.equal("exoclick:Campaign");
    expect(keyOf(PLUGIN)).to.equal("exoclick:Campaign");
    for (const other of ["pulumi:providers:adnetworks", "aws:s3/bucket:Bucket", "adnetworks:exoclick:Campaign:x", "pulumi-nodejs:dynamic/x", undefined]) expect(typeKeyOf(other), String(other)).to.equal(undefined);
  });

  it("the guardrails' before and protectRunning's deletes: the same entries and the same delete set for either token", () => {
    const of = (type: string) => entriesOfState([res(type, "a"), res(type, "b", { delete: true })] as any, undefined, registry.definition).map((e) => ({ ...e, urn: e.urn!.replace(type, "T") }));
    expect(of(PLUGIN)).to.deep.equal(of(DYNAMIC));
    expect(of(PLUGIN).map((e) => [e.name, e.spend.daily, e.spend.running])).to.deep.equal([["a", 20, true], ["b", 20, true]]);
    expect(keyOfState(res(PLUGIN, "a") as any)).to.equal("exoclick:Campaign a");
    const names = (type: string) => deletesOfRun([res(type, "a"), res(type, "b")] as any, { verb: "up", program: new Set(["exoclick:Campaign a"]) })!.map((r) => r.urn.split("::").pop());
    expect(names(PLUGIN)).to.deep.equal(["b"]);
    expect(names(DYNAMIC)).to.deep.equal(["b"]);
  });

  it("the journal: an object of a plugin run whose id the state holds under the plugin's token is settled, not an orphan", () => {
    const run = { run: "r1", entries: [{ op: "create" as const, urn: `urn:pulumi:dev::p::${PLUGIN}::a`, type: PLUGIN }, { op: "created" as const, urn: `urn:pulumi:dev::p::${PLUGIN}::a`, type: PLUGIN, id: "1" }] };
    const u = unsettled([run], new Map([[PLUGIN, new Set(["1"])]]));
    expect([...u.orphans.keys()]).to.deep.equal([]);
    expect(u.settled).to.deep.equal(["r1"]);
  });

  it("the policy pack judges the plugin's resources as the dynamic ones", () => {
    const limits = limitsOf("maxDailyBudget", { limit: 30 });
    const view = (type: string) => [res(type, "a"), res(type, "b")].map((r) => ({ urn: r.urn, type: r.type, props: r.inputs }));
    const messages = (type: string) => judgeStack(view(type), { resources: [] }, limits).violations.map((v) => v.message);
    expect(messages(PLUGIN)).to.have.length(1);
    expect(messages(PLUGIN)).to.deep.equal(messages(DYNAMIC));
  });
});
