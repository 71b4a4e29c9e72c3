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
import { network as topsortNetwork } from "../provider/topsort/network";
import { network as interchangeNetwork } from "../provider/interchange/network";
import { network as affiseNetwork } from "../provider/affise/network";
import { network as integr8Network } from "../provider/integr8/network";
import { clearTokenCache } from "../provider/exoclick/client";
import { INTEGR8_SANDBOX } from "../provider/sandbox/integr8";
import type { EmulatorBase } from "../provider/sandbox/emulator";
import type { RequestSpec } from "../provider/core/http/http";

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

  interface Case {
    network: string;
    /** Puts n objects (and what they relate to) in the emulator's data. */
    fill(data: Obj, n: number): void;
    /** One page of `size` at the end of the list. */
    page(n: number, size: number): RequestSpec;
    client(): { request<T>(spec: RequestSpec): Promise<T> };
    /** The page's items in the answer. */
    items(body: any): Obj[];
  }
  const ORG = INTEGR8_SANDBOX.organizationId;
  const cases: Case[] = [
    {
      network: "exoclick",
      fill: (d, n) => {
        for (let i = 1; i <= n; i++) {
          d.campaigns[i] = { id: i, name: `c${i}`, status: 0 };
          d.variations[100_000 + i] = { idvariation: 100_000 + i, idcampaign: i, idvariations_url: 1, idvariations_file: 1, active: 1 };
        }
      },
      page: (n, size) => ({ method: "GET", path: "/campaigns", query: { limit: size, offset: n - size } }),
      client: () => contextFor(exoclickNetwork).client,
      items: (b) => b.result,
    },
    {
      network: "exoclick",
      fill: (d, n) => {
        for (let i = 1; i <= n; i++) d.files[i] = { id: i, type: "image", url_path: `/static/library/${i}.png` };
      },
      page: (n, size) => ({ method: "GET", path: "/library/file", query: { type: "image", limit: size, offset: n - size } }),
      client: () => contextFor(exoclickNetwork).client,
      items: (b) => b.result,
    },
    {
      network: "topsort",
      fill: (d, n) => {
        for (let i = 1; i <= n; i++) d.campaigns[`c-${i}`] = { campaignId: `c-${i}`, vendorId: "v1", name: `c${i}`, _seq: i };
      },
      page: (n, size) => ({ method: "GET", path: "/public/v1/campaign-service/campaigns", query: { vendor_id: "v1", limit: size, offset: n - size } }),
      client: () => contextFor(topsortNetwork).client,
      items: (b) => b.campaigns,
    },
    {
      network: "interchange",
      fill: (d, n) => {
        for (let i = 1; i <= n; i++) d.campaigns[`cmp_${i}`] = { campaignId: `cmp_${i}`, advertiserId: "1", name: `c${i}`, status: "DRAFT" };
      },
      page: (n, size) => ({ method: "GET", path: "/campaigns", query: { take: size, skip: n - size } }),
      client: () => contextFor(interchangeNetwork).client,
      items: (b) => b.campaigns,
    },
    {
      network: "affise",
      fill: (d, n) => {
        for (let i = 1; i <= n; i++) d.offers[i] = { id: i, title: `o${i}`, status: "active", payments: [], partner_payments: [] };
      },
      page: (n, size) => ({ method: "GET", path: "/3.0/offers", query: { limit: size, page: n / size } }),
      client: () => contextFor(affiseNetwork).client,
      items: (b) => b.offers,
    },
    {
      network: "affise",
      fill: (d, n) => {
        for (let i = 1; i <= n; i++) d.postbacks[i] = { id: i, pid: "7", url: `https://t.example/${i}`, offer_id: null, updated_at: "x" };
      },
      page: (n, size) => ({ method: "GET", path: "/3.0/admin/postbacks", query: { partner_id: 7, limit: size, page: n / size } }),
      client: () => contextFor(affiseNetwork).client,
      items: (b) => b.postbacks,
    },
    {
      network: "integr8",
      fill: (d, n) => {
        for (let i = 1; i <= n; i++) d.postbacks[`p${i}`] = { id: `p${i}`, organization: ORG, name: `p${i}` };
      },
      page: (n, size) => ({ method: "GET", path: `/api/v2/publisher-view/${ORG}/postbacks`, query: { page: { number: n / size, size } } }),
      client: () => contextFor(integr8Network).client,
      items: (b) => b.data,
    },
  ];

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
