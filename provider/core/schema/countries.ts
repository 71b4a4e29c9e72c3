/**
 * "Did you mean" for country codes: the code a user most likely meant when
 * the one given is not ISO 3166-1 in the form a field wants. Covers the other
 * length (DE for DEU, GBR for GB), codes that are common but not ISO (UK and
 * EL, the sports codes GER, SUI, NED...), and English names ("Germany").
 * No runtime dependency on @pulumi/pulumi.
 */
// The library without its 78 locales (entry-node registers them all: 0.2 s of every process that loads a network); codes need none.
import * as countries from "i18n-iso-countries/index";

/** Codes in everyday use that are not the ISO 3166-1 alpha-2 code of the country: -> the ISO alpha-2 code. */
const ALIASES: Record<string, string> = {
  // Not ISO, but everywhere: the United Kingdom as UK, Greece as EL (the EU's code), the UK's nations.
  UK: "GB", EL: "GR", ENG: "GB", SCO: "GB", WAL: "GB", NIR: "GB",
  // Olympic (IOC) and FIFA codes that differ from ISO alpha-3.
  GER: "DE", SUI: "CH", NED: "NL", POR: "PT", DEN: "DK", CRO: "HR", RSA: "ZA", GRE: "GR", BUL: "BG", LAT: "LV",
  SLO: "SI", MAS: "MY", INA: "ID", PHI: "PH", VIE: "VN", KSA: "SA", UAE: "AE", CHI: "CL", URU: "UY", PAR: "PY",
  ALG: "DZ", NGR: "NG", IRI: "IR", TPE: "TW", BAN: "BD", SRI: "LK", KUW: "KW", CRC: "CR", GUA: "GT", HON: "HN",
  ESA: "SV", PUR: "PR", ZIM: "ZW", ANG: "AO", MGL: "MN", NEP: "NP", LIB: "LB", OMA: "OM", BAH: "BS", HAI: "HT",
};

let english = false;
/** The library with the English names registered, on the first name to look up (the only locale read). */
function englishNames(): typeof countries {
  if (!english) countries.registerLocale(require("i18n-iso-countries/langs/en.json"));
  english = true;
  return countries;
}

/** The ISO code of the wanted length that `given` most likely means, or undefined. */
export function suggestCountry(given: unknown, length: 2 | 3): string | undefined {
  if (typeof given !== "string") return undefined;
  const g = given.trim().toUpperCase();
  let alpha2: string | undefined;
  if (g.length === 2 && countries.isValid(g)) alpha2 = g;
  else if (g.length === 3 && countries.isValid(g)) alpha2 = countries.alpha3ToAlpha2(g);
  else if (ALIASES[g]) alpha2 = ALIASES[g];
  else if (given.trim().length > 3) alpha2 = englishNames().getAlpha2Code(given.trim(), "en");
  if (!alpha2) return undefined;
  const code = length === 2 ? alpha2 : countries.alpha2ToAlpha3(alpha2);
  return code && code !== given ? code : undefined;
}

/** " (did you mean "GBR"?)" or "". */
export function countryHint(given: unknown, length: 2 | 3): string {
  const s = suggestCountry(given, length);
  return s ? ` (did you mean ${JSON.stringify(s)}?)` : "";
}
