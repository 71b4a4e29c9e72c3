import { defineSettings } from "../core/config/config";
import { PATH_PREFIX } from "./constants";

/** Topsort's settings: stack config `topsort:<name>`, environment `TOPSORT_<NAME>`. */
export const settings = defineSettings("topsort", {
  apiKey: { secret: true },
  baseUrl: { default: "https://api.topsort.com" },
  pathPrefix: { default: PATH_PREFIX },
});
