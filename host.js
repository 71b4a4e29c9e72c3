// Stable entry point that serialized providers in Pulumi state load by name
// (`require("pulumi-adnetworks/host")`). Do not move or rename it: state
// written by every earlier version depends on this path.
module.exports = require("./dist/provider/registry");
