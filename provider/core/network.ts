import type { SettingSpec } from "./config";
import type { ResourceDef } from "./define";
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
  resources: Record<string, () => ResourceDef<any>>;
  /** A fresh emulator of the network's API for the sandbox. */
  emulator(): NetworkEmulator;
  /** Stack config that points the network at a sandbox serving at `sandboxUrl` (the network's prefix), with the sandbox's credentials. */
  sandboxConfig(sandboxUrl: string): Record<string, ConfigValue>;
}

/** A setting as a network declares it: its stack config key is "<network>:<name>", its environment variable NETWORK_NAME. */
export interface SettingDecl {
  secret?: boolean;
  default?: string;
}

export interface NetworkDecl<S extends Record<string, SettingDecl>> {
  name: string;
  title: string;
  settings: S;
  resources: NetworkDef["resources"];
  emulator(): NetworkEmulator;
  /** The sandbox: the path below the network's prefix that is its base URL, and the sandbox's values of the other settings. */
  sandbox: { path?: string; settings(): Partial<Record<keyof S, string>> };
}

const constantCase = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();

/** A network's definition from its declaration: config keys, environment names, docs page and sandbox config derived. */
export function defineNetwork<S extends Record<string, SettingDecl>>(d: NetworkDecl<S>): NetworkDef & { settings: { [K in keyof S]: SettingSpec } } {
  const settings = Object.fromEntries(Object.entries(d.settings).map(([k, s]) => [k, {
    key: `${d.name}:${k}`, env: `${constantCase(d.name)}_${constantCase(k)}`, ...(s.secret ? { secret: true } : {}), ...(s.default !== undefined ? { default: s.default } : {}),
  }])) as { [K in keyof S]: SettingSpec };
  return {
    name: d.name,
    title: d.title,
    docs: `docs/${d.name}.md`,
    settings,
    resources: d.resources,
    emulator: d.emulator,
    sandboxConfig: (url) => {
      const out: Record<string, ConfigValue> = { [`${d.name}:baseUrl`]: { value: `${url}${d.sandbox.path ?? ""}` } };
      for (const [k, v] of Object.entries(d.sandbox.settings())) if (typeof v === "string") out[`${d.name}:${k}`] = { value: v, ...(d.settings[k]?.secret ? { secret: true } : {}) };
      return out;
    },
  };
}
