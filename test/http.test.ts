import { expect } from "chai";
import * as sinon from "sinon";
import { HttpClient, FetchLike, backoffDelay, parseRetryAfter, DEFAULT_RETRY, FIRST_CONNECT_BUDGET_MS, resetReachability, sayOnce } from "../provider/core/http/http";
import { ApiError } from "../provider/core/http/errors";
import { redact, redactUrl, registerSecret, REDACTED } from "../provider/core/http/redact";
import * as log from "../provider/core/config/log";
import { settings as exoclickSettings } from "../provider/exoclick/settings";

type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | Error;

/** A scripted fetch: answers the replies in order and records each call. */
function scripted(replies: Reply[]) {
  const calls: Array<{ url: string; method: string; headers: Record<string, string>; body?: unknown }> = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, method: init.method, headers: init.headers, body: init.body });
    const r = replies.shift();
    if (!r) throw new Error("no more scripted replies");
    if (r instanceof Error) throw r;
    const h = Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    return {
      status: r.status,
      headers: { get: (n: string) => h[n.toLowerCase()] ?? null },
      text: async () => (r.body === undefined ? "" : JSON.stringify(r.body)),
    };
  };
  return { fetch, calls };
}

function netErr(code: string): Error {
  return Object.assign(new Error(`request failed, reason: ${code}`), { code });
}

