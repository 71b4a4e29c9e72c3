/**
 * Issue #35: one page of every sandbox list, at any account size (test/sandbox.paging.test.ts checks the
 * emulators' work per page; the bench's lists row times it at 1,000 and 10,000 objects).
 */
import { contextFor } from "../../provider/core/config/context";
import { network as exoclickNetwork } from "../../provider/exoclick/network";
import { network as topsortNetwork } from "../../provider/topsort/network";
import { network as interchangeNetwork } from "../../provider/interchange/network";
import { network as affiseNetwork } from "../../provider/affise/network";
import { network as integr8Network } from "../../provider/integr8/network";
import { INTEGR8_SANDBOX } from "../../provider/sandbox/integr8";
import type { RequestSpec } from "../../provider/core/http/http";

type Obj = Record<string, any>;

export interface ListCase {
  network: string;
  /** Puts n objects (and what they relate to) in the emulator's data. */
  fill(data: Obj, n: number): void;
  /** One page of `size` at the end of the list. */
  page(n: number, size: number): RequestSpec;
  /** The network's client (the sandbox's settings applied as stack config). */
  client(): { request<T>(spec: RequestSpec): Promise<T> };
  /** The page's items in the answer. */
  items(body: any): Obj[];
}
const ORG = INTEGR8_SANDBOX.organizationId;
export const LIST_CASES: ListCase[] = [
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
