/**
 * Finding the object that a create made when its response was lost.
 *
 * Networks without idempotency keys leave one safe path after an ambiguous
 * failure (connection dropped, 5xx): search for the object by its natural key
 * before writing again. To avoid adopting an object that belongs to someone
 * else with the same key (25 campaigns may share one banner image), the
 * search excludes
 *  - objects that existed before this process first created that kind
 *    (a mark taken once per kind and process, lazily, only when
 *    `existedBefore` is given: the newest id or the newest page, one
 *    request, not a listing of the account; so a create costs requests in
 *    proportion to the change, whatever the account's size),
 *  - objects this process already created or recovered for other resources.
 * Of what is left, the newest is the one.
 *
 * Concurrent creates of one kind with the same natural key (25 library
 * files of one image) race: a sibling's object may already exist on the
 * network while its response is still on the way, so it is not claimed
 * yet. A search therefore never overlaps a create in flight of its scope:
 * it waits until the creates already sent have settled (claimed their ids
 * or failed), and creates of that scope wait to be sent until the search
 * has claimed what it found (`Scope`).
 */
const claimed = new Set<string>();
/** Whether a listed object existed before this process first created its kind. */
export type Existed<T> = (t: T) => boolean;
const snapshots = new Map<string, Promise<Existed<unknown>>>();

/** Creates in flight and the one search at a time, per scope. */
class Scope {
  private inflight = 0;
  private searching = false;
  private waiters: Array<() => void> = [];

  private changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
  /** Before a create is sent: waits while a search runs. */
  async send(): Promise<void> {
    while (this.searching) await this.changed();
    this.inflight++;
  }
  /** A create sent by `send` has settled (answered, failed, or is about to search). */
  settled(): void {
    this.inflight--;
    this.notify();
  }
  /** Runs `search` alone, once no create of the scope is in flight; `resend` counts the caller as sent again. */
  async search<T>(search: () => Promise<T>, resend: (found: T) => boolean): Promise<T> {
    while (this.searching) await this.changed();
    this.searching = true;
    try {
      while (this.inflight > 0) await this.changed();
      const found = await search();
      if (resend(found)) this.inflight++;
      return found;
    } finally {
      this.searching = false;
      this.notify();
    }
  }
}
const scopes = new Map<string, Scope>();

export interface LostCreateSearch<T> {
  /** Network, account and kind, e.g. "exoclick|https://...|<hash>|campaign". */
  scope: string;
  /** Objects matching the natural key. */
  candidates(): Promise<T[]>;
  id(t: T): string;
  /**
   * A mark of what exists now, as a test of a listed object (taken before
   * the first create of the scope); omit when a natural key cannot be
   * shared. It must be exact: every object that exists when it is taken
   * passes it, no object made later does.
   */
  existedBefore?(): Promise<Existed<T>>;
}

export interface CreateGuard<T> {
  /** Call before the first attempt (takes the per-kind snapshot once; waits while a search of the scope runs). */
  prepare(): Promise<void>;
  /** The `recover` hook for HttpClient.request. */
  recover(): Promise<T | undefined>;
  /** Marks an id as owned by a resource of this process. */
  claim(id: string | number): void;
  /** Call once the create is over, whatever its outcome (after `claim`). */
  done(): void;
}

/** The newest of `items`: the highest numeric id, else the last listed. */
export function newest<T>(items: T[], id: (t: T) => string): T | undefined {
  const numeric = items.every((t) => /^\d+$/.test(id(t)));
  if (!numeric) return items[items.length - 1];
  return [...items].sort((a, b) => Number(id(b)) - Number(id(a)))[0];
}

/** The id of the newest of `items` that no other resource owns (`exclude`). */
export function newestUnowned<T>(items: T[], id: (t: T) => string, exclude: Set<string>): string | undefined {
  const found = newest(items.filter((t) => !exclude.has(id(t))), id);
  return found === undefined ? undefined : id(found);
}

