import { HttpClientOptions, ErrorDetails } from "../core/http/http";
import { ApiClient } from "../core/http/client";
import { timeMark } from "../core/http/recover";
import { collectPages } from "../core/http/paging";
import { asArray, asObject } from "../core/http/json";
import { MAX_PAGE, PATH_PREFIX } from "./constants";
import { settings } from "./settings";


export interface TopsortCredentials {
  apiKey: string;
  baseUrl: string;
  /** "/public/v1/campaign-service" today, "/v1/campaign-service" in older docs. */
  pathPrefix?: string;
}


/**
 * Topsort's documented error body is a JSON array of `{errCode, docUrl,
 * message?}`; the campaign service may also answer FastAPI-style
 * `{detail: [{loc, msg, type}]}` [I]. Both are understood.
 */
export function parseError(body: unknown, status: number): ErrorDetails {
  if (Array.isArray(body) && body.length && typeof body[0] === "object") {
    const list = body.map((e) => asObject(e) ?? {});
    const fieldErrors: Array<{ field: string; message: string }> = [];
    for (const e of list) {
      const m = /^((?:body|query)\.[\w.\[\]-]+): (.+)$/.exec(String(e.message ?? ""));
      if (m) fieldErrors.push({ field: m[1].replace(/^(body|query)\./, ""), message: m[2] });
    }
    const messages = list.map((e) => String(e.message ?? e.errCode ?? "")).filter(Boolean);
    return { message: messages.join("; ") || `HTTP ${status}`, code: list[0].errCode ? String(list[0].errCode) : undefined, fieldErrors };
  }
  const b = asObject(body);
  if (b && Array.isArray(b.detail)) {
    const fieldErrors = b.detail.map((x) => {
      const d = asObject(x);
      return { field: asArray(d?.loc).filter((l) => l !== "body" && l !== "query").join("."), message: String(d?.msg ?? "") };
    });
    return { message: fieldErrors.map((f) => `${f.field}: ${f.message}`).join("; ") || `HTTP ${status}`, fieldErrors };
  }
  if (b) {
    const m = b.message ?? b.detail ?? b.errCode;
    if (typeof m === "string") return { message: m, code: typeof b.errCode === "string" ? b.errCode : undefined };
  }
  return { message: typeof body === "string" && body ? body.slice(0, 300) : undefined };
}

/** A page of Topsort's listings: the items under their key, `hasMore` and where the next page starts. */
type PageBody<T> = { campaigns?: T[]; bids?: T[]; hasMore?: boolean; next?: { offset?: unknown; limit?: unknown } };

export interface ListCampaignsQuery {
  vendorId?: string;
  /** Banner review status. */
  status?: "approved" | "pending" | "rejected";
  isActive?: boolean;
  sortByDate?: "asc" | "desc";
}

/**
 * What the client itself reads of Topsort's objects. The resource declares
 * their whole shapes (topsort/campaign.ts `TopsortObjects`, from its fields)
 * and the network makes its client with them, so the client never imports
 * its resources.
 */
export interface TopsortShapes {
  campaign: { campaignId?: string; name?: unknown; adFormat?: unknown; externalCampaignId?: unknown; createdAt?: unknown };
  bid: object;
  restriction: { restrictionType?: { id?: unknown }; restrictionTypeId?: unknown };
}

/** Topsort campaign-service client over the shared HTTP layer; `W`: the shapes of the objects it moves. */
export class TopsortClient<W extends TopsortShapes = TopsortShapes> extends ApiClient {
  private readonly prefix: string;

  constructor(creds: TopsortCredentials, opts: Partial<HttpClientOptions> = {}) {
    const p = (creds.pathPrefix ?? PATH_PREFIX).trim();
    const prefix = p === "" || p === "/" ? "" : `/${p.replace(/^\/+|\/+$/g, "")}`;
    super({ network: "Topsort", settings, baseUrl: creds.baseUrl, secrets: [creds.apiKey], identity: [prefix], parseError, authHeaders: () => ({ Authorization: `Bearer ${creds.apiKey}` }) }, opts);
    this.prefix = prefix;
  }

