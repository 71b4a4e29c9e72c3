/**
 * The SDK side of the plugin: resource classes of the `adnetworks` package
 * (type tokens `adnetworks:<network>:<Type>`, served by
 * `pulumi-resource-adnetworks`, plugin/server.ts) from the same declarations
 * as the dynamic classes (core/engine/reference.ts `resourceClass`): typed
 * arguments and outputs from the fields, the program's guardrail gate, secret
 * fields as secret outputs, the user's call site only in state. Plus
 * `Provider` (explicit providers: one per set of accounts) and `.get()`.
 * No `__provider` is stored: the engine knows the plugin by the token.
 */
import { CustomResource, CustomResourceOptions, ProviderResource, ResourceOptions, mergeOptions } from "@pulumi/pulumi/resource";
import { secret } from "@pulumi/pulumi/output";
import type { Input, Output } from "@pulumi/pulumi/output";
import type { ArgsOf, Fields, OutputsOf } from "../core/schema/schema";
import { gate, GateDef } from "../core/guard/guard";
import { PLAN_KEY } from "../core/guard/plan";
import { keepUserFrameOnly, typeToken } from "../core/engine/reference";
import { quietRegistrationTrace } from "../core/engine/sdkTrace";
import { PACKAGE, pluginToken } from "./token";
import { isDeclaredDefault } from "./defaults";

/** Base of every plugin resource class: a CustomResource of the plugin's token. */
export class PluginResource extends CustomResource {
  constructor(key: string, name: string, props: Record<string, unknown>, opts?: CustomResourceOptions) {
    const token = pluginToken(key);
    quietRegistrationTrace(token);
    const restore = keepUserFrameOnly(__filename);
    try {
      super(token, name, props, opts);
    } catch (e) {
      restore();
      if (e instanceof Error && !/\n\s+at /.test(e.stack ?? "")) Error.captureStackTrace(e, new.target);
      throw e;
    } finally {
      restore();
    }
  }
}

/** The explicit provider a resource goes to, as the guardrails' account scope: its name (one per stack). */
function scopeOf(provider: unknown): string | undefined {
  if (!provider || typeof provider !== "object") return undefined;
  return `provider:${(provider as { __name?: string }).__name ?? ""}`;
}

/** A plugin resource class: `new exoclick.Campaign(name, args, opts)` and `Campaign.get(name, id, opts)`. */
export type PluginClass<Fs extends Fields> = {
  new (name: string, args: ArgsOf<Fs>, opts?: CustomResourceOptions): PluginResource & OutputsOf<Fs>;
  /**
   * The existing object `id` (an import id of the type; "<account>:<id>"
   * for another account of the provider's config), read into the program
   * without managing it.
   */
  get(name: string, id: Input<string>, opts?: CustomResourceOptions): PluginResource & OutputsOf<Fs>;
};

export function pluginResourceClass<Fs extends Fields>(def: GateDef & { key: string; fields: Fs }): PluginClass<Fs> {
  const keys = Object.keys(def.fields);
  const secrets = keys.filter((k) => def.fields[k].secret);
  class Resource extends PluginResource {
    static get(name: string, id: Input<string>, opts?: CustomResourceOptions) {
      return new Resource(name, undefined as unknown as ArgsOf<Fs>, { ...opts, id });
    }
    constructor(name: string, args: ArgsOf<Fs>, opts?: CustomResourceOptions) {
      const given = (args ?? {}) as Record<string, unknown>;
      const props: Record<string, unknown> = {};
      // A value equal to its declared default is not registered (lean state: plugin/defaults.ts); its output is still the value.
      const defaulted: Record<string, unknown> = {};
      for (const k of keys) {
        if (!opts?.id && isDeclaredDefault(def.fields[k], given[k])) defaulted[k] = given[k];
        props[k] = opts?.id || k in defaulted ? undefined : given[k];
      }
      let gated: ReturnType<typeof gate> | undefined;
      if (!opts?.id) {
        // Unknown keys go through too, so `check` names them at preview.
        for (const k of Object.keys(given)) if (!(k in props)) props[k] = given[k];
        // The program's gate (core/guard/guard.ts): check reads and strips it.
        gated = gate(def, name, given, scopeOf(opts?.provider));
        props[PLAN_KEY] = gated.promise;
      }
      // The dynamic resource of the same name is this one (a stack moves to the plugin with 0 replaces: docs/plugin.md).
      const moved: CustomResourceOptions = { aliases: [{ type: typeToken(def.key) }], ...(secrets.length ? { additionalSecretOutputs: secrets } : {}) };
      super(def.key, name, props, mergeOptions(opts, moved));
      for (const [k, v] of Object.entries(defaulted)) (this as unknown as Record<string, Output<unknown>>)[k] = this.urn.apply(() => v);
      gated?.attach(this);
    }
  }
  return Resource as unknown as PluginClass<Fs>;
}

/** One network's settings as a Provider argument (plugin/config.ts derives the schema's from the same settings). */
export type NetworkSettingsArgs<S extends string> = { [K in S]?: Input<string> } & {
  /** Other accounts of the network by name (`account` input), each with these settings. */
  accounts?: Input<Record<string, Record<string, Input<string>>>>;
};

/**
 * Marks every secret setting of a Provider's arguments secret (the names
 * come from the settings' declarations), so credentials are stored encrypted
 * in state whatever the program passed.
 */
export function secretSettings(args: Record<string, unknown>, secretNames: Record<string, readonly string[]>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...args };
  for (const [network, names] of Object.entries(secretNames)) {
    const given = args[network];
    if (!given || typeof given !== "object") continue;
    const copy: Record<string, unknown> = { ...(given as Record<string, unknown>) };
    for (const n of names) if (copy[n] !== undefined) copy[n] = secret(copy[n] as Input<string>);
    if (copy.accounts !== undefined) copy.accounts = secret(copy.accounts as Input<Record<string, unknown>>);
    out[network] = copy;
  }
  return out;
}

/** The base of the generated `Provider` class (plugin/sdk/index.ts). */
export class AdnetworksProviderResource extends ProviderResource {
  constructor(name: string, args: Record<string, unknown>, secretNames: Record<string, readonly string[]>, opts?: ResourceOptions) {
    super(PACKAGE, name, secretSettings(args ?? {}, secretNames), opts);
  }
}

export type { Output };
