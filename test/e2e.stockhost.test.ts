import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { exoclick } from "pulumi-adnetworks";
import { e2e, E2E, changes, ROOT } from "./support/engine";
import { EXOCLICK_SANDBOX_CREDENTIALS, ExoClickSandbox } from "../provider/sandbox/exoclick";
import { providerReference } from "../provider/core/engine/reference";
import { exoclickBanner } from "../examples/exoclick-banner/program";

const TOKEN = EXOCLICK_SANDBOX_CREDENTIALS.apiToken;

/**
 * The same stack with Pulumi's stock dynamic-provider host
 * (@pulumi/pulumi/cmd/dynamic-provider), as a user with a Pulumi CLI from
 * pulumi.com runs it: a launcher first on PATH that starts the stock host,
 * never pulumi-adnetworks/dynamic-host.
 */
describe("@e2e real Pulumi engine with the stock dynamic-provider host", function () {
  this.timeout(180_000);
  let t: E2E;
  let bin: string;
  const live = () => t.sb.network<ExoClickSandbox>("exoclick").inventory();

  before(async () => {
    // The Automation API puts the CLI's own directory first on PATH, so the
    // stock launcher goes beside a link to the CLI (an ambient plugin wins
    // over the bundled one).
    bin = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-stock-host-"));
    fs.mkdirSync(path.join(bin, "bin"));
    fs.symlinkSync(path.join(ROOT, ".tools", "bin", "pulumi"), path.join(bin, "bin", "pulumi"));
    const host = require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [ROOT] });
    fs.writeFileSync(path.join(bin, "bin", "pulumi-resource-pulumi-nodejs"), `#!/bin/sh\necho "$$" >> '${path.join(bin, "started")}'\nexec node '${host}' "$@"\n`, { mode: 0o755 });
    t = await e2e({
      program: async () => exoclickBanner({ prefix: "stock" }),
      workDir: "examples/exoclick-banner",
      stack: "stock",
      config: (sb) => ({
        "exoclick:baseUrl": { value: `${sb.urlFor("exoclick")}/v2` },
        "exoclick:apiToken": { value: TOKEN, secret: true },
      }),
      pulumiRoot: bin,
    });
  });
  after(async () => {
    await t?.close();
    fs.rmSync(bin, { recursive: true, force: true });
  });

  it("up creates the four objects; state holds only the provider reference", async () => {
    const up = await t.up();
    expect(up.summary.resourceChanges).to.deep.equal({ create: 5 });
    expect(fs.readFileSync(path.join(bin, "started"), "utf8").trim().split("\n").length, "the stock host ran").to.be.at.least(1);
    const inv = live();
    expect([inv.libraryUrls.length, inv.libraryFiles.length, inv.campaigns.length, inv.variations.length]).to.deep.equal([1, 1, 1, 1]);
    for (const r of await t.resources()) {
      const ref = providerReference(r.type.replace(/^pulumi-nodejs:dynamic\//, ""));
      expect(r.inputs.__provider).to.equal(ref);
      expect(r.outputs.__provider).to.equal(ref);
    }
  });

  it("preview shows no changes; an update goes in place; refresh finds no drift", async () => {
    expect(changes(await t.preview())).to.deep.equal({});
    t.setProgram(async () => exoclickBanner({ prefix: "stock", maxDailyBudget: 17 }));
    const up = await t.up();
    expect(up.summary.resourceChanges).to.deep.include({ update: 1 });
    expect((live().campaigns[0] as any).max_daily_budget).to.equal(1700);
    const r = await t.refresh();
    expect(r.summary.resourceChanges ?? {}).not.to.have.property("update");
  });

  it("import cannot work with the stock host: the engine's Read for an import carries no properties", async () => {
    const before = t.sb.journal.length;
    t.setProgram(async () => {
      const out = exoclickBanner({ prefix: "stock", maxDailyBudget: 17 });
      // Its own URL: the same one as stock-landing's would be refused at preview as a shared natural key.
      new exoclick.LibraryUrl("stock-adopted", { url: "https://adopted.example/" }, { import: String((live().libraryUrls[0] as any).id) });
      return out;
    });
    let error = "";
    try {
      await t.preview();
    } catch (e: any) {
      error = String(e?.message ?? e);
    }
    // The stock host reads `req.getProperties().toJavaScript()`: the import's Read has no properties.
    expect(error).to.match(/Cannot read properties of undefined \(reading 'toJavaScript'\)|code must be a string/);
    expect(t.sb.journal.length).to.equal(before);
    t.setProgram(async () => exoclickBanner({ prefix: "stock", maxDailyBudget: 17 }));
  });

  it("destroy deletes every object", async () => {
    const d = await t.destroy();
    expect(d.summary.result).to.equal("succeeded");
    const inv = live();
    expect([inv.libraryUrls.length, inv.libraryFiles.length, inv.campaigns.length, inv.variations.length]).to.deep.equal([0, 0, 0, 0]);
  });
});
