import * as crypto from "crypto";
import { accountConfigured, accountHint, accountNames, DEFAULT_ACCOUNT, missingSettings, readSettingValues, setting, SettingSpec, SettingValues } from "./config";
import { ConfigError } from "../http/errors";
import { debug, progress } from "./log";
import type { NetworkBase } from "./networkBase";
import { currencyFor, GUARDRAIL_SETTINGS } from "../money/spend";
import { didYouMean } from "../schema/text";

/**
 * What every resource method receives (as Terraform's `Configure` hands a
 * configured client to each resource, and pulumi-go-provider's `infer`
 * hands `GetConfig(ctx)`): the network, the account, the settings' values,
 * and the client built from them. No resource or client reads settings
 * itself.
 */
export interface Context<C = unknown, S extends Record<string, SettingSpec> = Record<string, SettingSpec>> {
  /** The network's name, e.g. "exoclick". */
  readonly network: string;
  /** The account whose settings built this context ("default": the network's own keys; others: `<network>:accounts`). */
  readonly account: string;
  /**
   * The currency of the account's amounts when no field says it (ExoClick's
   * account currency, Topsort's marketplace): `adnetworks:currencies` for
   * "network/account", then "network", then "*", else USD.
   */
  readonly currency: string;
  /** The settings' values when the context was built. */
  readonly settings: SettingValues<S>;
  /**
   * The configured client, built on first use (so a `check` that only
   * reads a setting needs no credentials); missing credentials fail here,
   * with one error naming every way to set them.
   */
  readonly client: C;
  /** Progress shown on the resource in `pulumi up`, and debug lines (both redacted). */
  readonly log: { progress(message: string): void; debug(message: string): void };
}

export { DEFAULT_ACCOUNT };

const contexts = new Map<string, Context<unknown>>();

/** The environment a client reads when it is built (the HTTP layer's timeout and retry budget): part of its configuration. */
const CLIENT_ENV = ["ADNET_HTTP_TIMEOUT_MS", "ADNET_HTTP_RETRY_BUDGET_MS"] as const;
const LOG = { progress, debug };

/**
 * The context of `network` for `account`: settings read now (stack config,
 * then environment, then default), and one context, with one client, per
 * process, network, account and distinct configuration (the values and the
 * HTTP layer's environment): a rotated token gets a new client, the same
 * values reuse it.
 */
export function contextFor<C, S extends Record<string, SettingSpec>>(network: NetworkBase<C, S>, account: string = DEFAULT_ACCOUNT): Context<C, S> {
  if (!accountConfigured(network.settings, account)) throw unconfigured(network, account);
  const values = readSettingValues(network.settings, account);
  const currency = currencyFor(currencies(), network.name, account === DEFAULT_ACCOUNT ? undefined : account);
  const configuration = JSON.stringify([values, currency, CLIENT_ENV.map((k) => process.env[k])]);
  const key = `${network.name}|${account}|${crypto.createHash("sha256").update(configuration).digest("hex")}`;
  let ctx = contexts.get(key) as Context<C, S> | undefined;
  if (!ctx) {
    let client: C | undefined;
    ctx = {
      network: network.name,
      account,
      currency,
      settings: values,
      get client(): C {
        if (client === undefined) {
          const required = network.required;
          if (required.length && !required.some((group) => group.every((k) => values[k as keyof S]))) {
            throw missingSettings(network.title, required.map((group) => group.map((k) => network.settings[k as keyof S])), account);
          }
          client = network.client(values);
        }
        return client;
      },
      log: LOG,
    };
    contexts.set(key, ctx);
  }
  return ctx;
}

/** A named account that no config or environment names: the error says how to configure it, and which accounts are. */
export function unconfigured(network: NetworkBase, account: string): ConfigError {
  const known = accountNames(network.settings);
  return new ConfigError(`${network.title} account ${JSON.stringify(account)} is not configured${didYouMean(account, known)}: set its credentials, e.g. ${accountHint(network.settings, account)}. Configured accounts: ${[DEFAULT_ACCOUNT, ...known].join(", ")}`);
}

/** `adnetworks:currencies` as an object (a plain code applies to all), or {} when unset or unreadable (the guardrails report a bad value). */
function currencies(): Record<string, string> {
  const raw = setting(GUARDRAIL_SETTINGS.currencies);
  if (!raw) return {};
  try {
    const v = JSON.parse(raw);
    return typeof v === "string" ? { "*": v } : v && typeof v === "object" ? v : {};
  } catch {
    return { "*": raw };
  }
}

/** For tests: forget every context (and so its client). */
export function resetContexts(): void {
  contexts.clear();
}
