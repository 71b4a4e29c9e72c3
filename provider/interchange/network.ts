import type { SettingSpec } from "../core/config";
import type { NetworkDef } from "../core/network";

export const SETTINGS = {
  apiKey: { key: "interchange:apiKey", env: "INTERCHANGE_API_KEY", secret: true },
  baseUrl: { key: "interchange:baseUrl", env: "INTERCHANGE_BASE_URL", default: "https://api.interchange.io/api/v2/buyer" },
} satisfies Record<string, SettingSpec>;

export const network: NetworkDef = {
  name: "interchange",
  title: "Interchange",
  docs: "docs/interchange.md",
  settings: SETTINGS,
  resources: {
    Campaign: () => require("./campaign").provider,
  },
  emulator: () => new (require("./sandbox").InterchangeSandbox)(),
  sandboxConfig: (url) => ({
    "interchange:baseUrl": { value: url },
    "interchange:apiKey": { value: require("./sandbox").INTERCHANGE_SANDBOX_CREDENTIALS.apiKey, secret: true },
  }),
};
