import { defineSettings } from "../core/config/config";

/** Affise's settings: stack config `affise:<name>`, environment `AFFISE_<NAME>`. Every customer has its own API domain: no default base URL. */
export const settings = defineSettings("affise", { apiKey: { secret: true }, baseUrl: {} });
