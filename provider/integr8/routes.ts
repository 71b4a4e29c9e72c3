/**
 * The Integr8 publisher API route table: one line per operation, read by the
 * client (the emulator keeps its own routes, written from the docs), so a
 * corrected URL is a one-line change here. Paths are relative to the base URL (`integr8:baseUrl`, default
 * https://api.app.integr8.co) and use `{name}` placeholders.
 *
 * `confirmed` says whether the method and path template are confirmed by a
 * source; every operation name, path parameter and body schema is confirmed by
 * the seed, but the seed's URL templates were stripped. The inferred ones
 * follow the `/api/v2/publisher-view/{organizationID}/...` pattern of the
 * sister 24metrics API (see docs/integr8.md and the research notes §1.2).
 */
export interface RouteDef {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  confirmed: boolean;
  /** The seed's operation name. */
  operation: string;
}

const ORG = "/api/v2/publisher-view/{organizationID}";

export const ROUTES = {
  listPostbacks: { method: "GET", path: `${ORG}/postbacks`, confirmed: false, operation: "List Postbacks" },
  createPostback: { method: "POST", path: `${ORG}/postbacks`, confirmed: false, operation: "Create Postback" },
  bulkDeletePostbacks: { method: "POST", path: `${ORG}/postbacks/bulk-delete`, confirmed: false, operation: "Bulk Delete Postbacks" },
  bulkUpdatePostbackStatus: { method: "PATCH", path: `${ORG}/postbacks/status`, confirmed: false, operation: "Bulk Update Postbacks Status" },
  getPostback: { method: "GET", path: `${ORG}/postbacks/{postbackID}`, confirmed: false, operation: "Get Postback" },
  updatePostback: { method: "PATCH", path: `${ORG}/postbacks/{postbackID}`, confirmed: false, operation: "Update Postback" },
  deletePostback: { method: "DELETE", path: `${ORG}/postbacks/{postbackID}`, confirmed: false, operation: "Delete Postback" },
  listPostbackLogs: { method: "GET", path: `${ORG}/postback-logs`, confirmed: false, operation: "List Postback Logs" },
  // Confirmed on the sister platform (api-docs.adsecurity.io uses this exact template).
  listOffers: { method: "GET", path: `${ORG}/offers`, confirmed: true, operation: "List Offers" },
  getOffer: { method: "GET", path: `${ORG}/offers/{offerID}`, confirmed: false, operation: "Get Offer" },
  getOfferPayouts: { method: "GET", path: `${ORG}/offers/{offerID}/payouts`, confirmed: false, operation: "Get Offer Payouts" },
  agreeToOfferTerms: { method: "PATCH", path: `${ORG}/offers/{offerID}/terms`, confirmed: false, operation: "Agree to Offer T&Cs" },
  applyForOffer: { method: "POST", path: `${ORG}/offers/{offerID}/access-requests`, confirmed: false, operation: "Apply for Offer Access" },
  getOfferApplication: { method: "GET", path: `${ORG}/offers/{offerID}/access-requests/{offerAccessRequestID}`, confirmed: false, operation: "Get Offer Application Status" },
  deleteOfferApplication: { method: "DELETE", path: `${ORG}/offers/{offerID}/access-requests/{offerAccessRequestID}`, confirmed: false, operation: "Delete Offer Application" },
  listOfferApplications: { method: "GET", path: `${ORG}/offer-access-requests`, confirmed: false, operation: "List Offer Applications" },
} as const satisfies Record<string, RouteDef>;

export type RouteName = keyof typeof ROUTES;

/** Fills a template's `{name}` placeholders (URL-encoded); a missing one is a bug. */
export function expand(name: RouteName, params: Record<string, string>): string {
  return ROUTES[name].path.replace(/\{(\w+)\}/g, (_m, k: string) => {
    const v = params[k];
    if (v === undefined || v === "") throw new Error(`Integr8 route ${name}: missing path parameter ${k}`);
    return encodeURIComponent(v);
  });
}
