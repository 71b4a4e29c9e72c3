import { defineNetwork } from "../core/network";

export const network = defineNetwork({
  name: "affise",
  title: "Affise",
  // Every Affise customer has its own API domain: no default base URL.
  settings: { apiKey: { secret: true }, baseUrl: {} },
  resources: {
    Offer: () => require("./offer").offer,
    Postback: () => require("./postback").postback,
  },
  emulator: () => new (require("../sandbox/affise").AffiseSandbox)(),
  sandbox: { settings: () => ({ apiKey: require("../sandbox/affise").AFFISE_SANDBOX_CREDENTIALS.apiKey }) },
});
export const SETTINGS = network.settings;
