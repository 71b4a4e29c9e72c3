import * as net from "net";
// The library without its 78 locales (entry-node registers them all: 0.2 s of every process that loads a network); codes need none.
import * as countries from "i18n-iso-countries/index";
import { ResourceDef } from "../core/schema/define";
import { accountField } from "../core/config/account";
import { countryHint } from "../core/schema/countries";
import { PartialCreateError } from "../core/http/errors";
import { enumValue, f, Field, Fields, fromWire, outputNames, StateOf, toWire, WireInputOf, WireOf, WireValueOf } from "../core/schema/schema";
import { newestUnowned } from "../core/http/recover";
import { Checker, containsUnknown, isIsoDate } from "../core/schema/validate";
import type { CampaignDetailWithTargeting, ExoClickClient, ExoClickShapes, TargetingElement, TargetingWire } from "./client";
import {
  ADVERTISER_AD_TYPES, BANNER_SIZE, CAMPAIGN_STATUS, MAX_NAME, MEDIA_STORAGE_TEMPLATES, PRICING_MODELS, RoutedTargetingKind, TARGETING_MODES,
  TARGETING_TYPES, TargetingMode, ZERO_ONE, ZONE_TARGETING_TYPES,
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
  regions: f.list(f.integer({ min: 0, lookup: "regions", lookupBy: "country", lookupExcept: [0], doc: "An ExoClick region id of the country, or its name (e.g. \"Bavaria\"); 0 is the whole country." }), {
    default: [0], max: 500, unique: (x) => String(x),
    doc: "ExoClick region ids of the country (or their names, stored as ids; each once, at most 500), looked up at preview in ExoClick's region list of that country (`GET /collections/regions`; `npx adnet-lists --network exoclick --list regions:USA` prints it); [0] (the default) means the whole country and cannot be combined with other regions. ExoClick's region ids are its own, not ISO 3166-2.",
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

/** Targeted and blocked lists with nothing in them mean "not set" (what the network reads back then). */
function withoutEmptyLists(v: { targeted?: unknown[]; blocked?: unknown[] }) {
  const out: { targeted?: unknown[]; blocked?: unknown[] } = {};
  for (const m of TARGETING_MODES) if (v[m]?.length) out[m] = v[m];
  return Object.keys(out).length ? out : undefined;
}

/** A value both targeted and blocked is a contradiction in the program (our rule; ExoClick documents none). */
function targetedOrBlocked(c: Checker, p: string, v: { targeted?: unknown[]; blocked?: unknown[] }) {
  const targeted = new Set((v.targeted ?? []).map((x) => String(x).toLowerCase()));
  (v.blocked ?? []).forEach((x, i) => {
    if (targeted.has(String(x).toLowerCase())) c.fail(`${p}.blocked[${i}]`, `${p}.blocked[${i}] (${JSON.stringify(x)}) is also in ${p}.targeted; a value is either targeted or blocked`);
  });
}

/**
 * Targeting by ids of one of ExoClick's reference lists, set through
 * `/campaigns/{id}/{targeted|blocked}/<route>` (a plain JSON array of ids)
 * and read back from the detailed campaign as `{targeted, blocked}` objects.
 */
const capital = (s: string) => `${s[0].toUpperCase()}${s.slice(1)}`;

function idTargeting<const L extends string>(list: L, route: RoutedTargetingKind, what: string, example: string) {
  const ids = (mode: TargetingMode) => f.list(f.integer({ min: 1, lookup: list, doc: `An ExoClick ${what} id.` }), {
    max: 1_000, unique: (x: number) => String(x), unordered: true,
    doc: `${capital(what)} ids to ${mode === "targeted" ? "target (only these)" : "block"}, each once, from ExoClick's list \`GET /collections/${list}\` (looked up at preview); at most 1000 (a sane cap).`,
  });
  return f.object({ targeted: ids("targeted"), blocked: ids("blocked") }, {
    wire: false, validate: targetedOrBlocked, normalize: withoutEmptyLists,
    doc: `${capital(what)} targeting, e.g. ${example}: ids of \`GET /collections/${list}\`, set with \`PUT /campaigns/{id}/{targeted|blocked}/${route}\` and cleared with \`DELETE .../all\`. Omit for every ${what}. Updates in place.`,
  });
}

/** Targeting by text (sites, keywords, IP ranges), through the same routes as plain JSON arrays of strings. */
function textTargeting(route: RoutedTargetingKind, what: string, example: string, item: ReturnType<typeof f.string>, max: number) {
  const values = (mode: TargetingMode) => f.list(item, {
    max, unique: (x: string) => x.toLowerCase(), unordered: true,
    doc: `${capital(what)} to ${mode === "targeted" ? "target (only these)" : "block"}, each once (compared without case); at most ${max} (a sane cap).`,
  });
  return f.object({ targeted: values("targeted"), blocked: values("blocked") }, {
    wire: false, validate: targetedOrBlocked, normalize: withoutEmptyLists,
    doc: `${capital(what)} targeting, e.g. ${example}, set with \`PUT /campaigns/{id}/{targeted|blocked}/${route}\` and cleared with \`DELETE .../all\`. Omit for no ${what} targeting. Updates in place.`,
  });
}

const ipv4Number = (ip: string) => ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);

/** An IPv4 or IPv6 address, a CIDR block ("10.0.0.0/8") or an IPv4 range ("1.2.3.0-1.2.3.255", low to high). */
function ipRangeProblem(v: string): string | undefined {
  if (net.isIP(v)) return undefined;
  const cidr = /^([^/\s]+)\/(\d{1,3})$/.exec(v);
  if (cidr && net.isIP(cidr[1]) && Number(cidr[2]) <= (net.isIPv4(cidr[1]) ? 32 : 128)) return undefined;
  const range = /^([\d.]+)\s*-\s*([\d.]+)$/.exec(v);
  if (range && net.isIPv4(range[1]) && net.isIPv4(range[2])) {
    return ipv4Number(range[1]) <= ipv4Number(range[2]) ? undefined : `a range from low to high`;
  }
  return `an IP address, a CIDR block such as "10.0.0.0/8" or an IPv4 range such as "1.2.3.0-1.2.3.255"`;
}

/** A timezone name the platform knows (IANA, e.g. "Europe/Paris"); ExoClick's own list is looked up at preview too. */
function isTimeZone(v: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: v });
    return true;
  } catch {
    return false;
  }
}

