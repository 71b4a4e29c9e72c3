import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT, TOOLS, assertEngineInstalled } from "../scripts/lib/engine";
import { startSandbox, Sandbox } from "../provider/sandbox/server";
import { resetStackConfig } from "../provider/core/config/config";
import { NAMES_FILE, SUMMARY_FILE, ImportSummary, listNetwork } from "../provider/import/importer";
import { PulumiCli } from "./support/cli";
import { api, sandboxSettings, seedAffise, seedExoClick, seedIntegr8, seedInterchange, seedTopsort } from "./support/accounts";
import { applyStackConfig } from "../provider/core/config/config";
import { adnetImport, typecheck } from "./support/adopt";

/** Writes to the network other than logging in. */
const writes = (sb: Sandbox, network: string, from = 0) =>
  sb.requests(network, { writes: true }).filter((r) => r.seq > from && !/\/login$/.test(r.path)).map((r) => `${r.method} ${r.path}`);
const lastSeq = (sb: Sandbox) => sb.journal.reduce((m, r) => Math.max(m, r.seq), 0);

/** Replaces the value at `field` ("budget.amount": nested) in the first `new <network>.<type>(` block of a generated file. */
function editField(text: string, network: string, type: string, field: string, value: string): string {
  const start = text.indexOf(`new ${network}.${type}(`);
  expect(start, `no ${network}.${type} in the generated program`).to.be.greaterThan(-1);
  const end = text.indexOf("{ import:", start);
  let at = start;
  const segs = field.split(".");
  for (const [i, seg] of segs.entries()) {
    const m = new RegExp(`\\n\\s+${seg}: ${i < segs.length - 1 ? "[\\[{]" : "([^,\\n]+),"}`).exec(text.slice(at, end));
    expect(m, `${field} in the first ${type}:\n${text.slice(start, end)}`).to.not.equal(null);
    if (i < segs.length - 1) at += m!.index + m![0].length;
    else return text.slice(0, at + m!.index) + m![0].replace(m![1], value) + text.slice(at + m!.index + m![0].length);
  }
  return text;
}

/** The value at a dotted path; through a list, its first item's. */
const valueAt = (state: any, field: string) => field.split(".").reduce((v, k) => (v == null ? v : Array.isArray(v) ? v[0]?.[k] : v[k]), state);

/** Call-time settings pointing at the sandbox, as the provider host would have them. */
function useSettings(settings: ReturnType<typeof sandboxSettings>) {
  resetStackConfig();
  const flat = Object.fromEntries(Object.entries(settings.config).map(([k, v]) => [k, v.value]));
  applyStackConfig(flat, Object.keys(flat));
}

interface NetworkCase {
  network: string;
  /** Objects made out of band, through the network's API. */
  seed(sb: Sandbox): Promise<unknown>;
  /** The edit made in the generated code (a budget where the network has one). */
  budget: { type: string; field: string; value: number | string };
  /** How many objects the account holds that are archived (reported, not imported). */
  archived?: number;
  /** What else the generated program must show. */
  expect?(summary: ImportSummary, code: string): void;
}

