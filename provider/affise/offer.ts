import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as countries from "i18n-iso-countries";
import { AdnetResource } from "../core/reference";
import { defineResource, deepEqual } from "../core/resource";
import { newestUnowned } from "../core/recover";
import { PartialCreateError } from "../core/errors";
import { Checker, isUnknown } from "../core/validate";
import { AffiseClient, FilePart } from "./client";
import {
  CAP_PERIODS, CAP_SCOPES, CAP_TYPES, CAPS_STATUS, CONNECTIONS, CURRENCY, DEVICES, DURATION, HEX24, LANDING_TYPES, LANG,
  OFFER_STATUS, PAYMENT_TYPES, PRIVACY, PRIVACY_ON_READ, REDIRECT_TYPES, SUB_NUMBERS,
} from "./constants";

type In<T> = pulumi.Input<T>;
type Subs = { sub1?: In<string>; sub2?: In<string>; sub3?: In<string>; sub4?: In<string>; sub5?: In<string>; sub6?: In<string>; sub7?: In<string>; sub8?: In<string> };
type SubLists = { [K in keyof Subs]?: In<In<string>[]> };

/** A general payout: what the advertiser pays and what affiliates earn. */
export interface PaymentArgs extends Subs {
  /** ISO 3166-1 alpha-2 codes ("RU", "US"); none means every country. */
  countries?: In<In<string>[]>;
  /** True to mean "every country except `countries`". */
  countryExclude?: In<boolean>;
  /** Devices: "desktop", "mobile", "tablet". */
  devices?: In<In<string>[]>;
  /** Operating systems, as Affise names them. */
  os?: In<In<string>[]>;
  /** Goal value the payout applies to, e.g. "28" (a number is taken as its string). */
  goal?: In<string | number>;
  /** Payout title. */
  title?: In<string>;
  /** Amount the advertiser pays (>= 0). */
  total?: In<number>;
  /** Amount the affiliate earns (>= 0). */
  revenue: In<number>;
  /** ISO 4217 currency, e.g. "USD". */
  currency: In<string>;
  /** fixed, percent, mixed, cpc, cpm, first_cpa, first_cps, baseline_onetime, baseline_accumulating. */
  type: In<string>;
  // sub1..sub8: comma-separated sub values the payout is limited to (inherited from Subs).
}

/** A payout for specific affiliates. */
export interface PartnerPaymentArgs extends PaymentArgs {
  /** Affiliate ids (at least one). */
  partners: In<In<number>[]>;
}

export interface LandingArgs {
  title: In<string>;
  /** Landing URL; macros such as {clickid} are allowed. */
  url: In<string>;
  previewUrl: In<string>;
  /** "landing" (default) or "transit". */
  type?: In<"landing" | "transit">;
}

export interface CapArgs {
  /** hour, day, month or all. */
  period: In<string>;
  /** budget, conversions, clicks or impressions. */
  type: In<string>;
  /** Cap value (>= 0). */
  value: In<number>;
  /** all (default), each or exact; exact needs `goals`. */
  goalType?: In<string>;
  goals?: In<In<string>[]>;
  /** all (default), each or exact; exact needs `affiliates`. */
  affiliateType?: In<string>;
  affiliates?: In<In<number>[]>;
  /** all (default), each or exact; exact needs `countries`. */
  countryType?: In<string>;
  countries?: In<In<string>[]>;
}

/** One targeting group. A group with `affiliateIds` is a personal group. */
export interface TargetingGroupArgs {
  /** Allowed or denied ISO alpha-2 countries (one of the two). */
  countries?: In<{ allow?: In<In<string>[]>; deny?: In<In<string>[]> }>;
  /** Device types: desktop, mobile, tablet. */
  deviceTypes?: In<In<string>[]>;
  /** Connection types: "wi-fi", "cellular". */
  connections?: In<In<string>[]>;
  /** Affiliates this (personal) group applies to. */
  affiliateIds?: In<In<number>[]>;
  /** Whitelist of sub values per sub number, e.g. { sub1: ["qwerty"] }. */
  subAllow?: In<SubLists>;
  /** Blacklist of sub values per sub number, e.g. { sub2: ["qwerty213"] }. */
  subDeny?: In<SubLists>;
}

/** A creative: either a URL or a local file (uploaded as multipart). */
export interface CreativeArgs {
  url?: In<string>;
  /** Path of a local file, relative to the program directory or absolute. */
  file?: In<string>;
}

