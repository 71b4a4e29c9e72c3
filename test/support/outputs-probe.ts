/**
 * Run as a child process by test/outputs.test.ts (Pulumi's runtime mocks are
 * process-global): constructs every schema-declared resource with only its
 * required inputs and prints, per type, which declared fields are not
 * Outputs on the instance and what the id resolved to.
 */
import * as pulumi from "@pulumi/pulumi";
import { NETWORKS } from "../../provider/networks";
import { definition } from "../../provider/registry";
import type { Field, Fields } from "../../provider/core/schema/schema";

/** A value of the right shape for a required field (mocks run no check). */
function sample(field: Field): unknown {
  switch (field.kind) {
    case "enum":
      return field.values[0];
    case "number":
    case "integer":
      return 1;
    case "boolean":
      return true;
    case "list":
      return [sample(field.items)];
    case "object":
      return sampleArgs(field.fields);
    case "map":
    case "json":
      return {};
    default:
      return field.example ?? "x";
  }
}

function sampleArgs(fields: Fields): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, f]) => f.required && !f.output).map(([k, f]) => [k, sample(f)]));
}

async function main() {
  pulumi.runtime.setMocks({ newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: (a) => a.inputs }, "adnet", "outputs", false);
  const pkg = require("../../provider");
  const report: Record<string, { fields: number; missing: string[]; id: unknown } | "no schema"> = {};
  for (const n of NETWORKS) {
    for (const type of Object.keys(n.resources)) {
      const key = `${n.name}:${type}`;
      const def = definition(key);
      if (!def) {
        report[key] = "no schema";
        continue;
      }
      const res = new pkg[n.name][type](`r-${type}`, sampleArgs(def.fields));
      const missing = Object.keys(def.fields).filter((k) => !pulumi.Output.isInstance(res[k]));
      const id = await new Promise((resolve) => res.id.apply(resolve));
      report[key] = { fields: Object.keys(def.fields).length, missing, id };
    }
  }
  process.stdout.write(JSON.stringify(report));
}

main().catch((e) => {
  process.stderr.write(String(e?.stack ?? e));
  process.exit(1);
});
