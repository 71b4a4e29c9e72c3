import { accountField } from "../core/config/account";
// The library without its 78 locales (entry-node registers them all: 0.2 s of every process that loads a network); codes need none.
import * as countries from "i18n-iso-countries/index";
import type { ResourceDef } from "../core/schema/define";
import { clean } from "../core/schema/clean";
import { countryHint } from "../core/schema/countries";
import { deepEqual, f, Fields, fromWire, InputsOf, StateOf, toWire, WireOf } from "../core/schema/schema";
import { newestUnowned } from "../core/http/recover";
import { Checker, isIsoDate, isRfc3339 } from "../core/schema/validate";
import { ApiError, PartialCreateError } from "../core/http/errors";
import { CampaignAction, InterchangeClient } from "./client";
import {
  CAMPAIGN_MODES, CAMPAIGN_TYPES, CREDENTIAL_NAME, CURRENCY, DATA_DELIVERY_CADENCES, DATA_DELIVERY_TYPES, DELIVERY_DESTINATIONS,
  DELIVERY_FORMATS, DESIRED_STATUSES, DEVICE_PLATFORMS, DEVICE_TYPES, FREQUENCY_CAP_UNITS, GOAL_KINDS, MAX_AUDIENCES, MAX_BRIEF,
  MAX_CHANNELS, MAX_COUNTRIES, MAX_CREDENTIAL_NAME, MAX_DATA_OUTPUTS, MAX_FREQUENCY_CAPS, MAX_GEO_AREAS, MAX_GOALS, MAX_LANGUAGES,
  MAX_METRO_VALUES, MAX_NAME, MAX_PACING_PERIODS, MAX_PATH_PREFIX, MAX_POSTAL_VALUES, MAX_PRODUCT_IDS, MAX_REGIONS, MAX_SAFE_ID,
  MAX_STOREFRONTS, MAX_UTM_PARAMS, MAX_UTM_VALUE, METRO_SYSTEMS, OPTIMIZATION_APPLY_MODES, PACING, PACING_PERIOD_MODES, POSTAL_SYSTEMS,
  UTM_PARAM_KEY,
} from "./constants";

// ---- field declarations ----

const upper = (v: string) => v.toUpperCase();
const lower = (v: string) => v.toLowerCase();

/** The same instant written differently ("...00Z" and "...00.000Z") is the same value. */
const sameInstant = (a: unknown, b: unknown) =>
  typeof a === "string" && typeof b === "string" && isRfc3339(a) && isRfc3339(b) ? Date.parse(a) === Date.parse(b) : deepEqual(a, b);

const country = f.string({
  min: 1, normalize: upper, doc: "An ISO 3166-1 alpha-2 country code, e.g. \"US\" (any case; stored in capitals).",
  validate: (c: Checker, p: string, v: string) => {
    if (!/^[A-Za-z]{2}$/.test(v) || !countries.isValid(v.toUpperCase())) c.fail(p, `${p} must be an ISO 3166-1 alpha-2 country code such as "US" or "GB"; got ${JSON.stringify(v)}${countryHint(v, 2)}`);
  },
});
const countries_ = (doc: string) => f.list(country, { max: MAX_COUNTRIES, unique: (x: string) => x.toUpperCase(), doc });

/**
 * ISO 3166-2 subdivisions by country, from wooorm's `iso-3166` package (the
 * current list, e.g. FR-IDF, IN-LA, GB-LND; any level: FR-IDF and FR-75C).
 * Loaded on the first region checked (5,000 entries; an ES module, which
 * Node >= 20.19 loads with require).
 */
let subdivisions: Map<string, string[]> | undefined;
function subdivisionsOf(country: string): string[] {
  if (!subdivisions) {
    subdivisions = new Map();
    const { iso31662 } = require("iso-3166") as { iso31662: Array<{ code: string }> };
    for (const { code } of iso31662) {
      const cc = code.slice(0, 2);
      if (!subdivisions.has(cc)) subdivisions.set(cc, []);
      subdivisions.get(cc)!.push(code);
    }
  }
  return subdivisions.get(country) ?? [];
}

