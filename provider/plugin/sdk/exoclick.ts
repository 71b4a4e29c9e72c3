// generated from each resource's `doc` and fields and the networks' settings (npm run docs); do not edit by hand
import { pluginResourceClass } from "../resource";
import type { ArgsOf } from "../../core/schema/schema";
import { libraryUrl } from "../../exoclick/libraryUrl";
import { libraryFile } from "../../exoclick/libraryFile";
import { campaign } from "../../exoclick/campaign";
import { variation } from "../../exoclick/variation";

/**
 * A landing page URL in the ExoClick library (`POST /v2/library/url`). Its id is what a Variation
 * links as `id_library_url`. Import id: the numeric library url id. Served by the adnetworks
 * provider plugin (type adnetworks:exoclick:LibraryUrl).
 */
export class LibraryUrl extends pluginResourceClass(libraryUrl) {}
/** The arguments of `exoclick.LibraryUrl` (from its field declarations). */
export type LibraryUrlArgs = ArgsOf<typeof libraryUrl.fields>;

/**
 * An image in the ExoClick library, uploaded as multipart (`POST /v2/library/file`). The image is
 * read and checked at preview (format, weight, completeness, exact size); a changed image (new
 * content hash) replaces the library file. Import id: the numeric library file id. Served by the
 * adnetworks provider plugin (type adnetworks:exoclick:LibraryFile).
 */
export class LibraryFile extends pluginResourceClass(libraryFile) {}
/** The arguments of `exoclick.LibraryFile` (from its field declarations). */
export type LibraryFileArgs = ArgsOf<typeof libraryFile.fields>;

/**
 * An ExoClick campaign (`POST /v2/campaigns`, JSON). Budget, bid, targeting, schedule, caps,
 * zones, dates and status update in place (targeting by browser, carrier, device, language,
 * operating system, site, keyword and IP range through
 * `/campaigns/{id}/{targeted|blocked}/{kind}`); ad type, template and size replace it. Deleting
 * archives it (ExoClick keeps deleted campaigns with status -1). Import id: the numeric campaign
 * id. Served by the adnetworks provider plugin (type adnetworks:exoclick:Campaign).
 */
export class Campaign extends pluginResourceClass(campaign) {}
/** The arguments of `exoclick.Campaign` (from its field declarations). */
export type CampaignArgs = ArgsOf<typeof campaign.fields>;

/**
 * A variation: links a landing page and a creative to a campaign (`POST
 * /v2/campaigns/{id}/variation`, multipart form). Its id is "<campaignId>/<variationId>". Import
 * id: "<campaignId>/<variationId>". Served by the adnetworks provider plugin (type
 * adnetworks:exoclick:Variation).
 */
export class Variation extends pluginResourceClass(variation) {}
/** The arguments of `exoclick.Variation` (from its field declarations). */
export type VariationArgs = ArgsOf<typeof variation.fields>;