export function createGuard<T>(s: LostCreateSearch<T>): CreateGuard<T> {
  const key = (id: string) => `${s.scope}|${id}`;
  const snapshot = (): Promise<Existed<T>> => {
    if (!s.existedBefore) return Promise.resolve(() => false);
    let p = snapshots.get(s.scope) as Promise<Existed<T>> | undefined;
    if (!p) {
      p = s.existedBefore();
      snapshots.set(s.scope, p as Promise<Existed<unknown>>);
      p.catch(() => snapshots.delete(s.scope));
    }
    return p;
  };
  let scope = scopes.get(s.scope);
  if (!scope) scopes.set(s.scope, (scope = new Scope()));
  const sc = scope;
  let sent = false;
  const guard: CreateGuard<T> = {
    prepare: async () => {
      await snapshot();
      await sc.send();
      sent = true;
    },
    recover: async () => {
      const before = await snapshot();
      // This create's attempt is over; the search waits for the others' to be over too.
      if (sent) sc.settled();
      sent = false;
      const found = await sc.search(async () => {
        const t = newest((await s.candidates()).filter((x) => !before(x) && !claimed.has(key(s.id(x)))), s.id);
        if (t) guard.claim(s.id(t));
        return t;
      }, (t) => t === undefined);
      // Not found: the caller sends the create again, as a create in flight.
      if (found === undefined) sent = true;
      return found;
    },
    claim: (id) => {
      claimed.add(key(String(id)));
    },
    done: () => {
      if (sent) sc.settled();
      sent = false;
    },
  };
  return guard;
}

/** For tests: forget snapshots and claims. */
export function resetCreateGuards(): void {
  claimed.clear();
  snapshots.clear();
  scopes.clear();
}

/** The mark of a listing: every object it lists existed (a network that offers no cheaper mark). */
export function listedBefore<T>(items: T[], id: (t: T) => string): Existed<T> {
  const ids = new Set(items.map(id));
  return (t) => ids.has(id(t));
}

/**
 * The mark of numeric ids the network hands out in increasing order: what
 * existed has an id at most the largest one listed now. `newestFirst` asks
 * the network for a page of `size` in decreasing id order; a page shorter
 * than `size` is the whole kind (its largest id is exact in any order), a
 * full page must be in decreasing order (checked, so a network that ignores
 * the order parameter is not trusted) or the mark falls back to `all` (the
 * whole listing, exact with any order).
 */
export async function idMark<T>(newestFirst: (size: number) => Promise<T[]>, id: (t: T) => string, all: () => Promise<T[]>, size = 50): Promise<Existed<T>> {
  const page = await newestFirst(size);
  const ids = page.map((t) => Number(id(t)));
  if (!ids.every((n) => Number.isSafeInteger(n))) return listedBefore(await all(), id);
  const whole = ids.length < size;
  if (!whole && !ids.every((n, i) => i === 0 || n < ids[i - 1])) return listedBefore(await all(), id);
  if (ids.length === 0) return () => false;
  const max = Math.max(...ids);
  return (t) => {
    const n = Number(id(t));
    // An id that is no number cannot be placed: it counts as existing (never taken).
    return !Number.isSafeInteger(n) || n <= max;
  };
}

/**
 * The mark of creation times, for networks whose ids carry no order
 * (Topsort's UUIDs): the newest page by creation date, P. What existed is in
 * P or was created at or before P's oldest; what is made later is created at
 * or after P's newest. So an object not in P is new when created after P's
 * newest, or at it when P spans more than one instant; anything else
 * (earlier, unreadable, or a tie when all of P is one instant) counts as
 * existing and is never taken. Falls back to `all` when the page is not in
 * decreasing order of creation.
 */
export async function timeMark<T>(newestFirst: () => Promise<T[]>, id: (t: T) => string, created: (t: T) => unknown, all: () => Promise<T[]>): Promise<Existed<T>> {
  const page = await newestFirst();
  const times = page.map((t) => Date.parse(String(created(t) ?? "")));
  const ordered = times.every((n, i) => Number.isFinite(n) && (i === 0 || n <= times[i - 1]));
  if (!ordered) return listedBefore(await all(), id);
  if (page.length === 0) return () => false;
  const ids = new Set(page.map(id));
  const newestTime = times[0];
  const oneInstant = times[times.length - 1] === newestTime;
  return (t) => {
    if (ids.has(id(t))) return true;
    const n = Date.parse(String(created(t) ?? ""));
    if (!Number.isFinite(n)) return true;
    return n < newestTime || (n === newestTime && oneInstant);
  };
}
