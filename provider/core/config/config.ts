import { ConfigError } from "../http/errors";
import { registerSecret } from "../http/redact";

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
  const now = (require("../engine/stackConfig") as typeof import("../engine/stackConfig")).currentStackConfig();
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

const constantCase = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/[^A-Za-z0-9]+/g, "_").toUpperCase();

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

export function readSettingValues<S extends Record<string, SettingSpec>>(settings: S, account: string = DEFAULT_ACCOUNT): SettingValues<S> {
  const out = {} as { [K in keyof S]: string | undefined };
  for (const k of Object.keys(settings) as Array<keyof S>) out[k] = account === DEFAULT_ACCOUNT ? setting(settings[k]) : accountSetting(settings[k], account);
  return out;
}

// ---------------------------------------------------------------- accounts

/** The account a resource uses when it names none: the network's own settings (`exoclick:apiToken`, EXOCLICK_API_TOKEN). */
export const DEFAULT_ACCOUNT = "default";

/** What an account name may be: a letter, then letters, digits, "_" or "-" (64 at most). */
export const ACCOUNT_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/**
 * The other accounts of a network, in one stack config key per network,
 * `<network>:accounts`: an object of accounts, each an object of the
 * network's settings by name. Each value can be set on its own and kept
 * secret:
 *
 *   pulumi config set --secret --path 'exoclick:accounts.brandB.apiToken' <token>
 *   pulumi config set --path 'exoclick:accounts.brandB.baseUrl' https://...
 *
 * (or the whole object at once: pulumi config set --secret exoclick:accounts
 * '{"brandB":{"apiToken":"..."}}'). An account's setting is its entry, then
 * the environment variable NETWORK_ACCOUNT_SETTING (EXOCLICK_BRAND_B_API_TOKEN),
 * then NETWORK_ACCOUNTS (the same JSON object), then the setting's declared
 * default. Never the default account's value: an account without its own
 * credentials fails instead of writing into another account.
 */
export function accountsKey(network: string): string {
  return `${network}:accounts`;
}
export function accountsEnv(network: string): string {
  return `${constantCase(network)}_ACCOUNTS`;
}
/** The environment variable of one setting of one account: EXOCLICK_BRAND_B_API_TOKEN. */
export function accountSettingEnv(spec: SettingSpec, account: string): string {
  const [network, name] = spec.key.split(":");
  return `${constantCase(network)}_${constantCase(account)}_${constantCase(name)}`;
}

type AccountTable = Record<string, Record<string, unknown>>;

/** One source of a network's accounts table (config or environment), parsed; a malformed one is a clear error that shows no value. */
function parseAccounts(raw: string | undefined, where: string): AccountTable | undefined {
  if (raw === undefined || raw === "") return undefined;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw new ConfigError(`${where} must be a JSON object of accounts, each an object of settings, e.g. {"brandB": {"apiToken": "..."}}; it is not valid JSON (the value is not shown)`);
  }
  if (!v || typeof v !== "object" || Array.isArray(v) || Object.values(v).some((a) => !a || typeof a !== "object" || Array.isArray(a))) {
    throw new ConfigError(`${where} must be a JSON object of accounts, each an object of settings, e.g. {"brandB": {"apiToken": "..."}} (the value is not shown)`);
  }
  for (const name of Object.keys(v)) {
    if (name === DEFAULT_ACCOUNT) throw new ConfigError(`${where}: "${DEFAULT_ACCOUNT}" is the network's own settings, not an entry of ${where}; give this account another name`);
    if (!ACCOUNT_NAME.test(name)) throw new ConfigError(`${where}: account name ${JSON.stringify(name)} must start with a letter and hold only letters, digits, "_" and "-" (at most 64)`);
  }
  return v as AccountTable;
}

/** The network's accounts table: program config, stack config, then the environment's JSON. */
function accountsTable(network: string): AccountTable {
  const key = accountsKey(network);
  const fromConfig = programConfig(key) ?? stackConfig.get(key);
  const table = parseAccounts(fromConfig, `stack config ${key}`) ?? parseAccounts(nonEmpty(process.env[accountsEnv(network)]), `environment ${accountsEnv(network)}`) ?? {};
  return table;
}

