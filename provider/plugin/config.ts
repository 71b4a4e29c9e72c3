/**
 * The provider's configuration, derived from the networks' settings
 * (`<network>/settings.ts`) and the guardrails' settings: one object per
 * network (`exoclick: { apiToken, baseUrl, ... , accounts }`) and the
 * guardrails at the top (`maxDailyBudget`, `currencies`, ...). Nothing here
 * names a setting: the schema's `config` and `provider` sections, the SDK's
 * `Provider` arguments and `Configure` all read the same lists.
 *
 * A provider instance's configuration arrives in `Configure` (stack config
 * `adnetworks:exoclick` for the default provider, the `Provider` resource's
 * arguments for an explicit one) and becomes the call-time settings of the
 * process (core/config/config.ts): the engine starts one plugin process per
 * provider instance, so each instance's contexts (core/config/context.ts) are built
 * from its own credentials. The environment stays the fallback, as for the
 * dynamic resources.
 */
import { NETWORKS } from "../networks";
import { accountsKey, applyStackConfig, resetStackConfig, SettingSpec } from "../core/config/config";
import { GUARDRAIL_SETTINGS } from "../core/money/spend";
import { currentStackConfig, parentCli, readStackConfig } from "../core/engine/stackConfig";
import { didYouMean } from "../core/schema/text";

/** One setting of a network as the provider's config sees it. */
export interface NetworkSetting {
  network: string;
  title: string;
  name: string;
  spec: SettingSpec;
}

/** Every network's settings, by network. */
export function networkSettings(): Array<{ network: string; title: string; settings: NetworkSetting[] }> {
  return NETWORKS.map((n) => ({
    network: n.name,
    title: n.title,
    settings: Object.entries(n.settings as Record<string, SettingSpec>).map(([name, spec]) => ({ network: n.name, title: n.title, name, spec })),
  }));
}

/** The guardrails' settings (`adnetworks:<name>`), by name. */
export function guardrailSettings(): Array<{ name: string; key: string; env: string }> {
  return Object.entries(GUARDRAIL_SETTINGS).map(([name, s]) => ({ name, key: s.key, env: s.env }));
}

/** What a setting is, for the schema and the SDK's JSDoc. */
export function settingDoc(s: NetworkSetting): string {
  return `${s.title} ${s.name}${s.spec.secret ? " (secret)" : ""}; default: environment ${s.spec.env}${s.spec.default ? `, then ${JSON.stringify(s.spec.default)}` : ""}. The dynamic resources read it from stack config ${s.spec.key}.`;
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

/** A property value with Pulumi's secret wrappers removed (the engine may send `{<sig>: <secret>, value}`). */
export function unwrapSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (o[SECRET_SIG] === SECRET_VALUE) return unwrapSecrets(o.value);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unwrapSecrets(x)]));
  }
  return v;
}

/** A config value as given: an object, or its JSON text (config set from the CLI, or an older SDK). */
function objectOf(v: unknown): Record<string, unknown> | undefined {
  if (typeof v === "string" && v.trim().startsWith("{")) {
    try {
      return objectOf(JSON.parse(v));
    } catch {
      return undefined;
    }
  }
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** `api_token` → `apiToken`: the spelling Python's and Go's plain maps use for a setting. */
const camel = (k: string) => k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** A network's settings object with each key in the declared spelling (snake_case accepted). */
function settingKeys(given: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(given).map(([k, v]) => [camel(k), v]));
}

/**
 * Settings a provider's configuration names that no network declares
 * (`exoclick: { apiKey: ... }`): each one a failure naming the setting,
 * the nearest declared name and the list, so credentials given under a
 * wrong name are refused at preview instead of ignored.
 */
