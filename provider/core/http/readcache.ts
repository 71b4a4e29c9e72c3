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

/**
 * One answer that holds several objects, read once per run and shared by
 * their reads: an ExoClick campaign's detail holds its variations, an Affise
 * affiliate's postback list holds each of its postbacks (Affise has no read
 * by id). `group` names the answer (the campaign, the affiliate), `part` the
 * object a read wants of it (the campaign itself, a variation, a postback).
 *
 * Whichever read of a group comes first asks the network; the others of the
 * run share that answer (the same one whatever the engine's order), each part
 * served once: a second read of a part, or any read of a group this process
 * wrote (created in, updated, deleted), asks the network again. Off (each
 * read asks) outside the provider host, like ReadCache.
 */
export class SharedReads<D> {
  private readonly answers = new Map<string, Promise<D>>();
  private readonly served = new Set<string>();
  private readonly wrote = new Set<string>();
  /** Counts, for tests and the bench: answers asked of the network, reads served by an earlier one. */
  readonly stats = { asked: 0, shared: 0 };

  constructor(private readonly fetch: (group: string) => Promise<D>) {}

  /** This run's answer for `group` when `part` of it was not served yet, else a new one. */
  read(group: string, part: string): Promise<D> {
    const key = `${group}\u0000${part}`;
    if (!enabled || this.wrote.has(group) || this.served.has(key)) return this.fetch(group);
    this.served.add(key);
    let answer = this.answers.get(group);
    if (answer) {
      this.stats.shared++;
      return answer;
    }
    this.stats.asked++;
    answer = this.fetch(group);
    // A failure is every sharing read's own (the same request would have failed for each); not an unhandled rejection here.
    answer.catch(() => undefined);
    this.answers.set(group, answer);
    return answer;
  }

  /** This process wrote in `group`: later reads of it ask the network. */
  written(group: string | number): void {
    this.wrote.add(String(group));
    this.answers.delete(String(group));
  }
}
