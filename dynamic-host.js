// Stable entry point run by the dynamic-provider launcher (see
// provider/core/engine/dynamicHost.ts). Do not move or rename it.
require("./dist/provider/core/engine/dynamicHost").main(() => require("./dist/provider/registry"));
