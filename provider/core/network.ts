import type { SettingSpec } from "./config";
import type { ResourceDef, ProviderImpl } from "./define";
import type { NetworkEmulator } from "../sandbox/server";

/** A stack config value as the Automation API takes it. */
export interface ConfigValue {
  value: string;
  secret?: boolean;
}

/**
 * Everything the rest of the project needs to know about one network: its
 * folder exports one of these (`<network>/network.ts`) and `provider/networks.ts`
 * lists it. The registry, the config keys, the sandbox, the demo, the
 * generated docs and the conformance tests all read this list.
 * Keep it light: resources and the emulator load on first use.
 */
export interface NetworkDef {
  /** Module of the type tokens and namespace of the config keys, e.g. "exoclick". */
  name: string;
  /** Human name, e.g. "ExoClick". */
  title: string;
  /** The network's docs page, relative to the repository root. */
  docs: string;
  /** Settings read at call time (stack config, then environment). */
  settings: Record<string, SettingSpec>;
  /** Resource definitions by type name, loaded on first use. */
  resources: Record<string, () => ResourceDef<any> | ProviderImpl>;
  /** A fresh emulator of the network's API for the sandbox. */
  emulator(): NetworkEmulator;
  /** Stack config that points the network at a sandbox serving at `sandboxUrl` (the network's prefix), with the sandbox's credentials. */
  sandboxConfig(sandboxUrl: string): Record<string, ConfigValue>;
}
