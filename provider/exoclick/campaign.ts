import * as countries from "i18n-iso-countries";
import { ResourceDef } from "../core/define";
import { accountField } from "../core/account";
import { countryHint } from "../core/countries";
import { f, Fields, fromWire, toWire } from "../core/schema";
import { newestUnowned } from "../core/recover";
import { Checker, isIsoDate } from "../core/validate";
import type { CampaignWire, ExoClickClient, TargetingWire } from "./client";
import {
  ADVERTISER_AD_TYPES, BANNER_SIZE, CAMPAIGN_STATUS, MAX_NAME, MEDIA_STORAGE_TEMPLATES, PRICING_MODELS, TARGETING_TYPES, ZERO_ONE,
} from "./constants";

/** Category targeting: ids of ExoClick's categories. */
const categoryTargeting = f.object({
  type: f.enum(TARGETING_TYPES, { required: true, doc: "\"targeted\" (only these) or \"blocked\" (all but these)." }),
  elements: f.list(f.integer({ min: 1, doc: "An ExoClick category id (ExoClick's list: `GET /collections/categories`)." }), {
    required: true, max: 1_000, unique: (x) => String(x),
    doc: "Category ids, each once, e.g. [97, 98, 99]. At most 1000 (a sane cap: ExoClick documents no limit and has far fewer categories).",
  }),
}, { doc: "Category targeting, e.g. { type: \"targeted\", elements: [97, 98, 99] }. Omit for all categories." });

const country = f.object({
  country: f.string({
    required: true, doc: "ISO 3166-1 alpha-3 country code, e.g. \"USA\" (any case; stored in capitals).",
    validate: (c: Checker, p: string, v: string) => {
      if (v.length !== 3 || !countries.isValid(v.toUpperCase())) c.fail(p, `${p} must be an ISO 3166-1 alpha-3 code such as "USA", "DEU" or "GBR"; got ${JSON.stringify(v)}${countryHint(v, 3)}`);
    },
    normalize: (v: string) => v.toUpperCase(),
  }),
  regions: f.list(f.integer({ min: 0, doc: "An ExoClick region id (a whole number); 0 is the whole country." }), {
    default: [0], max: 500, unique: (x) => String(x),
    doc: "ExoClick region ids of the country (whole numbers, each once, at most 500); [0] (the default) means the whole country and cannot be combined with other regions. Whether an id exists for the country is not checked before the request (ExoClick's region ids are its own, not ISO 3166-2).",
    validate: (c: Checker, p: string, v: number[]) => {
      if (v.length > 1 && v.includes(0)) c.fail(p, `${p} must be [0] alone (the whole country) or ids of regions without 0; got ${JSON.stringify(v)}`);
    },
  }),
}, { doc: "A country and, optionally, regions of it." });

const countryTargeting = f.object({
  type: f.enum(TARGETING_TYPES, { required: true, doc: "\"targeted\" (only these) or \"blocked\" (all but these)." }),
  elements: f.list(country, {
    required: true, max: 250, unique: (x: { country?: string }) => String(x?.country).toUpperCase(),
    doc: "Countries, each at most once (\"USA\" and \"usa\" are the same); at most 250 (there are 249 ISO 3166-1 countries).",
  }),
}, { doc: "Country targeting, e.g. { type: \"targeted\", elements: [{ country: \"USA\" }] }. Omit for all countries." });

export const fields = {
  account: accountField,
  name: f.string({ required: true, min: 1, max: MAX_NAME, naturalKey: true, doc: "Campaign name, 1-255 characters, not blank. Also the natural key that finds a campaign whose create response was lost." }),
  status: f.enum(CAMPAIGN_STATUS, {
    default: 0, spend: "status", running: [1], meanings: { 0: "paused", 1: "running" },
    doc: "0 paused (default), 1 running. Changed in place with ExoClick's play/pause.",
  }),
  advertiserAdType: f.enum(ADVERTISER_AD_TYPES, {
    default: 0, replaceOnChange: true, wire: "advertiser_ad_type", meanings: { 0: "banner", 7: "popunder", 21: "video", 22: "native" },
    doc: "Ad type: 0 banner (default, the seed's), 7 popunder, 21 video, 22 native (7, 21, 22 inferred from client code). Changing it replaces the campaign.",
  }),
  mediaStorageTemplate: f.enum(MEDIA_STORAGE_TEMPLATES, { default: "img_banner", replaceOnChange: true, wire: "media_storage_template", doc: "Creative template: \"img_banner\" (default; needs size), \"link\" (popunder, video) or \"native_ad\". Changing it replaces the campaign." }),
  size: f.string({ pattern: BANNER_SIZE, patternHint: "WIDTHxHEIGHT such as 300x250", replaceOnChange: true, doc: "Banner size WIDTHxHEIGHT, required for img_banner, e.g. \"300x250\"; the creatives' images must have exactly this size. Changing it replaces the campaign." }),
  categories: categoryTargeting,
  countries: countryTargeting,
  pricing: f.object({
    model: f.enum(PRICING_MODELS, { required: true, meanings: { 1: "CPC", 2: "CPM", 3: "CPA", 4: "smart CPM", 5: "CPV" }, doc: "Pricing model id: 1 CPC, 2 CPM, 3 CPA, 4 smart CPM, 5 CPV (ids inferred from client code)." }),
    price: f.number({ required: true, exclusiveMin: 0, max: 100_000_000, spend: "bid", money: "cents", doc: "Bid in the account's currency, e.g. 0.35, > 0; ExoClick also enforces a minimum per model and country (its 400 message names it)." }),
  }, { required: true, doc: "Pricing model and bid." }),
  startDate: f.date({ serverDefault: true, wire: "start_date", doc: "First day, YYYY-MM-DD. Omitted: ExoClick picks the day of creation (not drift)." }),
  endDate: f.date({ wire: "end_date", doc: "Last day, YYYY-MM-DD, on or after startDate. Omit to run until stopped." }),
  dailyLimitType: f.enum(ZERO_ONE, { serverDefault: true, wire: "daily_limit_type", doc: "1 to enforce maxDailyBudget, 0 for no daily limit." }),
  maxDailyBudget: f.integer({ min: 0, max: 100_000_000, serverDefault: true, wire: "max_daily_budget", spend: "dailyBudget", money: "cents", doc: "Daily budget in the account's currency, e.g. 20 (20.00 a day), enforced when dailyLimitType is 1. Omitted: ExoClick's default, not drift." }),
  budgetDeliveryMode: f.enum(ZERO_ONE, { serverDefault: true, wire: "budget_delivery_mode", doc: "Budget delivery: 0 as fast as possible, 1 evenly through the day." }),
  runOnResponsiveZones: f.enum(ZERO_ONE, { serverDefault: true, wire: "run_on_responsive_zones", doc: "1 to also run on responsive zones." }),
} satisfies Fields;

