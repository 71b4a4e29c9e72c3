/**
 * Affise enumerations shared by the resources' `check` and the sandbox, so
 * the emulator and the validation can never disagree. Sources and
 * confidence per value are in docs/affise.md ([C] confirmed, [I] inferred).
 */
export const OFFER_STATUS = ["active", "stopped", "suspended"] as const; // [C]
export const PRIVACY = ["public", "protected", "private"] as const; // [C] request values
/** Affise answers "premoderated" for a "protected" offer [I]. */
export const PRIVACY_ON_READ: Record<string, string> = { premoderated: "protected" };
export const REDIRECT_TYPES = ["http302", "http302hidden", "js", "meta"] as const; // [C]
export const PAYMENT_TYPES = [
  "fixed", "percent", "mixed", "cpc", "cpm", "first_cpa", "first_cps", "baseline_onetime", "baseline_accumulating",
] as const; // [C]
/** Device types of payouts and targeting groups [C: contract `offer_payment_structure.devices`, `targeting_group_structure.device_type`; Go SDK]. */
export const DEVICES = ["desktop", "mobile", "tablet", "mediahub", "ereader", "console", "tv", "smartwatch"] as const;
export const CONNECTIONS = ["wi-fi", "cellular"] as const; // [C]
export const LANDING_TYPES = ["landing", "transit"] as const; // [C]
export const CAP_PERIODS = ["hour", "day", "month", "all"] as const; // [C]
export const CAP_TYPES = ["budget", "conversions", "clicks", "impressions"] as const; // [C]
export const CAP_SCOPES = ["all", "each", "exact"] as const; // goal_type / affiliate_type / country_type [C]
export const CAPS_STATUS = ["confirmed", "pending", "hold", "declined"] as const; // [C]
export const POSTBACK_STATUS = ["by_creating", "confirmed", "pending", "declined", "hold"] as const; // [C]
export const INTEGRATION_METHODS = ["all", "default", "skad", "probabilistic_attribution"] as const; // [C]
export const SUB_NUMBERS = ["sub1", "sub2", "sub3", "sub4", "sub5", "sub6", "sub7", "sub8"] as const;
/** How a targeting group combines its rules [C: `targeting_group_structure.condition`]. */
export const CONDITIONS = ["and", "or"] as const;
/** OS and browser version comparisons [C: `targeting_os_structure`, `targeting_browser_version_structure`]. */
export const COMPARISONS = ["LT", "LTE", "EQ", "GT", "GTE"] as const;
/** A cap's sub number [C: `offer_caps_structure.sub_number`, "Possible values: 2"]. */
export const CAP_SUB_NUMBERS = [2] as const;
/** An IANA time zone name such as "Europe/London" (checked against the runtime's time zone data). */
export const TIME_ZONE = /^[A-Za-z]+(?:[/_+-][A-Za-z0-9]+)*$/;
/** Affise duration, e.g. "1y2m" or "5h7i": y m w d h i(minutes) s, in that order [C format]. */
export const DURATION = /^(?=\d)(\d+y)?(\d+m)?(\d+w)?(\d+d)?(\d+h)?(\d+i)?(\d+s)?$/;
/** 24-hex ids (advertiser, smartlink categories) [C]. */
export const HEX24 = /^[0-9a-f]{24}$/;
export const CURRENCY = /^[A-Z]{3}$/;
export const LANG = /^[a-z]{2}$/;
