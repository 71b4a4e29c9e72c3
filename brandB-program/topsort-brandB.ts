// The topsort account "brandB" as code, written by adnet-import. Re-run adnet-import to refresh it:
// resource names stay (adnet-import.names.json); edit and `pulumi up` as with any program.
import { topsort } from "pulumi-adnetworks";

// Campaign (import id: the campaign's uuid (`campaignId`))
const springBanner = new topsort.Campaign("spring-banner", {
  account: "brandB",
  vendorId: "vendor-acme",
  name: "Spring banner",
  adFormat: "banner",
  chargeType: "CPM",
  budget: {
    amount: 900,
    type: "daily", // per day
  },
  startDate: "2027-03-01T00:00:00Z",
  endDate: "2027-05-31T23:59:59Z",
  bids: [
    {
      amount: 2.5,
      target: {
        id: "sku-acme-runner-42",
      },
    },
  ],
  banner: {
    slotId: "home-top",
    deviceType: "desktop",
    assets: [
      {
        url: "https://cdn.example.com/acme/spring-728x90.png",
        contentType: "image/png",
        width: 728,
        height: 90,
        size: 48213,
      },
    ],
  },
  walletId: "560fa14d-7a8d-4d07-85a6-b2507b9e7401",
  isAutoTrigger: false,
}, { import: "brandB:6206f662-1e61-403f-a9ca-de221c35b900" });