  private path(p: string): string {
    return `${this.prefix}${p}`;
  }

  /** A path of the reporting service, beside the campaign service (`/public/v1/reporting-service/...`). */
  reportingPath(p: string): string {
    return `${this.prefix.replace(/campaign-service$/, "reporting-service")}${p}`;
  }

  /**
   * POST /campaigns?vendor_id=. There is no idempotency key, so after an
   * ambiguous failure the campaign is looked up by its natural key (vendor,
   * exact name, ad format, externalCampaignId when given) instead of being
   * posted again; campaigns that existed before this process first created
   * one for the vendor (marked by the vendor's newest page), or that another
   * resource already owns, are never taken for it (core/http/recover).
   */
  async createCampaign(vendorId: string, body: W["campaign"]): Promise<W["campaign"]> {
    return this.create<W["campaign"], W["campaign"]>({
      kind: `campaign|${vendorId}`, id: (c) => String(c.campaignId), createdId: (b) => b?.campaignId,
      // What the vendor has now: its newest page by creation date (one request), not every campaign.
      existedBefore: () => timeMark(() => this.listCampaigns({ vendorId, sortByDate: "desc" }, 1), (c) => String(c.campaignId), (c) => c.createdAt,
        () => this.listCampaigns({ vendorId, sortByDate: "asc" })),
      candidates: () => this.campaignsMatching(vendorId, body),
      request: { method: "POST", path: this.path("/campaigns"), query: { vendor_id: vendorId }, body: { json: body } },
    });
  }

  /** Natural key of a campaign: vendor, exact name, ad format, externalCampaignId when given (lost creates, `find`). */
  async campaignsMatching(vendorId: string, key: { name?: unknown; adFormat?: unknown; externalCampaignId?: unknown }): Promise<W["campaign"][]> {
    return (await this.listCampaigns({ vendorId, sortByDate: "asc" })).filter((c) => c.name === key.name && c.adFormat === key.adFormat
      && (key.externalCampaignId === undefined || c.externalCampaignId === key.externalCampaignId));
  }

  async getCampaign(id: string): Promise<W["campaign"] | undefined> {
    return await this.request<W["campaign"]>({ method: "GET", path: this.path(`/campaigns/${encodeURIComponent(id)}`) });
  }

  /** PATCH /campaigns/{id}: the fields Topsort lets you change. */
  async updateCampaign(id: string, body: Record<string, unknown>): Promise<W["campaign"]> {
    return await this.request<W["campaign"]>({ method: "PATCH", path: this.path(`/campaigns/${encodeURIComponent(id)}`), body: { json: body } });
  }

  async deleteCampaign(id: string): Promise<void> {
    await this.request({ method: "DELETE", path: this.path(`/campaigns/${encodeURIComponent(id)}`) });
  }

  /** The cheapest authenticated read: one campaign. */
  async verifyCredentials(): Promise<void> {
    await this.request({ method: "GET", path: this.path("/campaigns"), query: { offset: 0, limit: 1 } });
  }

  /** Every page of GET /campaigns (offset / limit <= 100, `hasMore`, `next`), bounded. */
  async listCampaigns(q: ListCampaignsQuery = {}, maxPages = 1000): Promise<W["campaign"][]> {
    return this.pages<W["campaign"]>("/campaigns", "campaigns", {
      vendor_id: q.vendorId, status: q.status, is_active: q.isActive === undefined ? undefined : String(q.isActive), sort_by_date: q.sortByDate,
    }, maxPages);
  }

  /** Every bid of a campaign (GET .../bids, paged like campaigns). */
  async listBids(campaignId: string): Promise<W["bid"][]> {
    return this.pages<W["bid"]>(`/campaigns/${encodeURIComponent(campaignId)}/bids`, "bids", {}, 100);
  }

