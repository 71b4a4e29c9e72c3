/**
 * One table per resource type: what the conformance suite
 * (test/conformance.test.ts) creates, changes in place, changes so that it
 * replaces, and which route a lost create response is injected on. A new
 * resource type gets the whole suite from its row.
 */
import * as path from "path";
import type { ProviderImpl } from "../../provider/core/schema/define";

type Props = Record<string, any>;

export interface Ctx {
  /** Creates a resource of `key` (checked inputs) and returns its id and outputs. */
  make(key: string, inputs: Props): Promise<{ id: string; outs: Props }>;
  provider(key: string): ProviderImpl;
}

export interface ConformanceRow {
  key: string;
  /** Inputs of a valid object (may create what it links to). */
  inputs(ctx: Ctx): Promise<Props>;
  /** A change the network applies in place (also used as the out-of-band edit). */
  update: Props;
  /** A change that replaces the object, when the type has one. */
  replace?: Props;
  /** "METHOD /path" fragment of the create route (for a lost response). */
  createRoute: string;
}

const ROOT = path.resolve(__dirname, "..", "..", "..");
const IMAGE = path.join(ROOT, "examples", "exoclick-banner", "banner-300x250.png");
const INTEGR8_PUBLIC_OFFER = "6610aa0000000000000000a2";
const INTEGR8_RESTRICTED_OFFER = "6610aa0000000000000000a1";

const exoCampaign = {
  name: "Conformance banner",
  size: "300x250",
  categories: { type: "targeted", elements: [97, 98] },
  countries: { type: "targeted", elements: [{ country: "USA" }] },
  pricing: { model: 4, price: 3 },
  startDate: "2027-03-02",
  dailyLimitType: 1,
  maxDailyBudget: 20,
  // Issue #20: every buyer field, so the raw-read check sees each come back (sandbox reference-list ids).
  endDate: "2027-06-30",
  totalBudgetLimit: 1000,
  totalImpressions: 1_000_000,
  maxDailyImpressions: 50_000,
  dailyLimitDeliveryMode: 1,
  optimizationAlgorithm: 1,
  publisherAdTypes: [1, 2],
  deviceTypes: { type: "targeted", elements: [1, 2] },
  browsers: { targeted: [1, 2] },
  carriers: { blocked: [101] },
  devices: { targeted: [1] },
  languages: { targeted: [1] },
  operatingSystems: { blocked: [8] },
  sites: { blocked: ["spam.example"] },
  keywords: { targeted: ["shoes"] },
  ipRanges: { blocked: ["10.0.0.0/8"] },
  dayParting: { timezone: "Europe/Paris", parting: [{ day: 1, hours: [9, 10] }, { day: 5, hours: [18] }] },
  frequencyCapping: { impressions: 2, minutes: 720 },
  zoneTargeting: { type: 1 },
  zones: [{ zoneId: 4242 }, { zoneId: 4343, price: 4 }],
};

