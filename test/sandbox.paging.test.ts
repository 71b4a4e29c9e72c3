/**
 * Issue #35: every sandbox list pages in work proportional to the page, so
 * that a benchmark of a large account measures the engine, not the
 * emulator. Each list is filled with 1,000 and then 10,000 objects and one
 * page is asked for; the emulator's own counter (`listWork`: items shaped
 * into the answer, related objects read to shape them) must be the page's
 * size, whatever the account's size, and the ExoClick campaign list reads
 * the variations once per page, not once per campaign (it read all of them
 * for every campaign of the account before: 10,000 x 10,000 per page).
 */
import { expect } from "chai";
import { useSandbox } from "./support/sandbox";
import { sandboxConfig } from "../provider/sandbox/config";
import { NETWORKS } from "../provider/networks";
import { contextFor } from "../provider/core/config/context";
import { network as exoclickNetwork } from "../provider/exoclick/network";
import { clearTokenCache } from "../provider/exoclick/client";
import type { EmulatorBase } from "../provider/sandbox/emulator";
import { LIST_CASES } from "./support/listcases";

type Obj = Record<string, any>;

describe("sandbox lists page in work proportional to the page (issue #35)", function () {
  this.timeout(60_000);
  const ctx = useSandbox((sb) =>
    Object.fromEntries(NETWORKS.flatMap((n) => Object.entries(sandboxConfig(n.name, sb.urlFor(n.name))).map(([k, v]) => [k, v.value]))));
  beforeEach(() => clearTokenCache());
  const emulator = (name: string) => ctx.sb.network<EmulatorBase<Obj> & { data: Obj }>(name);

  /** Work of one list request: items built and related objects read. */
  async function workOf(name: string, call: () => Promise<unknown>): Promise<{ built: number; scanned: number; body: any }> {
    const w = emulator(name).listWork;
    const [built, scanned] = [w.built, w.scanned];
    const body = await call();
    return { built: w.built - built, scanned: w.scanned - scanned, body };
  }

  const cases = LIST_CASES;

  for (const c of cases) {
    const what = `${c.network} ${c.page(100, 100).path}`;
    it(`${what}: a page of 100 at 10,000 objects builds 100 items, as at 1,000`, async () => {
      const size = 100;
      const work: Array<{ built: number; scanned: number; last: Obj }> = [];
      for (const n of [1_000, 10_000]) {
        ctx.sb.reset();
        c.fill(emulator(c.network).data, n);
        const { built, scanned, body } = await workOf(c.network, () => c.client().request(c.page(n, size)));
        const items = c.items(body);
        expect(items, what).to.have.length(size);
        work.push({ built, scanned, last: items[size - 1] });
      }
      expect(work[1].built, `${what}: items built at 10,000`).to.equal(work[0].built);
      expect(work[1].built).to.equal(size);
      // Related objects are read once per page (the variations, for their count), never per item.
      expect(work[1].scanned, `${what}: related objects read at 10,000`).to.be.at.most(10_000);
      expect(JSON.stringify(work[1].last)).to.match(/10000/);
    });
  }

  it("the ExoClick campaign list still counts each campaign's variations", async () => {
    const d = emulator("exoclick").data;
    for (let i = 1; i <= 300; i++) d.campaigns[i] = { id: i, name: `c${i}`, status: 0 };
    for (let v = 1; v <= 30; v++) d.variations[1000 + v] = { idvariation: 1000 + v, idcampaign: 1 + (v % 3) * 100, idvariations_url: 1, idvariations_file: 1 };
    const { scanned, body } = await workOf("exoclick", () => contextFor(exoclickNetwork).client.request({ method: "GET", path: "/campaigns", query: { limit: 150, offset: 50 } }));
    const counts = Object.fromEntries((body as any).result.map((c: Obj) => [c.id, c.variations_counts]));
    expect(counts[101]).to.equal(10);
    expect(counts[51]).to.equal(0);
    expect(counts[1]).to.equal(undefined);
    expect(scanned).to.equal(30);
  });
});
