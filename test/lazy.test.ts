import { expect } from "chai";
import * as path from "path";
import { lazyExports } from "../provider/core/engine/lazy";
import { runChild } from "./support/processes";

/**
 * What `require("pulumi-adnetworks")` loads (issue #35): a program needs the
 * resource classes, not the HTTP clients and lookups the networks also
 * export; those are loaded on first use (core/engine/lazy.ts).
 */
describe("the package's load in a program (core/engine/lazy.ts)", () => {
  it("loads on first read, once, and every name reads its module's value", () => {
    let loads = 0;
    const target: Record<string, unknown> = {};
    const mod = { A: class A {}, b: () => 2, c: 3 };
    lazyExports(target, () => (loads++, mod), ["A", "b", "c"]);
    expect(loads).to.equal(0);
    expect(Object.keys(target)).to.deep.equal(["A", "b", "c"]);
    expect(loads).to.equal(0);
    expect(target.A).to.equal(mod.A);
    expect([target.b, target.c]).to.deep.equal([mod.b, 3]);
    expect(loads).to.equal(1);
  });

  it("a program's require loads no HTTP code, and every export of every network still works", async function () {
    this.timeout(60_000);
    const script = `
      // The SDK is loaded by Pulumi's runner before the program (cmd/run): not counted.
      require("@pulumi/pulumi/runtime");
      require("@pulumi/pulumi/resource");
      const seen = () => Object.keys(require.cache).map((f) => f.split(require("path").sep).join("/"));
      const before = new Set(seen());
      const pkg = require(${JSON.stringify(path.resolve(__dirname, "..", "provider"))});
      const loaded = seen().filter((f) => !before.has(f));
      const exportsOf = {};
      for (const ns of ["affise", "exoclick", "integr8", "interchange", "topsort", "adnetworks"]) {
        exportsOf[ns] = Object.fromEntries(Object.keys(pkg[ns]).filter((k) => k !== "__esModule").map((k) => [k, typeof pkg[ns][k]]));
      }
      const after = seen().filter((f) => !before.has(f));
      console.log(JSON.stringify({ loaded, after, exportsOf, client: String(pkg.exoclick.ExoClickClient).slice(0, 20) }));
    `;
    const out = await runChild(process.execPath, ["-e", script], { cwd: path.resolve(__dirname, "..", "..") });
    expect(out.code, out.stderr).to.equal(0);
    const r = JSON.parse(out.stdout.trim().split("\n").pop()!);
    const heavy = (files: string[]) => files.filter((f) => /node_modules\/(node-fetch|whatwg-url|tr46|qs|form-data)\/|\/provider\/core\/http\/(http|client)\.js$|\/provider\/[a-z0-9]+\/client\.js$|\/provider\/sandbox\//.test(f));
    expect(heavy(r.loaded)).to.deep.equal([]);
    expect(r.loaded.length).to.be.below(100);
    // Reading every export loads what it needs and gives the same kinds of values as the modules themselves.
    // (node-fetch and qs themselves load on the first request: core/http/http.ts, test/networks.test.ts.)
    for (const p of ["/provider/core/http/http.js", "/provider/exoclick/client.js"]) expect(r.after.some((f: string) => f.endsWith(p)), p).to.equal(true);
    const classes = { affise: ["Offer", "Postback", "AffiseClient"], exoclick: ["LibraryUrl", "LibraryFile", "Campaign", "Variation", "ExoClickClient"], integr8: ["Postback", "OfferApplication", "Integr8Client"], interchange: ["Campaign", "InterchangeClient"], topsort: ["Campaign", "TopsortClient"] };
    for (const [ns, names] of Object.entries(classes)) for (const n of names) expect(r.exportsOf[ns][n], `${ns}.${n}`).to.equal("function");
    const lookups = { integr8: ["listOffers", "iterateOffers", "getOffer", "listPostbackLogs", "iteratePostbackLogs", "listOfferApplications"], topsort: ["listCampaigns"] };
    for (const [ns, names] of Object.entries(lookups)) for (const n of names) expect(r.exportsOf[ns][n], `${ns}.${n}`).to.equal("function");
    expect(r.exportsOf.integr8.ROUTES).to.equal("object");
    expect(r.client).to.match(/^class ExoClickClient/);
    // Nothing exported is undefined.
    for (const [ns, e] of Object.entries(r.exportsOf)) for (const [k, t] of Object.entries(e as Record<string, string>)) expect(t, `${ns}.${k}`).not.to.equal("undefined");
  });

  it("the lazy exports are the modules' own values", () => {
    const pkg = require("../provider");
    expect(pkg.exoclick.ExoClickClient).to.equal(require("../provider/exoclick/client").ExoClickClient);
    expect(pkg.affise.AffiseClient).to.equal(require("../provider/affise/client").AffiseClient);
    expect(pkg.integr8.Integr8Client).to.equal(require("../provider/integr8/client").Integr8Client);
    expect(pkg.integr8.listOffers).to.equal(require("../provider/integr8/lookups").listOffers);
    expect(pkg.interchange.InterchangeClient).to.equal(require("../provider/interchange/client").InterchangeClient);
    expect(pkg.topsort.TopsortClient).to.equal(require("../provider/topsort/client").TopsortClient);
    expect(pkg.topsort.listCampaigns).to.equal(require("../provider/topsort/lookups").listCampaigns);
  });
});
