/**
 * pulumi-adnetworks: Pulumi resources for ad networks.
 *
 *   import { exoclick } from "pulumi-adnetworks";
 *   const url = new exoclick.LibraryUrl("landing", { url: "https://example.com" });
 */
export * as exoclick from "./exoclick";
export * as affise from "./affise";
export * as interchange from "./interchange";
export * as integr8 from "./integr8";
export * as topsort from "./topsort";
export { startSandbox, Sandbox, SandboxOptions } from "./sandbox/server";
export { ApiError, ConfigError } from "./core/errors";
