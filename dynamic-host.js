// Stable entry point run by the dynamic-provider launcher (see
// provider/core/dynamicHost.ts). Do not move or rename it.
require("./dist/provider/core/dynamicHost").main(() => require("./dist/provider/registry"));
