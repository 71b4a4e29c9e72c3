
import { thrown } from "../http/errors";/**
 * Plugin processes (the dynamic-provider host, the Node.js language host)
 * must not outlive the Pulumi CLI that started them. The engine kills them
 * when it finishes normally, but a killed CLI (kill -9, a closed laptop)
 * cannot, and they were left running, re-parented, for many minutes.
 *
 * The launchers `exec` node, so the parent of this process is the CLI. Once a
 * second (an unref'd timer that never keeps the process alive) this checks
 * that the parent is still there: re-parenting (ppid changed) or a parent
 * that no longer exists means the engine is gone, and the process exits.
 */
export function exitWhenParentDies(opts: { intervalMs?: number; beforeExit?: () => void } = {}): NodeJS.Timeout | undefined {
  const parent = process.ppid;
  if (!parent || parent === 1) return undefined; // started by init: there is no engine to watch
  const timer = setInterval(() => {
    let gone = process.ppid !== parent;
    if (!gone) {
      try {
        process.kill(parent, 0);
      } catch (e) {
        gone = thrown(e)?.code === "ESRCH";
      }
    }
    if (!gone) return;
    clearInterval(timer);
    try {
      opts.beforeExit?.();
    } finally {
      process.exit(1);
    }
  }, opts.intervalMs ?? 1_000);
  timer.unref();
  return timer;
}
