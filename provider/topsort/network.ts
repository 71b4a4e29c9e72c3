import { defineNetwork } from "../core/network";
import { PATH_PREFIX } from "./constants";

export const network = defineNetwork({
  name: "topsort",
  title: "Topsort",
  settings: { apiKey: { secret: true }, baseUrl: { default: "https://api.topsort.com" }, pathPrefix: { default: PATH_PREFIX } },
  resources: {
    Campaign: () => require("./campaign").campaign,
  },
  emulator: () => new (require("../sandbox/topsort").TopsortSandbox)(),
  sandbox: { settings: () => ({ apiKey: require("../sandbox/topsort").TOPSORT_SANDBOX_CREDENTIALS.apiKey }) },
});
export const SETTINGS = network.settings;
