import * as pulumi from "@pulumi/pulumi";
import type { ArgsOf, Fields, OutputsOf } from "./schema";

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

/**
 * The resource class for a schema-declared resource: typed arguments and
 * outputs from its fields, every declared field registered (so every output
 * exists whether or not its input was given), secret fields stored as
 * secret outputs.
 */
export function resourceClass<Fs extends Fields>(def: { key: string; fields: Fs }) {
  const keys = Object.keys(def.fields);
  const secrets = keys.filter((k) => def.fields[k].secret);
  class Resource extends AdnetResource {
    constructor(name: string, args: ArgsOf<Fs>, opts?: pulumi.CustomResourceOptions) {
      const given = (args ?? {}) as Record<string, unknown>;
      const props: Record<string, unknown> = {};
      for (const k of keys) props[k] = given[k];
      // Unknown keys go through too, so `check` names them at preview.
      for (const k of Object.keys(given)) if (!(k in props)) props[k] = given[k];
      super(def.key, name, props, secrets.length ? pulumi.mergeOptions(opts, { additionalSecretOutputs: secrets }) : opts);
    }
  }
  return Resource as unknown as new (name: string, args: ArgsOf<Fs>, opts?: pulumi.CustomResourceOptions) => AdnetResource & OutputsOf<Fs>;
}
