import type { ResourceDef } from "../core/schema/define";
import { clean } from "../core/schema/clean";
import { accountField } from "../core/config/account";
import { toWireAmount } from "../core/money/money";
import { deepEqual, f, Fields, fromWire, inputNames, InputsOf, StateOf, toWire, WireOf } from "../core/schema/schema";
import { newestUnowned } from "../core/http/recover";
import { PartialCreateError } from "../core/http/errors";
import { Checker, isRfc3339, isUnknown } from "../core/schema/validate";
import type { TopsortClient } from "./client";
import {
  AD_FORMATS, AUTOBIDDING_OBJECTIVES, BUDGET_TYPES, CAMPAIGN_TYPES, CHARGE_TYPES, DEFAULT_CHARGE_TYPE, DEVICE_TYPES, MAX_AMOUNT_EXCLUSIVE,
  MAX_ASSETS, MAX_BIDS, MAX_EXCLUSION_SEGMENTS, MAX_RESTRICTIONS, MAX_TARGETING_SEGMENTS, MAX_URL, MULTIPLIER, REVIEW_STATUSES,
  SEGMENT_TYPES, SLOT_ID, TARGET_ROAS, TARGET_TYPES, UUID,
} from "./constants";

// ---- fields: every input and output, declared once ----

/** Same instant written differently (2026-03-01T00:00:00Z = 2026-03-01T01:00:00+01:00): no drift, the program's spelling stays. */
function sameInstant(a: unknown, b: unknown): boolean {
  if (typeof a === "string" && typeof b === "string") return a === b || (isRfc3339(a) && isRfc3339(b) && Date.parse(a) === Date.parse(b));
  return deepEqual(a, b);
}

const MONEY = "the marketplace's currency (`adnetworks:currencies`, default USD)";

export const budgetFields = {
  amount: f.integer({
    required: true, min: 0, exclusiveMax: MAX_AMOUNT_EXCLUSIVE, spend: "budget", money: "minor", plausibleMax: 10_000, example: 1500,
    doc: `Budget for one period of \`budget.type\`, in ${MONEY}, e.g. 1500 (1,500.00); Topsort takes it in minor units, below 2,000,000,000 of them. Changes in place.`,
  }),
  type: f.enum(BUDGET_TYPES, {
    required: true, spend: "budgetPeriod",
    meanings: { daily: "per day", weekly: "per week", monthly: "per month", total: "once, for the whole run" },
    doc: "The period `amount` covers: \"daily\", \"weekly\", \"monthly\" (the amount per day, week or month) or \"total\" (the amount once, for the whole run " +
      "from startDate to endDate). A non-daily budget caps its period, not each day (one day may use much of a weekly or monthly amount, inferred); " +
      "as a daily rate it counts as amount / 7 (weekly), amount / 30 (monthly) or amount / the campaign's days (total). " +
      "Topsort may carry an unspent amount into the next period (`amountCarryover`, read-only, not managed here). Changes in place.",
  }),
} satisfies Fields;

export const bidTargetFields = {
  id: f.string({ required: true, min: 1, doc: "The id of the product (or vendor) in the marketplace's catalogue, e.g. \"sku-1\"." }),
  type: f.enum(TARGET_TYPES, {
    default: "product",
    doc: "\"product\" (default) or \"vendor\" (\"promoted shop\" campaigns, inferred).",
  }),
} satisfies Fields;

export const bidFields = {
  amount: f.integer({
    required: true, min: 1, exclusiveMax: MAX_AMOUNT_EXCLUSIVE, spend: "bid", money: "minor", plausibleMax: 20, example: 2.5,
    doc: `Bid per click (CPC), per thousand impressions (CPM) or per action (CPA), in ${MONEY}, e.g. 2.5 (2.50); at least one minor unit (0.01 USD). Changes in place (a PATCH on the bid endpoint).`,
  }),
  target: f.object(bidTargetFields, {
    required: true,
    doc: "What the bid is for. With the trigger it identifies the bid: a new target creates a bid, a removed one deletes it, a target may be bid on once.",
  }),
  trigger: f.json({ doc: "Optional trigger in Topsort's own shape, e.g. { type: \"keyword\", value: { words: [\"shoes\"], matchType: \"exact\" } }. Part of the bid's identity." }),
  location: f.json({ doc: "Optional location the bid applies to (then also sent on auction requests). Changes in place." }),
} satisfies Fields;