/** An ISO 3166-2 subdivision code: its form, its country (ISO 3166-1) and that the country has it. */
const region = f.string({
  min: 1, normalize: upper, doc: "An ISO 3166-2 subdivision code, e.g. \"US-CA\" (any case; stored in capitals).",
  validate: (c: Checker, p: string, v: string) => {
    const m = /^([A-Za-z]{2})-([A-Za-z0-9]{1,3})$/.exec(v);
    if (!m) return c.fail(p, `${p} must be an ISO 3166-2 subdivision code: a country's alpha-2 code, "-", then 1-3 letters or digits, such as "US-CA" or "GB-LND"; got ${JSON.stringify(v)}`);
    const cc = m[1].toUpperCase();
    if (!countries.isValid(cc)) return c.fail(p, `${p} must be an ISO 3166-2 subdivision code of an existing country, such as "US-CA"; ${JSON.stringify(cc)} is not an ISO 3166-1 country (in ${JSON.stringify(v)})`);
    const known = subdivisionsOf(cc);
    if (!known.includes(v.toUpperCase())) {
      const some = known.slice(0, 3).map((x) => JSON.stringify(x)).join(", ");
      c.fail(p, `${p} must be an ISO 3166-2 subdivision of its country; ${JSON.stringify(v)} is not one of ${cc}` + (known.length ? ` (${cc} has ${known.length}, e.g. ${some})` : ` (${cc} has no ISO 3166-2 subdivisions: target the country in geoCountries)`));
    }
  },
});
const regions = (doc: string) => f.list(region, { max: MAX_REGIONS, unique: (x: string) => x.toUpperCase(), doc });

const area = (systems: readonly string[], maxValues: number, what: string) => f.object({
  system: f.enum(systems, { required: true, doc: `Classification system: ${systems.map((s) => JSON.stringify(s)).join(", ")}.` }),
  values: f.list(f.string({ min: 1, doc: "A code within the system." }), { required: true, min: 1, max: maxValues, unique: (x: string) => x, doc: `Codes within the system, e.g. ["501", "803"] (at most ${maxValues}, a sane cap: ${what}).` }),
}, { doc: "A system and codes within it." });
const metros = (doc: string) => f.list(area(METRO_SYSTEMS, MAX_METRO_VALUES, "Nielsen has 210 DMAs, Eurostat 242 NUTS 2 regions"), { max: MAX_GEO_AREAS, doc });
const postal = (doc: string) => f.list(area(POSTAL_SYSTEMS, MAX_POSTAL_VALUES, "more than every US ZIP code"), { max: MAX_GEO_AREAS, doc });

const deviceTypes = (doc: string) => f.list(f.enum(DEVICE_TYPES, { doc: "A device type." }), { max: DEVICE_TYPES.length, unique: String, doc });

const constraints = f.object({
  channels: f.list(f.string({ min: 1, doc: "A channel, e.g. \"display\"." }), { max: MAX_CHANNELS, unique: lower, doc: "Channels, e.g. [\"display\", \"olv\"], each once (a sane cap of 50)." }),
  geoCountries: { ...countries_("ISO 3166-1 alpha-2 countries to target, e.g. [\"US\", \"CA\"], each once (case-insensitive)."), wire: "geo_countries" },
  geoCountriesExclude: { ...countries_("ISO 3166-1 alpha-2 countries to exclude, each once."), wire: "geo_countries_exclude" },
  geoRegions: { ...regions("ISO 3166-2 regions to target, e.g. [\"US-CA\"], each once; each must be a subdivision of its country in the current ISO 3166-2 list."), wire: "geo_regions" },
  geoRegionsExclude: { ...regions("ISO 3166-2 regions to exclude, each once."), wire: "geo_regions_exclude" },
  geoMetros: { ...metros("Metro areas to target (systems nielsen_dma, uk_itl1, uk_itl2, eurostat_nuts2, custom)."), wire: "geo_metros" },
  geoMetrosExclude: { ...metros("Metro areas to exclude."), wire: "geo_metros_exclude" },
  geoPostalAreas: { ...postal("Postal areas to target (systems us_zip, gb_outward, de_plz, ...)."), wire: "geo_postal_areas" },
  geoPostalAreasExclude: { ...postal("Postal areas to exclude."), wire: "geo_postal_areas_exclude" },
  language: f.list(f.string({ min: 1, doc: "A language code, e.g. \"en\"." }), { max: MAX_LANGUAGES, unique: lower, doc: "Languages, e.g. [\"en\"], each once (ISO 639-1 has 184 codes)." }),
  deviceType: { ...deviceTypes("Device types: desktop, mobile, tablet, ctv, dooh, unknown; each once."), wire: "device_type" },
  deviceTypeExclude: { ...deviceTypes("Device types to exclude, each once."), wire: "device_type_exclude" },
  devicePlatform: {
    ...f.list(f.enum(DEVICE_PLATFORMS, { doc: "A platform." }), { max: DEVICE_PLATFORMS.length, unique: String, doc: "Platforms: ios, android, windows, macos, linux, chromeos, tvos, tizen, webos, fire_os, roku_os, unknown; each once." }),
    wire: "device_platform",
  },
} satisfies Fields, { doc: "Targeting constraints (geography, language, devices, channels); sent with the API's snake_case names." });

