/**
 * What preview checks before anything is sent (issue #30, rows "a wrong API
 * key", "a base URL with a wrong path", "a typo in account"), with the real
 * engine: one stack, one sandbox.
 */
import { expect } from "chai";
import * as path from "path";
import * as auto from "@pulumi/pulumi/automation";
import { exoclick } from "pulumi-adnetworks";
import { e2e, E2E, changes, ROOT } from "./support/engine";
import { sandboxAccountsConfig, sandboxConfig } from "../provider/sandbox/config";

const IMAGE = path.join(ROOT, "examples", "exoclick-banner", "banner-300x250.png");

/** A landing URL in the default account, plus `extra`. */
function program(extra?: () => void): auto.PulumiFn {
  return async () => {
    new exoclick.LibraryUrl("pc-landing", { url: "https://preview-checks.example/landing" });
    extra?.();
  };
}

/** A preview's outcome: the error message (empty when it passed) and the engine's output. */
async function preview(t: E2E): Promise<{ error: string; out: string; result?: auto.PreviewResult }> {
  let out = "";
  try {
    const result = await t.e.stack.preview({ onOutput: (s) => (out += s), diff: true });
    return { error: "", out, result };
  } catch (e) {
    return { error: String((e as Error)?.message ?? e), out };
  }
}

/** The diagnostics the engine printed for resources (in the failed command's output): "error:" lines of the Diagnostics section, one per message. */
function errorLines(out: string): string[] {
  const diag = out.slice(out.indexOf("Diagnostics:"));
  return diag.split("\n").filter((l) => /^\s+error: /.test(l)).map((l) => l.trim());
}

describe("@e2e preview checks before anything is sent: credentials, base URL, accounts", function () {
  this.timeout(600_000);
  let t: E2E;
  let base = "";
  const requests = (from: number) => t.sb.journal.slice(from).map((r) => `${r.account ?? "default"} ${r.method} ${r.path} ${r.status}`);

  before(async () => {
    t = await e2e({
      program: program(),
      workDir: "examples/exoclick-banner",
      config: (sb) => ({ ...sandboxConfig("exoclick", sb.urlFor("exoclick")), ...sandboxAccountsConfig("exoclick", sb.urlFor("exoclick")) }),
    });
    base = `${t.sb.urlFor("exoclick")}/v2`;
    await t.up();
  });
  after(async () => t?.close());

  it("a preview with no changes sends 0 requests, also with a wrong key", async () => {
    let from = t.sb.journal.length;
    expect(changes(await t.preview())).to.deep.equal({});
    expect(requests(from)).to.deep.equal([]);
    await t.e.stack.setConfig("exoclick:apiToken", { value: "wrong-exoclick-token-5e1d", secret: true });
    try {
      from = t.sb.journal.length;
      expect(changes(await t.preview())).to.deep.equal({});
      expect(requests(from)).to.deep.equal([]);
    } finally {
      await t.e.stack.setConfig("exoclick:apiToken", sandboxConfig("exoclick", t.sb.urlFor("exoclick"))["exoclick:apiToken"]);
    }
  });

  it("a wrong API key is refused at preview when there is a change to make: the key to set named once, one login, 0 writes", async () => {
    await t.e.stack.setConfig("exoclick:apiToken", { value: "wrong-exoclick-token-5e1d", secret: true });
    t.setProgram(program(() => {
      for (const n of ["a", "b", "c"]) new exoclick.LibraryUrl(`pc-new-${n}`, { url: `https://preview-checks.example/${n}` });
    }));
    try {
      const from = t.sb.journal.length;
      const r = await preview(t);
      expect(r.error).to.contain("ExoClick did not accept the credentials (checked at preview, before any change is sent");
      expect(r.error).to.contain("Set the right one: exoclick:apiToken or exoclick:password (pulumi config set --secret exoclick:apiToken <value>");
      expect(r.error).not.to.contain("wrong-exoclick-token-5e1d");
      // Said in full once, whatever the number of resources to create.
      expect(r.error.split("ExoClick did not accept the credentials").length - 1, r.error).to.equal(1);
      expect(requests(from)).to.deep.equal(["default POST /v2/login 401"]);
    } finally {
      await t.e.stack.setConfig("exoclick:apiToken", sandboxConfig("exoclick", t.sb.urlFor("exoclick"))["exoclick:apiToken"]);
      t.setProgram(program());
    }
  });

  it("a base URL with a wrong path: the preview names the base URL and its setting, never `pulumi refresh`, 0 writes", async () => {
    const wrong = `${t.sb.urlFor("exoclick")}/v1`;
    await t.e.stack.setConfig("exoclick:baseUrl", { value: wrong });
    t.setProgram(program(() => new exoclick.LibraryUrl("pc-new-a", { url: "https://preview-checks.example/a" })));
    try {
      const from = t.sb.journal.length;
      const r = await preview(t);
      expect(r.error).to.contain(`ExoClick answered 404 Not Found to its login (POST ${wrong}/login), so the base URL ${wrong} is wrong`);
      expect(r.error).to.contain("check stack config exoclick:baseUrl (pulumi config set exoclick:baseUrl <url>) or environment EXOCLICK_BASE_URL");
      expect(r.error).not.to.contain("pulumi refresh");
      expect(requests(from)).to.deep.equal(["default POST /v1/login 404"]);
    } finally {
      await t.e.stack.setConfig("exoclick:baseUrl", { value: base });
      t.setProgram(program());
    }
  });

  it("a typo in `account` gives exactly one error (the resources referring to it stay quiet), 0 writes", async () => {
    t.setProgram(program(() => {
      const url = new exoclick.LibraryUrl("pc-b-landing", { account: "brandB", url: "https://preview-checks.example/b" });
      const file = new exoclick.LibraryFile("pc-b-image", { account: "brandB", path: IMAGE });
      const campaign = new exoclick.Campaign("pc-b-campaign", {
        account: "brandb", // the typo
        name: "Typo banner 300x250", status: 0, size: "300x250", startDate: "2027-03-02",
        countries: { type: "targeted", elements: [{ country: "USA" }] }, pricing: { model: 4, price: 3 },
      });
      new exoclick.Variation("pc-b-variation", { account: "brandB", campaignId: campaign.id, libraryUrlId: url.id, libraryFileId: file.id });
    }));
    try {
      const from = t.sb.journal.length;
      const r = await preview(t);
      const errors = errorLines(r.error);
      expect(errors, r.error).to.have.length(1);
      expect(errors[0]).to.contain('ExoClick account "brandb" is not configured (did you mean "brandB"?)');
      expect(r.error).not.to.contain("give both the same account");
      expect(r.error).not.to.contain("Give both the same account");
      // No warning said twice.
      const warnings = r.error.split("\n").filter((l) => /^\s+warning: /.test(l)).map((l) => l.trim());
      expect(warnings.length, r.error).to.equal(new Set(warnings).size);
      expect(t.sb.journal.slice(from).filter((e) => e.method !== "GET" && !/\/login$/.test(e.path))).to.deep.equal([]);
    } finally {
      t.setProgram(program());
    }
    expect(changes(await t.preview())).to.deep.equal({});
  });
});
