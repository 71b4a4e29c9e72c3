import * as pulumi from "@pulumi/pulumi";
import { AdnetResource } from "../core/reference";
import { defineResource } from "../core/resource";
import { newestUnowned } from "../core/recover";
import { Checker, isUnknown } from "../core/validate";
import { Integr8Client, organizationFromSettings } from "./client";
import { BODY_METHODS, DELAY_METRICS, HTTP_METHODS, MAX_BODY, MAX_DESCRIPTION, MAX_NAME, MAX_URL, SERVICE_TYPES } from "./constants";

export interface PostbackArgs {
  /** Postback name, 1-255 characters. */
  name: pulumi.Input<string>;
  /** The Integr8 integration (tracking setup) id whose events fire this postback. Changing it replaces the postback. */
  integration: pulumi.Input<string>;
  /** Which event fires it: "click", "impression", "conversion" or "event" (an event postback needs a conversion first). Changing it replaces the postback. */
  serviceType: pulumi.Input<"click" | "impression" | "conversion" | "event">;
  /** The URL called, absolute http(s); Integr8 macros such as {external_transaction_id} or {status} are allowed. */
  url: pulumi.Input<string>;
  /** HTTP method of the call: "GET" (default), "POST", "PUT", "DELETE" or "PATCH". */
  method?: pulumi.Input<"GET" | "POST" | "PUT" | "DELETE" | "PATCH">;
  /** Request body sent with POST, PUT, PATCH or DELETE (macros allowed); not allowed with GET. */
  body?: pulumi.Input<string>;
  /** Whether the postback fires (default true). */
  active?: pulumi.Input<boolean>;
  /** Delay before the call, a whole number >= 0 (default 0) in `delayMetric` units. */
  delayValue?: pulumi.Input<number>;
  /** Unit of `delayValue`: "Second" (default), "Minute" or "Hour". */
  delayMetric?: pulumi.Input<"Second" | "Minute" | "Hour">;
  /** Free text description, up to 1000 characters. */
  description?: pulumi.Input<string>;
  /**
   * Integr8's PostbackManagerFilters object, sent verbatim as `filters` with
   * Integr8's own (snake_case) field names; those names are not published,
   * see docs/integr8.md. Default {} (no filter).
   */
  filters?: pulumi.Input<Record<string, any>>;
  /** Organization that owns the postback; defaults to integr8:organizationId / INTEGR8_ORGANIZATION_ID. Changing it replaces the postback. */
  organizationId?: pulumi.Input<string>;
}

const INPUTS = ["name", "integration", "serviceType", "url", "method", "body", "active", "delayValue", "delayMetric", "description", "filters", "organizationId"] as const;

/** Input name -> wire name; the one place the mapping lives. Immutable fields are not in the update body. */
const WIRE: Record<string, string> = {
  name: "name", integration: "integration", serviceType: "service_type", url: "url", method: "method", body: "body",
  active: "active", delayValue: "delay_value", delayMetric: "delay_metric", description: "description", filters: "filters",
  organizationId: "organization",
};
const IMMUTABLE = ["integration", "serviceType", "organizationId"];

export function toWire(inputs: Record<string, any>, keys: readonly string[] = INPUTS): Record<string, any> {
  const out: Record<string, any> = {};
  for (const k of keys) if (inputs[k] !== undefined && WIRE[k]) out[WIRE[k]] = inputs[k];
  return out;
}

/** A PostbackManager in input shape, with what the server reshapes normalised. */
export function fromWire(w: Record<string, any>, organizationId: string): Record<string, any> {
  const filters = w.filters && typeof w.filters === "object" && !Array.isArray(w.filters) ? w.filters : {};
  return {
    name: w.name,
    integration: w.integration === undefined || w.integration === null ? undefined : String(w.integration),
    serviceType: w.service_type,
    url: w.url,
    method: typeof w.method === "string" && w.method ? w.method.toUpperCase() : "GET",
    body: w.body === "" || w.body === null ? undefined : w.body,
    active: w.active === undefined || w.active === null ? true : Boolean(w.active),
    delayValue: w.delay_value === undefined || w.delay_value === null ? 0 : Number(w.delay_value),
    delayMetric: w.delay_metric || "Second",
    description: w.description === "" || w.description === null ? undefined : w.description,
    filters,
    organizationId: String(w.organization ?? organizationId),
  };
}

