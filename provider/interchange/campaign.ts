import * as pulumi from "@pulumi/pulumi";
import * as countries from "i18n-iso-countries";
import { AdnetResource } from "../core/reference";
import { defineResource, deepEqual } from "../core/resource";
import { newestUnowned } from "../core/recover";
import { Checker, isRfc3339, isUnknown, isIsoDate } from "../core/validate";
import { ApiError, PartialCreateError } from "../core/errors";
import { CampaignAction, InterchangeClient } from "./client";
import {
  CAMPAIGN_TYPES, CONSTRAINT_WIRE, CURRENCY, DESIRED_STATUSES, DEVICE_PLATFORMS, DEVICE_TYPES, FREQUENCY_CAP_UNITS,
  GOAL_KINDS, MAX_BRIEF, MAX_NAME, MAX_PACING_PERIODS, MAX_SAFE_ID, MAX_STOREFRONTS, METRO_SYSTEMS, OPTIMIZATION_APPLY_MODES,
  PACING, PACING_PERIOD_MODES, POSTAL_SYSTEMS,
} from "./constants";

export interface FlightDatesArgs {
  /** RFC 3339 date-time, e.g. "2025-01-15T00:00:00Z". */
  startDate: pulumi.Input<string>;
  /** RFC 3339 date-time after startDate, e.g. "2025-03-31T23:59:59Z". */
  endDate: pulumi.Input<string>;
}

export interface BudgetArgs {
  /** Total budget in major units of the currency (e.g. 5000 = $5,000), > 0. Changes in place. */
  total: pulumi.Input<number>;
  /** ISO 4217 code, default "USD"; must be the advertiser's currency. Changing it replaces the campaign. */
  currency?: pulumi.Input<string>;
  /** Daily spend cap in the same units, > 0 and at most `total`. */
  dailyCap?: pulumi.Input<number>;
  /** "EVEN" (default), "ASAP" or "FRONTLOADED". */
  pacing?: pulumi.Input<"EVEN" | "ASAP" | "FRONTLOADED">;
}

export interface GeoAreaArgs {
  /** Classification system, e.g. "nielsen_dma" for metros or "us_zip" for postal areas. */
  system: pulumi.Input<string>;
  /** Codes within the system, e.g. ["501", "803"]. */
  values: pulumi.Input<pulumi.Input<string>[]>;
}

export interface ConstraintsArgs {
  /** Channels, e.g. ["display", "olv"]. */
  channels?: pulumi.Input<pulumi.Input<string>[]>;
  /** ISO 3166-1 alpha-2 countries to target, e.g. ["US", "CA"]. */
  geoCountries?: pulumi.Input<pulumi.Input<string>[]>;
  /** ISO 3166-1 alpha-2 countries to exclude. */
  geoCountriesExclude?: pulumi.Input<pulumi.Input<string>[]>;
  /** ISO 3166-2 regions to target, e.g. ["US-CA"]. */
  geoRegions?: pulumi.Input<pulumi.Input<string>[]>;
  /** ISO 3166-2 regions to exclude. */
  geoRegionsExclude?: pulumi.Input<pulumi.Input<string>[]>;
  /** Metro areas to target (systems nielsen_dma, uk_itl1, uk_itl2, eurostat_nuts2, custom). */
  geoMetros?: pulumi.Input<pulumi.Input<GeoAreaArgs>[]>;
  /** Metro areas to exclude. */
  geoMetrosExclude?: pulumi.Input<pulumi.Input<GeoAreaArgs>[]>;
  /** Postal areas to target (systems us_zip, gb_outward, de_plz, ...). */
  geoPostalAreas?: pulumi.Input<pulumi.Input<GeoAreaArgs>[]>;
  /** Postal areas to exclude. */
  geoPostalAreasExclude?: pulumi.Input<pulumi.Input<GeoAreaArgs>[]>;
  /** Languages, e.g. ["en"]. */
  language?: pulumi.Input<pulumi.Input<string>[]>;
  /** Device types: desktop, mobile, tablet, ctv, dooh, unknown. */
  deviceType?: pulumi.Input<pulumi.Input<string>[]>;
  /** Device types to exclude. */
  deviceTypeExclude?: pulumi.Input<pulumi.Input<string>[]>;
  /** Platforms: ios, android, windows, macos, linux, chromeos, tvos, tizen, webos, fire_os, roku_os, unknown. */
  devicePlatform?: pulumi.Input<pulumi.Input<string>[]>;
}

