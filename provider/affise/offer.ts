import { accountField } from "../core/config/account";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
// The library without its 78 locales (entry-node registers them all: 0.2 s of every process that loads a network); codes need none.
import * as countries from "i18n-iso-countries/index";
import { ResourceDef } from "../core/schema/define";
import { countryHint } from "../core/schema/countries";
import { f, Field, Fields, fromWire, inputNames, InputsOf, StateOf, toWire, WireConventions, WireOf } from "../core/schema/schema";
import { newestUnowned } from "../core/http/recover";
import { PartialCreateError } from "../core/http/errors";
import { Checker, containsUnknown, isIsoDate, isUnknown } from "../core/schema/validate";
import type { AffiseClient, AffiseShapes, FilePart } from "./client";
import * as net from "net";
import {
  CAP_PERIODS, CAP_SCOPES, CAP_SUB_NUMBERS, CAP_TYPES, CAPS_STATUS, COMPARISONS, CONDITIONS, CONNECTIONS, CURRENCY, DEVICES, DURATION,
  HEX24, LANDING_TYPES, LANG, OFFER_STATUS, PAYMENT_TYPES, PRIVACY, PRIVACY_ON_READ, REDIRECT_TYPES, SUB_NUMBERS, TIME_ZONE,
} from "./constants";

// ---------------------------------------------------------------- limits

/**
 * List sizes. Affise documents none of these except `managers[]` (max 10),
 * so they are sane caps, far above any real offer, that stop a typo
 * (3,000 payouts, 50,000 countries) before it reaches the network.
 */
export const LIMITS = {
  /** ISO 3166-1 has 249 alpha-2 codes: a list of distinct countries cannot be longer. */
  countries: 249,
  payments: 500,
  partners: 1_000,
  landings: 500,
  caps: 100,
  targeting: 100,
  creatives: 100,
  smartlinkCategories: 100,
  affiliates: 1_000,
  goals: 100,
  os: 100,
  subValues: 1_000,
  descriptions: 100,
  /** Targeting groups (issue #20): values per allow or deny list, per country for regions, cities and ISPs. */
  geoIds: 10_000,
  isps: 1_000,
  ips: 1_000,
  names: 1_000,
  zipCodes: 10_000,
  trackingUrls: 100,
  versions: 100,
  cities: 10_000,
  /** Schedule intervals: 7 days, a few intervals each. */
  intervals: 168,
  capSubValues: 1_000,
} as const;

// ---------------------------------------------------------------- shared field shapes

/** 0/1 on the wire (Affise's booleans), true/false in programs. */
const bit = (b: unknown) => (b ? 1 : 0);
/** Affise is a PHP API: it answers unset lists as [] and empty maps as []. */
const AFFISE_WIRE: WireConventions = { emptyAsAbsent: true };

const upper = (v: string) => v.toUpperCase();
const country = (doc: string) => f.string({
  doc,
  validate: (c: Checker, p: string, v: string) => {
    if (v.length !== 2 || !countries.isValid(v.toUpperCase())) c.fail(p, `${p} must be an ISO 3166-1 alpha-2 country code such as "RU", "US" or "DE"; got ${JSON.stringify(v)}${countryHint(v, 2)}`);
  },
  normalize: upper,
});
/** Distinct ISO alpha-2 codes, any case ("ru" and "RU" are the same country). */
const countryList = (doc: string, o: { min?: number } = {}) =>
  f.list(country("An ISO 3166-1 alpha-2 country code, e.g. \"RU\" (any case; sent in capitals)."), {
    max: LIMITS.countries, unique: (x: string) => String(x).toUpperCase(), doc, ...o,
  });
const affiliateId = f.integer({ min: 1, doc: "An affiliate (partner) id." });
const affiliateIds = <const O extends { min?: number; required?: boolean }>(doc: string, o: O = {} as O) =>
  f.list(affiliateId, { max: LIMITS.affiliates, unique: (x: number) => String(x), doc, ...o });
const devices = (doc: string) =>
  f.list(f.enum(DEVICES, { doc: "A device type." }), { max: DEVICES.length, unique: (x: string) => x, doc });
const subValue = f.string({ min: 1, doc: "A sub value." });

const sub = (n: number) => f.string({ min: 1, doc: `Comma-separated sub${n} values the payout is limited to.` });

/**
 * Whether the runtime's time zone data knows `zone`. A name once known is
 * remembered (the data does not change while a process runs): building an
 * Intl.DateTimeFormat costs 0.2-0.8 ms, which was 0.8 s of the provider
 * host's CPU in each command on the 3,100-object adoption bench (1,000 offers,
 * two zones each, at every check).
 */
export function knownTimeZone(zone: string): boolean {
  if (knownZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
  } catch {
    return false;
  }
  knownZones.add(zone);
  return true;
}
const knownZones = new Set<string>();

/** An IANA time zone such as "Europe/London": the form, and a name the runtime's time zone data knows. */
const timeZone = <const O extends { serverDefault?: boolean; wire?: string }>(doc: string, o: O = {} as O) => f.string({
  min: 1, pattern: TIME_ZONE, patternHint: "an IANA time zone name such as \"Europe/London\" or \"UTC\"", doc, ...o,
  validate: (c: Checker, p: string, v: string) => {
    if (!knownTimeZone(v)) c.fail(p, `${p} must be an IANA time zone name such as "Europe/London", "America/New_York" or "UTC"; got ${JSON.stringify(v)}`);
  },
});

// ---------------------------------------------------------------- payments

/**
 * A payout. What is money for an affiliate offer: `total` is what the
 * advertiser pays the network per conversion (income), `revenue` is what
 * the network pays the affiliate per conversion (the payout, the spend of
 * the offer: role `bid`), both in `currency`, in major units.
 */
