/**
 * pulumi-adnetworks: Pulumi resources for ad networks.
 *
 *   import { exoclick } from "pulumi-adnetworks";
 *   const url = new exoclick.LibraryUrl("landing", { url: "https://example.com" });
 */
// First: Node.js and @pulumi/pulumi in the tested range, or one message saying what to do (core/engine/compat.ts).
import "./core/engine/loadCheck";
// generated: one namespace per network of provider/networks.ts (npm run docs); do not edit by hand
export * as affise from "./affise";
export * as exoclick from "./exoclick";
export * as integr8 from "./integr8";
export * as interchange from "./interchange";
export * as topsort from "./topsort";
// end of generated namespaces
// The adnetworks provider plugin's SDK (types adnetworks:<network>:<Type>, Provider): also `pulumi-adnetworks/plugin`.
export * as adnetworks from "./plugin/sdk";
import type { Sandbox, SandboxOptions } from "./sandbox/server";
export type { Sandbox, SandboxOptions };
/** A local emulator of every network's API (`npx adnet-sandbox`); its code is loaded on the first call, not by every program. */
export function startSandbox(opts?: SandboxOptions): Promise<Sandbox> {
  return (require("./sandbox/server") as typeof import("./sandbox/server")).startSandbox(opts);
}
export { ApiError, ConfigError } from "./core/http/errors";

// Run as a source plugin (PulumiPlugin.yaml; the language host's run-plugin requires this file): serve the plugin.
import { startedByRunPlugin } from "./plugin/source";
if (startedByRunPlugin(module)) require("./plugin/main").start(process.argv.slice(2));