export const bannerAssetFields = {
  url: f.url({ required: true, max: MAX_URL, doc: `Absolute http(s) URL of the asset, with a host, at most ${MAX_URL} characters.` }),
  contentType: f.string({ required: true, min: 1, pattern: /^[\w.+-]+\/[\w.+-]+$/, patternHint: "a MIME type such as \"image/png\"", doc: "MIME type of the asset, e.g. \"image/png\"." }),
  width: f.integer({ required: true, min: 1, doc: "Width in pixels, a whole number from 1." }),
  height: f.integer({ required: true, min: 1, doc: "Height in pixels, a whole number from 1." }),
  size: f.integer({ required: true, min: 0, doc: "File size in bytes, a whole number from 0." }),
} satisfies Fields;

export const bannerFields = {
  slotId: f.string({ required: true, min: 1, pattern: SLOT_ID, patternHint: "letters, digits and punctuation without spaces", doc: "The marketplace's external slot id, e.g. \"home-top\"." }),
  deviceType: f.enum(DEVICE_TYPES, { doc: "\"desktop\" or \"mobile\"; omitted, the banner serves on both." }),
  assets: f.list(f.object(bannerAssetFields, { doc: "A banner file: where it is, its type, dimensions and size." }), {
    required: true, min: 1, max: MAX_ASSETS,
    doc: `The banner's files, at least 1 (Topsort) and at most ${MAX_ASSETS} (a cap of this package; Topsort documents none).`,
  }),
} satisfies Fields;

/**
 * An audience segment. The Segments API names segments by string ids (e.g.
 * "DFJ9R4", also in the targeting changelog); the campaign reference's
 * examples show numbers: either is accepted and kept as its string.
 */
const segmentFields = {
  type: f.enum(SEGMENT_TYPES, { default: "user_segment", doc: "The segment kind: \"user_segment\" (default; the only kind Topsort documents)." }),
  segmentId: f.string({
    required: true, min: 1, coerce: (v: unknown) => (typeof v === "number" ? String(v) : v),
    doc: "The segment's id (Segments API), e.g. \"DFJ9R4\"; a number is taken as its string.",
  }),
} satisfies Fields;
const segmentKey = (x: { type?: unknown; segmentId?: unknown }) => `${x.type ?? "user_segment"}:${x.segmentId}`;
const segments = (what: string, max: number, wire: string, limitDoc: string) => f.list(f.object(segmentFields, { doc: "An audience segment." }), {
  required: true, min: 1, max, unique: segmentKey, uniqueBy: "segment", unordered: true, wire,
  doc: `Segments ${what}, 1 to ${max} (${limitDoc}), each once, order ignored (sent as \`${wire}\`).`,
});
const activeFlag = (what: string) => f.boolean({ default: true, doc: `Whether the ${what} applies (default true).` });

export const restrictionFields = {
  restrictionTypeId: f.integer({
    required: true, min: 1,
    doc: "The restriction type (the marketplace's restriction types: an interaction — impressions, clicks, conversions — counted per day, week or month, per campaign or per bid), e.g. 1.",
  }),
  limit: f.integer({ required: true, min: 1, doc: "At most this many interactions of the type per its period, a whole number from 1." }),
} satisfies Fields;

/** A bid's identity: its target and trigger. */
export function bidKey(b: { target?: { id?: unknown; type?: unknown }; trigger?: unknown } | undefined): string {
  const t = b?.target ?? {};
  return `${t.type ?? "product"}:${t.id}|${b?.trigger ? stable(b.trigger) : ""}`;
}

