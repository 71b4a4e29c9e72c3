/**
 * Pulumi's Node SDK (3.248, unchanged in 3.276) sends four debug-level
 * trace lines to the engine for every resource it registers ("Registering
 * resource: t=...", "RegisterResource RPC prepared/finished", "Resource RPC
 * serialization requested"). Each is a Log RPC, and the SDK sends its log
 * lines one after the other, each waiting for the engine's answer, before the
 * program may end. The engine shows them only with `pulumi --debug`. For 400
 * resources that is 1,600 sequential round trips: in a no-op preview they
 * took about half of the wall time (5.0-6.6 s with them, 2.6-3.8 s without,
 * same machine and load) and a fifth of the engine's CPU. Pulumi put other
 * such per-resource lines behind a debug switch for the same reason
 * (pulumi/pulumi#7144, and #7295 for Python, 35.8 s -> 6.35 s for 5,000
 * resources); these four are left.
 *
 * This drops those four lines for this package's own resource types (by
 * their type token), nothing else: other resources, failures ("RegisterResource
 * RPC failed") and every other message are sent as before.
 * ADNET_PULUMI_TRACE=1 keeps them (with `pulumi --debug`).
 */
const TRACE = /^(?:Registering resource: t=|RegisterResource RPC prepared: t=|RegisterResource RPC finished: resource:|Resource RPC serialization requested: resource:)/;
const TOKEN = /(?:t=|\[)((?:pulumi-nodejs:dynamic\/|adnetworks:)[^,\]\s]+)/;

const ours = new Set<string>();
let installed = false;

/** `debug` without the registration trace lines of the types `isOurs` accepts. */
export function withoutRegistrationTrace<F extends (msg: string, ...rest: any[]) => Promise<void>>(debug: F, isOurs: (token: string) => boolean): F {
  return function (this: unknown, msg: string, ...rest: unknown[]) {
    if (typeof msg === "string" && TRACE.test(msg)) {
      const t = TOKEN.exec(msg)?.[1];
      if (t && isOurs(t)) return Promise.resolve();
    }
    return debug.call(this, msg, ...rest);
  } as F;
}

/**
 * The SDK's `debuggablePromise` (runtime/debuggable.js, 3.248 and 3.276)
 * stores `new Error().stack` on every promise it makes (about 90 per
 * Campaign: per property in serializeProperty and transferProperties, per
 * resource operation, per keep-alive RPC) for one reader only: its
 * promise-leak report, which prints them when PULUMI_DEBUG_PROMISE_LEAKS is
 * set. Reading `.stack` formats the trace at once, through the
 * source-map-support hook the SDK's runner installs (a source-map lookup per
 * frame): in a user's no-op preview of 400 resources that was 0.5-0.7 s of
 * the program's 4 s of CPU. This runs it with the stack depth at 0 and the
 * default formatter, so the stored trace is just "Error"; only that call
 * is affected (both restored before it returns): the user's own errors and
 * a resource's source position keep their source-mapped stacks. The leak
 * report without PULUMI_DEBUG_PROMISE_LEAKS never prints these stacks, and
 * with it set this is not installed. ADNET_PROMISE_STACKS=1 keeps them too.
 */
export function withoutPromiseStacks<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return function (this: unknown, ...args: A) {
    const limit = Error.stackTraceLimit;
    const hooks: { prepareStackTrace?: unknown } = Error;
    const prepare = hooks.prepareStackTrace;
    Error.stackTraceLimit = 0;
    hooks.prepareStackTrace = undefined;
    try {
      return fn.apply(this, args);
    } finally {
      Error.stackTraceLimit = limit;
      hooks.prepareStackTrace = prepare;
    }
  };
}

/** Whether the SDK's promise stacks are kept (PULUMI_DEBUG_PROMISE_LEAKS or ADNET_PROMISE_STACKS=1). */
export function promiseStacksWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return !!env.PULUMI_DEBUG_PROMISE_LEAKS || env.ADNET_PROMISE_STACKS === "1";
}

function lightPromiseStacks(): void {
  if (promiseStacksWanted()) return;
  try {
    const debuggable: { debuggablePromise?: (p: Promise<unknown>, ctx: unknown) => Promise<unknown> } = require("@pulumi/pulumi/runtime/debuggable");
    if (typeof debuggable.debuggablePromise === "function") debuggable.debuggablePromise = withoutPromiseStacks(debuggable.debuggablePromise);
  } catch {
    // Another SDK layout: nothing to change.
  }
}

/** Called as each of this package's resources registers (type token `pulumi-nodejs:dynamic/<module>:<Type>`, or the plugin's `adnetworks:<module>:<Type>`). */
export function quietRegistrationTrace(token: string): void {
  ours.add(token);
  if (installed) return;
  installed = true;
  lightPromiseStacks();
  if (process.env.ADNET_PULUMI_TRACE === "1") return;
  try {
    const log: { debug: (msg: string, ...rest: unknown[]) => Promise<void> } = require("@pulumi/pulumi/log");
    log.debug = withoutRegistrationTrace(log.debug, (t) => ours.has(t));
  } catch {
    // Another SDK layout: nothing to quiet.
  }
}
