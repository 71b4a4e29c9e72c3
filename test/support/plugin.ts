import { expect } from "chai";
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

/**
 * The examples' objects after a plugin stack's first up (test/e2e.plugin,
 * test/e2e.yaml): the banner campaign, the offer with its postback and the
 * Interchange campaign in the default accounts, and brandB's landing page
 * alone in ExoClick's brandB account. Returns the sandbox's inventory.
 */
export function expectExamplesCreated(sb: Sandbox): Record<string, Record<string, any[]>> {
  const inv = sb.inventory() as Record<string, Record<string, any[]>>;
  expect(inv.exoclick.campaigns).to.have.length(1);
  expect(inv.exoclick.libraryUrls.map((u) => u.url)).to.deep.equal(["https://your-landing-page.com"]);
  expect(inv["exoclick@brandB"].libraryUrls.map((u) => u.url)).to.deep.equal(["https://your-landing-page.com"]);
  expect(inv["exoclick@brandB"].campaigns).to.have.length(0);
  expect(inv.affise.offers).to.have.length(1);
  expect(inv.affise.postbacks).to.have.length(1);
  expect(inv.interchange.campaigns).to.have.length(1);
  return inv;
}
