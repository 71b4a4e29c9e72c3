/**
 * Exports loaded on first use. A program that declares resources needs
 * their classes, not the HTTP clients and lookups the networks also export
 * (the clients pull in node-fetch with whatwg-url and tr46's table, Affise's
 * qs with its 40 small modules): they stay exported, with the same types,
 * and their module is required the first time one of them is read.
 * Issue #35: the package's load in a program from 158 modules to fewer (see
 * docs/performance.md for the figures).
 */
export function lazyExports<M extends object, K extends keyof M & string>(target: object, load: () => M, names: readonly K[]): void {
  let loaded: M | undefined;
  for (const name of names) {
    Object.defineProperty(target, name, { enumerable: true, configurable: true, get: () => (loaded ??= load())[name] });
  }
}
