import * as pulumi from "@pulumi/pulumi";
import { topsort } from "pulumi-adnetworks";

export interface TopsortCampaignOptions {
  /** Prefix of the resource name (lets several copies share an account). */
  prefix?: string;
  /** The vendor that owns the campaign. */
  vendorId?: string;
  name?: string;
  /** Bid per thousand impressions, in the marketplace's currency (default 2.5 = 2.50). */
  bidAmount?: number;
  /** Daily budget in the marketplace's currency (default 1500 = 1,500.00). */
  budgetAmount?: number;
  isActive?: boolean;
  /** The marketplace's banner slot (default "home-top"). */
  slotId?: string;
  /** Banner image URL (728x90). */
  assetUrl?: string;
}

/**
 * A Topsort banner campaign: a daily budget, one product bid served in the
 * marketplace's home-page slot with a 728x90 creative. Returns its outputs.
 */
export function topsortCampaign(opts: TopsortCampaignOptions = {}): Record<string, pulumi.Output<any>> {
  const prefix = opts.prefix ?? "demo";
  const campaign = new topsort.Campaign(`${prefix}-topsort-banner`, {
    vendorId: opts.vendorId ?? "vendor-acme",
    name: opts.name ?? "Acme spring banner",
    adFormat: "banner",
    campaignType: "manual",
    chargeType: "CPM",
    budget: { amount: opts.budgetAmount ?? 1500, type: "daily" },
    startDate: "2027-03-01T00:00:00Z",
    endDate: "2027-05-31T23:59:59Z",
    isActive: opts.isActive ?? true,
    bids: [{ amount: opts.bidAmount ?? 2.5, target: { id: "sku-acme-runner-42", type: "product" } }],
    banner: {
      slotId: opts.slotId ?? "home-top",
      deviceType: "desktop",
      assets: [{ url: opts.assetUrl ?? "https://cdn.example.com/acme/spring-728x90.png", contentType: "image/png", width: 728, height: 90, size: 48213 }],
    },
  });
  return {
    topsortCampaignId: campaign.id,
    topsortReviewStatus: campaign.status,
    topsortWalletId: campaign.walletId,
  };
}
