// generated from each resource's `doc` and fields and the networks' settings (npm run docs); do not edit by hand
import { pluginResourceClass } from "../resource";
import type { ArgsOf } from "../../core/schema/schema";
import { offer } from "../../affise/offer";
import { postback } from "../../affise/postback";

/**
 * An Affise offer (`POST /3.0/admin/offer`, urlencoded PHP-bracket form; multipart when a logo or
 * creative file is uploaded). Every field updates in place (`POST /3.0/admin/offer/{id}` with the
 * changed groups, each sent complete); deleting removes the offer (`POST
 * /3.0/admin/offer/delete`). Import id: the numeric offer id. Served by the adnetworks provider
 * plugin (type adnetworks:affise:Offer).
 */
export class Offer extends pluginResourceClass(offer) {}
/** The arguments of `affise.Offer` (from its field declarations). */
export type OfferArgs = ArgsOf<typeof offer.fields>;

/**
 * An affiliate's postback in Affise, managed with an admin key (`POST /3.0/partner/postback` with
 * `pid`). Without `offerId` it is a global postback. Id and import id: "<pid>/<postbackId>".
 * Import id: "<pid>/<postbackId>", e.g. "2/15". Served by the adnetworks provider plugin (type
 * adnetworks:affise:Postback).
 */
export class Postback extends pluginResourceClass(postback) {}
/** The arguments of `affise.Postback` (from its field declarations). */
export type PostbackArgs = ArgsOf<typeof postback.fields>;
