import { resourceClass } from "../core/reference";
import type { ArgsOf } from "../core/schema";
import { postback } from "./postback";
import { offerApplication } from "./offerApplication";

/**
 * An Integr8 postback (PostbackManager): the URL Integr8 calls when a click,
 * impression, conversion or event of an integration is tracked. `integration`,
 * `serviceType` and the organization are not updatable: changing them
 * replaces the postback. The id is Integr8's postback id (the form `import` takes).
 */
export class Postback extends resourceClass(postback) {}
export type PostbackArgs = ArgsOf<typeof postback.fields>;

/**
 * An application for access to an Integr8 offer. Create applies (agreeing
 * to the offer's T&Cs first when `agreeToTerms` is true), refresh reads the
 * status, destroy withdraws it. The network's decision is the `status`
 * output: "pending", "approved" or "rejected"; a rejection is not a
 * deployment error. The id is "<offerId>/<applicationId>".
 */
export class OfferApplication extends resourceClass(offerApplication) {}
export type OfferApplicationArgs = ArgsOf<typeof offerApplication.fields>;

export {
  listOffers, iterateOffers, getOffer, listPostbackLogs, iteratePostbackLogs, listOfferApplications,
  ListOptions, PostbackLogQuery, Filter,
} from "./lookups";
export { Integr8Client } from "./client";
export { ROUTES } from "./routes";
