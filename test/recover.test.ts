import { expect } from "chai";
import { createGuard, resetCreateGuards } from "../provider/core/http/recover";

/** A promise with its resolve, to hold a step until the test lets it go. */
function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe("lost-create guard: concurrent creates with the same natural key", () => {
  beforeEach(() => resetCreateGuards());
  after(() => resetCreateGuards());

  /** A network of objects that all share one natural key (25 library files of one image). */
  function network() {
    const objects: Array<{ id: string }> = [];
    let next = 1;
    return {
      objects,
      make: () => {
        const o = { id: String(next++) };
        objects.push(o);
        return o;
      },
      search: { scope: "test|files", id: (o: { id: string }) => o.id, candidates: async () => [...objects], existing: async () => [] as Array<{ id: string }> },
    };
  }

  it("a search after a lost response never takes a sibling's object whose response is still on the way", async () => {
    const net = network();
    const a = createGuard(net.search);
    const b = createGuard(net.search);
    await a.prepare();
    await b.prepare();
    // A's POST made object 1 on the network; its response is still on the way.
    const aMade = net.make();
    // B's POST was lost before the network saw it: B looks for what it may have made.
    const bFound = b.recover();
    let bDone = false;
    void bFound.then(() => (bDone = true));
    await new Promise((r) => setImmediate(r));
    // The search waits for A, which is still in flight.
    expect(bDone).to.equal(false);
    // A's response arrives.
    a.claim(aMade.id);
    a.done();
    // Object 1 is A's: B finds nothing and will send its create again.
    expect(await bFound).to.equal(undefined);
    const bMade = net.make();
    b.claim(bMade.id);
    b.done();
    expect([aMade.id, bMade.id]).to.deep.equal(["1", "2"]);
  });

  it("a create waits to be sent while a search of its scope runs, so the search cannot take its object", async () => {
    const net = network();
    const listing = deferred();
    const slow = { ...net.search, candidates: async () => (await listing.promise, [...net.objects]) };
    const s1 = createGuard(slow);
    await s1.prepare();
    // S1's create made object 1 and its response was lost: it searches (the listing takes a while).
    net.make();
    const found = s1.recover();
    // C starts meanwhile: it is not sent before the search has claimed what it found.
    const c = createGuard(net.search);
    let cSent = false;
    const cPrepared = c.prepare().then(() => (cSent = true));
    await new Promise((r) => setImmediate(r));
    expect(cSent).to.equal(false);
    listing.resolve();
    expect(await found).to.deep.equal({ id: "1" });
    await cPrepared;
    expect(cSent).to.equal(true);
    c.done();
    s1.done();
  });

  it("two lost creates that both made an object take one each", async () => {
    const net = network();
    const a = createGuard(net.search);
    const b = createGuard(net.search);
    await a.prepare();
    await b.prepare();
    net.make();
    net.make();
    const [fa, fb] = await Promise.all([a.recover(), b.recover()]);
    a.done();
    b.done();
    expect([fa?.id, fb?.id].sort()).to.deep.equal(["1", "2"]);
  });
});
