/**
 * The type key ("exoclick:Campaign") of an engine type token, for both
 * adapters: the dynamic resources' `pulumi-nodejs:dynamic/exoclick:Campaign`
 * and the plugin's `adnetworks:exoclick:Campaign`. Every place that reads
 * this package's resources out of state, steps or a policy pack's view
 * (the guardrails, the journal, adnet-recover, adnet-spend, the policy
 * pack) reads the key here, so a stack on the plugin is judged as one on
 * the dynamic resources. A leaf module: imports nothing.
 */
const TOKEN = /^(?:pulumi-nodejs:dynamic\/|adnetworks:)([^:/$]+):([^:/$]+)$/;

/** "pulumi-nodejs:dynamic/exoclick:Campaign" or "adnetworks:exoclick:Campaign" -> "exoclick:Campaign" (undefined for any other token). */
export function typeKeyOf(token: string | undefined): string | undefined {
  const m = TOKEN.exec(token ?? "");
  return m ? `${m[1]}:${m[2]}` : undefined;
}

/** The type token of a URN (`urn:pulumi:<stack>::<project>::<parent$>type::<name>`). */
export function tokenOfUrn(urn: string): string {
  return urn.split("::")[2]?.split("$").pop() ?? "";
}
