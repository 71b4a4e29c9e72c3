// generated: resource classes from each resource's `doc` and fields (npm run docs); do not edit by hand
import { resourceClass } from "../core/engine/reference";
import type { ArgsOf } from "../core/schema/schema";
import { campaign } from "./campaign";

/**
 * A Topsort retail-media campaign (`POST .../campaigns?vendor_id=`) with its bids and
 * restrictions. Name, budget, dates, isActive, targetRoas, externalCampaignId, isAutoTrigger,
 * autobiddingObjective and the audience targeting, exclusion and multipliers update in place
 * (`PATCH`); bids go through the campaign's bid endpoints (a changed amount is a bid PATCH),
 * frequency caps through its restriction endpoints. Vendor, ad format, charge type and wallet
 * replace it; campaign type may change in place only to "autobidding". Import id: the campaign's
 * uuid (`campaignId`).
 */
export class Campaign extends resourceClass(campaign) {}
/** The arguments of `topsort.Campaign` (from its field declarations). */
export type CampaignArgs = ArgsOf<typeof campaign.fields>;
// end of generated resource classes
// Nested argument types, for programs that build them apart (each field's doc is its declaration's, in docs/topsort.md).

export type BudgetArgs = ArgsOf<typeof campaign.fields.budget.fields>;
export type BidArgs = ArgsOf<typeof campaign.fields.bids.items.fields>;
export type BidTargetArgs = ArgsOf<typeof campaign.fields.bids.items.fields.target.fields>;
export type BannerArgs = ArgsOf<typeof campaign.fields.banner.fields>;
export type BannerAssetArgs = ArgsOf<typeof campaign.fields.banner.fields.assets.items.fields>;

export type { CampaignSummary } from "./lookups";
export type { ListCampaignsQuery } from "./client";
import { lazyExports } from "../core/engine/lazy";
// The lookup and the client on first use (core/engine/lazy.ts): a program that only declares resources does not load HTTP code.
import type * as lookups from "./lookups";
import type * as client from "./client";
export declare const listCampaigns: typeof lookups.listCampaigns;
lazyExports(module.exports, () => require("./lookups") as typeof lookups, ["listCampaigns"]);
export type TopsortClient<W extends client.TopsortShapes = client.TopsortShapes> = client.TopsortClient<W>;
export declare const TopsortClient: typeof client.TopsortClient;
lazyExports(module.exports, () => require("./client") as typeof client, ["TopsortClient"]);
