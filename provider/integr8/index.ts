// generated: resource classes from each resource's `doc` and fields (npm run docs); do not edit by hand
import { resourceClass } from "../core/engine/reference";
import type { ArgsOf } from "../core/schema/schema";
import { postback } from "./postback";
import { offerApplication } from "./offerApplication";

/**
 * An Integr8 postback (PostbackManager): the URL Integr8 calls when a click, impression,
 * conversion or event of an integration is tracked. Name, URL, method, body, active, delay,
 * description and filters update in place (PATCH); integration, service type and organization
 * replace it. Import id: Integr8's postback id.
 */
export class Postback extends resourceClass(postback) {}
/** The arguments of `integr8.Postback` (from its field declarations). */
export type PostbackArgs = ArgsOf<typeof postback.fields>;

/**
 * An application for access to an Integr8 offer. Create applies (agreeing to the offer's T&Cs
 * first when `agreeToTerms` is true), refresh reads the network's decision into `status`, destroy
 * withdraws the application. A rejection is an output, not a deployment error. Import id:
 * "<offerId>/<applicationId>".
 */
export class OfferApplication extends resourceClass(offerApplication) {}
/** The arguments of `integr8.OfferApplication` (from its field declarations). */
export type OfferApplicationArgs = ArgsOf<typeof offerApplication.fields>;
// end of generated resource classes
export {
  listOffers, iterateOffers, getOffer, listPostbackLogs, iteratePostbackLogs, listOfferApplications,
  ListOptions, PostbackLogQuery, Filter,
} from "./lookups";
export { Integr8Client } from "./client";
export { ROUTES } from "./routes";
