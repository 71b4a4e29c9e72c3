import { askKey, ResultsSource } from "../core/results";
import type { InterchangeClient } from "./client";

/** `GET /reporting/metrics?view=summary`: a row per campaign (spend in USD, major units). */
interface Metrics {
  data?: { currency?: string; rows?: Array<{ campaignId?: string | number; impressions?: number; clicks?: number; conversions?: number; spend?: number }> };
}

/**
 * Interchange's results: `GET /reporting/metrics?advertiserId&days&view=summary`,
 * one request per advertiser for all its campaigns asked (day grain: the
 * last `days` whole days, at most 90).
 */
export const results: ResultsSource<InterchangeClient> = {
  types: { Campaign: "object" },
  maxDays: 90,
  async fetch(client, asks, w, call) {
    const out = new Map<string, { impressions: number; clicks: number; conversions: number; spend: number; currency?: string }>();
    const advertisers = [...new Set(asks.map((a) => String(a.inputs.advertiserId ?? "")))].filter(Boolean).sort();
    for (const advertiserId of advertisers) {
      call.take();
      const asked = asks.filter((a) => String(a.inputs.advertiserId) === advertiserId);
      const query = { advertiserId, days: w.days, view: "summary", ...(asked.length === 1 ? { campaignId: asked[0].id } : {}) };
      const r = await client.request<Metrics>({ method: "GET", path: "/reporting/metrics", query, timeoutMs: call.timeoutMs, attempts: call.attempts });
      const ids = new Set(asked.map((a) => a.id));
      for (const row of r?.data?.rows ?? []) {
        const id = String(row.campaignId ?? "");
        if (!ids.has(id)) continue;
        out.set(askKey("Campaign", id), {
          impressions: Number(row.impressions ?? 0), clicks: Number(row.clicks ?? 0), conversions: Number(row.conversions ?? 0), spend: Number(row.spend ?? 0),
          currency: r?.data?.currency ?? "USD",
        });
      }
    }
    return out;
  },
};
