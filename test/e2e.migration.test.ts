import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { e2e, E2E, changes, ROOT } from "./support/engine";
import { EXOCLICK_SANDBOX_CREDENTIALS, ExoClickSandbox } from "../provider/sandbox/exoclick";
import { providerReference } from "../provider/core/reference";
import { exoclickBanner } from "../examples/exoclick-banner/program";

/**
 * test/fixtures/state-v0.1.0 was written by commit 1b96440 (the serialized
 * closure design: a 2.2 KB closure in every resource's __provider) with
 * `exoclickBanner({ prefix: "mig", count: 1 })` against a sandbox persisted
 * to sandbox.json; the stack was exported with `pulumi stack export` and the
 * machine's paths removed from its stack traces.
 */
const FIXTURE = path.join(ROOT, "test", "fixtures", "state-v0.1.0");

describe("@e2e real Pulumi engine: a stack written by the serialized-closure version upgrades in place", function () {
  this.timeout(180_000);
  let t: E2E;
  let dataDir: string;
  const fixture = JSON.parse(fs.readFileSync(path.join(FIXTURE, "stack.json"), "utf8"));
  const keyOf = (type: string) => type.replace(/^pulumi-nodejs:dynamic\//, "");

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-migration-"));
    const data = path.join(dataDir, "sandbox.json");
    fs.copyFileSync(path.join(FIXTURE, "sandbox.json"), data);
    t = await e2e({
      project: "adnet-migration",
      stack: "dev",
      program: async () => exoclickBanner({ prefix: "mig", count: 1 }),
      workDir: "examples/exoclick-banner",
      sandbox: { persistPath: data },
      config: (sb) => ({
        "exoclick:baseUrl": { value: `${sb.urlFor("exoclick")}/v2` },
        "exoclick:apiToken": { value: EXOCLICK_SANDBOX_CREDENTIALS.apiToken, secret: true },
      }),
    });
    await t.e.stack.importStack(fixture);
  });
  after(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("the fixture holds the old serialized closures and the sandbox holds its objects", async () => {
    const res = await t.resources();
    expect(res).to.have.length(4);
    for (const r of res) {
      expect(r.outputs.__provider).to.contain(`require("pulumi-adnetworks/host").call(key,`);
      expect(Buffer.byteLength(r.outputs.__provider)).to.be.greaterThan(2000);
    }
    const inv = t.sb.network<ExoClickSandbox>("exoclick").inventory();
    expect([inv.libraryUrls.length, inv.libraryFiles.length, inv.campaigns.length, inv.variations.length]).to.deep.equal([1, 1, 1, 1]);
  });

  it("the next up is an update of __provider only: no replace, no request to the network", async () => {
    const ids = Object.fromEntries((await t.resources()).map((r) => [r.urn, r.id]));
    const pv = await t.preview();
    expect(changes(pv)).to.deep.equal({ update: 4 });
    const up = await t.up();
    expect(up.summary.result).to.equal("succeeded");
    expect(up.summary.resourceChanges).to.deep.include({ update: 4 });
    for (const op of ["create", "delete", "replace", "create-replacement", "delete-replaced"]) expect(up.summary.resourceChanges).not.to.have.property(op);
    expect(t.sb.journal, JSON.stringify(t.sb.journal.map((e) => `${e.method} ${e.path}`))).to.have.length(0);
    const res = await t.resources();
    expect(Object.fromEntries(res.map((r) => [r.urn, r.id]))).to.deep.equal(ids);
    for (const r of res) {
      const ref = providerReference(keyOf(r.type));
      expect(r.inputs.__provider).to.equal(ref);
      expect(r.outputs.__provider).to.equal(ref);
    }
    // The outputs the network computed survive the upgrade (the variation's id, the file's size).
    const old = Object.fromEntries(fixture.deployment.resources.map((r: any) => [r.urn, r]));
    for (const r of res) {
      const { __provider: _a, ...was } = old[r.urn].outputs;
      const { __provider: _b, ...now } = r.outputs;
      expect(now, r.type).to.deep.equal(was);
    }
  });

  it("afterwards preview shows no changes and still sends nothing", async () => {
    expect(changes(await t.preview())).to.deep.equal({});
    expect(t.sb.journal).to.have.length(0);
  });

  it("the upgraded stack is managed as before: refresh finds no drift, destroy deletes the objects", async () => {
    const r = await t.refresh();
    expect(r.summary.resourceChanges ?? {}).not.to.have.property("update");
    const d = await t.destroy();
    expect(d.summary.result).to.equal("succeeded");
    const inv = t.sb.network<ExoClickSandbox>("exoclick").inventory();
    expect(inv.campaigns.filter((c: any) => c.status !== -1)).to.have.length(0);
  });
});
