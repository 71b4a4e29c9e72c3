/**
 * Issue #35: one rate limiter per network and account, shared by every
 * resource of the run, fed by the counters the networks send and by
 * Retry-After. Unit tests run on a fake clock and count requests; the
 * sandbox test offers twice Interchange's limit at once and counts 429s and
 * the requests each window allowed (not time).
 */
import { expect } from "chai";
import { RateLimiter } from "../provider/core/http/ratelimit";
import { useSandbox } from "./support/sandbox";
import * as registry from "../provider/registry";
import { InterchangeSandbox, INTERCHANGE_SANDBOX_CREDENTIALS } from "../provider/sandbox/interchange";

/** A clock that moves only to the next timer once nothing else can run: waits are counted, not spent. */
function fakeClock() {
  let t = 1_000_000;
  const sleeps: number[] = [];
  const timers: Array<{ at: number; resolve: () => void }> = [];
  const advance = () => {
    if (!timers.length) return;
    t = Math.max(t, Math.min(...timers.map((x) => x.at)));
    for (const x of timers.filter((y) => y.at <= t)) {
      timers.splice(timers.indexOf(x), 1);
      x.resolve();
    }
  };
  return {
    now: () => t,
    sleeps,
    sleep: (ms: number) => new Promise<void>((resolve) => {
      sleeps.push(ms);
      timers.push({ at: t + ms, resolve });
      setImmediate(advance);
    }),
  };
}
const answer = (h: Record<string, string | number>) => ({ get: (n: string) => (h[n] === undefined ? null : String(h[n])) });

