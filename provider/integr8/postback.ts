import { accountField } from "../core/config/account";
import type { ResourceDef } from "../core/schema/define";
import { clean } from "../core/schema/clean";
import { f, Fields, fromWire, StateOf, toWire, WireInputOf, WireOf } from "../core/schema/schema";
import { newestUnowned } from "../core/http/recover";
import { Checker, isUnknown } from "../core/schema/validate";
import type { Integr8Client } from "./client";
import { withOrganization } from "./organization";
import { BODY_METHODS, DELAY_METRICS, HTTP_METHODS, MAX_BODY, MAX_DESCRIPTION, MAX_NAME, MAX_URL, SERVICE_TYPES } from "./constants";

/** An empty string is "not set" (Integr8 stores "" for a cleared text). */
const emptyAsUnset = (v: string) => (v === "" ? undefined : v);

/** Fields of a PostbackManager (seed 004, `csapi.PostbackManager`), in the seed's order. */
export const fields = {
  account: accountField,
  name: f.string({ required: true, min: 1, max: MAX_NAME, naturalKey: true, doc: "Postback name, 1-255 characters, not only spaces. Part of the natural key that finds a postback whose create response was lost." }),
  integration: f.string({
    required: true, min: 1, max: 64, replaceOnChange: true, naturalKey: true,
    doc: "The Integr8 integration (tracking setup) id whose events fire this postback. Not updatable: changing it replaces the postback.",
  }),
  serviceType: f.enum(SERVICE_TYPES, {
    required: true, replaceOnChange: true, naturalKey: true, wire: "service_type",
    doc: "Which tracked event fires it: \"click\", \"impression\", \"conversion\" or \"event\" (an event postback needs a conversion first). Not updatable: changing it replaces the postback.",
  }),
  url: f.url({
    required: true, macros: true, max: MAX_URL, naturalKey: true,
    doc: "The URL Integr8 calls: absolute http(s) with a host; Integr8 macros such as {external_transaction_id} or {status} are allowed. Shown in check messages with its query values masked.",
  }),
  method: f.enum(HTTP_METHODS, { default: "GET", decode: (v: unknown) => (typeof v === "string" ? v.toUpperCase() : v), doc: "HTTP method of the call: \"GET\" (default), \"POST\", \"PUT\", \"DELETE\" or \"PATCH\"." }),
  body: f.string({ max: MAX_BODY, normalize: emptyAsUnset, doc: "Request body sent with POST, PUT, PATCH or DELETE (macros allowed); not allowed with GET. Removing it clears it." }),
  active: f.boolean({ default: true, doc: "Whether the postback fires (default true)." }),
  delayValue: f.integer({ default: 0, min: 0, wire: "delay_value", doc: "Delay before the call, a whole number >= 0 (default 0) in delayMetric units. (The dashboard documents a 2-minute minimum; the API's rule is not published.)" }),
  delayMetric: f.enum(DELAY_METRICS, { default: "Second", wire: "delay_metric", doc: "Unit of delayValue: \"Second\" (default), \"Minute\" or \"Hour\"." }),
  description: f.string({ max: MAX_DESCRIPTION, normalize: emptyAsUnset, doc: "Free text, up to 1000 characters. Removing it clears it." }),
  filters: f.json({
    default: {},
    doc: "Integr8's PostbackManagerFilters object, sent verbatim as `filters` with Integr8's own snake_case names (not published; see the notes below). Default {} (no filter).",
  }),
  organizationId: f.string({
    min: 1, replaceOnChange: true, wire: "organization", accountScope: true,
    doc: "Organization that owns the postback; defaults to integr8:organizationId / INTEGR8_ORGANIZATION_ID. Changing it replaces the postback.",
  }),
  createdAt: f.string({ output: true, wire: "created_at", doc: "When Integr8 created the postback, as Integr8 reports it." }),
} satisfies Fields;

export type PostbackFields = typeof fields;

