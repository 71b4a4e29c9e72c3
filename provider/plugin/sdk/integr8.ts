// generated from each resource's `doc` and fields and the networks' settings (npm run docs); do not edit by hand
import { pluginResourceClass } from "../resource";
import type { ArgsOf } from "../../core/schema/schema";
import { postback } from "../../integr8/postback";
import { offerApplication } from "../../integr8/offerApplication";

/**
 * An Integr8 postback (PostbackManager): the URL Integr8 calls when a click, impression,
 * conversion or event of an integration is tracked. Name, URL, method, body, active, delay,
 * description and filters update in place (PATCH); integration, service type and organization
 * replace it. Import id: Integr8's postback id. Served by the adnetworks provider plugin (type
 * adnetworks:integr8:Postback).
 */
export class Postback extends pluginResourceClass(postback) {}
/** The arguments of `integr8.Postback` (from its field declarations). */
export type PostbackArgs = ArgsOf<typeof postback.fields>;

/**
 * An application for access to an Integr8 offer. Create applies (agreeing to the offer's T&Cs
 * first when `agreeToTerms` is true), refresh reads the network's decision into `status`, destroy
 * withdraws the application. A rejection is an output, not a deployment error. Import id:
 * "<offerId>/<applicationId>". Served by the adnetworks provider plugin (type
 * adnetworks:integr8:OfferApplication).
 */
export class OfferApplication extends pluginResourceClass(offerApplication) {}
/** The arguments of `integr8.OfferApplication` (from its field declarations). */
export type OfferApplicationArgs = ArgsOf<typeof offerApplication.fields>;
