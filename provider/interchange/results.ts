import { askKey, ResultsSource } from "../core/money/results";
import type { InterchangeClient } from "./client";

interface Metrics { impressions?: number; clicks?: number; conversions?: number; spend?: number }

/** `GET /reporting/metrics?view=summary`: advertiser -> campaign breakdown, each with its `metrics` (spend in USD, major units). */
interface Summary {
  advertisers?: Array<{ advertiserId?: string | number; campaigns?: Array<{ campaignId?: string | number; metrics?: Metrics }> }>;
}

/**
 * Interchange's results: `GET /reporting/metrics?view=summary&days&advertiserId`,
 * one request per advertiser for all its campaigns asked (a campaign alone:
 * `campaignId` too). Day grain: the last `days` whole days, at most 90.
 * Spend is in USD (the documented metric), whatever the budget's currency.
 */
export const results: ResultsSource<InterchangeClient> = {
  types: { Campaign: "object" },
  maxDays: 90,
  async fetch(client, asks, w, call) {
    const out = new Map<string, { impressions: number; clicks: number; conversions: number; spend: number; currency: string }>();
    const advertisers = [...new Set(asks.map((a) => String(a.inputs.advertiserId ?? "")))].filter(Boolean).sort();
    for (const advertiserId of advertisers) {
      call.take();
      const asked = asks.filter((a) => String(a.inputs.advertiserId) === advertiserId);
      const query = { view: "summary", days: w.days, advertiserId, ...(asked.length === 1 ? { campaignId: asked[0].id } : {}) };
      const r = await client.request<Summary>({ method: "GET", path: "/reporting/metrics", query, timeoutMs: call.timeoutMs, attempts: call.attempts });
      const ids = new Set(asked.map((a) => a.id));
      for (const adv of r?.advertisers ?? []) {
        for (const c of adv.campaigns ?? []) {
          const id = String(c.campaignId ?? "");
          if (!ids.has(id)) continue;
          const m = c.metrics ?? {};
          out.set(askKey("Campaign", id), {
            impressions: Number(m.impressions ?? 0), clicks: Number(m.clicks ?? 0), conversions: Number(m.conversions ?? 0), spend: Number(m.spend ?? 0), currency: "USD",
          });
        }
      }
    }
    return out;
  },
};