export function configFailures(config: Record<string, unknown>): Array<{ property: string; reason: string }> {
  const c = unwrapSecrets(config) as Record<string, unknown>;
  const out: Array<{ property: string; reason: string }> = [];
  for (const n of networkSettings()) {
    const raw = c[n.network];
    if (raw === undefined || raw === null || raw === "") continue;
    const given = objectOf(raw);
    if (!given) {
      out.push({ property: n.network, reason: `${n.network} must be an object of ${n.title} settings (${n.settings.map((s) => s.name).join(", ")}, accounts); got ${JSON.stringify(raw)}` });
      continue;
    }
    const names = [...n.settings.map((s) => s.name), "accounts"];
    for (const key of Object.keys(given)) {
      if (names.includes(camel(key))) continue;
      out.push({
        property: `${n.network}.${key}`,
        reason: `${n.title} has no setting ${JSON.stringify(key)}${didYouMean(camel(key), names)}; its settings are ${names.join(", ")} (snake_case spellings such as api_token are accepted)`,
      });
    }
  }
  return out;
}

const text = (v: unknown) => (v === undefined || v === null ? undefined : typeof v === "string" ? v : JSON.stringify(v));

/**
 * The settings of one provider instance as stack config keys of the
 * dynamic resources (`exoclick:apiToken`, `exoclick:accounts`,
 * `adnetworks:maxDailyBudget`), from its configuration.
 */
export function settingsOf(config: Record<string, unknown>): Record<string, string> {
  const c = unwrapSecrets(config) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const n of networkSettings()) {
    const raw = objectOf(c[n.network]);
    if (!raw) continue;
    const given = settingKeys(raw);
    for (const s of n.settings) {
      const v = text(given[s.name]);
      if (v !== undefined && v !== "") out[s.spec.key] = v;
    }
    const accounts = given.accounts;
    if (accounts !== undefined) out[accountsKey(n.network)] = text(accounts)!;
  }
  for (const g of guardrailSettings()) {
    const v = text(c[g.name]);
    if (v !== undefined && v !== "") out[g.key] = v;
  }
  return out;
}

/** Makes `config` this process's settings (what Configure does). */
export function applyProviderConfig(config: Record<string, unknown>): Record<string, string> {
  const values = settingsOf(config);
  resetStackConfig();
  applyStackConfig(values, Object.keys(values));
  return values;
}

/** Stack config `adnetworks:<name>` keys as the provider's configuration (`{ <name>: value }`). */
function ofStack(flat: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(flat)) if (k.startsWith("adnetworks:")) out[k.slice("adnetworks:".length)] = v;
  return out;
}

let guardrailsOfStack: Record<string, unknown> | undefined;

/**
 * The configuration a provider instance works with, as the dynamic host's
 * (core/stackConfig.ts): the engine configures a provider with the inputs
 * recorded in state when no program runs (`pulumi destroy`, `refresh`), so
 * the default provider (named `default...`) then takes the stack's current
 * config (`pulumi config set adnetworks:protectRunning true` holds for the
 * next destroy). The guardrails are the stack's, whichever provider: an
 * explicit provider takes those its arguments do not give from the stack
 * config too (one `pulumi config` of the CLI that started the plugin).
 */
export function effectiveConfig(args: Record<string, unknown>, providerName: string | undefined): Record<string, unknown> {
  if (!providerName || /^default(_|$)/.test(providerName)) {
    const now = currentStackConfig();
    return now ? ofStack(now) : args;
  }
  if (guardrailsOfStack === undefined) {
    guardrailsOfStack = {};
    const cli = process.env.ADNET_STACK_CONFIG_FROM_CLI === "0" ? undefined : parentCli();
    try {
      const flat: Record<string, string> = {};
      if (cli) for (const [k, v] of Object.entries(readStackConfig(cli))) if (typeof v?.value === "string") flat[k] = v.value;
      const stack = ofStack(flat);
      for (const g of guardrailSettings()) if (stack[g.name] !== undefined) guardrailsOfStack[g.name] = stack[g.name];
    } catch {
      // The arguments alone (a plugin not started by the CLI, or a CLI that cannot tell).
    }
  }
  return { ...guardrailsOfStack, ...args };
}
