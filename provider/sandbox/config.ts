import { networkNamed } from "../networks";
import type { ConfigValue } from "../core/config/network";
import { accountsKey } from "../core/config/config";
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

/** One credential (or other setting) of the sandbox, as stack config takes it. */
export interface SandboxCredential {
  /** "default", or the name of another account ("brandB"). */
  account: string;
  /** The stack config key: `exoclick:apiToken`, or for another account its path, `exoclick:accounts.brandB.apiToken`. */
  key: string;
  value: string;
  secret: boolean;
}

/**
 * Every credential the sandbox accepts for a network, of every account it
 * serves (the default one first), from the emulators' own list
 * (sandbox/networks.ts): what the README's table and `adnet-sandbox --help`
 * show. Another account also needs its base URL (`<network>:accounts.<name>.baseUrl`,
 * the same URL as the default account's; sandboxAccountsConfig sets it).
 */
export function sandboxCredentials(name: string): SandboxCredential[] {
  const network = networkNamed(name);
  const emulator = (EMULATORS as Record<string, (typeof EMULATORS)[keyof typeof EMULATORS]>)[name];
  if (!network || !emulator) throw new Error(`no network ${JSON.stringify(name)}`);
  const out: SandboxCredential[] = [];
  const add = (account: string, values: Record<string, string>) => {
    for (const [k, v] of Object.entries(values)) {
      const spec = network.settings[k];
      if (!spec) continue;
      out.push({ account, key: account === "default" ? spec.key : `${accountsKey(name)}.${account}.${k}`, value: v, secret: !!spec.secret });
    }
  };
  add("default", emulator.settings);
  for (const [account, a] of Object.entries(emulator.accounts)) add(account, a.settings);
  return out;
}

/** The sandbox's credentials of a network as text: "`key` = `value`" pairs, another account's after "account <name>:" (README's table cell). */
export function sandboxCredentialsText(name: string, quote = "`"): string {
  const q = (s: string) => `${quote}${s}${quote}`;
  const creds = sandboxCredentials(name);
  const accounts = [...new Set(creds.map((c) => c.account))];
  return accounts.map((a) => {
    const pairs = creds.filter((c) => c.account === a).map((c) => `${q(c.key)} = ${q(c.value)}`).join(", ");
    return a === "default" ? pairs : `account ${q(a)}: ${pairs} (and ${q(`${accountsKey(name)}.${a}.baseUrl`)} = the same base URL)`;
  }).join("; ");
}
