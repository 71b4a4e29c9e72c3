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
    {
      name: "affise-offer",
      title: "Affise offer with payouts, caps, landings, creatives and targeting, plus a postback (seed 002)",
      workDir: "examples/affise-offer",
      program: () => {
        const { affiseOffer } = require("../../examples/affise-offer/program");
        return async () => affiseOffer();
      },
      config: (sb) => {
        const { AFFISE_SANDBOX_CREDENTIALS } = require("../../provider/affise/sandbox");
        return {
          "affise:baseUrl": { value: sb.urlFor("affise") },
          "affise:apiKey": { value: AFFISE_SANDBOX_CREDENTIALS.apiKey, secret: true },
        };
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
      config: (sb) => {
        const { INTEGR8_SANDBOX } = require("../../provider/integr8/sandbox");
        return {
          "integr8:baseUrl": { value: sb.urlFor("integr8") },
          "integr8:organizationId": { value: INTEGR8_SANDBOX.organizationId },
          "integr8:apiKey": { value: INTEGR8_SANDBOX.apiKey, secret: true },
        };
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
      config: (sb) => {
        const { TOPSORT_SANDBOX_CREDENTIALS } = require("../../provider/topsort/sandbox");
        const { INTERCHANGE_SANDBOX_CREDENTIALS } = require("../../provider/interchange/sandbox");
        return {
          "topsort:baseUrl": { value: sb.urlFor("topsort") },
          "topsort:apiKey": { value: TOPSORT_SANDBOX_CREDENTIALS.apiKey, secret: true },
          "interchange:baseUrl": { value: sb.urlFor("interchange") },
          "interchange:apiKey": { value: INTERCHANGE_SANDBOX_CREDENTIALS.apiKey, secret: true },
        };
      },
      networks: ["topsort", "interchange"],
    },
  ];
  return list;
}
