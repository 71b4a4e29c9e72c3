export { Offer, OfferArgs, PaymentArgs, PartnerPaymentArgs, LandingArgs, CapArgs, TargetingGroupArgs, CreativeArgs } from "./offer";
export { Postback, PostbackArgs } from "./postback";
export { AffiseClient } from "./client";
