import { networkNamed } from "../networks";
import type { ConfigValue } from "../core/network";
import { accountsKey } from "../core/config";
import { EMULATORS } from "./networks";

/**
 * The stack config that points a network at a sandbox serving it at
 * `sandboxUrl` (the network's prefix, `sb.urlFor(name)`), with the sandbox's
 * credentials: keys from the network's settings (provider/networks.ts),
 * values from its emulator (sandbox/networks.ts). Used by the demo, the
 * examples, the benchmarks and the tests; the emulators never read it.
 */
export function sandboxConfig(name: string, sandboxUrl: string): Record<string, ConfigValue> {
  const network = networkNamed(name);
  const emulator = (EMULATORS as Record<string, (typeof EMULATORS)[keyof typeof EMULATORS]>)[name];
  if (!network || !emulator) throw new Error(`no network ${JSON.stringify(name)}`);
  const out: Record<string, ConfigValue> = { [`${name}:baseUrl`]: { value: `${sandboxUrl}${emulator.path ?? ""}` } };
  for (const [k, v] of Object.entries(emulator.settings)) {
    const spec = network.settings[k];
    if (spec) out[spec.key] = { value: v, ...(spec.secret ? { secret: true } : {}) };
  }
  return out;
}

/**
 * The stack config of the sandbox's other accounts of a network
 * (`<network>:accounts`, one secret JSON object: each account's credentials
 * and base URL), as a program with resources of `account: "brandB"` needs it.
 */
export function sandboxAccountsConfig(name: string, sandboxUrl: string): Record<string, ConfigValue> {
  const network = networkNamed(name);
  const emulator = (EMULATORS as Record<string, (typeof EMULATORS)[keyof typeof EMULATORS]>)[name];
  if (!network || !emulator) throw new Error(`no network ${JSON.stringify(name)}`);
  const accounts: Record<string, Record<string, string>> = {};
  for (const [account, a] of Object.entries(emulator.accounts)) accounts[account] = { baseUrl: `${sandboxUrl}${emulator.path ?? ""}`, ...a.settings };
  return { [accountsKey(name)]: { value: JSON.stringify(accounts), secret: true } };
}