export interface OfferArgs {
  // ---- identity ----
  /** Offer title (required). With the advertiser, the natural key used to find an offer whose create response was lost. */
  title: In<string>;
  /** Advertiser id, 24 hex characters (required). */
  advertiser: In<string>;
  // ---- urls ----
  /** Tracking URL with macros, e.g. https://t.example/click?c={clickid} (required). */
  url: In<string>;
  /** Preview URL of the offer (`url_preview`). */
  previewUrl?: In<string>;
  /** Where traffic goes when the offer cannot take it. */
  trafficbackUrl?: In<string>;
  /** Cross-postback URL. */
  crossPostbackUrl?: In<string>;
  /** Appended to the tracking URL, e.g. "&sub1={IP}". */
  macroUrl?: In<string>;
  /** Descriptions by two-letter language code, e.g. { en: "..." }. */
  descriptions?: In<Record<string, In<string>>>;
  // ---- settings ----
  /** active, stopped or suspended. */
  status?: In<"active" | "stopped" | "suspended">;
  /** public, protected (premoderated) or private. */
  privacy?: In<"public" | "protected" | "private">;
  /** Show as a top offer. */
  isTop?: In<boolean>;
  /** CPI (app install) offer. */
  isCpi?: In<boolean>;
  /** http302, http302hidden, js or meta. */
  redirectType?: In<string>;
  /** First day, YYYY-MM-DD. */
  startAt?: In<string>;
  /** Keep redirecting after a cap is reached. */
  isRedirectOvercap?: In<boolean>;
  /** Click session lifetime, e.g. "1y2m" (y m w d h i s). */
  clickSession?: In<string>;
  /** Minimal click session, e.g. "5h7i". */
  minimalClickSession?: In<string>;
  /** Smartlink category ids (24 hex). */
  smartlinkCategories?: In<In<string>[]>;
  /** Logo image path (uploaded as multipart). */
  logo?: In<string>;
  /** Creatives: URLs and files, in order. Changing them removes the old creatives and uploads the new ones. */
  creatives?: In<In<CreativeArgs>[]>;
  // ---- money ----
  /** General payouts (at least one). */
  payments: In<In<PaymentArgs>[]>;
  /** Payouts for specific affiliates. */
  partnerPayments?: In<In<PartnerPaymentArgs>[]>;
  // ---- traffic ----
  landings?: In<In<LandingArgs>[]>;
  caps?: In<In<CapArgs>[]>;
  /** Conversion statuses that count towards caps: confirmed, pending, hold, declined. */
  capsStatus?: In<In<string>[]>;
  /** Targeting groups, in order. */
  targeting?: In<In<TargetingGroupArgs>[]>;
}

export const INPUTS = [
  "title", "advertiser", "url", "previewUrl", "trafficbackUrl", "crossPostbackUrl", "macroUrl", "descriptions",
  "status", "privacy", "isTop", "isCpi", "redirectType", "startAt", "isRedirectOvercap", "clickSession", "minimalClickSession",
  "smartlinkCategories", "logo", "creatives", "payments", "partnerPayments", "landings", "caps", "capsStatus", "targeting",
] as const;

/** Scalar input -> wire name. Lists and groups are mapped in toWire. */
const SCALARS: Record<string, string> = {
  title: "title", advertiser: "advertiser", url: "url", crossPostbackUrl: "cross_postback_url", macroUrl: "macro_url",
  previewUrl: "url_preview", trafficbackUrl: "trafficback_url", status: "status", privacy: "privacy",
  isTop: "is_top", isCpi: "is_cpi", redirectType: "redirect_type", startAt: "start_at", isRedirectOvercap: "is_redirect_overcap",
  clickSession: "click_session", minimalClickSession: "minimal_click_session",
};
const BOOLEANS = new Set(["isTop", "isCpi", "isRedirectOvercap"]);
/** Lists Affise writes with indices in the seed (`caps_status[0]=...`). */
const indexed = (list: unknown[]) => Object.fromEntries(list.map((v, i) => [String(i), v]));
const bit = (b: unknown) => (b === undefined ? undefined : b ? 1 : 0);

