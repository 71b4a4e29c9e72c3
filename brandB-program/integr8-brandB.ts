// The integr8 account "brandB" as code, written by adnet-import. Re-run adnet-import to refresh it:
// resource names stay (adnet-import.names.json); edit and `pulumi up` as with any program.
import { integr8 } from "pulumi-adnetworks";

// Postback (import id: Integr8's postback id)
const conversions = new integr8.Postback("conversions", {
  account: "brandB",
  name: "Conversions",
  integration: "6501c0ffee00000000000b01",
  serviceType: "conversion",
  url: "https://tracker.example/brandB?tx={external_transaction_id}",
  organizationId: "64f1a2b3c4d5e6f708192b4c",
}, { import: "brandB:6640ee000000000000000002" });
