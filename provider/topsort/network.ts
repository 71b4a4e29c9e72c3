import { defineNetwork } from "../core/config/network";
import { campaign, TopsortObjects } from "./campaign";
import { TopsortClient } from "./client";
import { results } from "./results";
import { settings } from "./settings";

export const network = defineNetwork({
  name: "topsort",
  title: "Topsort",
  settings,
  required: [["apiKey"]],
  client: (s) => new TopsortClient<TopsortObjects>({ apiKey: s.apiKey!, baseUrl: s.baseUrl!, pathPrefix: s.pathPrefix! }),
  // Preview verifies the credentials of an account with changes to make (core/guard/verify.ts): its cheapest authenticated call.
  verify: (client) => client.verifyCredentials(),
  resources: { Campaign: campaign },
  amounts: "confirmed: Topsort's API reference gives `budget.amount` and bid `amount` as int64 minor units (ISO 4217) of the marketplace's currency, budgets below 2,000,000,000",
  results,
});