type Goal = { kind?: unknown; metric?: unknown; priority?: unknown; eventSources?: Array<{ eventSourceId?: unknown; eventType?: unknown }> };

function checkPerformance(c: Checker, path: string, v: { optimizationGoals?: unknown }) {
  const goals = v.optimizationGoals;
  if (!c.array(`${path}.optimizationGoals`, goals, { required: true, min: 1, max: MAX_GOALS })) return;
  (goals as Goal[]).forEach((g, i) => {
    const p = `${path}.optimizationGoals[${i}]`;
    if (!c.object(p, g, { required: true })) return;
    c.oneOf(`${p}.kind`, g.kind, GOAL_KINDS, { required: true });
    if (g.kind === "event" && c.array(`${p}.eventSources`, g.eventSources, { required: true, min: 1 })) {
      (g.eventSources ?? []).forEach((s, j) => {
        if (!c.object(`${p}.eventSources[${j}]`, s, { required: true })) return;
        c.string(`${p}.eventSources[${j}].eventSourceId`, s.eventSourceId, { required: true, min: 1 });
        c.string(`${p}.eventSources[${j}].eventType`, s.eventType, { required: true, min: 1 });
      });
    }
    if (g.kind === "metric") c.string(`${p}.metric`, g.metric, { required: true, min: 1 });
    c.number(`${p}.priority`, g.priority, { integer: true, min: 1 });
  });
}

const pacingPeriod = f.object({
  label: f.string({ required: true, min: 1, max: 100, doc: "1-100 characters." }),
  start: f.date({ required: true, doc: "First day, YYYY-MM-DD." }),
  end: f.date({ required: true, doc: "Last day, YYYY-MM-DD, on or after start." }),
  weight: f.number({ min: 0, max: 10, doc: "Weight 0-10; required in \"weight\" mode." }),
  budget: f.number({ min: 0, money: "major", plausibleMax: 250_000, doc: "Budget >= 0 in the campaign's currency; required in \"budget\" mode." }),
}, { doc: "A period; gaps between periods are pauses." });

const audienceIds = (doc: string) => f.list(f.string({ min: 1, doc: "An audience id (from the advertiser's audiences)." }), {
  max: MAX_AUDIENCES, unique: String, unordered: true, doc,
});

const dataDeliveryOutput = f.object({
  dataDeliveryType: f.enum(DATA_DELIVERY_TYPES, { required: true, doc: "What is delivered: MB_DELIVERY, IMPRESSIONS, CLICKS, VAST_EVENTS, CAPI_ATTRIBUTION or MMP_POSTBACKS." }),
  cadence: f.enum(DATA_DELIVERY_CADENCES, { required: true, doc: "\"HOURLY\", \"DAILY\" or \"WEEKLY\"." }),
  syncWeeklyDay: f.integer({ min: 0, max: 6, doc: "Day of the week of a weekly delivery, 0-6." }),
  enabled: f.boolean({ serverDefault: true, doc: "Whether the output delivers; Interchange's default is true." }),
  credentialName: f.string({
    required: true, min: 1, max: MAX_CREDENTIAL_NAME, pattern: CREDENTIAL_NAME, patternHint: "letters, digits, \"_\" and \"-\", starting with a letter or digit",
    doc: "Name of the advertiser's data-delivery credential (storage access) the output writes with, 1-64 characters.",
  }),
  deliveryConfig: f.object({
    type: f.enum(DELIVERY_DESTINATIONS, { required: true, doc: "Destination: \"GCS\", \"S3\" or \"AZURE_BLOB\"." }),
    pathPrefix: f.string({ max: MAX_PATH_PREFIX, serverDefault: true, doc: "Path prefix in the bucket or container, at most 1024 characters; Interchange's default is \"\"." }),
    format: f.enum(DELIVERY_FORMATS, { serverDefault: true, doc: "\"JSONL\" (Interchange's default), \"PARQUET\" or \"CSV\"." }),
  }, { required: true, doc: "Where and how the files are written." }),
}, { doc: "A data-delivery output." });