  /**
   * POST .../bids with `{bids: [...]}` [I: body shape]. Replaying it after a
   * lost response could double a bid, so the bids are looked up by target first.
   */
  async createBids(campaignId: string, bids: W["bid"][], keyOf: (b: W["bid"]) => string): Promise<W["bid"][]> {
    const wanted = new Set(bids.map(keyOf));
    const res = await this.http.request<{ bids?: W["bid"][] } | W["bid"][]>({
      method: "POST", path: this.path(`/campaigns/${encodeURIComponent(campaignId)}/bids`), body: { json: { bids } }, idempotent: false,
      recover: async () => {
        const found = (await this.listBids(campaignId)).filter((b) => wanted.has(keyOf(b)));
        return found.length === wanted.size ? { bids: found } : undefined;
      },
    });
    const body = res.body;
    return Array.isArray(body) ? body : Array.isArray(body?.bids) ? body.bids : [];
  }

  async updateBid(campaignId: string, bidId: string, body: Record<string, unknown>): Promise<W["bid"]> {
    return await this.request<W["bid"]>({ method: "PATCH", path: this.path(`/campaigns/${encodeURIComponent(campaignId)}/bids/${encodeURIComponent(bidId)}`), body: { json: body } });
  }

  async deleteBid(campaignId: string, bidId: string): Promise<void> {
    await this.request({ method: "DELETE", path: this.path(`/campaigns/${encodeURIComponent(campaignId)}/bids/${encodeURIComponent(bidId)}`), okStatuses: [404] });
  }

  /** GET .../restrictions: `{restrictions: [...]}`, every status (unpaged in the docs). */
  async listRestrictions(campaignId: string): Promise<W["restriction"][]> {
    const body = await this.request<{ restrictions?: W["restriction"][] } | undefined>({ method: "GET", path: this.path(`/campaigns/${encodeURIComponent(campaignId)}/restrictions`) });
    return Array.isArray(body?.restrictions) ? body!.restrictions : [];
  }

  /**
   * POST .../restrictions with `{limit, restrictionTypeId}` (201). A campaign
   * keeps one restriction per type, so after a lost response the restriction
   * is looked up by its type instead of posted again.
   */
  async createRestriction(campaignId: string, body: { restrictionTypeId: number; limit: number }): Promise<W["restriction"]> {
    const res = await this.http.request<W["restriction"]>({
      method: "POST", path: this.path(`/campaigns/${encodeURIComponent(campaignId)}/restrictions`), body: { json: body }, idempotent: false,
      recover: async () => (await this.listRestrictions(campaignId)).find((r) => Number(r.restrictionType?.id ?? r.restrictionTypeId) === body.restrictionTypeId),
    });
    return res.body;
  }

  /** PATCH .../restrictions/{id} [I: route and body; the docs list "Update Campaign Restriction" (PATCH)]. */
  async updateRestriction(campaignId: string, restrictionId: number | string, body: { limit?: number; status?: string }): Promise<W["restriction"]> {
    return await this.request<W["restriction"]>({
      method: "PATCH", path: this.path(`/campaigns/${encodeURIComponent(campaignId)}/restrictions/${encodeURIComponent(String(restrictionId))}`), body: { json: body },
    });
  }

  private async pages<T>(path: string, key: "campaigns" | "bids", query: Record<string, unknown>, maxPages: number): Promise<T[]> {
    let offset = 0;
    let limit = MAX_PAGE;
    return collectPages(async () => {
      const body = (await this.request<PageBody<T> | undefined>({ method: "GET", path: this.path(path), query: { ...query, offset, limit } })) ?? {};
      const list = body[key];
      const items: T[] = Array.isArray(list) ? list : [];
      const next = body.next ?? {};
      const nextOffset = typeof next.offset === "number" && Number.isInteger(next.offset) ? next.offset : offset + items.length;
      // A server that does not advance would loop forever.
      const more = !!body.hasMore && nextOffset > offset;
      offset = nextOffset;
      if (typeof next.limit === "number" && Number.isInteger(next.limit) && next.limit > 0) limit = Math.min(next.limit, MAX_PAGE);
      return { items, more };
    }, maxPages);
  }
}
