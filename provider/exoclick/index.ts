import { resourceClass } from "../core/reference";
import { libraryUrl } from "./libraryUrl";
import { campaign } from "./campaign";
import { libraryFile } from "./libraryFile";
import { variation } from "./variation";
import type * as pulumi from "@pulumi/pulumi";
import type { ArgsOf } from "../core/schema";

/** A landing page URL in the ExoClick library. Its id is what a Variation links as `id_library_url`. */
export class LibraryUrl extends resourceClass(libraryUrl) {}
export type LibraryUrlArgs = ArgsOf<typeof libraryUrl.fields>;

/**
 * An ExoClick campaign (`POST /v2/campaigns`, JSON). Budget, bid, targeting,
 * dates and status update in place; ad type, template and size replace it.
 * Deleting archives it (ExoClick keeps deleted campaigns with status -1).
 */
export class Campaign extends resourceClass(campaign) {}
export type CampaignArgs = ArgsOf<typeof campaign.fields>;
/** Pricing model and bid of a campaign. */
export type PricingArgs = ArgsOf<typeof campaign.fields.pricing.fields>;
/** A country and, optionally, regions of it. */
export type CountryArgs = ArgsOf<typeof campaign.fields.countries.fields.elements.items.fields>;
/** Targeting: "targeted" (only these) or "blocked" (all but these) elements. */
export interface TargetingArgs<T> {
  type: pulumi.Input<"targeted" | "blocked">;
  elements: pulumi.Input<pulumi.Input<T>[]>;
}

/**
 * An image in the ExoClick library, uploaded as multipart (`POST
 * /v2/library/file`). The image is read and checked at preview (format,
 * weight, completeness, exact size); a changed image (new content hash)
 * replaces the library file.
 */
export class LibraryFile extends resourceClass(libraryFile) {}
export type LibraryFileArgs = ArgsOf<typeof libraryFile.fields>;

/**
 * A variation: links a landing page and a creative to a campaign (`POST
 * /v2/campaigns/{id}/variation`, multipart form). Its id is
 * "<campaignId>/<variationId>".
 */
export class Variation extends resourceClass(variation) {}
export type VariationArgs = ArgsOf<typeof variation.fields>;

export { ExoClickClient } from "./client";