export const fields = {
  account: accountField,
  advertiserId: f.integer({
    required: true, min: 1, max: MAX_SAFE_ID, replaceOnChange: true, naturalKey: true,
    // An id from config arrives as a string; the API wants an integer.
    coerce: (v: unknown) => (typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v),
    decode: (v: unknown) => Number(v),
    doc: "Advertiser that owns the campaign (an integer id; a digit string from config is converted). Changing it replaces the campaign.",
  }),
  name: f.string({ required: true, min: 1, max: MAX_NAME, naturalKey: true, doc: "Campaign name, 1-255 characters, not only spaces. With advertiserId, the key that finds a campaign whose create response was lost." }),
  flightDates: f.object({
    startDate: f.dateTime({ required: true, equal: sameInstant, doc: "RFC 3339 date-time, e.g. \"2025-01-15T00:00:00Z\"." }),
    endDate: f.dateTime({ required: true, equal: sameInstant, doc: "RFC 3339 date-time after startDate, e.g. \"2025-03-31T23:59:59Z\"." }),
  }, { required: true, doc: "Flight dates (RFC 3339 date-times); the same instant written differently is not a change. Updates in place." }),
  budget: f.object({
    total: f.number({ required: true, exclusiveMin: 0, spend: "totalBudget", money: "major", plausibleMax: 250_000, doc: "Total budget in the campaign's currency (e.g. 5000 = $5,000), > 0. Changes in place." }),
    currency: f.string({
      default: "USD", pattern: CURRENCY, patternHint: "a 3-letter ISO 4217 code in capitals such as \"USD\" or \"EUR\"", replaceOnChange: true, spend: "currency",
      doc: "ISO 4217 code, default \"USD\"; must be the advertiser's currency (the API answers CURRENCY_MISMATCH otherwise). Changing it replaces the campaign.",
    }),
    dailyCap: f.number({ exclusiveMin: 0, spend: "dailyBudget", money: "major", plausibleMax: 25_000, doc: "Daily spend cap in the same currency, > 0 and at most total." }),
    pacing: f.enum(PACING, { default: "EVEN", doc: "\"EVEN\" (default), \"ASAP\" or \"FRONTLOADED\"." }),
  }, { required: true, doc: "Budget: total, currency, daily cap and pacing. Updates in place except the currency." }),
  campaignType: f.enum(CAMPAIGN_TYPES, {
    required: true, replaceOnChange: true,
    doc: "\"DECISIONED\" (Scope3 optimises) or \"ROUTED\" (passes through to the sales agent). Immutable: changing it replaces the campaign.",
  }),
  mode: f.enum(CAMPAIGN_MODES, {
    replaceOnChange: true,
    doc: "The published buyer contract's create discriminator: \"discovery\" or \"performance\" (which needs performanceConfig). Sent only when set (seed 001 has no mode). Changing it replaces the campaign (the contract sets it at create only; inferred).",
  }),
  status: f.enum(DESIRED_STATUSES, {
    default: "DRAFT", wire: false, spend: "status", running: ["ACTIVE"],
    doc: "Desired state: \"DRAFT\" (default), \"ACTIVE\" or \"PAUSED\", reached with the execute / pause / reactivate actions. A campaign cannot return to DRAFT, and a new one cannot start PAUSED.",
  }),
  brief: f.string({ max: MAX_BRIEF, doc: "Natural-language brief for product search, at most 5000 characters (screened by the network's moderation)." }),
  constraints,
  storefrontIds: f.list(f.integer({ min: 1, max: MAX_SAFE_ID, doc: "A storefront id." }), {
    max: MAX_STOREFRONTS, unordered: true, unique: String,
    doc: "Storefront ids the campaign sources inventory from: at most 50 (the API's limit), each once, order ignored. Full replace on update.",
  }),
  performanceConfig: f.json({
    validate: checkPerformance,
    doc: "Optimisation goals in the API's own shape: { optimizationGoals: [{ kind: \"event\" | \"metric\", ... }] } (1-20 goals).",
  }),
  optimizationApplyMode: f.enum(OPTIMIZATION_APPLY_MODES, { serverDefault: true, doc: "\"AUTO\" or \"MANUAL\"; omitted, the advertiser's setting applies (not drift)." }),
  pacingPeriods: f.object({
    mode: f.enum(PACING_PERIOD_MODES, { required: true, doc: "\"weight\" (budget split by weighted days) or \"budget\" (explicit amounts)." }),
    periods: f.list(pacingPeriod, { required: true, min: 1, max: MAX_PACING_PERIODS, doc: "1-52 periods (the API's limit); gaps between them are pauses." }),
  }, {
    doc: "Time-based spend periods; can only change while the campaign is DRAFT.",
    validate: (c: Checker, p: string, v: { mode?: string; periods: Array<{ start?: string; end?: string; weight?: number; budget?: number }> }) => {
      v.periods.forEach((x, i) => {
        const q = `${p}.periods[${i}]`;
        if (x.start !== undefined && x.end !== undefined && isIsoDate(x.start) && isIsoDate(x.end) && x.end < x.start) c.fail(`${q}.end`, `${q}.end must be on or after ${q}.start (${x.start}); got ${x.end}`);
        if (v.mode === "weight" && x.weight === undefined) c.fail(`${q}.weight`, `${q}.weight is required in "weight" mode (0-10)`);
        if (v.mode === "budget" && x.budget === undefined) c.fail(`${q}.budget`, `${q}.budget is required in "budget" mode (>= 0)`);
      });
    },
  }),
  frequencyCaps: f.list(f.object({
    maxImpressions: f.integer({ required: true, min: 1, max: MAX_SAFE_ID, wire: "max_impressions", doc: "Impressions per window, a whole number >= 1." }),
    window: f.object({
      interval: f.number({ required: true, min: 1, doc: "Window length, >= 1." }),
      unit: f.enum(FREQUENCY_CAP_UNITS, { required: true, doc: "\"seconds\", \"minutes\", \"hours\", \"days\" or \"campaign\"." }),
    }, { required: true, doc: "The window." }),
  }, { doc: "A cap." }), { max: MAX_FREQUENCY_CAPS, doc: "Buyer-side frequency caps, enforced across publishers (at most 20, a sane cap). Full replace on update." }),
  discoveryId: f.string({
    min: 1, doc: "A discovery session (from product discovery) attached to the campaign. Interchange reports it only while the campaign is DRAFT; after execution the known value is kept. Updates in place.",
  }),
  productIds: f.list(f.string({ min: 1, doc: "A product id from the discovery session." }), {
    max: MAX_PRODUCT_IDS, unique: String, unordered: true, replaceOnChange: true,
    doc: "Products to pre-select from the discovery session (needs discoveryId), each once, order ignored (at most 500, a sane cap). Create only (the update body has no productIds): changing them replaces the campaign. Interchange reports them only while DRAFT.",
  }),
  audienceConfig: f.object({
    targetAudienceIds: audienceIds("Audiences to target, at most 100, each once, order ignored."),
    suppressAudienceIds: audienceIds("Audiences to suppress (exclude), at most 100, each once, order ignored."),
  }, {
    doc: "Audience targeting and suppression. Read back from the campaign's `audiences` (TARGET / SUPPRESS); an update sends the whole set with deleteMissing: true, so the declared set is the campaign's set.",
  }),
  catalogId: f.integer({ min: 1, max: MAX_SAFE_ID, doc: "A catalog (product feed) of the advertiser attached to the campaign; one per campaign. Removing it detaches the catalog (null). Updates in place." }),
  utmConfig: f.object({
    params: f.list(f.object({
      paramKey: f.string({ required: true, pattern: UTM_PARAM_KEY, patternHint: "1-100 letters, digits, \"_\" or \"-\"", doc: "The parameter's name, e.g. \"utm_source\"." }),
      paramValue: f.string({ required: true, min: 1, max: MAX_UTM_VALUE, doc: "Its value, 1-200 characters." }),
    }, { doc: "A UTM parameter." }), {
      required: true, max: MAX_UTM_PARAMS, unique: (x: { paramKey?: unknown }) => String(x.paramKey), uniqueBy: "paramKey", unordered: true,
      doc: "UTM parameters (at most 20, each key once, order ignored); they override the seat's defaults for the same keys.",
    }),
  }, { doc: "UTM parameters added to the campaign's click URLs. An update sends the whole list with deleteMissing: true." }),
  dataDelivery: f.object({
    outputs: f.list(dataDeliveryOutput, { required: true, max: MAX_DATA_OUTPUTS, doc: "Campaign-scoped outputs (at most 20, a sane cap); each overrides the advertiser's output of the same type." }),
  }, { doc: "Campaign-scoped data delivery (log files to your storage). Sent complete on update." }),
  campaignId: f.string({ output: true, doc: "Interchange's campaign id (cmp_…), also the resource id." }),
  createdAt: f.string({ output: true, doc: "When Interchange created the campaign." }),
} satisfies Fields;