const paymentFields = {
  countries: countryList("Countries the payout applies to (ISO alpha-2, each once); none means every country."),
  countryExclude: f.boolean({ serverDefault: true, wire: "country_exclude", encode: bit, doc: "True: every country except `countries`. Affise's default is false." }),
  devices: devices(`Devices the payout applies to: ${DEVICES.map((d) => `"${d}"`).join(", ")}.`),
  cities: f.list(f.integer({ min: 1, doc: "An Affise city id." }), { max: LIMITS.cities, unique: (x: number) => String(x), doc: "Affise city ids the payout is limited to (the ids of Affise's cities list)." }),
  os: f.list(f.string({ min: 1, doc: "An operating system, as Affise names it." }), { max: LIMITS.os, unique: (x: string) => x.toLowerCase(), doc: "Operating systems the payout applies to, as Affise names them." }),
  goal: f.string({
    min: 1, max: 255, serverDefault: true, coerce: (v: unknown) => (typeof v === "number" ? String(v) : v),
    doc: "Goal value the payout applies to, e.g. \"28\" (a number is taken as its string). Affise uses goal \"1\" when omitted.",
  }),
  title: f.string({ min: 1, max: 255, doc: "Payout title." }),
  total: f.number({ min: 0, serverDefault: true, money: "major", plausibleMax: 1_000, doc: "What the advertiser pays per conversion (income of the network), in `currency`; Affise uses 0 when omitted." }),
  revenue: f.number({ required: true, min: 0, spend: "bid", money: "major", plausibleMax: 1_000, doc: "What the affiliate earns per conversion (the payout: the offer's spend per conversion), in `currency`." }),
  currency: f.string({ required: true, pattern: CURRENCY, patternHint: "an ISO 4217 code in capitals such as \"USD\" or \"EUR\"", spend: "currency", doc: "ISO 4217 currency of `total` and `revenue`, e.g. \"USD\"." }),
  type: f.enum(PAYMENT_TYPES, {
    required: true,
    meanings: { fixed: "fixed amount", percent: "percent of the sale", mixed: "fixed plus percent", cpc: "per click", cpm: "per 1000 impressions", first_cpa: "first action only", first_cps: "first sale only", baseline_onetime: "baseline, once", baseline_accumulating: "baseline, accumulating" },
    doc: "How the payout is computed.",
  }),
  sub1: sub(1), sub2: sub(2), sub3: sub(3), sub4: sub(4), sub5: sub(5), sub6: sub(6), sub7: sub(7), sub8: sub(8),
} satisfies Fields;

const payment = f.object(paymentFields, { doc: "A general payout: what the advertiser pays (`total`) and what affiliates earn (`revenue`)." });

const partnerPaymentFields = {
  partners: affiliateIds("Affiliate ids the payout is for (at least one, each once).", { required: true, min: 1 }),
  ...paymentFields,
} satisfies Fields;
const partnerPayment = f.object(partnerPaymentFields, { doc: "A payout for specific affiliates (`partners`)." });

// ---------------------------------------------------------------- landings, caps

/**
 * A landing. Affise updates a landing in place when the edit passes its
 * `id` (contract `offer_landing_structure.id`); the provider keeps the ids in
 * the output `landingIds` and sends them on update, matching each declared
 * landing to a known one by title, else by URL.
 */
const landingFields = {
  title: f.string({ required: true, min: 1, max: 255, doc: "Landing title." }),
  url: f.url({ required: true, macros: true, doc: "Landing URL; macros such as {clickid} are allowed." }),
  previewUrl: f.url({ required: true, macros: true, wire: "url_preview", doc: "Preview URL of the landing." }),
  type: f.enum(LANDING_TYPES, { serverDefault: true, meanings: { landing: "a landing page", transit: "a pre-landing (transit) page" }, doc: "\"landing\" (Affise's default) or \"transit\"." }),
} satisfies Fields;

const scope = (what: string, list: string) => f.enum(CAP_SCOPES, {
  serverDefault: true,
  meanings: { all: `all ${what} together`, each: `each ${what} separately`, exact: `only the ${what} in \`${list}\`` },
  doc: `Which ${what} the cap counts: "all" (Affise's default), "each" or "exact" (needs \`${list}\`).`,
});

/**
 * A cap. Money only when `type` is "budget": then `value` is a budget in
 * the payouts' currency per `period` (role budget / budgetPeriod, applied
 * only for that type); otherwise it counts conversions, clicks or impressions.
 */
const capFields = {
  period: f.enum(CAP_PERIODS, { required: true, spend: "budgetPeriod", spendWhen: { type: ["budget"] }, doc: "\"hour\", \"day\", \"month\" or \"all\" (the offer's lifetime): the period `value` applies to." }),
  type: f.enum(CAP_TYPES, {
    required: true, meanings: { budget: "money (payout currency)", conversions: "conversions", clicks: "clicks", impressions: "impressions" },
    doc: "What is capped: \"budget\" (money), \"conversions\", \"clicks\" or \"impressions\".",
  }),
  value: f.number({ required: true, min: 0, spend: "budget", spendWhen: { type: ["budget"] }, money: "major", plausibleMax: 100_000, doc: "The cap per `period`: an amount of money in the payouts' currency for type \"budget\" (the unit applies then), else a count." }),
  goalType: { ...scope("goals", "goals"), wire: "goal_type" },
  // Affise answers a cap's goals as a map keyed by goal value (`{"1": "Install"}`; the provider reads a list too), which keeps no order: a set.
  goals: f.list(f.string({ min: 1, doc: "A goal value." }), {
    max: LIMITS.goals, unique: (x: string) => x, unordered: true, decode: (v: unknown) => (isMap(v) ? Object.keys(v) : Array.isArray(v) ? v.map(String) : v),
    doc: "Goal values, for goalType \"exact\" (a set: Affise keeps no order).",
  }),
  affiliateType: { ...scope("affiliates", "affiliates"), wire: "affiliate_type" },
  affiliates: affiliateIds("Affiliate ids, for affiliateType \"exact\"."),
  countryType: { ...scope("countries", "countries"), wire: "country_type" },
  countries: { ...countryList("ISO alpha-2 countries, for countryType \"exact\" (each once)."), wire: "country" },
  subNumber: f.enum(CAP_SUB_NUMBERS, { wire: "sub_number", names: { 2: "sub2" }, doc: "The sub number the cap counts per value: 2, the only value Affise documents (with `subValues`)." }),
  subValues: f.list(f.string({ min: 1, doc: "A sub value." }), {
    max: LIMITS.capSubValues, unique: (x: string) => x, wire: "sub_value", doc: "Values of sub `subNumber` the cap counts, each once (needs subNumber).",
  }),
} satisfies Fields;

// ---------------------------------------------------------------- targeting

const subList = (what: string, s: string) => f.list(subValue, { min: 1, max: LIMITS.subValues, unique: (x: string) => x, doc: `${what} values of ${s}.` });
const subLists = (what: "Whitelist" | "Blacklist") => f.object({
  sub1: subList(what, "sub1"), sub2: subList(what, "sub2"), sub3: subList(what, "sub3"), sub4: subList(what, "sub4"),
  sub5: subList(what, "sub5"), sub6: subList(what, "sub6"), sub7: subList(what, "sub7"), sub8: subList(what, "sub8"),
}, { wire: false, doc: `${what} of sub values per sub number, e.g. { sub1: ["qwerty"] } (sent as sub[${what === "Whitelist" ? "allow" : "deny"}][1][]=qwerty).` });

