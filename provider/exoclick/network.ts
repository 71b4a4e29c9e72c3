import type { SettingSpec } from "../core/config";
import type { NetworkDef } from "../core/network";

export const SETTINGS = {
  apiToken: { key: "exoclick:apiToken", env: "EXOCLICK_API_TOKEN", secret: true },
  username: { key: "exoclick:username", env: "EXOCLICK_USERNAME" },
  password: { key: "exoclick:password", env: "EXOCLICK_PASSWORD", secret: true },
  baseUrl: { key: "exoclick:baseUrl", env: "EXOCLICK_BASE_URL", default: "https://api.exoclick.com/v2" },
} satisfies Record<string, SettingSpec>;

export const network: NetworkDef = {
  name: "exoclick",
  title: "ExoClick",
  docs: "docs/exoclick.md",
  settings: SETTINGS,
  resources: {
    LibraryUrl: () => require("./libraryUrl").libraryUrl,
    LibraryFile: () => require("./libraryFile").provider,
    Campaign: () => require("./campaign").campaign,
    Variation: () => require("./variation").provider,
  },
  emulator: () => new (require("./sandbox").ExoClickSandbox)(),
  sandboxConfig: (url) => ({
    "exoclick:baseUrl": { value: `${url}/v2` },
    "exoclick:apiToken": { value: require("./sandbox").EXOCLICK_SANDBOX_CREDENTIALS.apiToken, secret: true },
  }),
};
