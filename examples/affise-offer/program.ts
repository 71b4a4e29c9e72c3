import * as pulumi from "@pulumi/pulumi";
import { affise } from "pulumi-adnetworks";

export interface AffiseOfferOptions {
  /** Offer title (default: the seed's "NEW BIG OFFER"). */
  title?: string;
  /** Affiliate payout of the general payment (default 30). */
  revenue?: number;
  /** Affiliate that gets the postback (default 2, the seed's partner). */
  pid?: number;
  /** Postback URL (default a macro URL on the affiliate's tracker). */
  postbackUrl?: string;
  /** Creative image path, relative to the program directory. */
  creative?: string;
  /** Adopt an existing offer and postback instead of creating them (ids "<offerId>" and "<pid>/<postbackId>"). */
  importIds?: { offer: string; postback: string };
}

/** The seed's offer as plain data, every group of the help center's example. */
export function offerArgs(opts: AffiseOfferOptions = {}): affise.OfferArgs {
  return {
    title: opts.title ?? "NEW BIG OFFER",
    advertiser: "5e39279bac611cda7e5765ab",
    url: "https://track.gjane.com/hc/click?afclick={clickid}&afpid={pid}&afoffer={offer_id}",
    crossPostbackUrl: "https://cpa.gjane.com/hc/click?afclick={clickid}&afpid={pid}&afoffer={offer_id}",
    macroUrl: "&sub1={IP}",
    previewUrl: "https://giane.com",
    trafficbackUrl: "https://rocketcompant.g2afse.com/click?pid={pid}&offer_id=132009&sub1={offer_id}",
    descriptions: { en: "English description" },
    creatives: [{ file: opts.creative ?? "creative-300x250.png" }, { url: "https://google.drive" }],
    status: "active",
    privacy: "protected",
    isTop: false,
    isCpi: true,
    payments: [{
      countries: ["RU"], devices: ["desktop"], goal: "28", total: 100, revenue: opts.revenue ?? 30, currency: "USD", type: "fixed", sub1: "abc",
    }],
    partnerPayments: [{ partners: [2], countries: ["RU"], goal: "14", total: 80, type: "fixed", currency: "USD", revenue: 20 }],
    landings: [{ title: "landing", url: "https://giane.com", previewUrl: "https://giane.com", type: "transit" }],
    caps: [{ period: "day", type: "conversions", value: 150, goalType: "all", affiliateType: "all" }],
    capsStatus: ["confirmed", "pending", "hold"],
    redirectType: "http302",
    startAt: "2020-03-10",
    isRedirectOvercap: false,
    clickSession: "1y2m",
    minimalClickSession: "5h7i",
    smartlinkCategories: ["5a8d24b7948641003d282ec2"],
    targeting: [
      // General group: whitelist on sub1.
      { countries: { allow: ["RU"] }, deviceTypes: ["mobile"], connections: ["cellular"], subAllow: { sub1: ["qwerty"] } },
      // Personal group for affiliate 2: blacklist on sub2.
      { countries: { allow: ["US"] }, deviceTypes: ["desktop"], connections: ["wi-fi"], affiliateIds: [2], subDeny: { sub2: ["qwerty213"] } },
    ],
  };
}

/** The postback for one affiliate (default 2) on the offer. */
export function postbackArgs(opts: AffiseOfferOptions, offerId: pulumi.Input<string>): affise.PostbackArgs {
  return {
    pid: opts.pid ?? 2,
    offerId,
    url: opts.postbackUrl ?? "https://tracker.affiliate.example/postback?click={clickid}&payout={sum}&status={status}",
    status: "confirmed",
    integrationMethod: "all",
  };
}

/**
 * The help center's "add offer" request as code: every group of the seed
 * (payouts, partner payouts, landings, caps, creatives, two targeting
 * groups), plus a postback for affiliate 2 on that offer.
 */
export function affiseOffer(opts: AffiseOfferOptions = {}) {
  const offer = new affise.Offer("big-offer", offerArgs(opts), opts.importIds ? { import: opts.importIds.offer } : undefined);
  const postback = new affise.Postback("big-offer-postback", postbackArgs(opts, offer.id), opts.importIds ? { import: opts.importIds.postback } : undefined);
  return { offerId: offer.id as pulumi.Output<string>, postbackId: postback.id as pulumi.Output<string> };
}