export interface PacingPeriodArgs {
  /** 1-100 characters. */
  label: pulumi.Input<string>;
  /** First day, YYYY-MM-DD. */
  start: pulumi.Input<string>;
  /** Last day, YYYY-MM-DD, on or after start. */
  end: pulumi.Input<string>;
  /** Weight 0-10 (required in "weight" mode). */
  weight?: pulumi.Input<number>;
  /** Budget >= 0 (required in "budget" mode). */
  budget?: pulumi.Input<number>;
}

export interface PacingPeriodsArgs {
  /** "weight" (budget split by weighted days) or "budget" (explicit amounts). */
  mode: pulumi.Input<"weight" | "budget">;
  /** 1-52 periods; gaps between them are pauses. */
  periods: pulumi.Input<pulumi.Input<PacingPeriodArgs>[]>;
}

export interface FrequencyCapArgs {
  /** Impressions per window, a whole number >= 1. */
  maxImpressions: pulumi.Input<number>;
  /** The window: interval >= 1 in seconds, minutes, hours, days, or "campaign". */
  window: pulumi.Input<{ interval: pulumi.Input<number>; unit: pulumi.Input<string> }>;
}

export interface CampaignArgs {
  /** Advertiser that owns the campaign (an integer id). Changing it replaces the campaign. */
  advertiserId: pulumi.Input<number>;
  /** Campaign name, 1-255 characters. With advertiserId, the key used to find a campaign whose create response was lost. */
  name: pulumi.Input<string>;
  /** Flight dates (RFC 3339 date-times). */
  flightDates: pulumi.Input<FlightDatesArgs>;
  /** Budget: total, currency, daily cap and pacing. */
  budget: pulumi.Input<BudgetArgs>;
  /** "DECISIONED" (Scope3 optimises) or "ROUTED" (passes through to the sales agent). Immutable: changing it replaces the campaign. */
  campaignType: pulumi.Input<"DECISIONED" | "ROUTED">;
  /**
   * Desired state: "DRAFT" (default), "ACTIVE" or "PAUSED", reached with the
   * execute / pause / reactivate actions. A campaign cannot return to DRAFT,
   * and a new one cannot start PAUSED.
   */
  status?: pulumi.Input<"DRAFT" | "ACTIVE" | "PAUSED">;
  /** Natural-language brief for product search, at most 5000 characters. */
  brief?: pulumi.Input<string>;
  /** Targeting constraints (geography, language, devices, channels). */
  constraints?: pulumi.Input<ConstraintsArgs>;
  /** Storefront ids the campaign sources inventory from (at most 50; order does not matter). */
  storefrontIds?: pulumi.Input<pulumi.Input<number>[]>;
  /** Optimisation goals, in the API's own shape: { optimizationGoals: [{ kind: "event" | "metric", ... }] }. */
  performanceConfig?: pulumi.Input<Record<string, any>>;
  /** "AUTO" or "MANUAL"; omitted, the advertiser's setting applies. */
  optimizationApplyMode?: pulumi.Input<"AUTO" | "MANUAL">;
  /** Time-based spend periods; can only change while the campaign is DRAFT. */
  pacingPeriods?: pulumi.Input<PacingPeriodsArgs>;
  /** Buyer-side frequency caps, enforced across publishers. */
  frequencyCaps?: pulumi.Input<pulumi.Input<FrequencyCapArgs>[]>;
}

