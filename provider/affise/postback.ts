import { accountField } from "../core/config/account";
import { Listed, ListGaps, ResourceDef } from "../core/schema/define";
import { f, Fields, fromWire, StateOf, toWire, WireOf } from "../core/schema/schema";
import { newestUnowned } from "../core/http/recover";
import type { AffiseClient, AffiseShapes } from "./client";
import { INTEGRATION_METHODS, POSTBACK_STATUS } from "./constants";

export const fields = {
  account: accountField,
  url: f.url({ required: true, macros: true, max: 2048, naturalKey: true, doc: "Postback URL with macros, e.g. https://aff.example/pb?click={clickid}&sum={sum}." }),
  pid: f.integer({ required: true, min: 1, replaceOnChange: true, naturalKey: true, doc: "Affiliate id (`pid`) the postback belongs to. Changing it replaces the postback." }),
  offerId: f.string({
    pattern: /^\d+$/, patternHint: "a numeric offer id (an affise.Offer's id)", replaceOnChange: true, naturalKey: true, ref: "affise:Offer", wire: "offer_id",
    coerce: (v: unknown) => (typeof v === "number" ? String(v) : v), decode: (v: unknown) => String(v),
    doc: "Offer id (an `affise.Offer`'s id); omit for a global postback. Changing it replaces the postback.",
  }),
  status: f.enum(POSTBACK_STATUS, {
    serverDefault: true,
    meanings: { by_creating: "when the conversion is created", confirmed: "confirmed", pending: "pending", declined: "declined", hold: "on hold" },
    doc: "Conversion status that fires it; omitted, every status does (Affise stores none).",
  }),
  goal: f.string({ min: 1, max: 255, serverDefault: true, doc: "Goal value that fires it, e.g. \"1\"; omitted, every goal does." }),
  integrationMethod: f.enum(INTEGRATION_METHODS, { serverDefault: true, wire: "integration_method", doc: "\"all\" (Affise's default), \"default\", \"skad\" or \"probabilistic_attribution\"." }),
  forced: f.boolean({ serverDefault: true, encode: (b: boolean) => (b ? 1 : 0), doc: "Send even when Affise would not (forced). Affise's default is false." }),
  postbackId: f.integer({ output: true, doc: "Affise's numeric postback id." }),
} satisfies Fields;

export type PostbackFields = typeof fields;

/** A postback as Affise answers it: the declared wire fields (derived from `fields`) plus its id. */
export type PostbackWire = WireOf<PostbackFields> & { id: number | string };
/** The client as this resource gets it (affise/network.ts makes it with both resources' shapes). */
export type Client = AffiseClient<AffiseShapes & { postback: PostbackWire }>;

/** Resource id "<pid>/<postbackId>": Affise has no get-by-id, reads list the affiliate's postbacks. */
export function parseId(id: string): { pid: number; postbackId: string } {
  const m = /^(\d+)\/(\d+)$/.exec(id);
  if (!m) throw new Error(`affise:Postback id must be "<pid>/<postbackId>" such as "2/15", got ${JSON.stringify(id)}`);
  return { pid: Number(m[1]), postbackId: m[2] };
}

/** Remote postback -> inputs: Affise answers pid, offer_id and forced as strings, and null or "" for unset values. */
export function fromRemote(p: PostbackWire, pid: number): Partial<StateOf<PostbackFields>> {
  const out = fromWire(fields, p);
  if (out.pid === undefined) out.pid = pid;
  return out;
}

/**
 * Affiliates the account's offers name (partner payouts, caps, personal
 * targeting groups): Affise lists postbacks per affiliate only (`partner_id`
 * is required), so `list` reads the postbacks of every affiliate of the
 * account (`GET /3.0/admin/partners`) and of these.
 */
function affiliatesOf(offers: object[]): number[] {
  const ids = new Set<number>();
  const add = (v: unknown) => {
    if (Array.isArray(v)) for (const x of v) if (Number(x) > 0) ids.add(Number(x));
  };
  // An offer's lists of objects as Affise answers them (partner payouts, caps, targeting groups).
  const items = (o: object, k: string) => ((o as Record<string, unknown>)[k] ?? []) as Iterable<Record<string, unknown>>;
  for (const o of offers) {
    for (const p of items(o, "partner_payments")) add(p.partners);
    for (const c of items(o, "caps")) add(c.affiliates);
    for (const t of items(o, "targeting")) add(t.affiliate_id);
  }
  return [...ids].sort((a, b) => a - b);
}

export const postback: ResourceDef<PostbackFields, Client> = {
  key: "affise:Postback",
  doc: "An affiliate's postback in Affise, managed with an admin key (`POST /3.0/partner/postback` with `pid`). Without `offerId` it is a global postback. Id and import id: \"<pid>/<postbackId>\".",
  importId: "\"<pid>/<postbackId>\", e.g. \"2/15\"",
  fields,
  async find(ctx, inputs, exclude) {
    const same = await ctx.client.postbacksMatching(inputs.pid, inputs.url, inputs.offerId);
    return newestUnowned(same, (p) => `${inputs.pid}/${p.id}`, exclude);
  },
  async create(ctx, inputs) {
    const p = await ctx.client.createPostback(toWire(fields, inputs));
    return { id: `${inputs.pid}/${p.id}`, outs: { postbackId: Number(p.id) } };
  },
  async read(ctx, id) {
    const { pid, postbackId } = parseId(id);
    // Not narrowed by offer: a postback moved to another offer out of band must still be found.
    const p = await ctx.client.getPostback(pid, postbackId);
    return p ? { ...fromRemote(p, pid), postbackId: Number(postbackId) } : undefined;
  },
  async update(ctx, id, _olds, news) {
    // Affise requires url on every edit; the whole desired postback is sent.
    const { postbackId } = parseId(id);
    await ctx.client.updatePostback(postbackId, toWire(fields, news));
    return { postbackId: Number(postbackId) };
  },
  async delete(ctx, id) {
    const { pid, postbackId } = parseId(id);
    await ctx.client.deletePostback(postbackId, pid);
  },
  async list(ctx) {
    const client = ctx.client;
    const out: Array<Listed<PostbackFields>> & ListGaps = [];
    const pids = new Set(affiliatesOf(await client.listOffers()));
    try {
      for (const pid of await client.listPartnerIds()) pids.add(pid);
    } catch (e) {
      // Without the affiliate list, postbacks of affiliates no offer names are out of reach: said, not left out silently.
      out.gaps = [`postbacks of affiliates that no offer names were not listed: the affiliate list (GET /3.0/admin/partners) was refused (${(e as Error)?.message ?? e}); only the postbacks of affiliates ${[...pids].join(", ") || "(none)"} were read`];
    }
    for (const pid of [...pids].sort((a, b) => a - b)) {
      for (const p of await client.listPostbacks(pid)) out.push({ id: `${pid}/${p.id}`, state: { ...fromRemote(p, pid), postbackId: Number(p.id) } });
    }
    return out;
  },
};