/** An ISO country code as a map key: any case, two letters of an existing country. */
const countryKeyed = <const V extends Field>(values: V, doc: string) => f.map(values, {
  keyPattern: /^[A-Za-z]{2}$/, keyHint: "ISO 3166-1 alpha-2 country codes such as \"US\"", max: LIMITS.countries, doc,
  validate: (c: Checker, p: string, m: Record<string, unknown>) => {
    const seen = new Map<string, string>();
    for (const k of Object.keys(m)) {
      const u = k.toUpperCase();
      if (!countries.isValid(u)) c.fail(`${p}.${k}`, `${p}.${k} is keyed by ${JSON.stringify(k)}: the keys must be ISO 3166-1 alpha-2 country codes such as "US" or "DE"`);
      else if (seen.has(u)) c.fail(`${p}.${k}`, `${p}.${k} repeats ${p}.${seen.get(u)}: the same country (codes are case-insensitive)`);
      else seen.set(u, k);
    }
  },
  normalize: (m: Record<string, unknown>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k.toUpperCase(), v])),
});
/** Ids of a country's regions or cities; with `lookup`, checked at preview in the country's list (the map's key) and given by id or name. */
const geoIds = (what: string, lookup?: string) => f.list(lookup
  ? f.integer({ min: 1, lookup, lookupBy: "@key", doc: `An Affise ${what} id of the country, or its name (e.g. "California"; stored as the id).` })
  : f.integer({ min: 1, doc: `An Affise ${what} id.` }), {
  min: 1, max: LIMITS.geoIds, unique: (x: number) => String(x), doc: `Affise ${what} ids of the country, each once.`,
});
/** Regions or cities per country: `region[allow][US][]=33` (contract: "list of allowed/denied regions for chosen country(ISO)"). */
const geoByCountry = (what: string, wire: string, lookup?: string) => f.object({
  allow: countryKeyed(geoIds(what, lookup), `Only these ${what}s: Affise ${what} ids by ISO country code, e.g. { US: [33] }.`),
  deny: countryKeyed(geoIds(what, lookup), `Every ${what} but these, by ISO country code.`),
}, { wire, doc: `Allowed or denied ${what}s, by country (Affise's ${what} ids, from its ${what} list${lookup ? ` \`GET /3.1/${lookup}?country=CC\`, looked up at preview; \`npx adnet-lists --network affise --list ${lookup}:US\` prints it` : ""}); a country must be one the group's \`countries\` allows.` });

const names = (what: string, o: { max?: number; validate?: (c: Checker, p: string, v: string) => void } = {}) =>
  f.list(f.string({ min: 1, max: 255, doc: `A ${what}.`, ...(o.validate ? { validate: o.validate } : {}) }), {
    min: 1, max: o.max ?? LIMITS.names, unique: (x: string) => x, doc: `${what[0].toUpperCase()}${what.slice(1)}s, each once.`,
  });
const allowDeny = (what: string, wire: string, o: { max?: number; validate?: (c: Checker, p: string, v: string) => void; doc?: string } = {}) => f.object({
  allow: { ...names(what, o), doc: `Only these ${what}s, each once.` },
  deny: { ...names(what, o), doc: `Every ${what} but these, each once.` },
}, { wire, doc: o.doc ?? `Allowed or denied ${what}s.` });

/** A single IPv4 or IPv6 address, a range "a-b", or "address/mask" (Go SDK: "100.0.0.1", "100.0.0.1-100.0.0.255", "222.1.1.20/26"). */
function validIpRange(c: Checker, p: string, v: string) {
  const [a, b, extra] = v.split("-");
  const m = /^(.+)\/(\d{1,3})$/.exec(v);
  const ok = m ? net.isIP(m[1]) !== 0 && Number(m[2]) <= (net.isIP(m[1]) === 4 ? 32 : 128)
    : extra === undefined && net.isIP(a) !== 0 && (b === undefined || net.isIP(b) === net.isIP(a));
  if (!ok) c.fail(p, `${p} must be an IP address ("100.0.0.1"), a range ("100.0.0.1-100.0.0.255") or address/mask ("222.1.1.20/26"), IPv4 or IPv6; got ${JSON.stringify(v)}`);
}

const versionFields = {
  name: f.string({ required: true, min: 1, max: 255, doc: "The name as Affise lists it, e.g. \"iOS\" or \"Chrome\"." }),
  comparison: f.enum(COMPARISONS, { meanings: { LT: "older than", LTE: "up to", EQ: "exactly", GT: "newer than", GTE: "from" }, doc: "How `version` compares: LT, LTE, EQ, GT or GTE (with `version`)." }),
  version: f.string({ min: 1, max: 50, doc: "The version compared, e.g. \"14\" or \"14.2\" (with `comparison`)." }),
} satisfies Fields;
const versioned = (what: string) => f.object(versionFields, {
  doc: `A ${what}, optionally limited by version: { name, comparison, version }.`,
  validate: (c: Checker, p: string, v: { comparison?: string; version?: string }) => {
    if ((v.comparison === undefined) !== (v.version === undefined)) {
      const missing = v.comparison === undefined ? "comparison" : "version";
      c.fail(`${p}.${missing}`, `${p}.${missing} is required: ${p} takes comparison and version together (e.g. comparison "GTE", version "14"), or neither`);
    }
  },
});
const versionList = (what: string) => f.list(versioned(what), {
  min: 1, max: LIMITS.versions, indexed: true, unique: (x: { name?: unknown; comparison?: unknown; version?: unknown }) => `${x.name}|${x.comparison ?? ""}|${x.version ?? ""}`, uniqueBy: "name, comparison and version",
  doc: `${what[0].toUpperCase()}${what.slice(1)}s with their versions.`,
});
const denyFlag = (wire: string, doc: string) => f.boolean({ wire, encode: bit, serverDefault: true, doc: `${doc} Affise's default is false.` });

