// The affise account "brandB" as code, written by adnet-import. Re-run adnet-import to refresh it:
// resource names stay (adnet-import.names.json); edit and `pulumi up` as with any program.
import { affise } from "pulumi-adnetworks";

// Offer (import id: the numeric offer id)
const springVpn = new affise.Offer("spring-vpn", {
  account: "brandB",
  title: "Spring VPN",
  advertiser: "5e39279bac611cda7e5765ab",
  url: "https://track.example/brandB?c={clickid}",
  status: "stopped",
  privacy: "public", // every affiliate
  isTop: false,
  isCpi: false,
  redirectType: "http302",
  isRedirectOvercap: false,
  clickSession: "1y",
  minimalClickSession: "0s",
  payments: [
    {
      countries: ["US"],
      countryExclude: false,
      goal: "1",
      total: 2,
      revenue: 1.5,
      currency: "USD",
      type: "fixed", // fixed amount
    },
  ],
  capsTimezone: "UTC",
  hideCaps: false,
  noticePercentOvercap: 0,
  isImpressionOvercap: false,
}, { import: "brandB:1001" });

// Postback (import id: "<pid>/<postbackId>", e.g. "2/15")
const partnerExampleBrandb = new affise.Postback("partner-example-brandb", {
  account: "brandB",
  url: "https://partner.example/brandB?c={clickid}",
  pid: 2,
  offerId: springVpn.id,
  integrationMethod: "all",
  forced: false,
}, { import: "brandB:2/101" });
