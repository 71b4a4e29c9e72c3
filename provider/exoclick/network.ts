import { defineNetwork } from "../core/network";

export const network = defineNetwork({
  name: "exoclick",
  title: "ExoClick",
  settings: { apiToken: { secret: true }, username: {}, password: { secret: true }, baseUrl: { default: "https://api.exoclick.com/v2" } },
  resources: {
    LibraryUrl: () => require("./libraryUrl").libraryUrl,
    LibraryFile: () => require("./libraryFile").libraryFile,
    Campaign: () => require("./campaign").campaign,
    Variation: () => require("./variation").variation,
  },
  emulator: () => new (require("../sandbox/exoclick").ExoClickSandbox)(),
  sandbox: { path: "/v2", settings: () => ({ apiToken: require("../sandbox/exoclick").EXOCLICK_SANDBOX_CREDENTIALS.apiToken }) },
});
export const SETTINGS = network.settings;
