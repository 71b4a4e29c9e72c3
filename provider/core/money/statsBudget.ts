/**
 * The statistics requests' own rate budget, apart from the writes (ExoClick
 * keeps a separate limit for its statistics paths; the others' reporting
 * routes are read-only too): at most `limit` statistics requests per
 * network account in any `windowMs`, per process. A request over it is
 * not sent and not waited for: the figures are marked unavailable. It is
 * independent of the HTTP layer's handling of the networks' own limits.
 */
export class RequestBudget {
  private readonly sent = new Map<string, number[]>();

  constructor(private readonly limit: () => number, private readonly windowMs: number, private readonly now: () => number = Date.now) {}

  /** Takes one request of `scope` ("exoclick/default"); false when the budget is used up (nothing is taken then). */
  take(scope: string): boolean {
    const t = this.now();
    const recent = (this.sent.get(scope) ?? []).filter((x) => t - x < this.windowMs);
    if (recent.length >= this.limit()) {
      this.sent.set(scope, recent);
      return false;
    }
    recent.push(t);
    this.sent.set(scope, recent);
    return true;
  }

  /** Requests of `scope` in the current window. */
  used(scope: string): number {
    const t = this.now();
    return (this.sent.get(scope) ?? []).filter((x) => t - x < this.windowMs).length;
  }

  clear(): void {
    this.sent.clear();
  }
}

/** Statistics requests per network account and minute: $ADNETWORKS_RESULTS_REQUESTS_PER_MINUTE, default 30. */
export function statisticsLimit(): number {
  const v = Number(process.env.ADNETWORKS_RESULTS_REQUESTS_PER_MINUTE);
  return Number.isInteger(v) && v >= 0 ? v : 30;
}

/** The process's statistics budget (every network account has its own count). */
export const statisticsBudget = new RequestBudget(statisticsLimit, 60_000);
