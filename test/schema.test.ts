import { expect } from "chai";
import { providerOf, ResourceDef } from "../provider/core/schema/define";
import { defineNetwork } from "../provider/core/config/network";
import { f, alignRead, deepEqual, docTable, fromWire, sameValue, toWire } from "../provider/core/schema/schema";
import { newestUnowned } from "../provider/core/http/recover";
import { UNKNOWN } from "../provider/core/schema/validate";
import { ApiError } from "../provider/core/http/errors";
import { isAbout } from "./support/check";

const notFound = () => new ApiError({ network: "T", status: 404, method: "GET", url: "http://x/1", message: "not found" });

const fields = {
  name: f.string({ required: true, min: 1, doc: "Name." }),
  kind: f.enum(["a", "b"], { default: "a", replaceOnChange: true, doc: "Kind." }),
  budget: f.object({
    total: f.number({ required: true, min: 0, wire: "total_amount", doc: "Total." }),
    currency: f.string({ required: true, replaceOnChange: true, doc: "Currency." }),
  }, { doc: "Budget." }),
  note: f.string({ serverDefault: true, wire: "the_note", doc: "Note." }),
  tags: f.list(f.string({ doc: "A tag." }), { max: 3, unique: (t) => String(t).toLowerCase(), doc: "Tags." }),
  created: f.string({ output: true, doc: "When." }),
};

const def: ResourceDef<typeof fields> = {
  key: "t:Thing",
  doc: "A thing.",
  importId: "its id",
  fields,
  check(_ctx, n, c) {
    if (n.kind === "b" && !n.budget) c.fail("budget", "budget is required when kind is \"b\"");
  },
  create: async () => ({ id: "1", outs: { created: "now" } }),
  read: async (_ctx, id) => {
    if (id === "gone") throw notFound();
    return { name: "n", kind: "a", budget: { total: 1, currency: "USD" }, note: "server's", created: "then" };
  },
  update: async () => undefined,
  delete: async () => {
    throw notFound();
  },
};
const p = providerOf(def, defineNetwork({ name: "t", title: "T", settings: {}, required: [], client: () => ({}), resources: { Thing: def } }), () => undefined);

