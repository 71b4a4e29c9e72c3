/**
 * One object of every resource type on a sandbox, for the tests of stock
 * `pulumi import` (test/e2e.pulumi-import.test.ts on the dynamic resources,
 * test/e2e.plugin.test.ts on the plugin), and the code the CLI prints for
 * them made previewable.
 */
import * as path from "path";
import type { Sandbox } from "../../provider/sandbox/server";
import type { ConfigValue } from "../../provider/core/config/network";
import { sandboxConfig } from "../../provider/sandbox/config";
import { applyStackConfig, resetStackConfig } from "../../provider/core/config/config";
import { resetContexts } from "../../provider/core/config/context";
import { NETWORKS } from "../../provider/networks";
import * as registry from "../../provider/registry";
import { ROWS, Ctx } from "../conformance/tables";
import { ROOT } from "../../scripts/lib/engine";

/** The stack config of every network against this sandbox (`<network>:<setting>`, credentials secret). */
export function everyNetworkConfig(sb: Sandbox): Record<string, ConfigValue> {
  return Object.fromEntries(NETWORKS.flatMap((n) => Object.entries(sandboxConfig(n.name, sb.urlFor(n.name)))));
}

/**
 * Makes one object of every type on the sandbox through the provider (the
 * conformance rows' inputs make what they link to), in the rows' order, with
 * this process's config pointed at the sandbox meanwhile (reset afterwards).
 * Each comes with the name an import gives it: `imported-<network>-<type>`.
 */
export async function oneOfEveryType(sb: Sandbox): Promise<Array<{ key: string; id: string; name: string }>> {
  const config = everyNetworkConfig(sb);
  resetStackConfig();
  resetContexts();
  applyStackConfig(Object.fromEntries(Object.entries(config).map(([k, v]) => [k, v.value])), Object.keys(config));
  try {
    const c: Ctx = {
      provider: (key) => registry.get(key),
      make: async (key, inputs) => {
        const checked = await registry.get(key).check({}, inputs);
        const r = await registry.get(key).create(checked.inputs!);
        return { id: r.id, outs: r.outs ?? {} };
      },
    };
    const made: Array<{ key: string; id: string; name: string }> = [];
    for (const row of ROWS) {
      const r = await c.make(row.key, await row.inputs(c));
      made.push({ key: row.key, id: r.id, name: `imported-${row.key.replace(":", "-").toLowerCase()}` });
    }
    return made;
  } finally {
    resetStackConfig();
    resetContexts();
  }
}

/** What the printed code gives for the image ExoClick keeps (no network returns its local path): the user fills it in. */
export const IMAGE_PLACEHOLDER = /"" \/\* the file exoclick keeps is not on this machine: save it next to the program and give its path \(adnet-import downloads it\) \*\//g;

/** The printed code with the banner example's image as that path. */
export function withExampleImage(code: string): string {
  return code.replace(IMAGE_PLACEHOLDER, JSON.stringify(path.join(ROOT, "examples", "exoclick-banner", "banner-300x250.png")));
}
