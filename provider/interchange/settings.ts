import { defineSettings } from "../core/config/config";

/** Interchange's settings: stack config `interchange:<name>`, environment `INTERCHANGE_<NAME>`. */
export const settings = defineSettings("interchange", {
  apiKey: { secret: true },
  baseUrl: { default: "https://api.interchange.io/api/v2/buyer" },
});
