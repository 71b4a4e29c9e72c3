import { HttpClientOptions, ErrorDetails } from "../core/http/http";
import { ApiClient } from "../core/http/client";
import { collectPages, full } from "../core/http/paging";
import { settings } from "./settings";


export interface InterchangeCredentials {
  baseUrl: string;
  apiKey: string;
}


/** A JSON value's keys, when it is an object (or array); undefined otherwise. */
function objectOf(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === "object" ? (v as Record<string, unknown>) : undefined;
}

/**
 * Interchange's error envelope: `{data: null, error: {code, message, field?,
 * details?}}`; validation errors carry Zod issues in `details.issues`.
 */
export function parseError(body: unknown, status: number): ErrorDetails {
  const e = objectOf(objectOf(body)?.error);
  if (e) {
    const fieldErrors: Array<{ field: string; message: string }> = [];
    if (typeof e.field === "string" && e.field) fieldErrors.push({ field: e.field, message: String(e.message ?? "") });
    const issues = objectOf(e.details)?.issues;
    for (const issue of Array.isArray(issues) ? (issues as unknown[]) : []) {
      const path = objectOf(issue)?.path;
      const field = Array.isArray(path) ? path.join(".") : String(path ?? "");
      if (field && !fieldErrors.some((f) => f.field === field)) fieldErrors.push({ field, message: String(objectOf(issue)?.message ?? "") });
    }
    return { message: typeof e.message === "string" ? e.message : `HTTP ${status}`, code: typeof e.code === "string" ? e.code : undefined, fieldErrors };
  }
  const message = objectOf(body)?.message;
  if (typeof message === "string") return { message };
  return { message: typeof body === "string" && body ? body.slice(0, 300) : undefined };
}

export type CampaignAction = "execute" | "pause" | "reactivate";

export interface ListQuery {
  advertiserId?: number | string;
  name?: string;
  status?: string | string[];
  includeArchived?: boolean;
}

/**
 * What the client itself reads of Interchange's objects. The resource
 * declares their whole shapes (interchange/campaign.ts `InterchangeObjects`,
 * from its fields) and the network makes its client with them, so the
 * client never imports its resources.
 */
export interface InterchangeShapes {
  campaign: { campaignId?: string; advertiserId?: number | string; name?: unknown; status?: string; createdAt?: string };
}

/** Interchange buyer API v2 client over the shared HTTP layer; `W`: the shapes of the objects it moves. */
export class InterchangeClient<W extends InterchangeShapes = InterchangeShapes> extends ApiClient {
  constructor(creds: InterchangeCredentials, opts: Partial<HttpClientOptions> = {}) {
    super({ network: "Interchange", settings, baseUrl: creds.baseUrl, secrets: [creds.apiKey], parseError, authHeaders: () => ({ Authorization: `Bearer ${creds.apiKey}` }) }, opts);
  }

  /**
   * POST /campaigns (201 `{campaign}`). There is no idempotency key, so after
   * an ambiguous failure the campaign is looked up by its natural key
   * (advertiser and exact name, still DRAFT, created in the last minutes) instead of being posted again.
   */
  async createCampaign(body: W["campaign"]): Promise<W["campaign"]> {
    // A campaign this call created is still DRAFT (nothing executed it yet)
    // and recent; that keeps an older namesake (e.g. the one a replacement
    // supersedes) from being taken for it.
    const since = Date.now() - 5 * 60_000;
    const res = await this.create<W["campaign"], { campaign?: W["campaign"] }>({
      kind: "campaign", id: (c) => String(c.campaignId), createdId: (b) => b?.campaign?.campaignId, asResponse: (campaign) => ({ campaign }),
      candidates: async () => (await this.campaignsNamed(body.advertiserId ?? "", String(body.name)))
        .filter((c) => c.status === "DRAFT" && (!c.createdAt || Date.parse(c.createdAt) >= since)),
      request: { method: "POST", path: "/campaigns", body: { json: body } },
    });
    if (!res.campaign) throw new Error("Interchange answered the campaign create without the campaign");
    return res.campaign;
  }

  /** Natural key of a campaign: advertiser and exact name; live (not ARCHIVED) ones, oldest first (lost creates, `find`). */
  async campaignsNamed(advertiserId: number | string, name: string): Promise<W["campaign"][]> {
    return (await this.listCampaigns({ advertiserId, name }))
      .filter((c) => c.name === name && String(c.advertiserId) === String(advertiserId) && c.status !== "ARCHIVED")
      .sort((a, b) => String(a.createdAt ?? "").localeCompare(String(b.createdAt ?? "")));
  }

  async getCampaign(id: string): Promise<W["campaign"] | undefined> {
    return (await this.request<{ campaign?: W["campaign"] }>({ method: "GET", path: `/campaigns/${encodeURIComponent(id)}` })).campaign;
  }

  /** PUT /campaigns/{id}: every field optional, so a partial update. */
  async updateCampaign(id: string, body: Record<string, unknown>): Promise<W["campaign"] | undefined> {
    return (await this.request<{ campaign?: W["campaign"] } | undefined>({ method: "PUT", path: `/campaigns/${encodeURIComponent(id)}`, body: { json: body } }))?.campaign;
  }

  /** DELETE /campaigns/{id}: 204, a soft delete to ARCHIVED. */
  async deleteCampaign(id: string): Promise<void> {
    await this.request({ method: "DELETE", path: `/campaigns/${encodeURIComponent(id)}` });
  }

  /**
   * execute (DRAFT -> ACTIVE), pause (ACTIVE -> PAUSED), reactivate
   * (PAUSED -> ACTIVE). Each is a state transition the server checks (409 on
   * an illegal one), so replaying it after a lost response is harmless: the
   * retry either applies it or gets a 409 that `transition` re-reads.
   */
  async action(id: string, action: CampaignAction): Promise<unknown> {
    // The buyer contract (executeCampaign) requires a JSON body on execute ({} is valid); pause and
    // reactivate declare no request body, so they send none.
    const body = action === "execute" ? { json: {} } : undefined;
    return this.request({ method: "POST", path: `/campaigns/${encodeURIComponent(id)}/${action}`, body, idempotent: true });
  }

  /** The cheapest authenticated read: one campaign. */
  async verifyCredentials(): Promise<void> {
    await this.request({ method: "GET", path: "/campaigns", query: { take: 1, skip: 0 } });
  }

  /** Every page of GET /campaigns (take/skip, bounded). */
  async listCampaigns(q: ListQuery = {}, pageSize = 250, maxPages = 400): Promise<W["campaign"][]> {
    return collectPages(async (n) => {
      const body = (await this.request<{ campaigns?: W["campaign"][]; total?: unknown } | undefined>({
        method: "GET", path: "/campaigns",
        query: { ...q, includeArchived: q.includeArchived === undefined ? undefined : String(q.includeArchived), take: pageSize, skip: n * pageSize },
      })) ?? {};
      const items: W["campaign"][] = Array.isArray(body.campaigns) ? body.campaigns : [];
      const total = typeof body.total === "number" ? body.total : undefined;
      return { items, more: full(items, pageSize) && (total === undefined || (n + 1) * pageSize < total) };
    }, maxPages);
  }
}