const affiseOffer = {
  title: "Conformance offer",
  advertiser: "5e39279bac611cda7e5765ab",
  url: "https://track.example.com/click?c={clickid}",
  payments: [{ countries: ["RU"], cities: [57], goal: "28", total: 100, revenue: 30, currency: "USD", type: "fixed" }],
  caps: [{ period: "day", type: "conversions", value: 150 }, { period: "month", type: "clicks", value: 5000, subNumber: 2, subValues: ["promo"] }],
  landings: [{ title: "main", url: "https://lp.example.com/a", previewUrl: "https://lp.example.com/a?preview=1" }],
  targeting: [{
    name: "RU mobile", enabled: true, condition: "and",
    countries: { allow: ["RU"] }, regions: { allow: { RU: [33, 34] } }, cities: { deny: { RU: [57] } },
    os: { allow: [{ name: "Android", comparison: "GTE", version: "10" }, { name: "iOS" }] }, osDeny: false,
    isps: { allow: { RU: ["MTS"] } }, ispOrganizations: { deny: ["Hosting Ltd"], denyEmpty: true },
    ips: { deny: ["10.0.0.0/8", "192.168.1.1-192.168.1.255"], ipv6Deny: true },
    browsers: { deny: ["Edge"] }, browserVersions: { allow: [{ name: "Chrome", comparison: "GT", version: "100" }] },
    brands: { allow: ["Samsung"] }, deviceModels: { deny: ["SM-A105F"] },
    deviceTypes: ["mobile", "tablet"], deviceTypeDeny: false, connections: ["cellular"], connectionDeny: false,
    referrers: { deny: ["spam.example"], denyEmpty: true, isRegexp: false }, userAgents: { deny: ["curl"], denyCrawlers: true },
    zipCodes: { allow: ["101000"] }, blockProxy: true, blockKnownBots: true,
    trackingUrl: "https://track2.example.com/c?c={clickid}", trackingUrls: [{ url: "https://a.example.com/?c={clickid}", weight: 70 }, { url: "https://b.example.com/?c={clickid}", weight: 30 }],
    subAllow: { sub1: ["promo"] },
  }],
  stopDate: "2027-12-31",
  schedule: { enabled: true, dateStart: "2027-01-09", dateTo: "2027-08-01", timezone: "Europe/Moscow", intervals: [{ dayOfWeek: 1, from: 9, to: 18 }, { dayOfWeek: 5, from: 10, to: 14 }] },
  capsTimezone: "Europe/Moscow", capsGoalOvercap: "28", hideCaps: true, noticePercentOvercap: 80, isImpressionOvercap: true,
};

