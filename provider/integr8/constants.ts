/**
 * Integr8 enumerations and limits shared by the resources' `check`, the
 * lookups and the sandbox, so the emulator and the validation can never
 * disagree. Enum values are confirmed by the seed (PostbackManager schema)
 * unless marked inferred.
 */
export const SERVICE_TYPES = ["click", "impression", "conversion", "event"] as const;
export const HTTP_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"] as const;
export const DELAY_METRICS = ["Second", "Minute", "Hour"] as const;
/** `filter[service_type]` of List Postback Logs. */
export const LOG_SERVICE_TYPES = ["conversion", "click"] as const;
/** Offer application statuses (inferred: the seed shows no OfferAccessRequest fields). */
export const APPLICATION_STATUSES = ["pending", "approved", "rejected"] as const;
/** Largest `page[size]` the API accepts. */
export const MAX_PAGE_SIZE = 100;
/** Inferred limits (not published); generous so real values pass. */
export const MAX_NAME = 255;
export const MAX_DESCRIPTION = 1000;
export const MAX_URL = 2048;
export const MAX_BODY = 10_000;
/** Methods that send a request body. */
export const BODY_METHODS = ["POST", "PUT", "PATCH", "DELETE"] as const;
