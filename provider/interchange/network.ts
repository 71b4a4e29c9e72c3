import { defineNetwork } from "../core/config/network";
import { campaign, InterchangeObjects } from "./campaign";
import { InterchangeClient } from "./client";
import { results } from "./results";
import { settings } from "./settings";

export const network = defineNetwork({
  name: "interchange",
  title: "Interchange",
  settings,
  required: [["apiKey"]],
  client: (s) => new InterchangeClient<InterchangeObjects>({ apiKey: s.apiKey!, baseUrl: s.baseUrl! }),
  // Preview verifies the credentials of an account with changes to make (core/guard/verify.ts): its cheapest authenticated call.
  verify: (client) => client.verifyCredentials(),
  resources: { Campaign: campaign },
  amounts: "confirmed for the unit: the API takes `budget.total` as a decimal in major units of `budget.currency`; inferred for the precision: no number of decimals is stated, the currency's ISO 4217 decimals are assumed",
  results,
});
