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
export const DEVICES = ["desktop", "mobile", "tablet"] as const; // [C] for these three; the full list is longer [I]
export const CONNECTIONS = ["wi-fi", "cellular"] as const; // [C]
export const LANDING_TYPES = ["landing", "transit"] as const; // [C]
export const CAP_PERIODS = ["hour", "day", "month", "all"] as const; // [C]
export const CAP_TYPES = ["budget", "conversions", "clicks", "impressions"] as const; // [C]
export const CAP_SCOPES = ["all", "each", "exact"] as const; // goal_type / affiliate_type / country_type [C]
export const CAPS_STATUS = ["confirmed", "pending", "hold", "declined"] as const; // [C]
export const POSTBACK_STATUS = ["by_creating", "confirmed", "pending", "declined", "hold"] as const; // [C]
export const INTEGRATION_METHODS = ["all", "default", "skad", "probabilistic_attribution"] as const; // [C]
export const SUB_NUMBERS = ["sub1", "sub2", "sub3", "sub4", "sub5", "sub6", "sub7", "sub8"] as const;
/** Affise duration, e.g. "1y2m" or "5h7i": y m w d h i(minutes) s, in that order [C format]. */
export const DURATION = /^(?=\d)(\d+y)?(\d+m)?(\d+w)?(\d+d)?(\d+h)?(\d+i)?(\d+s)?$/;
/** 24-hex ids (advertiser, smartlink categories) [C]. */
export const HEX24 = /^[0-9a-f]{24}$/;
export const CURRENCY = /^[A-Z]{3}$/;
export const LANG = /^[a-z]{2}$/;
