import * as pulumi from "@pulumi/pulumi";
import { AdnetResource } from "../core/reference";
import { defineResource } from "../core/resource";
import { newestUnowned } from "../core/recover";
import { AffiseClient } from "./client";
import { INTEGRATION_METHODS, POSTBACK_STATUS } from "./constants";

export interface PostbackArgs {
  /** Postback URL with macros, e.g. https://aff.example/pb?click={clickid}&sum={sum}. */
  url: pulumi.Input<string>;
  /** Affiliate id (`pid`) the postback belongs to. Changing it replaces the postback. */
  pid: pulumi.Input<number>;
  /** Offer id (an `affise.Offer`'s id); omit for a global postback. Changing it replaces the postback. */
  offerId?: pulumi.Input<string>;
  /** Conversion status that fires it: by_creating, confirmed, pending, declined or hold. */
  status?: pulumi.Input<"by_creating" | "confirmed" | "pending" | "declined" | "hold">;
  /** Goal value that fires it, e.g. "1". */
  goal?: pulumi.Input<string>;
  /** all (Affise's default), default, skad or probabilistic_attribution. */
  integrationMethod?: pulumi.Input<"all" | "default" | "skad" | "probabilistic_attribution">;
  /** Send even when Affise would not (forced). */
  forced?: pulumi.Input<boolean>;
}

const INPUTS = ["url", "pid", "offerId", "status", "goal", "integrationMethod", "forced"] as const;

/** Inputs -> Affise's form (`pid`, `offer_id`, `integration_method`, `forced` 0/1). */
export function toWire(i: Record<string, any>): Record<string, any> {
  const f: Record<string, any> = { url: i.url, pid: i.pid };
  if (i.offerId !== undefined) f.offer_id = i.offerId;
  if (i.status !== undefined) f.status = i.status;
  if (i.goal !== undefined) f.goal = i.goal;
  if (i.integrationMethod !== undefined) f.integration_method = i.integrationMethod;
  if (i.forced !== undefined) f.forced = i.forced ? 1 : 0;
  return f;
}

/** Resource id "<pid>/<postbackId>": Affise has no get-by-id, reads list the affiliate's postbacks. */
export function parseId(id: string): { pid: number; postbackId: string } {
  const m = /^(\d+)\/(\d+)$/.exec(id);
  if (!m) throw new Error(`affise:Postback id must be "<pid>/<postbackId>" such as "2/15", got ${JSON.stringify(id)}`);
  return { pid: Number(m[1]), postbackId: m[2] };
}

/** Remote postback -> inputs: Affise answers pid, offer_id and forced as strings, and null or "" for unset values. */
export function fromRemote(p: Record<string, any>, pid: number): Record<string, any> {
  const s = (v: unknown) => (v === null || v === undefined || v === "" ? undefined : String(v));
  const out: Record<string, any> = {
    url: p.url,
    pid: p.pid !== undefined && p.pid !== null && p.pid !== "" ? Number(p.pid) : pid,
    offerId: s(p.offer_id),
    status: s(p.status),
    goal: s(p.goal),
    integrationMethod: s(p.integration_method),
    forced: p.forced === undefined || p.forced === null ? undefined : p.forced === true || String(p.forced) === "1",
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

export const provider = defineResource({
  module: "affise",
  type: "Postback",
  inputs: INPUTS,
  replaceOn: ["pid", "offerId"],
  optionalServerDefaults: ["status", "goal", "integrationMethod", "forced"],
  check(n, c) {
    const out: Record<string, any> = { ...n };
    c.url("url", n.url, { required: true, allowMacros: true });
    c.string("url", n.url, { max: 2048 });
    c.number("pid", n.pid, { required: true, integer: true, min: 1 });
    if (typeof n.offerId === "number") out.offerId = String(n.offerId);
    c.string("offerId", out.offerId, { pattern: /^\d+$/, patternHint: "a numeric offer id (an affise.Offer's id)" });
    c.oneOf("status", n.status, POSTBACK_STATUS);
    c.string("goal", n.goal, { min: 1, max: 255 });
    c.oneOf("integrationMethod", n.integrationMethod, INTEGRATION_METHODS);
    c.boolean("forced", n.forced);
    if (n.offerId === null) delete out.offerId;
    return out;
  },
  async find(inputs, exclude) {
    const same = await AffiseClient.fromSettings().postbacksMatching(inputs.pid, inputs.url, inputs.offerId);
    return newestUnowned(same, (p) => `${inputs.pid}/${p.id}`, exclude);
  },
  async create(inputs) {
    const p = await AffiseClient.fromSettings().createPostback(toWire(inputs));
    return { id: `${inputs.pid}/${p.id}`, outs: { postbackId: Number(p.id) } };
  },
  async read(id) {
    const { pid, postbackId } = parseId(id);
    // Not narrowed by offer: a postback moved to another offer out of band must still be found.
    const all = await AffiseClient.fromSettings().listPostbacks(pid);
    const p = all.find((x) => String(x.id) === postbackId);
    return p ? { ...fromRemote(p, pid), postbackId: Number(postbackId) } : undefined;
  },
  async update(id, _olds, news) {
    // Affise requires url on every edit; the whole desired postback is sent.
    const { postbackId } = parseId(id);
    await AffiseClient.fromSettings().updatePostback(postbackId, toWire(news));
    return { postbackId: Number(postbackId) };
  },
  async delete(id) {
    await AffiseClient.fromSettings().deletePostback(parseId(id).postbackId);
  },
});

/**
 * An affiliate's postback in Affise, managed with an admin key
 * (`POST /3.0/partner/postback` with `pid`). Without `offerId` it is a
 * global postback. Id and import id: "<pid>/<postbackId>".
 */
export class Postback extends AdnetResource {
  declare readonly url: pulumi.Output<string>;
  declare readonly pid: pulumi.Output<number>;
  declare readonly offerId: pulumi.Output<string | undefined>;
  /** Affise's numeric postback id. */
  declare readonly postbackId: pulumi.Output<number>;
  constructor(name: string, args: PostbackArgs, opts?: pulumi.CustomResourceOptions) {
    super("affise:Postback", name, { ...args, postbackId: undefined }, opts);
  }
}
