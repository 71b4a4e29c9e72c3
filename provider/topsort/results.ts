import { fromWireAmount } from "../core/money/money";
import { askKey, ResultsSource } from "../core/money/results";
import type { TopsortClient } from "./client";

/** `GET /public/v1/reporting-service/campaigns/{campaignId}` (spend in the marketplace currency's minor units). */
interface CampaignReport {
  impressions?: number;
  clicks?: number;
  purchases?: { count?: number; amount?: number };
  spend?: number;
}

/** Topsort's results: the reporting service takes one campaign per request (one request per campaign asked). */
export const results: ResultsSource<TopsortClient> = {
  types: { Campaign: "object" },
  maxDays: 366,
  async fetch(client, asks, w, call) {
    const out = new Map<string, { impressions: number; clicks: number; conversions: number; spend: number }>();
    for (const a of asks) {
      call.take();
      const r = await client.request<CampaignReport>({
        method: "GET", path: client.reportingPath(`/campaigns/${encodeURIComponent(a.id)}`), query: { start_date: w.from, end_date: w.to },
        timeoutMs: call.timeoutMs, attempts: call.attempts,
      });
      out.set(askKey(a.type, a.id), {
        impressions: Number(r?.impressions ?? 0), clicks: Number(r?.clicks ?? 0), conversions: Number(r?.purchases?.count ?? 0),
        spend: fromWireAmount("minor", Number(r?.spend ?? 0), a.currency),
      });
    }
    return out;
  },
};
