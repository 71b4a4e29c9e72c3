import { redactString } from "./redact";

/**
 * Debug logging for the provider, off unless ADNET_DEBUG is set (or Pulumi
 * runs with high verbosity). Every line is redacted before it is written.
 * Lines go to stderr, which the Pulumi engine keeps in its plugin logs.
 */
export function debugEnabled(): boolean {
  const v = process.env.ADNET_DEBUG;
  return !!v && v !== "0" && v !== "false";
}

export function debug(message: string): void {
  if (debugEnabled()) process.stderr.write(`[adnet] ${redactString(message)}\n`);
}