function paymentWire(p: any): Record<string, any> {
  const o: Record<string, any> = {};
  if (p.partners) o.partners = p.partners;
  if (p.countries) o.countries = p.countries;
  if (p.countryExclude !== undefined) o.country_exclude = bit(p.countryExclude);
  if (p.devices) o.devices = p.devices;
  if (p.os) o.os = p.os;
  for (const k of ["goal", "title", "total", "revenue", "currency", "type"]) if (p[k] !== undefined) o[k] = p[k];
  for (const s of SUB_NUMBERS) if (p[s] !== undefined) o[s] = p[s];
  return o;
}

function targetingWire(t: any): Record<string, any> {
  const o: Record<string, any> = {};
  if (t.countries) o.country = t.countries;
  if (t.deviceTypes) o.device_type = t.deviceTypes;
  if (t.connections) o.connection = t.connections;
  if (t.affiliateIds) o.affiliate_id = t.affiliateIds;
  const subs = (m: any) => Object.fromEntries(Object.entries(m ?? {}).map(([k, v]) => [k.replace(/^sub/, ""), v]));
  if (t.subAllow || t.subDeny) o.sub = { ...(t.subAllow ? { allow: subs(t.subAllow) } : {}), ...(t.subDeny ? { deny: subs(t.subDeny) } : {}) };
  return o;
}

/**
 * The form Affise expects, from normalised inputs: `keys` limits it to the
 * changed inputs on update. A list that was set and is now empty is sent as
 * an empty value, which clears it. Files come back separately (multipart).
 */
export function toWire(inputs: Record<string, any>, keys: readonly string[] = INPUTS, resolveFile: (p: string) => string = resolvePath): { form: Record<string, any>; files: FilePart[] } {
  const form: Record<string, any> = {};
  const files: FilePart[] = [];
  const has = (k: string) => keys.includes(k);
  const list = (k: string, wire: string, map: (v: any) => any) => {
    if (!has(k)) return;
    const v = inputs[k];
    form[wire] = v === undefined || (Array.isArray(v) && !v.length) ? "" : map(v);
  };
  for (const k of INPUTS) {
    if (!has(k)) continue;
    if (SCALARS[k]) {
      if (inputs[k] !== undefined) form[SCALARS[k]] = BOOLEANS.has(k) ? bit(inputs[k]) : inputs[k];
    } else if (k === "descriptions") {
      if (inputs.descriptions) form.description_lang = inputs.descriptions;
    } else if (k === "creatives") {
      (inputs.creatives ?? []).forEach((c: any, i: number) => {
        if (c.url !== undefined) form.creativeUrls = { ...(form.creativeUrls ?? {}), [i]: c.url };
        else if (c.file !== undefined) files.push({ field: `creativeFiles[${i}]`, path: resolveFile(c.file) });
      });
    } else if (k === "logo") {
      if (inputs.logo) files.push({ field: "logo", path: resolveFile(inputs.logo) });
    }
  }
  list("smartlinkCategories", "smartlink_categories", indexed);
  list("payments", "payments", (v) => indexed(v.map(paymentWire)));
  list("partnerPayments", "partner_payments", (v) => indexed(v.map(paymentWire)));
  list("landings", "landings", (v) => indexed(v.map((l: any) => ({ title: l.title, url: l.url, url_preview: l.previewUrl, type: l.type }))));
  list("caps", "caps", (v) => indexed(v.map((c: any) => ({
    period: c.period, type: c.type, value: c.value, goal_type: c.goalType, goals: c.goals,
    affiliate_type: c.affiliateType, affiliates: c.affiliates, country_type: c.countryType, country: c.countries,
  }))));
  list("capsStatus", "caps_status", indexed);
  list("targeting", "targeting", (v) => indexed(v.map(targetingWire)));
  return { form, files };
}

function resolvePath(p: string): string {
  return path.isAbsolute(p) ? p : path.resolve(process.cwd(), p);
}

// ---------------------------------------------------------------- check

const known = (v: unknown) => v !== undefined && v !== null && !isUnknown(v);

function stringList(c: Checker, field: string, v: unknown, each: (p: string, x: any) => void, opts: { min?: number } = {}): void {
  if (c.array(field, v, opts)) v.forEach((x, i) => each(`${field}[${i}]`, x));
}

function iso2(c: Checker, field: string, v: unknown): void {
  c.string(field, v, { required: true });
  if (typeof v === "string" && !isUnknown(v) && (v.length !== 2 || !countries.isValid(v))) {
    c.fail(field, `${field} must be an ISO 3166-1 alpha-2 country code in capitals such as "RU", "US" or "DE"; got ${JSON.stringify(v)}`);
  }
}

