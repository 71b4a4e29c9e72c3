/**
 * Accounts seeded out of band, as a dashboard would make them: requests
 * straight to the sandbox's API (not through Pulumi), with varied objects.
 * adnet-import tests turn them into code.
 */
import type { Sandbox } from "../../provider/sandbox/server";
import { networkNamed } from "../../provider/networks";
import { png } from "./png";
import { sandboxConfig } from "../../provider/sandbox/config";

/** Calls a sandbox network's API with its own auth. */
export async function api(sb: Sandbox, network: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<any> {
  const res = await fetch(`${sb.urlFor(network)}${path}`, {
    method,
    headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const parsed = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return parsed;
}

/** The sandbox's stack config for a network as plain values, and as environment variables. */
export function sandboxSettings(sb: Sandbox, network: string): { config: Record<string, { value: string; secret?: boolean }>; env: Record<string, string> } {
  const net = networkNamed(network)!;
  const config = sandboxConfig(network, sb.urlFor(network));
  const env: Record<string, string> = {};
  for (const spec of Object.values(net.settings)) if (config[spec.key]) env[spec.env] = config[spec.key].value;
  return { config, env };
}

export interface ExoClickSeed {
  urls: number[];
  campaigns: number[];
  archived: number;
}

/** ExoClick: landing pages, campaigns with targeting, bids and budgets (one with every buyer field of issue #20), one archived campaign. */
export async function seedExoClick(sb: Sandbox): Promise<ExoClickSeed> {
  const { EXOCLICK_SANDBOX_CREDENTIALS } = require("../../provider/sandbox/exoclick");
  const login = await api(sb, "exoclick", "POST", "/v2/login", { api_token: EXOCLICK_SANDBOX_CREDENTIALS.apiToken });
  const auth = { authorization: `Bearer ${login.token}` };
  const call = (method: string, path: string, body?: unknown) => api(sb, "exoclick", method, `/v2${path}`, body, auth);
  const urls = [
    (await call("POST", "/library/url", { url: "https://shop.example/summer?src={clickid}" })).id,
    (await call("POST", "/library/url", { url: "https://shop.example/winter" })).id,
  ];
  const banner = { advertiser_ad_type: 0, media_storage_template: "img_banner", size: "300x250" };
  const campaigns = [
    (await call("POST", "/campaigns", {
      ...banner, name: "Summer Sale 300x250", status: 1, pricing: { model: 4, price: 300 },
      countries: { type: "targeted", elements: [{ country: "USA" }, { country: "DEU", regions: [5, 6] }] },
      categories: { type: "blocked", elements: [97] }, daily_limit_type: 1, max_daily_budget: 2000, start_date: "2026-03-02",
      // Issue #20: what a buyer sets every day (sandbox reference-list ids).
      total_budget_limit: 500_000, max_daily_impressions: 100_000, daily_limit_delivery_mode: 1, optimization_algorithm: 1, publisher_ad_types: [1, 2],
      device_types: { type: "targeted", elements: [2, 3] },
      day_parting: { timezone: "America/New_York", parting: [{ day: 1, hours: [9, 10, 11] }, { day: 5, hours: [17, 18] }] },
      frequency_capping: { enabled: true, impressions: 3, minutes: 1440 },
      zone_targeting: { type: 1, network_selection: 0, partner_networks: 0 }, zones: [{ idzone: 555001, price: 0 }, { idzone: 555002, price: 420 }],
    })).id,
    (await call("POST", "/campaigns", { ...banner, name: "Winter Sale 300x250", pricing: { model: 2, price: 150 }, start_date: "2026-11-01", end_date: "2027-02-28" })).id,
    (await call("POST", "/campaigns", { advertiser_ad_type: 7, media_storage_template: "link", name: "Popunder retargeting", pricing: { model: 1, price: 20 }, start_date: "2026-05-01", budget_delivery_mode: 1 })).id,
  ];
  for (const [mode, kind, values] of [
    ["targeted", "browsers", [1, 2]], ["blocked", "carriers", [101]], ["targeted", "devices", [4, 5]], ["targeted", "languages", [1]],
    ["targeted", "operating_systems", [5, 6]], ["blocked", "sites", ["spam.example"]], ["targeted", "keywords", ["summer", "sale"]], ["blocked", "ip_ranges", ["10.0.0.0/8"]],
  ] as const) await call("PUT", `/campaigns/${campaigns[0]}/${mode}/${kind}`, values);
  const old = (await call("POST", "/campaigns", { ...banner, name: "Old campaign", pricing: { model: 2, price: 100 }, start_date: "2025-01-01" })).id;
  await call("PUT", "/campaigns/delete", { campaign_ids: [old] });
  // One image used by both banner campaigns' variations (declared once in the program), and a second image.
  const upload = async (data: Buffer, name: string) => {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(data)]), name);
    form.append("type", "image");
    const res = await fetch(`${sb.urlFor("exoclick")}/v2/library/file`, { method: "POST", headers: auth, body: form });
    if (!res.ok) throw new Error(`upload ${name}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { id: number }).id;
  };
  const files = [await upload(png(300, 250, 40), "summer-300x250.png"), await upload(png(300, 250, 200), "winter-300x250.png")];
  const variation = async (campaign: number, url: number, file: number, active = 1) => {
    const form = new FormData();
    form.append("id_library_url", String(url));
    form.append("id_library_file", String(file));
    form.append("active", String(active));
    const res = await fetch(`${sb.urlFor("exoclick")}/v2/campaigns/${campaign}/variation`, { method: "POST", headers: auth, body: form });
    if (!res.ok) throw new Error(`variation: ${res.status} ${await res.text()}`);
  };
  await variation(campaigns[0], urls[0], files[0]);
  await variation(campaigns[0], urls[1], files[0], 0);
  await variation(campaigns[1], urls[1], files[0]);
  await variation(campaigns[1], urls[1], files[1]);
  return { urls, campaigns, archived: 1 };
}

/**
 * Makes objects through a resource's provider (check, then create): the
 * network's own API, outside any Pulumi stack. Call-time settings must point
 * at the sandbox (applyStackConfig).
 */
export async function make(key: string, inputs: Record<string, unknown>): Promise<string> {
  const { get } = require("../../provider/registry");
  const p = get(key);
  const c = await p.check({}, inputs);
  if (c.failures?.length) throw new Error(`${key}: ${JSON.stringify(c.failures)}`);
  return (await p.create(c.inputs)).id;
}

/** Affise: offers with payouts (general and per partner), caps, targeting, landings; postbacks on offers and a global one; one deleted offer. */
export async function seedAffise(): Promise<void> {
  const offer = (title: string, extra: Record<string, unknown>) => make("affise:Offer", {
    title, advertiser: "5e39279bac611cda7e5765ab", url: `https://track.example/click?o=${encodeURIComponent(title)}&c={clickid}`, ...extra,
  });
  const a = await offer("Summer VPN", {
    status: "active", privacy: "protected", descriptions: { en: "VPN for summer" },
    payments: [{ countries: ["US"], devices: ["mobile"], goal: "1", total: 3.5, revenue: 2, currency: "USD", type: "fixed" }],
    partnerPayments: [{ partners: [2], countries: ["US"], goal: "1", total: 3, type: "fixed", currency: "USD", revenue: 2.5 }],
    caps: [{ period: "day", type: "conversions", value: 150, goalType: "all", affiliateType: "all" }],
    capsStatus: ["confirmed", "pending"],
    landings: [{ title: "main", url: "https://vpn.example/summer", previewUrl: "https://vpn.example/summer", type: "landing" }],
    targeting: [{ countries: { allow: ["US", "CA"] }, deviceTypes: ["mobile"], connections: ["wi-fi"], subAllow: { sub1: ["promo"] } }],
  });
  await offer("Dating EU", { payments: [{ countries: ["DE", "FR"], total: 1.2, revenue: 0.8, currency: "EUR", type: "fixed" }] });
  const gone = await offer("Expired offer", { payments: [{ total: 1, revenue: 0.5, currency: "USD", type: "fixed" }] });
  await make("affise:Postback", { pid: 2, url: "https://partner.example/pb?c={clickid}&sum={sum}", offerId: a, status: "confirmed", goal: "1" });
  await make("affise:Postback", { pid: 3, url: "https://other.example/global?c={clickid}" });
  await require("../../provider/registry").get("affise:Offer").delete(gone, {});
}

