export { Postback, PostbackArgs } from "./postback";
export { OfferApplication, OfferApplicationArgs } from "./offerApplication";
export {
  listOffers, iterateOffers, getOffer, listPostbackLogs, iteratePostbackLogs, listOfferApplications,
  ListOptions, PostbackLogQuery, Filter,
} from "./lookups";
export { Integr8Client } from "./client";
export { ROUTES } from "./routes";
