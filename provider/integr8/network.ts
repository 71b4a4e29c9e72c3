import { defineNetwork } from "../core/network";

export const network = defineNetwork({
  name: "integr8",
  title: "Integr8",
  settings: { apiKey: { secret: true }, organizationId: {}, baseUrl: { default: "https://api.app.integr8.co" } },
  resources: {
    Postback: () => require("./postback").postback,
    OfferApplication: () => require("./offerApplication").offerApplication,
  },
  emulator: () => new (require("../sandbox/integr8").Integr8Sandbox)(),
  sandbox: { settings: () => ({ apiKey: require("../sandbox/integr8").INTEGR8_SANDBOX.apiKey, organizationId: require("../sandbox/integr8").INTEGR8_SANDBOX.organizationId }) },
});
export const SETTINGS = network.settings;
