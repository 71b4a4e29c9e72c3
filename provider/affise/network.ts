import { defineNetwork } from "../core/network";
import { AffiseClient } from "./client";
import { offer } from "./offer";
import { postback } from "./postback";
import { results } from "./results";
import { settings } from "./settings";

export const network = defineNetwork({
  name: "affise",
  title: "Affise",
  settings,
  required: [["apiKey", "baseUrl"]],
  client: (s) => new AffiseClient({ apiKey: s.apiKey!, baseUrl: s.baseUrl! }),
  resources: { Offer: offer, Postback: postback },
  results,
});