describe("shared HTTP layer", () => {
  let sleeps: number[];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
  };
  beforeEach(() => {
    sleeps = [];
    resetReachability();
  });

  const client = (fetch: FetchLike, extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) =>
    new HttpClient({ network: "Test", baseUrl: "http://127.0.0.1:1/api", fetch, sleep, random: () => 0.5, ...extra });

  it("full-jitter backoff stays within [0, min(cap, base*2^n))", () => {
    const policy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    for (let n = 0; n < 10; n++) {
      const ceiling = Math.min(1000, 100 * 2 ** n);
      expect(backoffDelay(n, policy, () => 0)).to.equal(0);
      expect(backoffDelay(n, policy, () => 0.999999)).to.be.below(ceiling).and.at.least(ceiling - 1);
    }
  });

  it("parses Retry-After as seconds or as an HTTP date", () => {
    expect(parseRetryAfter("3")).to.equal(3000);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:05 GMT", now)).to.equal(5000);
    expect(parseRetryAfter(null)).to.equal(undefined);
  });

  it("retries GET on 503 and network errors with backoff, then succeeds", async () => {
    const { fetch, calls } = scripted([{ status: 503 }, netErr("ECONNRESET"), { status: 200, body: { ok: 1 } }]);
    const res = await client(fetch).request({ method: "GET", path: "/x" });
    expect(res.body).to.deep.equal({ ok: 1 });
    expect(calls).to.have.length(3);
    expect(sleeps).to.have.length(2);
    // random()=0.5 -> half of base*2^n
    expect(sleeps).to.deep.equal([125, 250]);
  });

  it("honours Retry-After on 429, bounded by maxRetryAfterMs", async () => {
    const { fetch } = scripted([
      { status: 429, headers: { "Retry-After": "2" } },
      { status: 429, headers: { "Retry-After": "100" } },
      { status: 200, body: {} },
    ]);
    await client(fetch, { retry: { maxRetryAfterMs: 10_000 } }).request({ method: "GET", path: "/x" });
    expect(sleeps).to.deep.equal([2000, 10_000]);
  });

  it("fails at once on a 429 whose Retry-After is beyond the retry budget (a daily quota), naming when it resets", async () => {
    const { fetch, calls } = scripted([{ status: 429, headers: { "Retry-After": String(9 * 3600 + 300) }, body: { message: "daily quota exceeded" } }]);
    const now = Date.parse("2026-12-01T03:00:00Z");
    const err = await client(fetch, { now: () => now }).request({ method: "GET", path: "/x" }).catch((e) => e);
    expect(err).to.be.instanceOf(ApiError);
    expect(err.status).to.equal(429);
    expect(calls).to.have.length(1);
    expect(sleeps).to.deep.equal([]);
    expect(err.message).to.contain("daily quota exceeded").and.contain("resets at 2026-12-01T12:05:00Z (in 9h 5m").and.contain("2m 30s retry budget");
  });

  it("still waits out a 429 whose Retry-After fits in the retry budget", async () => {
    const { fetch, calls } = scripted([{ status: 429, headers: { "Retry-After": "140" } }, { status: 200, body: {} }]);
    await client(fetch, { retry: { maxRetryAfterMs: 150_000 } }).request({ method: "GET", path: "/x" });
    expect(calls).to.have.length(2);
    expect(sleeps).to.deep.equal([140_000]);
  });

  it("stops at the attempt limit and throws the last error with status and message", async () => {
    const { fetch, calls } = scripted(Array(10).fill({ status: 502, body: { message: "bad gateway" } }));
    const err = await client(fetch, { retry: { maxAttempts: 3 } }).request({ method: "GET", path: "/x" }).catch((e) => e);
    expect(err).to.be.instanceOf(ApiError);
    expect(err.status).to.equal(502);
    expect(err.message).to.contain("bad gateway").and.contain("GET http://127.0.0.1:1/api/x");
    expect(calls).to.have.length(3);
  });

  it("respects the total retry budget", async () => {
    const { fetch, calls } = scripted(Array(10).fill({ status: 429, headers: { "Retry-After": "5" } }));
    await client(fetch, { retry: { budgetMs: 12_000, maxAttempts: 10 } }).request({ method: "GET", path: "/x" }).catch(() => undefined);
    expect(sleeps.reduce((a, b) => a + b, 0)).to.be.at.most(12_000);
    expect(calls.length).to.be.lessThan(10);
  });

  it("does not retry 4xx other than 429", async () => {
    const { fetch, calls } = scripted([{ status: 400, body: { message: "name: required" } }]);
    const err = await client(fetch).request({ method: "GET", path: "/x" }).catch((e) => e);
    expect(err.status).to.equal(400);
    expect(calls).to.have.length(1);
  });

  it("never replays a POST create blindly after an ambiguous failure", async () => {
    const { fetch, calls } = scripted([netErr("ECONNRESET"), { status: 200, body: { id: 2 } }]);
    const err = await client(fetch).request({ method: "POST", path: "/things", body: { json: { name: "a" } }, idempotent: false }).catch((e) => e);
    expect(err).to.be.instanceOf(ApiError);
    expect(err.message).to.contain("ECONNRESET").and.contain("was not retried");
    expect(calls).to.have.length(1);
  });

  it("retries a POST create when the request certainly never left (connection refused)", async () => {
    const { fetch, calls } = scripted([netErr("ECONNREFUSED"), { status: 200, body: { id: 3 } }]);
    const res = await client(fetch).request({ method: "POST", path: "/things", body: { json: {} }, idempotent: false });
    expect(res.body).to.deep.equal({ id: 3 });
    expect(calls).to.have.length(2);
  });

  it("looks the object up before retrying a POST create, and returns it when found", async () => {
    const { fetch, calls } = scripted([netErr("ECONNRESET")]);
    const recover = sinon.stub().resolves({ id: 42 });
    const res = await client(fetch).request({ method: "POST", path: "/things", body: { json: {} }, idempotent: false, recover });
    expect(res.body).to.deep.equal({ id: 42 });
    expect(res.recovered).to.equal(true);
    expect(recover.calledOnce).to.equal(true);
    expect(calls).to.have.length(1);
  });

  it("retries the POST when the lookup finds nothing", async () => {
    const { fetch, calls } = scripted([{ status: 503 }, { status: 200, body: { id: 7 } }]);
    const recover = sinon.stub().resolves(undefined);
    const res = await client(fetch).request({ method: "POST", path: "/things", body: { json: {} }, idempotent: false, recover });
    expect(res.body).to.deep.equal({ id: 7 });
    expect(recover.calledOnce).to.equal(true);
    expect(calls).to.have.length(2);
  });

  it("retries a POST after 429 without a lookup (the request was refused)", async () => {
    const { fetch, calls } = scripted([{ status: 429, headers: { "Retry-After": "0" } }, { status: 200, body: { id: 1 } }]);
    const recover = sinon.stub().resolves(undefined);
    await client(fetch).request({ method: "POST", path: "/things", body: { json: {} }, idempotent: false, recover });
    expect(recover.called).to.equal(false);
    expect(calls).to.have.length(2);
  });

  it("times out a request that gets no response", async () => {
    const fetch: FetchLike = (_u, init) =>
      new Promise((_, reject) => init.signal!.addEventListener("abort", () => reject(Object.assign(new Error("aborted"), { type: "aborted" }))));
    const err = await client(fetch, { timeoutMs: 20, retry: { maxAttempts: 1 } }).request({ method: "GET", path: "/slow" }).catch((e) => e);
    expect(err.status).to.equal(0);
    expect(err.message).to.contain("no response within 20 ms");
  });

  it("turns a 200 error envelope into an ApiError through bodyError", async () => {
    const { fetch } = scripted([{ status: 200, body: { status: 2, error: "Offer not found" } }]);
    const err = await client(fetch, { bodyError: (b: any) => (b?.status === 2 ? { message: b.error } : undefined) })
      .request({ method: "GET", path: "/offer/1" })
      .catch((e) => e);
    expect(err).to.be.instanceOf(ApiError);
    expect(err.message).to.contain("Offer not found");
  });

  it("redacts credentials in errors, URLs and debug logs", async () => {
    registerSecret("sekrit-token-123456");
    const { fetch } = scripted([{ status: 401, body: { message: "token sekrit-token-123456 is invalid" } }]);
    const lines: string[] = [];
    const write = sinon.stub(process.stderr, "write").callsFake((s: any) => {
      lines.push(String(s));
      return true;
    });
    process.env.ADNET_DEBUG = "1";
    try {
      const err = await client(fetch, { authHeaders: () => ({ Authorization: "Bearer sekrit-token-123456" }) })
        .request({ method: "POST", path: "/login", query: { api_key: "sekrit-token-123456" }, body: { json: { password: "hunter2-password", api_token: "sekrit-token-123456" } } })
        .catch((e) => e);
      const everything = [err.message, JSON.stringify(err.body), JSON.stringify(err.requestBody), err.url, ...lines].join("\n");
      expect(everything).not.to.contain("sekrit-token-123456");
      expect(everything).not.to.contain("hunter2-password");
      expect(JSON.stringify(err.requestBody)).to.contain(REDACTED);
      expect(log.debugEnabled()).to.equal(true);
      expect(lines.length).to.be.greaterThan(0);
    } finally {
      delete process.env.ADNET_DEBUG;
      write.restore();
    }
  });

  it("redact() masks secret-named keys deeply and redactUrl masks secret query params", () => {
    expect(redact({ a: { apiKey: "x1234", list: [{ password: "p" }] }, name: "ok" })).to.deep.equal({ a: { apiKey: REDACTED, list: [{ password: REDACTED }] }, name: "ok" });
    expect(redactUrl("http://h/x?api_key=abcd1234&page=2")).to.equal(`http://h/x?api_key=${REDACTED}&page=2`);
  });
});

