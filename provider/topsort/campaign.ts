import * as pulumi from "@pulumi/pulumi";
import { AdnetResource } from "../core/reference";
import { defineResource, deepEqual } from "../core/resource";
import { newestUnowned } from "../core/recover";
import { Checker, isRfc3339, isUnknown, containsUnknown } from "../core/validate";
import { PartialCreateError } from "../core/errors";
import { TopsortClient } from "./client";
import {
  AD_FORMATS, BUDGET_TYPES, CAMPAIGN_TYPES, CHARGE_TYPES, DEFAULT_CHARGE_TYPE, DEVICE_TYPES, MAX_AMOUNT_EXCLUSIVE, MAX_URL,
  SLOT_ID, TARGET_ROAS, TARGET_TYPES, UUID,
} from "./constants";

export interface BudgetArgs {
  /** Amount in minor units of the marketplace currency (e.g. 150000 = 1,500.00), a whole number below 2,000,000,000. */
  amount: pulumi.Input<number>;
  /** "daily", "weekly", "monthly" or "total". */
  type: pulumi.Input<"daily" | "weekly" | "monthly" | "total">;
}

export interface BidTargetArgs {
  /** The id of the product (or vendor) in the marketplace's catalogue. */
  id: pulumi.Input<string>;
  /** "product" (default) or "vendor" ("promoted shop" campaigns). */
  type?: pulumi.Input<"product" | "vendor">;
}

export interface BidArgs {
  /** Bid in minor units of the currency, a whole number > 0 and below 2,000,000,000. Changes in place (bid endpoint). */
  amount: pulumi.Input<number>;
  /** What the bid is for. The target (with the trigger) identifies the bid: a new target creates a bid, a removed one deletes it. */
  target: pulumi.Input<BidTargetArgs>;
  /** Optional trigger in Topsort's own shape, e.g. { type: "keyword", value: { words: ["shoes"], matchType: "exact" } }. */
  trigger?: pulumi.Input<Record<string, any>>;
  /** Optional location the bid applies to (must then also be sent on auction requests). */
  location?: pulumi.Input<Record<string, any>>;
}

export interface BannerAssetArgs {
  /** http(s) URL of the asset, at most 2083 characters. */
  url: pulumi.Input<string>;
  /** MIME type, e.g. "image/png". */
  contentType: pulumi.Input<string>;
  /** Width in pixels, a whole number > 0. */
  width: pulumi.Input<number>;
  /** Height in pixels, a whole number > 0. */
  height: pulumi.Input<number>;
  /** File size in bytes, a whole number >= 0. */
  size: pulumi.Input<number>;
}

export interface BannerArgs {
  /** The marketplace's external slot id, e.g. "home-top". */
  slotId: pulumi.Input<string>;
  /** "desktop" or "mobile"; omitted, the banner serves on both. */
  deviceType?: pulumi.Input<"desktop" | "mobile">;
  /** At least one asset. */
  assets: pulumi.Input<pulumi.Input<BannerAssetArgs>[]>;
}

export interface CampaignArgs {
  /** The vendor that owns the campaign. Changing it replaces the campaign. */
  vendorId: pulumi.Input<string>;
  /** Campaign name (at least 1 character). With vendorId and adFormat, the key used to find a campaign whose create response was lost. */
  name: pulumi.Input<string>;
  /** "listing" or "banner". Changing it replaces the campaign. */
  adFormat: pulumi.Input<"listing" | "banner">;
  /** "manual" (default), "autobidding" or "exclusive" (banner only). May change to "autobidding" in place; any other change replaces. */
  campaignType?: pulumi.Input<"manual" | "autobidding" | "exclusive">;
  /** "CPC" (listing default), "CPM" (banner default) or "CPA" (listing with a total budget). Changing it replaces the campaign. */
  chargeType?: pulumi.Input<"CPM" | "CPC" | "CPA">;
  /** Budget in minor units and its period. */
  budget: pulumi.Input<BudgetArgs>;
  /** RFC 3339 date-time with a zone, e.g. "2026-03-01T00:00:00Z". Topsort moves a past start date sent on update to now. */
  startDate: pulumi.Input<string>;
  /** RFC 3339 date-time after startDate. */
  endDate: pulumi.Input<string>;
  /** Whether the campaign is active (default true); it serves once startDate has passed. */
  isActive?: pulumi.Input<boolean>;
  /** Target return on ad spend, 0.5 to 20; only for autobidding listing campaigns. */
  targetRoas?: pulumi.Input<number>;
  /** At least one bid. Bids are managed through the campaign's bid endpoints, so a changed amount updates in place. */
  bids: pulumi.Input<pulumi.Input<BidArgs>[]>;
  /** Banner creative: required for banner campaigns, not allowed for listing ones. */
  banner?: pulumi.Input<BannerArgs>;
  /** Wallet (uuid) paying for the campaign; omitted, the vendor's default wallet. Changing it replaces the campaign. */
  walletId?: pulumi.Input<string>;
  /** Your own id for the campaign, unique per marketplace and ad format. */
  externalCampaignId?: pulumi.Input<string>;
}