/** Integr8: postbacks of each service type, an approved and a pending offer application. */
export async function seedIntegr8(): Promise<void> {
  const { INTEGR8_SANDBOX } = require("../../provider/sandbox/integr8");
  await make("integr8:Postback", { name: "Conversions to tracker", integration: INTEGR8_SANDBOX.integrationId, serviceType: "conversion", url: "https://tracker.example/pb?tx={external_transaction_id}&status={status}" });
  await make("integr8:Postback", { name: "App installs", integration: INTEGR8_SANDBOX.appIntegrationId, serviceType: "conversion", url: "https://app.example/pb?tx={external_transaction_id}" });
  await make("integr8:OfferApplication", { offerId: INTEGR8_SANDBOX.publicOfferId });
  await make("integr8:OfferApplication", { offerId: INTEGR8_SANDBOX.restrictedOfferId, agreeToTerms: true });
}

/** Topsort: a manual banner campaign with bids and an autobidding listing campaign with keyword triggers. */
export async function seedTopsort(): Promise<void> {
  const WALLET = "8f3c2a1e-6b4d-4c2a-9e1f-0a7b3c5d9e21";
  await make("topsort:Campaign", {
    vendorId: "vendor-42", name: "Bola-Bola Ad campaign", adFormat: "banner", campaignType: "manual", chargeType: "CPM",
    budget: { amount: 1500, type: "daily" }, startDate: "2026-03-01T00:00:00Z", endDate: "2026-03-31T23:59:59Z", isActive: true,
    bids: [{ amount: 2.5, target: { id: "p_Mfk11", type: "product" } }],
    banner: { slotId: "home-top", deviceType: "desktop", assets: [{ url: "https://cdn.example.com/bola-728x90.png", contentType: "image/png", width: 728, height: 90, size: 48213 }] },
    walletId: WALLET,
  });
  await make("topsort:Campaign", {
    vendorId: "vendor-42", name: "Summer shoes", adFormat: "listing", campaignType: "autobidding",
    budget: { amount: 5000, type: "monthly" }, startDate: "2026-06-01T00:00:00+02:00", endDate: "2026-08-31T00:00:00+02:00", targetRoas: 4.5,
    bids: [{ amount: 0.3, target: { id: "sku-1" } }, { amount: 0.45, target: { id: "sku-2" }, trigger: { type: "keyword", value: { words: ["running shoes"], matchType: "exact" } } }],
  });
}

/** Interchange: a plain campaign and one with every kind of constraint, pacing and frequency caps. */
export async function seedInterchange(): Promise<void> {
  const base = { advertiserId: 12345, flightDates: { startDate: "2027-01-15T00:00:00Z", endDate: "2027-03-31T23:59:59Z" }, campaignType: "DECISIONED" };
  await make("interchange:Campaign", { ...base, name: "Q1 Campaign", budget: { total: 1000, currency: "USD", dailyCap: 100, pacing: "EVEN" } });
  await make("interchange:Campaign", {
    ...base, name: "Retail media Q3", budget: { total: 5000, currency: "USD", dailyCap: 250, pacing: "FRONTLOADED" },
    brief: "Premium video inventory for tech enthusiasts",
    constraints: { geoCountries: ["US", "CA"], geoRegionsExclude: ["US-TX"], channels: ["display", "olv"], language: ["en"], deviceType: ["desktop", "mobile"] },
    frequencyCaps: [{ maxImpressions: 3, window: { interval: 1, unit: "days" } }],
  });
}