const deviceTypeTargeting = f.object({
  type: f.enum(TARGETING_TYPES, { required: true, doc: "\"targeted\" (only these) or \"blocked\" (all but these)." }),
  elements: f.list(f.integer({ min: 1, lookup: "device-types", doc: "An ExoClick device type id." }), {
    required: true, min: 1, max: 100, unique: (x) => String(x), unordered: true,
    doc: "Device type ids of ExoClick's list `GET /collections/device-types` (looked up at preview), each once.",
  }),
}, {
  wire: "device_types",
  // Read back as sent, with an empty list meaning "not set" (inferred, see docs/exoclick.md).
  decode: (v: { type?: string; elements?: unknown[] }) => (v?.elements?.length ? { type: v.type, elements: v.elements.map(Number) } : undefined),
  doc: "Device type targeting (desktop, phone, tablet ... as ExoClick's list names them), e.g. { type: \"targeted\", elements: [2] }, sent in the campaign body as `device_types` (inferred: clients send the key, no public document gives its shape; the categories' shape is used). Omit for every device type. Updates in place.",
});

const dayParting = f.object({
  timezone: f.string({
    required: true, min: 1, max: 64, lookup: "timezones",
    validate: (c: Checker, p: string, v: string) => {
      if (!isTimeZone(v)) c.fail(p, `${p} must be a timezone name such as "Europe/Paris", "America/New_York" or "UTC"; got ${JSON.stringify(v)}`);
    },
    doc: "The timezone the hours are in, by name (e.g. \"Europe/Paris\"), one of ExoClick's `GET /collections/timezones` (looked up at preview). ExoClick reads it back as an id (`parting_timezone`), turned back into the name.",
  }),
  parting: f.list(f.object({
    day: f.integer({ required: true, min: 1, max: 7, unit: "day of the week (1 Monday ... 7 Sunday)", doc: "The day: 1 Monday to 7 Sunday." }),
    hours: f.list(f.integer({ min: 0, max: 23, unit: "hour of the day (0-23) in the timezone", doc: "An hour, 0 (00:00-00:59) to 23." }), {
      required: true, min: 1, max: 24, unique: (x) => String(x), unordered: true, doc: "The hours the campaign runs that day, each once, 0 to 23.",
    }),
  }, { doc: "One day and its hours." }), {
    required: true, min: 1, max: 7, unique: (d: { day?: number }) => String(d?.day), uniqueBy: "day", unordered: true,
    doc: "The days the campaign runs and their hours, each day once; a day not listed does not run.",
  }),
}, {
  wire: "day_parting",
  doc: "When the campaign runs: days and hours in a timezone, e.g. { timezone: \"Europe/Paris\", parting: [{ day: 1, hours: [9, 10, 11] }] }, sent as `day_parting {timezone, parting: [{day, hours}]}` and read back as `day_parting [{day, hours}]` with `parting_timezone`. Omit to run every hour. Updates in place.",
});

