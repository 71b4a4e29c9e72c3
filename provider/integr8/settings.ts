import { defineSettings } from "../core/config/config";

/** Integr8's settings: stack config `integr8:<name>`, environment `INTEGR8_<NAME>`. */
export const settings = defineSettings("integr8", {
  apiKey: { secret: true },
  organizationId: {},
  baseUrl: { default: "https://api.app.integr8.co" },
});