function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`;
  if (v && typeof v === "object") return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`).join(",")}}`;
  return JSON.stringify(v);
}

/**
 * Declaration order is the create body's order on the wire. `vendorId` goes
 * in the query, `banner` in every bid's `formatProperties`.
 */
export const fields = {
  account: accountField,
  vendorId: f.string({
    required: true, min: 1, replaceOnChange: true, naturalKey: true, wire: false,
    doc: "The vendor that owns the campaign (sent as `?vendor_id=` on create). Changing it replaces the campaign.",
  }),
  name: f.string({
    required: true, min: 1, naturalKey: true,
    doc: "Campaign name, at least 1 character and not only spaces. With vendorId, adFormat (and externalCampaignId when given), the key that finds a campaign whose create response was lost. Changes in place.",
  }),
  adFormat: f.enum(AD_FORMATS, {
    required: true, replaceOnChange: true, naturalKey: true,
    doc: "\"listing\" (sponsored products in the marketplace's listings) or \"banner\" (banner ads in the marketplace's slots). Changing it replaces the campaign.",
  }),
  campaignType: f.enum(CAMPAIGN_TYPES, {
    default: "manual",
    doc: "\"manual\" (default: your bids), \"autobidding\" (Topsort sets the bids) or \"exclusive\" (banner only). May change in place only to \"autobidding\"; any other change replaces the campaign.",
  }),
  chargeType: f.enum(CHARGE_TYPES, {
    replaceOnChange: true,
    doc: "\"CPC\" (per click; listing default), \"CPM\" (per thousand impressions; banner default) or \"CPA\" (per action; listing with a total budget). Changing it replaces the campaign.",
  }),
  budget: f.object(budgetFields, { required: true, doc: "Budget: an amount and the period it covers, e.g. { amount: 1500, type: \"daily\" } (1,500.00 a day)." }),
  startDate: f.dateTime({
    required: true, equal: sameInstant,
    doc: "RFC 3339 date-time with a zone, e.g. \"2026-03-01T00:00:00Z\". Changes in place; Topsort moves a start date in the past sent on update to now.",
  }),
  endDate: f.dateTime({ required: true, equal: sameInstant, doc: "RFC 3339 date-time with a zone, after startDate. Changes in place." }),
  isActive: f.boolean({
    default: true, spend: "status", running: [true],
    doc: "Whether the campaign is active (default true); an active campaign serves (and spends) once startDate has passed. Changes in place.",
  }),
  bids: f.list(f.object(bidFields, { doc: "A bid on a target." }), {
    required: true, min: 1, max: MAX_BIDS, unique: bidKey, uniqueBy: "target (with its trigger)",
    doc: `At least 1 bid and at most ${MAX_BIDS} (a cap of this package; Topsort documents none). Managed through the campaign's bid endpoints: ` +
      "a changed amount or location is a bid PATCH, a new target a bid POST, a removed one a bid DELETE (new before old, so the campaign always has a bid).",
  }),
  banner: f.object(bannerFields, {
    wire: false,
    doc: "Banner creative: required for banner campaigns, not allowed for listing ones. Sent as every bid's `formatProperties` (assets as `bannerAssets`, width and height as `dimensions`); changes in place through the bids.",
  }),
  targetRoas: f.number({ min: TARGET_ROAS.min, max: TARGET_ROAS.max, doc: "Target return on ad spend, 0.5 to 20; only for autobidding listing campaigns. Changes in place (removing it sends null, inferred)." }),
  walletId: f.string({
    pattern: UUID, patternHint: "a uuid such as \"3fa85f64-5717-4562-b3fc-2c963f66afa6\"", replaceOnChange: true, serverDefault: true,
    doc: "Wallet (uuid) paying for the campaign; omitted, the vendor's default wallet (read back as an output, not drift). Changing it replaces the campaign.",
  }),
  externalCampaignId: f.string({ min: 1, naturalKey: true, doc: "Your own id for the campaign, unique per marketplace and ad format. Changes in place." }),
  isAutoTrigger: f.boolean({
    serverDefault: true,
    doc: "Whether the campaign is auto-triggered (Topsort chooses the keyword triggers of its bids). Topsort's default is false. Changes in place.",
  }),
  autobiddingObjective: f.enum(AUTOBIDDING_OBJECTIVES, {
    doc: "The goal Topsort's bidding optimises: \"impressions\", \"clicks\", \"conversions\" or \"revenue\"; only for autobidding campaigns (for banners instead of targetRoas). Changes in place (removing it sends null, inferred).",
  }),
  targetingFilters: f.object({
    isActive: activeFlag("targeting"),
    segments: segments("the campaign participates for (and for no other segment)", MAX_TARGETING_SEGMENTS, "targetingFilters", "Topsort: up to three, OR logic"),
  }, { doc: "Audience targeting: the campaign serves only to users of these segments. Changes in place (removing it sends null, inferred)." }),
  exclusionFilters: f.object({
    isActive: activeFlag("exclusion"),
    segments: segments("the campaign does not target", MAX_EXCLUSION_SEGMENTS, "exclusionFilters", "a cap of this package; Topsort documents none"),
  }, { doc: "Audience exclusion: users of these segments are not targeted (e.g. recent purchasers). Changes in place (removing it sends null, inferred)." }),
  multiplierConfig: f.object({
    isActive: activeFlag("multipliers"),
    multipliers: f.list(f.object({
      ...segmentFields,
      multiplier: f.number({ required: true, min: MULTIPLIER.min, max: MULTIPLIER.max, doc: "The bid is multiplied by this for users of the segment, 1.0 to 5.0." }),
    }, { doc: "A bid multiplier for a segment." }), {
      required: true, min: 1, max: MAX_TARGETING_SEGMENTS, unique: segmentKey, uniqueBy: "segment", unordered: true,
      doc: "Bid multipliers, 1 to 3 segments (Topsort: up to three), each segment once, order ignored.",
    }),
  }, { doc: "Bid multipliers per audience segment (bids boosted 1.0x to 5.0x for those users). Changes in place (removing it sends null, inferred)." }),
  restrictions: f.list(f.object(restrictionFields, { doc: "A frequency cap: at most `limit` interactions of a restriction type." }), {
    max: MAX_RESTRICTIONS, wire: false, unique: (x: { restrictionTypeId?: unknown }) => String(x.restrictionTypeId), uniqueBy: "restrictionTypeId", unordered: true,
    doc: "Frequency caps through the campaign's restriction endpoints (`POST .../restrictions`; a changed limit and a removed cap are a PATCH of the restriction, inferred: Topsort has no restriction DELETE, a removed cap is set inactive). Each restriction type once, at most 20 (a cap of this package).",
  }),
  campaignId: f.string({ output: true, doc: "The campaign's uuid (also the resource id and the import id)." }),
  status: f.enum(REVIEW_STATUSES, { output: true, doc: "Banner review status: \"approved\", \"pending\" or \"rejected\" (listings are approved)." }),
  marketplaceId: f.string({ output: true, doc: "The marketplace's uuid." }),
  createdAt: f.dateTime({ output: true, doc: "When Topsort created the campaign." }),
} satisfies Fields;