const INPUTS = [
  "advertiserId", "name", "flightDates", "budget", "campaignType", "status", "brief", "constraints", "storefrontIds",
  "performanceConfig", "optimizationApplyMode", "pacingPeriods", "frequencyCaps",
] as const;

/** Inputs sent in the create / update body (status is reached through actions), in the seed's order. */
const BODY_KEYS = INPUTS.filter((k) => k !== "status");

/** Value sent to clear a field that was removed from the program ([] is documented for lists; null is [I]). */
const CLEAR: Record<string, unknown> = { storefrontIds: [], frequencyCaps: [], brief: null, constraints: null, performanceConfig: null, pacingPeriods: null };

// ---- wire mapping (the one place input names meet Interchange's) ----

function constraintsToWire(c: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(c)) if (v !== undefined) out[CONSTRAINT_WIRE[k] ?? k] = v;
  return out;
}

function constraintsFromWire(c: Record<string, any> | undefined | null): Record<string, any> | undefined {
  if (!c || typeof c !== "object") return undefined;
  const back = Object.fromEntries(Object.entries(CONSTRAINT_WIRE).map(([a, b]) => [b, a]));
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(c)) if (v !== undefined && v !== null && back[k]) out[back[k]] = v;
  return Object.keys(out).length ? out : undefined;
}

/**
 * The JSON body Interchange expects, from normalised inputs. For an update,
 * `clear` sends the clearing value of a field removed from the program.
 */
export function toWire(inputs: Record<string, any>, keys: readonly string[] = BODY_KEYS, clear = false): Record<string, any> {
  const body: Record<string, any> = {};
  for (const k of keys) {
    const v = inputs[k];
    if (v === undefined) {
      if (clear && k in CLEAR) body[k] = CLEAR[k];
      continue;
    }
    if (k === "constraints") body[k] = constraintsToWire(v);
    else if (k === "frequencyCaps") body[k] = v.map((f: any) => ({ max_impressions: f.maxImpressions, window: f.window }));
    else body[k] = v;
  }
  return body;
}

/** Same instant, written differently (e.g. "...00Z" and "...00.000Z"): keep the program's spelling. */
function sameInstant(remote: unknown, known: unknown): unknown {
  return typeof remote === "string" && typeof known === "string" && Date.parse(remote) === Date.parse(known) ? known : remote;
}

function sameSet(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b)) return deepEqual(a, b);
  return a.length === b.length && [...a].map(String).sort().join("\u0000") === [...b].map(String).sort().join("\u0000");
}

/** Remote campaign -> input-shaped props (what refresh compares with the program). */
export function fromWire(c: Record<string, any>, state: Record<string, any> = {}): Record<string, any> {
  const emptyAs = (list: unknown[] | undefined, known: unknown) => (list && list.length ? list : Array.isArray(known) ? [] : undefined);
  const storefronts: number[] | undefined = Array.isArray(c.storefronts) ? c.storefronts.map((s: any) => Number(s.id)) : Array.isArray(c.storefrontIds) ? c.storefrontIds.map(Number) : undefined;
  const caps = Array.isArray(c.frequencyCaps)
    ? c.frequencyCaps.filter((f: any) => !f.archivedAt).map((f: any) => ({ maxImpressions: f.max_impressions, window: { interval: f.window?.interval, unit: f.window?.unit } }))
    : undefined;
  const b = c.budget ?? {};
  return {
    advertiserId: c.advertiserId === undefined || c.advertiserId === null ? state.advertiserId : Number(c.advertiserId),
    name: c.name,
    flightDates: c.flightDates
      ? { startDate: sameInstant(c.flightDates.startDate, state.flightDates?.startDate), endDate: sameInstant(c.flightDates.endDate, state.flightDates?.endDate) }
      : undefined,
    budget: { total: b.total, currency: b.currency ?? "USD", dailyCap: b.dailyCap ?? undefined, pacing: b.pacing ?? state.budget?.pacing },
    // Newer API snapshots dropped campaignType from responses: keep the known value rather than report a perpetual diff.
    campaignType: c.campaignType ?? state.campaignType,
    status: c.status,
    brief: c.brief ?? undefined,
    constraints: constraintsFromWire(c.constraints),
    storefrontIds: storefronts && sameSet(storefronts, state.storefrontIds) ? state.storefrontIds : emptyAs(storefronts, state.storefrontIds),
    performanceConfig: c.performanceConfig ?? undefined,
    optimizationApplyMode: c.optimizationApplyMode ?? undefined,
    pacingPeriods: c.pacingPeriods ?? undefined,
    frequencyCaps: emptyAs(caps, state.frequencyCaps),
    // Outputs beyond the inputs.
    campaignId: c.campaignId,
    createdAt: c.createdAt,
  };
}

