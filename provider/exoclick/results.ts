import { askKey, ResultsSource } from "../core/money/results";
import type { ExoClickClient } from "./client";

/** A row of `POST /statistics/a/global` (cost in major units of the account's currency). */
interface StatsRow {
  group_by?: { campaign_id?: { id?: number | string }; variation_id?: { id?: number | string } };
  impressions?: number;
  clicks?: number;
  cost?: number;
  conversions?: number;
}

const PAGE = 500;

/**
 * ExoClick's results: `POST /statistics/a/global` grouped by campaign (and
 * variation when a variation is asked), filtered to the campaigns asked
 * (a variation's campaign too), pages of 500: one request per page for all.
 */
export const results: ResultsSource<ExoClickClient> = {
  types: { Campaign: "object", Variation: "part" },
  maxDays: 366,
  async fetch(client, asks, w, call) {
    // A variation's id is "<campaignId>/<variationId>".
    const campaigns = [...new Set(asks.map((a) => (a.type === "Variation" ? String(a.inputs.campaignId ?? a.id.split("/")[0]) : a.id)).filter(Boolean))].map(Number);
    const byVariation = asks.some((a) => a.type === "Variation");
    const rows: StatsRow[] = [];
    for (let offset = 0; ; offset += PAGE) {
      call.take();
      const body = {
        filter: { date_from: w.from, date_to: w.to, campaign_id: campaigns },
        group_by: byVariation ? ["campaign_id", "variation_id"] : ["campaign_id"],
        limit: PAGE, offset,
      };
      const res = await client.request<{ result?: StatsRow[] }>({ method: "POST", path: "/statistics/a/global", body: { json: body }, idempotent: true, timeoutMs: call.timeoutMs, attempts: call.attempts });
      const page = Array.isArray(res?.result) ? res.result : [];
      rows.push(...page);
      if (page.length < PAGE) break;
    }
    const out = new Map<string, { impressions: number; clicks: number; conversions: number; spend: number }>();
    const add = (k: string, r: StatsRow) => {
      const t = out.get(k) ?? { impressions: 0, clicks: 0, conversions: 0, spend: 0 };
      t.impressions += Number(r.impressions ?? 0);
      t.clicks += Number(r.clicks ?? 0);
      t.conversions += Number(r.conversions ?? 0);
      t.spend += Number(r.cost ?? 0);
      out.set(k, t);
    };
    for (const r of rows) {
      const c = r.group_by?.campaign_id?.id;
      const v = r.group_by?.variation_id?.id;
      if (c !== undefined) add(askKey("Campaign", String(c)), r);
      if (v !== undefined && c !== undefined) add(askKey("Variation", `${c}/${v}`), r);
    }
    return out;
  },
};