export type CampaignFields = typeof fields;
type Inputs = InputsOf<CampaignFields>;
type Bid = InputsOf<typeof bidFields>;
type Banner = InputsOf<typeof bannerFields>;

/** A banner as Topsort takes and answers it (`formatProperties` of a bid, `promotionType` of a campaign). */
export interface BannerWire {
  adFormat: string;
  bannerAssets?: Array<{ url: string; contentType: string; dimensions?: { width?: number; height?: number }; size: number }>;
  slotId?: string;
  deviceType?: Banner["deviceType"];
}
/** A bid as Topsort answers it: the declared wire fields (bidFields) plus its id. */
export type BidWire = WireOf<typeof bidFields> & { bidId?: string; formatProperties?: BannerWire };
/** A campaign as Topsort answers it: the declared wire fields plus what it keeps. */
export type CampaignWire = WireOf<CampaignFields> & {
  vendorId?: string;
  externalVendorId?: string;
  walletId?: string;
  promotionType?: BannerWire | null;
  bids?: BidWire[];
};

/** The shapes the network's client moves (topsort/network.ts makes it with them). */
export interface TopsortObjects {
  campaign: CampaignWire;
  bid: BidWire;
  restriction: RestrictionWire;
}
/** The client as this network's resources get it. */
export type Client = TopsortClient<TopsortObjects>;

/** Fields Topsort's PATCH accepts (the rest replace, or go through the bid endpoints). */
const PATCHABLE = [
  "name", "budget", "startDate", "endDate", "isActive", "targetRoas", "campaignType", "externalCampaignId",
  "isAutoTrigger", "autobiddingObjective", "targetingFilters", "exclusionFilters", "multiplierConfig",
];

// ---- wire mapping beyond the generic one: banner and bids ----

