import { ConfigError } from "./errors";
import { registerSecret } from "./redact";

/**
 * Provider settings. The dynamic-provider host calls `configure()` with the
 * whole stack config once per process; values are kept here, in the
 * implementation module, never in the serialized provider. Every lookup
 * happens at call time, in this order:
 *  1. the running Pulumi program's config (lookups such as
 *     `topsort.listCampaigns` run in the program process, not the provider
 *     host; in the host this config is empty),
 *  2. the stack config that `configure()` delivered,
 *  3. the environment, then the default.
 */
const stackConfig = new Map<string, string>();

export interface ConfigSource {
  get(key: string): string | undefined;
}

/** Called from the provider's configure(): remembers every `ns:key` value. */
export function applyStackConfig(source: ConfigSource | Record<string, unknown> | undefined, keys: string[]): void {
  if (!source) return;
  for (const key of keys) {
    const v = typeof (source as ConfigSource).get === "function"
      ? (source as ConfigSource).get(key)
      : (source as Record<string, unknown>)[key];
    if (typeof v === "string" && v !== "") stackConfig.set(key, v);
  }
}

/**
 * What the provider's configure() does with the engine's config: the stack
 * config of the running CLI wins when it can be read (on refresh and
 * destroy the engine passes the config recorded at the last `up`), else the
 * engine's values are used. Synchronous, like the lookup (see stackConfig.ts).
 */
export function applyConfigure(engine: ConfigSource | Record<string, unknown> | undefined, keys: string[]): void {
  const now = (require("./stackConfig") as typeof import("./stackConfig")).currentStackConfig();
  if (now) {
    stackConfig.clear();
    applyStackConfig(now, keys);
  } else applyStackConfig(engine, keys);
}

/** For tests and the sandbox harness. */
export function resetStackConfig(): void {
  stackConfig.clear();
}

export interface SettingSpec {
  /** Stack config key, e.g. "exoclick:apiToken". */
  key: string;
  /** Environment fallback, e.g. "EXOCLICK_API_TOKEN". */
  env: string;
  secret?: boolean;
  default?: string;
}

/** A setting as a network declares it: its stack config key is "<network>:<name>", its environment variable NETWORK_NAME. */
export interface SettingDecl {
  secret?: boolean;
  default?: string;
}

const constantCase = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();

/**
 * A network's settings from their declaration: config keys and environment
 * names derived. Each network keeps this in a leaf module
 * (`<network>/settings.ts`) that its client, resources and network
 * declaration import, so no network folder is an import circle.
 */
export function defineSettings<S extends Record<string, SettingDecl>>(network: string, decls: S): { [K in keyof S]: SettingSpec } {
  return Object.fromEntries(Object.entries(decls).map(([k, s]) => [k, {
    key: `${network}:${k}`, env: `${constantCase(network)}_${constantCase(k)}`, ...(s.secret ? { secret: true } : {}), ...(s.default !== undefined ? { default: s.default } : {}),
  }])) as { [K in keyof S]: SettingSpec };
}

/** The values of a network's settings (stack config, then environment, then default), read now. */
export type SettingValues<S> = { readonly [K in keyof S]: string | undefined };

export function readSettingValues<S extends Record<string, SettingSpec>>(settings: S): SettingValues<S> {
  const out = {} as { [K in keyof S]: string | undefined };
  for (const k of Object.keys(settings) as Array<keyof S>) out[k] = setting(settings[k]);
  return out;
}

let providerHost = false;
/**
 * Called by the dynamic-provider host: there no program runs, and the SDK's
 * program config holds only the host's own `pulumi-nodejs:` keys (reading it
 * parses PULUMI_CONFIG on every lookup), so lookups skip it.
 */
export function markProviderHost(): void {
  providerHost = true;
}

function programConfig(key: string): string | undefined {
  if (providerHost) return undefined;
  try {
    return nonEmpty(require("@pulumi/pulumi/runtime/config").getConfig(key));
  } catch {
    return undefined;
  }
}

export function setting(spec: SettingSpec): string | undefined {
  const v = programConfig(spec.key) ?? stackConfig.get(spec.key) ?? nonEmpty(process.env[spec.env]) ?? spec.default;
  if (spec.secret) registerSecret(v);
  return v;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === "" ? undefined : v;
}

/** One clear error naming every way to provide a missing setting. */
export function missingSettings(network: string, alternatives: SettingSpec[][]): ConfigError {
  const ways = alternatives.map((group) => {
    const cfg = group.map((s) => `${s.key}${s.secret ? " (secret)" : ""}`).join(" + ");
    const env = group.map((s) => s.env).join(" + ");
    return `stack config ${cfg} or environment ${env}`;
  });
  const setCmd = alternatives[0]
    .map((s) => `pulumi config set ${s.secret ? "--secret " : ""}${s.key} <value>`)
    .join("; ");
  return new ConfigError(`${network} credentials are missing: set ${ways.join(", or ")}. For example: ${setCmd}`);
}
