import * as pulumi from "@pulumi/pulumi";
import { AdnetResource } from "../core/reference";
import { defineResource } from "../core/resource";
import { newestUnowned } from "../core/recover";
import { ConfigError } from "../core/errors";
import { Integr8Client, organizationFromSettings } from "./client";

export interface OfferApplicationArgs {
  /** The offer to apply for (a PublisherViewOffer id, e.g. from `integr8.listOffers`). Changing it replaces the application. */
  offerId: pulumi.Input<string>;
  /**
   * Agree to the offer's terms and conditions before applying (default
   * false). Offers that require agreement refuse applications without it;
   * read the terms first with `integr8.getOffer`.
   */
  agreeToTerms?: pulumi.Input<boolean>;
  /** Organization that applies; defaults to integr8:organizationId / INTEGR8_ORGANIZATION_ID. Changing it replaces the application. */
  organizationId?: pulumi.Input<string>;
}

/** Application ids are "<offerId>/<applicationId>" (the form `import` takes): the status route needs both. */
export function splitId(id: string): [string, string] {
  const i = id.lastIndexOf("/");
  if (i <= 0 || i === id.length - 1) throw new ConfigError(`integr8.OfferApplication id must look like "<offerId>/<applicationId>", got ${JSON.stringify(id)}`);
  return [id.slice(0, i), id.slice(i + 1)];
}

/** Output fields from an OfferAccessRequest (field names inferred, see docs/integr8.md). */
function outputs(a: Record<string, any>) {
  const status = typeof a.status === "string" ? a.status.toLowerCase() : String(a.status ?? "pending");
  return {
    applicationId: String(a.id),
    status,
    statusReason: a.reason || a.status_reason || undefined,
    appliedAt: a.created_at ?? undefined,
    decidedAt: a.decided_at ?? undefined,
  };
}

export const provider = defineResource({
  module: "integr8",
  type: "OfferApplication",
  inputs: ["offerId", "agreeToTerms", "organizationId"],
  replaceOn: ["offerId", "organizationId"],
  check(n, c) {
    const out: Record<string, any> = { ...n, agreeToTerms: n.agreeToTerms ?? false, organizationId: n.organizationId ?? organizationFromSettings() };
    if (typeof out.offerId === "number") out.offerId = String(out.offerId);
    c.string("offerId", out.offerId, { required: true, min: 1, max: 64, pattern: /^[^/\s]+$/, patternHint: "an Integr8 offer id (no spaces or slashes)" });
    c.boolean("agreeToTerms", out.agreeToTerms);
    if (out.organizationId === undefined) {
      c.fail("organizationId", "organizationId is required: set stack config integr8:organizationId or environment INTEGR8_ORGANIZATION_ID, or pass organizationId");
    } else c.string("organizationId", out.organizationId, { min: 1 });
    return out;
  },
  async find(inputs, exclude) {
    const client = Integr8Client.fromSettings();
    const a = await client.findApplication(client.org(inputs.organizationId), String(inputs.offerId));
    return a ? newestUnowned([a], (x) => `${inputs.offerId}/${x.id}`, exclude) : undefined;
  },
  async create(inputs) {
    const client = Integr8Client.fromSettings();
    const org = client.org(inputs.organizationId);
    // Agreeing is a PATCH of the offer: repeating it is harmless.
    if (inputs.agreeToTerms) await client.agreeToOfferTerms(org, inputs.offerId);
    const a = await client.applyForOffer(org, inputs.offerId);
    if (!a?.id) throw new Error("Integr8 answered the offer application without an id");
    // A rejected application is not a failed deployment: the status is an output.
    return { id: `${inputs.offerId}/${a.id}`, outs: { organizationId: org, ...outputs(a) } };
  },
  async read(id, state) {
    const [offerId, applicationId] = splitId(id);
    const client = Integr8Client.fromSettings();
    const org = client.org(state.organizationId);
    const a = await client.getApplication(org, offerId, applicationId);
    if (!a || a.id === undefined) return undefined;
    return {
      offerId: String(a.offer_id ?? offerId),
      // Agreement happens once, before the application: keep what the program said.
      agreeToTerms: state.agreeToTerms ?? false,
      organizationId: org,
      ...outputs(a),
    };
  },
  async update(id, olds, news, changed) {
    const [offerId] = splitId(id);
    const client = Integr8Client.fromSettings();
    const org = client.org(olds.organizationId);
    if (changed.includes("agreeToTerms") && news.agreeToTerms) await client.agreeToOfferTerms(org, offerId);
    const keep = ["applicationId", "status", "statusReason", "appliedAt", "decidedAt"];
    return Object.fromEntries(keep.map((k) => [k, olds[k]]).concat([["organizationId", org]]));
  },
  async delete(id, state) {
    const [offerId, applicationId] = splitId(id);
    const client = Integr8Client.fromSettings();
    // Withdraws the application (any status).
    await client.deleteApplication(client.org(state.organizationId), offerId, applicationId);
  },
});

/**
 * An application for access to an Integr8 offer. Create applies (agreeing
 * to the offer's T&Cs first when `agreeToTerms` is true), refresh reads the
 * status, destroy withdraws it. The network's decision is the `status`
 * output: "pending", "approved" or "rejected"; a rejection is not a
 * deployment error. The id is "<offerId>/<applicationId>".
 */
export class OfferApplication extends AdnetResource {
  declare readonly offerId: pulumi.Output<string>;
  declare readonly agreeToTerms: pulumi.Output<boolean>;
  declare readonly organizationId: pulumi.Output<string>;
  /** Integr8's OfferAccessRequest id. */
  declare readonly applicationId: pulumi.Output<string>;
  /** "pending", "approved" or "rejected" as of the last create or refresh. */
  declare readonly status: pulumi.Output<string>;
  /** The network's reason for its decision, when it gives one. */
  declare readonly statusReason: pulumi.Output<string | undefined>;
  declare readonly appliedAt: pulumi.Output<string | undefined>;
  declare readonly decidedAt: pulumi.Output<string | undefined>;
  constructor(name: string, args: OfferApplicationArgs, opts?: pulumi.CustomResourceOptions) {
    super("integr8:OfferApplication", name, {
      agreeToTerms: undefined, organizationId: undefined, ...args,
      applicationId: undefined, status: undefined, statusReason: undefined, appliedAt: undefined, decidedAt: undefined,
    }, opts);
  }
}
