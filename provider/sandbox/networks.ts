import type { NetworkName } from "../networks";
import type { NetworkEmulator } from "./server";
import { AFFISE_SANDBOX_CREDENTIALS, AffiseSandbox } from "./affise";
import { EXOCLICK_SANDBOX_CREDENTIALS, ExoClickSandbox } from "./exoclick";
import { INTEGR8_SANDBOX, Integr8Sandbox } from "./integr8";
import { INTERCHANGE_SANDBOX_CREDENTIALS, InterchangeSandbox } from "./interchange";
import { TOPSORT_SANDBOX_CREDENTIALS, TopsortSandbox } from "./topsort";

/** One network's emulator as the sandbox serves it. */
export interface EmulatorEntry {
  /** A fresh emulator of the network's API. */
  make(): NetworkEmulator;
  /** The path below the network's prefix that is the clients' base URL (ExoClick's "/v2"). */
  path?: string;
  /** The sandbox's values of the network's settings other than baseUrl (its credentials), by setting name. */
  settings: Record<string, string>;
}

/**
 * Every network's emulator, by network name: one per network of
 * provider/networks.ts (the type makes a missing one a compile error). The
 * emulators import nothing of the clients or resources: they are written
 * from the APIs' documentation, so the sandbox tests the provider.
 */
export const EMULATORS: Record<NetworkName, EmulatorEntry> = {
  affise: { make: () => new AffiseSandbox(), settings: { apiKey: AFFISE_SANDBOX_CREDENTIALS.apiKey } },
  exoclick: { make: () => new ExoClickSandbox(), path: "/v2", settings: { apiToken: EXOCLICK_SANDBOX_CREDENTIALS.apiToken } },
  integr8: { make: () => new Integr8Sandbox(), settings: { apiKey: INTEGR8_SANDBOX.apiKey, organizationId: INTEGR8_SANDBOX.organizationId } },
  interchange: { make: () => new InterchangeSandbox(), settings: { apiKey: INTERCHANGE_SANDBOX_CREDENTIALS.apiKey } },
  topsort: { make: () => new TopsortSandbox(), settings: { apiKey: TOPSORT_SANDBOX_CREDENTIALS.apiKey } },
};

/** Every network's emulator, freshly made. */
export function defaultNetworks(): NetworkEmulator[] {
  return Object.values(EMULATORS).map((e) => e.make());
}