/** Not in Integr8's update body (PostbackManagerFiltersPayload): they replace. */
const IMMUTABLE = ["integration", "serviceType", "organizationId"];
/** Text fields that a program removed are cleared with "". */
const CLEARABLE = ["body", "description"];

/** A PostbackManager from the API in input shape plus outputs. */
/** A PostbackManager as Integr8 answers it: the declared wire fields (derived from `fields`) plus its id and organization. */
export type PostbackWire = WireOf<PostbackFields> & { id?: string; organization?: string; created_at?: string };
/** The shapes the network's client moves (integr8/network.ts makes it with them). */
export interface Integr8Objects {
  postback: PostbackWire;
  postbackInput: WireInputOf<PostbackFields>;
}
/** The client as this network's resources get it. */
export type Client = Integr8Client<Integr8Objects>;

function readShape(w: PostbackWire, org: string, prior?: Partial<StateOf<PostbackFields>>): Partial<StateOf<PostbackFields>> {
  const s: Partial<StateOf<PostbackFields>> = fromWire(fields, w);
  if (s.integration !== undefined) s.integration = String(s.integration);
  if (!s.filters || typeof s.filters !== "object" || Array.isArray(s.filters)) s.filters = {};
  s.organizationId = String(w.organization ?? org);
  s.createdAt = s.createdAt ?? prior?.createdAt;
  return s;
}

export const postback: ResourceDef<PostbackFields, Client> = {
  key: "integr8:Postback", importId: "Integr8's postback id",
  doc: "An Integr8 postback (PostbackManager): the URL Integr8 calls when a click, impression, conversion or event of an integration is tracked. Name, URL, method, body, active, delay, description and filters update in place (PATCH); integration, service type and organization replace it.",
  fields,
  check(ctx, n, c: Checker) {
    const out = withOrganization(n, c, ctx.settings.organizationId);
    if (out.body !== undefined && !isUnknown(out.body) && out.method === "GET") {
      c.fail("body", `body is sent only with method ${BODY_METHODS.join(", ")}; method is "GET"`);
    }
    return out;
  },
  async find(ctx, inputs, exclude) {
    const client = ctx.client;
    const same = await client.postbacksMatching(client.org(inputs.organizationId), { name: inputs.name, integration: inputs.integration, service_type: inputs.serviceType, url: inputs.url });
    return newestUnowned(same, (p) => String(p.id), exclude);
  },
  async create(ctx, inputs) {
    const client = ctx.client;
    const org = client.org(inputs.organizationId);
    const created = await client.createPostback(org, toWire(fields, { ...inputs, organizationId: org }));
    if (!created?.id) throw new Error("Integr8 answered the postback create without an id");
    return { id: String(created.id), outs: { organizationId: org, createdAt: created.created_at } };
  },
  async read(ctx, id, state) {
    const client = ctx.client;
    const org = client.org(state?.organizationId);
    const w = await client.getPostback(org, id);
    if (!w || w.id === undefined) return undefined;
    return readShape(w, org, state);
  },
  async update(ctx, id, olds, news, changed) {
    const client = ctx.client;
    const org = client.org(olds.organizationId);
    const mutable = changed.filter((k) => !IMMUTABLE.includes(k));
    const patch: Record<string, unknown> = toWire(fields, news, mutable);
    // A text removed from the program goes back to empty.
    for (const k of mutable) if (news[k as keyof typeof news] === undefined && CLEARABLE.includes(k)) patch[k] = "";
    if (Object.keys(patch).length) await client.updatePostback(org, id, patch);
    return { organizationId: org, createdAt: olds.createdAt };
  },
  async delete(ctx, id, state) {
    const client = ctx.client;
    await client.deletePostback(client.org(state.organizationId), id);
  },
  async list(ctx) {
    const client = ctx.client;
    const org = client.org();
    const all = await client.collect("listPostbacks", { organizationID: org });
    return all.filter((w) => w?.id !== undefined).map((w) => ({ id: String(w.id), state: clean(readShape(w, org)) }));
  },
};
