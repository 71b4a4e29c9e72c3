import type { ListCampaignsQuery } from "./client";
import { contextFor } from "../core/config/context";
import { network } from "./network";
import { REVIEW_STATUSES, SORT_BY_DATE } from "./constants";

/** A campaign as Topsort's list returns it (the seed's campaign model). */
export interface CampaignSummary {
  campaignId: string;
  vendorId: string;
  marketplaceId: string;
  walletId: string;
  name: string;
  adFormat: "listing" | "banner";
  campaignType: "manual" | "autobidding" | "exclusive";
  chargeType: string;
  isActive: boolean;
  startDate: string;
  endDate: string;
  createdAt: string;
  bidCount: number;
  budget?: { amount: number; amountCarryover: number; amountRemaining: number; amountUsed: number; type: string };
  /** Banner review status. */
  status: "approved" | "pending" | "rejected";
  targetRoas?: number | null;
  [key: string]: unknown;
}

/**
 * Every campaign matching the filters, over all pages (offset / limit 100,
 * following `hasMore` and `next`). For programs (e.g. to find the id of an
 * existing campaign to adopt with the `import` option) and scripts.
 * Credentials: topsort:apiKey / TOPSORT_API_KEY as for the resources.
 *
 *   const all = await topsort.listCampaigns({ vendorId: "v-42", isActive: true });
 */
export async function listCampaigns(q: ListCampaignsQuery = {}): Promise<CampaignSummary[]> {
  if (q.status !== undefined && !(REVIEW_STATUSES as readonly string[]).includes(q.status)) {
    throw new Error(`topsort.listCampaigns: status must be one of ${REVIEW_STATUSES.join(", ")}; got ${JSON.stringify(q.status)}`);
  }
  if (q.sortByDate !== undefined && !(SORT_BY_DATE as readonly string[]).includes(q.sortByDate)) {
    throw new Error(`topsort.listCampaigns: sortByDate must be "asc" or "desc"; got ${JSON.stringify(q.sortByDate)}`);
  }
  if (q.vendorId !== undefined && (typeof q.vendorId !== "string" || q.vendorId === "")) {
    throw new Error(`topsort.listCampaigns: vendorId must be a non-empty string; got ${JSON.stringify(q.vendorId)}`);
  }
  return (await contextFor(network).client.listCampaigns(q)) as CampaignSummary[];
}
