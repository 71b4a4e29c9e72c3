import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { journalEnabled, journalDir, readJournal, unsettled, urnParts } from "../provider/core/journal";

describe("provider journal (core/journal.ts), without the engine", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-journal-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const T = "pulumi-nodejs:dynamic/exoclick:LibraryUrl";
  const urn = (n: string) => `urn:pulumi:dev::shop::${T}::${n}`;
  const write = (name: string, lines: object[], tail = "") => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, lines.map((l) => JSON.stringify(l)).join("\n") + "\n" + tail);
    return f;
  };

  it("is on with PULUMI_SKIP_CHECKPOINTS, and ADNET_JOURNAL decides when set", () => {
    expect(journalEnabled({})).to.equal(false);
    expect(journalEnabled({ PULUMI_SKIP_CHECKPOINTS: "true" })).to.equal(true);
    expect(journalEnabled({ PULUMI_SKIP_CHECKPOINTS: "1", ADNET_JOURNAL: "0" })).to.equal(false);
    expect(journalEnabled({ ADNET_JOURNAL: "1" })).to.equal(true);
  });

  it("lives beside the state of a file backend, per project and stack", () => {
    expect(journalDir("shop", "org/shop/dev", "/nowhere", { PULUMI_BACKEND_URL: "file:///srv/state" })).to.equal("/srv/state/.pulumi/adnet-journal/shop/dev");
    expect(journalDir("shop", "dev", "/nowhere", { PULUMI_BACKEND_URL: "s3://bucket", PULUMI_HOME: "/h" })).to.equal("/h/adnet-journal/shop/dev");
    expect(urnParts(urn("a"))).to.deep.equal({ stack: "dev", project: "shop", type: T });
  });

  it("tells orphans (created, not in state), in-flight creates and settled files apart; a torn last line is skipped", () => {
    const settled = write("run-1.jsonl", [
      { op: "create", urn: urn("a"), type: T, inputs: { url: "https://a" } },
      { op: "created", urn: urn("a"), type: T, id: "1" },
    ]);
    const killed = write("run-2.jsonl", [
      { op: "create", urn: urn("b"), type: T, inputs: { url: "https://b" } },
      { op: "created", urn: urn("b"), type: T, id: "2" },
      { op: "create", urn: urn("c"), type: T, inputs: { url: "https://c" } },
      { op: "create", urn: urn("d"), type: T, inputs: { url: "https://d" } },
      { op: "failed", urn: urn("d"), type: T },
    ], '{"op":"created","urn":"' + urn("c"));
    expect(readJournal(killed)).to.have.length(5);
    const u = unsettled([settled, killed], new Map([[T, new Set(["1"])]]));
    expect([...u.orphans.entries()].map(([k, v]) => [k, v.id])).to.deep.equal([[urn("b"), "2"]]);
    expect([...u.inFlight.keys()]).to.deep.equal([urn("c")]);
    expect(u.inFlight.get(urn("c"))!.inputs).to.deep.equal({ url: "https://c" });
    expect(u.settled).to.deep.equal([settled]);
  });
});
