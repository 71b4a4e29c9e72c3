import * as pulumi from "@pulumi/pulumi";
import { exoclick } from "pulumi-adnetworks";

export interface BannerOptions {
  /** Image path, relative to the program directory (default banner-300x250.png). */
  image?: string;
  /** Prefix of every resource and campaign name (lets several copies share an account). */
  prefix?: string;
  /** How many banner campaigns to declare (4 resources each). */
  count?: number;
  landingUrl?: string;
  /** Daily budget in the account's currency, major units (default 20 = 20.00). */
  maxDailyBudget?: number;
}

/**
 * The seed's 4-step flow as code: a landing page URL, a 300x250 banner, a
 * campaign, and a variation that links them. Pulumi orders the creates from
 * the outputs each resource takes.
 */
export function exoclickBanner(opts: BannerOptions = {}) {
  const prefix = opts.prefix ?? "demo";
  // Relative paths are read by the provider from the program's directory.
  const image = opts.image ?? "banner-300x250.png";
  const out: Record<string, pulumi.Output<string>> = {};
  for (let i = 0; i < (opts.count ?? 1); i++) {
    const suffix = (opts.count ?? 1) > 1 ? `-${i + 1}` : "";
    const landing = new exoclick.LibraryUrl(`${prefix}-landing${suffix}`, {
      url: opts.landingUrl ?? `https://your-landing-page.com${suffix ? `/?n=${i + 1}` : ""}`,
    });
    const banner = new exoclick.LibraryFile(`${prefix}-banner${suffix}`, {
      path: image,
      type: "image",
      size: "300x250",
    });
    const campaign = new exoclick.Campaign(`${prefix}-campaign${suffix}`, {
      name: `Banner 300x250 Production${suffix ? ` ${prefix}${suffix}` : ""}`,
      status: 0,
      advertiserAdType: 0,
      mediaStorageTemplate: "img_banner",
      size: "300x250",
      categories: { type: "targeted", elements: [97, 98, 99] },
      countries: { type: "targeted", elements: [{ country: "USA", regions: [0] }] },
      pricing: { model: 4, price: 3 },       // 3.00 per thousand impressions, in the account's currency
      startDate: "2026-03-02",
      dailyLimitType: 1,
      maxDailyBudget: opts.maxDailyBudget ?? 20, // 20.00 a day
      budgetDeliveryMode: 1,
      runOnResponsiveZones: 1,
    });
    const variation = new exoclick.Variation(`${prefix}-variation${suffix}`, {
      campaignId: campaign.id,
      libraryUrlId: landing.id,
      libraryFileId: banner.id,
      active: true,
    });
    out[`libraryUrlId${suffix}`] = landing.id;
    out[`libraryFileId${suffix}`] = banner.id;
    out[`campaignId${suffix}`] = campaign.id;
    out[`variationId${suffix}`] = variation.id;
  }
  return out;
}
