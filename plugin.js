// `pulumi-adnetworks/plugin`: the TypeScript SDK of the adnetworks provider plugin
// (resources of type adnetworks:<network>:<Type>, and Provider). See docs/plugin.md.
module.exports = require("./dist/provider/plugin/sdk");
