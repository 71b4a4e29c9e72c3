import { resourceClass } from "../core/reference";
import { libraryUrl } from "./libraryUrl";
import { campaign } from "./campaign";
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

export { LibraryFile, LibraryFileArgs } from "./libraryFile";
export { Variation, VariationArgs } from "./variation";
export { ExoClickClient } from "./client";
