/**
 * The spend gate in the program process (see README "Spend guardrails").
 *
 * Every resource class with a budget (core/spend.ts) adds its spend, from the
 * plain values of its arguments, to this run's list as the program
 * constructs it, and gets a promise in its props (`__adnetGuardrails`) that
 * resolves to undefined (so nothing is sent or stored) once the program's
 * synchronous part has run and the running daily budgets are within
 * `adnetworks:maxDailyBudget`, or rejects with the violation. Pulumi resolves
 * every prop before it registers a resource, so on a violation no resource
 * with a budget reaches the engine and no request reaches a network, on
 * `preview` and on `up` alike. Values that are Outputs are not known until
 * apply: they are reported and counted as 0 (waiting for them could
 * deadlock: an Output may depend on a resource that waits for this gate).
 *
 * The gate also writes the after-totals to Pulumi's output (an info message
 * on the stack). Before-totals and increases need the previous state, which
 * the program does not see: the provider host reports each resource's
 * change and enforces `adnetworks:maxDailyIncrease`, and `adnet-spend`
 * prints the whole before/after summary from `pulumi preview --json`.
 */
// The SDK's modules, not the package index (see core/reference.ts).
import { RunError } from "@pulumi/pulumi/errors";
import * as log from "@pulumi/pulumi/log";
import { getConfig } from "@pulumi/pulumi/runtime/config";
import { Entry, formatSummary, GUARDRAIL_SETTINGS, Limits, parseLimits, spendOf, SpendDef, summarize, violations } from "./spend";

interface Run {
  entries: Entry[];
  waiting: Array<{ name: string; resolve: (v: undefined) => void; reject: (e: Error) => void }>;
  scheduled: boolean;
  failed?: Error;
  limits: Limits;
}

const runs = new WeakMap<object, Run>();
const fallback = {};

/** This run's store: inline programs of the Automation API run many times in one process. */
function runKey(): object {
  try {
    return require("@pulumi/pulumi/runtime/state").getStore() ?? fallback;
  } catch {
    return fallback;
  }
}

/** The guardrail config from the program's stack config, then the environment. */
export function programLimits(): Limits {
  const env: Record<string, string> = Object.fromEntries(Object.values(GUARDRAIL_SETTINGS).map((s) => [s.key, s.env]));
  return parseLimits((key) => {
    let v: string | undefined;
    try {
      v = getConfig(key);
    } catch {
      v = undefined;
    }
    return v ?? process.env[env[key]];
  });
}

function run(): Run {
  const k = runKey();
  let r = runs.get(k);
  if (!r) {
    let limits: Limits;
    let failed: Error | undefined;
    try {
      limits = programLimits();
    } catch (e: any) {
      limits = {};
      failed = new RunError(`pulumi-adnetworks guardrails: ${e?.message ?? e}`);
    }
    r = { entries: [], waiting: [], scheduled: false, limits, failed };
    runs.set(k, r);
  }
  return r;
}

/**
 * Registers a resource's spend; the promise to put in its props, or
 * undefined when the type does not spend.
 */
export function gate(def: SpendDef, name: string, args: Record<string, unknown>): Promise<undefined> | undefined {
  const r = run();
  const spend = spendOf(def, args, r.limits.currencies);
  if (!spend) return undefined;
  r.entries.push({ name, spend });
  const p = new Promise<undefined>((resolve, reject) => r.waiting.push({ name, resolve, reject }));
  if (!r.scheduled) {
    r.scheduled = true;
    // After the program's synchronous part (and whatever it constructs in the same turn).
    setImmediate(() => evaluate(r));
  }
  return p;
}

function evaluate(r: Run): void {
  r.scheduled = false;
  const batch = r.waiting.splice(0);
  const summary = summarize([], r.entries);
  const found = r.failed ? [] : violations(summary, r.limits, r.entries, { beforeKnown: false });
  try {
    // Only to an engine (runtime mocks have none: the SDK would print to stdout).
    if (require("@pulumi/pulumi/runtime/settings").getEngine()) log.info(["adnetworks spend after this update (running resources; see `npx adnet-spend` for before/after):", ...formatSummary(summary, { beforeKnown: false })].join("\n"));
  } catch {
    // Logging is best effort.
  }
  // RunError: Pulumi prints the message without a stack trace.
  const error = r.failed ?? (found.length ? new RunError(`pulumi-adnetworks guardrails: ${found.map((v) => v.message).join("; ")}. Nothing was sent to the networks.`) : undefined);
  if (!error) {
    for (const w of batch) w.resolve(undefined);
    return;
  }
  r.failed = error;
  // The full message once, a pointer to it on the others.
  batch.forEach((w, i) => w.reject(i === 0 ? error : new RunError(`blocked by the spend guardrails (see the error above)`)));
}
