import * as pulumi from "@pulumi/pulumi";
import * as countries from "i18n-iso-countries";
import { AdnetResource } from "../core/reference";
import { defineResource } from "../core/resource";
import { newestUnowned } from "../core/recover";
import { Checker, isIsoDate, isUnknown } from "../core/validate";
import { ExoClickClient } from "./client";
import {
  ADVERTISER_AD_TYPES, BANNER_SIZE, CAMPAIGN_STATUS, MAX_NAME, MEDIA_STORAGE_TEMPLATES,
  PRICING_MODELS, TARGETING_TYPES, ZERO_ONE,
} from "./constants";

export interface TargetingArgs<T> {
  /** "targeted" (only these) or "blocked" (all but these). */
  type: pulumi.Input<"targeted" | "blocked">;
  elements: pulumi.Input<pulumi.Input<T>[]>;
}

export interface CountryArgs {
  /** ISO 3166-1 alpha-3 country code, e.g. "USA". */
  country: pulumi.Input<string>;
  /** Region ids; [0] (the default) means the whole country. */
  regions?: pulumi.Input<pulumi.Input<number>[]>;
}

export interface PricingArgs {
  /** Pricing model id: 1 CPC, 2 CPM, 3 CPA, 4 smart CPM, 5 CPV (ids inferred from client code). */
  model: pulumi.Input<number>;
  /** Bid in cents (currency x 100), > 0. */
  price: pulumi.Input<number>;
}

export interface CampaignArgs {
  /** Campaign name, 1-255 characters. Also the natural key used to find a campaign whose create response was lost. */
  name: pulumi.Input<string>;
  /** 0 paused (default), 1 running. Changed in place with ExoClick's play/pause. */
  status?: pulumi.Input<0 | 1>;
  /** Ad type: 0 banner (default), 7 popunder, 21 video, 22 native. Changing it replaces the campaign. */
  advertiserAdType?: pulumi.Input<number>;
  /** "img_banner" (default), "link" or "native_ad". Changing it replaces the campaign. */
  mediaStorageTemplate?: pulumi.Input<"img_banner" | "link" | "native_ad">;
  /** Banner size WIDTHxHEIGHT, required for img_banner, e.g. "300x250". Changing it replaces the campaign. */
  size?: pulumi.Input<string>;
  /** Category targeting, e.g. { type: "targeted", elements: [97, 98, 99] }. Omit for all categories. */
  categories?: pulumi.Input<TargetingArgs<number>>;
  /** Country targeting, e.g. { type: "targeted", elements: [{ country: "USA" }] }. Omit for all countries. */
  countries?: pulumi.Input<TargetingArgs<CountryArgs>>;
  /** Pricing model and bid. */
  pricing: pulumi.Input<PricingArgs>;
  /** First day, YYYY-MM-DD. Defaults to the day of creation. */
  startDate?: pulumi.Input<string>;
  /** Last day, YYYY-MM-DD, on or after startDate. Omit to run until stopped. */
  endDate?: pulumi.Input<string>;
  /** 1 to enforce maxDailyBudget, 0 for no daily limit. */
  dailyLimitType?: pulumi.Input<0 | 1>;
  /** Daily budget in cents (currency x 100), >= 0. */
  maxDailyBudget?: pulumi.Input<number>;
  /** Budget delivery: 0 as fast as possible, 1 evenly through the day. */
  budgetDeliveryMode?: pulumi.Input<0 | 1>;
  /** 1 to also run on responsive zones. */
  runOnResponsiveZones?: pulumi.Input<0 | 1>;
}

const INPUTS = [
  "name", "status", "advertiserAdType", "mediaStorageTemplate", "size", "categories", "countries", "pricing",
  "startDate", "endDate", "dailyLimitType", "maxDailyBudget", "budgetDeliveryMode", "runOnResponsiveZones",
] as const;

