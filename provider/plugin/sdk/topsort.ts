// generated from each resource's `doc` and fields and the networks' settings (npm run docs); do not edit by hand
import { pluginResourceClass } from "../resource";
import type { ArgsOf } from "../../core/schema/schema";
import { campaign } from "../../topsort/campaign";

/**
 * A Topsort retail-media campaign (`POST .../campaigns?vendor_id=`) with its bids and
 * restrictions. Name, budget, dates, isActive, targetRoas, externalCampaignId, isAutoTrigger,
 * autobiddingObjective and the audience targeting, exclusion and multipliers update in place
 * (`PATCH`); bids go through the campaign's bid endpoints (a changed amount is a bid PATCH),
 * frequency caps through its restriction endpoints. Vendor, ad format, charge type and wallet
 * replace it; campaign type may change in place only to "autobidding". Import id: the campaign's
 * uuid (`campaignId`). Served by the adnetworks provider plugin (type
 * adnetworks:topsort:Campaign).
 */
export class Campaign extends pluginResourceClass(campaign) {}
/** The arguments of `topsort.Campaign` (from its field declarations). */
export type CampaignArgs = ArgsOf<typeof campaign.fields>;
