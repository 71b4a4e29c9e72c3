import { expect } from "chai";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { backendUrl, fileBackendRoot, KILLED_RUN_MESSAGES, repairFileBackend } from "../provider/core/engine/filestate";
import { helpText } from "../provider/cli/args";
import { SPEC } from "../provider/cli/recover";

/** A file backend as the CLI leaves it: checkpoint, .bak and their .attrs sidecars, a lock. */
function fixture(): { root: string; stacks: string; locks: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-filestate-"));
  const stacks = path.join(root, ".pulumi", "stacks", "proj");
  const locks = path.join(root, ".pulumi", "locks", "proj", "dev");
  fs.mkdirSync(stacks, { recursive: true });
  fs.mkdirSync(locks, { recursive: true });
  const checkpoint = (n: number) => JSON.stringify({ version: 3, checkpoint: { stack: "organization/proj/dev", latest: { resources: Array(n).fill({ urn: "u" }) } } });
  fs.writeFileSync(path.join(stacks, "dev.json"), checkpoint(3));
  fs.writeFileSync(path.join(stacks, "dev.json.attrs"), '{"user.content_type":"application/octet-stream","md5":"AAAA"}\n');
  fs.writeFileSync(path.join(stacks, "dev.json.bak"), checkpoint(2));
  fs.writeFileSync(path.join(stacks, "dev.json.bak.attrs"), '{"md5":"BBBB"}\n');
  return { root, stacks, locks };
}