export type CampaignFields = typeof fields;
type Inputs = InputsOf<CampaignFields>;
type State = StateOf<CampaignFields>;

/** Value sent to clear a field that was removed from the program ([] is documented for lists; null is inferred). */
const CLEAR: Record<string, unknown> = {
  storefrontIds: [], frequencyCaps: [], brief: null, constraints: null, performanceConfig: null, pacingPeriods: null,
  // null detaches the catalog (update docs); the rest are inferred.
  catalogId: null, discoveryId: null,
  audienceConfig: { targetAudienceIds: [], suppressAudienceIds: [] }, utmConfig: { params: [] }, dataDelivery: { outputs: [] },
};
/** Lists that are additive on update unless `deleteMissing: true` (update docs): sent with it, so the declared set is the whole set. */
const REPLACE_WITH_DELETE_MISSING = ["audienceConfig", "utmConfig"];

/** The JSON body of POST /campaigns (status is reached through actions; mode only when set). */
export function createBody(inputs: Inputs): CampaignWire {
  return toWire(fields, inputs);
}

/** The shapes the network's client moves (interchange/network.ts makes it with them). */
export interface InterchangeObjects {
  campaign: CampaignWire;
}
/** The client as this network's resources get it. */
export type Client = InterchangeClient<InterchangeObjects>;

