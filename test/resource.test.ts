import { expect } from "chai";
import { defineResource, deepEqual } from "../provider/core/resource";
import { newestUnowned } from "../provider/core/recover";
import { UNKNOWN } from "../provider/core/validate";
import { ApiError } from "../provider/core/errors";

const notFound = () => new ApiError({ network: "T", status: 404, method: "GET", url: "http://x/1", message: "not found" });

const spec = defineResource({
  module: "t",
  type: "Thing",
  inputs: ["name", "kind", "budget", "note"],
  replaceOn: ["kind", "budget.currency"],
  optionalServerDefaults: ["note"],
  check: (n, c) => {
    c.string("name", n.name, { required: true });
    return { ...n, kind: n.kind ?? "a" };
  },
  create: async () => ({ id: "1", outs: { extra: undefined, created: "now" } }),
  read: async (id) => {
    if (id === "gone") throw notFound();
    return { name: "n", kind: "a", budget: { total: 1, currency: "USD" } };
  },
  update: async () => ({}),
  delete: async () => {
    throw notFound();
  },
});

describe("resource contract (defineResource)", () => {
  const olds = { name: "n", kind: "a", budget: { total: 1, currency: "USD" }, note: "server default" };

  it("check names unknown fields and applies defaults", async () => {
    const r = await spec.check({}, { name: "n", colour: "red" });
    expect(r.failures).to.deep.equal([{ property: "colour", reason: "unknown field colour; allowed fields are name, kind, budget, note" }]);
    expect(r.inputs).to.include({ kind: "a" });
  });

  it("diff: in place, replace on a top-level or a nested path, unset server defaults ignored", async () => {
    expect(await spec.diff("1", olds, { ...olds, note: undefined })).to.include({ changes: false });
    expect((await spec.diff("1", olds, { ...olds, name: "m" })).replaces).to.deep.equal([]);
    expect((await spec.diff("1", olds, { ...olds, kind: "b" })).replaces).to.deep.equal(["kind"]);
    expect((await spec.diff("1", olds, { ...olds, budget: { total: 2, currency: "USD" } })).replaces).to.deep.equal([]);
    expect((await spec.diff("1", olds, { ...olds, budget: { total: 1, currency: "EUR" } })).replaces).to.deep.equal(["budget"]);
    expect((await spec.diff("1", olds, { ...olds, budget: { total: 1, currency: UNKNOWN } })).replaces).to.deep.equal(["budget"]);
    expect((await spec.diff("1", olds, { ...olds, budget: UNKNOWN })).replaces).to.deep.equal(["budget"]);
  });

  it("create drops undefined values (protobuf cannot carry them) and keeps inputs in outputs", async () => {
    const r = await spec.create({ name: "n", __provider: "x" });
    expect(r.outs).to.deep.equal({ name: "n", created: "now" });
  });

  it("read of a 404 returns an empty id (gone); delete of a 404 succeeds", async () => {
    expect((await spec.read("gone", {})).id).to.equal("");
    await spec.delete("1", {});
    const r = await spec.read("1", {});
    expect(r.inputs).to.deep.equal({ name: "n", kind: "a", budget: { total: 1, currency: "USD" } });
  });

  it("deepEqual treats missing, undefined and null alike; newestUnowned skips owned ids", () => {
    expect(deepEqual({ a: 1, b: undefined }, { a: 1, b: null })).to.equal(true);
    expect(deepEqual([1, 2], [2, 1])).to.equal(false);
    expect(newestUnowned([{ id: 3 }, { id: 10 }, { id: 7 }], (x) => String(x.id), new Set(["10"]))).to.equal("7");
    expect(newestUnowned([{ id: "a" }, { id: "b" }], (x) => x.id, new Set())).to.equal("b");
  });
});
