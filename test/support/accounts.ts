/**
 * Accounts seeded out of band, as a dashboard would make them: requests
 * straight to the sandbox's API (not through Pulumi), with varied objects.
 * adnet-import tests turn them into code.
 */
import type { Sandbox } from "../../provider/sandbox/server";
import { networkNamed } from "../../provider/networks";

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
  const config = net.sandboxConfig(sb.urlFor(network));
  const env: Record<string, string> = {};
  for (const spec of Object.values(net.settings)) if (config[spec.key]) env[spec.env] = config[spec.key].value;
  return { config, env };
}

export interface ExoClickSeed {
  urls: number[];
  campaigns: number[];
  archived: number;
}

/** ExoClick: landing pages, campaigns with targeting, bids and budgets, one archived campaign. */
export async function seedExoClick(sb: Sandbox): Promise<ExoClickSeed> {
  const { EXOCLICK_SANDBOX_CREDENTIALS } = require("../../provider/exoclick/sandbox");
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
    })).id,
    (await call("POST", "/campaigns", { ...banner, name: "Winter Sale 300x250", pricing: { model: 2, price: 150 }, start_date: "2026-11-01", end_date: "2027-02-28" })).id,
    (await call("POST", "/campaigns", { advertiser_ad_type: 7, media_storage_template: "link", name: "Popunder retargeting", pricing: { model: 1, price: 20 }, start_date: "2026-05-01", budget_delivery_mode: 1 })).id,
  ];
  const old = (await call("POST", "/campaigns", { ...banner, name: "Old campaign", pricing: { model: 2, price: 100 }, start_date: "2025-01-01" })).id;
  await call("PUT", "/campaigns/delete", { campaign_ids: [old] });
  return { urls, campaigns, archived: 1 };
}
