/**
 * The conformance suite: every registered resource type, driven by its row
 * in test/conformance/tables.ts, against the sandbox through the provider
 * the Pulumi host serves. A type passes when:
 *  - every declared input comes back in the raw read (no lost write),
 *  - no drift after create (read right after create equals the inputs),
 *  - no drift after refresh (read with the state, diffed with the program),
 *  - import round-trips (read with only the id shows no diff),
 *  - an in-place change updates in place and reads back,
 *  - a replacing change is reported as a replace,
 *  - an out-of-band edit shows as drift,
 *  - a deleted object leaves state (read gives no id) and delete is idempotent,
 *  - a lost create response is recovered: one object, not two.
 */
import { expect } from "chai";
import { useSandbox } from "./support/sandbox";
import { NETWORKS } from "../provider/networks";
import * as registry from "../provider/registry";
import { ROWS, Ctx } from "./conformance/tables";
import { sandboxConfig } from "../provider/sandbox/config";
import { Fields, inputNames, sameValue } from "../provider/core/schema/schema";
import * as sinon from "sinon";

type Props = Record<string, any>;

const allConfig = (url: (n: string) => string) =>
  Object.fromEntries(NETWORKS.flatMap((n) => Object.entries(sandboxConfig(n.name, url(n.name))).map(([k, v]) => [k, v.value])));

describe("conformance: every resource type", () => {
  const ctx = useSandbox((sb) => allConfig((n) => sb.urlFor(n)));
  const p = (key: string) => registry.get(key);

  async function checked(key: string, news: Props, olds: Props = {}): Promise<Props> {
    const r = await p(key).check(olds, news);
    expect(r.failures ?? [], `${key} check`).to.deep.equal([]);
    return r.inputs!;
  }
  const c: Ctx = {
    provider: p,
    make: async (key, inputs) => {
      const r = await p(key).create(await checked(key, inputs));
      return { id: r.id, outs: r.outs ?? {} };
    },
  };
  const inventorySize = () => Object.values(ctx.sb.inventory()).reduce((n: number, net: any) => n + Object.values(net).reduce((m: number, list: any) => m + list.length, 0), 0);

  it("has a row for every registered type", () => {
    expect(ROWS.map((r) => r.key).sort()).to.deep.equal(registry.types().sort());
  });

  for (const row of ROWS) {
    describe(row.key, () => {
      const key = row.key;

      it("no drift after create, after refresh, and on import", async () => {
        const inputs = await checked(key, await row.inputs(c));
        const made = await p(key).create(inputs);
        const state = made.outs!;
        // The raw read (what the resource's read returns, before alignment with the state) holds every declared input:
        // an emulator (or a network) that drops a field the program set fails here.
        const def = registry.definition(key)! as unknown as { fields: Fields; read(...a: unknown[]): Promise<Props | undefined> };
        const rawRead = sinon.spy(def, "read");
        let refreshed: { id?: string; props?: Props; inputs?: Props };
        try {
          refreshed = await p(key).read!(made.id, state);
        } finally {
          rawRead.restore();
        }
        const raw = (await rawRead.firstCall.returnValue) as Props;
        const lost = inputNames(def.fields).filter((k) => inputs[k] !== undefined && !sameValue(def.fields[k], inputs[k], raw?.[k], "a"));
        expect(lost, `declared inputs missing or different in the raw read: ${JSON.stringify(Object.fromEntries(lost.map((k) => [k, { declared: inputs[k], read: raw?.[k] }])))}`).to.deep.equal([]);
        expect(refreshed.id, "read finds it").to.equal(made.id);
        const afterCreate = await p(key).diff!(made.id, state, inputs);
        expect(afterCreate.changes, `diff right after create: ${JSON.stringify(afterCreate)}`).to.equal(false);
        const afterRefresh = await p(key).diff!(made.id, refreshed.props!, await checked(key, await row.inputs(c).then(() => inputs), refreshed.props));
        expect(afterRefresh.changes, `diff after refresh: ${JSON.stringify(afterRefresh)}; refreshed ${JSON.stringify(refreshed.inputs)}`).to.equal(false);
        const imported = await p(key).read!(made.id, {});
        expect(imported.id, "import finds it by id").to.equal(made.id);
        const afterImport = await p(key).diff!(made.id, imported.props!, inputs);
        expect(afterImport.changes, `diff after import: ${JSON.stringify(afterImport)}; imported ${JSON.stringify(imported.inputs)}`).to.equal(false);
      });

      it("an in-place change updates in place and reads back; an out-of-band edit shows as drift", async () => {
        const inputs = await checked(key, await row.inputs(c));
        const made = await p(key).create(inputs);
        if (!Object.keys(row.update).length) return;
        const news = await checked(key, { ...inputs, ...row.update }, made.outs);
        const d = await p(key).diff!(made.id, made.outs!, news);
        expect(d.changes).to.equal(true);
        expect(d.replaces ?? []).to.deep.equal([]);
        const updated = await p(key).update!(made.id, made.outs!, news);
        // The object changed behind the back of the old state: that is drift.
        const drift = await p(key).read!(made.id, made.outs!);
        const seen = await p(key).diff!(made.id, drift.props!, inputs);
        expect(seen.changes, "a changed object differs from the old program").to.equal(true);
        const back = await p(key).diff!(made.id, drift.props!, news);
        expect(back.changes, `reads back as the new inputs: ${JSON.stringify(back)}`).to.equal(false);
        expect(updated.outs).to.be.an("object");
      });

      if (row.replace) {
        it("a replacing change is reported as a replace", async () => {
          const inputs = await checked(key, await row.inputs(c));
          const made = await p(key).create(inputs);
          const news = await checked(key, { ...inputs, ...row.replace }, made.outs);
          const d = await p(key).diff!(made.id, made.outs!, news);
          expect(d.changes).to.equal(true);
          expect(d.replaces ?? [], JSON.stringify(d)).to.have.length.greaterThan(0);
        });
      }

      it("a deleted object leaves state on refresh; delete is idempotent", async () => {
        const inputs = await checked(key, await row.inputs(c));
        const made = await p(key).create(inputs);
        await p(key).delete!(made.id, made.outs!);
        const gone = await p(key).read!(made.id, made.outs!);
        expect(gone.id, "read of a deleted object").to.equal("");
        await p(key).delete!(made.id, made.outs!);
      });

      it("a lost create response is recovered: one object, not two", async () => {
        const inputs = await checked(key, await row.inputs(c));
        const before = inventorySize();
        const start = ctx.sb.journal.length;
        ctx.sb.faults.configure({ rate: 1, kinds: ["lost"], routes: [row.createRoute] });
        let lost: { id: string; outs?: Props };
        try {
          lost = await p(key).create(inputs);
        } finally {
          ctx.sb.faults.configure(undefined);
        }
        expect(ctx.sb.journal.slice(start).some((e) => e.fault === "lost"), "a response was lost").to.equal(true);
        const withFault = inventorySize() - before;
        expect((await p(key).read!(lost.id, lost.outs!)).id, "the recovered id is the object").to.equal(lost.id);
        // The same create without a fault makes as many objects.
        await p(key).delete!(lost.id, lost.outs!);
        const afterDelete = inventorySize();
        await p(key).create(inputs);
        expect(withFault, "objects made by a create whose response was lost").to.equal(inventorySize() - afterDelete);
        expect(withFault).to.be.greaterThan(0);
      });
    });
  }
});
