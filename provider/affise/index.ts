import { resourceClass } from "../core/reference";
import type { ArgsOf } from "../core/schema";
import { offer, paymentFields, partnerPaymentFields, landingFields, capFields, targetingFields } from "./offer";
import { postback } from "./postback";

/**
 * An Affise offer (`POST /3.0/admin/offer`, urlencoded PHP-bracket form;
 * multipart when a logo or creative file is uploaded). Every field updates
 * in place (`POST /3.0/admin/offer/{id}` with the changed groups, each sent
 * complete); deleting removes the offer (`POST /3.0/admin/offer/delete`).
 * Import with the numeric offer id.
 */
export class Offer extends resourceClass(offer) {}
export type OfferArgs = ArgsOf<typeof offer.fields>;
/** A general payout: what the advertiser pays (`total`) and what affiliates earn (`revenue`). */
export type PaymentArgs = ArgsOf<typeof paymentFields>;
/** A payout for specific affiliates. */
export type PartnerPaymentArgs = ArgsOf<typeof partnerPaymentFields>;
export type LandingArgs = ArgsOf<typeof landingFields>;
export type CapArgs = ArgsOf<typeof capFields>;
/** One targeting group. A group with `affiliateIds` is a personal group. */
export type TargetingGroupArgs = ArgsOf<typeof targetingFields>;
/** A creative: either a URL or a local file (uploaded as multipart). */
export type CreativeArgs = ArgsOf<typeof offer.fields.creatives.items.fields>;

/**
 * An affiliate's postback in Affise, managed with an admin key
 * (`POST /3.0/partner/postback` with `pid`). Without `offerId` it is a
 * global postback. Id and import id: "<pid>/<postbackId>".
 */
export class Postback extends resourceClass(postback) {}
export type PostbackArgs = ArgsOf<typeof postback.fields>;

export { AffiseClient } from "./client";
