/**
 * The example stacks the demo (and the benchmark's neighbours) deploy: each
 * names its program directory, its program function and the stack config
 * that points it at a sandbox. Adding a network's example is one entry.
 */
import type * as auto from "@pulumi/pulumi/automation";
import type { Sandbox } from "../../provider/sandbox/server";
import { networkNamed } from "../../provider/networks";
import { sandboxConfig as networkSandboxConfig } from "../../provider/sandbox/config";

export interface ExampleStack {
  /** Stack and project name. */
  name: string;
  title: string;
  /** Program directory, relative to the repo root. */
  workDir: string;
  program: () => auto.PulumiFn;
  /** Sandbox networks whose inventory the demo prints. */
  networks: string[];
}

/** Stack config pointing `networks` at the sandbox, from the network manifest. */
export function sandboxConfig(sb: Sandbox, networks: string[]): Record<string, auto.ConfigValue> {
  return Object.assign({}, ...networks.map((n) => networkSandboxConfig(n, sb.urlFor(n))));
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
      networks: ["exoclick"],
    },
    {
      name: "affise-offer",
      title: "Affise offer with payouts, caps, landings, creatives and targeting, plus a postback (seed 002)",
      workDir: "examples/affise-offer",
      program: () => {
        const { affiseOffer } = require("../../examples/affise-offer/program");
        return async () => affiseOffer();
      },
      networks: ["affise"],
    },
    {
      name: "integr8-postbacks",
      title: "Integr8 conversion and event postbacks, and an offer application (seed 004)",
      workDir: "examples/integr8-postbacks",
      program: () => {
        const { integr8Postbacks } = require("../../examples/integr8-postbacks/program");
        return async () => integr8Postbacks();
      },
      networks: ["integr8"],
    },
    {
      name: "retail-media",
      title: "Topsort banner campaign and Interchange campaign driven to ACTIVE (seeds 003 and 001)",
      workDir: "examples/retail-media",
      program: () => {
        const { retailMedia } = require("../../examples/retail-media/program");
        return async () => retailMedia();
      },
      networks: ["topsort", "interchange"],
    },
  ];
  return list;
}