describe("shared rate limiter (core/http/ratelimit.ts, issue #35)", () => {
  it("lets through what the window has left, holds the rest until it resets, and says the expected time", async () => {
    const c = fakeClock();
    const said: string[] = [];
    const l = new RateLimiter({ name: "Interchange", now: c.now, sleep: c.sleep, say: (s) => said.push(s) });
    // The network: 5 requests a minute in fixed windows, counted as they arrive; its answers carry the counters.
    let start = c.now(), count = 0;
    const serve = () => {
      if (c.now() - start >= 60_000) (start = c.now()), (count = 0);
      count++;
      const h = { "RateLimit-Limit": 5, "RateLimit-Remaining": Math.max(0, 5 - count), "RateLimit-Reset": Math.ceil((start + 60_000 - c.now()) / 1000) };
      return { status: count > 5 ? 429 : 200, headers: answer(h) };
    };
    const first = await l.acquire();
    const a = serve();
    first.done(a.status, a.headers);
    const sent: number[] = [];
    const all = Array.from({ length: 12 }, (_, i) => l.acquire().then((s) => {
      sent.push(c.now());
      const r = serve();
      s.done(r.status, r.headers);
      return r.status;
    }));
    expect(await Promise.all(all)).to.deep.equal(Array(12).fill(200));
    const t0 = 1_000_000;
    const perWindow = [0, 1, 2, 3].map((w) => sent.filter((t) => t >= t0 + w * 60_000 && t < t0 + (w + 1) * 60_000).length);
    // 4 in the first window (1 already spent), then 5 each: every window used in full, none over.
    expect(perWindow).to.deep.equal([4, 5, 3, 0]);
    expect(l.stats.throttled).to.equal(0);
    expect(said[0]).to.match(/^Interchange: rate limit reached \(5 requests per window\); waiting 60 s; 8 requests waiting, about 2 min 0 s/);
  });

  it("a 429's Retry-After holds every request of the account, not only the one refused", async () => {
    const c = fakeClock();
    const l = new RateLimiter({ now: c.now, sleep: c.sleep, say: () => undefined });
    const a = await l.acquire();
    a.done(429, answer({ "Retry-After": 7 }));
    const b = await l.acquire();
    expect(c.sleeps).to.deep.equal([7_000]);
    b.done(200, answer({}));
    // No counters: not paced.
    const more = await Promise.all([l.acquire(), l.acquire(), l.acquire()]);
    more.forEach((s) => s.done(200, answer({})));
    expect(c.sleeps).to.deep.equal([7_000]);
    expect(l.stats).to.deep.include({ throttled: 1, sent: 5 });
  });

  it("an injected 429 (Retry-After 1) or a 503 (none) on a network whose window is 15 minutes holds the account a second, not the window (e2e.resilience hung 15 minutes)", async () => {
    const c = fakeClock();
    const l = new RateLimiter({ now: c.now, sleep: c.sleep, say: () => undefined });
    const exo = { "X-Rate-Limit-Limit": 150_000, "X-Rate-Limit-Remaining": 149_999, "X-Rate-Limit-Reset": 900 };
    (await l.acquire()).done(200, answer(exo));
    (await l.acquire()).done(503, answer({}));
    (await l.acquire()).done(429, answer({ "Retry-After": 1 }));
    (await l.acquire()).done(200, answer(exo));
    (await l.acquire()).done(200, answer(exo));
    expect(c.sleeps).to.deep.equal([1_000]);
    // A Retry-After longer than the HTTP layer's bound holds the account for that bound only.
    const d = fakeClock();
    const m = new RateLimiter({ now: d.now, sleep: d.sleep, say: () => undefined });
    (await m.acquire()).done(429, answer({ "Retry-After": 3600 }));
    (await m.acquire()).done(200, answer({}));
    expect(d.sleeps).to.deep.equal([65_000]);
  });

  it("reads X-RateLimit-* (Topsort) and X-Rate-Limit-* (ExoClick), and a budget of its own is a second instance", async () => {
    for (const prefix of ["X-RateLimit-", "X-Rate-Limit-"]) {
      const c = fakeClock();
      const l = new RateLimiter({ now: c.now, sleep: c.sleep, say: () => undefined });
      (await l.acquire()).done(200, answer({ [`${prefix}Limit`]: 2, [`${prefix}Remaining`]: 0, [`${prefix}Reset`]: 30 }));
      (await l.acquire()).done(200, answer({ [`${prefix}Limit`]: 2, [`${prefix}Remaining`]: 1, [`${prefix}Reset`]: 30 }));
      expect(c.sleeps, prefix).to.deep.equal([30_000]);
    }
    const c = fakeClock();
    const stats = new RateLimiter({ budget: { limit: 3, windowMs: 10_000 }, now: c.now, sleep: c.sleep, say: () => undefined });
    for (let i = 0; i < 7; i++) (await stats.acquire()).done(200, answer({}));
    expect(c.sleeps).to.deep.equal([10_000, 10_000]);
  });

  describe("through the provider, against the Interchange sandbox", function () {
    this.timeout(60_000);
    const ctx = useSandbox((sb) => ({ "interchange:apiKey": INTERCHANGE_SANDBOX_CREDENTIALS.apiKey, "interchange:baseUrl": sb.urlFor("interchange") }));
    const ic = () => ctx.sb.network<InterchangeSandbox>("interchange");
    const provider = registry.get("interchange:Campaign");
    const ARGS = {
      advertiserId: 12345, flightDates: { startDate: "2025-01-15T00:00:00Z", endDate: "2025-03-31T23:59:59Z" },
      budget: { total: 1, currency: "USD", dailyCap: 1, pacing: "EVEN" }, campaignType: "DECISIONED",
    };

    it("20 creates at once against 10 requests a window: 0 failed, 0 refused, every window but the last used in full", async () => {
      ic().rateLimit = { limit: 10, windowMs: 1000 };
      const results = await Promise.allSettled(Array.from({ length: 20 }, async (_, i) => {
        const r = await provider.check({}, { ...ARGS, name: `Campaign ${i}` });
        expect(r.failures).to.deep.equal([]);
        return provider.create(r.inputs);
      }));
      expect(results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason))).to.deep.equal([]);
      expect(Object.keys(ic().data.campaigns)).to.have.length(20);
      const journal = ctx.sb.requests("interchange");
      expect(journal.filter((r) => r.status === 429)).to.have.length(0);
      expect(ic().rateLimited).to.equal(0);
      const used = ic().limiter.usage();
      expect(used.reduce((a, b) => a + b, 0)).to.equal(journal.length);
      expect(used.length).to.be.at.least(2);
      // At least 90% of the allowed rate: every window before the last allowed >= 9 of 10.
      for (const n of used.slice(0, -1)) expect(n, `windows: ${used.join(", ")}`).to.be.at.least(9);
    });
  });
});
