import { accountField } from "../core/config/account";
import type { ResourceDef } from "../core/schema/define";
import { clean } from "../core/schema/clean";
import { f, Fields, StateOf } from "../core/schema/schema";
import { newestUnowned } from "../core/http/recover";
import { ApiError, ConfigError, UserError } from "../core/http/errors";
import { Checker } from "../core/schema/validate";
import type { ApplicationWire, Integr8Client } from "./client";
import { withOrganization } from "./organization";
import { APPLICATION_STATUSES } from "./constants";

export const fields = {
  account: accountField,
  offerId: f.string({
    required: true, min: 1, max: 64, pattern: /^[^/\s]+$/, patternHint: "an Integr8 offer id (no spaces or slashes)",
    replaceOnChange: true, naturalKey: true, coerce: (v: unknown) => (typeof v === "number" ? String(v) : v),
    lookup: "offers", lookupBy: "organizationId",
    doc: "The offer to apply for (a PublisherViewOffer id, e.g. from `integr8.listOffers` or `npx adnet-lists --network integr8 --list offers`); checked at preview with one read of the offer (`GET /offers/{id}`, once per run). Changing it replaces the application.",
  }),
  agreeToTerms: f.boolean({
    default: false, wire: false,
    // Not readable: an imported application (nothing known) matches either value.
    equal: (a: unknown, b: unknown) => a === undefined || b === undefined || (a ?? false) === (b ?? false),
    doc: "Agree to the offer's terms and conditions before applying (default false). Offers that require agreement refuse applications without it; read the terms first with `integr8.getOffer`. Agreement happens once and is not read back.",
  }),
  organizationId: f.string({
    min: 1, replaceOnChange: true, wire: false, accountScope: true,
    doc: "Organization that applies; defaults to integr8:organizationId / INTEGR8_ORGANIZATION_ID. Changing it replaces the application.",
  }),
  applicationId: f.string({ output: true, doc: "Integr8's OfferAccessRequest id (the second half of the resource id)." }),
  status: f.enum(APPLICATION_STATUSES, {
    output: true, meanings: { pending: "waiting for the network", approved: "access granted", rejected: "access refused" },
    doc: "The network's decision as of the last create or refresh: \"pending\", \"approved\" or \"rejected\". A rejection is not a deployment error.",
  }),
  statusReason: f.string({ output: true, doc: "The network's reason for its decision, when it gives one." }),
  appliedAt: f.string({ output: true, doc: "When the application was made, as Integr8 reports it." }),
  decidedAt: f.string({ output: true, doc: "When the network decided, as Integr8 reports it." }),
} satisfies Fields;

export type OfferApplicationFields = typeof fields;

/** Application ids are "<offerId>/<applicationId>" (the form `import` takes): the status route needs both. */
export function splitId(id: string): [string, string] {
  const i = id.lastIndexOf("/");
  if (i <= 0 || i === id.length - 1) throw new ConfigError(`integr8.OfferApplication id must look like "<offerId>/<applicationId>", got ${JSON.stringify(id)}`);
  return [id.slice(0, i), id.slice(i + 1)];
}

/** Output fields from an OfferAccessRequest (field names inferred, see docs/integr8.md). */
function outputs(a: ApplicationWire) {
  const status = typeof a.status === "string" ? a.status.toLowerCase() : String(a.status ?? "pending");
  return {
    applicationId: String(a.id),
    status: status as (typeof APPLICATION_STATUSES)[number],
    statusReason: a.reason || a.status_reason || undefined,
    appliedAt: a.created_at ?? undefined,
    decidedAt: a.decided_at ?? undefined,
  };
}

/** An OfferAccessRequest in input shape plus outputs. */
function readShape(a: ApplicationWire, offerId: string, org: string, prior?: Partial<StateOf<OfferApplicationFields>>): Partial<StateOf<OfferApplicationFields>> {
  return {
    offerId: String(a.offer_id ?? offerId),
    // Agreement happens once, before the application and is not readable: keep what the program said (unknown on import).
    agreeToTerms: prior?.agreeToTerms,
    organizationId: org,
    ...outputs(a),
  };
}

export const offerApplication: ResourceDef<OfferApplicationFields, Integr8Client> = {
  key: "integr8:OfferApplication",
  doc: "An application for access to an Integr8 offer. Create applies (agreeing to the offer's T&Cs first when `agreeToTerms` is true), refresh reads the network's decision into `status`, destroy withdraws the application. A rejection is an output, not a deployment error.",
  importId: "\"<offerId>/<applicationId>\"",
  fields,
  check: (ctx, n, c: Checker) => withOrganization(n, c, ctx.settings.organizationId),
  async find(ctx, inputs, exclude) {
    const client = ctx.client;
    const a = await client.findApplication(client.org(inputs.organizationId), String(inputs.offerId));
    return a ? newestUnowned([a], (x) => `${inputs.offerId}/${x.id}`, exclude) : undefined;
  },
  async create(ctx, inputs) {
    const client = ctx.client;
    const org = client.org(inputs.organizationId);
    let a: ApplicationWire;
    try {
      // Agreeing is a PATCH of the offer: repeating it is harmless.
      if (inputs.agreeToTerms) await client.agreeToOfferTerms(org, inputs.offerId);
      a = await client.applyForOffer(org, inputs.offerId);
    } catch (e) {
      // A 404 here is the offer (the application does not exist yet): say so, not "refresh".
      if (e instanceof ApiError && e.isNotFound) {
        throw new UserError(`Integr8 has no offer ${JSON.stringify(inputs.offerId)} that organization ${org} can apply for (${e.method} ${e.url} answered 404); nothing was created. Check offerId: npx adnet-lists --network integr8 --list offers:${org} prints the offers it sees`);
      }
      throw e;
    }
    if (!a?.id) throw new Error("Integr8 answered the offer application without an id");
    // A rejected application is not a failed deployment: the status is an output.
    return { id: `${inputs.offerId}/${a.id}`, outs: { organizationId: org, ...outputs(a) } };
  },
  async read(ctx, id, state) {
    const [offerId, applicationId] = splitId(id);
    const client = ctx.client;
    const org = client.org(state?.organizationId);
    const a = await client.getApplication(org, offerId, applicationId);
    if (!a || a.id === undefined) return undefined;
    return readShape(a, offerId, org, state);
  },
  async update(ctx, id, olds, news, changed) {
    const [offerId] = splitId(id);
    const client = ctx.client;
    const org = client.org(olds.organizationId);
    if (changed.includes("agreeToTerms") && news.agreeToTerms) await client.agreeToOfferTerms(org, offerId);
    return { organizationId: org };
  },
  async delete(ctx, id, state) {
    const [offerId, applicationId] = splitId(id);
    const client = ctx.client;
    // Withdraws the application (any status).
    await client.deleteApplication(client.org(state.organizationId), offerId, applicationId);
  },
  async list(ctx) {
    const client = ctx.client;
    const org = client.org();
    const all = await client.collect<ApplicationWire>("listOfferApplications", { organizationID: org });
    return all
      .filter((a) => a?.id !== undefined && a.offer_id !== undefined)
      .map((a) => ({ id: `${a.offer_id}/${a.id}`, state: clean(readShape(a, String(a.offer_id), org)) }));
  },
};