/** A campaign as Interchange answers it: the declared wire fields (derived from `fields`) plus what it computes. */
export type CampaignWire = Omit<WireOf<CampaignFields>, "frequencyCaps" | "utmConfig" | "dataDelivery"> & {
  advertiserId?: number | string;
  status?: string;
  storefronts?: Array<{ id: number | string }>;
  frequencyCaps?: Array<WireOf<CampaignFields["frequencyCaps"]["items"]["fields"]> & { archivedAt?: string | null }>;
  /** The products pre-selected from the discovery session (reported while DRAFT). */
  products?: Array<{ productId?: string }>;
  /** The campaign's audiences, targeted or suppressed: how `audienceConfig` reads back. */
  audiences?: Array<{ audienceId?: string; type?: string }>;
  /** As sent (`{params}`), or as Interchange reports an advertiser's (a list with `source`; inferred for campaigns). */
  utmConfig?: WireOf<CampaignFields>["utmConfig"] | Array<{ paramKey?: string; paramValue?: string; source?: string }>;
  /** Outputs as sent, plus what Interchange adds (`source` "advertiser" or "campaign", ids, times). */
  dataDelivery?: { outputs?: Array<NonNullable<WireOf<CampaignFields>["dataDelivery"]>["outputs"] extends (infer O)[] | undefined ? O & { source?: string } : never> };
};

/**
 * The wire campaign with the fields Interchange reports elsewhere put where
 * the declaration reads them: `audiences` as `audienceConfig`, `products` as
 * `productIds`, a listed `utmConfig` as `{params}` (campaign entries only),
 * and only the campaign's own data-delivery outputs.
 */
function normalizeWire(c: CampaignWire): CampaignWire {
  const out: CampaignWire = { ...c };
  if (Array.isArray(c.audiences)) {
    const ids = (type: string) => c.audiences!.filter((a) => a.type === type && a.audienceId).map((a) => String(a.audienceId));
    const target = ids("TARGET"), suppress = ids("SUPPRESS");
    out.audienceConfig = target.length || suppress.length ? { ...(target.length ? { targetAudienceIds: target } : {}), ...(suppress.length ? { suppressAudienceIds: suppress } : {}) } : undefined;
  }
  if (Array.isArray(c.products) && c.products.length && c.productIds === undefined) out.productIds = c.products.map((p) => String(p.productId));
  if (Array.isArray(c.utmConfig)) {
    const params = c.utmConfig.filter((p) => p.source !== "seat").map((p) => ({ paramKey: String(p.paramKey), paramValue: String(p.paramValue) }));
    out.utmConfig = params.length ? { params } : undefined;
  }
  if (c.dataDelivery && Array.isArray(c.dataDelivery.outputs)) {
    const outputs = c.dataDelivery.outputs.filter((o) => o.source !== "advertiser");
    out.dataDelivery = outputs.length ? { outputs } : undefined;
  }
  return out;
}

