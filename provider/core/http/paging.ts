/**
 * One paging loop for every network. Each network says how to fetch page n
 * (its own parameters: limit/offset, page numbers, take/skip, offset with
 * `hasMore`) and whether more follow; the loop, its bound and the guard
 * against a server that never advances live here.
 */
export interface Page<T> {
  items: T[];
  /** Whether another page follows (from the network's own signal or a full page). */
  more: boolean;
}

/** Items of every page, fetched one page at a time as the consumer iterates; at most `maxPages` requests. */
export async function* pages<T>(fetchPage: (n: number) => Promise<Page<T>>, maxPages = 10_000): AsyncGenerator<T> {
  for (let n = 0; n < maxPages; n++) {
    const page = await fetchPage(n);
    for (const item of page.items) yield item;
    if (!page.more || page.items.length === 0) return;
  }
}

export async function collectPages<T>(fetchPage: (n: number) => Promise<Page<T>>, maxPages?: number): Promise<T[]> {
  const out: T[] = [];
  for await (const item of pages(fetchPage, maxPages)) out.push(item);
  return out;
}

/** A page is full: more may follow (for networks that give no other signal). */
export const full = (items: unknown[], size: number) => items.length >= size;