/**
 * Outages are ridden out for the whole time budget, not for a fixed number
 * of attempts (issue #11: a 4 s outage failed `pulumi up` after 6 attempts).
 * The sandbox fails requests by count; sleeps are injected, so nothing waits.
 */
describe("shared HTTP layer: retries bounded by the time budget", () => {
  const net = require("net") as typeof import("net");
  const { startSandbox } = require("../provider/sandbox/server") as typeof import("../provider/sandbox/server");
  const { EXOCLICK_SANDBOX_CREDENTIALS } = require("../provider/sandbox/exoclick") as typeof import("../provider/sandbox/exoclick");
  const login = { method: "POST" as const, path: "/login", body: { json: { api_token: EXOCLICK_SANDBOX_CREDENTIALS.apiToken } } };

  it("a GET rides out 12 failed requests in a row (resets, then 503s) with the default policy", async () => {
    const sb = await startSandbox({ port: 0 });
    try {
      sb.faults.next({ kind: "reset", count: 6, routes: ["GET /v2/campaigns"] });
      sb.faults.next({ kind: "503", count: 6, routes: ["GET /v2/campaigns"] });
      const sleeps: number[] = [];
      // Log in first (not faulted), then list campaigns through the outage.
      const auth = await new HttpClient({ network: "ExoClick", baseUrl: `${sb.urlFor("exoclick")}/v2` }).request<{ token: string }>(login);
      const http = new HttpClient({
        network: "ExoClick", baseUrl: `${sb.urlFor("exoclick")}/v2`, random: () => 0.5,
        sleep: async (ms) => void sleeps.push(ms),
        authHeaders: () => ({ Authorization: `Bearer ${auth.body.token}` }),
      });
      const res = await http.request({ method: "GET", path: "/campaigns" });
      expect(res.status).to.equal(200);
      const tries = sb.requests("exoclick").filter((r) => r.path === "/v2/campaigns");
      expect(tries.map((r) => r.fault ?? r.status)).to.deep.equal([...Array(6).fill("reset"), ...Array(6).fill("503"), 200]);
      expect(sleeps).to.have.length(12);
      expect(sleeps.reduce((a, b) => a + b, 0)).to.be.below(DEFAULT_RETRY.budgetMs);
    } finally {
      await sb.close();
    }
  });

  it("a POST is retried through connection refused until the network is back (the 5th attempt), created once", async () => {
    // A port with nothing listening: every attempt is refused until the sandbox starts on it.
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as any).port;
        s.close(() => resolve(p));
      });
    });
    let sb: Awaited<ReturnType<typeof startSandbox>> | undefined;
    const sleeps: number[] = [];
    const http = new HttpClient({
      network: "ExoClick", baseUrl: `http://127.0.0.1:${port}/exoclick/v2`, random: () => 0.5,
      sleep: async (ms) => {
        sleeps.push(ms);
        // Back within the first connection's budget (FIRST_CONNECT_BUDGET_MS): 125 + 250 + 500 + 1000 ms of waits.
        if (sleeps.length === 4) sb = await startSandbox({ port });
      },
    });
    try {
      const res = await http.request({ ...login, idempotent: false });
      expect(res.status).to.equal(200);
      expect(sleeps).to.have.length(4);
      expect(sb!.requests("exoclick").filter((r) => r.path === "/v2/login")).to.have.length(1);
    } finally {
      await sb?.close();
    }
  });

  it("a permanent outage ends at the budget: total wait = budget, more than 6 attempts, capped delays", async () => {
    const sb = await startSandbox({ port: 0 });
    try {
      sb.faults.next({ kind: "502", count: 1_000_000, routes: ["POST /v2/login"] });
      const sleeps: number[] = [];
      // A clock that stands still: only the injected sleeps spend the budget.
      const http = new HttpClient({ network: "ExoClick", baseUrl: `${sb.urlFor("exoclick")}/v2`, random: () => 0.5, sleep: async (ms) => void sleeps.push(ms), now: () => 0 });
      // login is idempotent in effect (it creates nothing), so it is retried after a 5xx.
      const err = await http.request({ ...login, idempotent: true }).catch((e) => e);
      expect(err).to.be.instanceOf(ApiError);
      expect(err.status).to.equal(502);
      const total = sleeps.reduce((a, b) => a + b, 0);
      expect(total).to.equal(DEFAULT_RETRY.budgetMs);
      expect(Math.max(...sleeps)).to.be.at.most(DEFAULT_RETRY.maxDelayMs);
      const attempts = sb.requests("exoclick").length;
      expect(attempts).to.equal(sleeps.length + 1).and.be.above(6).and.be.at.most(DEFAULT_RETRY.maxAttempts);
    } finally {
      await sb.close();
    }
  });

  it("the time the failed attempts took counts against the budget (30 s timeouts: 5 attempts)", async () => {
    let clock = 0;
    let calls = 0;
    const fetch: FetchLike = async () => {
      calls++;
      clock += 30_000; // each attempt ends in a 30 s timeout-like failure
      return { status: 503, headers: { get: () => null }, text: async () => "" };
    };
    const sleeps: number[] = [];
    const http = new HttpClient({ network: "T", baseUrl: "http://127.0.0.1:1", fetch, random: () => 0.5, now: () => clock, sleep: async (ms) => void (sleeps.push(ms), (clock += ms)) });
    await http.request({ method: "GET", path: "/x" }).catch(() => undefined);
    // 30 + 0.125 + 30 + 0.25 + 30 + 0.5 + 30 + 1 + 30 s: the budget (150 s) is spent after the 5th attempt.
    expect(calls).to.equal(5);
    expect(sleeps).to.deep.equal([125, 250, 500, 1000]);
  });

  it("ADNET_HTTP_RETRY_BUDGET_MS sets the budget", async () => {
    const { fetch } = scriptedAll({ status: 503 });
    const sleeps: number[] = [];
    process.env.ADNET_HTTP_RETRY_BUDGET_MS = "3000";
    try {
      const http = new HttpClient({ network: "T", baseUrl: "http://127.0.0.1:1", fetch, random: () => 0.5, sleep: async (ms) => void sleeps.push(ms), now: () => 0 });
      await http.request({ method: "GET", path: "/x" }).catch(() => undefined);
    } finally {
      delete process.env.ADNET_HTTP_RETRY_BUDGET_MS;
    }
    expect(sleeps.reduce((a, b) => a + b, 0)).to.equal(3000);
  });
});

