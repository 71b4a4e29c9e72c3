import type { SettingSpec } from "../core/config";
import type { NetworkDef } from "../core/network";

export const SETTINGS = {
  apiKey: { key: "integr8:apiKey", env: "INTEGR8_API_KEY", secret: true },
  organizationId: { key: "integr8:organizationId", env: "INTEGR8_ORGANIZATION_ID" },
  baseUrl: { key: "integr8:baseUrl", env: "INTEGR8_BASE_URL", default: "https://api.app.integr8.co" },
} satisfies Record<string, SettingSpec>;

export const network: NetworkDef = {
  name: "integr8",
  title: "Integr8",
  docs: "docs/integr8.md",
  settings: SETTINGS,
  resources: {
    Postback: () => require("./postback").provider,
    OfferApplication: () => require("./offerApplication").provider,
  },
  emulator: () => new (require("./sandbox").Integr8Sandbox)(),
  sandboxConfig: (url) => {
    const { INTEGR8_SANDBOX } = require("./sandbox");
    return {
      "integr8:baseUrl": { value: url },
      "integr8:organizationId": { value: INTEGR8_SANDBOX.organizationId },
      "integr8:apiKey": { value: INTEGR8_SANDBOX.apiKey, secret: true },
    };
  },
};
