// generated: resource classes from each resource's `doc` and fields (npm run docs); do not edit by hand
import { resourceClass } from "../core/engine/reference";
import type { ArgsOf } from "../core/schema/schema";
import { campaign } from "./campaign";

/**
 * An Interchange (Scope3) buyer campaign (`POST /campaigns`). Name, flight dates, budget, brief,
 * targeting and the rest update in place (`PUT`); advertiser, campaign type, mode and currency
 * replace it. `status` is desired state reached with execute / pause / reactivate. Deleting
 * archives it. Import id: the campaign id, e.g. cmp_987654321.
 */
export class Campaign extends resourceClass(campaign) {}
/** The arguments of `interchange.Campaign` (from its field declarations). */
export type CampaignArgs = ArgsOf<typeof campaign.fields>;
// end of generated resource classes
const F = campaign.fields;

// Nested argument types, for programs that build them apart (each field's doc is its declaration's, in docs/interchange.md).
export type FlightDatesArgs = ArgsOf<typeof F.flightDates.fields>;
export type BudgetArgs = ArgsOf<typeof F.budget.fields>;
export type ConstraintsArgs = ArgsOf<typeof F.constraints.fields>;
export type GeoAreaArgs = ArgsOf<typeof F.constraints.fields.geoMetros.items.fields>;
export type PacingPeriodsArgs = ArgsOf<typeof F.pacingPeriods.fields>;
export type PacingPeriodArgs = ArgsOf<typeof F.pacingPeriods.fields.periods.items.fields>;
export type FrequencyCapArgs = ArgsOf<typeof F.frequencyCaps.items.fields>;

import { lazyExports } from "../core/engine/lazy";
// The client on first use (core/engine/lazy.ts): a program that only declares resources does not load HTTP code.
import type * as client from "./client";
export type InterchangeClient = client.InterchangeClient;
export declare const InterchangeClient: typeof client.InterchangeClient;
lazyExports(module.exports, () => require("./client") as typeof client, ["InterchangeClient"]);
