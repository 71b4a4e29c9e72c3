import { expect } from "chai";
import { spawn, ChildProcess } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fetch from "node-fetch";
import { EXOCLICK_SANDBOX_CREDENTIALS } from "../provider/exoclick/sandbox";
import { ROOT } from "./support/engine";

describe("sandbox persistence (issue #11)", () => {
  function startChild(data: string): Promise<{ child: ChildProcess; url: string }> {
    const child = spawn(process.execPath, [path.join(ROOT, "dist/provider/sandbox/cli.js"), "--port", "0", "--data", data], { stdio: ["ignore", "pipe", "pipe"] });
    return new Promise((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (d) => {
        out += d;
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve({ child, url: m[1] });
      });
      child.on("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
  }
  const killed = (child: ChildProcess) => new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });

  it("an acknowledged write survives SIGKILL right after the response, and its id is not reused", async function () {
    this.timeout(30_000);
    const data = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "adnet-sb-")), "state.json");
    const exo = (url: string) => `${url}/exoclick/v2`;
    const H = { "Content-Type": "application/json" };
    let { child, url } = await startChild(data);
    const ids: number[] = [];
    try {
      for (let round = 0; round < 3; round++) {
        const token = (await (await fetch(`${exo(url)}/login`, { method: "POST", headers: H, body: JSON.stringify({ api_token: EXOCLICK_SANDBOX_CREDENTIALS.apiToken }) })).json()).token;
        // Several writes in flight at once, then kill the process the moment the last answer arrives.
        const made = await Promise.all([1, 2, 3, 4].map(async (i) => {
          const res = await fetch(`${exo(url)}/library/url`, { method: "POST", headers: { ...H, Authorization: `Bearer ${token}` }, body: JSON.stringify({ url: `https://r${round}-${i}.example` }) });
          expect(res.status).to.equal(200);
          return (await res.json()).id as number;
        }));
        child.kill("SIGKILL");
        await killed(child);
        ids.push(...made);
        ({ child, url } = await startChild(data));
        const inv = await (await fetch(`${url}/__admin/inventory`)).json();
        expect(inv.exoclick.libraryUrls.map((u: any) => u.id).sort()).to.deep.equal([...ids].sort());
      }
      expect(new Set(ids).size).to.equal(ids.length);
      // No temporary file is left behind.
      expect(fs.readdirSync(path.dirname(data))).to.deep.equal(["state.json"]);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