describe("adnet-recover: repairs of a file backend after a killed CLI", () => {
  const made: string[] = [];
  const make = () => {
    const f = fixture();
    made.push(f.root);
    return f;
  };
  after(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it("removes a 0-byte .attrs beside an intact checkpoint and touches nothing else", () => {
    const { root, stacks } = make();
    fs.writeFileSync(path.join(stacks, "dev.json.attrs"), "");
    const before = fs.readFileSync(path.join(stacks, "dev.json"), "utf8");
    const r = repairFileBackend(root, "dev");
    expect(fs.existsSync(path.join(stacks, "dev.json.attrs"))).to.equal(false);
    expect(fs.readFileSync(path.join(stacks, "dev.json"), "utf8")).to.equal(before);
    expect(fs.existsSync(path.join(stacks, "dev.json.bak.attrs"))).to.equal(true);
    expect(r.actions).to.have.length(1);
    expect(r.actions[0]).to.match(/removed empty .*dev\.json\.attrs/);
    expect(r.problems).to.deep.equal([]);
  });

  it("removes the temporary files of writes the kill interrupted (this stack's only), so the folder is as a clean run leaves it", () => {
    const { root, stacks, locks } = make();
    const clean = fs.readdirSync(stacks).sort();
    // fileblob writes <file>.<hex nanoseconds>.tmp, then renames it: a kill in between leaves it (230 KB seen).
    fs.writeFileSync(path.join(stacks, "dev.json.18a3f0c2b4d5e6f7.tmp"), Buffer.alloc(230 * 1024, 0x7b));
    fs.writeFileSync(path.join(stacks, "dev.json.attrs.18a3f0c2b4d5e6f8.tmp"), "{");
    fs.writeFileSync(path.join(locks, "0b7e.json.18a3f0c2b4d5e6f9.tmp"), "");
    const history = path.join(root, ".pulumi", "history", "proj", "dev");
    fs.mkdirSync(history, { recursive: true });
    fs.writeFileSync(path.join(history, "dev-1765000000000000000.history.json.18a3f0c2b4d5e700.tmp"), "{");
    // Another stack's (its own run may be writing it) and a file that only looks alike stay.
    fs.writeFileSync(path.join(stacks, "prod.json.18a3f0c2b4d5e701.tmp"), "{");
    fs.writeFileSync(path.join(stacks, "dev.json.notes.tmp"), "mine");
    const r = repairFileBackend(root, "dev");
    expect(fs.readdirSync(stacks).sort()).to.deep.equal([...clean, "dev.json.notes.tmp", "prod.json.18a3f0c2b4d5e701.tmp"].sort());
    expect(fs.readdirSync(locks)).to.deep.equal([]);
    expect(fs.readdirSync(history)).to.deep.equal([]);
    expect(r.actions.filter((a) => /temporary file of a write the kill interrupted/.test(a))).to.have.length(4);
    expect(r.actions.join("\n")).to.contain("dev.json.18a3f0c2b4d5e6f7.tmp, the temporary file of a write the kill interrupted (235520 bytes; dev.json itself is intact)");
    expect(r.problems).to.deep.equal([]);
  });

  it("removes an unparsable (half-written) .attrs", () => {
    const { root, stacks } = make();
    fs.writeFileSync(path.join(stacks, "dev.json.bak.attrs"), '{"user.content_t');
    repairFileBackend(root, "dev");
    expect(fs.existsSync(path.join(stacks, "dev.json.bak.attrs"))).to.equal(false);
    expect(fs.existsSync(path.join(stacks, "dev.json.attrs"))).to.equal(true);
  });

  for (const [what, content] of [["0-byte", ""], ["truncated", '{"version":3,"checkpoint":{"stack":"organiz']] as const) {
    it(`restores a ${what} checkpoint from its intact .bak and keeps the broken file`, () => {
      const { root, stacks } = make();
      fs.writeFileSync(path.join(stacks, "dev.json"), content);
      const r = repairFileBackend(root, "dev", new Date("2026-12-01T03:00:00Z"));
      expect(fs.readFileSync(path.join(stacks, "dev.json"), "utf8")).to.equal(fs.readFileSync(path.join(stacks, "dev.json.bak"), "utf8"));
      expect(fs.existsSync(path.join(stacks, "dev.json.attrs")), "the sidecar of the broken content").to.equal(false);
      const kept = path.join(root, ".pulumi", "adnet-recover", "2026-12-01T03-00-00-000Z", ".pulumi", "stacks", "proj", "dev.json");
      expect(fs.readFileSync(kept, "utf8")).to.equal(content);
      expect(r.actions[0]).to.match(/restored .*dev\.json from dev\.json\.bak/);
    });
  }

  it("restores a truncated zstd checkpoint (PULUMI_DIY_BACKEND_ZSTD) from its intact .bak; an intact one is left alone", () => {
    const { root, stacks } = make();
    const zst = fs.readFileSync(path.join(__dirname, "..", "..", "test", "fixtures", "zstd", "checkpoint.json.zst"));
    for (const f of fs.readdirSync(stacks)) fs.rmSync(path.join(stacks, f));
    fs.writeFileSync(path.join(stacks, "dev.json.zst"), zst);
    fs.writeFileSync(path.join(stacks, "dev.json.zst.bak"), zst);
    expect(repairFileBackend(root, "dev").actions, "an intact zstd checkpoint").to.deep.equal([]);
    fs.writeFileSync(path.join(stacks, "dev.json.zst"), zst.subarray(0, zst.length - 9));
    const r = repairFileBackend(root, "dev");
    expect(r.actions[0]).to.match(/restored .*dev\.json\.zst from dev\.json\.zst\.bak/);
    expect(fs.readFileSync(path.join(stacks, "dev.json.zst")).equals(zst)).to.equal(true);
  });

  it("leaves a broken checkpoint alone when its .bak is broken too, and says so", () => {
    const { root, stacks } = make();
    fs.writeFileSync(path.join(stacks, "dev.json"), "");
    fs.writeFileSync(path.join(stacks, "dev.json.bak"), "{");
    const r = repairFileBackend(root, "dev");
    expect(fs.readFileSync(path.join(stacks, "dev.json"), "utf8")).to.equal("");
    expect(r.problems.join("\n")).to.match(/dev\.json is empty and has no intact \.bak/);
  });

  it("does not touch other stacks' checkpoints", () => {
    const { root, stacks } = make();
    fs.writeFileSync(path.join(stacks, "prod.json"), "");
    fs.writeFileSync(path.join(stacks, "prod.json.bak"), "{}");
    repairFileBackend(root, "dev");
    expect(fs.readFileSync(path.join(stacks, "prod.json"), "utf8")).to.equal("");
  });

  it("removes the lock of a dead run and a half-written lock; refuses while the lock holder runs", async () => {
    const { root, locks } = make();
    fs.writeFileSync(path.join(locks, "a.json"), JSON.stringify({ pid: 2 ** 22 + 17, username: "u", hostname: os.hostname(), timestamp: "x" }));
    fs.writeFileSync(path.join(locks, "a.json.attrs"), "{}");
    fs.writeFileSync(path.join(locks, "b.json"), "");
    const r = repairFileBackend(root, "dev");
    expect(fs.readdirSync(locks)).to.deep.equal([]);
    expect(r.actions.join("\n")).to.match(/lock of the dead run/).and.match(/half-written lock/);
    // A live pulumi process holds the lock: nothing is removed.
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => undefined, 60000)", "pulumi-lock-holder"], { stdio: "ignore" });
    try {
      // Until the child has exec'd, its command line is still this process's.
      for (let i = 0; i < 250 && !fs.readFileSync(`/proc/${holder.pid}/cmdline`, "utf8").includes("pulumi-lock-holder"); i++) await new Promise((r) => setTimeout(r, 20));
      fs.writeFileSync(path.join(locks, "c.json"), JSON.stringify({ pid: holder.pid, hostname: os.hostname() }));
      expect(() => repairFileBackend(root, "dev")).to.throw(new RegExp(`still running \\(pid ${holder.pid}`));
      expect(fs.readdirSync(locks)).to.deep.equal(["c.json"]);
    } finally {
      holder.kill("SIGKILL");
    }
  });

  it("finds the backend directory from $PULUMI_BACKEND_URL, Pulumi.yaml or the current login", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-filestate-prog-"));
    made.push(dir);
    expect(backendUrl(dir, { PULUMI_BACKEND_URL: "file:///tmp/x" })).to.equal("file:///tmp/x");
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: p\nruntime: nodejs\nbackend:\n  url: file:///srv/state\n");
    expect(backendUrl(dir, { PULUMI_HOME: dir })).to.equal("file:///srv/state");
    fs.rmSync(path.join(dir, "Pulumi.yaml"));
    fs.writeFileSync(path.join(dir, "credentials.json"), JSON.stringify({ current: "file://~" }));
    expect(fileBackendRoot(backendUrl(dir, { PULUMI_HOME: dir }))).to.equal(os.homedir());
    expect(fileBackendRoot("https://api.pulumi.com")).to.equal(undefined);
  });
});

describe("the messages a killed run leaves are quoted where a user looks them up", () => {
  const ROOT = path.resolve(__dirname, "..", "..");
  it("docs/troubleshooting.md and `adnet-recover --help` quote both (the e2e kill tests see them from the real CLI)", () => {
    const page = fs.readFileSync(path.join(ROOT, "docs", "troubleshooting.md"), "utf8");
    const help = helpText(SPEC).replace(/\s+/g, " ");
    for (const m of Object.values(KILLED_RUN_MESSAGES)) {
      expect(page, m).to.contain(m);
      expect(help, m).to.contain(m);
    }
  });
});