function bannerToWire(b: Banner): BannerWire {
  return {
    adFormat: "banner",
    bannerAssets: b.assets.map((a) => ({ url: a.url, contentType: a.contentType, dimensions: { width: a.width, height: a.height }, size: a.size })),
    slotId: b.slotId,
    ...(b.deviceType !== undefined ? { deviceType: b.deviceType } : {}),
  };
}

function bannerFromWire(p: BannerWire | undefined | null): Banner | undefined {
  if (!p || p.adFormat !== "banner") return undefined;
  return {
    slotId: String(p.slotId),
    ...(p.deviceType ? { deviceType: p.deviceType } : {}),
    assets: (p.bannerAssets ?? []).map((a) => ({ url: a.url, contentType: a.contentType, width: Number(a.dimensions?.width), height: Number(a.dimensions?.height), size: a.size })),
  };
}

/** A bid as Topsort takes it: the declared fields, plus the banner as `formatProperties`. */
export function bidToWire(b: Bid, banner: Banner | undefined, currency?: string): BidWire {
  return { ...toWire(bidFields, b, undefined, { currency }), ...(banner ? { formatProperties: bannerToWire(banner) } : {}) };
}

function bidFromWire(b: BidWire, currency?: string): Bid {
  return { ...(fromWire(bidFields, b, { currency }) as Bid), target: { id: String(b.target?.id), type: b.target?.type ?? "product" } };
}

/** The create body, from checked inputs (vendor_id goes in the query); amounts in the currency's minor units. */
export function createBody(inputs: Inputs, currency?: string): CampaignWire {
  const body: CampaignWire = toWire(fields, inputs, undefined, { currency });
  const banner = inputs.adFormat === "banner" ? inputs.banner : undefined;
  body.bids = inputs.bids.map((b) => bidToWire(b, banner, currency));
  return body;
}

/** The PATCH body for the changed patchable fields; a removed optional field is sent as null [I]. */
export function patchBody(news: Inputs, changed: string[], currency?: string): Record<string, unknown> {
  const keys = PATCHABLE.filter((k) => changed.includes(k));
  const body: Record<string, unknown> = toWire(fields, news, keys, { currency });
  for (const k of keys) if (news[k as keyof Inputs] === undefined) body[k] = null;
  return body;
}

/** Remote bids in the program's order (matched by target), unknown ones after. */
function orderBids(remote: Bid[], known: Bid[] | undefined): Bid[] {
  const order = new Map((known ?? []).map((b, i) => [bidKey(b), i]));
  return remote
    .map((b, i) => ({ b, i, at: order.get(bidKey(b)) ?? Number.MAX_SAFE_INTEGER }))
    .sort((x, y) => x.at - y.at || x.i - y.i)
    .map((x) => x.b);
}

/** A campaign restriction as Topsort answers it (restriction model). */
export interface RestrictionWire {
  id: number;
  limit: number;
  restrictionTypeId?: number;
  restrictionType?: { id?: number; interactionType?: string; frequencyType?: string; level?: string };
  status?: string;
}
type Restriction = InputsOf<typeof restrictionFields>;

/** The active restrictions, as the program declares them. */
function restrictionsFromWire(list: RestrictionWire[]): Restriction[] | undefined {
  const active = list.filter((r) => (r.status ?? "active") === "active").map((r) => ({ restrictionTypeId: Number(r.restrictionType?.id ?? r.restrictionTypeId), limit: Number(r.limit) }));
  return active.length ? active : undefined;
}

/** A campaign (GET or list item), its bids and restrictions, in input shape plus outputs. */
export function stateOf(c: CampaignWire, bids: BidWire[], restrictions: RestrictionWire[], prior?: Partial<StateOf<CampaignFields>>, currency?: string): Partial<StateOf<CampaignFields>> {
  return {
    ...fromWire(fields, c, { currency }),
    vendorId: String(c.vendorId ?? c.externalVendorId),
    bids: orderBids(bids.map((b) => bidFromWire(b, currency)), prior?.bids),
    banner: bannerFromWire(c.promotionType),
    restrictions: restrictionsFromWire(restrictions),
  };
}

/**
 * Makes the campaign's active restrictions equal to `wanted`: a new
 * restriction type is a POST, a changed limit (or an inactive one wanted
 * again) a PATCH, a removed one a PATCH to inactive (Topsort documents no
 * restriction DELETE; the PATCH route and body are inferred).
 */
