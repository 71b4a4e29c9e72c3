import { expect } from "chai";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fetch from "node-fetch";
import { startSandbox } from "../provider/sandbox/server";
import { parseFaultSpec } from "../provider/sandbox/faults";
import { ROOT } from "./support/engine";

describe("sandbox server", () => {
  it("runs as a command (adnet-sandbox), answers on 127.0.0.1, and stops on SIGTERM", async function () {
    this.timeout(20_000);
    const child = spawn(process.execPath, [path.join(ROOT, "dist/provider/sandbox/cli.js"), "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (d) => {
          out += d;
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) resolve(m[1]);
        });
        child.on("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const inv = await (await fetch(`${url}/__admin/inventory`)).json();
      expect(Object.keys(inv)).to.include.members(["exoclick", "affise", "integr8", "topsort", "interchange"]);
      const login = await fetch(`${url}/exoclick/v2/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ api_token: "wrong" }) });
      expect(login.status).to.equal(401);
      expect(await login.json()).to.deep.equal({ message: "Invalid credentials" });
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("persists state to a JSON file and loads it again", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "adnet-sb-")), "state.json");
    const a = await startSandbox({ port: 0, persistPath: file });
    const login = await (await fetch(`${a.urlFor("exoclick")}/v2/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ api_token: "sandbox-exoclick-api-token" }) })).json();
    const created = await (await fetch(`${a.urlFor("exoclick")}/v2/library/url`, { method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${login.token}` }, body: JSON.stringify({ url: "https://kept.example" }) })).json();
    await a.close();
    const b = await startSandbox({ port: 0, persistPath: file });
    try {
      expect(b.inventory().exoclick.libraryUrls).to.deep.equal([{ id: created.id, url: "https://kept.example" }]);
    } finally {
      await b.close();
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });

  it("writes the journal as JSONL with credentials redacted", async () => {
    const journal = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "adnet-sb-")), "journal.jsonl");
    const sb = await startSandbox({ port: 0, journalPath: journal });
    try {
      await fetch(`${sb.urlFor("exoclick")}/v2/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ username: "sandbox", password: "sandbox-password" }) });
      const lines = fs.readFileSync(journal, "utf8").trim().split("\n").map((l) => JSON.parse(l));
      expect(lines).to.have.length(1);
      expect(lines[0]).to.include({ network: "exoclick", method: "POST", path: "/v2/login", status: 200 });
      expect(lines[0].body).to.deep.equal({ username: "sandbox", password: "[REDACTED]" });
    } finally {
      await sb.close();
      fs.rmSync(path.dirname(journal), { recursive: true, force: true });
    }
  });

  it("refuses to listen on a non-loopback address", async () => {
    const err = await startSandbox({ port: 0, host: "0.0.0.0" }).catch((e) => e);
    expect(err.message).to.contain("loopback");
  });

  it("parses fault specs from the environment form, and rejects unknown keys", () => {
    expect(parseFaultSpec("rate=0.2;kinds=429,503,reset,slow;seed=7")).to.deep.include({ rate: 0.2, kinds: ["429", "503", "reset", "slow"], seed: 7 });
    expect(() => parseFaultSpec("rate=0.2;colour=red")).to.throw(/unknown key colour/);
  });

  it("injects seeded faults: the same seed gives the same sequence", async () => {
    const run = async () => {
      const sb = await startSandbox({ port: 0, faults: "rate=0.5;kinds=503;seed=42" });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await fetch(`${sb.urlFor("exoclick")}/v2/library/url`)).status);
      await sb.close();
      return statuses;
    };
    const first = await run();
    expect(first).to.include(503).and.to.include(401);
    expect(await run()).to.deep.equal(first);
  });
});