const CASES: NetworkCase[] = [
  {
    network: "exoclick", seed: seedExoClick, budget: { type: "Campaign", field: "maxDailyBudget", value: 25 }, archived: 1,
    expect(summary, code) {
      expect(summary.imported).to.deep.equal({ "exoclick:LibraryUrl": 2, "exoclick:LibraryFile": 2, "exoclick:Campaign": 3, "exoclick:Variation": 4 });
      expect(summary.files).to.have.length(2); // the images, content-hashed, in the program's folder
      expect(code.match(/new exoclick\.LibraryFile\(/g)).to.have.length(2);
      expect(code.match(/libraryFileId: summer300x250Png\.id,/g)).to.have.length(3); // one image, three variations
      expect(code).to.match(/path: "files\/[0-9a-f]{32}\.png",/);
      // Issue #20: the buyer fields set in the dashboard are code (and `up` adopts them with 0 changes below).
      for (const field of ["totalBudgetLimit: 5000,", "maxDailyImpressions: 100000,", "browsers: {", "carriers: {", "ipRanges: {", "keywords: {", "dayParting: {", "timezone: \"America/New_York\",", "frequencyCapping: {", "zoneTargeting: {", "zones: [", "deviceTypes: {"]) {
        expect(code, field).to.contain(field);
      }
    },
  },
  { network: "affise", seed: seedAffise, budget: { type: "Offer", field: "caps.value", value: 175 } },
  { network: "integr8", seed: seedIntegr8, budget: { type: "Postback", field: "name", value: "Conversions to the new tracker" } },
  { network: "topsort", seed: seedTopsort, budget: { type: "Campaign", field: "budget.amount", value: 1750 } },
  { network: "interchange", seed: seedInterchange, budget: { type: "Campaign", field: "budget.dailyCap", value: 300 } },
];

describe("@e2e adnet-import: a live account as code, adopted by pulumi up", function () {
  this.timeout(600_000);
  let sb: Sandbox;
  // Made in before (not while mocha loads the file): a run that skips these tests leaves no folder.
  let tmp = "";

  before(async () => {
    assertEngineInstalled();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-import-"));
    if (!fs.existsSync(path.join(TOOLS, "bin", "pulumi-language-nodejs"))) throw new Error("the Node.js language host is not installed: run `npm run setup:pulumi`");
    sb = await startSandbox({ port: 0 });
  });
  after(async () => {
    resetStackConfig();
    await sb?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  for (const c of CASES) {
    describe(c.network, () => {
      // Set once the temporary folder exists: at describe time `tmp` is still "", and a relative path wrote the program into the repository.
      let out = "";
      let cli: PulumiCli;
      let summary: ImportSummary;
      let settings: ReturnType<typeof sandboxSettings>;

      before(async () => {
        out = path.join(tmp, c.network);
        settings = sandboxSettings(sb, c.network);
        useSettings(settings);
        // Every type of every network can be listed (a type that cannot would be reported, not imported).
        expect((await listNetwork(c.network)).unsupported).to.deep.equal([]);
        await c.seed(sb);
        cli = new PulumiCli(out);
      });
      after(async () => {
        if (cli && fs.existsSync(path.join(out, "Pulumi.yaml"))) {
          await cli.run("destroy", "--yes", "--non-interactive", "--stack", "dev");
        }
        cli?.cleanup();
      });

      it("adnet-import writes the program, reading only (0 writes), and reports what it skipped", async () => {
        const before = lastSeq(sb);
        const r = await adnetImport(["--network", c.network, "--out", out], settings.env);
        expect(r.code, r.stderr + r.stdout).to.equal(0);
        expect(writes(sb, c.network, before)).to.deep.equal([]);
        summary = JSON.parse(fs.readFileSync(path.join(out, SUMMARY_FILE), "utf8"));
        expect(r.stdout).to.contain(`${summary.total} object(s)`);
        // Every live object of every listable type is in the program.
        useSettings(settings);
        const listed = await listNetwork(c.network);
        const live = listed.objects.filter((o) => !o.skip);
        expect(summary.total).to.equal(live.length).and.to.be.greaterThan(0);
        expect(summary.skipped.filter((s) => s.reason === "archived").length).to.equal(c.archived ?? 0);
        expect(summary.unsupported.map((u) => u.type)).to.deep.equal(listed.unsupported.map((u) => u.type));
        for (const f of ["index.ts", `${c.network}.ts`, "Pulumi.yaml", "package.json", "tsconfig.json", NAMES_FILE]) expect(fs.existsSync(path.join(out, f)), f).to.equal(true);
        // Every reference between imported objects is code, never a literal id; every downloaded file is there.
        expect(summary.danglingRefs).to.deep.equal([]);
        for (const f of summary.files) expect(fs.existsSync(path.join(out, f)), f).to.equal(true);
        if (c.expect) c.expect(summary, fs.readFileSync(path.join(out, `${c.network}.ts`), "utf8"));
        fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(out, "node_modules"));
      });

      it("the generated code holds no credential and compiles with tsc --strict", async () => {
        const secrets = Object.values(settings.config).filter((v) => v.secret).map((v) => v.value);
        expect(secrets.length).to.be.greaterThan(0);
        for (const f of fs.readdirSync(out).filter((f) => !fs.statSync(path.join(out, f)).isDirectory())) {
          const text = fs.readFileSync(path.join(out, f), "utf8");
          for (const s of secrets) expect(text, `${f} contains a credential`).not.to.contain(s);
        }
        const tsc = await typecheck(out);
        expect(tsc.code, tsc.out).to.equal(0);
      });

      it("pulumi up adopts every object: 0 creates, 0 updates, 0 deletes, 0 writes", async () => {
        await cli.ok("stack", "init", "dev", "--non-interactive");
        for (const [k, v] of Object.entries(settings.config)) await cli.ok("config", "set", ...(v.secret ? ["--secret"] : []), k, v.value);
        const before = lastSeq(sb);
        const changes = await cli.up();
        expect(changes).to.deep.equal({ create: 1, import: summary.total }); // create: the stack itself
        expect(writes(sb, c.network, before)).to.deep.equal([]);
      });

      it("pulumi preview --expect-no-changes passes", async () => {
        await cli.ok("preview", "--expect-no-changes", "--non-interactive");
      });

      it("a budget edit in the generated code updates that object in place", async () => {
        const file = path.join(out, `${c.network}.ts`);
        fs.writeFileSync(file, editField(fs.readFileSync(file, "utf8"), c.network, c.budget.type, c.budget.field, JSON.stringify(c.budget.value)));
        const before = lastSeq(sb);
        const changes = await cli.up();
        expect(changes).to.deep.equal({ update: 1 });
        expect(writes(sb, c.network, before)).to.have.length.greaterThan(0);
        useSettings(settings);
        const listed = await listNetwork(c.network);
        const values = listed.objects.filter((o) => o.type === c.budget.type).map((o) => JSON.stringify(valueAt(o.state, c.budget.field)));
        expect(values.some((v) => v === JSON.stringify(c.budget.value) || v === JSON.stringify([c.budget.value])), values.join(", ")).to.equal(true);
      });

      if (c.network === "exoclick") {
        it("re-running (with the stack's credentials) against a changed account rewrites the code and keeps every name; up imports only the new object", async () => {
          const names = JSON.parse(fs.readFileSync(path.join(out, NAMES_FILE), "utf8")).names as Record<string, string>;
          const { EXOCLICK_SANDBOX_CREDENTIALS } = require("../provider/sandbox/exoclick");
          const token = (await api(sb, "exoclick", "POST", "/v2/login", { api_token: EXOCLICK_SANDBOX_CREDENTIALS.apiToken })).token;
          const auth = { authorization: `Bearer ${token}` };
          const winter = Object.entries(names).find(([, n]) => n === "winter-sale-300x250")![0].split("/")[1];
          await api(sb, "exoclick", "PUT", `/v2/campaigns/${winter}`, { name: "Winter Sale 2027" }, auth); // renamed in the dashboard
          const spring = (await api(sb, "exoclick", "POST", "/v2/library/url", { url: "https://shop.example/spring" }, auth)).id;
          const before = lastSeq(sb);
          // This time with the stack's credentials (its config, secrets decrypted by the pulumi CLI), none in the environment.
          const stackEnv = Object.fromEntries(Object.entries(cli.env).filter(([, v]) => v !== undefined)) as Record<string, string>;
          const r = await adnetImport(["--network", "exoclick", "--out", out, "--stack", "dev", "--cwd", out], stackEnv);
          expect(r.code, r.stderr + r.stdout).to.equal(0);
          expect(writes(sb, "exoclick", before)).to.deep.equal([]);
          const again = JSON.parse(fs.readFileSync(path.join(out, NAMES_FILE), "utf8")).names as Record<string, string>;
          for (const [k, n] of Object.entries(names)) expect(again[k], k).to.equal(n);
          expect(again[`exoclick:LibraryUrl/${spring}`]).to.equal("shop-example-spring");
          const text = fs.readFileSync(path.join(out, "exoclick.ts"), "utf8");
          expect(text).to.contain(`new exoclick.Campaign("winter-sale-300x250", {\n  name: "Winter Sale 2027",`);
          expect(text).to.contain("maxDailyBudget: 25,"); // the edit made through the program is what the account holds
          await cli.ok("refresh", "--yes", "--non-interactive", "--skip-preview");
          const b2 = lastSeq(sb);
          expect(await cli.up()).to.deep.equal({ import: 1 });
          expect(writes(sb, "exoclick", b2)).to.deep.equal([]);
        });
      }
    });
  }
});
