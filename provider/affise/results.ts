import { askKey, ResultsSource } from "../core/money/results";
import type { AffiseClient } from "./client";

/** A row of `GET /3.0/stats/custom` sliced by offer (amounts in the offer's currency, major units). */
interface StatsRow {
  slice?: { offer?: { id?: number | string } };
  views?: number;
  traffic?: { raw?: number };
  actions?: { total?: { count?: number; charge?: number } };
}

const PAGE = 500;

/**
 * Affise's results: `GET /3.0/stats/custom?slice[]=offer` filtered to the
 * offers asked, pages of 500 (one request per page for all). Impressions
 * are the views, clicks the raw traffic, conversions the actions' count,
 * spend what the actions were charged (the payouts).
 */
export const results: ResultsSource<AffiseClient> = {
  types: { Offer: "object" },
  maxDays: 366,
  async fetch(client, asks, w, call) {
    const rows: StatsRow[] = [];
    for (let page = 1; ; page++) {
      call.take();
      const r = await client.request<{ stats?: StatsRow[]; pagination?: { total_count?: number } }>({
        method: "GET", path: "/3.0/stats/custom",
        query: { slice: ["offer"], filter: { date_from: w.from, date_to: w.to, offer: asks.map((a) => a.id) }, page, limit: PAGE },
        timeoutMs: call.timeoutMs, attempts: call.attempts,
      });
      const got = Array.isArray(r?.stats) ? r.stats : [];
      rows.push(...got);
      if (got.length < PAGE) break;
    }
    const out = new Map<string, { impressions: number; clicks: number; conversions: number; spend: number }>();
    for (const row of rows) {
      const id = row.slice?.offer?.id;
      if (id === undefined) continue;
      out.set(askKey("Offer", String(id)), {
        impressions: Number(row.views ?? 0), clicks: Number(row.traffic?.raw ?? 0),
        conversions: Number(row.actions?.total?.count ?? 0), spend: Number(row.actions?.total?.charge ?? 0),
      });
    }
    return out;
  },
};
