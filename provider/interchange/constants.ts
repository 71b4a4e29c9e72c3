/**
 * Interchange (Scope3) buyer API v2 enumerations and limits, shared by the
 * resource's `check` and the sandbox so the two cannot disagree. Sources are
 * in docs/interchange.md: the seed's create-campaign page (S001) and the
 * buyer SDK's schema; values marked [I] are inferred.
 */
export const CAMPAIGN_TYPES = ["DECISIONED", "ROUTED"] as const;
/** The published buyer contract's create discriminator (`directed` is deprecated there). */
export const CAMPAIGN_MODES = ["discovery", "performance"] as const;
/** Desired states a program may declare. */
export const DESIRED_STATUSES = ["DRAFT", "ACTIVE", "PAUSED"] as const;
/** Every status the API reports. */
export const STATUSES = ["DRAFT", "ACTIVE", "PAUSED", "COMPLETED", "CANCELED", "ARCHIVED"] as const;
export const PACING = ["EVEN", "ASAP", "FRONTLOADED"] as const;
export const OPTIMIZATION_APPLY_MODES = ["AUTO", "MANUAL"] as const;
export const PACING_PERIOD_MODES = ["weight", "budget"] as const;
export const FREQUENCY_CAP_UNITS = ["seconds", "minutes", "hours", "days", "campaign"] as const;
export const METRO_SYSTEMS = ["nielsen_dma", "uk_itl1", "uk_itl2", "eurostat_nuts2", "custom"] as const;
export const POSTAL_SYSTEMS = [
  "us_zip", "us_zip_plus_four", "gb_outward", "gb_full", "ca_fsa", "ca_full", "de_plz", "fr_code_postal", "au_postcode", "ch_plz", "at_plz",
] as const;
export const DEVICE_TYPES = ["desktop", "mobile", "tablet", "ctv", "dooh", "unknown"] as const;
export const DEVICE_PLATFORMS = [
  "ios", "android", "windows", "macos", "linux", "chromeos", "tvos", "tizen", "webos", "fire_os", "roku_os", "unknown",
] as const;
export const GOAL_KINDS = ["event", "metric"] as const;
/** Data-delivery outputs (the buyer API's `DataDeliveryOutputInput`; scope3 SDK src/schemas/buyer.ts). */
export const DATA_DELIVERY_TYPES = ["MB_DELIVERY", "IMPRESSIONS", "CLICKS", "VAST_EVENTS", "CAPI_ATTRIBUTION", "MMP_POSTBACKS"] as const;
export const DATA_DELIVERY_CADENCES = ["HOURLY", "DAILY", "WEEKLY"] as const;
export const DELIVERY_DESTINATIONS = ["GCS", "S3", "AZURE_BLOB"] as const;
export const DELIVERY_FORMATS = ["JSONL", "PARQUET", "CSV"] as const;
/** A data-delivery credential's name (1-64 characters). */
export const CREDENTIAL_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/;
/** A UTM parameter's key (1-100 characters). */
export const UTM_PARAM_KEY = /^[a-zA-Z0-9_-]{1,100}$/;

export const MAX_NAME = 255;
export const MAX_BRIEF = 5000;
export const MAX_STOREFRONTS = 50;
export const MAX_PACING_PERIODS = 52;
/** Audiences to target, and to suppress: at most 100 each. */
export const MAX_AUDIENCES = 100;
export const MAX_UTM_PARAMS = 20;
export const MAX_UTM_VALUE = 200;
export const MAX_PATH_PREFIX = 1024;
export const MAX_CREDENTIAL_NAME = 64;
/*
 * Sane caps where the API publishes no limit (documented as such in
 * docs/interchange.md): each is above any real use, and keeps an absurd list
 * from being checked item by item or sent.
 */
/** ISO 3166-1 assigns 249 country codes. */
export const MAX_COUNTRIES = 250;
/** ISO 3166-2 defines about 5,000 subdivision codes. */
export const MAX_REGIONS = 6_000;
export const MAX_CHANNELS = 50;
/** ISO 639-1 has 184 language codes. */
export const MAX_LANGUAGES = 200;
/** Entries (system + codes) in one metro or postal list. */
export const MAX_GEO_AREAS = 20;
/** Codes in one metro entry: Nielsen has 210 DMAs, Eurostat 242 NUTS 2 regions. */
export const MAX_METRO_VALUES = 1_000;
/** Codes in one postal entry: more than every US ZIP code (about 42,000). */
export const MAX_POSTAL_VALUES = 50_000;
export const MAX_FREQUENCY_CAPS = 20;
export const MAX_GOALS = 20;
/** Products pre-selected from a discovery session (the API documents no limit). */
export const MAX_PRODUCT_IDS = 500;
/** Campaign-scoped data-delivery outputs (the API documents no limit; six delivery types x three cadences is 18). */
export const MAX_DATA_OUTPUTS = 20;
export const MAX_SAFE_ID = 9_007_199_254_740_991;
export const CURRENCY = /^[A-Z]{3}$/;
export const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Targeting constraints: input name -> wire name (the API uses snake_case here). */
export const CONSTRAINT_WIRE: Record<string, string> = {
  channels: "channels",
  geoCountries: "geo_countries",
  geoCountriesExclude: "geo_countries_exclude",
  geoRegions: "geo_regions",
  geoRegionsExclude: "geo_regions_exclude",
  geoMetros: "geo_metros",
  geoMetrosExclude: "geo_metros_exclude",
  geoPostalAreas: "geo_postal_areas",
  geoPostalAreasExclude: "geo_postal_areas_exclude",
  language: "language",
  deviceType: "device_type",
  deviceTypeExclude: "device_type_exclude",
  devicePlatform: "device_platform",
};

/** Rate limit of general endpoints: 100 requests per minute [C]. */
export const RATE_LIMIT = { limit: 100, windowMs: 60_000 };
