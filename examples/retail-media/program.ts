import { topsortCampaign, TopsortCampaignOptions } from "./topsort";
import { interchangeCampaign, InterchangeCampaignOptions } from "./interchange";

/**
 * Retail media and programmatic in one stack: a Topsort banner campaign
 * (seed 003's model) and an Interchange campaign driven to ACTIVE (seed 001).
 */
export function retailMedia(opts: { topsort?: TopsortCampaignOptions; interchange?: InterchangeCampaignOptions } = {}) {
  return { ...topsortCampaign(opts.topsort), ...interchangeCampaign(opts.interchange) };
}
