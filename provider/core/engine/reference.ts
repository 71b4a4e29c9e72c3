import * as path from "path";
// The resource module only, not the package index.
import { CustomResource, CustomResourceOptions, mergeOptions } from "@pulumi/pulumi/resource";
import type { ArgsOf, Fields, OutputsOf } from "../schema/schema";
import { gate, GateDef } from "../guard/guard";
import { PLAN_KEY } from "../guard/plan";
import { STATE_VERSION } from "./upgrade";
import { quietRegistrationTrace } from "./sdkTrace";

/**
 * The provider reference stored in `__provider` of every resource: a tiny
 * module text that Pulumi's stock dynamic-provider host loads with
 * `requireFromString(text).handler()`. It names the type and nothing else;
 * the implementation is whatever version of `pulumi-adnetworks` is installed
 * where the host runs (`host.js` is a stable entry point that never moves).
 * It captures no closure and reads no credential at program time.
 */
export function providerReference(key: string): string {
  // The number is the version of the state's shape (core/engine/upgrade.ts): state that holds another reference was written by an older version.
  return `exports.handler=()=>require("pulumi-adnetworks/host").provider(${JSON.stringify(key)},${STATE_VERSION})`;
}

/** The dynamic type token Pulumi's stock host serves: pulumi-nodejs:dynamic/<module>:<Type>. */
export function typeToken(key: string): string {
  const [module, type] = key.split(":");
  return `pulumi-nodejs:dynamic/${module}:${type}`;
}

/** The package's resource code (dist/provider), whose constructor frames are not the user's call site. */
const PACKAGE_DIR = path.resolve(__dirname, "..", "..");

/**
 * Pulumi's Resource constructor records the whole call stack of every
 * resource (`new Error().stack` with no depth limit) and the engine stores
 * it in state: about 0.4 KB per resource, rewritten in every checkpoint.
 * Pulumi 3.248 has no option to turn that off. While an AdnetResource
 * registers, this keeps only the user's call site: the source position
 * (where the resource was declared) stays, the rest of the stack goes.
 * Frames as Resource.callsites() sees them: [callsites, stackTrace,
 * Resource, CustomResource, AdnetResource, <subclass>..., <user code>, ...].
 * Any other layout (another SDK version, another error) is left untouched.
 * `baseFile` is the module of the base class (the plugin's classes have theirs).
 *
 * The SDK also records a stack trace for each of the promises it makes per
 * resource (`debuggablePromise`: four per property, for its promise-leak
 * report only), about 90 for a Campaign: at 400 resources that was a sixth
 * of the program's CPU in a no-op preview. While the constructor runs the
 * stack depth is 0, so those cost nothing (`Resource.callsites()` raises it
 * for its own capture); with PULUMI_DEBUG_PROMISE_LEAKS set, the stacks stay.
 */
export function keepUserFrameOnly(baseFile: string = __filename): () => void {
  const original = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  if (!process.env.PULUMI_DEBUG_PROMISE_LEAKS) Error.stackTraceLimit = 0;
  const plain = (error: Error, frames: NodeJS.CallSite[]) => `${error}${frames.map((f) => `\n    at ${f}`).join("")}`;
  Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => {
    if (frames.length > 5 && frames[0].getFunctionName?.() === "callsites" && frames[4].getFileName?.() === baseFile) {
      const user = frames.findIndex((f, i) => i >= 5 && !(f.getFileName() ?? "").startsWith(PACKAGE_DIR + path.sep));
      // The SDK's five frames are dropped by Resource.stackTrace(4), only their lines count: written
      // plainly, so the installed formatter (source-map-support in a user's run: a source-map lookup per
      // frame, 0.15 s of 4 s for 400 resources) maps the user's frame alone.
      const head = plain(error, frames.slice(0, 5));
      if (user < 0) return head;
      const mapped = original ? original(error, [frames[user]]) : plain(error, [frames[user]]);
      const at = mapped.indexOf("\n    at ");
      return at >= 0 ? head + mapped.slice(at) : (original ?? plain)(error, [...frames.slice(0, 5), frames[user]]);
    }
    return (original ?? plain)(error, frames);
  };
  return () => {
    Error.prepareStackTrace = original;
    Error.stackTraceLimit = limit;
  };
}

/**
 * Base of every resource class: a CustomResource of the dynamic type token,
 * with the provider reference instead of a serialized closure.
 * `key` is "<module>:<Type>", e.g. "exoclick:Campaign".
 */
export class AdnetResource extends CustomResource {
  constructor(key: string, name: string, props: Record<string, unknown>, opts?: CustomResourceOptions) {
    if (props.__provider !== undefined) throw new Error("a resource must not define the __provider key");
    quietRegistrationTrace(typeToken(key));
    const restore = keepUserFrameOnly();
    try {
      super(typeToken(key), name, { ...props, __provider: providerReference(key) }, opts);
    } catch (e) {
      // Thrown while the stack depth was 0: give it the stack of this call (the user's call site).
      restore();
      if (e instanceof Error && !/\n\s+at /.test(e.stack ?? "")) Error.captureStackTrace(e, new.target);
      throw e;
    } finally {
      restore();
    }
  }
}

/**
 * The resource class for a schema-declared resource: typed arguments and
 * outputs from its fields, every declared field registered (so every output
 * exists whether or not its input was given), secret fields stored as
 * secret outputs.
 */
export function resourceClass<Fs extends Fields>(def: GateDef & { key: string; fields: Fs }) {
  const keys = Object.keys(def.fields);
  const secrets = keys.filter((k) => def.fields[k].secret);
  class Resource extends AdnetResource {
    constructor(name: string, args: ArgsOf<Fs>, opts?: CustomResourceOptions) {
      const given = (args ?? {}) as Record<string, unknown>;
      const props: Record<string, unknown> = {};
      for (const k of keys) props[k] = given[k];
      // Unknown keys go through too, so `check` names them at preview.
      for (const k of Object.keys(given)) if (!(k in props)) props[k] = given[k];
      // The program's gate: what the whole program shows about this resource (core/guard/guard.ts); check strips it.
      const gated = gate(def, name, given);
      props[PLAN_KEY] = gated.promise;
      super(def.key, name, props, secrets.length ? mergeOptions(opts, { additionalSecretOutputs: secrets }) : opts);
      gated.attach(this);
    }
  }
  return Resource as unknown as new (name: string, args: ArgsOf<Fs>, opts?: CustomResourceOptions) => AdnetResource & OutputsOf<Fs>;
}
