import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { journalEnabled, journalDir, readJournal, unsettled, urnParts, earlierRuns } from "../provider/core/engine/journal";
import { FileJournalStore, JournalMismatch, PgJournalStore, S3JournalStore, journalStore, pgSettings, redactUrl, s3Request, s3Settings } from "../provider/core/engine/journalStore";
import { freePort } from "../scripts/lib/postgres";

describe("provider journal (core/engine/journal.ts), without the engine", () => {
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

  it("is kept in the stack's backend: files beside a file:// state, a table of a postgres:// database, objects of an s3:// bucket, $PULUMI_HOME (said) for gs:// and the others", () => {
    const file = journalStore("shop", "dev", "/nowhere", { PULUMI_BACKEND_URL: "file:///srv/state" });
    expect(file).to.be.instanceOf(FileJournalStore);
    expect([file.where, file.local]).to.deep.equal(["/srv/state/.pulumi/adnet-journal/shop/dev", false]);
    const pg = journalStore("shop", "org/shop/dev", "/nowhere", { PULUMI_BACKEND_URL: "postgres://ci:s3cret@db.internal:5433/pulumi?sslmode=disable&table=team_state" });
    expect(pg).to.be.instanceOf(PgJournalStore);
    expect([pg.where, pg.local]).to.deep.equal(["postgres://ci:***@db.internal:5433/pulumi (table team_state_adnet_journal)", false]);
    const s3 = journalStore("shop", "dev", "/nowhere", { PULUMI_BACKEND_URL: "s3://bucket/state?region=eu-west-1", PULUMI_HOME: "/h" });
    expect(s3).to.be.instanceOf(S3JournalStore);
    expect([s3.where, s3.local]).to.deep.equal(["s3://bucket/state/.pulumi/adnet-journal/shop/dev/", false]);
    const gs = journalStore("shop", "dev", "/nowhere", { PULUMI_BACKEND_URL: "gs://bucket/state", PULUMI_HOME: "/h" });
    expect([gs.where, gs.local]).to.deep.equal(["/h/adnet-journal/shop/dev", true]);
  });

  it("reads an s3:// URL as Pulumi's s3 backend does, and signs with SigV4 (AWS's documented example: GET Bucket, list objects)", async () => {
    expect(s3Settings("s3://b/team/state?endpoint=127.0.0.1:9000&s3ForcePathStyle=true&disableSSL=true&region=us-east-1")).to.include({ bucket: "b", prefix: "team/state/", endpoint: "http://127.0.0.1:9000", pathStyle: true, region: "us-east-1" });
    expect(s3Settings("s3://b", { AWS_REGION: "eu-west-1" })).to.include({ prefix: "", endpoint: "https://s3.eu-west-1.amazonaws.com", pathStyle: false, region: "eu-west-1" });
    const real = globalThis.fetch;
    let sent: { url: string; headers: Record<string, string> } | undefined;
    (globalThis as any).fetch = async (url: string, init: any) => ((sent = { url, headers: init.headers }), new Response("<ListBucketResult/>", { status: 200 }));
    try {
      const creds = { AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
      await s3Request({ bucket: "examplebucket", region: "us-east-1", endpoint: "https://s3.amazonaws.com", pathStyle: false }, "GET", "", { "max-keys": "2", prefix: "J" }, undefined, creds, new Date("2013-05-24T00:00:00Z"));
    } finally {
      (globalThis as any).fetch = real;
    }
    expect(sent!.url).to.equal("https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J");
    expect(sent!.headers.authorization).to.equal(
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7",
    );
  });

  it("reads a postgres:// URL as Pulumi's driver does: TLS unless sslmode=disable, the table from ?table=, never a password in messages", () => {
    const req = pgSettings("postgres://ci:p%40ss@db:5433/state");
    expect(req.config).to.include({ host: "db", port: 5433, user: "ci", password: "p@ss", database: "state" });
    expect(req.config.ssl, "lib/pq's default sslmode is require").to.deep.equal({ rejectUnauthorized: false });
    expect(req.table).to.equal("pulumi_state");
    expect(pgSettings("postgres://ci:x@db/state?sslmode=disable").config.ssl).to.equal(false);
    expect(() => pgSettings("postgres://ci:x@db/state?table=a;drop")).to.throw(/not a plain table name/);
    expect(redactUrl("postgres://ci:s3cret@db:5432/x")).to.equal("postgres://ci:***@db:5432/x");
  });

  it("a postgres:// backend that cannot be reached: what to do, no password, nothing written", async () => {
    const port = await freePort();
    const store = new PgJournalStore(`postgres://ci:s3cret@127.0.0.1:${port}/pulumi?sslmode=disable`, "shop", "dev");
    const err = await store.append("run-1", { op: "create", urn: urn("a") }).then(() => undefined, (e) => e);
    expect(String(err?.message)).to.match(new RegExp(`cannot reach the backend postgres://ci:\\*\\*\\*@127\\.0\\.0\\.1:${port}/pulumi \\(table adnet_journal\\): ECONNREFUSED\\. Check that the database server is running`));
    expect(String(err?.message)).not.to.contain("s3cret");
    await store.close();
  });

  it("refuses a run of another stack or another format (what to do), and reads runs without a header as format 1", async () => {
    const sdir = fs.mkdtempSync(path.join(dir, "store-"));
    const store = new FileJournalStore(sdir);
    await store.append("run-old", { op: "created", urn: urn("a"), type: T, id: "1" });
    expect((await earlierRuns(store, "shop", "dev")).map((r) => r.entries.length)).to.deep.equal([1]);
    await store.append("run-other", { op: "begin", urn: "", format: 1, version: "0.1.0", project: "shop", stack: "prod" });
    let err = await earlierRuns(store, "shop", "dev").then(() => undefined, (e) => e);
    expect(err).to.be.instanceOf(JournalMismatch);
    expect(err.message).to.match(/run-other\.jsonl in .* belongs to stack shop\/prod, not shop\/dev .*Nothing was written/);
    await store.remove("run-other");
    await store.append("run-copied", { op: "created", urn: urn("b").replace("urn:pulumi:dev::", "urn:pulumi:prod::"), type: T, id: "2" });
    err = await earlierRuns(store, "shop", "dev").then(() => undefined, (e) => e);
    expect(err?.message).to.match(/records urn:pulumi:prod::shop::.*, a resource of stack shop\/prod, not shop\/dev/);
    await store.remove("run-copied");
    await store.append("run-newer", { op: "begin", urn: "", format: 2, version: "0.9.0", project: "shop", stack: "dev" });
    err = await earlierRuns(store, "shop", "dev").then(() => undefined, (e) => e);
    expect(err?.message).to.match(/written by pulumi-adnetworks 0\.9\.0 in journal format 2; this version \(\S+\) reads format 1\. Nothing was written\. Run `adnet-recover` and `pulumi up` once with pulumi-adnetworks 0\.9\.0/);
    await store.close();
  });
});