const targetingFields = {
  name: f.string({ min: 1, max: 255, doc: "The group's name." }),
  enabled: f.boolean({ encode: bit, serverDefault: true, doc: "Whether the group applies. Affise's default is true." }),
  condition: f.enum(CONDITIONS, { serverDefault: true, meanings: { and: "every rule must match", or: "any rule may match" }, doc: "How the group's rules combine: \"and\" (Affise's default) or \"or\"." }),
  countries: f.object({
    allow: countryList("Only these countries (ISO alpha-2, each once).", { min: 1 }),
    deny: countryList("Every country but these (ISO alpha-2, each once).", { min: 1 }),
  }, { wire: "country", doc: "Allowed or denied countries (one of the two)." }),
  regions: geoByCountry("region", "region", "regions"),
  cities: geoByCountry("city", "city"),
  os: f.object({
    allow: { ...versionList("operating system"), doc: "Operating systems (as Affise's OS list names them), each optionally with a version comparison, e.g. { name: \"iOS\", comparison: \"GTE\", version: \"14\" }." },
  }, { wire: "os", doc: "Operating systems and their versions (allowed; with osDeny, blocked)." }),
  osDeny: denyFlag("os_deny", "True: block the operating systems in `os` instead of allowing them."),
  isps: f.object({
    allow: countryKeyed(names("ISP name"), "Only these ISPs, by ISO country code, e.g. { US: [\"Att\"] }."),
    deny: countryKeyed(names("ISP name"), "Every ISP but these, by ISO country code."),
  }, { wire: "isp", doc: "Allowed or denied ISPs, by country (names as Affise's ISP list has them)." }),
  ispOrganizations: f.object({
    allow: { ...names("ISP organization"), doc: "Only these ISP organizations." },
    deny: { ...names("ISP organization"), doc: "Every ISP organization but these." },
    denyEmpty: f.boolean({ wire: "deny_empty", encode: bit, serverDefault: true, doc: "Block clicks without an ISP organization. Affise's default is false." }),
  }, { wire: "isp_organization", doc: "Allowed or denied ISP organizations." }),
  ips: f.object({
    allow: { ...names("IP range", { max: LIMITS.ips, validate: validIpRange }), doc: "Only these IPs: addresses, ranges \"a-b\" or address/mask, IPv4 or IPv6." },
    deny: { ...names("IP range", { max: LIMITS.ips, validate: validIpRange }), doc: "Every IP but these." },
    ipv6Deny: f.boolean({ wire: "ipv6_deny", encode: bit, serverDefault: true, doc: "Block every IPv6 client. Affise's default is false." }),
  }, { wire: "ip", doc: "Allowed or denied IP addresses and ranges (IPv4, IPv6)." }),
  browsers: allowDeny("browser", "browser", { doc: "Allowed or denied browsers, e.g. { deny: [\"Edge\"] }." }),
  browserVersions: f.object({
    allow: { ...versionList("browser"), doc: "Only these browsers (and versions)." },
    deny: { ...versionList("browser"), doc: "Every browser but these (and versions)." },
  }, { wire: "browser_version", doc: "Allowed or denied browsers with version comparisons." }),
  brands: allowDeny("device brand", "brand", { doc: "Allowed or denied device brands, e.g. { deny: [\"SAMTEL\"] }." }),
  deviceModels: allowDeny("device model", "device_model"),
  deviceTypes: { ...devices(`Device types: ${DEVICES.map((d) => `"${d}"`).join(", ")}.`), wire: "device_type" },
  deviceTypeDeny: denyFlag("device_type_deny", "True: block the device types in `deviceTypes` instead of allowing them."),
  connections: f.list(f.enum(CONNECTIONS, { doc: "A connection type." }), { max: CONNECTIONS.length, unique: (x: string) => x, wire: "connection", doc: "Connection types: \"wi-fi\", \"cellular\"." }),
  connectionDeny: denyFlag("connection_deny", "True: block the connection types in `connections` instead of allowing them."),
  referrers: f.object({
    allow: { ...names("referrer"), doc: "Only these referrers." },
    deny: { ...names("referrer"), doc: "Every referrer but these." },
    denyEmpty: f.boolean({ wire: "deny_empty", encode: bit, serverDefault: true, doc: "Block clicks without a referrer. Affise's default is false." }),
    isRegexp: f.boolean({ wire: "is_regexp", encode: bit, serverDefault: true, doc: "The allow and deny values are regular expressions. Affise's default is false." }),
  }, { wire: "referrer", doc: "Allowed or denied referrers." }),
  userAgents: f.object({
    allow: { ...names("user agent"), doc: "Only these user agents." },
    deny: { ...names("user agent"), doc: "Every user agent but these." },
    denyCrawlers: f.boolean({ wire: "deny_crawlers", encode: bit, serverDefault: true, doc: "Block known crawlers. Affise's default is false." }),
  }, { wire: "ua", doc: "Allowed or denied user agents." }),
  zipCodes: allowDeny("zip code", "zip", { max: LIMITS.zipCodes }),
  blockProxy: f.boolean({ wire: "block_proxy", encode: bit, serverDefault: true, doc: "Click-level anti-fraud: block proxies. Affise's default is false." }),
  blockKnownBots: f.boolean({ wire: "block_known_bots", encode: bit, serverDefault: true, doc: "Block known bots. Affise's default is false." }),
  trackingUrl: f.url({ macros: true, wire: "url", doc: "An additional tracking URL for the group's traffic." }),
  trackingUrls: f.list(f.object({
    url: f.url({ required: true, macros: true, doc: "A tracking URL." }),
    weight: f.integer({ required: true, min: 0, max: 100, doc: "Its share of the traffic, 0-100." }),
  }, { doc: "A tracking URL and its weight." }), {
    max: LIMITS.trackingUrls, indexed: true, wire: "urls", doc: "Tracking URLs with weights: the group's traffic is split between them.",
  }),
  affiliateIds: { ...affiliateIds("Affiliates this (personal) group applies to."), wire: "affiliate_id" },
  subAllow: subLists("Whitelist"),
  subDeny: subLists("Blacklist"),
} satisfies Fields;

/** `{ sub1: [...] }` -> `{ 1: [...] }`: the PHP-bracket `sub[allow][1][]` form. */
const subsToWire = (m: object) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k.replace(/^sub/, ""), v]));
/** Affise answers an empty map as [] (PHP); keys are sub numbers "1".."8". */
function subsFromWire(m: unknown) {
  if (!m || typeof m !== "object" || Array.isArray(m)) return undefined;
  const out = Object.fromEntries(Object.entries(m).filter(([, v]) => Array.isArray(v) && v.length).map(([k, v]) => [`sub${k}`, v]));
  return Object.keys(out).length ? out : undefined;
}

