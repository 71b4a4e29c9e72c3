import { defineNetwork } from "../core/config/network";
import { Integr8Client } from "./client";
import { offerApplication } from "./offerApplication";
import { Integr8Objects, postback } from "./postback";
import { settings } from "./settings";

export const network = defineNetwork({
  name: "integr8",
  title: "Integr8",
  settings,
  required: [["apiKey"]],
  client: (s) => new Integr8Client<Integr8Objects>({ baseUrl: s.baseUrl!, apiKey: s.apiKey!, organizationId: s.organizationId }),
  // Preview verifies the credentials of an account with changes to make (core/guard/verify.ts): its cheapest authenticated call.
  verify: (client) => client.verifyCredentials(),
  resources: { Postback: postback, OfferApplication: offerApplication },
  // "offers:<organization>": the offers an organization sees. At preview each offer id is read by itself (one GET per offer and run).
  referenceList: (client, list) => {
    const [kind, org] = list.split(":");
    if (kind !== "offers") return Promise.reject(new Error(`Integr8 has no reference list ${JSON.stringify(list)} here; the list is offers (offers:<organization>)`));
    return client.offerList(client.org(org || undefined));
  },
  referenceEntry: (client, list, value) => {
    const [kind, org] = list.split(":");
    return kind === "offers" && org ? client.offerEntry(org, value) : undefined;
  },
  referenceLists: { offers: "the offers the organization sees (offers:<organization id>; the configured organization when none is given): id and name" },
});
