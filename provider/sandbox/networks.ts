import type { NetworkName } from "../networks";
import type { NetworkEmulator } from "./routes";
import { AFFISE_SANDBOX_CREDENTIALS, AffiseSandbox } from "./affise";
import { EXOCLICK_SANDBOX_CREDENTIALS, ExoClickSandbox } from "./exoclick";
import { INTEGR8_SANDBOX, Integr8Sandbox } from "./integr8";
import { INTERCHANGE_SANDBOX_CREDENTIALS, InterchangeSandbox } from "./interchange";
import { TOPSORT_SANDBOX_CREDENTIALS, TopsortSandbox } from "./topsort";

/** Another account of a network in the sandbox: its own credentials, and its own data. */
export interface SandboxAccount {
  /** Its emulator (with its own data), when the network's default emulator does not already serve it apart (Integr8's organizations). */
  make?(): NetworkEmulator;
  /** Its values of the network's settings other than baseUrl (its credentials), by setting name. */
  settings: Record<string, string>;
}

/** One network's emulator as the sandbox serves it. */
export interface EmulatorEntry {
  /** A fresh emulator of the network's API. */
  make(): NetworkEmulator;
  /** The path below the network's prefix that is the clients' base URL (ExoClick's "/v2"). */
  path?: string;
  /** The sandbox's values of the network's settings other than baseUrl (its credentials), by setting name. */
  settings: Record<string, string>;
  /** The other accounts the sandbox serves for the network, by name. */
  accounts: Record<string, SandboxAccount>;
}

/** The second account every network has in the sandbox (stack config `<network>:accounts`, sandbox/config.ts). */
export const SANDBOX_ACCOUNT = "brandB";

const EXO_B = { apiToken: "sandbox-exoclick-api-token-brandB", username: "sandbox-brandB", password: "sandbox-password-brandB" };
const AFFISE_B = { apiKey: "sandbox-affise-api-key-brandB" };
const INTERCHANGE_B = { apiKey: "scope3_sandbox_interchange_key_brandB" };
const TOPSORT_B = { apiKey: "ts_sandbox_private_key_0002" };
/** An emulator serving `account`; `idOffset` where the network's ids are unique across accounts. */
const as = <T extends NetworkEmulator>(e: T, account: string, idOffset = 0): T => Object.assign(e, { account }, idOffset ? { idOffset } : {});

/**
 * Every network's emulator, by network name: one per network of
 * provider/networks.ts (the type makes a missing one a compile error), and
 * a second account of each ("brandB"), with its own credentials and data.
 * The emulators import nothing of the clients or resources: they are
 * written from the APIs' documentation, so the sandbox tests the provider.
 */
export const EMULATORS: Record<NetworkName, EmulatorEntry> = {
  affise: {
    make: () => new AffiseSandbox(), settings: { apiKey: AFFISE_SANDBOX_CREDENTIALS.apiKey },
    accounts: { [SANDBOX_ACCOUNT]: { make: () => as(new AffiseSandbox(AFFISE_B), SANDBOX_ACCOUNT), settings: AFFISE_B } },
  },
  exoclick: {
    make: () => new ExoClickSandbox(), path: "/v2", settings: { apiToken: EXOCLICK_SANDBOX_CREDENTIALS.apiToken },
    accounts: { [SANDBOX_ACCOUNT]: { make: () => as(new ExoClickSandbox(EXO_B), SANDBOX_ACCOUNT, 1_000_000), settings: { apiToken: EXO_B.apiToken } } },
  },
  integr8: {
    make: () => new Integr8Sandbox(), settings: { apiKey: INTEGR8_SANDBOX.apiKey, organizationId: INTEGR8_SANDBOX.organizationId },
    // The emulator keeps each organization's objects apart already: the other organization is the second account.
    accounts: { [SANDBOX_ACCOUNT]: { settings: { apiKey: INTEGR8_SANDBOX.other.apiKey, organizationId: INTEGR8_SANDBOX.other.organizationId } } },
  },
  interchange: {
    make: () => new InterchangeSandbox(), settings: { apiKey: INTERCHANGE_SANDBOX_CREDENTIALS.apiKey },
    accounts: { [SANDBOX_ACCOUNT]: { make: () => as(new InterchangeSandbox(INTERCHANGE_B), SANDBOX_ACCOUNT, 1_000_000), settings: INTERCHANGE_B } },
  },
  topsort: {
    make: () => new TopsortSandbox(), settings: { apiKey: TOPSORT_SANDBOX_CREDENTIALS.apiKey },
    accounts: { [SANDBOX_ACCOUNT]: { make: () => as(new TopsortSandbox(TOPSORT_B), SANDBOX_ACCOUNT), settings: TOPSORT_B } },
  },
};

/** Every network's emulator, freshly made, with its other accounts'. */
export function defaultNetworks(): NetworkEmulator[] {
  return Object.values(EMULATORS).flatMap((e) => [e.make(), ...Object.values(e.accounts).flatMap((a) => (a.make ? [a.make()] : []))]);
}
