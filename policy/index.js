// The pulumi-adnetworks spend policy pack (provider/policy/pack.ts), for
// `pulumi preview --policy-pack <this directory>`. Pulumi reads the pack's
// version from this directory's package.json (kept equal to the package's).
require("../dist/provider/policy/pack").serve();