const INPUTS = [
  "vendorId", "name", "adFormat", "campaignType", "chargeType", "budget", "startDate", "endDate", "isActive", "targetRoas",
  "bids", "banner", "walletId", "externalCampaignId",
] as const;

/** Fields Topsort's PATCH accepts (the rest replace, or go through the bid endpoints). */
const PATCHABLE = ["name", "budget", "startDate", "endDate", "isActive", "targetRoas", "campaignType", "externalCampaignId"] as const;

// ---- wire mapping (the one place input names meet Topsort's) ----

/** A bid's identity: its target and trigger. */
export function bidKey(b: Record<string, any>): string {
  const t = b?.target ?? {};
  return `${t.type ?? "product"}:${t.id}|${b?.trigger ? stable(b.trigger) : ""}`;
}

function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`;
  if (v && typeof v === "object") return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stable((v as any)[k])}`).join(",")}}`;
  return JSON.stringify(v);
}

function bannerToWire(b: Record<string, any>): Record<string, any> {
  return {
    adFormat: "banner",
    bannerAssets: b.assets.map((a: any) => ({ url: a.url, contentType: a.contentType, dimensions: { width: a.width, height: a.height }, size: a.size })),
    slotId: b.slotId,
    ...(b.deviceType !== undefined ? { deviceType: b.deviceType } : {}),
  };
}

function bannerFromWire(p: Record<string, any> | undefined | null): Record<string, any> | undefined {
  if (!p || p.adFormat !== "banner") return undefined;
  return {
    slotId: p.slotId,
    ...(p.deviceType ? { deviceType: p.deviceType } : {}),
    assets: (p.bannerAssets ?? []).map((a: any) => ({ url: a.url, contentType: a.contentType, width: a.dimensions?.width, height: a.dimensions?.height, size: a.size })),
  };
}

export function bidToWire(b: Record<string, any>, banner: Record<string, any> | undefined): Record<string, any> {
  return {
    amount: b.amount,
    target: { id: b.target.id, type: b.target.type ?? "product" },
    ...(b.trigger !== undefined ? { trigger: b.trigger } : {}),
    ...(b.location !== undefined ? { location: b.location } : {}),
    ...(banner ? { formatProperties: bannerToWire(banner) } : {}),
  };
}

/** The create body, from normalised inputs (vendor_id goes in the query). */
export function toWire(inputs: Record<string, any>): Record<string, any> {
  const body: Record<string, any> = {
    name: inputs.name,
    adFormat: inputs.adFormat,
    campaignType: inputs.campaignType,
    chargeType: inputs.chargeType,
    budget: { amount: inputs.budget.amount, type: inputs.budget.type },
    startDate: inputs.startDate,
    endDate: inputs.endDate,
    isActive: inputs.isActive,
    bids: inputs.bids.map((b: any) => bidToWire(b, inputs.adFormat === "banner" ? inputs.banner : undefined)),
  };
  for (const k of ["targetRoas", "walletId", "externalCampaignId"]) if (inputs[k] !== undefined) body[k] = inputs[k];
  return body;
}

/** The PATCH body for the changed patchable fields; a removed optional field is sent as null [I]. */
export function patchBody(news: Record<string, any>, changed: string[]): Record<string, any> {
  const body: Record<string, any> = {};
  for (const k of PATCHABLE) {
    if (!changed.includes(k)) continue;
    const v = news[k];
    body[k] = v === undefined ? null : k === "budget" ? { amount: v.amount, type: v.type } : v;
  }
  return body;
}

/** Same instant written differently: keep the program's spelling. */
function sameInstant(remote: unknown, known: unknown): unknown {
  return typeof remote === "string" && typeof known === "string" && Date.parse(remote) === Date.parse(known) ? known : remote;
}

function bidFromWire(b: Record<string, any>): Record<string, any> {
  return {
    amount: b.amount,
    target: { id: String(b.target?.id), type: b.target?.type ?? "product" },
    ...(b.trigger ? { trigger: b.trigger } : {}),
    ...(b.location ? { location: b.location } : {}),
  };
}

/** Remote bids in the program's order (matched by target), unknown ones after. */
function orderBids(remote: Array<Record<string, any>>, known: Array<Record<string, any>> | undefined): Array<Record<string, any>> {
  const order = new Map((known ?? []).map((b, i) => [bidKey(b), i]));
  return remote
    .map((b, i) => ({ b, i, at: order.get(bidKey(b)) ?? Number.MAX_SAFE_INTEGER }))
    .sort((x, y) => x.at - y.at || x.i - y.i)
    .map((x) => x.b);
}

/** Remote campaign and bids -> input-shaped props (what refresh compares with the program). */
export function fromWire(c: Record<string, any>, bids: Array<Record<string, any>>, state: Record<string, any> = {}): Record<string, any> {
  return {
    vendorId: String(c.vendorId ?? c.externalVendorId),
    name: c.name,
    adFormat: c.adFormat,
    campaignType: c.campaignType,
    chargeType: c.chargeType,
    budget: c.budget ? { amount: c.budget.amount, type: c.budget.type } : undefined,
    startDate: sameInstant(c.startDate, state.startDate),
    endDate: sameInstant(c.endDate, state.endDate),
    isActive: c.isActive,
    targetRoas: c.targetRoas ?? undefined,
    bids: orderBids(bids.map(bidFromWire), state.bids),
    banner: bannerFromWire(c.promotionType),
    walletId: c.walletId ?? undefined,
    externalCampaignId: c.externalCampaignId ?? undefined,
    // Outputs beyond the inputs.
    campaignId: c.campaignId,
    status: c.status,
    marketplaceId: c.marketplaceId,
    createdAt: c.createdAt,
  };
}

// ---- bids: reconciled through the bid endpoints ----

/**
 * Makes the campaign's bids equal to `wanted`: PATCH bids whose amount (or
 * banner) changed, create the new ones, then delete the removed ones (new
 * before old, so the campaign never has zero bids).
 */
export async function reconcileBids(client: TopsortClient, id: string, wanted: Array<Record<string, any>>, banner: Record<string, any> | undefined, bannerChanged: boolean): Promise<void> {
  const remote = await client.listBids(id);
  const byKey = new Map(remote.map((b) => [bidKey(b), b]));
  const toCreate: Array<Record<string, any>> = [];
  const keep = new Set<string>();
  for (const w of wanted) {
    const k = bidKey(w);
    const r = byKey.get(k);
    if (!r) {
      toCreate.push(bidToWire(w, banner));
      continue;
    }
    keep.add(k);
    const patch: Record<string, any> = {};
    if (r.amount !== w.amount) patch.amount = w.amount;
    if (!deepEqual(r.location ?? undefined, w.location)) patch.location = w.location ?? null;
    if (banner && bannerChanged) patch.formatProperties = bannerToWire(banner);
    if (Object.keys(patch).length) await client.updateBid(id, String(r.bidId), patch);
  }
  if (toCreate.length) await client.createBids(id, toCreate, bidKey);
  for (const r of remote) if (!keep.has(bidKey(r))) await client.deleteBid(id, String(r.bidId));
}

// ---- check ----

function checkAmount(c: Checker, field: string, v: unknown, min: number) {
  c.number(field, v, { required: true, integer: true, min, exclusiveMax: MAX_AMOUNT_EXCLUSIVE });
}

function checkBanner(c: Checker, v: unknown) {
  if (!c.object("banner", v)) return;
  const b = v as Record<string, any>;
  c.knownKeys("banner", b, ["slotId", "deviceType", "assets"]);
  c.string("banner.slotId", b.slotId, { required: true, min: 1, pattern: SLOT_ID, patternHint: "letters, digits and punctuation without spaces" });
  c.oneOf("banner.deviceType", b.deviceType, DEVICE_TYPES);
  if (!c.array("banner.assets", b.assets, { required: true, min: 1 })) return;
  (b.assets as any[]).forEach((a, i) => {
    const p = `banner.assets[${i}]`;
    if (!c.object(p, a, { required: true })) return;
    c.knownKeys(p, a, ["url", "contentType", "width", "height", "size"]);
    c.url(`${p}.url`, a.url, { required: true });
    c.string(`${p}.url`, a.url, { max: MAX_URL });
    c.string(`${p}.contentType`, a.contentType, { required: true, min: 1, pattern: /^[\w.+-]+\/[\w.+-]+$/, patternHint: "a MIME type such as \"image/png\"" });
    c.number(`${p}.width`, a.width, { required: true, integer: true, min: 1 });
    c.number(`${p}.height`, a.height, { required: true, integer: true, min: 1 });
    c.number(`${p}.size`, a.size, { required: true, integer: true, min: 0 });
  });
}

function checkBids(c: Checker, v: unknown): Array<Record<string, any>> | undefined {
  if (!c.array("bids", v, { required: true, min: 1 })) return undefined;
  const seen = new Map<string, number>();
  return (v as any[]).map((b, i) => {
    const p = `bids[${i}]`;
    if (!c.object(p, b, { required: true })) return b;
    c.knownKeys(p, b, ["amount", "target", "trigger", "location"]);
    checkAmount(c, `${p}.amount`, b.amount, 1);
    let target: any = b.target;
    if (c.object(`${p}.target`, b.target, { required: true })) {
      c.knownKeys(`${p}.target`, b.target, ["id", "type"]);
      target = { ...b.target, type: b.target.type ?? "product" };
      c.string(`${p}.target.id`, b.target.id, { required: true, min: 1 });
      c.oneOf(`${p}.target.type`, target.type, TARGET_TYPES);
    }
    c.object(`${p}.trigger`, b.trigger);
    c.object(`${p}.location`, b.location);
    const out = { ...b, target };
    if (!containsUnknown(out)) {
      const k = bidKey(out);
      if (seen.has(k)) c.fail(`${p}.target`, `${p} has the same target${b.trigger ? " and trigger" : ""} as bids[${seen.get(k)}]; each target may be bid on once`);
      else seen.set(k, i);
    }
    return out;
  });
}

const base = defineResource({
  module: "topsort",
  type: "Campaign",
  inputs: INPUTS,
  replaceOn: ["vendorId", "adFormat", "chargeType", "walletId"],
  optionalServerDefaults: ["walletId"],
  check(n, c) {
    const out: Record<string, any> = { ...n };
    c.string("vendorId", n.vendorId, { required: true, min: 1 });
    c.string("name", n.name, { required: true, min: 1 });
    c.oneOf("adFormat", n.adFormat, AD_FORMATS, { required: true });
    const format = isUnknown(n.adFormat) ? undefined : n.adFormat;
    out.campaignType = n.campaignType ?? "manual";
    c.oneOf("campaignType", out.campaignType, CAMPAIGN_TYPES);
    if (out.chargeType === undefined && (AD_FORMATS as readonly string[]).includes(format)) out.chargeType = DEFAULT_CHARGE_TYPE[format];
    c.oneOf("chargeType", out.chargeType, CHARGE_TYPES);
    if (c.object("budget", n.budget, { required: true })) {
      c.knownKeys("budget", n.budget, ["amount", "type"]);
      checkAmount(c, "budget.amount", n.budget.amount, 0);
      c.oneOf("budget.type", n.budget.type, BUDGET_TYPES, { required: true });
    }
    c.dateTime("startDate", n.startDate, { required: true });
    c.dateTime("endDate", n.endDate, { required: true });
    if (typeof n.startDate === "string" && typeof n.endDate === "string" && isRfc3339(n.startDate) && isRfc3339(n.endDate) && Date.parse(n.endDate) <= Date.parse(n.startDate)) {
      c.fail("endDate", `endDate must be after startDate (${n.startDate}); got ${n.endDate}`);
    }
    out.isActive = n.isActive ?? true;
    c.boolean("isActive", out.isActive);
    c.number("targetRoas", n.targetRoas, { min: TARGET_ROAS.min, max: TARGET_ROAS.max });
    const bids = checkBids(c, n.bids);
    if (bids) out.bids = bids;
    checkBanner(c, n.banner);
    if (n.walletId !== undefined) c.string("walletId", n.walletId, { pattern: UUID, patternHint: "a uuid such as \"3fa85f64-5717-4562-b3fc-2c963f66afa6\"" });
    c.string("externalCampaignId", n.externalCampaignId, { min: 1 });

    // Rules across fields (create docs).
    const known = (v: unknown) => v !== undefined && !isUnknown(v);
    if (known(format)) {
      if (out.campaignType === "exclusive" && format !== "banner") c.fail("campaignType", `campaignType "exclusive" is only for adFormat "banner"; got adFormat ${JSON.stringify(format)}`);
      if (out.chargeType === "CPA" && format !== "listing") c.fail("chargeType", `chargeType "CPA" is only for adFormat "listing"; got adFormat ${JSON.stringify(format)}`);
      if (format === "banner" && n.banner === undefined) c.fail("banner", `banner (slotId, assets) is required when adFormat is "banner"`);
      if (format === "listing" && n.banner !== undefined) c.fail("banner", `banner is only allowed when adFormat is "banner"; remove it for a listing campaign`);
      if (n.targetRoas !== undefined && known(out.campaignType) && !(format === "listing" && out.campaignType === "autobidding")) {
        c.fail("targetRoas", `targetRoas applies only to autobidding listing campaigns; got adFormat ${JSON.stringify(format)}, campaignType ${JSON.stringify(out.campaignType)}`);
      }
    }
    if (out.chargeType === "CPA" && known(n.budget?.type) && n.budget.type !== "total") {
      c.fail("chargeType", `chargeType "CPA" needs budget.type "total"; got ${JSON.stringify(n.budget.type)}`);
    }
    return out;
  },
  async find(inputs, exclude) {
    const same = await TopsortClient.fromSettings().campaignsMatching(inputs.vendorId, inputs);
    return newestUnowned(same, (c: any) => String(c.campaignId), exclude);
  },
  async create(inputs) {
    const client = TopsortClient.fromSettings();
    const created = await client.createCampaign(inputs.vendorId, toWire(inputs));
    const id = String(created.campaignId);
    return {
      id,
      outs: { campaignId: id, status: created.status, marketplaceId: created.marketplaceId, createdAt: created.createdAt, walletId: inputs.walletId ?? created.walletId },
    };
  },
  async read(id, state) {
    const client = TopsortClient.fromSettings();
    const c = await client.getCampaign(id);
    if (!c) return undefined;
    const bids = await client.listBids(id);
    return fromWire(c, bids, state);
  },
  async update(id, olds, news, changed) {
    const client = TopsortClient.fromSettings();
    const body = patchBody(news, changed);
    let updated: Record<string, any> | undefined;
    if (Object.keys(body).length) updated = await client.updateCampaign(id, body);
    if (changed.includes("bids") || changed.includes("banner")) {
      try {
        await reconcileBids(client, id, news.bids, news.adFormat === "banner" ? news.banner : undefined, changed.includes("banner"));
      } catch (e: any) {
        if (updated) e.message = `${e.message} (the campaign's own fields were already updated)`;
        throw e;
      }
    }
    return { campaignId: id, status: updated?.status ?? olds.status, walletId: olds.walletId };
  },
  async delete(id) {
    await TopsortClient.fromSettings().deleteCampaign(id);
  },
});

