import * as crypto from "crypto";
import { missingSettings, readSettingValues, SettingSpec, SettingValues } from "./config";
import { ConfigError } from "./errors";
import { debug, progress } from "./log";
import type { NetworkDef } from "./network";

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
  /** The account whose settings built this context ("default": the network's own keys). */
  readonly account: string;
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

/** The account a resource uses when it names none. */
export const DEFAULT_ACCOUNT = "default";

const contexts = new Map<string, Context<unknown, any>>();

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
export function contextFor<C, S extends Record<string, SettingSpec>>(network: NetworkDef<C, S>, account: string = DEFAULT_ACCOUNT): Context<C, S> {
  if (account !== DEFAULT_ACCOUNT) {
    throw new ConfigError(`${network.title}: account ${JSON.stringify(account)} is not configured; only the default account (${Object.values(network.settings).map((s) => s.key).join(", ")}) is`);
  }
  const values = readSettingValues(network.settings);
  const configuration = JSON.stringify([values, CLIENT_ENV.map((k) => process.env[k])]);
  const key = `${network.name}|${account}|${crypto.createHash("sha256").update(configuration).digest("hex")}`;
  let ctx = contexts.get(key) as Context<C, S> | undefined;
  if (!ctx) {
    let client: C | undefined;
    ctx = {
      network: network.name,
      account,
      settings: values,
      get client(): C {
        if (client === undefined) {
          const required = network.required;
          if (required.length && !required.some((group) => group.every((k) => values[k as keyof S]))) {
            throw missingSettings(network.title, required.map((group) => group.map((k) => network.settings[k as keyof S])));
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

/** For tests: forget every context (and so its client). */
export function resetContexts(): void {
  contexts.clear();
}
