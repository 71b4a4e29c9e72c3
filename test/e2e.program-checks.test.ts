/**
 * What only the whole program shows, refused at preview with 0 requests
 * (core/guard/guard.ts): two resources of a type sharing a natural key, and rules
 * between resources the program declares (an ExoClick Variation linking a
 * 728x90 image to a 300x250 campaign). For a rule between resources, `up`
 * without a preview sends nothing either: the referenced resources carry the
 * problem too, and are checked first.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { exoclick } from "pulumi-adnetworks";
import { attempt, e2e, E2E, ROOT } from "./support/engine";
import { png } from "./support/png";
import { sandboxSettings } from "./support/accounts";
import { EXOCLICK_SANDBOX_CREDENTIALS } from "../provider/sandbox/exoclick";

describe("@e2e real Pulumi engine: problems only the whole program shows, refused at preview with 0 requests", function () {
  this.timeout(300_000);
  let t: E2E;
  let dir: string;
  const campaign = (name: string, size = "300x250") => ({ name, size, pricing: { model: 4 as const, price: 3 } });

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-program-checks-"));
    fs.writeFileSync(path.join(dir, "leaderboard-728x90.png"), png(728, 90, 30));
    t = await e2e({
      program: async () => undefined,
      workDir: path.relative(ROOT, dir),
      config: (sb) => sandboxSettings(sb, "exoclick").config,
    });
  });
  afterEach(async () => t?.e.stack.removeAllConfig(["adnetworks:allowDuplicates"]));
  after(async () => {
    await t?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("two campaigns whose names differ only in case and spaces: refused once, naming both; adnetworks:allowDuplicates lets them be", async () => {
    t.setProgram(async () => {
      new exoclick.Campaign("summer", campaign("Summer Sale"));
      new exoclick.Campaign("summer-copy", campaign(" summer sale "));
      new exoclick.Campaign("winter", campaign("Winter Sale"));
    });
    for (const op of ["preview", "up"] as const) {
      const r = await attempt((o) => t.e.stack[op](o));
      expect(r.error, op).to.exist;
      expect(r.errors, op).to.have.length(1);
      expect(r.errors[0]).to.match(/resource 'summer(-copy)?' has a problem: exoclick\.Campaign 'summer' and 'summer-copy' have the same natural key, name "Summer Sale" \(compared ignoring case and surrounding spaces\)/)
        .and.contain(`pulumi config set adnetworks:allowDuplicates '["summer","summer-copy"]'`);
      // Nothing at preview; at up neither copy is sent (an unrelated campaign may be, before the engine stops).
      if (op === "preview") expect(t.sb.journal, op).to.have.length(0);
      const names = Object.values(t.sb.network<any>("exoclick").data.campaigns).map((c: any) => c.name.trim().toLowerCase());
      expect(names, op).not.to.include("summer sale");
    }
    expect((await t.resources()).map((r: any) => r.urn.split("::").pop())).not.to.include.members(["summer", "summer-copy"]);
    await t.e.stack.setConfig("adnetworks:allowDuplicates", { value: JSON.stringify(["summer", "summer-copy"]) });
    const ok = await attempt((o) => t.e.stack.preview(o));
    expect(ok.error).to.equal(undefined);
    expect(ok.errors).to.deep.equal([]);
  });

  it("a Variation linking a 728x90 LibraryFile to a 300x250 Campaign: refused at preview and at up, with 0 requests (no image uploaded)", async () => {
    t.setProgram(async () => {
      const landing = new exoclick.LibraryUrl("landing", { url: "https://program-checks.example/" });
      const banner = new exoclick.LibraryFile("leaderboard", { path: "leaderboard-728x90.png", size: "728x90" });
      const camp = new exoclick.Campaign("medium-rectangle", campaign("Program checks 300x250"));
      new exoclick.Variation("mismatch", { campaignId: camp.id, libraryUrlId: landing.id, libraryFileId: banner.id });
    });
    const message = "exoclick.Variation 'mismatch' links the 728x90 LibraryFile 'leaderboard' to the 300x250 Campaign 'medium-rectangle': ExoClick shows a banner campaign's creatives at exactly its size and refuses another (400). Link a 300x250 image, or a 728x90 campaign";
    const sent = t.sb.journal.length;
    for (const op of ["preview", "up"] as const) {
      const r = await attempt((o) => t.e.stack[op](o));
      expect(r.error, op).to.exist;
      expect(r.errors, op).to.have.length(1);
      expect(r.errors[0], `${op}: ${r.errors[0]}`).to.match(/resource '(landing|leaderboard|medium-rectangle|mismatch)' has a problem: /).and.contain(message);
      // Every resource the variation links carries the problem and is checked before it: nothing is sent at up either.
      expect(t.sb.journal.length - sent, op).to.equal(0);
    }
    // The same program with a 728x90 campaign is fine.
    t.setProgram(async () => {
      const landing = new exoclick.LibraryUrl("landing", { url: "https://program-checks.example/" });
      const banner = new exoclick.LibraryFile("leaderboard", { path: "leaderboard-728x90.png", size: "728x90" });
      const camp = new exoclick.Campaign("leaderboard-campaign", campaign("Program checks 728x90", "728x90"));
      new exoclick.Variation("match", { campaignId: camp.id, libraryUrlId: landing.id, libraryFileId: banner.id });
    });
    expect((await attempt((o) => t.e.stack.preview(o))).errors).to.deep.equal([]);
  });

  it("error lines stay readable: a 10,000-character name and a required field given as null, as Pulumi prints them", async () => {
    t.setProgram(async () => {
      new exoclick.Campaign("long-name", campaign("n".repeat(10_000)));
    });
    const long = await attempt((o) => t.e.stack.preview(o));
    expect(long.errors).to.deep.equal(["pulumi-nodejs:dynamic/exoclick:Campaign resource 'long-name' has a problem: name must be at most 255 characters, got 10000"]);
    t.setProgram(async () => {
      new exoclick.Campaign("no-name", { ...campaign("x"), name: null as any });
    });
    const missing = await attempt((o) => t.e.stack.preview(o));
    expect(missing.errors).to.deep.equal(["pulumi-nodejs:dynamic/exoclick:Campaign resource 'no-name' has a problem: name is required"]);
  });
});

/**
 * A wrong base URL (or a sandbox that is not running): the first connection
 * is refused, so `up` fails within seconds, says so once in full (the URL
 * and the setting), and the other resources point to it.
 */