export const ROWS: ConformanceRow[] = [
  {
    key: "exoclick:LibraryUrl",
    inputs: async () => ({ url: "https://landing.example.com/a?c={clickid}" }),
    update: { url: "https://landing.example.com/b" },
    createRoute: "POST /v2/library/url",
  },
  {
    key: "exoclick:LibraryFile",
    inputs: async () => ({ path: IMAGE, size: "300x250" }),
    update: {},
    replace: { path: path.join(ROOT, "examples", "exoclick-banner", "banner-300x250-v2.png") },
    createRoute: "POST /v2/library/file",
  },
  {
    key: "exoclick:Campaign",
    inputs: async () => exoCampaign,
    update: { maxDailyBudget: 35, status: 1, browsers: { targeted: [3] }, frequencyCapping: { impressions: 4, minutes: 60 }, zones: [{ zoneId: 4242, price: 3.5 }] },
    replace: { size: "728x90" },
    createRoute: "POST /v2/campaigns",
  },
  {
    key: "exoclick:Variation",
    inputs: async (ctx) => {
      const url = await ctx.make("exoclick:LibraryUrl", { url: "https://landing.example.com/v" });
      const file = await ctx.make("exoclick:LibraryFile", { path: IMAGE, size: "300x250" });
      const campaign = await ctx.make("exoclick:Campaign", { ...exoCampaign, name: "Conformance variation host" });
      return { campaignId: campaign.id, libraryUrlId: url.id, libraryFileId: file.id };
    },
    update: { active: false },
    createRoute: "POST /v2/campaigns/:id/variation",
  },
  {
    key: "affise:Offer",
    inputs: async () => affiseOffer,
    update: {
      title: "Conformance offer v2", payments: [{ ...affiseOffer.payments[0], revenue: 35 }],
      landings: [{ title: "main", url: "https://lp.example.com/b", previewUrl: "https://lp.example.com/b?preview=1" }],
      schedule: { ...affiseOffer.schedule, intervals: [{ dayOfWeek: 2, from: 8, to: 20 }] }, noticePercentOvercap: 90,
    },
    createRoute: "POST /3.0/admin/offer",
  },
  {
    key: "affise:Postback",
    inputs: async (ctx) => {
      const offer = await ctx.make("affise:Offer", { ...affiseOffer, title: "Conformance postback host" });
      return { pid: 2, offerId: offer.id, url: "https://tracker.example.com/pb?c={clickid}", status: "confirmed" };
    },
    update: { url: "https://tracker.example.com/pb2?c={clickid}" },
    replace: { pid: 3 },
    createRoute: "POST /3.0/partner/postback",
  },
  {
    key: "integr8:Postback",
    inputs: async () => ({
      name: "Conformance conversions", integration: "6501c0ffee00000000000001", serviceType: "conversion",
      url: "https://tracker.example.com/pb?tx={external_transaction_id}", delayValue: 2, delayMetric: "Minute",
    }),
    update: { url: "https://tracker.example.com/pb2?tx={external_transaction_id}", active: false },
    replace: { integration: "6501c0ffee00000000000002" },
    createRoute: "POST /api/v2/publisher-view/:organizationID/postbacks",
  },
  {
    key: "integr8:OfferApplication",
    inputs: async () => ({ offerId: INTEGR8_PUBLIC_OFFER, agreeToTerms: true }),
    update: {},
    replace: { offerId: INTEGR8_RESTRICTED_OFFER },
    createRoute: "POST /api/v2/publisher-view/:organizationID/offers/:offerID/access-requests",
  },
  {
    key: "topsort:Campaign",
    inputs: async () => ({
      vendorId: "vendor-acme", name: "Conformance listing", adFormat: "listing",
      budget: { amount: 1500, type: "daily" }, startDate: "2027-03-01T00:00:00Z", endDate: "2027-05-31T23:59:59Z",
      bids: [{ amount: 2.5, target: { id: "sku-1" } }],
      campaignType: "autobidding", autobiddingObjective: "conversions", isAutoTrigger: true, externalCampaignId: "conf-listing-1",
      targetingFilters: { segments: [{ segmentId: "DFJ9R4" }, { segmentId: "984103" }] },
      exclusionFilters: { segments: [{ segmentId: "recent-buyers" }] },
      multiplierConfig: { multipliers: [{ segmentId: "DFJ9R4", multiplier: 2.5 }] },
      restrictions: [{ restrictionTypeId: 1, limit: 10 }, { restrictionTypeId: 4, limit: 3 }],
    }),
    update: {
      budget: { amount: 2000, type: "daily" }, bids: [{ amount: 3, target: { id: "sku-1" } }, { amount: 1.2, target: { id: "sku-2" } }],
      autobiddingObjective: "revenue", multiplierConfig: { multipliers: [{ segmentId: "DFJ9R4", multiplier: 3 }] }, restrictions: [{ restrictionTypeId: 1, limit: 20 }],
    },
    replace: { adFormat: "banner", chargeType: "CPM", banner: { slotId: "home-top", assets: [{ url: "https://cdn.example.com/b.png", contentType: "image/png", width: 728, height: 90, size: 1000 }] } },
    createRoute: "POST /public/v1/campaign-service/campaigns",
  },
  {
    key: "interchange:Campaign",
    inputs: async () => ({
      advertiserId: 12345, name: "Conformance campaign",
      flightDates: { startDate: "2027-01-15T00:00:00Z", endDate: "2027-03-31T23:59:59Z" },
      budget: { total: 5000, currency: "USD", dailyCap: 250, pacing: "EVEN" },
      campaignType: "DECISIONED",
      mode: "discovery",
      discoveryId: "session_abc123", productIds: ["prod_123", "prod_456"],
      audienceConfig: { targetAudienceIds: ["aud_123"], suppressAudienceIds: ["aud_999"] },
      catalogId: 42,
      utmConfig: { params: [{ paramKey: "utm_source", paramValue: "scope3" }, { paramKey: "utm_medium", paramValue: "display" }] },
      dataDelivery: { outputs: [{ dataDeliveryType: "IMPRESSIONS", cadence: "DAILY", credentialName: "gcs-logs", deliveryConfig: { type: "GCS", pathPrefix: "q1/", format: "PARQUET" } }] },
    }),
    update: {
      budget: { total: 7500, currency: "USD", dailyCap: 300, pacing: "EVEN" },
      audienceConfig: { targetAudienceIds: ["aud_456"] }, utmConfig: { params: [{ paramKey: "utm_source", paramValue: "interchange" }] },
    },
    replace: { campaignType: "ROUTED" },
    createRoute: "POST /campaigns",
  },
];
