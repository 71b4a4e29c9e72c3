/**
 * Read-only Integr8 lookups for use inside programs, e.g.
 *
 *   const offers = pulumi.output(integr8.listOffers({ filter: { name: { match: "Summer" } } }));
 *
 * They read credentials like the resources do (stack config, then the
 * environment), follow Integr8's numbered pagination (`page[number]`,
 * `page[size]` up to 100, `meta.total_page`) and fetch pages lazily: the
 * `iterate*` forms are async iterators that request the next page only when
 * the consumer gets there; the `list*` forms collect up to `limit` items.
 * Records are returned as Integr8 sends them (snake_case fields).
 */
import { Checker, isIsoDate, isRfc3339 } from "../core/schema/validate";
import type { PageOptions } from "./client";
import { contextFor } from "../core/config/context";
import type { JsonObject } from "../core/http/json";
import { network } from "./network";
import { LOG_SERVICE_TYPES, MAX_PAGE_SIZE } from "./constants";

/** `filter[field][op]=value`; a bare value means `eq`. Nested fields use dots: "payout.currency". */
export type Filter = Record<string, string | number | boolean | Partial<Record<"eq" | "ne" | "match" | "gte" | "lte" | "gt" | "lt" | "in", string | number | boolean>>>;

export interface ListOptions extends PageOptions {
  /** Integr8 filters, e.g. { status: "active", name: { match: "shoes" } }. */
  filter?: Filter;
  /** Sort fields, "-" for descending, e.g. "-created_at,name". */
  sort?: string;
  /** Organization to read; defaults to integr8:organizationId / INTEGR8_ORGANIZATION_ID. */
  organizationId?: string;
}

/** Default cap on a `list*` call, so a mistaken listing cannot fetch forever. */
export const DEFAULT_LIMIT = 1000;

function invalid(c: Checker, what: string): void {
  if (c.failures.length) throw new RangeError(`${what}: ${c.failures.map((f) => f.reason).join("; ")}`);
}

function pageChecks(c: Checker, o: PageOptions): void {
  c.number("pageSize", o.pageSize, { integer: true, min: 1, max: MAX_PAGE_SIZE });
  c.number("limit", o.limit, { integer: true, min: 0 });
}

function listQuery(o: ListOptions): Record<string, unknown> {
  return { ...(o.filter ? { filter: o.filter } : {}), ...(o.sort ? { sort: o.sort } : {}) };
}

/** Offers visible to the organization (PublisherViewOffer), lazily, page by page. */
export async function* iterateOffers(opts: ListOptions = {}): AsyncGenerator<JsonObject> {
  const c = new Checker("integr8.listOffers");
  pageChecks(c, opts);
  invalid(c, "integr8.listOffers");
  const client = contextFor(network).client;
  yield* client.paginate("listOffers", { organizationID: client.org(opts.organizationId) }, listQuery(opts), opts);
}

/** Offers visible to the organization, with filters; at most `limit` (default 1000). */
export async function listOffers(opts: ListOptions = {}): Promise<JsonObject[]> {
  const out: JsonObject[] = [];
  for await (const o of iterateOffers({ ...opts, limit: opts.limit ?? DEFAULT_LIMIT })) out.push(o);
  return out;
}

/** One offer (with its T&Cs text) and, unless `payouts: false`, its payouts (every page). */
export async function getOffer(offerId: string, opts: { payouts?: boolean; organizationId?: string } = {}): Promise<JsonObject & { payouts?: JsonObject[] }> {
  const c = new Checker("integr8.getOffer");
  c.string("offerId", offerId, { required: true, min: 1 });
  invalid(c, "integr8.getOffer");
  const client = contextFor(network).client;
  const org = client.org(opts.organizationId);
  const offer = await client.getOffer(org, offerId);
  if (opts.payouts === false) return offer;
  const payouts = await client.collect("getOfferPayouts", { organizationID: org, offerID: offerId }, {}, { limit: DEFAULT_LIMIT });
  return { ...offer, payouts };
}