/** A campaign from the API in input shape plus outputs. */
function readShape(c: CampaignWire, prior?: Partial<State>): Partial<State> {
  const state: Partial<State> = prior ?? {};
  const s: Partial<State> = fromWire(fields, normalizeWire(c));
  // mode: a seed-era network does not echo it (keep the known value); a newer
  // one reports the mode it chose for a campaign created without one (not drift).
  if (s.mode === undefined || (prior && prior.mode === undefined)) s.mode = state.mode;
  const emptyAs = (list: unknown[] | undefined, known: unknown) => (list && list.length ? list : Array.isArray(known) ? [] : undefined);
  const storefronts: number[] | undefined = Array.isArray(c.storefronts) ? c.storefronts.map((x) => Number(x.id)) : Array.isArray(c.storefrontIds) ? c.storefrontIds.map(Number) : undefined;
  s.storefrontIds = emptyAs(storefronts, state.storefrontIds) as State["storefrontIds"];
  const caps = Array.isArray(c.frequencyCaps) ? c.frequencyCaps.filter((x) => !x.archivedAt).map((x) => fromWire(fields.frequencyCaps.items.fields, x)) : undefined;
  s.frequencyCaps = emptyAs(caps, state.frequencyCaps) as State["frequencyCaps"];
  if (s.constraints && Object.keys(s.constraints).length === 0) s.constraints = undefined;
  if (s.advertiserId === undefined) s.advertiserId = state.advertiserId;
  // Interchange reports the discovery session and its products only while DRAFT (read docs): after execution, the known values stay.
  if (c.status !== "DRAFT") {
    if (s.discoveryId === undefined) s.discoveryId = state.discoveryId;
    if (s.productIds === undefined) s.productIds = state.productIds;
  }
  if (s.budget && s.budget.pacing === undefined) s.budget.pacing = state.budget?.pacing;
  // Newer API snapshots dropped campaignType from responses: keep the known value rather than report a perpetual diff.
  if (s.campaignType === undefined) s.campaignType = state.campaignType;
  s.status = c.status as State["status"];
  return s;
}

// ---- status: desired state reached through actions ----

/** The action that moves a campaign from `from` towards `to`, if any. */
export function actionFor(from: string | undefined, to: string): CampaignAction | undefined {
  if (from === to) return undefined;
  if (to === "ACTIVE") return from === "PAUSED" ? "reactivate" : "execute";
  if (to === "PAUSED") return "pause";
  return undefined; // DRAFT is never a target of a transition (check rejects it)
}

/**
 * Runs one action. A 409 after a replayed request (lost response) is fine if
 * the campaign is already where we wanted it; otherwise the network's 409
 * message is the error.
 */
async function runAction(client: Client, id: string, action: CampaignAction, target: string): Promise<void> {
  try {
    await client.action(id, action);
  } catch (e) {
    if (e instanceof ApiError && e.status === 409 && e.attempts > 1) {
      const now = await client.getCampaign(id).catch(() => undefined);
      if (now?.status === target) return;
    }
    throw e;
  }
}