function accountSetting(spec: SettingSpec, account: string): string | undefined {
  const [network, name] = spec.key.split(":");
  const entry = accountsTable(network)[account];
  const given = entry?.[name];
  const v = (typeof given === "string" && given !== "" ? given : typeof given === "number" ? String(given) : undefined)
    ?? nonEmpty(process.env[accountSettingEnv(spec, account)])
    ?? (() => {
      const fromEnvJson = parseAccounts(nonEmpty(process.env[accountsEnv(network)]), `environment ${accountsEnv(network)}`)?.[account]?.[name];
      return typeof fromEnvJson === "string" && fromEnvJson !== "" ? fromEnvJson : undefined;
    })()
    ?? spec.default;
  if (spec.secret) registerSecret(v);
  return v;
}

/** The accounts a network's config names (besides the default), sorted. */
export function accountNames(settings: Record<string, SettingSpec>): string[] {
  const network = Object.values(settings)[0]?.key.split(":")[0];
  if (!network) return [];
  const names = new Set(Object.keys(accountsTable(network)));
  for (const a of Object.keys(parseAccounts(nonEmpty(process.env[accountsEnv(network)]), `environment ${accountsEnv(network)}`) ?? {})) names.add(a);
  return [...names].sort();
}

/** Whether an account is configured: the default always; another when the accounts table names it or one of its settings is in the environment. */
export function accountConfigured(settings: Record<string, SettingSpec>, account: string): boolean {
  if (account === DEFAULT_ACCOUNT) return true;
  if (accountNames(settings).includes(account)) return true;
  return Object.values(settings).some((s) => nonEmpty(process.env[accountSettingEnv(s, account)]) !== undefined);
}

/**
 * Whether an account is configured, from the network's name alone (the
 * program's gate has no settings): the default always; another when the
 * accounts table names it or an environment variable NETWORK_ACCOUNT_* is
 * set. A malformed table counts as configured (the check reports it).
 */
export function accountKnown(network: string, account: string): boolean {
  if (account === DEFAULT_ACCOUNT) return true;
  try {
    if (Object.prototype.hasOwnProperty.call(accountsTable(network), account)) return true;
  } catch {
    return true;
  }
  const prefix = `${constantCase(network)}_${constantCase(account)}_`;
  return Object.keys(process.env).some((k) => k.startsWith(prefix) && nonEmpty(process.env[k]) !== undefined);
}

/** How to configure an account of a network: the commands, for messages. */
export function accountHint(settings: Record<string, SettingSpec>, account: string): string {
  const secret = Object.values(settings).filter((s) => s.secret);
  const first = secret[0] ?? Object.values(settings)[0];
  if (!first) return "";
  const [network, name] = first.key.split(":");
  return `pulumi config set ${first.secret ? "--secret " : ""}--path '${accountsKey(network)}.${account}.${name}' <value> (environment ${accountSettingEnv(first, account)})`;
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

/** Whether this process is the engine's dynamic-provider host (not a program, a command or a test calling the provider). */
export function isProviderHost(): boolean {
  return providerHost;
}

/** For tests: act as the provider host (true) or not. */
export function setProviderHost(on: boolean): void {
  providerHost = on;
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

/** One clear error naming every way to provide a missing setting (of `account` when it is not the default). */
export function missingSettings(network: string, alternatives: SettingSpec[][], account: string = DEFAULT_ACCOUNT): ConfigError {
  if (account !== DEFAULT_ACCOUNT) {
    const ways = alternatives.map((group) => group.map((s) => {
      const [net, name] = s.key.split(":");
      return `${accountsKey(net)}.${account}.${name}${s.secret ? " (secret)" : ""} or environment ${accountSettingEnv(s, account)}`;
    }).join(" + "));
    const setCmd = alternatives[0].map((s) => {
      const [net, name] = s.key.split(":");
      return `pulumi config set ${s.secret ? "--secret " : ""}--path '${accountsKey(net)}.${account}.${name}' <value>`;
    }).join("; ");
    return new ConfigError(`${network} credentials of account ${JSON.stringify(account)} are missing: set ${ways.join(", or ")}. For example: ${setCmd}`);
  }
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