export function checkPostback(n: Record<string, any>, c: Checker): Record<string, any> {
  const out: Record<string, any> = {
    ...n,
    method: n.method ?? "GET",
    active: n.active ?? true,
    delayValue: n.delayValue ?? 0,
    delayMetric: n.delayMetric ?? "Second",
    filters: n.filters ?? {},
    description: n.description === "" ? undefined : n.description,
    body: n.body === "" ? undefined : n.body,
    organizationId: n.organizationId ?? organizationFromSettings(),
  };
  c.string("name", out.name, { required: true, min: 1, max: MAX_NAME });
  c.string("integration", out.integration, { required: true, min: 1, max: 64 });
  c.oneOf("serviceType", out.serviceType, SERVICE_TYPES, { required: true });
  c.url("url", out.url, { required: true, allowMacros: true });
  c.string("url", out.url, { max: MAX_URL });
  c.oneOf("method", out.method, HTTP_METHODS);
  c.string("body", out.body, { max: MAX_BODY });
  if (out.body !== undefined && !isUnknown(out.body) && out.method === "GET") {
    c.fail("body", `body is sent only with method ${BODY_METHODS.join(", ")}; method is "GET"`);
  }
  c.boolean("active", out.active);
  c.number("delayValue", out.delayValue, { integer: true, min: 0 });
  c.oneOf("delayMetric", out.delayMetric, DELAY_METRICS);
  c.string("description", out.description, { max: MAX_DESCRIPTION });
  c.object("filters", out.filters);
  if (out.organizationId === undefined) {
    c.fail("organizationId", "organizationId is required: set stack config integr8:organizationId or environment INTEGR8_ORGANIZATION_ID, or pass organizationId");
  } else c.string("organizationId", out.organizationId, { min: 1 });
  return out;
}

const orgOf = (state: Record<string, any>, client: Integr8Client) => client.org(state.organizationId);

/** Implementation, loaded in the provider host by `pulumi-adnetworks/host`. */
export const provider = defineResource({
  module: "integr8",
  type: "Postback",
  inputs: INPUTS,
  replaceOn: IMMUTABLE,
  check: (n, c) => checkPostback(n, c),
  async find(inputs, exclude) {
    const client = Integr8Client.fromSettings();
    const same = await client.postbacksMatching(client.org(inputs.organizationId), { name: inputs.name, integration: inputs.integration, service_type: inputs.serviceType, url: inputs.url });
    return newestUnowned(same, (p: any) => String(p.id), exclude);
  },
  async create(inputs) {
    const client = Integr8Client.fromSettings();
    const org = client.org(inputs.organizationId);
    const created = await client.createPostback(org, toWire({ ...inputs, organizationId: org }));
    if (!created?.id) throw new Error("Integr8 answered the postback create without an id");
    return { id: String(created.id), outs: { organizationId: org, createdAt: created.created_at } };
  },
  async read(id, state) {
    const client = Integr8Client.fromSettings();
    const org = orgOf(state, client);
    const w = await client.getPostback(org, id);
    if (!w || w.id === undefined) return undefined;
    return { ...fromWire(w, org), createdAt: w.created_at ?? state.createdAt };
  },
  async update(id, olds, news, changed) {
    const client = Integr8Client.fromSettings();
    const org = orgOf(olds, client);
    const mutable = changed.filter((k) => !IMMUTABLE.includes(k));
    const patch = toWire(news, mutable);
    // A field removed from the program goes back to its default/empty value.
    for (const k of mutable) if (news[k] === undefined && (k === "body" || k === "description")) patch[WIRE[k]] = "";
    if (Object.keys(patch).length) await client.updatePostback(org, id, patch);
    return { organizationId: org, createdAt: olds.createdAt };
  },
  async delete(id, state) {
    const client = Integr8Client.fromSettings();
    await client.deletePostback(orgOf(state, client), id);
  },
});

/**
 * An Integr8 postback (PostbackManager): the URL Integr8 calls when a click,
 * impression, conversion or event of an integration is tracked. JSON bodies;
 * create, get, partial update (PATCH) and delete. `integration`,
 * `serviceType` and the organization are not updatable: changing them
 * replaces the postback. The id is Integr8's postback id (the form `import` takes).
 */
export class Postback extends AdnetResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly integration: pulumi.Output<string>;
  declare readonly serviceType: pulumi.Output<string>;
  declare readonly url: pulumi.Output<string>;
  declare readonly method: pulumi.Output<string>;
  declare readonly body: pulumi.Output<string | undefined>;
  declare readonly active: pulumi.Output<boolean>;
  declare readonly delayValue: pulumi.Output<number>;
  declare readonly delayMetric: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string | undefined>;
  declare readonly filters: pulumi.Output<Record<string, any>>;
  declare readonly organizationId: pulumi.Output<string>;
  /** When Integr8 created the postback (as Integr8 reports it). */
  declare readonly createdAt: pulumi.Output<string | undefined>;
  constructor(name: string, args: PostbackArgs, opts?: pulumi.CustomResourceOptions) {
    // Optional inputs are listed so that their (defaulted) values are outputs too.
    const outputs = { method: undefined, body: undefined, active: undefined, delayValue: undefined, delayMetric: undefined, description: undefined, filters: undefined, organizationId: undefined };
    super("integr8:Postback", name, { ...outputs, ...args, createdAt: undefined }, opts);
  }
}