export const campaign: ResourceDef<CampaignFields, Client> = {
  key: "interchange:Campaign", importId: "the campaign id, e.g. cmp_987654321",
  doc: "An Interchange (Scope3) buyer campaign (`POST /campaigns`). Name, flight dates, budget, brief, targeting and the rest update in place (`PUT`); advertiser, campaign type, mode and currency replace it. `status` is desired state reached with execute / pause / reactivate. Deleting archives it.",
  fields,
  check(_ctx, n, c: Checker, olds) {
    const fd = n.flightDates;
    if (fd && isRfc3339(fd.startDate) && isRfc3339(fd.endDate) && Date.parse(fd.endDate) <= Date.parse(fd.startDate)) {
      c.fail("flightDates.endDate", `flightDates.endDate must be after flightDates.startDate (${fd.startDate}); got ${fd.endDate}`);
    }
    const b = n.budget;
    if (b && typeof b.dailyCap === "number" && typeof b.total === "number" && b.dailyCap > b.total) {
      c.fail("budget.dailyCap", `budget.dailyCap must be at most budget.total (${b.total}); got ${b.dailyCap}`);
    }
    if (Array.isArray(n.productIds) && n.productIds.length && n.discoveryId === undefined) {
      c.fail("productIds", `productIds pre-select products from a discovery session: set discoveryId too (or remove productIds)`);
    }
    if (n.mode === "performance" && n.performanceConfig === undefined) {
      c.fail("performanceConfig", `performanceConfig is required when mode is "performance" (its optimization goals); or use mode "discovery"`);
    }
    if (n.status === "DRAFT" && (olds.status === "ACTIVE" || olds.status === "PAUSED")) {
      c.fail("status", `status cannot go back to "DRAFT" from ${JSON.stringify(olds.status)}: Interchange has no action for that (use "PAUSED" to stop delivery)`);
    }
    if (n.status === "PAUSED" && olds.status === undefined) {
      c.fail("status", `a new campaign cannot start "PAUSED" (Interchange pauses only ACTIVE campaigns); declare "DRAFT" or "ACTIVE"`);
    }
  },
  async find(ctx, inputs, exclude) {
    const same = await ctx.client.campaignsNamed(inputs.advertiserId, inputs.name);
    return newestUnowned(same, (x) => String(x.campaignId), exclude);
  },
  async create(ctx, inputs) {
    const client = ctx.client;
    const created = await client.createCampaign(createBody(inputs));
    const id = String(created.campaignId);
    const status = String(created.status ?? "DRAFT");
    try {
      if (status === "DRAFT" && inputs.status === "PAUSED") {
        // Only reachable through a replacement of a paused campaign.
        await runAction(client, id, "execute", "ACTIVE");
        await runAction(client, id, "pause", "PAUSED");
      } else {
        const action = actionFor(status, inputs.status);
        if (action) await runAction(client, id, action, inputs.status);
      }
    } catch (e) {
      // The campaign exists: record it (as it is) so the next `up` finishes the job.
      const now = await client.getCampaign(id).catch(() => created);
      throw new PartialCreateError(id, { ...inputs, status: now?.status ?? status, campaignId: id, createdAt: created.createdAt }, e as Error);
    }
    return { id, outs: { campaignId: id, createdAt: created.createdAt } };
  },
  async read(ctx, id, state) {
    const c = await ctx.client.getCampaign(id);
    // Deleting archives a campaign; an archived campaign is gone for Pulumi.
    if (!c || c.status === "ARCHIVED") return undefined;
    return readShape(c, state);
  },
  async update(ctx, id, olds, news, changed) {
    const client = ctx.client;
    const body = changed.filter((k) => k !== "status");
    // Fields first (pacingPeriods may only change while DRAFT), then the status action.
    if (body.length) {
      const put: Record<string, unknown> = toWire(fields, news, body);
      for (const k of body) if (news[k as keyof Inputs] === undefined && k in CLEAR) put[k] = CLEAR[k];
      for (const k of REPLACE_WITH_DELETE_MISSING) if (body.includes(k)) put[k] = { ...(put[k] as object), deleteMissing: true };
      await client.updateCampaign(id, put);
    }
    if (changed.includes("status")) {
      const action = actionFor(olds.status, news.status);
      if (action) await runAction(client, id, action, news.status);
    }
  },
  async delete(ctx, id) {
    const client = ctx.client;
    try {
      await client.deleteCampaign(id);
    } catch (e) {
      // Already archived (e.g. a replayed DELETE) counts as deleted.
      if (e instanceof ApiError && e.status === 409 && (await client.getCampaign(id).catch(() => undefined))?.status === "ARCHIVED") return;
      throw e;
    }
  },
  async list(ctx) {
    const client = ctx.client;
    // The list gives summaries (every page through take/skip); the full campaign comes from GET, one at a time.
    const summaries = await client.listCampaigns();
    const out: Array<{ id: string; state: Partial<State> }> = [];
    for (const s of summaries) {
      if (!s?.campaignId || s.status === "ARCHIVED") continue;
      const c = await client.getCampaign(String(s.campaignId)).catch((e) => {
        if (e instanceof ApiError && e.isNotFound) return undefined;
        throw e;
      });
      if (c && c.status !== "ARCHIVED") out.push({ id: String(c.campaignId), state: clean({ ...readShape(c), campaignId: String(c.campaignId), createdAt: c.createdAt }) });
    }
    return out;
  },
};