export interface PostbackLogQuery extends PageOptions {
  /** Start of the range on process_time: RFC 3339 date-time, or a date (YYYY-MM-DD, from 00:00:00Z). */
  from: string;
  /** End of the range on process_time: RFC 3339 date-time, or a date (YYYY-MM-DD, to 23:59:59Z). */
  to: string;
  /** "conversion" or "click". */
  serviceType?: "conversion" | "click";
  /** Only logs of this postback (a Postback's id). */
  postbackId?: string;
  txId?: string;
  offerId?: string;
  publisher?: string;
  postbackIp?: string;
  /** URL contains this text (`filter[postback_url][match]`). */
  urlMatch?: string;
  /** Error contains this text (`filter[error][match]`). */
  errorMatch?: string;
  /** HTTP status the postback got. */
  statusCode?: number;
  minDurationMs?: number;
  maxDurationMs?: number;
  /** Columns to return (`columns[]`). */
  columns?: string[];
  sort?: string;
  organizationId?: string;
}

/** Query options -> Integr8's query parameters; the one place the mapping lives. */
export function postbackLogParams(q: PostbackLogQuery): Record<string, unknown> {
  const from = isIsoDate(q.from) ? `${q.from}T00:00:00Z` : q.from;
  const to = isIsoDate(q.to) ? `${q.to}T23:59:59Z` : q.to;
  const filter: Record<string, unknown> = {
    service_type: q.serviceType,
    postback_manager_id: q.postbackId,
    tx_id: q.txId,
    offer_id: q.offerId,
    publisher: q.publisher,
    postback_ip: q.postbackIp,
    postback_url: q.urlMatch !== undefined ? { match: q.urlMatch } : undefined,
    error: q.errorMatch !== undefined ? { match: q.errorMatch } : undefined,
    status_code: q.statusCode,
    duration_ms: q.minDurationMs !== undefined || q.maxDurationMs !== undefined ? { gte: q.minDurationMs, lte: q.maxDurationMs } : undefined,
  };
  for (const k of Object.keys(filter)) if (filter[k] === undefined) delete filter[k];
  return {
    start_date: from.slice(0, 10),
    end_date: to.slice(0, 10),
    start_time: from,
    end_time: to,
    ...(Object.keys(filter).length ? { filter } : {}),
    ...(q.columns?.length ? { columns: q.columns } : {}),
    ...(q.sort ? { sort: q.sort } : {}),
  };
}

function checkLogQuery(q: PostbackLogQuery): void {
  const c = new Checker("integr8.listPostbackLogs");
  for (const k of ["from", "to"] as const) {
    if (!c.required(k, q?.[k])) continue;
    if (typeof q[k] !== "string" || !(isIsoDate(q[k]) || isRfc3339(q[k]))) c.fail(k, `${k} must be a date (YYYY-MM-DD) or an RFC 3339 date-time, got ${JSON.stringify(q[k])}`);
  }
  if (!c.failures.length) {
    const from = Date.parse(postbackLogParams(q).start_time as string);
    const to = Date.parse(postbackLogParams(q).end_time as string);
    if (from > to) c.fail("to", `to must not be before from (${q.from} > ${q.to})`);
  }
  c.oneOf("serviceType", q?.serviceType, LOG_SERVICE_TYPES);
  c.number("statusCode", q?.statusCode, { integer: true, min: 100, max: 599 });
  c.number("minDurationMs", q?.minDurationMs, { integer: true, min: 0 });
  c.number("maxDurationMs", q?.maxDurationMs, { integer: true, min: 0 });
  pageChecks(c, q ?? ({} as PostbackLogQuery));
  invalid(c, "integr8.listPostbackLogs");
}

/** Postback history for a date range, lazily, page by page. */
export async function* iteratePostbackLogs(q: PostbackLogQuery): AsyncGenerator<JsonObject> {
  checkLogQuery(q);
  const client = contextFor(network).client;
  yield* client.paginate("listPostbackLogs", { organizationID: client.org(q.organizationId) }, postbackLogParams(q), q);
}

/** Postback history for a date range with the seed's filters; at most `limit` (default 1000). */
export async function listPostbackLogs(q: PostbackLogQuery): Promise<JsonObject[]> {
  const out: JsonObject[] = [];
  for await (const row of iteratePostbackLogs({ ...q, limit: q.limit ?? DEFAULT_LIMIT })) out.push(row);
  return out;
}

/** The organization's offer applications (any status). */
export async function listOfferApplications(opts: ListOptions = {}): Promise<JsonObject[]> {
  const c = new Checker("integr8.listOfferApplications");
  pageChecks(c, opts);
  invalid(c, "integr8.listOfferApplications");
  const client = contextFor(network).client;
  return client.collect("listOfferApplications", { organizationID: client.org(opts.organizationId) }, listQuery(opts), { ...opts, limit: opts.limit ?? DEFAULT_LIMIT });
}
