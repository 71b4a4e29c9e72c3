import type { SettingSpec } from "./config";
import type { NetworkBase } from "./networkBase";
import type { ResourceDef } from "../schema/define";
import type { ResultsSource } from "../money/results";

/** A stack config value as the Automation API takes it. */
export interface ConfigValue {
  value: string;
  secret?: boolean;
}

/**
 * Everything the rest of the project needs to know about one network: its
 * folder exports one of these (`<network>/network.ts`) and
 * `provider/networks.ts` lists it. The registry, the config keys, the docs
 * generator, the sandbox's config and the conformance tests read that list.
 */
export interface NetworkDef<C = unknown, S extends Record<string, SettingSpec> = Record<string, SettingSpec>, N extends string = string> extends NetworkBase<C, S, N> {
  /** Resource definitions by type name. */
  resources: Record<string, ResourceDef<any, C>>;
  /**
   * How the network reports what its objects did (core/money/results.ts): the
   * types with results and one read for many objects, shown beside each
   * change at preview and by `adnet-spend`.
   */
  results?: ResultsSource<C>;
}

/** A network's definition from its declaration (the docs page derived). */
export function defineNetwork<const N extends string, S extends Record<string, SettingSpec>, C>(
  d: Omit<NetworkDef<C, S, N>, "docs" | "required"> & { required: ReadonlyArray<ReadonlyArray<keyof S & string>> },
): NetworkDef<C, S, N> {
  return { ...d, docs: `docs/${d.name}.md` };
}