const targetingGroup = f.object(targetingFields, {
  doc: "A targeting group. A group with `affiliateIds` is a personal group.",
  // The sub lists share one wire key, `sub[allow|deny][n][]`: encoded and decoded here, the rest by the fields.
  encode: (t: InputsOf<typeof targetingFields>) => {
    const o: Record<string, unknown> = toWire(targetingFields, t);
    if (t.subAllow || t.subDeny) o.sub = { ...(t.subAllow ? { allow: subsToWire(t.subAllow) } : {}), ...(t.subDeny ? { deny: subsToWire(t.subDeny) } : {}) };
    return o;
  },
  decode: (t: unknown) => {
    const sub = isMap(t) && isMap(t.sub) ? t.sub : {};
    const subAllow = subsFromWire(sub.allow), subDeny = subsFromWire(sub.deny);
    return { ...fromWire(targetingFields, isMap(t) ? t : {}, AFFISE_WIRE), ...(subAllow ? { subAllow } : {}), ...(subDeny ? { subDeny } : {}) };
  },
  validate: (c: Checker, p: string, t: InputsOf<typeof targetingFields>) => {
    if (t.countries?.allow !== undefined && t.countries?.deny !== undefined) c.fail(`${p}.countries`, `${p}.countries takes either allow or deny, not both`);
    // Regions and cities of a country the group does not serve target nothing (Affise takes them without a word).
    const codes = (v: unknown) => (Array.isArray(v) && !containsUnknown(v) ? v.map((x) => String(x).toUpperCase()) : undefined);
    const allowed = codes(t.countries?.allow), denied = codes(t.countries?.deny);
    for (const geo of ["regions", "cities"] as const) {
      for (const mode of ["allow", "deny"] as const) {
        for (const k of Object.keys(t[geo]?.[mode] ?? {})) {
          const cc = k.toUpperCase();
          const outside = allowed ? !allowed.includes(cc) : !!denied && denied.includes(cc);
          if (outside) c.fail(`${p}.${geo}.${mode}.${k}`, `${p}.${geo}.${mode}.${k}: ${cc} is outside the group's countries (${allowed ? `it allows ${allowed.join(", ")}` : `it denies ${cc}`}), so these ${geo} target nothing; key them by ${allowed ? `one of ${allowed.join(", ")}` : "a country the group does not deny"}, or change countries`);
        }
      }
    }
    for (const s of SUB_NUMBERS) if (t.subAllow?.[s] !== undefined && t.subDeny?.[s] !== undefined) c.fail(`${p}.subDeny.${s}`, `${p}.subDeny.${s} repeats subAllow.${s}: ${s} is both allowed and denied in ${p}; a sub number takes a whitelist or a blacklist`);
  },
});

// ---------------------------------------------------------------- schedule

const intervalFields = {
  dayOfWeek: f.integer({ required: true, min: 0, max: 6, doc: "The weekday, 0-6 as Affise numbers them (the contract does not say which day 0 is)." }),
  from: f.integer({ required: true, min: 0, max: 23, doc: "First hour, 0-23." }),
  to: f.integer({ required: true, min: 0, max: 23, doc: "Last hour, 0-23, not before `from`." }),
} satisfies Fields;
const scheduleFields = {
  enabled: f.boolean({ encode: bit, serverDefault: true, doc: "Whether the hours in `intervals` apply. Affise's default is false." }),
  dateStart: f.date({ wire: "date_start", doc: "Date of launch, YYYY-MM-DD (Affise activates the offer then, whatever `enabled`)." }),
  dateTo: f.date({ wire: "date_to", doc: "Date of deactivation, YYYY-MM-DD, not before dateStart." }),
  timezone: timeZone("Time zone of the dates and hours, e.g. \"Europe/London\"."),
  intervals: f.list(f.object(intervalFields, { doc: "Hours of one weekday the offer runs." }), {
    max: LIMITS.intervals, wire: false, unordered: true,
    unique: (x: { dayOfWeek?: unknown; from?: unknown }) => `${x.dayOfWeek}|${x.from}`, uniqueBy: "dayOfWeek and from",
    doc: "Hours the offer runs, per weekday, e.g. [{ dayOfWeek: 1, from: 9, to: 18 }] (a set: Affise answers them by day). Sent as intervals[day][n][from|to].",
  }),
} satisfies Fields;
type Interval = InputsOf<typeof intervalFields>;

/** Intervals as the form takes them: `intervals[day][n][from|to]`, days and intervals keyed by index. */
function intervalsToWire(list: Interval[]): Record<string, Record<string, { from: number; to: number }>> {
  const out: Record<string, Record<string, { from: number; to: number }>> = {};
  for (const x of [...list].sort((a, b) => a.dayOfWeek - b.dayOfWeek || a.from - b.from)) {
    const day = (out[String(x.dayOfWeek)] ??= {});
    day[String(Object.keys(day).length)] = { from: x.from, to: x.to };
  }
  return out;
}
/** Intervals as Affise answers them (`[{day_of_week, from, to}]`, contract example), or in the form's shape. */
function intervalsFromWire(v: unknown): Interval[] | undefined {
  const num = (x: unknown) => Number(x);
  let out: Interval[] = [];
  if (Array.isArray(v)) out = v.filter(isMap).map((x) => ({ dayOfWeek: num(x.day_of_week ?? x.dayOfWeek), from: num(x.from ?? x.From), to: num(x.to ?? x.To) }));
  else if (isMap(v)) {
    for (const [day, list] of Object.entries(v)) {
      const items = Array.isArray(list) ? list : isMap(list) ? Object.values(list) : [];
      for (const x of items) if (isMap(x)) out.push({ dayOfWeek: num(day), from: num(x.from ?? x.From), to: num(x.to ?? x.To) });
    }
  }
  return out.length ? out : undefined;
}

const schedule = f.object(scheduleFields, {
  serverDefault: true,
  doc: "When the offer runs: launch and end dates and hours per weekday, in `timezone` (Affise's offer schedule). Set `enabled: false` to stop applying the hours (leaving it out of the program leaves Affise's schedule as it is).",
  encode: (v: InputsOf<typeof scheduleFields>) => {
    const o: Record<string, unknown> = toWire(scheduleFields, v);
    if (v.intervals !== undefined) o.intervals = v.intervals.length ? intervalsToWire(v.intervals) : "";
    return o;
  },
  decode: (v: unknown) => {
    if (!isMap(v)) return undefined;
    const intervals = intervalsFromWire(v.intervals);
    const o = { ...fromWire(scheduleFields, v, AFFISE_WIRE), ...(intervals ? { intervals } : {}) };
    return Object.keys(o).length ? o : undefined;
  },
  validate: (c: Checker, p: string, v: InputsOf<typeof scheduleFields>) => {
    if (v.dateStart !== undefined && v.dateTo !== undefined && isIsoDate(v.dateStart) && isIsoDate(v.dateTo) && v.dateTo < v.dateStart) c.fail(`${p}.dateTo`, `${p}.dateTo must be on or after ${p}.dateStart (${v.dateStart}); got ${v.dateTo}`);
    (Array.isArray(v.intervals) ? v.intervals : []).forEach((x, i) => {
      if (isMap(x) && typeof x.to === "number" && typeof x.from === "number" && x.to < x.from) c.fail(`${p}.intervals[${i}].to`, `${p}.intervals[${i}].to must be at least from (${x.from}); got ${x.to} (an interval over midnight is two intervals)`);
    });
  },
});

