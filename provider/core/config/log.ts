import { AsyncLocalStorage } from "async_hooks";
import { redactString } from "../http/redact";

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

/**
 * Progress of long operations (waiting out a rate limit, retrying). In the
 * provider host the sink sends it to the Pulumi engine as an info message on
 * the resource being worked on, so it shows in `pulumi up`; elsewhere it goes
 * to stderr. `urn` puts it on another resource (the stack) than the one worked on.
 */
type ProgressSink = (message: string, urn?: string, severity?: "info" | "warning") => void;
let sink: ProgressSink = (m) => process.stderr.write(`${m}\n`);

export function setProgressSink(s: ProgressSink): void {
  sink = s;
}

export function progress(message: string, urn?: string): void {
  try {
    sink(redactString(message), urn);
  } catch {
    // Progress is best effort.
  }
}

/** A warning on the resource being worked on (`pulumi preview` and `up` show it as such), redacted. */
export function warn(message: string, urn?: string): void {
  try {
    sink(redactString(message), urn, "warning");
  } catch {
    // Best effort.
  }
}

/** The URN each provider call works on (set by the provider host), so progress lands on its row. */
export const currentUrn = new AsyncLocalStorage<string>();

/** The URN of a gRPC request that has one (most of the resource provider's requests do), else "". */
export function urnOfRequest(req: unknown): string {
  const get = typeof req === "object" && req !== null ? (req as { getUrn?: unknown }).getUrn : undefined;
  return typeof get === "function" ? String(get.call(req) ?? "") : "";
}

/** The Pulumi resource name of the provider call in progress, when known. */
export function currentResourceName(): string | undefined {
  const urn = currentUrn.getStore();
  return urn ? urn.split("::").pop() : undefined;
}