/** Input name -> wire name, in the order of the seed's request body. */
const WIRE: Record<string, string> = {
  name: "name", status: "status", advertiserAdType: "advertiser_ad_type", mediaStorageTemplate: "media_storage_template",
  size: "size", categories: "categories", countries: "countries", pricing: "pricing", startDate: "start_date", endDate: "end_date",
  dailyLimitType: "daily_limit_type", maxDailyBudget: "max_daily_budget", budgetDeliveryMode: "budget_delivery_mode",
  runOnResponsiveZones: "run_on_responsive_zones",
};

/** The JSON body ExoClick expects (the seed's step 3), from normalised inputs. */
export function toWire(inputs: Record<string, any>, keys: readonly string[] = INPUTS): Record<string, any> {
  const body: Record<string, any> = {};
  for (const k of keys) if (inputs[k] !== undefined) body[WIRE[k]] = inputs[k];
  return body;
}

function checkTargeting(c: Checker, field: string, t: any, element: (path: string, e: any) => void) {
  if (!c.object(field, t)) return;
  c.knownKeys(field, t, ["type", "elements"]);
  c.oneOf(`${field}.type`, t.type, TARGETING_TYPES, { required: true });
  if (c.array(`${field}.elements`, t.elements, { required: true })) t.elements.forEach((e: any, i: number) => element(`${field}.elements[${i}]`, e));
}