export async function reconcileRestrictions(client: Client, id: string, wanted: Restriction[]): Promise<void> {
  const remote = await client.listRestrictions(id);
  const typeOf = (r: RestrictionWire) => Number(r.restrictionType?.id ?? r.restrictionTypeId);
  for (const w of wanted) {
    const r = remote.find((x) => typeOf(x) === w.restrictionTypeId);
    if (!r) await client.createRestriction(id, { restrictionTypeId: w.restrictionTypeId, limit: w.limit });
    else if (r.limit !== w.limit || (r.status ?? "active") !== "active") await client.updateRestriction(id, r.id, { limit: w.limit, status: "active" });
  }
  for (const r of remote) {
    if ((r.status ?? "active") === "active" && !wanted.some((w) => w.restrictionTypeId === typeOf(r))) await client.updateRestriction(id, r.id, { status: "inactive" });
  }
}

// ---- bids: a sub-resource reconciled through the bid endpoints ----

/**
 * Makes the campaign's bids equal to `wanted`: PATCH bids whose amount,
 * location (or banner) changed, create the new ones, then delete the
 * removed ones (new before old, so the campaign never has zero bids).
 */
export async function reconcileBids(client: Client, id: string, wanted: Bid[], banner: Banner | undefined, bannerChanged: boolean, currency?: string): Promise<void> {
  const remote = await client.listBids(id);
  const byKey = new Map(remote.map((b) => [bidKey(b), b]));
  const toCreate: BidWire[] = [];
  const keep = new Set<string>();
  for (const w of wanted) {
    const k = bidKey(w);
    const r = byKey.get(k);
    if (!r) {
      toCreate.push(bidToWire(w, banner, currency));
      continue;
    }
    keep.add(k);
    const patch: Record<string, unknown> = {};
    const amount = toWireAmount("minor", w.amount, currency);
    if (r.amount !== amount) patch.amount = amount;
    if (!deepEqual(r.location ?? undefined, w.location)) patch.location = w.location ?? null;
    if (banner && bannerChanged) patch.formatProperties = bannerToWire(banner);
    if (Object.keys(patch).length) await client.updateBid(id, String(r.bidId), patch);
  }
  if (toCreate.length) await client.createBids(id, toCreate, bidKey);
  for (const r of remote) if (!keep.has(bidKey(r))) await client.deleteBid(id, String(r.bidId));
}

// ---- rules across fields (Topsort's create docs) ----

const known = (v: unknown) => v !== undefined && v !== null && !isUnknown(v);

function checkAcross(n: Inputs, c: Checker): Inputs {
  const out = { ...n };
  const format = known(n.adFormat) && (AD_FORMATS as readonly string[]).includes(n.adFormat) ? n.adFormat : undefined;
  if (out.chargeType === undefined && format) out.chargeType = DEFAULT_CHARGE_TYPE[format];
  if (typeof n.startDate === "string" && typeof n.endDate === "string" && isRfc3339(n.startDate) && isRfc3339(n.endDate) && Date.parse(n.endDate) <= Date.parse(n.startDate)) {
    c.fail("endDate", `endDate must be after startDate (${n.startDate}); got ${n.endDate}`);
  }
  if (format) {
    if (out.campaignType === "exclusive" && format !== "banner") c.fail("campaignType", `campaignType "exclusive" is only for adFormat "banner"; got adFormat ${JSON.stringify(format)}`);
    if (out.chargeType === "CPA" && format !== "listing") c.fail("chargeType", `chargeType "CPA" is only for adFormat "listing"; got adFormat ${JSON.stringify(format)}`);
    if (format === "banner" && n.banner === undefined) c.fail("banner", `banner (slotId, assets) is required when adFormat is "banner"`);
    if (format === "listing" && n.banner !== undefined) c.fail("banner", `banner is only allowed when adFormat is "banner"; remove it for a listing campaign`);
    if (n.targetRoas !== undefined && known(out.campaignType) && !(format === "listing" && out.campaignType === "autobidding")) {
      c.fail("targetRoas", `targetRoas applies only to autobidding listing campaigns; got adFormat ${JSON.stringify(format)}, campaignType ${JSON.stringify(out.campaignType)}`);
    }
  }
  if (n.autobiddingObjective !== undefined && known(out.campaignType) && out.campaignType !== "autobidding") {
    c.fail("autobiddingObjective", `autobiddingObjective applies only to autobidding campaigns; got campaignType ${JSON.stringify(out.campaignType)}`);
  }
  if (out.chargeType === "CPA" && known(n.budget?.type) && n.budget.type !== "total") {
    c.fail("chargeType", `chargeType "CPA" needs budget.type "total"; got ${JSON.stringify(n.budget.type)}`);
  }
  return out;
}

