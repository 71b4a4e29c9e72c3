import type { SettingSpec, SettingValues } from "./config";

/**
 * What the core's contexts, checks and results read of a network: its
 * declaration without its resources and results (core/config/network.ts
 * adds those), so that the resource contract and the results, which
 * NetworkDef names, do not import it back.
 */
export interface NetworkBase<C = unknown, S extends Record<string, SettingSpec> = Record<string, SettingSpec>, N extends string = string> {
  /** Module of the type tokens and namespace of the config keys, e.g. "exoclick". */
  name: N;
  /** Human name, e.g. "ExoClick". */
  title: string;
  /** The network's docs page, relative to the repository root. */
  docs: string;
  /** Settings (stack config, then environment, then default), from the network's leaf `settings.ts`. */
  settings: S;
  /** Groups of settings that together suffice for a client; none complete gives one error naming every way to set them. */
  required: ReadonlyArray<ReadonlyArray<string>>;
  /**
   * The configured client from the settings' values. The core calls it once
   * per process, account and values (core/config/context.ts) and hands the client
   * to every resource method in its context.
   */
  client(values: SettingValues<S>): C;
  /**
   * Where the wire unit and the precision of the network's amounts come
   * from, marked confirmed or inferred (its page's units statement, written
   * from the money fields by `npm run docs`). Required when a field is money.
   */
  amounts?: string;
  /**
   * One of the network's reference lists (`lookup` fields name them), read
   * only, as value -> label (e.g. ExoClick's browsers: "1" -> "Chrome"). The
   * network caches each list per client, so a run fetches it at most once.
   */
  referenceList?(client: C, list: string): Promise<ReadonlyMap<string, string>>;
  /**
   * One entry of a list, read by itself when the network answers that with
   * one cheap read-only request (Integr8's `GET /offers/{id}`): whether it
   * exists and its name. Undefined for a list read as a whole.
   */
  referenceEntry?(client: C, list: string, value: string): Promise<{ found: boolean; name?: string }> | undefined;
  /**
   * The reference lists, by name, with what each holds (`npx adnet-lists`
   * prints them; "<list>:<scope>" for a list per country or organization).
   */
  referenceLists?: Record<string, string>;
  /**
   * The network's cheapest authenticated call, read only (a login, or a
   * one-item read): `check` makes it at preview, once per account and
   * process, for an account with changes to make (core/guard/verify.ts), so a
   * wrong credential fails the preview instead of the update. Throws what
   * the network answered.
   */
  verify?(client: C): Promise<void>;
}