function checkPayment(c: Checker, p: string, x: any, partner: boolean): void {
  if (!c.object(p, x, { required: true })) return;
  c.knownKeys(p, x, [...(partner ? ["partners"] : []), "countries", "countryExclude", "devices", "os", "goal", "title", "total", "revenue", "currency", "type", ...SUB_NUMBERS]);
  if (partner && c.array(`${p}.partners`, x.partners, { required: true, min: 1 })) {
    x.partners.forEach((v: unknown, i: number) => c.number(`${p}.partners[${i}]`, v, { required: true, integer: true, min: 1 }));
  }
  stringList(c, `${p}.countries`, x.countries, (q, v) => iso2(c, q, v));
  c.boolean(`${p}.countryExclude`, x.countryExclude);
  stringList(c, `${p}.devices`, x.devices, (q, v) => c.oneOf(q, v, DEVICES, { required: true }));
  stringList(c, `${p}.os`, x.os, (q, v) => c.string(q, v, { required: true, min: 1 }));
  c.string(`${p}.goal`, x.goal, { min: 1, max: 255 });
  c.string(`${p}.title`, x.title, { max: 255 });
  c.number(`${p}.total`, x.total, { min: 0 });
  c.number(`${p}.revenue`, x.revenue, { required: true, min: 0 });
  c.string(`${p}.currency`, x.currency, { required: true, pattern: CURRENCY, patternHint: "an ISO 4217 code in capitals such as \"USD\" or \"EUR\"" });
  c.oneOf(`${p}.type`, x.type, PAYMENT_TYPES, { required: true });
  for (const s of SUB_NUMBERS) c.string(`${p}.${s}`, x[s], { min: 1 });
}

function checkSubLists(c: Checker, p: string, v: unknown): void {
  if (!c.object(p, v)) return;
  c.knownKeys(p, v, SUB_NUMBERS);
  for (const [k, list] of Object.entries(v)) stringList(c, `${p}.${k}`, list, (q, x) => c.string(q, x, { required: true, min: 1 }), { min: 1 });
}

function checkTargeting(c: Checker, p: string, t: any): void {
  if (!c.object(p, t, { required: true })) return;
  c.knownKeys(p, t, ["countries", "deviceTypes", "connections", "affiliateIds", "subAllow", "subDeny"]);
  if (c.object(`${p}.countries`, t.countries)) {
    c.knownKeys(`${p}.countries`, t.countries, ["allow", "deny"]);
    if (known(t.countries.allow) && known(t.countries.deny)) c.fail(`${p}.countries`, `${p}.countries takes either allow or deny, not both`);
    for (const k of ["allow", "deny"]) stringList(c, `${p}.countries.${k}`, t.countries[k], (q, v) => iso2(c, q, v), { min: 1 });
  }
  stringList(c, `${p}.deviceTypes`, t.deviceTypes, (q, v) => c.oneOf(q, v, DEVICES, { required: true }));
  stringList(c, `${p}.connections`, t.connections, (q, v) => c.oneOf(q, v, CONNECTIONS, { required: true }));
  stringList(c, `${p}.affiliateIds`, t.affiliateIds, (q, v) => c.number(q, v, { required: true, integer: true, min: 1 }));
  checkSubLists(c, `${p}.subAllow`, t.subAllow);
  checkSubLists(c, `${p}.subDeny`, t.subDeny);
  if (t.subAllow && t.subDeny && typeof t.subAllow === "object" && typeof t.subDeny === "object") {
    for (const s of SUB_NUMBERS) if (known((t.subAllow as any)[s]) && known((t.subDeny as any)[s])) c.fail(`${p}.subDeny.${s}`, `${s} is both allowed and denied in ${p}; a sub number takes a whitelist or a blacklist`);
  }
}