export const provider = defineResource({
  module: "exoclick",
  type: "Campaign",
  inputs: INPUTS,
  replaceOn: ["advertiserAdType", "mediaStorageTemplate", "size"],
  optionalServerDefaults: ["startDate", "dailyLimitType", "maxDailyBudget", "budgetDeliveryMode", "runOnResponsiveZones", "endDate"],
  check(n, c) {
    const out: Record<string, any> = {
      ...n,
      status: n.status ?? 0,
      advertiserAdType: n.advertiserAdType ?? 0,
      mediaStorageTemplate: n.mediaStorageTemplate ?? "img_banner",
    };
    c.string("name", n.name, { required: true, min: 1, max: MAX_NAME });
    c.oneOf("status", out.status, CAMPAIGN_STATUS);
    c.oneOf("advertiserAdType", out.advertiserAdType, ADVERTISER_AD_TYPES);
    c.oneOf("mediaStorageTemplate", out.mediaStorageTemplate, MEDIA_STORAGE_TEMPLATES);
    if (out.mediaStorageTemplate === "img_banner") c.required("size", n.size);
    c.string("size", n.size, { pattern: BANNER_SIZE, patternHint: "WIDTHxHEIGHT such as 300x250" });
    checkTargeting(c, "categories", n.categories, (p, e) => c.number(p, e, { integer: true, min: 1 }));
    checkTargeting(c, "countries", n.countries, (p, e) => {
      if (!c.object(p, e, { required: true })) return;
      c.knownKeys(p, e, ["country", "regions"]);
      c.string(`${p}.country`, e.country, { required: true });
      if (typeof e.country === "string" && !isUnknown(e.country) && (e.country.length !== 3 || !countries.isValid(e.country.toUpperCase()))) {
        c.fail(`${p}.country`, `${p}.country must be an ISO 3166-1 alpha-3 code such as "USA", "DEU" or "GBR"; got ${JSON.stringify(e.country)}`);
      }
      if (c.array(`${p}.regions`, e.regions)) e.regions.forEach((r: any, i: number) => c.number(`${p}.regions[${i}]`, r, { integer: true, min: 0 }));
    });
    if (n.countries && Array.isArray(n.countries.elements)) {
      out.countries = {
        ...n.countries,
        elements: n.countries.elements.map((e: any) =>
          e && typeof e === "object" ? { country: typeof e.country === "string" && !isUnknown(e.country) ? e.country.toUpperCase() : e.country, regions: e.regions ?? [0] } : e),
      };
    }
    if (c.object("pricing", n.pricing, { required: true })) {
      c.knownKeys("pricing", n.pricing, ["model", "price"]);
      c.oneOf("pricing.model", n.pricing.model, PRICING_MODELS, { required: true });
      c.number("pricing.price", n.pricing.price, { required: true, exclusiveMin: 0 });
    }
    c.date("startDate", n.startDate);
    c.date("endDate", n.endDate);
    if (typeof n.startDate === "string" && typeof n.endDate === "string" && isIsoDate(n.startDate) && isIsoDate(n.endDate) && n.endDate < n.startDate) {
      c.fail("endDate", `endDate must be on or after startDate (${n.startDate}); got ${n.endDate}`);
    }
    for (const k of ["dailyLimitType", "budgetDeliveryMode", "runOnResponsiveZones"]) c.oneOf(k, n[k], ZERO_ONE);
    c.number("maxDailyBudget", n.maxDailyBudget, { integer: true, min: 0 });
    return out;
  },
  async find(inputs, exclude) {
    const same = await ExoClickClient.fromSettings().campaignsNamed(inputs.name);
    return newestUnowned(same, (c) => String(c.id), exclude);
  },
  async create(inputs) {
    const res = await ExoClickClient.fromSettings().createCampaign(toWire(inputs));
    return { id: String(res.id), outs: {} };
  },
  async read(id) {
    const r = await ExoClickClient.fromSettings().getCampaign(id);
    const c = r?.campaign;
    if (!c || c.status === -1) return undefined;
    const fromTargeting = (t: any, map: (e: any) => any) =>
      t?.targeted?.length ? { type: "targeted", elements: t.targeted.map(map) } : t?.blocked?.length ? { type: "blocked", elements: t.blocked.map(map) } : undefined;
    return {
      name: c.name,
      status: c.status,
      advertiserAdType: c.advertiser_ad_type,
      mediaStorageTemplate: c.media_storage_template,
      size: c.size || undefined,
      categories: fromTargeting(r.categories, (e) => e.id),
      countries: fromTargeting(r.countries, (e) => ({ country: e.iso3, regions: (e.regions ?? []).map((x: any) => x.id) })),
      pricing: { model: c.pricing_model, price: c.price },
      startDate: c.start_date ?? undefined,
      endDate: c.end_date ?? undefined,
      dailyLimitType: c.daily_limit_type,
      maxDailyBudget: c.max_daily_budget,
      budgetDeliveryMode: c.budget_delivery_mode,
      runOnResponsiveZones: c.run_on_responsive_zones,
    };
  },
  async update(id, _olds, news, changed) {
    const client = ExoClickClient.fromSettings();
    const fields = changed.filter((k) => k !== "status");
    if (fields.length) await client.updateCampaign(id, toWire(news, fields));
    if (changed.includes("status")) await client.setCampaignStatus([id], news.status === 1 ? "play" : "pause");
    return {};
  },
  async delete(id) {
    await ExoClickClient.fromSettings().setCampaignStatus([id], "delete");
  },
});

/**
 * An ExoClick campaign (`POST /v2/campaigns`, JSON). Budget, bid, targeting,
 * dates and status update in place; ad type, template and size replace it.
 * Deleting archives it (ExoClick keeps deleted campaigns with status -1).
 */
export class Campaign extends AdnetResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly status: pulumi.Output<number>;
  declare readonly advertiserAdType: pulumi.Output<number>;
  declare readonly mediaStorageTemplate: pulumi.Output<string>;
  declare readonly size: pulumi.Output<string | undefined>;
  declare readonly pricing: pulumi.Output<{ model: number; price: number }>;
  declare readonly startDate: pulumi.Output<string>;
  declare readonly maxDailyBudget: pulumi.Output<number>;
  constructor(name: string, args: CampaignArgs, opts?: pulumi.CustomResourceOptions) {
    super("exoclick:Campaign", name, { ...args }, opts);
  }
}
