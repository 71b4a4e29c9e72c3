import type { SettingSpec } from "../core/config";
import type { NetworkDef } from "../core/network";
import { PATH_PREFIX } from "./constants";

export const SETTINGS = {
  apiKey: { key: "topsort:apiKey", env: "TOPSORT_API_KEY", secret: true },
  baseUrl: { key: "topsort:baseUrl", env: "TOPSORT_BASE_URL", default: "https://api.topsort.com" },
  pathPrefix: { key: "topsort:pathPrefix", env: "TOPSORT_PATH_PREFIX", default: PATH_PREFIX },
} satisfies Record<string, SettingSpec>;

export const network: NetworkDef = {
  name: "topsort",
  title: "Topsort",
  docs: "docs/topsort.md",
  settings: SETTINGS,
  resources: {
    Campaign: () => require("./campaign").provider,
  },
  emulator: () => new (require("./sandbox").TopsortSandbox)(),
  sandboxConfig: (url) => ({
    "topsort:baseUrl": { value: url },
    "topsort:apiKey": { value: require("./sandbox").TOPSORT_SANDBOX_CREDENTIALS.apiKey, secret: true },
  }),
};
