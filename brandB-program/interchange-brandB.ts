// The interchange account "brandB" as code, written by adnet-import. Re-run adnet-import to refresh it:
// resource names stay (adnet-import.names.json); edit and `pulumi up` as with any program.
import { interchange } from "pulumi-adnetworks";

// Campaign (import id: the campaign id, e.g. cmp_987654321)
const springRetailMedia = new interchange.Campaign("spring-retail-media", {
  account: "brandB",
  advertiserId: 12345,
  name: "Spring retail media",
  flightDates: {
    startDate: "2027-01-15T00:00:00Z",
    endDate: "2027-03-31T23:59:59Z",
  },
  budget: {
    total: 3000,
    dailyCap: 250,
  },
  campaignType: "DECISIONED",
  mode: "discovery",
  optimizationApplyMode: "AUTO",
}, { import: "brandB:cmp_988654321" });