// ---------------------------------------------------------------- files

function resolvePath(p: string): string {
  return path.isAbsolute(p) ? p : path.resolve(process.cwd(), p);
}
function sha256(file: string): string {
  return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}
function readable(c: Checker, p: string, file: string): string | undefined {
  try {
    return sha256(resolvePath(file));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    c.fail(p, `${p} must be a readable file: cannot read ${file} (${err.code ?? err.message}) from ${process.cwd()}`);
    return undefined;
  }
}

/**
 * The path only locates the bytes: with both content hashes known they are
 * the identity; an imported file creative (no hash) matches by file name.
 */
export function sameCreatives(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b)) return (a === undefined || a === null || (Array.isArray(a) && !a.length)) === (b === undefined || b === null || (Array.isArray(b) && !b.length)) && JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
  return a.length === b.length && a.every((x: Creative | undefined, i) => {
    const y: Creative | undefined = b[i];
    if (x?.file === undefined || y?.file === undefined) return x?.url === y?.url && x?.file === y?.file;
    if (x.contentHash && y.contentHash) return x.contentHash === y.contentHash;
    return path.basename(String(x.file)) === path.basename(String(y.file));
  });
}

const creative = f.object({
  url: f.url({ macros: true, doc: "URL of a creative hosted elsewhere." }),
  file: f.string({ min: 1, doc: "Path of a local file (absolute or relative to the program directory), uploaded as multipart `creativeFiles[n]`." }),
  contentHash: f.string({ pattern: /^[0-9a-f]{64}$/, patternHint: "a sha256 hex digest", doc: "Set by the provider: the sha256 of `file`, so a changed file is a change. Do not set it." }),
}, {
  doc: "A creative: exactly one of `url` or `file`.",
  validate: (c: Checker, p: string, x: Creative) => {
    if ((x.url === undefined) === (x.file === undefined)) c.fail(p, `${p} takes exactly one of url or file`);
  },
});

// ---------------------------------------------------------------- offer


const duration = <const W extends string>(wire: W, doc: string) => f.string({ wire, serverDefault: true, pattern: DURATION, patternHint: "a duration such as \"1y2m\", \"30d\" or \"5h7i\" (units y m w d h i s, in that order)", doc });

