// The exoclick account "brandB" as code, written by adnet-import. Re-run adnet-import to refresh it:
// resource names stay (adnet-import.names.json); edit and `pulumi up` as with any program.
import { exoclick } from "pulumi-adnetworks";

// LibraryUrl (import id: the numeric library url id)
const brandbExampleLanding = new exoclick.LibraryUrl("brandb-example-landing", {
  account: "brandB",
  url: "https://brandb.example/landing",
}, { import: "brandB:7500001" });

// LibraryFile (import id: the numeric library file id)
const spring300x250Png = new exoclick.LibraryFile("spring-300x250-png", {
  account: "brandB",
  path: "files/a7e9236336fdab23dcb90a17a6f463ed.png",
}, { import: "brandB:7500002" });

// Campaign (import id: the numeric campaign id)
const springBanner300x250 = new exoclick.Campaign("spring-banner-300x250", {
  account: "brandB",
  name: "Spring banner 300x250",
  size: "300x250",
  countries: {
    type: "targeted",
    elements: [
      {
        country: "USA",
      },
    ],
  },
  pricing: {
    model: 4, // smart CPM
    price: 2.5,
  },
  startDate: "2027-03-02",
  dailyLimitType: 0, // no daily limit
  budgetDeliveryMode: 0, // as fast as possible
  runOnResponsiveZones: 0,
}, { import: "brandB:7500003" });

// Variation (import id: "<campaignId>/<variationId>")
const springBanner300x250Variation = new exoclick.Variation("spring-banner-300x250-variation", {
  account: "brandB",
  campaignId: springBanner300x250.id,
  libraryUrlId: brandbExampleLanding.id,
  libraryFileId: spring300x250Png.id,
}, { import: "brandB:7500003/7500004" });
