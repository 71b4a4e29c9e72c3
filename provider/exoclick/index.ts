// generated: resource classes from each resource's `doc` and fields (npm run docs); do not edit by hand
import { resourceClass } from "../core/engine/reference";
import type { ArgsOf } from "../core/schema/schema";
import { libraryUrl } from "./libraryUrl";
import { libraryFile } from "./libraryFile";
import { campaign } from "./campaign";
import { variation } from "./variation";

/**
 * A landing page URL in the ExoClick library (`POST /v2/library/url`). Its id is what a Variation
 * links as `id_library_url`. Import id: the numeric library url id.
 */
export class LibraryUrl extends resourceClass(libraryUrl) {}
/** The arguments of `exoclick.LibraryUrl` (from its field declarations). */
export type LibraryUrlArgs = ArgsOf<typeof libraryUrl.fields>;

/**
 * An image in the ExoClick library, uploaded as multipart (`POST /v2/library/file`). The image is
 * read and checked at preview (format, weight, completeness, exact size); a changed image (new
 * content hash) replaces the library file. Import id: the numeric library file id.
 */
export class LibraryFile extends resourceClass(libraryFile) {}
/** The arguments of `exoclick.LibraryFile` (from its field declarations). */
export type LibraryFileArgs = ArgsOf<typeof libraryFile.fields>;

/**
 * An ExoClick campaign (`POST /v2/campaigns`, JSON). Budget, bid, targeting, schedule, caps,
 * zones, dates and status update in place (targeting by browser, carrier, device, language,
 * operating system, site, keyword and IP range through
 * `/campaigns/{id}/{targeted|blocked}/{kind}`); ad type, template and size replace it. Deleting
 * archives it (ExoClick keeps deleted campaigns with status -1). Import id: the numeric campaign
 * id.
 */
export class Campaign extends resourceClass(campaign) {}
/** The arguments of `exoclick.Campaign` (from its field declarations). */
export type CampaignArgs = ArgsOf<typeof campaign.fields>;

/**
 * A variation: links a landing page and a creative to a campaign (`POST
 * /v2/campaigns/{id}/variation`, multipart form). Its id is "<campaignId>/<variationId>". Import
 * id: "<campaignId>/<variationId>".
 */
export class Variation extends resourceClass(variation) {}
/** The arguments of `exoclick.Variation` (from its field declarations). */
export type VariationArgs = ArgsOf<typeof variation.fields>;
// end of generated resource classes
import type * as pulumi from "@pulumi/pulumi";

// Nested argument types, for programs that build them apart (each field's doc is its declaration's, in docs/exoclick.md).

export type PricingArgs = ArgsOf<typeof campaign.fields.pricing.fields>;
export type CountryArgs = ArgsOf<typeof campaign.fields.countries.fields.elements.items.fields>;
export interface TargetingArgs<T> {
  type: pulumi.Input<"targeted" | "blocked">;
  elements: pulumi.Input<pulumi.Input<T>[]>;
}

import { lazyExports } from "../core/engine/lazy";
// The client on first use (core/engine/lazy.ts): a program that only declares resources does not load HTTP code.
import type * as client from "./client";
export type ExoClickClient = client.ExoClickClient;
export declare const ExoClickClient: typeof client.ExoClickClient;
lazyExports(module.exports, () => require("./client") as typeof client, ["ExoClickClient"]);
