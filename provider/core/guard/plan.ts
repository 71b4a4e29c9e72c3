/**
 * What the program's gate (core/guard/guard.ts) tells the provider host about one
 * resource, in its `__adnetGuardrails` prop. The host's `check` reads it and
 * returns the inputs without it, so nothing of it is stored in state. Its
 * size is O(networks x currencies): figures per group and at most
 * PLAN_LIST_MAX names per list, never a list of every resource.
 *
 * No runtime dependency on @pulumi/pulumi.
 */

/** Names listed per group (contributors, unknown); the counts say how many there are. */
export const PLAN_LIST_MAX = 10;

export interface PlanGroup {
  network: string;
  /** The network's account (absent: the default account). */
  account?: string;
  currency: string;
  /** Running daily and total budgets of the program's resources whose figures it knows. */
  daily: number;
  total: number;
  running: number;
  /** The largest running daily budgets: [name, daily], largest first. */
  contributors: Array<[string, number]>;
  contributorCount: number;
  /** Resources whose figures are not known until apply (not counted above). */
  unknown: string[];
  unknownCount: number;
  /** Running with no daily limit. */
  uncapped: string[];
  /** "<type key> <name>" of the group's first resource: at preview, the one that reports the group's violations. */
  carrier: string;
}

export interface Plan {
  v: 1;
  /** A preview: only a group's carrier reports its violation. An update: every resource that spends refuses. */
  dryRun: boolean;
  /** ADNETWORKS_GUARDRAILS=report: measure and report, refuse nothing (adnet-spend). */
  report: boolean;
  /** For a resource that spends: its own figures were known to the program (and are counted in `groups`). */
  known?: boolean;
  /** For a resource that spends: the program's figures per network and currency. */
  groups?: PlanGroup[];
  /** For a resource that spends: how many resources that spend the program declared so far. */
  count?: number;
  /**
   * Under protectRunning: "<type key> <name>" of every resource that spends the
   * program declared so far (the host finds in the stack's state the running
   * ones it no longer declares: deletes it refuses at check, before any write).
   */
  names?: string[];
  /** Under protectRunning: "<type key> <name>" of the program's first resource, which reports those refusals at preview. */
  first?: string;
  /**
   * Under protectRunning: for each resource that spends, its known inputs
   * that may replace it ("<type key> <name>" -> field -> value; a value the
   * program could not know is left out). Whichever resource the host checks
   * first finds in the stack's state the running ones this program would
   * replace, so every resource of a run that is refused anyway sends nothing
   * (no credential verification), in any order; the replaced resource itself
   * says why.
   */
  replacing?: Record<string, Record<string, unknown>>;
  /** Amounts far above the program's others of the same field (core/money/moneyCheck.ts): the host refuses them when new or changed, unless confirmed. */
  amounts?: Array<{ path: string; value: number; message: string }>;
  /** At preview, for every resource: how many resources of this package the program declared so far (core/money/hostResults.ts waits for them all). */
  resources?: number;
  /** Problems only the whole program shows (shared natural keys, rules between resources). */
  problems?: string[];
  /**
   * Some resource of the program has a problem here or names an account no
   * config names: the run is refused whatever this resource holds, so the
   * host sends nothing for it (no credential verification, core/guard/verify.ts).
   */
  refused?: boolean;
}

export const PLAN_KEY = "__adnetGuardrails";

/** The plan in a resource's news, or undefined (none, or a shape this version does not know). */
export function readPlan(news: Record<string, unknown> | undefined): Plan | undefined {
  const p = news?.[PLAN_KEY];
  if (!p || typeof p !== "object" || (p as { v?: unknown }).v !== 1) return undefined;
  return p as Plan;
}
