import { defineNetwork } from "../core/network";
import { Integr8Client } from "./client";
import { offerApplication } from "./offerApplication";
import { postback } from "./postback";
import { settings } from "./settings";

export const network = defineNetwork({
  name: "integr8",
  title: "Integr8",
  settings,
  required: [["apiKey"]],
  client: (s) => new Integr8Client({ baseUrl: s.baseUrl!, apiKey: s.apiKey!, organizationId: s.organizationId }),
  resources: { Postback: postback, OfferApplication: offerApplication },
});
