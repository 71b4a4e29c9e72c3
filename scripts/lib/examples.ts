/**
 * The example stacks the demo (and the benchmark's neighbours) deploy: each
 * names its program directory, its program function and the stack config
 * that points it at a sandbox. Adding a network's example is one entry.
 */
import type * as auto from "@pulumi/pulumi/automation";
import type { Sandbox } from "../../provider/sandbox/server";

export interface ExampleStack {
  /** Stack and project name. */
  name: string;
  title: string;
  /** Program directory, relative to the repo root. */
  workDir: string;
  program: () => auto.PulumiFn;
  config(sb: Sandbox): Record<string, auto.ConfigValue>;
  /** Sandbox networks whose inventory the demo prints. */
  networks: string[];
}

export function exampleStacks(): ExampleStack[] {
  const list: ExampleStack[] = [
    {
      name: "exoclick-banner",
      title: "ExoClick 300x250 banner campaign (seed 000)",
      workDir: "examples/exoclick-banner",
      program: () => {
        const { exoclickBanner } = require("../../examples/exoclick-banner/program");
        return async () => exoclickBanner();
      },
      config: (sb) => {
        const { EXOCLICK_SANDBOX_CREDENTIALS } = require("../../provider/exoclick/sandbox");
        return {
          "exoclick:baseUrl": { value: `${sb.urlFor("exoclick")}/v2` },
          "exoclick:apiToken": { value: EXOCLICK_SANDBOX_CREDENTIALS.apiToken, secret: true },
        };
      },
      networks: ["exoclick"],
    },
  ];
  return list;
}