const frequencyCapping = f.object({
  impressions: f.integer({ required: true, min: 1, max: 1_000_000, unit: "impressions", doc: "How many times one user may see the campaign in the window." }),
  minutes: f.integer({ required: true, min: 1, max: 525_600, unit: "minutes", doc: "The window, in minutes (at most a year)." }),
}, {
  wire: "frequency_capping",
  encode: (v: { impressions: number; minutes: number }) => ({ enabled: true, impressions: v.impressions, minutes: v.minutes }),
  doc: "Frequency cap per user, e.g. { impressions: 3, minutes: 1440 }, sent as `frequency_capping {enabled, impressions, minutes}` and read back as `capping {quantity, frequency}`. Omit for no cap. Updates in place.",
});

const zoneTargeting = f.object({
  type: f.enum(ZONE_TARGETING_TYPES, {
    required: true, meanings: { 0: "only the zones in zones", 1: "every zone but those in zones" }, names: { 0: "only", 1: "allBut" },
    doc: "0: only the zones listed in `zones`; 1: every zone but those (inferred from client code). Leave zoneTargeting out for every zone (ExoClick's type 2).",
  }),
  networkSelection: f.enum(ZERO_ONE, { serverDefault: true, wire: "network_selection", doc: "ExoClick's `network_selection` (0 or 1; clients send 0; its meaning is not public, so its values have no names)." }),
  partnerNetworks: f.enum(ZERO_ONE, {
    serverDefault: true, wire: "partner_networks", names: { 0: "no", 1: "yes" }, decode: (v: unknown) => (v === true ? 1 : v === false ? 0 : Number(v)),
    doc: "1 to also run on ExoClick's partner networks, 0 not to (`partner_networks`; inferred from its name).",
  }),
}, {
  wire: "zone_targeting",
  // Type 2 (every zone) is ExoClick's default: the field left out.
  decode: (v: { type?: unknown; network_selection?: unknown; partner_networks?: unknown }) => (v && Number(v.type) !== 2 && v.type !== undefined && v.type !== null
    ? {
      type: Number(v.type),
      networkSelection: v.network_selection === undefined || v.network_selection === null ? undefined : Number(v.network_selection),
      partnerNetworks: v.partner_networks === undefined || v.partner_networks === null ? undefined : v.partner_networks === true ? 1 : v.partner_networks === false ? 0 : Number(v.partner_networks),
    }
    : undefined),
  doc: "Zone targeting, e.g. { type: 0 } with `zones` (only those zones) or { type: 1 } (all but those), sent and read back as `zone_targeting`. Omit for every zone. Updates in place.",
});

const zones = f.list(f.object({
  zoneId: f.integer({ required: true, min: 1, wire: "idzone", doc: "The ExoClick zone id (`idzone`)." }),
  price: f.number({
    exclusiveMin: 0, max: 100_000_000, spend: "bid", money: "cents", plausibleMax: 100,
    // ExoClick answers 0 for a zone without its own bid: not set.
    decode: (v: unknown) => (Number(v) > 0 ? Number(v) : undefined),
    doc: "Bid for this zone in the account's currency, e.g. 4.5, > 0; omitted: the campaign's bid (ExoClick reads it back as 0).",
  }),
}, { doc: "A zone and, optionally, its own bid." }), {
  max: 10_000, unique: (z: { zoneId?: number }) => String(z?.zoneId), uniqueBy: "zoneId", unordered: true, wire: "zones",
  doc: "The zone list that zoneTargeting applies to, e.g. [{ zoneId: 1234567 }, { zoneId: 7654321, price: 4.5 }], each zone once, at most 10000 (a sane cap); sent and read back as `zones [{idzone, price}]`. Updates in place.",
});