describe("@e2e real Pulumi engine: a network that cannot be reached", function () {
  this.timeout(300_000);
  let t: E2E;
  let port: number;

  before(async () => {
    // A port nothing listens on.
    port = await new Promise<number>((resolve) => {
      const s = require("net").createServer().listen(0, "127.0.0.1", () => {
        const p = s.address().port;
        s.close(() => resolve(p));
      });
    });
    t = await e2e({
      program: async () => {
        for (const n of ["a", "b", "c"]) new exoclick.Campaign(n, { name: `Unreachable ${n}`, size: "300x250", pricing: { model: 4, price: 3 } });
      },
      config: () => ({
        "exoclick:baseUrl": { value: `http://127.0.0.1:${port}/exoclick/v2` },
        "exoclick:apiToken": { value: EXOCLICK_SANDBOX_CREDENTIALS.apiToken, secret: true },
      }),
    });
  });
  after(async () => t?.close());

  it("up fails within seconds, not minutes, saying once which URL was tried and which setting sets it", async () => {
    const started = Date.now();
    const r = await attempt((o) => t.e.stack.up(o));
    const elapsed = Date.now() - started;
    expect(r.error).to.exist;
    const full = r.errors.filter((e) => e.includes("cannot reach ExoClick"));
    expect(full, r.errors.join("\n")).to.have.length(1);
    expect(full[0]).to.contain(`cannot reach ExoClick at http://127.0.0.1:${port}/exoclick/v2: the connection was refused (ECONNREFUSED)`)
      .and.contain("Check the base URL: stack config exoclick:baseUrl (pulumi config set exoclick:baseUrl <url>) or environment EXOCLICK_BASE_URL");
    for (const other of r.errors.filter((e) => !e.includes("cannot reach") && !/update failed/.test(e))) expect(other).to.contain("not sent: ExoClick is unreachable");
    // About 8 s of retries plus the engine's start; the old behaviour took 2 min 32 s. A generous bound for a loaded machine.
    expect(elapsed).to.be.below(60_000);
  });
});
