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
export type { ListOptions, PostbackLogQuery, Filter } from "./lookups";
import { lazyExports } from "../core/engine/lazy";
// The lookups and the client on first use (core/engine/lazy.ts): a program that only declares resources does not load HTTP code.
import type * as lookups from "./lookups";
import type * as client from "./client";
export declare const listOffers: typeof lookups.listOffers, iterateOffers: typeof lookups.iterateOffers, getOffer: typeof lookups.getOffer,
  listPostbackLogs: typeof lookups.listPostbackLogs, iteratePostbackLogs: typeof lookups.iteratePostbackLogs, listOfferApplications: typeof lookups.listOfferApplications;
lazyExports(module.exports, () => require("./lookups") as typeof lookups, ["listOffers", "iterateOffers", "getOffer", "listPostbackLogs", "iteratePostbackLogs", "listOfferApplications"]);
export type Integr8Client = client.Integr8Client;
export declare const Integr8Client: typeof client.Integr8Client;
lazyExports(module.exports, () => require("./client") as typeof client, ["Integr8Client"]);
export { ROUTES } from "./routes";
