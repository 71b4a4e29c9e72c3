import type { NetworkEmulator } from "./server";

/** Every network's emulator, freshly made. Each lives in its network's folder. */
export function defaultNetworks(): NetworkEmulator[] {
  const list: NetworkEmulator[] = [];
  list.push(new (require("../exoclick/sandbox").ExoClickSandbox)());
  list.push(new (require("../affise/sandbox").AffiseSandbox)());
  list.push(new (require("../interchange/sandbox").InterchangeSandbox)());
  list.push(new (require("../integr8/sandbox").Integr8Sandbox)());
  list.push(new (require("../topsort/sandbox").TopsortSandbox)());
  return list;
}