export const campaign: ResourceDef<CampaignFields, Client> = {
  key: "topsort:Campaign",
  doc: "A Topsort retail-media campaign (`POST .../campaigns?vendor_id=`) with its bids and restrictions. Name, budget, dates, isActive, targetRoas, " +
    "externalCampaignId, isAutoTrigger, autobiddingObjective and the audience targeting, exclusion and multipliers update in place (`PATCH`); bids go " +
    "through the campaign's bid endpoints (a changed amount is a bid PATCH), frequency caps through its restriction endpoints. Vendor, ad format, " +
    "charge type and wallet replace it; campaign type may change in place only to \"autobidding\".",
  importId: "the campaign's uuid (`campaignId`)",
  fields,
  check: (_ctx, n, c) => checkAcross(n, c) as typeof n,
  replaceWhen(olds, news) {
    // Topsort's PATCH changes campaignType only to "autobidding" (update docs).
    const from = olds.campaignType ?? "manual";
    const to = news.campaignType ?? "manual";
    if (isUnknown(to)) return ["campaignType"];
    return from !== to && to !== "autobidding" ? ["campaignType"] : [];
  },
  async find(ctx, inputs, exclude) {
    const same = await ctx.client.campaignsMatching(inputs.vendorId, inputs);
    return newestUnowned(same, (c) => String(c.campaignId), exclude);
  },
  async create(ctx, inputs) {
    const created = await ctx.client.createCampaign(inputs.vendorId, createBody(inputs, ctx.currency));
    const id = String(created.campaignId);
    const outs = { campaignId: id, status: created.status, marketplaceId: created.marketplaceId, createdAt: created.createdAt, walletId: inputs.walletId ?? created.walletId };
    if (inputs.restrictions?.length) {
      try {
        await reconcileRestrictions(ctx.client, id, inputs.restrictions);
      } catch (e) {
        // The campaign exists: record it, so the next `up` adds the restrictions instead of creating it again.
        throw new PartialCreateError(id, { ...inputs, ...outs, restrictions: undefined }, e as Error);
      }
    }
    return { id, outs };
  },
  async read(ctx, id, state) {
    const client = ctx.client;
    const c = await client.getCampaign(id);
    if (!c) return undefined;
    return stateOf(c, await client.listBids(id), await client.listRestrictions(id), state, ctx.currency);
  },
  async update(ctx, id, olds, news, changed) {
    const client = ctx.client;
    const body = patchBody(news, changed, ctx.currency);
    let updated: CampaignWire | undefined;
    if (Object.keys(body).length) updated = await client.updateCampaign(id, body);
    if (changed.includes("bids") || changed.includes("banner")) {
      try {
        await reconcileBids(client, id, news.bids, news.adFormat === "banner" ? news.banner : undefined, changed.includes("banner"), ctx.currency);
      } catch (e) {
        if (updated && e instanceof Error) e.message = `${e.message} (the campaign's own fields were already updated)`;
        throw e;
      }
    }
    if (changed.includes("restrictions")) await reconcileRestrictions(client, id, news.restrictions ?? []);
    return { campaignId: id, status: updated?.status ?? olds.status, walletId: olds.walletId };
  },
  async delete(ctx, id) {
    await ctx.client.deleteCampaign(id);
  },
  /** Every campaign of the marketplace (all vendors, every page of the one campaign list), each with every page of its bids. */
  async list(ctx) {
    const client = ctx.client;
    const out: Array<{ id: string; state: Partial<StateOf<CampaignFields>> }> = [];
    for (const c of await client.listCampaigns()) {
      const id = String(c.campaignId);
      out.push({ id, state: clean(stateOf(c, await client.listBids(id), await client.listRestrictions(id), undefined, ctx.currency)) });
    }
    return out;
  },
};

/** Input names, for tests and tools. */
export const INPUTS = inputNames(fields);
