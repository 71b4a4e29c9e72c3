/**
 * Seeded fault injection for the sandbox, configurable per network and per
 * route, from code or from ADNET_SANDBOX_FAULTS, e.g.
 *   "rate=0.2;kinds=429,503,reset,slow,lost;seed=7;networks=exoclick;routes=POST"
 * Kinds: 429 (with Retry-After), 500/502/503, reset (connection dropped before
 * the request is handled), slow (latency), lost (the request is handled, the
 * object created, then the connection drops before the response).
 */
export type FaultKind = "429" | "500" | "502" | "503" | "reset" | "slow" | "lost";

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

  constructor(cfg?: FaultConfig) {
    this.configure(cfg);
  }

  configure(cfg?: FaultConfig): void {
    this.cfg = cfg && cfg.rate > 0 ? cfg : undefined;
    this.rand = prng(cfg?.seed ?? 1);
  }

  pick(network: string, route: string): Fault | undefined {
    const c = this.cfg;
    if (!c) return undefined;
    if (c.networks && !c.networks.includes(network)) return undefined;
    if (c.routes && !c.routes.some((r) => route.includes(r))) return undefined;
    if (this.rand() >= c.rate) return undefined;
    let kind = c.kinds[Math.floor(this.rand() * c.kinds.length)];
    // A lost response only makes sense where something is written.
    if (kind === "lost" && route.startsWith("GET")) kind = "reset";
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
    const ra = String(c.retryAfterSeconds ?? 1);
    switch (kind) {
      case "429":
        return { kind, status: 429, message: "Too Many Requests (injected)", headers: { "Retry-After": ra }, delayMs: 0 };
      case "500":
      case "502":
      case "503":
        return { kind, status: Number(kind), message: `Service error ${kind} (injected)`, delayMs: 0 };
      case "slow":
        return { kind, status: 200, message: "", delayMs: c.slowMs ?? 300 };
      default:
        return { kind, status: 0, message: "", delayMs: 0 };
    }
  }
}
