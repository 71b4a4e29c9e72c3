// generated from each resource's `doc` and fields and the networks' settings (npm run docs); do not edit by hand
import { pluginResourceClass } from "../resource";
import type { ArgsOf } from "../../core/schema/schema";
import { campaign } from "../../interchange/campaign";

/**
 * An Interchange (Scope3) buyer campaign (`POST /campaigns`). Name, flight dates, budget, brief,
 * targeting and the rest update in place (`PUT`); advertiser, campaign type, mode and currency
 * replace it. `status` is desired state reached with execute / pause / reactivate. Deleting
 * archives it. Import id: the campaign id, e.g. cmp_987654321. Served by the adnetworks provider
 * plugin (type adnetworks:interchange:Campaign).
 */
export class Campaign extends pluginResourceClass(campaign) {}
/** The arguments of `interchange.Campaign` (from its field declarations). */
export type CampaignArgs = ArgsOf<typeof campaign.fields>;