/** Declaration order is the order of the form's fields on the wire. */
export const fields = {
  account: accountField,
  title: f.string({ required: true, min: 1, max: 255, naturalKey: true, doc: "Offer title. With `advertiser` and `url`, the natural key that finds an offer whose create response was lost." }),
  advertiser: f.string({ required: true, naturalKey: true, pattern: HEX24, patternHint: "an advertiser id of 24 hex characters such as \"5e39279bac611cda7e5765ab\"", doc: "Advertiser id, 24 hex characters." }),
  url: f.url({ required: true, macros: true, naturalKey: true, doc: "Tracking URL with macros, e.g. https://t.example/click?c={clickid}." }),
  previewUrl: f.url({ macros: true, serverDefault: true, wire: "url_preview", doc: "Preview URL of the offer." }),
  trafficbackUrl: f.url({ macros: true, serverDefault: true, wire: "trafficback_url", doc: "Where traffic goes when the offer cannot take it." }),
  crossPostbackUrl: f.url({ macros: true, serverDefault: true, wire: "cross_postback_url", doc: "Cross-postback URL." }),
  macroUrl: f.string({ min: 1, max: 2048, serverDefault: true, wire: "macro_url", doc: "Appended to the tracking URL, e.g. \"&sub1={IP}\"." }),
  descriptions: f.map(f.string({ min: 1, doc: "The description in that language." }), {
    keyPattern: LANG, keyHint: "two-letter language codes such as \"en\" or \"ru\"", max: LIMITS.descriptions, serverDefault: true, wire: "description_lang",
    doc: "Descriptions by two-letter language code, e.g. { en: \"...\" }.",
  }),
  status: f.enum(OFFER_STATUS, {
    serverDefault: true, spend: "status", running: ["active"],
    doc: "\"active\" (running: affiliates send traffic and earn payouts), \"stopped\" or \"suspended\". Affise creates offers \"stopped\" when omitted.",
  }),
  privacy: f.enum(PRIVACY, {
    serverDefault: true, decode: (v: unknown) => PRIVACY_ON_READ[String(v)] ?? v, meanings: { public: "every affiliate", protected: "premoderated: affiliates ask for access", private: "only affiliates given access" },
    doc: "\"public\", \"protected\" (Affise answers \"premoderated\") or \"private\"; Affise's default is \"public\".",
  }),
  isTop: f.boolean({ serverDefault: true, wire: "is_top", encode: bit, doc: "Show as a top offer. Affise's default is false." }),
  isCpi: f.boolean({ serverDefault: true, wire: "is_cpi", encode: bit, doc: "CPI (app install) offer. Affise's default is false." }),
  redirectType: f.enum(REDIRECT_TYPES, { serverDefault: true, wire: "redirect_type", doc: "\"http302\" (Affise's default), \"http302hidden\", \"js\" or \"meta\"." }),
  startAt: f.date({ serverDefault: true, wire: "start_at", decode: (v: unknown) => String(v).slice(0, 10), doc: "First day, YYYY-MM-DD (Affise answers it with a time, which is ignored)." }),
  isRedirectOvercap: f.boolean({ serverDefault: true, wire: "is_redirect_overcap", encode: bit, doc: "Send traffic to the trafficback URL once a daily cap is reached. Affise's default is false." }),
  stopDate: f.date({
    serverDefault: true, wire: "stopDate", decode: (v: unknown) => String(v).slice(0, 10),
    doc: "Last day, YYYY-MM-DD (sent as `stopDate`; Affise answers `stop_at` with a time, which is ignored).",
  }),
  schedule,
  clickSession: duration("click_session", "Click session lifetime, e.g. \"1y2m\" (y m w d h i s). Affise's default is \"1y\"."),
  minimalClickSession: duration("minimal_click_session", "Minimal click session, e.g. \"5h7i\". Affise's default is \"0s\"."),
  logo: f.string({ min: 1, wire: false, serverDefault: true, doc: "Logo image path (absolute or relative to the program directory), uploaded as multipart `logo`." }),
  creatives: f.list(creative, {
    max: LIMITS.creatives, wire: false, equal: sameCreatives,
    doc: "Creatives: URLs and files, in order. Changing them removes the old creatives and uploads the new ones.",
  }),
  smartlinkCategories: f.list(f.string({ pattern: HEX24, patternHint: "a category id of 24 hex characters", doc: "A smartlink category id." }), {
    max: LIMITS.smartlinkCategories, unique: (x: string) => x.toLowerCase(), wire: "smartlink_categories", indexed: true, doc: "Smartlink category ids (24 hex), each once.",
  }),
  payments: f.list(payment, { required: true, min: 1, max: LIMITS.payments, indexed: true, doc: "General payouts (at least one)." }),
  partnerPayments: f.list(partnerPayment, { max: LIMITS.payments, wire: "partner_payments", indexed: true, doc: "Payouts for specific affiliates." }),
  landings: f.list(f.object(landingFields, { doc: "A landing page." }), { max: LIMITS.landings, indexed: true, doc: "Landing pages." }),
  caps: f.list(f.object(capFields, {
    doc: "A cap: at most `value` of `type` per `period`.",
    validate: (c: Checker, p: string, x: InputsOf<typeof capFields>) => {
      for (const [s, list] of [["goalType", "goals"], ["affiliateType", "affiliates"], ["countryType", "countries"]] as const) {
        const items = x[list];
        if (x[s] === "exact" && !(Array.isArray(items) && items.length)) c.fail(`${p}.${list}`, `${p}.${list} is required when ${s} is "exact"`);
      }
      // "The integer value for the type of conversion and the float value for the budget type" (contract).
      if (x.type !== "budget" && typeof x.value === "number" && !Number.isInteger(x.value)) c.fail(`${p}.value`, `${p}.value must be a whole number for type ${JSON.stringify(x.type)} (a count); only "budget" caps take decimals; got ${x.value}`);
      if (x.subValues !== undefined && x.subNumber === undefined) c.fail(`${p}.subNumber`, `${p}.subNumber is required with subValues (the sub whose values the cap counts: 2)`);
      if (x.subNumber !== undefined && !isUnknown(x.subValues) && !(Array.isArray(x.subValues) && x.subValues.length)) c.fail(`${p}.subValues`, `${p}.subValues is required with subNumber`);
    },
  }), { max: LIMITS.caps, indexed: true, doc: "Caps (budget, conversions, clicks or impressions per period)." }),
  capsTimezone: timeZone("Time zone in which day and month caps are counted, e.g. \"Europe/Moscow\" (Affise's default is the network's).", { serverDefault: true, wire: "caps_timezone" }),
  capsGoalOvercap: f.string({
    min: 1, max: 255, serverDefault: true, wire: "caps_goal_overcap", coerce: (v: unknown) => (typeof v === "number" ? String(v) : v),
    doc: "A goal value: once its cap is reached, clicks go to the trafficback URL (e.g. \"install\").",
  }),
  hideCaps: f.boolean({ serverDefault: true, wire: "hide_caps", encode: bit, doc: "Hide the caps from affiliates. Affise's default is false." }),
  noticePercentOvercap: f.integer({ min: 0, max: 100, serverDefault: true, wire: "notice_percent_overcap", doc: "Percent of the daily cap at which Affise sends notices, 0-100." }),
  isImpressionOvercap: f.boolean({ serverDefault: true, wire: "is_impression_overcap", encode: bit, doc: "Keep counting impressions over the caps (impression overcap). Affise's default is false." }),
  capsStatus: f.list(f.enum(CAPS_STATUS, { doc: "A conversion status." }), {
    max: CAPS_STATUS.length, unique: (x: string) => x, wire: "caps_status", indexed: true, doc: "Conversion statuses that count towards caps: \"confirmed\", \"pending\", \"hold\", \"declined\", each once.",
  }),
  targeting: f.list(targetingGroup, { max: LIMITS.targeting, indexed: true, doc: "Targeting groups, in order." }),
  offerId: f.string({ output: true, wire: "offer_id", doc: "Affise's 24-hex `offer_id` (the numeric id is the resource id)." }),
  creativeIds: f.list(f.integer({ doc: "A creative id." }), { output: true, max: LIMITS.creatives, doc: "Ids of the offer's creatives, in the order of `creatives`." }),
  landingIds: f.list(f.integer({ doc: "A landing id." }), { output: true, max: LIMITS.landings, doc: "Ids of the offer's landings, in the order of `landings`; sent back on update so Affise edits those landings in place." }),
} satisfies Fields;

export type OfferFields = typeof fields;
export { paymentFields, partnerPaymentFields, landingFields, capFields, targetingFields };

/** An offer as Affise answers it: the declared wire fields (derived from `fields`) plus what the network keeps. */
export type OfferWire = WireOf<OfferFields> & {
  id: number | string;
  logo?: string | null;
  creatives?: Array<{ id: number | string; type?: string; url?: string; file_name?: string }>;
  /** The last day as Affise answers it ("YYYY-MM-DD HH:MM:SS"; sent as `stopDate`). */
  stop_at?: string | null;
};
/** The client as this resource gets it (affise/network.ts makes it with both resources' shapes). */
export type Client = AffiseClient<AffiseShapes & { offer: OfferWire }>;

type Landing = InputsOf<typeof landingFields>;

/** The ids of the offer's landings, in Affise's order (a list, or a map by index). */
function landingIdsOf(o: OfferWire | undefined): number[] {
  const ls: unknown = o?.landings;
  const list = Array.isArray(ls) ? ls : isMap(ls) ? Object.values(ls) : [];
  return list.filter(isMap).map((l) => Number(l.id)).filter((n) => Number.isInteger(n));
}

/**
 * The ids to send with the new landings, so that Affise edits the known
 * landings in place (contract: "Pass an existing landing's id to update that
 * landing in place; omit to create a new landing"): each new landing takes
 * the id of an old one with the same title, else with the same URL; the
 * rest are new.
 */
export function landingIdsFor(olds: Landing[] | undefined, oldIds: number[] | undefined, news: Landing[] | undefined): Array<number | undefined> {
  const pool = (olds ?? []).map((l, i) => ({ l, id: oldIds?.[i] })).filter((x): x is { l: Landing; id: number } => x.id !== undefined);
  const taken = new Set<number>();
  const pick = (match: (l: Landing) => boolean) => {
    const hit = pool.find((x) => !taken.has(x.id) && match(x.l));
    if (hit) taken.add(hit.id);
    return hit?.id;
  };
  const list = news ?? [];
  const byTitle = list.map((n) => pick((l) => l.title === n.title));
  return byTitle.map((id, i) => id ?? pick((l) => l.url === list[i].url));
}

/** A creative as a program declares it. */
type Creative = { url?: string; file?: string; contentHash?: string };

