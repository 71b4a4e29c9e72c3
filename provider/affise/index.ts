// generated: resource classes from each resource's `doc` and fields (npm run docs); do not edit by hand
import { resourceClass } from "../core/engine/reference";
import type { ArgsOf } from "../core/schema/schema";
import { offer } from "./offer";
import { postback } from "./postback";

/**
 * An Affise offer (`POST /3.0/admin/offer`, urlencoded PHP-bracket form; multipart when a logo or
 * creative file is uploaded). Every field updates in place (`POST /3.0/admin/offer/{id}` with the
 * changed groups, each sent complete); deleting removes the offer (`POST
 * /3.0/admin/offer/delete`). Import id: the numeric offer id.
 */
export class Offer extends resourceClass(offer) {}
/** The arguments of `affise.Offer` (from its field declarations). */
export type OfferArgs = ArgsOf<typeof offer.fields>;

/**
 * An affiliate's postback in Affise, managed with an admin key (`POST /3.0/partner/postback` with
 * `pid`). Without `offerId` it is a global postback. Id and import id: "<pid>/<postbackId>".
 * Import id: "<pid>/<postbackId>", e.g. "2/15".
 */
export class Postback extends resourceClass(postback) {}
/** The arguments of `affise.Postback` (from its field declarations). */
export type PostbackArgs = ArgsOf<typeof postback.fields>;
// end of generated resource classes
import { paymentFields, partnerPaymentFields, landingFields, capFields, targetingFields } from "./offer";

// Nested argument types, for programs that build them apart (each field's doc is its declaration's, in docs/affise.md).

export type PaymentArgs = ArgsOf<typeof paymentFields>;
export type PartnerPaymentArgs = ArgsOf<typeof partnerPaymentFields>;
export type LandingArgs = ArgsOf<typeof landingFields>;
export type CapArgs = ArgsOf<typeof capFields>;
export type TargetingGroupArgs = ArgsOf<typeof targetingFields>;
export type CreativeArgs = ArgsOf<typeof offer.fields.creatives.items.fields>;

import { lazyExports } from "../core/engine/lazy";
// The client on first use (core/engine/lazy.ts): a program that only declares resources does not load HTTP code.
import type * as client from "./client";
export type AffiseClient = client.AffiseClient;
export declare const AffiseClient: typeof client.AffiseClient;
lazyExports(module.exports, () => require("./client") as typeof client, ["AffiseClient"]);
