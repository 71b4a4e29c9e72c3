/**
 * Reads at list speed: a refresh (or an adoption) of N objects of one kind
 * reads them with one listing instead of N requests, where the network's
 * list returns the whole object (ExoClick's library URLs and files).
 *
 * One cache per client (so per network, account and configuration) and
 * kind, in the provider host only (one process per command: nothing in it is
 * older than the run). The first read of a kind asks for the object itself
 * (a command that reads one object pays one request); from the second, one
 * listing serves the rest. Each listed object is served once: a second read
 * of the same id asks the network again, as does a read of an id this
 * process wrote (created, updated, deleted) or that the listing lacked (made
 * since, or gone: the network's answer decides).
 */
let enabled = process.env.ADNET_READ_CACHE === "1";

/** Turns the caches on (the provider host; `ADNET_READ_CACHE=0` keeps them off) or off. */
export function enableReadCache(on = process.env.ADNET_READ_CACHE !== "0"): void {
  enabled = on;
}

export class ReadCache<T> {
  private reads = 0;
  private listed?: Promise<Map<string, T> | undefined>;
  private readonly wrote = new Set<string>();
  /** Counts, for tests and the bench. */
  readonly stats = { listings: 0, served: 0 };

  constructor(private readonly list: () => Promise<T[]>, private readonly idOf: (t: T) => string) {}

  /** The object `id`: from this run's listing when it holds it, else `get`. */
  async read(id: string, get: () => Promise<T | undefined>): Promise<T | undefined> {
    if (!enabled || this.wrote.has(id)) return get();
    if (++this.reads < 2 && !this.listed) return get();
    if (!this.listed) {
      this.stats.listings++;
      // A listing that fails leaves reads to ask one by one (each reports its own error).
      this.listed = this.list().then((items) => new Map(items.map((t) => [this.idOf(t), t])), () => undefined);
    }
    const map = await this.listed;
    const hit = map?.get(id);
    if (hit === undefined) return get();
    map!.delete(id);
    this.stats.served++;
    return hit;
  }

  /** This process wrote `id`: later reads ask the network. */
  written(id: string | number): void {
    this.wrote.add(String(id));
  }
}
