/**
 * Run as a child process by test/sandbox.clients.test.ts (Pulumi's runtime
 * mocks are process-global): runs one example program under mocks and prints
 * the name, type and inputs of every resource it declares, as JSON.
 *
 *   node example-probe.js <module under examples/> <exported function>
 */
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";

async function main() {
  const [mod, fn] = process.argv.slice(2);
  const declared: Array<{ name: string; type: string; inputs: Record<string, unknown> }> = [];
  pulumi.runtime.setMocks({
    newResource: (a) => {
      declared.push({ name: a.name, type: a.type, inputs: a.inputs });
      return { id: `${a.name}-id`, state: a.inputs };
    },
    call: (a) => a.inputs,
  }, "adnet", "example-probe", false);
  const program = require(path.join(__dirname, "..", "..", "examples", mod))[fn];
  const outputs: Record<string, unknown> = program();
  // Every output resolves once its resource was registered with the mocks.
  await Promise.all(Object.values(outputs).map((o) => (pulumi.Output.isInstance(o) ? new Promise((resolve) => o.apply(resolve)) : o)));
  process.stdout.write(JSON.stringify(declared));
}

main().catch((e) => {
  process.stderr.write(String(e?.stack ?? e));
  process.exit(1);
});