function scriptedAll(reply: { status: number }) {
  const fetch: FetchLike = async () => ({ status: reply.status, headers: { get: () => null }, text: async () => "" });
  return { fetch };
}

describe("shared HTTP layer: a network that cannot be reached (a wrong baseUrl was retried for 2 min 32 s)", () => {
  let sleeps: number[] = [];
  const sleep = async (ms: number) => void sleeps.push(ms);
  beforeEach(() => {
    sleeps = [];
    resetReachability();
  });
  after(() => resetReachability());

  /** A fetch that fails with `code` while `down()` says so, and answers 200 otherwise. */
  const outage = (code: string, down: () => boolean) => {
    let calls = 0;
    const fetch: FetchLike = async () => {
      calls++;
      if (down()) throw netErr(code);
      return { status: 200, headers: { get: () => null }, text: async () => "{\"ok\":1}" };
    };
    return { fetch, calls: () => calls };
  };
  const waited = () => sleeps.reduce((a, b) => a + b, 0);
  // A clock that stands still: only the injected sleeps spend time.
  const exo = (fetch: FetchLike) => new HttpClient({ network: "ExoClick", baseUrl: "http://127.0.0.1:9/exoclick/v2", settings: exoclickSettings, fetch, sleep, random: () => 0.5, now: () => 0 });

  it("a first connection refused fails after about 8 s (not the 150 s budget), once, naming the URL and the setting that sets it", async () => {
    const { fetch, calls } = outage("ECONNREFUSED", () => true);
    const err: any = await exo(fetch).request({ method: "POST", path: "/login", idempotent: true }).catch((e) => e);
    expect(err).to.be.instanceOf(ApiError);
    expect(waited()).to.equal(FIRST_CONNECT_BUDGET_MS);
    expect(calls()).to.be.below(10);
    expect(err.message).to.equal("ExoClick request failed on POST http://127.0.0.1:9/exoclick/v2/login: cannot reach ExoClick at http://127.0.0.1:9/exoclick/v2: the connection was refused (ECONNREFUSED) on every attempt for 8 s, and nothing in this run has reached it. Check the base URL: stack config exoclick:baseUrl (pulumi config set exoclick:baseUrl <url>) or environment EXOCLICK_BASE_URL; for the local sandbox, start it first (npx adnet-sandbox)");
    // Said once: the next operation on it fails at once and points to the first error.
    expect(sayOnce(err)).to.equal(err);
    const before = calls();
    const again: any = await exo(fetch).request({ method: "GET", path: "/campaigns" }).catch((e) => e);
    expect(calls(), "no new attempt").to.equal(before);
    expect((sayOnce(again) as Error).message).to.equal("ExoClick request failed on POST http://127.0.0.1:9/exoclick/v2/login: not sent: ExoClick is unreachable at http://127.0.0.1:9/exoclick/v2 (see the first error for why and what to set)");
  });

  it("a host name that does not resolve fails the same way", async () => {
    const { fetch } = outage("ENOTFOUND", () => true);
    const err: any = await exo(fetch).request({ method: "GET", path: "/campaigns" }).catch((e) => e);
    expect(waited()).to.equal(FIRST_CONNECT_BUDGET_MS);
    expect(err.message).to.contain("its host name does not resolve (ENOTFOUND)").and.contain("exoclick:baseUrl");
  });

  it("a 4 s outage at the very first connection is still ridden out", async () => {
    const { fetch, calls } = outage("ECONNREFUSED", () => waited() < 4_000);
    const res = await exo(fetch).request({ method: "GET", path: "/campaigns" });
    expect(res.status).to.equal(200);
    expect(calls()).to.be.above(3);
  });

  it("once the network has answered, an outage in the middle of the run gets the whole retry budget (30 s refused, then back)", async () => {
    let down = false;
    const { fetch } = outage("ECONNREFUSED", () => down && waited() < 30_000);
    const http = exo(fetch);
    expect((await http.request({ method: "GET", path: "/campaigns" })).status).to.equal(200);
    down = true;
    expect((await http.request({ method: "GET", path: "/campaigns" })).status).to.equal(200);
    expect(waited()).to.be.at.least(30_000);
  });
});