function sha256(file: string): string {
  return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

function readableFile(c: Checker, field: string, p: unknown): string | undefined {
  c.string(field, p, { required: true, min: 1 });
  if (typeof p !== "string" || isUnknown(p) || !p) return undefined;
  try {
    return sha256(resolvePath(p));
  } catch (e: any) {
    c.fail(field, `cannot read ${p} (${e.code ?? e.message}) from ${process.cwd()}`);
    return undefined;
  }
}

/** Drops undefined keys so inputs, state and read compare equal. */
const compact = (o: Record<string, any>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export function checkOffer(n: Record<string, any>, c: Checker): Record<string, any> {
  const out: Record<string, any> = { ...n };
  c.string("title", n.title, { required: true, min: 1, max: 255 });
  c.string("advertiser", n.advertiser, { required: true, pattern: HEX24, patternHint: "an advertiser id of 24 hex characters such as \"5e39279bac611cda7e5765ab\"" });
  c.url("url", n.url, { required: true, allowMacros: true });
  for (const k of ["previewUrl", "trafficbackUrl", "crossPostbackUrl"]) c.url(k, n[k], { allowMacros: true });
  c.string("macroUrl", n.macroUrl, { min: 1, max: 2048 });
  if (c.object("descriptions", n.descriptions)) {
    for (const [lang, text] of Object.entries(n.descriptions)) {
      if (!LANG.test(lang)) c.fail(`descriptions.${lang}`, `descriptions keys must be two-letter language codes such as "en" or "ru"; got ${JSON.stringify(lang)}`);
      c.string(`descriptions.${lang}`, text, { required: true, min: 1 });
    }
  }
  c.oneOf("status", n.status, OFFER_STATUS);
  c.oneOf("privacy", n.privacy, PRIVACY);
  for (const k of BOOLEANS) c.boolean(k, n[k]);
  c.oneOf("redirectType", n.redirectType, REDIRECT_TYPES);
  c.date("startAt", n.startAt);
  for (const k of ["clickSession", "minimalClickSession"]) c.string(k, n[k], { pattern: DURATION, patternHint: "a duration such as \"1y2m\", \"30d\" or \"5h7i\" (units y m w d h i s, in that order)" });
  stringList(c, "smartlinkCategories", n.smartlinkCategories, (q, v) => c.string(q, v, { required: true, pattern: HEX24, patternHint: "a category id of 24 hex characters" }));
  if (n.logo !== undefined) readableFile(c, "logo", n.logo);
  if (c.array("creatives", n.creatives)) {
    out.creatives = n.creatives.map((x: any, i: number) => {
      const p = `creatives[${i}]`;
      if (!c.object(p, x, { required: true })) return x;
      c.knownKeys(p, x, ["url", "file", "contentHash"]);
      if (known(x.url) === known(x.file) && !(isUnknown(x.url) || isUnknown(x.file))) c.fail(p, `${p} takes exactly one of url or file`);
      c.url(`${p}.url`, x.url, { allowMacros: true });
      if (x.file !== undefined) return compact({ file: x.file, contentHash: readableFile(c, `${p}.file`, x.file) });
      return compact({ url: x.url });
    });
  }
  // A goal written as a number (goal: 28) means the same as "28", which Affise answers.
  const goalAsString = (list: unknown) => (Array.isArray(list) ? list.map((x) => (x && typeof x === "object" && typeof x.goal === "number" ? { ...x, goal: String(x.goal) } : x)) : list);
  out.payments = goalAsString(n.payments);
  out.partnerPayments = goalAsString(n.partnerPayments);
  if (c.array("payments", out.payments, { required: true, min: 1 })) out.payments.forEach((x: any, i: number) => checkPayment(c, `payments[${i}]`, x, false));
  if (c.array("partnerPayments", out.partnerPayments)) out.partnerPayments.forEach((x: any, i: number) => checkPayment(c, `partnerPayments[${i}]`, x, true));
  if (c.array("landings", n.landings)) {
    out.landings = n.landings.map((x: any, i: number) => {
      const p = `landings[${i}]`;
      if (!c.object(p, x, { required: true })) return x;
      c.knownKeys(p, x, ["title", "url", "previewUrl", "type"]);
      c.string(`${p}.title`, x.title, { required: true, min: 1, max: 255 });
      c.url(`${p}.url`, x.url, { required: true, allowMacros: true });
      c.url(`${p}.previewUrl`, x.previewUrl, { required: true, allowMacros: true });
      c.oneOf(`${p}.type`, x.type, LANDING_TYPES);
      return x;
    });
  }
  if (c.array("caps", n.caps)) {
    n.caps.forEach((x: any, i: number) => {
      const p = `caps[${i}]`;
      if (!c.object(p, x, { required: true })) return;
      c.knownKeys(p, x, ["period", "type", "value", "goalType", "goals", "affiliateType", "affiliates", "countryType", "countries"]);
      c.oneOf(`${p}.period`, x.period, CAP_PERIODS, { required: true });
      c.oneOf(`${p}.type`, x.type, CAP_TYPES, { required: true });
      c.number(`${p}.value`, x.value, { required: true, min: 0 });
      for (const [scope, listKey] of [["goalType", "goals"], ["affiliateType", "affiliates"], ["countryType", "countries"]]) {
        c.oneOf(`${p}.${scope}`, x[scope], CAP_SCOPES);
        if (x[scope] === "exact" && !(Array.isArray(x[listKey]) && x[listKey].length)) c.fail(`${p}.${listKey}`, `${p}.${listKey} is required when ${scope} is "exact"`);
      }
      stringList(c, `${p}.goals`, x.goals, (q, v) => c.string(q, v, { required: true, min: 1 }));
      stringList(c, `${p}.affiliates`, x.affiliates, (q, v) => c.number(q, v, { required: true, integer: true, min: 1 }));
      stringList(c, `${p}.countries`, x.countries, (q, v) => iso2(c, q, v));
    });
  }
  stringList(c, "capsStatus", n.capsStatus, (q, v) => c.oneOf(q, v, CAPS_STATUS, { required: true }));
  if (Array.isArray(n.capsStatus) && new Set(n.capsStatus).size !== n.capsStatus.length) c.fail("capsStatus", `capsStatus lists a status twice: ${JSON.stringify(n.capsStatus)}`);
  if (c.array("targeting", n.targeting)) n.targeting.forEach((x: any, i: number) => checkTargeting(c, `targeting[${i}]`, x));
  return out;
}

// ---------------------------------------------------------------- read

const empty = (v: unknown) => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0) || (typeof v === "object" && !Array.isArray(v) && Object.keys(v as object).length === 0);
/** Remote item -> input shape: drops empty values and, unless the user set them, the server's defaults. */
function prune(item: Record<string, any>, mine: Record<string, any> | undefined, defaults: Record<string, unknown> = {}): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(item)) {
    if (empty(v) && !(mine && k in mine && deepEqual(mine[k], v))) continue;
    if (k in defaults && deepEqual(defaults[k], v) && !(mine && k in mine)) continue;
    out[k] = v;
  }
  return out;
}
const num = (v: unknown) => (v === null || v === undefined || v === "" ? undefined : Number(v));
const str = (v: unknown) => (v === null || v === undefined || v === "" ? undefined : String(v));
const bool = (v: unknown) => (v === null || v === undefined || v === "" ? undefined : v === true || v === 1 || v === "1" || v === "true");
const nums = (v: unknown) => (Array.isArray(v) ? v.map(Number) : undefined);