/** Whether a campaignType change cannot be done in place (only a change to "autobidding" can). */
export function campaignTypeNeedsReplace(olds: Record<string, any>, news: Record<string, any>): boolean {
  const from = olds.campaignType ?? "manual";
  const to = news.campaignType ?? "manual";
  if (isUnknown(to)) return true;
  return from !== to && to !== "autobidding";
}

/** The resource contract, plus: campaignType may change in place only to "autobidding". */
export const provider: typeof base = {
  ...base,
  async diff(id, olds, news) {
    const d = await base.diff(id, olds, news);
    if (d.changes && !d.replaces!.includes("campaignType") && campaignTypeNeedsReplace(olds, news) && !deepEqual(olds.campaignType, news.campaignType)) {
      d.replaces!.push("campaignType");
    }
    return d;
  },
};

/**
 * A Topsort retail-media campaign (`POST .../campaigns?vendor_id=`). Name,
 * budget, dates, isActive, targetRoas update in place (`PATCH`); bids go
 * through the campaign's bid endpoints (a changed amount is a bid PATCH).
 * Vendor, ad format, charge type and wallet replace it; campaign type may
 * change in place only to "autobidding".
 */
export class Campaign extends AdnetResource {
  declare readonly campaignId: pulumi.Output<string>;
  /** Banner review status: "approved", "pending" or "rejected". */
  declare readonly status: pulumi.Output<string>;
  declare readonly marketplaceId: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly walletId: pulumi.Output<string>;
  declare readonly vendorId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly adFormat: pulumi.Output<"listing" | "banner">;
  declare readonly campaignType: pulumi.Output<"manual" | "autobidding" | "exclusive">;
  declare readonly chargeType: pulumi.Output<"CPM" | "CPC" | "CPA">;
  declare readonly budget: pulumi.Output<{ amount: number; type: string }>;
  declare readonly isActive: pulumi.Output<boolean>;
  declare readonly bids: pulumi.Output<Array<{ amount: number; target: { id: string; type: string } }>>;
  constructor(name: string, args: CampaignArgs, opts?: pulumi.CustomResourceOptions) {
    super("topsort:Campaign", name, { campaignId: undefined, status: undefined, marketplaceId: undefined, createdAt: undefined, walletId: undefined, ...args }, opts);
  }
}
