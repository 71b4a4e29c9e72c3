import { defineNetwork } from "../core/network";
import { campaign } from "./campaign";
import { InterchangeClient } from "./client";
import { results } from "./results";
import { settings } from "./settings";

export const network = defineNetwork({
  name: "interchange",
  title: "Interchange",
  settings,
  required: [["apiKey"]],
  client: (s) => new InterchangeClient({ apiKey: s.apiKey!, baseUrl: s.baseUrl! }),
  resources: { Campaign: campaign },
  results,
});
