import { defineNetwork } from "../core/config/network";
import { AffiseClient } from "./client";
import { offer, OfferWire } from "./offer";
import { postback, PostbackWire } from "./postback";
import { results } from "./results";
import { settings } from "./settings";

export const network = defineNetwork<"affise", typeof settings, AffiseClient<{ offer: OfferWire; postback: PostbackWire }>>({
  name: "affise",
  title: "Affise",
  settings,
  required: [["apiKey", "baseUrl"]],
  client: (s) => new AffiseClient<{ offer: OfferWire; postback: PostbackWire }>({ apiKey: s.apiKey!, baseUrl: s.baseUrl! }),
  // Preview verifies the credentials of an account with changes to make (core/guard/verify.ts): its cheapest authenticated call.
  verify: (client) => client.verifyCredentials(),
  resources: { Offer: offer, Postback: postback },
  amounts: "inferred: Affise's API docs take `revenue`, `total` and cap values as decimals in the payout's currency and state no precision; the currency's ISO 4217 decimals are assumed, so an amount with more is refused rather than rounded by the network",
  results,
  // `lookup` fields (targeting regions, per country): `GET /3.1/regions?country=CC`, once per country and run.
  referenceList: (client, list) => client.referenceList(list),
  referenceLists: {
    regions: "regions of a country (targeting[].regions.allow / .deny, keyed by the country; regions:<ISO alpha-2 country>, e.g. regions:US)",
    countries: "countries by ISO alpha-2 code",
    oses: "operating systems by name (targeting[].os.allow[].name)",
  },
});
