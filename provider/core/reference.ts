import * as pulumi from "@pulumi/pulumi";

/**
 * The provider reference stored in `__provider` of every resource: a tiny
 * module text that Pulumi's stock dynamic-provider host loads with
 * `requireFromString(text).handler()`. It names the type and nothing else;
 * the implementation is whatever version of `pulumi-adnetworks` is installed
 * where the host runs (`host.js` is a stable entry point that never moves).
 * It captures no closure and reads no credential at program time.
 */
export function providerReference(key: string): string {
  return `exports.handler=()=>require("pulumi-adnetworks/host").provider(${JSON.stringify(key)})`;
}

/** The dynamic type token Pulumi's stock host serves: pulumi-nodejs:dynamic/<module>:<Type>. */
export function typeToken(key: string): string {
  const [module, type] = key.split(":");
  return `pulumi-nodejs:dynamic/${module}:${type}`;
}

/**
 * Base of every resource class: a CustomResource of the dynamic type token,
 * with the provider reference instead of a serialized closure.
 * `key` is "<module>:<Type>", e.g. "exoclick:Campaign".
 */
export class AdnetResource extends pulumi.CustomResource {
  constructor(key: string, name: string, props: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) {
    if (props.__provider !== undefined) throw new Error("a resource must not define the __provider key");
    super(typeToken(key), name, { ...props, __provider: providerReference(key) }, opts);
  }
}
