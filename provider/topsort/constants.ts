/**
 * Topsort campaign-service enumerations and limits, shared by the resource's
 * `check` and the sandbox so the two cannot disagree. Sources are in
 * docs/topsort.md: the seed's campaign model (S003, the "Get Campaigns" page)
 * and the create / update pages of the current docs; [I] marks inferences.
 */
export const AD_FORMATS = ["listing", "banner"] as const;
export const CAMPAIGN_TYPES = ["manual", "autobidding", "exclusive"] as const;
/** CPA is listing-only and needs a total budget (create docs). */
export const CHARGE_TYPES = ["CPM", "CPC", "CPA"] as const;
export const BUDGET_TYPES = ["daily", "weekly", "monthly", "total"] as const;
export const DEVICE_TYPES = ["desktop", "mobile"] as const;
/** Banner review status. */
export const REVIEW_STATUSES = ["approved", "pending", "rejected"] as const;
export const SORT_BY_DATE = ["asc", "desc"] as const;
/** Bid target types: products for listings; vendors for "promoted shop" campaigns [I]. */
export const TARGET_TYPES = ["product", "vendor"] as const;

/** The objective of an autobidding campaign (create / update docs: "only for autobidding campaigns"). */
export const AUTOBIDDING_OBJECTIVES = ["impressions", "clicks", "conversions", "revenue"] as const;
/** Audience segment kinds in targeting, exclusion and multiplier configs (docs' examples: "user_segment"). */
export const SEGMENT_TYPES = ["user_segment"] as const;
/** Audience targeting: "up to three segments with OR logic and bid multipliers between 1.0x and 5.0x" (changelog 2025-08-13). */
export const MAX_TARGETING_SEGMENTS = 3;
export const MULTIPLIER = { min: 1, max: 5 };
/** Exclusion segments: Topsort documents no limit (a cap of this package). */
export const MAX_EXCLUSION_SEGMENTS = 20;
/** Campaign restrictions (frequency caps): the docs document no limit; one per restriction type (a cap of this package). */
export const MAX_RESTRICTIONS = 20;
/** A restriction's status (restriction model). */
export const RESTRICTION_STATUSES = ["active", "inactive"] as const;

/** Default charge type per ad format (create docs). */
export const DEFAULT_CHARGE_TYPE: Record<string, "CPC" | "CPM"> = { listing: "CPC", banner: "CPM" };

/** Money is int64 minor units, and the model says `< 2000000000`. */
export const MAX_AMOUNT_EXCLUSIVE = 2_000_000_000;
export const TARGET_ROAS = { min: 0.5, max: 20 };
export const MAX_URL = 2083;
/** Slot ids (S003). */
export const SLOT_ID = /^[\w!"#$%&'()*+,\-._/:;<>?@\[\]^{}~=\\]*$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Caps of this package where Topsort documents no limit (a list this long is
 * a mistake in the program, not a campaign): bids per campaign, banner assets.
 * Topsort's own documented list limit is 200 `productIds` per banner campaign.
 */
export const MAX_BIDS = 1_000;
export const MAX_ASSETS = 50;

/** List paging: limit defaults to 100 and may not exceed it (S003). */
export const MAX_PAGE = 100;

/** Path prefixes: current docs, and the older docs of seed 003. */
export const PATH_PREFIX = "/public/v1/campaign-service";
export const LEGACY_PATH_PREFIX = "/v1/campaign-service";

/** Base of the `docUrl` in Topsort's error objects. */
export const DOC_URL = "https://docs.topsort.com/reference/errors";
