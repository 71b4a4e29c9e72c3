import type { SettingSpec } from "../core/config";
import type { NetworkDef } from "../core/network";

export const SETTINGS = {
  apiKey: { key: "affise:apiKey", env: "AFFISE_API_KEY", secret: true },
  // Every Affise customer has its own API domain: no default.
  baseUrl: { key: "affise:baseUrl", env: "AFFISE_BASE_URL" },
} satisfies Record<string, SettingSpec>;

export const network: NetworkDef = {
  name: "affise",
  title: "Affise",
  docs: "docs/affise.md",
  settings: SETTINGS,
  resources: {
    Offer: () => require("./offer").provider,
    Postback: () => require("./postback").provider,
  },
  emulator: () => new (require("./sandbox").AffiseSandbox)(),
  sandboxConfig: (url) => ({
    "affise:baseUrl": { value: url },
    "affise:apiKey": { value: require("./sandbox").AFFISE_SANDBOX_CREDENTIALS.apiKey, secret: true },
  }),
};