// ---- status: desired state reached through actions ----

/** The action that moves a campaign from `from` towards `to`, if any. */
export function actionFor(from: string | undefined, to: string): CampaignAction | undefined {
  if (from === to) return undefined;
  if (to === "ACTIVE") return from === "PAUSED" ? "reactivate" : "execute";
  if (to === "PAUSED") return "pause";
  return undefined; // DRAFT is never a target of a transition (check rejects it)
}

/**
 * Runs one action. A 409 after a replayed request (lost response) is fine if
 * the campaign is already where we wanted it; otherwise the network's 409
 * message is the error.
 */
async function runAction(client: InterchangeClient, id: string, action: CampaignAction, target: string): Promise<void> {
  try {
    await client.action(id, action);
  } catch (e) {
    if (e instanceof ApiError && e.status === 409 && e.attempts > 1) {
      const now = await client.getCampaign(id).catch(() => undefined);
      if (now?.status === target) return;
    }
    throw e;
  }
}

// ---- check ----

function checkStrings(c: Checker, field: string, v: unknown, each?: (p: string, s: string) => void) {
  if (!c.array(field, v)) return;
  (v as unknown[]).forEach((s, i) => {
    const p = `${field}[${i}]`;
    c.string(p, s, { required: true, min: 1 });
    if (typeof s === "string" && !isUnknown(s) && each) each(p, s);
  });
}

function checkAreas(c: Checker, field: string, v: unknown, systems: readonly string[]) {
  if (!c.array(field, v)) return;
  (v as any[]).forEach((a, i) => {
    const p = `${field}[${i}]`;
    if (!c.object(p, a, { required: true })) return;
    c.knownKeys(p, a, ["system", "values"]);
    c.oneOf(`${p}.system`, a.system, systems, { required: true });
    checkStrings(c, `${p}.values`, a.values);
    c.required(`${p}.values`, a.values);
  });
}

function checkConstraints(c: Checker, v: unknown) {
  if (!c.object("constraints", v)) return;
  const k = v as Record<string, any>;
  c.knownKeys("constraints", k, Object.keys(CONSTRAINT_WIRE));
  checkStrings(c, "constraints.channels", k.channels);
  checkStrings(c, "constraints.language", k.language);
  for (const f of ["geoCountries", "geoCountriesExclude"]) {
    checkStrings(c, `constraints.${f}`, k[f], (p, s) => {
      if (!/^[A-Z]{2}$/.test(s) || !countries.isValid(s)) c.fail(p, `${p} must be an ISO 3166-1 alpha-2 country code such as "US" or "GB"; got ${JSON.stringify(s)}`);
    });
  }
  for (const f of ["geoRegions", "geoRegionsExclude"]) {
    checkStrings(c, `constraints.${f}`, k[f], (p, s) => {
      if (!/^[A-Z]{2}-[A-Z0-9]{1,3}$/.test(s)) c.fail(p, `${p} must be an ISO 3166-2 region code such as "US-CA"; got ${JSON.stringify(s)}`);
    });
  }
  checkAreas(c, "constraints.geoMetros", k.geoMetros, METRO_SYSTEMS);
  checkAreas(c, "constraints.geoMetrosExclude", k.geoMetrosExclude, METRO_SYSTEMS);
  checkAreas(c, "constraints.geoPostalAreas", k.geoPostalAreas, POSTAL_SYSTEMS);
  checkAreas(c, "constraints.geoPostalAreasExclude", k.geoPostalAreasExclude, POSTAL_SYSTEMS);
  for (const f of ["deviceType", "deviceTypeExclude"]) {
    if (c.array(`constraints.${f}`, k[f])) k[f].forEach((s: unknown, i: number) => c.oneOf(`constraints.${f}[${i}]`, s, DEVICE_TYPES, { required: true }));
  }
  if (c.array("constraints.devicePlatform", k.devicePlatform)) k.devicePlatform.forEach((s: unknown, i: number) => c.oneOf(`constraints.devicePlatform[${i}]`, s, DEVICE_PLATFORMS, { required: true }));
}

