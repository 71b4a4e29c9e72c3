/**
 * Seeded fault injection for the sandbox, configurable per network and per
 * route, from code or from ADNET_SANDBOX_FAULTS, e.g.
 *   "rate=0.2;kinds=429,503,reset,slow,lost;seed=7;networks=exoclick;routes=POST"
 * Kinds: 429 (with Retry-After), 500/502/503, reset (connection dropped before
 * the request is handled), slow (latency), lost (the request is handled, the
 * object created, then the connection drops before the response).
 */
export type FaultKind = "429" | "500" | "502" | "503" | "reset" | "slow" | "lost" | "hold";

export interface FaultConfig {
  /** Probability in [0, 1] that a request gets a fault. */
  rate: number;
  kinds: FaultKind[];
  seed?: number;
  /** Only these networks (default: all). */
  networks?: string[];
  /** Only routes whose "METHOD /template" contains one of these strings. */
  routes?: string[];
  /** Retry-After seconds sent with 429 (default 1). */
  retryAfterSeconds?: number;
  /** Extra latency for "slow", in ms (default 300). */
  slowMs?: number;
}

export interface Fault {
  kind: FaultKind;
  status: number;
  message: string;
  headers?: Record<string, string>;
  delayMs: number;
  /** For "hold": the request is handled only once this settles. */
  wait?: Promise<void>;
}

/**
 * A fault by request count, not by chance or by time: the next `count`
 * requests that match (after skipping `skip` matching ones) get `kind`.
 * Scripted faults come before the random ones and do not use the seed.
 */
export interface ScriptedFault {
  kind: Exclude<FaultKind, "slow" | "hold">;
  count: number;
  skip?: number;
  networks?: string[];
  /** Only routes whose "METHOD /template" contains one of these strings. */
  routes?: string[];
  retryAfterSeconds?: number;
}

/** A request held by `hold()`: `reached` resolves when it arrives. */
export interface HeldRequest {
  reached: Promise<string>;
  /** Lets the held request be handled (as if it reached the network late). */
  release(): void;
}

export function parseFaultSpec(spec: string): FaultConfig | undefined {
  if (!spec.trim()) return undefined;
  const cfg: FaultConfig = { rate: 0, kinds: ["429", "503", "reset", "slow", "lost"] };
  for (const part of spec.split(";")) {
    const [k, v] = part.split("=").map((s) => s.trim());
    if (!k) continue;
    if (k === "rate") cfg.rate = Number(v);
    else if (k === "kinds") cfg.kinds = v.split(",").map((s) => s.trim()) as FaultKind[];
    else if (k === "seed") cfg.seed = Number(v);
    else if (k === "networks") cfg.networks = v.split(",");
    else if (k === "routes") cfg.routes = v.split(",");
    else if (k === "retryAfter") cfg.retryAfterSeconds = Number(v);
    else if (k === "slowMs") cfg.slowMs = Number(v);
    else throw new Error(`ADNET_SANDBOX_FAULTS: unknown key ${k} (known: rate, kinds, seed, networks, routes, retryAfter, slowMs)`);
  }
  return cfg;
}

/** mulberry32: a small seeded PRNG, so a failing run can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private cfg?: FaultConfig;
  private rand: () => number = Math.random;
  /** Faults injected so far, by kind. */
  readonly counts: Record<string, number> = {};
  /** Requests seen so far (each network request passes here once, before it is handled). */
  seen = 0;
  private scripted: Array<ScriptedFault & { seen: number }> = [];
  private releases: Array<() => void> = [];
  private holds: Array<{ nth: number; seen: number; routes?: string[]; networks?: string[]; reached: (route: string) => void; wait: Promise<void> }> = [];

  constructor(cfg?: FaultConfig) {
    this.configure(cfg);
  }

  configure(cfg?: FaultConfig): void {
    this.cfg = cfg && cfg.rate > 0 ? cfg : undefined;
    this.rand = prng(cfg?.seed ?? 1);
    if (!cfg) {
      // A reset drops scripted faults and lets every held request go on.
      this.scripted = [];
      for (const release of this.releases.splice(0)) release();
      this.holds = [];
    }
  }

  /** The next `count` matching requests answer `kind` (see ScriptedFault). */
  next(rule: ScriptedFault): void {
    this.scripted.push({ ...rule, seen: 0 });
  }

  /**
   * Holds the `nth` (1-based) matching request before it is handled, until
   * `release()`: a test waits for `reached`, then acts (e.g. kills the CLI)
   * while that request is in flight, with no timing window.
   */
  hold(o: { nth: number; routes?: string[]; networks?: string[] }): HeldRequest {
    let release!: () => void;
    const wait = new Promise<void>((r) => (release = r));
    let reached!: (route: string) => void;
    const arrived = new Promise<string>((r) => (reached = r));
    this.holds.push({ ...o, seen: 0, reached, wait });
    this.releases.push(release);
    return { reached: arrived, release };
  }

  pick(network: string, route: string): Fault | undefined {
    this.seen++;
    const matches = (r: { networks?: string[]; routes?: string[] }) =>
      (!r.networks || r.networks.includes(network)) && (!r.routes || r.routes.some((x) => route.includes(x)));
    for (const h of this.holds) {
      if (!matches(h) || ++h.seen !== h.nth) continue;
      this.holds.splice(this.holds.indexOf(h), 1);
      this.counts.hold = (this.counts.hold ?? 0) + 1;
      h.reached(route);
      return { kind: "hold", status: 200, message: "", delayMs: 0, wait: h.wait };
    }
    for (const s of this.scripted) {
      if (!matches(s)) continue;
      s.seen++;
      if (s.seen <= (s.skip ?? 0)) continue;
      if (s.seen - (s.skip ?? 0) >= s.count) this.scripted.splice(this.scripted.indexOf(s), 1);
      return this.make(s.kind, s.retryAfterSeconds ?? 1, 0);
    }
    const c = this.cfg;
    if (!c) return undefined;
    if (c.networks && !c.networks.includes(network)) return undefined;
    if (c.routes && !c.routes.some((r) => route.includes(r))) return undefined;
    if (this.rand() >= c.rate) return undefined;
    let kind = c.kinds[Math.floor(this.rand() * c.kinds.length)];
    // A lost response only makes sense where something is written.
    if (kind === "lost" && route.startsWith("GET")) kind = "reset";
    return this.make(kind, c.retryAfterSeconds ?? 1, c.slowMs ?? 300);
  }

  private make(kind: FaultKind, retryAfterSeconds: number, slowMs: number): Fault {
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
    const ra = String(retryAfterSeconds);
    switch (kind) {
      case "429":
        return { kind, status: 429, message: "Too Many Requests (injected)", headers: { "Retry-After": ra }, delayMs: 0 };
      case "500":
      case "502":
      case "503":
        return { kind, status: Number(kind), message: `Service error ${kind} (injected)`, delayMs: 0 };
      case "slow":
        return { kind, status: 200, message: "", delayMs: slowMs };
      default:
        return { kind, status: 0, message: "", delayMs: 0 };
    }
  }
}
