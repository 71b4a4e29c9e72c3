import * as pulumi from "@pulumi/pulumi";
import { interchange } from "pulumi-adnetworks";

export interface InterchangeCampaignOptions {
  /** Prefix of the resource name and the campaign name (lets several copies share an account). */
  prefix?: string;
  /** Interchange advertiser id (default 12345, the seed's). */
  advertiserId?: number;
  /** Desired state (default "ACTIVE": created DRAFT, then executed). */
  status?: "DRAFT" | "ACTIVE" | "PAUSED";
  /** Total budget in major units of the currency (default 5000). */
  budgetTotal?: number;
  /** Daily cap (default 250). */
  dailyCap?: number;
}

/**
 * An Interchange (Scope3) buyer campaign driven to ACTIVE: the seed's
 * create body (advertiser, name, flight dates, budget, DECISIONED) plus the
 * `mode` the published buyer contract requires on create ("discovery";
 * "performance" would need performanceConfig), a brief and US/CA targeting.
 * Pulumi creates it DRAFT and runs `execute`; changing `status` later pauses
 * or reactivates it in place.
 */
export function interchangeCampaign(opts: InterchangeCampaignOptions = {}) {
  const prefix = opts.prefix ?? "retail";
  const campaign = new interchange.Campaign(`${prefix}-interchange-campaign`, {
    advertiserId: opts.advertiserId ?? 12345,
    name: `${prefix} retail media Q1 2026`,
    flightDates: { startDate: "2026-01-15T00:00:00Z", endDate: "2026-03-31T23:59:59Z" },
    budget: { total: opts.budgetTotal ?? 5000, currency: "USD", dailyCap: opts.dailyCap ?? 250, pacing: "EVEN" },
    campaignType: "DECISIONED",
    mode: "discovery",
    status: opts.status ?? "ACTIVE",
    brief: "Retail media: premium display and video next to product pages, shoppers in the US and Canada",
    constraints: { geoCountries: ["US", "CA"], deviceType: ["desktop", "mobile"] },
  });
  return {
    interchangeCampaignId: campaign.id as pulumi.Output<string>,
    interchangeStatus: campaign.status as pulumi.Output<string>,
  };
}