function paymentFromRemote(p: Record<string, any>, mine: any, partner: boolean) {
  const item: Record<string, any> = {
    ...(partner ? { partners: nums(p.partners) } : {}),
    countries: p.countries, countryExclude: bool(p.country_exclude), devices: p.devices, os: p.os, goal: str(p.goal), title: str(p.title),
    total: num(p.total), revenue: num(p.revenue), currency: str(p.currency)?.toUpperCase(), type: p.type,
  };
  for (const s of SUB_NUMBERS) item[s] = str(p[s]);
  return prune(item, mine, PAYMENT_DEFAULTS);
}

function subsFromRemote(m: unknown) {
  // An empty map may come back as [] (PHP); keys are sub numbers "1".."8".
  if (!m || typeof m !== "object" || Array.isArray(m)) return undefined;
  const out = Object.fromEntries(Object.entries(m).filter(([, v]) => Array.isArray(v) && v.length).map(([k, v]) => [`sub${k}`, v]));
  return Object.keys(out).length ? out : undefined;
}

function targetingFromRemote(t: Record<string, any>, mine: any) {
  const country = t.country ?? {};
  const item = {
    countries: prune({ allow: country.allow, deny: country.deny }, mine?.countries),
    deviceTypes: t.device_type, connections: t.connection, affiliateIds: nums(t.affiliate_id),
    subAllow: subsFromRemote(t.sub?.allow), subDeny: subsFromRemote(t.sub?.deny),
  };
  return prune(item, mine);
}

