export {
  Campaign, CampaignArgs, FlightDatesArgs, BudgetArgs, ConstraintsArgs, GeoAreaArgs, PacingPeriodsArgs, PacingPeriodArgs, FrequencyCapArgs,
} from "./campaign";
export { InterchangeClient } from "./client";
