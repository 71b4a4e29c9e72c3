/**
 * Finding the object that a create made when its response was lost.
 *
 * Networks without idempotency keys leave one safe path after an ambiguous
 * failure (connection dropped, 5xx): search for the object by its natural key
 * before writing again. To avoid adopting an object that belongs to someone
 * else with the same key (25 campaigns may share one banner image), the
 * search excludes
 *  - objects that existed before this process first created that kind
 *    (listed once per kind and process, lazily, only when `existing` is given),
 *  - objects this process already created or recovered for other resources.
 * Of what is left, the newest is the one.
 */
const claimed = new Set<string>();
const snapshots = new Map<string, Promise<Set<string>>>();

export interface LostCreateSearch<T> {
  /** Network, account and kind, e.g. "exoclick|https://...|<hash>|campaign". */
  scope: string;
  /** Objects matching the natural key. */
  candidates(): Promise<T[]>;
  id(t: T): string;
  /** Every object of the kind; omit when a natural key cannot be shared. */
  existing?(): Promise<T[]>;
}

export interface CreateGuard<T> {
  /** Call before the first attempt (takes the per-kind snapshot once). */
  prepare(): Promise<void>;
  /** The `recover` hook for HttpClient.request. */
  recover(): Promise<T | undefined>;
  /** Marks an id as owned by a resource of this process. */
  claim(id: string | number): void;
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
  const snapshot = () => {
    if (!s.existing) return Promise.resolve(new Set<string>());
    let p = snapshots.get(s.scope);
    if (!p) {
      p = s.existing().then((items) => new Set(items.map(s.id)));
      snapshots.set(s.scope, p);
      p.catch(() => snapshots.delete(s.scope));
    }
    return p;
  };
  const guard: CreateGuard<T> = {
    prepare: async () => {
      await snapshot();
    },
    recover: async () => {
      const before = await snapshot();
      const found = newest((await s.candidates()).filter((t) => !before.has(s.id(t)) && !claimed.has(key(s.id(t)))), s.id);
      if (found) guard.claim(s.id(found));
      return found;
    },
    claim: (id) => {
      claimed.add(key(String(id)));
    },
  };
  return guard;
}

/** For tests: forget snapshots and claims. */
export function resetCreateGuards(): void {
  claimed.clear();
  snapshots.clear();
}