export const fields = {
  account: accountField,
  name: f.string({ required: true, min: 1, max: MAX_NAME, naturalKey: true, doc: "Campaign name, 1-255 characters, not blank. Also the natural key that finds a campaign whose create response was lost." }),
  status: f.enum(CAMPAIGN_STATUS, {
    default: 0, spend: "status", running: [1], meanings: { 0: "paused", 1: "running" }, names: { 0: "paused", 1: "running" },
    doc: "0 paused (default), 1 running. Changed in place with ExoClick's play/pause.",
  }),
  advertiserAdType: f.enum(ADVERTISER_AD_TYPES, {
    default: 0, replaceOnChange: true, wire: "advertiser_ad_type", meanings: { 0: "banner", 7: "popunder", 21: "video", 22: "native" }, names: { 0: "banner", 7: "popunder", 21: "video", 22: "native" },
    doc: "Ad type: 0 banner (default, the seed's), 7 popunder, 21 video, 22 native (7, 21, 22 inferred from client code). Changing it replaces the campaign.",
  }),
  mediaStorageTemplate: f.enum(MEDIA_STORAGE_TEMPLATES, { default: "img_banner", replaceOnChange: true, wire: "media_storage_template", doc: "Creative template: \"img_banner\" (default; needs size), \"link\" (popunder, video) or \"native_ad\". Changing it replaces the campaign." }),
  size: f.string({ pattern: BANNER_SIZE, patternHint: "WIDTHxHEIGHT such as 300x250", replaceOnChange: true, doc: "Banner size WIDTHxHEIGHT, required for img_banner, e.g. \"300x250\"; the creatives' images must have exactly this size. Changing it replaces the campaign." }),
  categories: categoryTargeting,
  countries: countryTargeting,
  pricing: f.object({
    model: f.enum(PRICING_MODELS, { required: true, meanings: { 1: "CPC", 2: "CPM", 3: "CPA", 4: "smart CPM", 5: "CPV" }, names: { 1: "cpc", 2: "cpm", 3: "cpa", 4: "smartCpm", 5: "cpv" }, doc: "Pricing model id: 1 CPC, 2 CPM, 3 CPA, 4 smart CPM, 5 CPV (ids inferred from client code)." }),
    price: f.number({ required: true, exclusiveMin: 0, max: 100_000_000, spend: "bid", money: "cents", plausibleMax: 100, doc: "Bid in the account's currency, e.g. 0.35, > 0; ExoClick also enforces a minimum per model and country (its 400 message names it)." }),
  }, { required: true, doc: "Pricing model and bid." }),
  startDate: f.date({ serverDefault: true, wire: "start_date", doc: "First day, YYYY-MM-DD. Omitted: ExoClick picks the day of creation (not drift)." }),
  endDate: f.date({ wire: "end_date", doc: "Last day, YYYY-MM-DD, on or after startDate. Omit to run until stopped." }),
  dailyLimitType: f.enum(ZERO_ONE, {
    serverDefault: true, wire: "daily_limit_type", meanings: { 0: "no daily limit", 1: "enforce maxDailyBudget" }, names: { 0: "none", 1: "budget" },
    doc: "1 (\"budget\") to enforce maxDailyBudget, 0 (\"none\") for no daily limit.",
  }),
  maxDailyBudget: f.integer({ min: 0, max: 100_000_000, serverDefault: true, wire: "max_daily_budget", spend: "dailyBudget", money: "cents", plausibleMax: 1_000, doc: "Daily budget in the account's currency, e.g. 20 (20.00 a day), enforced when dailyLimitType is 1. Omitted: ExoClick's default, not drift." }),
  budgetDeliveryMode: f.enum(ZERO_ONE, {
    serverDefault: true, wire: "budget_delivery_mode", meanings: { 0: "as fast as possible", 1: "evenly through the day" }, names: { 0: "asap", 1: "even" },
    doc: "Budget delivery: 0 (\"asap\") as fast as possible, 1 (\"even\") evenly through the day.",
  }),
  runOnResponsiveZones: f.enum(ZERO_ONE, { serverDefault: true, wire: "run_on_responsive_zones", names: { 0: "no", 1: "yes" }, doc: "1 (\"yes\") to also run on responsive zones." }),
  totalBudgetLimit: f.integer({
    min: 1, max: 1_000_000_000, wire: "total_budget_limit", spend: "totalBudget", money: "cents", plausibleMax: 100_000,
    doc: "Budget for the campaign's whole life in the account's currency, e.g. 500 (500.00). Omit for none. Updates in place.",
  }),
  totalImpressions: f.integer({ min: 1, max: 100_000_000_000, wire: "total_impressions", unit: "impressions", doc: "Impressions over the campaign's whole life at most. Omit for no limit. Updates in place." }),
  maxDailyImpressions: f.integer({ min: 1, max: 100_000_000_000, wire: "max_daily_impressions", unit: "impressions per day", doc: "Impressions per day at most. Omit for no limit. Updates in place." }),
  dailyLimitDeliveryMode: f.enum(ZERO_ONE, {
    serverDefault: true, wire: "daily_limit_delivery_mode", names: { 0: "asap", 1: "even" },
    doc: "How the daily limit is delivered, 0 or 1 (`daily_limit_delivery_mode`; clients send 1 with a daily budget; by analogy with budgetDeliveryMode, 1 is likely \"evenly\": inferred).",
  }),
  optimizationAlgorithm: f.integer({
    min: 0, max: 1_000, serverDefault: true, wire: "optimization_algorithm",
    doc: "ExoClick's optimization algorithm id (`optimization_algorithm`; clients send 1; the list of ids is not public). Omitted: ExoClick's choice, not drift.",
  }),
  publisherAdTypes: f.list(f.integer({ min: 1, doc: "A publisher ad type id." }), {
    max: 100, unique: (x) => String(x), unordered: true, serverDefault: true, wire: "publisher_ad_types",
    decode: (v: unknown[]) => v.map((x) => Number(x && typeof x === "object" ? (x as { id?: unknown }).id : x)),
    doc: "The publisher ad formats the campaign runs on, as ExoClick's publisher ad type ids (e.g. [12, 3, 22] for a popunder, from client code), sent as `publisher_ad_types` and read back as objects with those ids. Omitted: ExoClick's choice for the ad type, not drift.",
  }),
  deviceTypes: deviceTypeTargeting,
  browsers: idTargeting("browsers", "browsers", "browser", "{ targeted: [1, 2] }"),
  carriers: idTargeting("carriers", "carriers", "mobile carrier", "{ blocked: [101] }"),
  devices: idTargeting("devices", "devices", "device", "{ targeted: [1, 3] }"),
  languages: idTargeting("languages", "languages", "language", "{ targeted: [1] }"),
  operatingSystems: idTargeting("operating-systems", "operating_systems", "operating system", "{ targeted: [1, 4] }"),
  sites: textTargeting("sites", "sites", "{ blocked: [\"example.com\"] }",
    f.string({ min: 1, max: 2048, pattern: /^\S+$/, patternHint: "a domain or URL without spaces, e.g. \"example.com\"", doc: "A site (domain or URL)." }), 10_000),
  keywords: textTargeting("keywords", "keywords", "{ targeted: [\"shoes\"] }", f.string({ min: 1, max: 255, doc: "A keyword." }), 1_000),
  ipRanges: textTargeting("ip_ranges", "IP ranges", "{ blocked: [\"10.0.0.0/8\"] }", f.string({
    min: 1, max: 100, doc: "An IP address, CIDR block or IPv4 range.",
    validate: (c: Checker, p: string, v: string) => {
      const problem = ipRangeProblem(v);
      if (problem) c.fail(p, `${p} must be ${problem}; got ${JSON.stringify(v)}`);
    },
  }), 1_000),
  dayParting,
  frequencyCapping,
  zoneTargeting,
  zones,
  calculatedStatus: f.string({
    output: true, wire: "calculated_status",
    decode: (v: unknown) => (v && typeof v === "object" ? ((v as { status?: unknown }).status === undefined ? undefined : String((v as { status?: unknown }).status)) : String(v)),
    doc: "What ExoClick computes from the status, the dates, the budget and the review, e.g. \"Running\", \"Paused\", \"Pending Approval\" (`calculated_status.status`).",
  }),
  totalBudgetSpent: f.number({ output: true, wire: "total_budget_spent", money: "cents", doc: "What the campaign has spent so far, in the account's currency (`total_budget_spent`)." }),
  impressionsSent: f.integer({ output: true, wire: "impressions_sent", unit: "impressions", doc: "Impressions served so far (`impressions_sent`)." }),
} satisfies Fields;

