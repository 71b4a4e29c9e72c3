import { defineSettings } from "../core/config/config";

/** ExoClick's settings: stack config `exoclick:<name>`, environment `EXOCLICK_<NAME>`. */
export const settings = defineSettings("exoclick", {
  apiToken: { secret: true },
  username: {},
  password: { secret: true },
  baseUrl: { default: "https://api.exoclick.com/v2" },
});
