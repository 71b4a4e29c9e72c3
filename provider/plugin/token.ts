/**
 * The plugin's names: the package `adnetworks`, resource type tokens
 * `adnetworks:<network>:<Type>` (the registry's key "<network>:<Type>" with
 * the package in front), the provider's own type `pulumi:providers:adnetworks`.
 * A leaf module: the SDK classes (in the program) and the plugin server both read it.
 */
export const PACKAGE = "adnetworks";
export const PROVIDER_TYPE = `pulumi:providers:${PACKAGE}`;

/** "exoclick:Campaign" -> "adnetworks:exoclick:Campaign". */
export function pluginToken(key: string): string {
  return `${PACKAGE}:${key}`;
}

/** "adnetworks:exoclick:Campaign" -> "exoclick:Campaign" (undefined for another package's token). */
export function keyOfToken(token: string): string | undefined {
  const m = /^adnetworks:([^:/]+):([^:/]+)$/.exec(token);
  return m ? `${m[1]}:${m[2]}` : undefined;
}

/** The type token of a URN (`urn:pulumi:<stack>::<project>::<parent$>type::<name>`). */
export function typeOfUrn(urn: string): string {
  return urn.split("::")[2]?.split("$").pop() ?? "";
}