/** The seed's input order is the wire order (ExoClick echoes the body as sent). */
export type CampaignFields = typeof fields;

/** A campaign as ExoClick answers it: the declared wire fields (derived from `fields`) plus what the network computes. */
export type CampaignWire = Omit<WireOf<CampaignFields>, "status" | "frequency_capping" | "day_parting" | "zones" | "zone_targeting" | "publisher_ad_types"> & {
  id: number;
  /** 0 paused, 1 running, -1 archived (read-only). */
  status: number;
  pricing_model: WireValueOf<CampaignFields["pricing"]["fields"]["model"]>;
  price: number;
  /** The frequency cap as read back (sent as `frequency_capping {enabled, impressions, minutes}`). */
  capping?: { quantity?: number | string; frequency?: number | string } | null;
  /** The day parting's timezone as read back: an id of `GET /collections/timezones` (sent by name in `day_parting.timezone`). */
  parting_timezone?: number | string | null;
};
/** The client as this resource gets it (exoclick/network.ts makes it with every resource's shapes). */
export type Client = ExoClickClient<ExoClickShapes & { campaign: CampaignWire; campaignInput: WireInputOf<CampaignFields> }>;

function targetingFromWire<E, T>(t: TargetingWire<E> | undefined, map: (e: E) => T) {
  return t?.targeted?.length ? { type: "targeted" as const, elements: t.targeted.map(map) } : t?.blocked?.length ? { type: "blocked" as const, elements: t.blocked.map(map) } : undefined;
}