/** Remote offer -> inputs, given the last known state (for files and user-set defaults). */
export function fromRemote(o: Record<string, any>, state: Record<string, any>): Record<string, any> {
  const at = (k: string, i: number) => (Array.isArray(state[k]) ? state[k][i] : undefined);
  const descriptions = Object.fromEntries(Object.entries(o.description_lang && !Array.isArray(o.description_lang) ? o.description_lang : {}).filter(([, v]) => typeof v === "string" && v !== ""));
  const remoteCreatives: any[] = Array.isArray(o.creatives) ? o.creatives : [];
  const ids: number[] = Array.isArray(state.creativeIds) ? state.creativeIds : [];
  const creatives = remoteCreatives.map((cr) => {
    if (cr.url && cr.type === "url") return { url: cr.url };
    const i = ids.indexOf(Number(cr.id));
    const mine = i >= 0 ? at("creatives", i) : undefined;
    return mine?.file !== undefined ? compact({ file: mine.file, contentHash: mine.contentHash }) : { file: cr.file_name };
  });
  const startAt = str(o.start_at)?.slice(0, 10);
  const privacy = str(o.privacy);
  return compact({
    title: o.title,
    advertiser: str(o.advertiser),
    url: o.url,
    previewUrl: str(o.url_preview),
    trafficbackUrl: str(o.trafficback_url),
    crossPostbackUrl: str(o.cross_postback_url),
    macroUrl: str(o.macro_url),
    descriptions: Object.keys(descriptions).length ? descriptions : undefined,
    status: str(o.status),
    privacy: privacy ? PRIVACY_ON_READ[privacy] ?? privacy : undefined,
    isTop: bool(o.is_top),
    isCpi: bool(o.is_cpi),
    redirectType: str(o.redirect_type),
    startAt,
    isRedirectOvercap: bool(o.is_redirect_overcap),
    clickSession: str(o.click_session),
    minimalClickSession: str(o.minimal_click_session),
    smartlinkCategories: empty(o.smartlink_categories) ? undefined : o.smartlink_categories,
    logo: o.logo ? state.logo ?? o.logo : undefined,
    creatives: creatives.length ? creatives : undefined,
    payments: (o.payments ?? []).map((p: any, i: number) => paymentFromRemote(p, at("payments", i), false)),
    partnerPayments: empty(o.partner_payments) ? undefined : o.partner_payments.map((p: any, i: number) => paymentFromRemote(p, at("partnerPayments", i), true)),
    landings: empty(o.landings) ? undefined : o.landings.map((l: any, i: number) => prune({ title: l.title, url: l.url, previewUrl: l.url_preview, type: l.type }, at("landings", i), LANDING_DEFAULTS)),
    caps: empty(o.caps) ? undefined : o.caps.map((x: any, i: number) => prune({
      period: x.period, type: x.type, value: num(x.value), goalType: x.goal_type, goals: Array.isArray(x.goals) ? x.goals.map(String) : undefined,
      affiliateType: x.affiliate_type, affiliates: nums(x.affiliates), countryType: x.country_type, countries: Array.isArray(x.country) ? x.country : undefined,
    }, at("caps", i), CAP_DEFAULTS)),
    capsStatus: empty(o.caps_status) ? undefined : Array.isArray(o.caps_status) ? o.caps_status : Object.values(o.caps_status),
    targeting: empty(o.targeting) ? undefined : o.targeting.map((t: any, i: number) => targetingFromRemote(t, at("targeting", i))),
  });
}

function outputs(o: Record<string, any>, creativeIds?: number[]) {
  return compact({ offerId: str(o.offer_id), creativeIds });
}

// ---------------------------------------------------------------- provider