/** Lists, cleared on update by an empty value (Affise's convention). */
const LIST_KEYS = inputNames(fields).filter((k) => fields[k as keyof OfferFields].kind === "list");

/**
 * The form Affise expects, from normalised inputs: `keys` limits it to the
 * changed inputs on update (each group sent complete, as the fields encode
 * it). A list that was set and is now empty is sent as an empty value,
 * which clears it. Files come back separately (multipart): the logo and the
 * file creatives; URL creatives are `creativeUrls[n]`.
 */
export function offerForm(inputs: Partial<InputsOf<OfferFields>>, keys: readonly string[] = inputNames(fields), resolveFile: (p: string) => string = resolvePath): { form: Record<string, unknown>; files: FilePart[] } {
  const form: Record<string, unknown> = {};
  const files: FilePart[] = [];
  for (const k of inputNames(fields)) {
    if (!keys.includes(k)) continue;
    const v: unknown = inputs[k as keyof typeof inputs];
    if (k === "creatives") {
      const urls: Record<string, string> = {};
      ((v ?? []) as Creative[]).forEach((c, i) => {
        if (c.url !== undefined) urls[i] = c.url;
        else if (c.file !== undefined) files.push({ field: `creativeFiles[${i}]`, path: resolveFile(c.file) });
      });
      if (Object.keys(urls).length) form.creativeUrls = urls;
    } else if (k === "logo") {
      if (typeof v === "string" && v) files.push({ field: "logo", path: resolveFile(v) });
    } else if (LIST_KEYS.includes(k) && (v === undefined || (Array.isArray(v) && !v.length))) {
      const wire = (fields[k as keyof OfferFields] as Field).wire;
      form[typeof wire === "string" ? wire : k] = "";
    } else {
      Object.assign(form, toWire(fields, inputs, [k]));
    }
  }
  return { form, files };
}

/** The remote offer in input shape plus outputs (the fields decode it); file creatives keep the program's path where the id is known. */
export function fromRemote(o: OfferWire, state: Partial<StateOf<OfferFields>> | undefined): Partial<StateOf<OfferFields>> {
  const ids = state?.creativeIds ?? [];
  const mine: Creative[] = state?.creatives ?? [];
  const remoteCreatives = Array.isArray(o.creatives) ? o.creatives : [];
  const creatives = remoteCreatives.map((cr): Creative => {
    if (cr.url && cr.type === "url") return { url: cr.url };
    const i = ids.indexOf(Number(cr.id));
    const m = i >= 0 ? mine[i] : undefined;
    return m?.file !== undefined ? compact({ file: m.file, contentHash: m.contentHash }) : { file: cr.file_name };
  });
  return compact({
    // The last day is sent as `stopDate` and answered as `stop_at` (contract offer schema).
    ...fromWire(fields, { ...o, stopDate: o.stopDate ?? o.stop_at ?? undefined }, AFFISE_WIRE),
    logo: o.logo ? state?.logo ?? o.logo : undefined,
    creatives: creatives.length ? creatives : undefined,
    creativeIds: remoteCreatives.map((x) => Number(x.id)),
    landingIds: landingIdsOf(o),
  });
}

function isMap(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === "object" && !Array.isArray(v);
}
/** Drops undefined values. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export const offer: ResourceDef<OfferFields, Client> = {
  key: "affise:Offer", importId: "the numeric offer id",
  doc: "An Affise offer (`POST /3.0/admin/offer`, urlencoded PHP-bracket form; multipart when a logo or creative file is uploaded). Every field updates in place (`POST /3.0/admin/offer/{id}` with the changed groups, each sent complete); deleting removes the offer (`POST /3.0/admin/offer/delete`).",
  fields,
  check(_ctx, n, c) {
    // Files: the content hash makes a changed file a change; an unreadable path fails here, not at upload.
    if (n.logo !== undefined && !isUnknown(n.logo)) readable(c, "logo", n.logo);
    if (Array.isArray(n.creatives)) {
      n.creatives = n.creatives.map((x, i) => {
        if (!isMap(x) || containsUnknown(x.file) || x.file === undefined) return x.url !== undefined ? { url: x.url } : x;
        return compact({ file: x.file, contentHash: readable(c, `creatives[${i}].file`, x.file) });
      });
    }
    return n;
  },
  async find(ctx, inputs, exclude) {
    const same = await ctx.client.offersMatching(String(inputs.title), String(inputs.advertiser), String(inputs.url));
    return newestUnowned(same, (o) => String(o.id), exclude);
  },
  async create(ctx, inputs) {
    const client = ctx.client;
    const { form, files } = offerForm(inputs);
    const offer = await client.createOffer(form, files);
    const id = String(offer.id);
    const creativeIds = (offer.creatives ?? []).map((x) => Number(x.id));
    const outs = { offerId: String(offer.offer_id), creativeIds, landingIds: landingIdsOf(offer) };
    if (creativeIds.length !== (inputs.creatives ?? []).length) {
      throw new PartialCreateError(id, { ...inputs, ...outs }, new Error(`Affise kept ${creativeIds.length} of ${(inputs.creatives ?? []).length} creatives`));
    }
    return { id, outs };
  },
  async read(ctx, id, state) {
    const o = await ctx.client.getOffer(id);
    return o ? fromRemote(o, state) : undefined;
  },
  async update(ctx, id, olds, news, changed) {
    const client = ctx.client;
    let creativeIds: number[] | undefined = olds.creativeIds;
    if (changed.includes("creatives")) {
      await client.removeCreatives(id, olds.creativeIds ?? []);
      creativeIds = [];
    }
    const { form, files } = offerForm(news, changed);
    if (changed.includes("landings") && isMap(form.landings)) {
      const landings = form.landings as Record<string, Record<string, unknown>>;
      landingIdsFor(olds.landings, olds.landingIds, news.landings).forEach((lid, i) => {
        if (lid !== undefined && landings[String(i)]) landings[String(i)].id = lid;
      });
    }
    if (!Object.keys(form).length && !files.length) return { offerId: olds.offerId, creativeIds, landingIds: olds.landingIds };
    const o = await client.updateOffer(id, form, files);
    if (changed.includes("creatives")) creativeIds = (o?.creatives ?? []).map((x) => Number(x.id));
    return { offerId: olds.offerId, creativeIds, landingIds: o?.landings !== undefined ? landingIdsOf(o) : olds.landingIds };
  },
  async delete(ctx, id) {
    await ctx.client.deleteOffer(id);
  },
  async list(ctx) {
    const all = await ctx.client.listOffers();
    return all.map((o) => ({ id: String(o.id), state: fromRemote(o, undefined) }));
  },
};