/** The routed targeting fields: input name, route kind, and the value of a read-back element. */
const ROUTED = [
  ["browsers", "browsers", (e: TargetingElement) => Number(typeof e === "object" ? e.id : e)],
  ["carriers", "carriers", (e: TargetingElement) => Number(typeof e === "object" ? e.id : e)],
  ["devices", "devices", (e: TargetingElement) => Number(typeof e === "object" ? e.id : e)],
  ["languages", "languages", (e: TargetingElement) => Number(typeof e === "object" ? e.id : e)],
  ["operatingSystems", "operating_systems", (e: TargetingElement) => Number(typeof e === "object" ? e.id : e)],
  ["sites", "sites", (e: TargetingElement) => String(typeof e === "object" ? e.url : e)],
  ["keywords", "keywords", (e: TargetingElement) => String(typeof e === "object" ? e.keyword : e)],
  ["ipRanges", "ip_ranges", (e: TargetingElement) => String(typeof e === "object" ? e.ip_range : e)],
] as const;
type RoutedField = (typeof ROUTED)[number][0];
type Lists = { targeted?: Array<number | string>; blocked?: Array<number | string> };

/** A routed targeting kind as read back, in input shape (empty lists: not set). */
function routedFromWire(t: TargetingWire<TargetingElement> | undefined, map: (e: TargetingElement) => number | string): Lists | undefined {
  const out: Lists = {};
  for (const m of TARGETING_MODES) {
    const values = (t?.[m] ?? []).map(map);
    if (values.length) out[m] = values;
  }
  return Object.keys(out).length ? out : undefined;
}

const sameSet = (a: Array<number | string>, b: Array<number | string>) => {
  const key = (x: number | string) => String(x).toLowerCase();
  const sa = new Set(a.map(key));
  return a.length === b.length && b.every((x) => sa.has(key(x)));
};

/**
 * Brings one routed kind from `before` to `after`: each mode whose list
 * changed is replaced (PUT, idempotent) or, when it becomes empty, cleared
 * (DELETE .../all). Modes that only lose values go first, so a value moved
 * from one list to the other is never in both.
 */
async function syncTargeting(client: Client, id: string, kind: RoutedTargetingKind, before: Lists | undefined, after: Lists | undefined): Promise<void> {
  const modes = TARGETING_MODES.filter((m) => !sameSet(before?.[m] ?? [], after?.[m] ?? []));
  const shrinks = (m: TargetingMode) => (after?.[m] ?? []).every((x) => (before?.[m] ?? []).some((y) => String(y).toLowerCase() === String(x).toLowerCase()));
  for (const m of [...modes.filter(shrinks), ...modes.filter((m) => !shrinks(m))]) {
    const values = after?.[m] ?? [];
    if (values.length) await client.replaceTargeting(id, m, kind, values);
    else await client.clearTargeting(id, m, kind);
  }
}

type CampaignState = StateOf<CampaignFields>;

