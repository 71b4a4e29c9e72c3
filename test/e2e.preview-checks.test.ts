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

/**
 * A preview's outcome: the error (empty when it passed), the engine's output, its stderr, and the diagnostics the
 * engine reported, from its event stream (one per message, whatever the CLI prints around them).
 *
 * Counting in the error's text is wrong: the Automation API's CommandError message holds the CLI's stderr twice (as
 * `stderr:` and again inside `err?:`), and a check failure stops the preview before the "Diagnostics:" section, so the
 * CLI prints it as an unindented `error:` line on stderr (the previous helper looked for indented lines after
 * "Diagnostics:" and found none).
 */
interface Preview {
  error: string;
  out: string;
  stderr: string;
  diagnostics: Array<{ severity: string; message: string; urn?: string }>;
  result?: auto.PreviewResult;
}
async function preview(t: E2E): Promise<Preview> {
  let out = "";
  const diagnostics: Preview["diagnostics"] = [];
  const onEvent = (e: auto.EngineEvent) => {
    const d = e.diagnosticEvent;
    if (d) diagnostics.push({ severity: d.severity, message: d.message.trim(), urn: d.urn });
  };
  try {
    const result = await t.e.stack.preview({ onOutput: (s) => (out += s), onEvent, diff: true });
    return { error: "", out, stderr: result.stderr, diagnostics, result };
  } catch (e) {
    const stderr = String((e as any)?.commandResult?.stderr ?? "");
    return { error: String((e as Error)?.message ?? e), out, stderr, diagnostics };
  }
}

/** The engine's diagnostics of one severity for resources (the stack's own summary lines have no resource). */
function diagnosticsOf(p: Preview, severity: string): string[] {
  return p.diagnostics.filter((d) => d.severity === severity && d.urn && !d.urn.includes("::pulumi:pulumi:Stack::")).map((d) => d.message);
}

/** The `error:` lines the CLI printed on stderr. */
function stderrErrors(p: Preview): string[] {
  return p.stderr.split("\n").filter((l) => /^\s*error: /.test(l)).map((l) => l.trim());
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
      // Said in full once, whatever the number of resources to create: one error line on stderr, and in the engine's
      // diagnostics one full message, the other resources' checks were not reached (the engine stops at a failed check)
      // or say "not sent" in a line.
      const full = (l: string) => l.includes("ExoClick did not accept the credentials");
      expect(stderrErrors(r).filter(full), r.stderr).to.have.length(1);
      expect(diagnosticsOf(r, "error").filter(full), JSON.stringify(r.diagnostics)).to.have.length(1);
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
      const errors = stderrErrors(r);
      expect(errors, r.stderr).to.have.length(1);
      expect(errors[0]).to.contain('ExoClick account "brandb" is not configured (did you mean "brandB"?)');
      const diags = diagnosticsOf(r, "error");
      expect(diags, JSON.stringify(r.diagnostics)).to.have.length(1);
      expect(diags[0]).to.contain('ExoClick account "brandb" is not configured');
      expect(r.error).not.to.contain("give both the same account");
      expect(r.error).not.to.contain("Give both the same account");
      // No warning said twice.
      const warnings = diagnosticsOf(r, "warning");
      expect(warnings.length, JSON.stringify(r.diagnostics)).to.equal(new Set(warnings).size);
      expect(t.sb.journal.slice(from).filter((e) => e.method !== "GET" && !/\/login$/.test(e.path))).to.deep.equal([]);
    } finally {
      t.setProgram(program());
    }
    expect(changes(await t.preview())).to.deep.equal({});
  });

  it("a warning is printed once per cause: a budget falling to a hundredth warns once, with no error", async () => {
    const campaign = (budget: number) => program(() => {
      new exoclick.Campaign("pc-warn-campaign", {
        name: "Warning banner 300x250", status: 0, size: "300x250", startDate: "2027-03-02", dailyLimitType: 1, maxDailyBudget: budget,
        countries: { type: "targeted", elements: [{ country: "USA" }] }, pricing: { model: 4, price: 3 },
      });
    });
    t.setProgram(campaign(500));
    try {
      await t.up();
      t.setProgram(campaign(5));
      const r = await preview(t);
      expect(r.error, r.error).to.equal("");
      const warnings = diagnosticsOf(r, "warning");
      expect(warnings.filter((w) => w.includes("maxDailyBudget goes from")), JSON.stringify(r.diagnostics)).to.have.length(1);
      expect(warnings.length, JSON.stringify(r.diagnostics)).to.equal(new Set(warnings).size);
      expect(diagnosticsOf(r, "error")).to.deep.equal([]);
    } finally {
      t.setProgram(program());
      await t.up();
    }
  });
});