function checkPerformance(c: Checker, v: unknown) {
  if (!c.object("performanceConfig", v)) return;
  const goals = (v as any).optimizationGoals;
  if (!c.array("performanceConfig.optimizationGoals", goals, { required: true, min: 1 })) return;
  (goals as any[]).forEach((g, i) => {
    const p = `performanceConfig.optimizationGoals[${i}]`;
    if (!c.object(p, g, { required: true })) return;
    c.oneOf(`${p}.kind`, g.kind, GOAL_KINDS, { required: true });
    if (g.kind === "event" && c.array(`${p}.eventSources`, g.eventSources, { required: true, min: 1 })) {
      g.eventSources.forEach((s: any, j: number) => {
        if (!c.object(`${p}.eventSources[${j}]`, s, { required: true })) return;
        c.string(`${p}.eventSources[${j}].eventSourceId`, s.eventSourceId, { required: true, min: 1 });
        c.string(`${p}.eventSources[${j}].eventType`, s.eventType, { required: true, min: 1 });
      });
    }
    if (g.kind === "metric") c.string(`${p}.metric`, g.metric, { required: true, min: 1 });
    c.number(`${p}.priority`, g.priority, { integer: true, min: 1 });
  });
}

function checkPacingPeriods(c: Checker, v: unknown) {
  if (!c.object("pacingPeriods", v)) return;
  const pp = v as any;
  c.knownKeys("pacingPeriods", pp, ["mode", "periods"]);
  c.oneOf("pacingPeriods.mode", pp.mode, PACING_PERIOD_MODES, { required: true });
  if (!c.array("pacingPeriods.periods", pp.periods, { required: true, min: 1, max: MAX_PACING_PERIODS })) return;
  (pp.periods as any[]).forEach((x, i) => {
    const p = `pacingPeriods.periods[${i}]`;
    if (!c.object(p, x, { required: true })) return;
    c.knownKeys(p, x, ["label", "start", "end", "weight", "budget"]);
    c.string(`${p}.label`, x.label, { required: true, min: 1, max: 100 });
    c.date(`${p}.start`, x.start, { required: true });
    c.date(`${p}.end`, x.end, { required: true });
    if (typeof x.start === "string" && typeof x.end === "string" && isIsoDate(x.start) && isIsoDate(x.end) && x.end < x.start) c.fail(`${p}.end`, `${p}.end must be on or after ${p}.start (${x.start}); got ${x.end}`);
    c.number(`${p}.weight`, x.weight, { required: pp.mode === "weight", min: 0, max: 10 });
    c.number(`${p}.budget`, x.budget, { required: pp.mode === "budget", min: 0 });
  });
}