/**
 * What a field left out of the program sends, so that ExoClick clears it
 * (a field the program stops declaring is changed to "not set", not left
 * as it was). Server-defaulted fields are ExoClick's choice when left out.
 */
const UNSET: Partial<Record<keyof CampaignFields, (olds: CampaignState) => unknown>> = {
  endDate: () => null,
  totalBudgetLimit: () => null,
  totalImpressions: () => null,
  maxDailyImpressions: () => null,
  frequencyCapping: () => ({ enabled: false, impressions: 0, minutes: 0 }),
  dayParting: (o) => ({ timezone: o.dayParting?.timezone, parting: [] }),
  zoneTargeting: () => ({ type: 2 }),
  zones: () => [],
  deviceTypes: (o) => ({ type: o.deviceTypes?.type ?? "targeted", elements: [] }),
};

/** The timezone name of a `parting_timezone` id (ExoClick's list, read once per run); the id itself when the list lacks it. */
async function timezoneName(client: Client, id: unknown): Promise<string | undefined> {
  if (id === undefined || id === null || id === "") return undefined;
  const found = (await client.collection("timezones")).find((z) => String(z.id) === String(id));
  return found?.name !== undefined ? String(found.name) : String(id);
}

/** The campaign as ExoClick holds it, in input shape plus outputs; undefined when gone or archived. */
async function readCampaign(client: Client, id: string) {
  const r: CampaignDetailWithTargeting<CampaignWire> | undefined = await client.getCampaign(id);
  const c = r?.campaign;
  if (!r || !c || c.status === -1) return undefined;
  const capping = c.capping && Number(c.capping.quantity) > 0 ? { impressions: Number(c.capping.quantity), minutes: Number(c.capping.frequency) } : undefined;
  const parting = (r.day_parting ?? []).map((d) => ({ day: Number(d.day), hours: (d.hours ?? []).map(Number) })).filter((d) => d.hours.length);
  const wire = {
    ...c,
    frequency_capping: capping,
    day_parting: parting.length ? { timezone: await timezoneName(client, c.parting_timezone), parting } : undefined,
    // An empty list is "not set" (what ExoClick answers for a campaign without zones or publisher ad types).
    zones: r.zones?.length ? r.zones : undefined,
    zone_targeting: r.zone_targeting ?? undefined,
    publisher_ad_types: r.publisher_ad_types?.length ? r.publisher_ad_types : undefined,
  };
  const routed: Partial<Record<RoutedField, Lists>> = {};
  for (const [field, kind, map] of ROUTED) {
    const v = routedFromWire(r[kind], map);
    if (v) routed[field] = v;
  }
  return {
    ...fromWire(fields, wire),
    categories: targetingFromWire(r.categories, (e) => Number(e.id)),
    countries: targetingFromWire(r.countries, (e) => ({ country: String(e.iso3), regions: (e.regions ?? []).map((x) => Number(x.id)) })),
    pricing: fromWire(fields.pricing.fields, { model: c.pricing_model, price: c.price }) as { model: (typeof PRICING_MODELS)[number]; price: number },
    ...routed,
  } as Partial<CampaignState>;
}

/** Only the outputs (what ExoClick computes) of a read. */
function outputsOf(state: Partial<CampaignState> | undefined): Partial<CampaignState> {
  const out: Record<string, unknown> = {};
  for (const k of outputNames(fields)) if (state && (state as Record<string, unknown>)[k] !== undefined) out[k] = (state as Record<string, unknown>)[k];
  return out as Partial<CampaignState>;
}

