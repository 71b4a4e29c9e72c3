/**
 * ExoClick enumerations shared by the resources' `check` and the sandbox, so
 * the emulator and the validation can never disagree. Values marked inferred
 * come from client code, not from ExoClick's documentation (see docs/exoclick.md).
 */
export const CAMPAIGN_STATUS = [0, 1] as const; // 0 paused, 1 running (-1 archived is read-only)
export const ADVERTISER_AD_TYPES = [0, 7, 21, 22] as const; // banner, popunder, video, native (inferred)
export const MEDIA_STORAGE_TEMPLATES = ["img_banner", "link", "native_ad"] as const;
export const PRICING_MODELS = [1, 2, 3, 4, 5] as const; // inferred: 1 CPC, 2 CPM, 3 CPA, 4 smart CPM, 5 CPV
export const TARGETING_TYPES = ["targeted", "blocked"] as const;
export const ZERO_ONE = [0, 1] as const;
export const LIBRARY_FILE_TYPES = ["image", "video", "video_banner"] as const;
export const BANNER_SIZE = /^(\d{1,4})x(\d{1,4})$/;
export const MAX_NAME = 255;
/** Zone targeting types the program declares (inferred: 0 only the listed zones, 1 all but them; ExoClick's 2, every zone, is the field left out). */
export const ZONE_TARGETING_TYPES = [0, 1] as const;
/** Targeting that ExoClick sets through `/campaigns/{id}/{targeted|blocked}/{kind}` (plain JSON arrays), not the campaign body. */
export const TARGETING_MODES = ["targeted", "blocked"] as const;
export type TargetingMode = (typeof TARGETING_MODES)[number];
export const ROUTED_TARGETING_KINDS = ["browsers", "carriers", "devices", "languages", "operating_systems", "sites", "keywords", "ip_ranges"] as const;
export type RoutedTargetingKind = (typeof ROUTED_TARGETING_KINDS)[number];
