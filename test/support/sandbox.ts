import { startSandbox, Sandbox, SandboxOptions } from "../../provider/sandbox/server";
import { applyStackConfig, resetStackConfig } from "../../provider/core/config/config";
import { resetCreateGuards } from "../../provider/core/http/recover";
import { resetContexts } from "../../provider/core/config/context";
import { resetReachability } from "../../provider/core/http/http";
import { resetLimiters } from "../../provider/core/http/ratelimit";

/**
 * Starts a sandbox for a mocha suite and points the provider's call-time
 * settings at it (as `configure()` would with stack config).
 */
export function useSandbox(config: (sb: Sandbox) => Record<string, string>, opts: SandboxOptions = {}) {
  const ctx: { sb: Sandbox } = {} as any;
  before(async () => {
    ctx.sb = await startSandbox({ port: 0, ...opts });
  });
  beforeEach(() => {
    ctx.sb.reset();
    ctx.sb.faults.configure(undefined);
    resetStackConfig();
    resetCreateGuards();
    resetContexts();
    resetReachability();
    resetLimiters();
    const cfg = config(ctx.sb);
    applyStackConfig(cfg, Object.keys(cfg));
  });
  after(async () => {
    resetStackConfig();
    await ctx.sb?.close();
  });
  return ctx;
}