export const campaign: ResourceDef<CampaignFields, Client> = {
  key: "exoclick:Campaign", importId: "the numeric campaign id",
  doc: "An ExoClick campaign (`POST /v2/campaigns`, JSON). Budget, bid, targeting, schedule, caps, zones, dates and status update in place (targeting by browser, carrier, device, language, operating system, site, keyword and IP range through `/campaigns/{id}/{targeted|blocked}/{kind}`); ad type, template and size replace it. Deleting archives it (ExoClick keeps deleted campaigns with status -1).",
  fields,
  check(_ctx, n, c: Checker) {
    if (n.mediaStorageTemplate === "img_banner" && n.size === undefined) c.fail("size", `size is required when mediaStorageTemplate is "img_banner", e.g. "300x250"`);
    if (n.startDate && n.endDate && isIsoDate(n.startDate) && isIsoDate(n.endDate) && n.endDate < n.startDate) {
      c.fail("endDate", `endDate must be on or after startDate (${n.startDate}); got ${n.endDate}`);
    }
    if (!containsUnknown(n.zoneTargeting) && !containsUnknown(n.zones)) {
      const listed = (n.zones ?? []).length;
      if (listed && !n.zoneTargeting) c.fail("zones", "zones has an effect only with zoneTargeting: set zoneTargeting { type: 0 } (only these zones) or { type: 1 } (every zone but these)");
      if (n.zoneTargeting?.type === 0 && !listed) c.fail("zones", "zones must list at least one zone when zoneTargeting.type is 0 (only the listed zones)");
    }
    if (n.maxDailyBudget !== undefined && n.totalBudgetLimit !== undefined && !containsUnknown(n.maxDailyBudget) && !containsUnknown(n.totalBudgetLimit) && n.maxDailyBudget > n.totalBudgetLimit) {
      c.fail("totalBudgetLimit", `totalBudgetLimit (${n.totalBudgetLimit}) must be at least maxDailyBudget (${n.maxDailyBudget}), both in the account's currency`);
    }
  },
  spend(inputs, base) {
    // dailyLimitType 0: ExoClick enforces no daily limit, whatever maxDailyBudget says.
    return enumValue(fields.dailyLimitType, inputs.dailyLimitType) === 0 ? { ...base, daily: undefined, uncapped: true } : base;
  },
  async find(ctx, inputs, exclude) {
    const same = await ctx.client.campaignsNamed(inputs.name);
    return newestUnowned(same, (c) => String(c.id), exclude);
  },
  async create(ctx, inputs) {
    const res = await ctx.client.createCampaign(toWire(fields, inputs));
    const id = String(res.id);
    // The routed targeting is set once the campaign exists; a failure keeps the campaign in state
    // without the kinds not set yet, so the next `up` sets them.
    const applied: Record<string, unknown> = { ...inputs };
    const pending = ROUTED.filter(([field]) => inputs[field] !== undefined);
    try {
      while (pending.length) {
        const [field, kind] = pending[0];
        await syncTargeting(ctx.client, id, kind, undefined, inputs[field]);
        pending.shift();
      }
      return { id, outs: outputsOf(await readCampaign(ctx.client, id)) };
    } catch (e) {
      for (const [field] of pending) delete applied[field];
      throw new PartialCreateError(id, applied, e as Error);
    }
  },
  async read(ctx, id) {
    return readCampaign(ctx.client, id);
  },
  async update(ctx, id, olds, news, changed) {
    const client = ctx.client;
    const declared: Record<string, Field> = fields;
    const body = changed.filter((k) => k !== "status" && declared[k] && declared[k].wire !== false);
    if (body.length) {
      const wire: Record<string, unknown> = toWire(fields, news, body);
      for (const k of body as Array<keyof CampaignFields>) {
        const unset = UNSET[k];
        if ((news as Record<string, unknown>)[k] === undefined && unset) wire[String(declared[k].wire ?? k)] = unset(olds);
      }
      if (Object.keys(wire).length) await client.updateCampaign(id, wire);
    }
    for (const [field, kind] of ROUTED) if (changed.includes(field)) await syncTargeting(client, id, kind, olds[field], news[field]);
    if (changed.includes("status")) await client.setCampaignStatus([id], news.status === 1 ? "play" : "pause");
    return outputsOf(await readCampaign(client, id));
  },
  async delete(ctx, id) {
    await ctx.client.setCampaignStatus([id], "delete");
  },
  async list(ctx) {
    // The list has no targeting: each live campaign is read in detail, as `read` does.
    const out: Array<{ id: string; state: Partial<CampaignState>; skip?: string }> = [];
    for (const c of await ctx.client.listAll<CampaignWire>("/campaigns")) {
      // Archived (deleted) campaigns are kept by ExoClick: reported, not live.
      if (c.status === -1) {
        out.push({ id: String(c.id), state: { ...fromWire(fields, c), pricing: fromWire(fields.pricing.fields, { model: c.pricing_model, price: c.price }) } as Partial<CampaignState>, skip: "archived" });
        continue;
      }
      const state = await readCampaign(ctx.client, String(c.id));
      if (state) out.push({ id: String(c.id), state });
    }
    return out;
  },
};
