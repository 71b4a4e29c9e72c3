// Entry point for `pulumi up` in this directory; the program is in program.ts.
import { retailMedia } from "./program";

const out: Record<string, any> = retailMedia();
export const topsortCampaignId = out.topsortCampaignId;
export const topsortReviewStatus = out.topsortReviewStatus;
export const interchangeCampaignId = out.interchangeCampaignId;
export const interchangeStatus = out.interchangeStatus;
