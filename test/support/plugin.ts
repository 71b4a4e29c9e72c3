import { sandboxAccountsConfig, sandboxConfig } from "../../provider/sandbox/config";
import type { Sandbox } from "../../provider/sandbox/server";

/**
 * The adnetworks provider's configuration for the sandbox (plugin/config.ts):
 * `{ <network>: { <setting>: value } }` of the default accounts, or of
 * `account` (the sandbox's other account, e.g. "brandB"), from the same
 * sandbox config the dynamic resources' tests use.
 */
export function pluginConfig(sb: Sandbox, networks: string[], account?: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const n of networks) {
    if (account) {
      const table = JSON.parse(Object.values(sandboxAccountsConfig(n, sb.urlFor(n)))[0].value);
      out[n] = table[account];
    } else {
      out[n] = Object.fromEntries(Object.entries(sandboxConfig(n, sb.urlFor(n))).map(([k, v]) => [k.split(":")[1], v.value]));
    }
  }
  return out;
}
