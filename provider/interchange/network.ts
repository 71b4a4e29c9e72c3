import { defineNetwork } from "../core/network";

export const network = defineNetwork({
  name: "interchange",
  title: "Interchange",
  settings: { apiKey: { secret: true }, baseUrl: { default: "https://api.interchange.io/api/v2/buyer" } },
  resources: {
    Campaign: () => require("./campaign").campaign,
  },
  emulator: () => new (require("../sandbox/interchange").InterchangeSandbox)(),
  sandbox: { settings: () => ({ apiKey: require("../sandbox/interchange").INTERCHANGE_SANDBOX_CREDENTIALS.apiKey }) },
});
export const SETTINGS = network.settings;