export const provider = defineResource({
  module: "affise",
  type: "Offer",
  inputs: INPUTS,
  optionalServerDefaults: [
    "status", "privacy", "isTop", "isCpi", "redirectType", "startAt", "isRedirectOvercap", "clickSession", "minimalClickSession",
    "previewUrl", "trafficbackUrl", "crossPostbackUrl", "macroUrl", "descriptions",
  ],
  equal: {
    creatives: sameCreatives,
    // Affise's defaults equal a missing value (import reads them back pruned).
    payments: (a, b) => deepEqual(withDefaults(a, PAYMENT_DEFAULTS), withDefaults(b, PAYMENT_DEFAULTS)),
    partnerPayments: (a, b) => deepEqual(withDefaults(a, PAYMENT_DEFAULTS), withDefaults(b, PAYMENT_DEFAULTS)),
    landings: (a, b) => deepEqual(withDefaults(a, LANDING_DEFAULTS), withDefaults(b, LANDING_DEFAULTS)),
    caps: (a, b) => deepEqual(withDefaults(a, CAP_DEFAULTS), withDefaults(b, CAP_DEFAULTS)),
  },
  check: (n, c) => checkOffer(n, c),
  async find(inputs, exclude) {
    const same = await AffiseClient.fromSettings().offersMatching(String(inputs.title), String(inputs.advertiser), String(inputs.url));
    return newestUnowned(same, (o) => String(o.id), exclude);
  },
  async create(inputs) {
    const client = AffiseClient.fromSettings();
    const { form, files } = toWire(inputs);
    const offer = await client.createOffer(form, files);
    const id = String(offer.id);
    const creativeIds = (offer.creatives ?? []).map((x: any) => Number(x.id));
    if (creativeIds.length !== (inputs.creatives ?? []).length) {
      throw new PartialCreateError(id, { ...inputs, ...outputs(offer, creativeIds) }, new Error(`Affise kept ${creativeIds.length} of ${(inputs.creatives ?? []).length} creatives`));
    }
    return { id, outs: outputs(offer, creativeIds) };
  },
  async read(id, state) {
    const o = await AffiseClient.fromSettings().getOffer(id);
    if (!o) return undefined;
    const ids = (o.creatives ?? []).map((x: any) => Number(x.id));
    return { ...fromRemote(o, state), ...outputs(o, ids) };
  },
  async update(id, olds, news, changed) {
    const client = AffiseClient.fromSettings();
    let creativeIds: number[] | undefined = olds.creativeIds;
    if (changed.includes("creatives")) {
      await client.removeCreatives(id, olds.creativeIds ?? []);
      creativeIds = [];
    }
    const { form, files } = toWire(news, changed);
    if (!Object.keys(form).length && !files.length) return { offerId: olds.offerId, creativeIds };
    const offer = await client.updateOffer(id, form, files);
    if (changed.includes("creatives")) creativeIds = (offer?.creatives ?? []).map((x: any) => Number(x.id));
    return { offerId: olds.offerId, ...outputs(offer ?? {}, creativeIds) };
  },
  async delete(id) {
    await AffiseClient.fromSettings().deleteOffer(id);
  },
});

const PAYMENT_DEFAULTS = { countryExclude: false };
const LANDING_DEFAULTS = { type: "landing" };
const CAP_DEFAULTS = { goalType: "all", affiliateType: "all", countryType: "all" };

function withDefaults(list: unknown, defaults: Record<string, unknown>): unknown {
  return Array.isArray(list) ? list.map((x) => (x && typeof x === "object" ? { ...defaults, ...x } : x)) : list;
}

/**
 * The path only locates the bytes: with both content hashes known they are
 * the identity; an imported file creative (no hash) matches by file name.
 */
export function sameCreatives(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b)) return deepEqual(a, b);
  return a.length === b.length && a.every((x: any, i) => {
    const y: any = b[i];
    if (x?.file === undefined || y?.file === undefined) return deepEqual(x, y);
    if (x.contentHash && y.contentHash) return x.contentHash === y.contentHash;
    return path.basename(String(x.file)) === path.basename(String(y.file));
  });
}

/**
 * An Affise offer (`POST /3.0/admin/offer`, urlencoded PHP-bracket form;
 * multipart when a logo or creative file is uploaded). Every field updates
 * in place (`POST /3.0/admin/offer/{id}` with the changed groups, each sent
 * complete); deleting removes the offer (`POST /3.0/admin/offer/delete`).
 * Import with the numeric offer id.
 */
export class Offer extends AdnetResource {
  declare readonly title: pulumi.Output<string>;
  declare readonly advertiser: pulumi.Output<string>;
  declare readonly url: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string | undefined>;
  declare readonly privacy: pulumi.Output<string | undefined>;
  /** Affise's 24-hex `offer_id` (the numeric id is the resource id). */
  declare readonly offerId: pulumi.Output<string>;
  /** Ids of the offer's creatives, in the order of `creatives`. */
  declare readonly creativeIds: pulumi.Output<number[] | undefined>;
  constructor(name: string, args: OfferArgs, opts?: pulumi.CustomResourceOptions) {
    super("affise:Offer", name, { ...args, offerId: undefined, creativeIds: undefined }, opts);
  }
}