/** The seed's input order is the wire order (ExoClick echoes the body as sent). */
export type CampaignFields = typeof fields;

function targetingFromWire<E, T>(t: TargetingWire<E> | undefined, map: (e: E) => T) {
  return t?.targeted?.length ? { type: "targeted" as const, elements: t.targeted.map(map) } : t?.blocked?.length ? { type: "blocked" as const, elements: t.blocked.map(map) } : undefined;
}

export const campaign: ResourceDef<CampaignFields, ExoClickClient> = {
  key: "exoclick:Campaign", importId: "the numeric campaign id",
  doc: "An ExoClick campaign (`POST /v2/campaigns`, JSON). Budget, bid, targeting, dates and status update in place; ad type, template and size replace it. Deleting archives it (ExoClick keeps deleted campaigns with status -1).",
  fields,
  check(_ctx, n, c: Checker) {
    if (n.mediaStorageTemplate === "img_banner" && n.size === undefined) c.fail("size", `size is required when mediaStorageTemplate is "img_banner", e.g. "300x250"`);
    if (n.startDate && n.endDate && isIsoDate(n.startDate) && isIsoDate(n.endDate) && n.endDate < n.startDate) {
      c.fail("endDate", `endDate must be on or after startDate (${n.startDate}); got ${n.endDate}`);
    }
  },
  spend(inputs, base) {
    // dailyLimitType 0: ExoClick enforces no daily limit, whatever maxDailyBudget says.
    return inputs.dailyLimitType === 0 ? { ...base, daily: undefined, uncapped: true } : base;
  },
  async find(ctx, inputs, exclude) {
    const same = await ctx.client.campaignsNamed(inputs.name);
    return newestUnowned(same, (c) => String(c.id), exclude);
  },
  async create(ctx, inputs) {
    const res = await ctx.client.createCampaign(toWire(fields, inputs));
    return { id: String(res.id) };
  },
  async read(ctx, id) {
    const r = await ctx.client.getCampaign(id);
    const c = r?.campaign;
    if (!c || c.status === -1) return undefined;
    return {
      ...fromWire(fields, c),
      categories: targetingFromWire(r.categories, (e) => Number(e.id)),
      countries: targetingFromWire(r.countries, (e) => ({ country: String(e.iso3), regions: (e.regions ?? []).map((x) => Number(x.id)) })),
      pricing: fromWire(fields.pricing.fields, { model: c.pricing_model, price: c.price }) as { model: (typeof PRICING_MODELS)[number]; price: number },
    };
  },
  async update(ctx, id, _olds, news, changed) {
    const client = ctx.client;
    const rest = changed.filter((k) => k !== "status");
    if (rest.length) await client.updateCampaign(id, toWire(fields, news, rest));
    if (changed.includes("status")) await client.setCampaignStatus([id], news.status === 1 ? "play" : "pause");
  },
  async delete(ctx, id) {
    await ctx.client.setCampaignStatus([id], "delete");
  },
  async list(ctx) {
    // The list has no targeting: each live campaign is read in detail, as `read` does.
    const out: Array<{ id: string; state: NonNullable<Awaited<ReturnType<typeof campaign.read>>>; skip?: string }> = [];
    for (const c of await ctx.client.listAll<CampaignWire>("/campaigns")) {
      // Archived (deleted) campaigns are kept by ExoClick: reported, not live.
      if (c.status === -1) {
        out.push({ id: String(c.id), state: { ...fromWire(fields, c), pricing: fromWire(fields.pricing.fields, { model: c.pricing_model, price: c.price }) as { model: (typeof PRICING_MODELS)[number]; price: number } }, skip: "archived" });
        continue;
      }
      const state = await campaign.read(ctx, String(c.id), undefined);
      if (state) out.push({ id: String(c.id), state });
    }
    return out;
  },
};
