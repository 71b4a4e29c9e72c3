// generated from each resource's `doc` and fields and the networks' settings (npm run docs); do not edit by hand
import type { Input } from "@pulumi/pulumi/output";
import type { ResourceOptions } from "@pulumi/pulumi/resource";
import { AdnetworksProviderResource } from "../resource";

export * as affise from "./affise";
export * as exoclick from "./exoclick";
export * as integr8 from "./integr8";
export * as interchange from "./interchange";
export * as topsort from "./topsort";

/** The arguments of `Provider`: per network the settings of the account this instance manages, and the guardrails. */
export interface ProviderArgs {
  /** Affise: credentials and base URL of the account this provider instance manages. */
  affise?: {
    /**
     * Affise apiKey (secret); default: environment AFFISE_API_KEY. The dynamic resources read it from
     * stack config affise:apiKey.
     */
    apiKey?: Input<string>;
    /**
     * Affise baseUrl; default: environment AFFISE_BASE_URL. The dynamic resources read it from stack
     * config affise:baseUrl.
     */
    baseUrl?: Input<string>;
    /** Other Affise accounts by name (for resources whose `account` input names one), each with these settings. */
    accounts?: Input<Record<string, Record<string, Input<string>>>>;
  };
  /** ExoClick: credentials and base URL of the account this provider instance manages. */
  exoclick?: {
    /**
     * ExoClick apiToken (secret); default: environment EXOCLICK_API_TOKEN. The dynamic resources read
     * it from stack config exoclick:apiToken.
     */
    apiToken?: Input<string>;
    /**
     * ExoClick username; default: environment EXOCLICK_USERNAME. The dynamic resources read it from
     * stack config exoclick:username.
     */
    username?: Input<string>;
    /**
     * ExoClick password (secret); default: environment EXOCLICK_PASSWORD. The dynamic resources read
     * it from stack config exoclick:password.
     */
    password?: Input<string>;
    /**
     * ExoClick baseUrl; default: environment EXOCLICK_BASE_URL, then "https://api.exoclick.com/v2".
     * The dynamic resources read it from stack config exoclick:baseUrl.
     */
    baseUrl?: Input<string>;
    /** Other ExoClick accounts by name (for resources whose `account` input names one), each with these settings. */
    accounts?: Input<Record<string, Record<string, Input<string>>>>;
  };
  /** Integr8: credentials and base URL of the account this provider instance manages. */
  integr8?: {
    /**
     * Integr8 apiKey (secret); default: environment INTEGR8_API_KEY. The dynamic resources read it
     * from stack config integr8:apiKey.
     */
    apiKey?: Input<string>;
    /**
     * Integr8 organizationId; default: environment INTEGR8_ORGANIZATION_ID. The dynamic resources read
     * it from stack config integr8:organizationId.
     */
    organizationId?: Input<string>;
    /**
     * Integr8 baseUrl; default: environment INTEGR8_BASE_URL, then "https://api.app.integr8.co". The
     * dynamic resources read it from stack config integr8:baseUrl.
     */
    baseUrl?: Input<string>;
    /** Other Integr8 accounts by name (for resources whose `account` input names one), each with these settings. */
    accounts?: Input<Record<string, Record<string, Input<string>>>>;
  };
  /** Interchange: credentials and base URL of the account this provider instance manages. */
  interchange?: {
    /**
     * Interchange apiKey (secret); default: environment INTERCHANGE_API_KEY. The dynamic resources
     * read it from stack config interchange:apiKey.
     */
    apiKey?: Input<string>;
    /**
     * Interchange baseUrl; default: environment INTERCHANGE_BASE_URL, then
     * "https://api.interchange.io/api/v2/buyer". The dynamic resources read it from stack config
     * interchange:baseUrl.
     */
    baseUrl?: Input<string>;
    /** Other Interchange accounts by name (for resources whose `account` input names one), each with these settings. */
    accounts?: Input<Record<string, Record<string, Input<string>>>>;
  };
  /** Topsort: credentials and base URL of the account this provider instance manages. */
  topsort?: {
    /**
     * Topsort apiKey (secret); default: environment TOPSORT_API_KEY. The dynamic resources read it
     * from stack config topsort:apiKey.
     */
    apiKey?: Input<string>;
    /**
     * Topsort baseUrl; default: environment TOPSORT_BASE_URL, then "https://api.topsort.com". The
     * dynamic resources read it from stack config topsort:baseUrl.
     */
    baseUrl?: Input<string>;
    /**
     * Topsort pathPrefix; default: environment TOPSORT_PATH_PREFIX, then
     * "/public/v1/campaign-service". The dynamic resources read it from stack config
     * topsort:pathPrefix.
     */
    pathPrefix?: Input<string>;
    /** Other Topsort accounts by name (for resources whose `account` input names one), each with these settings. */
    accounts?: Input<Record<string, Record<string, Input<string>>>>;
  };
  /**
   * The most a day's budgets may add up to, in major units: one amount, or one per
   * "network/account:CUR", "network:CUR", "*" (docs/guardrails.md). Default: environment
   * ADNETWORKS_MAX_DAILY_BUDGET.
   */
  maxDailyBudget?: Input<number | Record<string, number>>;
  /**
   * The most one update may raise the daily budgets, in major units, as maxDailyBudget
   * (docs/guardrails.md). Default: environment ADNETWORKS_MAX_DAILY_INCREASE.
   */
  maxDailyIncrease?: Input<number | Record<string, number>>;
  /**
   * Refuse to delete or replace a campaign that is running (docs/guardrails.md). Default:
   * environment ADNETWORKS_PROTECT_RUNNING.
   */
  protectRunning?: Input<boolean>;
  /**
   * Resource names that protectRunning lets be replaced (docs/guardrails.md). Default: environment
   * ADNETWORKS_ALLOW_REPLACE.
   */
  allowReplace?: Input<string[]>;
  /**
   * Resource names that protectRunning lets be deleted (docs/guardrails.md). Default: environment
   * ADNETWORKS_ALLOW_DELETE.
   */
  allowDelete?: Input<string[]>;
  /**
   * Resource names that may share a natural key with another resource (docs/guardrails.md). Default:
   * environment ADNETWORKS_ALLOW_DUPLICATES.
   */
  allowDuplicates?: Input<string[]>;
  /**
   * confirmAmounts Default: environment ADNETWORKS_CONFIRM_AMOUNTS.
   */
  confirmAmounts?: Input<string>;
  /**
   * The currency of each network's (or "network/account"'s) amounts when no field says it, e.g.
   * {"exoclick": "EUR"}; default USD. Default: environment ADNETWORKS_CURRENCIES.
   */
  currencies?: Input<string | Record<string, string>>;
}

/** The settings stored as secrets, from their declarations. */
const SECRET_SETTINGS: Record<string, readonly string[]> = {"affise":["apiKey"],"exoclick":["apiToken","password"],"integr8":["apiKey"],"interchange":["apiKey"],"topsort":["apiKey"]};

/**
 * The adnetworks provider: one instance per set of accounts. Resources given `{ provider }` are
 * managed with its credentials (docs/plugin.md); without one, the default provider reads stack
 * config `adnetworks:<network>` (e.g. `pulumi config set --secret --path
 * adnetworks:exoclick.apiToken <token>`).
 */
export class Provider extends AdnetworksProviderResource {
  constructor(name: string, args: ProviderArgs = {}, opts?: ResourceOptions) {
    super(name, args as Record<string, unknown>, SECRET_SETTINGS, opts);
  }
}