function checkFrequencyCaps(c: Checker, v: unknown) {
  if (!c.array("frequencyCaps", v)) return;
  (v as any[]).forEach((f, i) => {
    const p = `frequencyCaps[${i}]`;
    if (!c.object(p, f, { required: true })) return;
    c.knownKeys(p, f, ["maxImpressions", "window"]);
    c.number(`${p}.maxImpressions`, f.maxImpressions, { required: true, integer: true, min: 1, max: MAX_SAFE_ID });
    if (c.object(`${p}.window`, f.window, { required: true })) {
      c.knownKeys(`${p}.window`, f.window, ["interval", "unit"]);
      c.number(`${p}.window.interval`, f.window.interval, { required: true, min: 1 });
      c.oneOf(`${p}.window.unit`, f.window.unit, FREQUENCY_CAP_UNITS, { required: true });
    }
  });
}

export const provider = defineResource({
  module: "interchange",
  type: "Campaign",
  inputs: INPUTS,
  replaceOn: ["advertiserId", "campaignType", "budget.currency"],
  optionalServerDefaults: ["optimizationApplyMode"],
  equal: { storefrontIds: sameSet },
  check(n, c, olds) {
    const out: Record<string, any> = { ...n, status: n.status ?? "DRAFT" };
    // An id from config arrives as a string; the API wants an integer.
    if (typeof n.advertiserId === "string" && /^\d+$/.test(n.advertiserId)) out.advertiserId = Number(n.advertiserId);
    c.number("advertiserId", out.advertiserId, { required: true, integer: true, min: 1, max: MAX_SAFE_ID });
    c.string("name", n.name, { required: true, min: 1, max: MAX_NAME });
    if (c.object("flightDates", n.flightDates, { required: true })) {
      const f = n.flightDates;
      c.knownKeys("flightDates", f, ["startDate", "endDate"]);
      c.dateTime("flightDates.startDate", f.startDate, { required: true });
      c.dateTime("flightDates.endDate", f.endDate, { required: true });
      if (typeof f.startDate === "string" && typeof f.endDate === "string" && isRfc3339(f.startDate) && isRfc3339(f.endDate) && Date.parse(f.endDate) <= Date.parse(f.startDate)) {
        c.fail("flightDates.endDate", `flightDates.endDate must be after flightDates.startDate (${f.startDate}); got ${f.endDate}`);
      }
    }
    if (c.object("budget", n.budget, { required: true })) {
      const b = n.budget;
      c.knownKeys("budget", b, ["total", "currency", "dailyCap", "pacing"]);
      out.budget = { ...b, currency: b.currency ?? "USD", pacing: b.pacing ?? "EVEN" };
      c.number("budget.total", b.total, { required: true, exclusiveMin: 0 });
      c.string("budget.currency", out.budget.currency, { pattern: CURRENCY, patternHint: "a 3-letter ISO 4217 code in capitals such as \"USD\" or \"EUR\"" });
      c.number("budget.dailyCap", b.dailyCap, { exclusiveMin: 0 });
      if (typeof b.dailyCap === "number" && typeof b.total === "number" && b.dailyCap > b.total) c.fail("budget.dailyCap", `budget.dailyCap must be at most budget.total (${b.total}); got ${b.dailyCap}`);
      c.oneOf("budget.pacing", out.budget.pacing, PACING);
    }
    c.oneOf("campaignType", n.campaignType, CAMPAIGN_TYPES, { required: true });
    c.oneOf("status", out.status, DESIRED_STATUSES);
    if (!isUnknown(out.status)) {
      if (out.status === "DRAFT" && (olds.status === "ACTIVE" || olds.status === "PAUSED")) {
        c.fail("status", `status cannot go back to "DRAFT" from ${JSON.stringify(olds.status)}: Interchange has no action for that (use "PAUSED" to stop delivery)`);
      }
      if (out.status === "PAUSED" && olds.status === undefined) {
        c.fail("status", `a new campaign cannot start "PAUSED" (Interchange pauses only ACTIVE campaigns); declare "DRAFT" or "ACTIVE"`);
      }
    }
    c.string("brief", n.brief, { max: MAX_BRIEF });
    checkConstraints(c, n.constraints);
    if (c.array("storefrontIds", n.storefrontIds, { max: MAX_STOREFRONTS })) n.storefrontIds.forEach((s: unknown, i: number) => c.number(`storefrontIds[${i}]`, s, { required: true, integer: true, min: 1, max: MAX_SAFE_ID }));
    checkPerformance(c, n.performanceConfig);
    c.oneOf("optimizationApplyMode", n.optimizationApplyMode, OPTIMIZATION_APPLY_MODES);
    checkPacingPeriods(c, n.pacingPeriods);
    checkFrequencyCaps(c, n.frequencyCaps);
    return out;
  },
  async find(inputs, exclude) {
    const same = await InterchangeClient.fromSettings().campaignsNamed(inputs.advertiserId, inputs.name);
    return newestUnowned(same, (c: any) => String(c.campaignId), exclude);
  },
  async create(inputs) {
    const client = InterchangeClient.fromSettings();
    const created = await client.createCampaign(toWire(inputs));
    const id = String(created.campaignId);
    const status = String(created.status ?? "DRAFT");
    try {
      if (status === "DRAFT" && inputs.status === "PAUSED") {
        // Only reachable through a replacement of a paused campaign.
        await runAction(client, id, "execute", "ACTIVE");
        await runAction(client, id, "pause", "PAUSED");
      } else {
        const action = actionFor(status, inputs.status);
        if (action) await runAction(client, id, action, inputs.status);
      }
    } catch (e: any) {
      // The campaign exists: record it (as it is) so the next `up` finishes the job.
      const now = await client.getCampaign(id).catch(() => created);
      throw new PartialCreateError(id, { ...inputs, status: now?.status ?? status, campaignId: id, createdAt: created.createdAt }, e);
    }
    return { id, outs: { campaignId: id, createdAt: created.createdAt } };
  },
  async read(id, state) {
    const c = await InterchangeClient.fromSettings().getCampaign(id);
    // Deleting archives a campaign; an archived campaign is gone for Pulumi.
    if (!c || c.status === "ARCHIVED") return undefined;
    return fromWire(c, state);
  },
  async update(id, olds, news, changed) {
    const client = InterchangeClient.fromSettings();
    const fields = changed.filter((k) => k !== "status");
    // Fields first (pacingPeriods may only change while DRAFT), then the status action.
    if (fields.length) await client.updateCampaign(id, toWire(news, fields, true));
    if (changed.includes("status")) {
      const action = actionFor(olds.status, news.status);
      if (action) await runAction(client, id, action, news.status);
    }
    return {};
  },
  async delete(id) {
    const client = InterchangeClient.fromSettings();
    try {
      await client.deleteCampaign(id);
    } catch (e) {
      // Already archived (e.g. a replayed DELETE) counts as deleted.
      if (e instanceof ApiError && e.status === 409 && (await client.getCampaign(id).catch(() => undefined))?.status === "ARCHIVED") return;
      throw e;
    }
  },
});

/**
 * An Interchange (Scope3) buyer campaign (`POST /campaigns`). Name, flight
 * dates, budget, brief, targeting and the rest update in place (`PUT`);
 * advertiser, campaign type and currency replace it. `status` is desired
 * state reached with execute / pause / reactivate. Deleting archives it.
 */
export class Campaign extends AdnetResource {
  declare readonly campaignId: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly advertiserId: pulumi.Output<number>;
  declare readonly name: pulumi.Output<string>;
  declare readonly status: pulumi.Output<"DRAFT" | "ACTIVE" | "PAUSED">;
  declare readonly campaignType: pulumi.Output<"DECISIONED" | "ROUTED">;
  declare readonly budget: pulumi.Output<{ total: number; currency: string; dailyCap?: number; pacing: string }>;
  declare readonly flightDates: pulumi.Output<{ startDate: string; endDate: string }>;
  constructor(name: string, args: CampaignArgs, opts?: pulumi.CustomResourceOptions) {
    super("interchange:Campaign", name, { campaignId: undefined, createdAt: undefined, ...args }, opts);
  }
}
