import { defineNetwork } from "../core/config/network";
import { ExoClickClient } from "./client";
import type { WireInputOf } from "../core/schema/schema";
import { campaign, CampaignFields, CampaignWire } from "./campaign";
import { libraryFile, LibraryFileWire } from "./libraryFile";
import { libraryUrl } from "./libraryUrl";
import { results } from "./results";
import { settings } from "./settings";
import { variation, VariationFields } from "./variation";

/** What the network's client moves: the shapes its resources declare. */
export interface ExoClickObjects {
  campaign: CampaignWire;
  campaignInput: WireInputOf<CampaignFields>;
  libraryFile: LibraryFileWire;
  variationInput: WireInputOf<VariationFields>;
}

export const network = defineNetwork<"exoclick", typeof settings, ExoClickClient<ExoClickObjects>>({
  name: "exoclick",
  title: "ExoClick",
  settings,
  required: [["apiToken"], ["username", "password"]],
  client: (s) => new ExoClickClient<ExoClickObjects>({ baseUrl: s.baseUrl!, apiToken: s.apiToken, username: s.username, password: s.password }),
  // Preview verifies the credentials of an account with changes to make (core/guard/verify.ts): its cheapest authenticated call.
  verify: (client) => client.verifyCredentials(),
  resources: { LibraryUrl: libraryUrl, LibraryFile: libraryFile, Campaign: campaign, Variation: variation },
  amounts: "inferred: ExoClick's API docs give no unit; its dashboard and its TypeScript client both send `price` and `max_daily_budget` as the amount x 100, and the seed's 300 and 2000 fit cents (see \"What is confirmed and what is inferred\")",
  // `lookup` fields (browsers, carriers, devices, device types, languages, operating systems, timezones): `GET /collections/<list>`, once per run.
  referenceList: (client, list) => client.referenceList(list),
  results,
  referenceLists: {
    "operating-systems": "operating systems (operatingSystems.targeted / .blocked: ids or names)",
    browsers: "browsers (browsers.targeted / .blocked)",
    devices: "devices (devices.targeted / .blocked)",
    "device-types": "device types: desktop, smartphone, tablet ... (deviceTypes.elements)",
    languages: "languages (languages.targeted / .blocked)",
    carriers: "mobile carriers (carriers.targeted / .blocked)",
    regions: "regions of a country (countries.elements[].regions; regions:<ISO alpha-3 country>, e.g. regions:USA)",
    categories: "categories (categories.elements)",
    countries: "countries, with their ISO codes",
    timezones: "timezones, by name (dayParting.timezone)",
  },
});