describe("schema-driven resource contract (core/schema/schema.ts, core/schema/define.ts)", () => {
  const olds = { name: "n", kind: "a", budget: { total: 1, currency: "USD" }, created: "then" };

  it("check: unknown fields, required, whitespace, list caps and duplicates, cross-field rules, defaults", async () => {
    const r = await p.check({}, { name: "  ", colour: "red", tags: ["x", "X"], kind: "b" });
    const f = r.failures!;
    expect(f.find((x) => isAbout(x, "colour"))!.reason).to.match(/unknown field colour; allowed fields are name, kind, budget, note, tags/);
    expect(f.find((x) => isAbout(x, "name"))!.reason).to.match(/empty or only spaces/);
    expect(f.find((x) => isAbout(x, "tags[1]"))!.reason).to.match(/repeats tags\[0\]/);
    expect(f.find((x) => isAbout(x, "budget"))!.reason).to.match(/required when kind is "b"/);
    expect((await p.check({}, { name: "n", tags: ["1", "2", "3", "4"] })).failures![0].reason).to.match(/at most 3 items, got 4/);
    const ok = await p.check({}, { name: "n" });
    expect(ok.failures).to.deep.equal([]);
    expect(ok.inputs).to.deep.equal({ name: "n", kind: "a" });
  });

  it("check: nested failures carry their path in the reason and no property (Pulumi would print value {<nil>})", async () => {
    const r = await p.check({}, { name: "n", budget: { total: -1, currency: "USD" } });
    expect(r.failures).to.deep.equal([{ property: "", reason: "budget.total must be >= 0, got -1" }]);
  });

  it("check: unknown values at preview pass and stay unknown", async () => {
    const r = await p.check({}, { name: UNKNOWN, budget: UNKNOWN });
    expect(r.failures).to.deep.equal([]);
    expect(r.inputs).to.include({ name: UNKNOWN, budget: UNKNOWN });
  });

  it("diff: in place, replace on a field or a nested field, defaults and undeclared server defaults are no change", async () => {
    expect(await p.diff("1", { ...olds, note: "server's" }, { name: "n", budget: { total: 1, currency: "USD" } })).to.include({ changes: false });
    expect((await p.diff("1", olds, { ...olds, name: "m" })).replaces).to.deep.equal([]);
    expect((await p.diff("1", olds, { ...olds, kind: "b" })).replaces).to.deep.equal(["kind"]);
    expect((await p.diff("1", olds, { ...olds, budget: { total: 2, currency: "USD" } })).replaces).to.deep.equal([]);
    expect((await p.diff("1", olds, { ...olds, budget: { total: 1, currency: "EUR" } })).replaces).to.deep.equal(["budget"]);
    expect((await p.diff("1", olds, { ...olds, budget: { total: 1, currency: UNKNOWN } })).replaces).to.deep.equal(["budget"]);
    expect((await p.diff("1", olds, { ...olds, budget: UNKNOWN })).replaces).to.deep.equal(["budget"]);
  });

  it("create keeps inputs and outputs, without undefined values", async () => {
    const r = await p.create({ name: "n", tags: undefined, __provider: "x" });
    expect(r.outs).to.deep.equal({ name: "n", created: "now" });
  });

  it("read: a 404 is gone; an undeclared server default is not drift; import reads everything", async () => {
    expect((await p.read("gone", olds)).id).to.equal("");
    await p.delete("1", {});
    const refreshed = await p.read("1", olds);
    expect(refreshed.inputs).to.deep.equal({ name: "n", kind: "a", budget: { total: 1, currency: "USD" } });
    expect(refreshed.props).to.include({ created: "then" });
    const imported = await p.read("1", {});
    expect(imported.inputs).to.include({ note: "server's" });
  });

  it("lost writes are visible: a declared server-defaulted value the network returns absent is drift; declaring one where state has none is a change", async () => {
    // The network dropped the note the program declared: refresh reports the object without it, and the program differs.
    const lost = alignRead(fields, { name: "n", kind: "a" }, { name: "n", kind: "a", note: "mine" });
    expect(lost).to.deep.equal({ name: "n", kind: "a" });
    expect((await p.diff("1", { ...olds, ...lost }, { name: "n", note: "mine" })).changes).to.equal(true);
    // Not declared: whatever the network chose is its own (no drift, no change).
    expect(alignRead(fields, { name: "n", kind: "a", note: "server's" }, { name: "n", kind: "a" })).to.deep.equal({ name: "n", kind: "a" });
    expect((await p.diff("1", { ...olds, note: "server's" }, { name: "n", budget: { total: 1, currency: "USD" } })).changes).to.equal(false);
    // Declared later, where the state holds none (it was the network's): sent as a change, not skipped.
    expect((await p.diff("1", olds, { name: "n", budget: { total: 1, currency: "USD" }, note: "now declared" })).changes).to.equal(true);
    // Nested too.
    const nested = { o: f.object({ v: f.integer({ serverDefault: true, doc: "V." }) }, { doc: "O." }) };
    expect(alignRead(nested, { o: {} }, { o: { v: 3 } })).to.deep.equal({ o: {} });
    expect(alignRead(nested, { o: { v: 4 } }, { o: {} })).to.deep.equal({ o: {} });
  });

  it("an undeclared object holding only the network's defaults is no drift and no change; one with a real value is both (issue #20)", () => {
    const group = {
      name: f.string({ doc: "N." }),
      ips: f.object({
        deny: f.list(f.string({ doc: "IP." }), { max: 5, doc: "Denied." }),
        ipv6Deny: f.boolean({ serverDefault: true, doc: "Flag." }),
      }, { doc: "IPs." }),
    };
    // Refresh: the network fills in its default flag under an object the program left out: not reported.
    expect(alignRead(group, { name: "g", ips: { ipv6Deny: false } }, { name: "g" })).to.deep.equal({ name: "g" });
    // A real value there (a dashboard edit) is reported.
    expect(alignRead(group, { name: "g", ips: { deny: ["10.0.0.1"], ipv6Deny: false } }, { name: "g" })).to.deep.equal({ name: "g", ips: { deny: ["10.0.0.1"] } });
    // Import reads the defaults; the program that leaves the object out is the same; one with a real value is not.
    expect(sameValue(group.ips, { ipv6Deny: false }, undefined, "b")).to.equal(true);
    expect(sameValue(group.ips, undefined, { ipv6Deny: false }, "a")).to.equal(true);
    expect(sameValue(group.ips, { deny: ["10.0.0.1"] }, undefined, "b")).to.equal(false);
    // Declared with a value the network lost: still drift.
    expect(sameValue(group.ips, { ipv6Deny: true }, undefined, "a")).to.equal(false);
  });

  it("wire names map both ways, nested too; alignRead keeps the prior spelling of the same value", () => {
    const wire = toWire(fields, { name: "n", budget: { total: 5, currency: "USD" }, note: "x" });
    expect(wire).to.deep.equal({ name: "n", budget: { total_amount: 5, currency: "USD" }, the_note: "x" });
    expect(fromWire(fields, { ...wire, budget: { total_amount: "5", currency: "USD" } })).to.deep.include({ budget: { total: 5, currency: "USD" } });
    const withEqual = { at: f.string({ doc: "Instant.", equal: (a, b) => Date.parse(String(a)) === Date.parse(String(b)) }) };
    expect(alignRead(withEqual, { at: "2027-01-01T00:00:00.000Z" }, { at: "2027-01-01T00:00:00Z" })).to.deep.equal({ at: "2027-01-01T00:00:00Z" });
  });

  it("docs rows come from the fields: nested paths, wire names, rules", () => {
    const t = docTable(fields);
    expect(t).to.contain("| `budget.total` | number | — | required | `total_amount` | >= 0 |");
    expect(t).to.contain("| `kind` | \"a\" \\| \"b\" | — | optional, replaces | `kind` | default \"a\" |");
  });

  it("deepEqual treats missing, undefined and null alike; newestUnowned skips owned ids", () => {
    expect(deepEqual({ a: 1, b: undefined }, { a: 1, b: null })).to.equal(true);
    expect(deepEqual([1, 2], [2, 1])).to.equal(false);
    expect(newestUnowned([{ id: 3 }, { id: 10 }, { id: 7 }], (x) => String(x.id), new Set(["10"]))).to.equal("7");
    expect(newestUnowned([{ id: "a" }, { id: "b" }], (x) => x.id, new Set())).to.equal("b");
  });
});
