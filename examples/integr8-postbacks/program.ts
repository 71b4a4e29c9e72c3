import * as pulumi from "@pulumi/pulumi";
import { integr8 } from "pulumi-adnetworks";

export interface Integr8PostbacksOptions {
  /** Prefix of every resource and postback name (lets several copies share an organization). */
  prefix?: string;
  /** The Integr8 integration (tracking setup) the postbacks belong to (default: the sandbox's "Main web store"). */
  integrationId?: string;
  /** Your tracker's base URL; the postbacks call it with Integr8 macros. */
  trackerUrl?: string;
  /** Delay before the conversion postback fires, in minutes (default 2, the dashboard's minimum). */
  conversionDelayMinutes?: number;
  /** Whether the event postback fires (default true). */
  eventActive?: boolean;
  /** Part of the name of the offer to apply for, looked up with integr8.listOffers (default: the sandbox's "Nordic Outdoor Gear"). */
  offerName?: string;
}

/**
 * A conversion postback and an event postback for one integration, and an
 * application to an offer found by name (agreeing to its T&Cs first). The
 * application's status (pending / approved / rejected) is an output.
 */
export function integr8Postbacks(opts: Integr8PostbacksOptions = {}) {
  const prefix = opts.prefix ?? "demo";
  const integration = opts.integrationId ?? "6501c0ffee00000000000001";
  const tracker = opts.trackerUrl ?? "https://tracker.example.com/postback";
  const offerName = opts.offerName ?? "Nordic Outdoor Gear";

  const conversion = new integr8.Postback(`${prefix}-conversion`, {
    name: `${prefix}: conversions to tracker`,
    integration,
    serviceType: "conversion",
    url: `${tracker}?tx={external_transaction_id}&status={status}`,
    delayValue: opts.conversionDelayMinutes ?? 2,
    delayMetric: "Minute",
    description: "Confirms every conversion to our tracker",
  });

  const event = new integr8.Postback(`${prefix}-event`, {
    name: `${prefix}: events to tracker`,
    integration,
    serviceType: "event",
    url: `${tracker}/event`,
    method: "POST",
    body: '{"tx":"{external_transaction_id}","status":"{status}"}',
    active: opts.eventActive ?? true,
  });

  // A read-only lookup inside the program: the first offer whose name matches.
  const offer = pulumi.output(integr8.listOffers({ filter: { name: { match: offerName } }, limit: 1 })).apply((found) => {
    if (!found.length) throw new Error(`no Integr8 offer whose name contains ${JSON.stringify(offerName)}`);
    return found[0];
  });

  const application = new integr8.OfferApplication(`${prefix}-application`, {
    offerId: offer.apply((o) => String(o.id)),
    // Offers with T&Cs refuse applications without agreement; read them first with integr8.getOffer.
    agreeToTerms: true,
  });

  return {
    conversionPostbackId: conversion.id,
    eventPostbackId: event.id,
    offerName: offer.apply((o) => String(o.name)),
    applicationId: application.applicationId,
    applicationStatus: application.status,
  };
}
