export { Campaign, CampaignArgs, BudgetArgs, BidArgs, BidTargetArgs, BannerArgs, BannerAssetArgs } from "./campaign";
export { listCampaigns, CampaignSummary } from "./lookups";
export { TopsortClient, ListCampaignsQuery } from "./client";
