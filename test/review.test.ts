import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "./support/engine";
import { FIXTURE } from "./support/spend-fixture";
import { headline, markdown, ReviewInput } from "../provider/cli/review";
import { summarize } from "../provider/core/money/spend";
import { judge } from "../provider/core/guard/judge";
import { spendOf } from "../provider/core/money/spend";
import { definition } from "../provider/registry";
import { limitsOf, POLICIES } from "../provider/policy/rules";

const SPEND = path.join(ROOT, "dist", "provider", "cli", "spend.js");

function adnetSpend(...args: string[]) {
  const r = spawnSync(process.execPath, [SPEND, ...args], { encoding: "utf8", env: { ...process.env, PULUMI_BIN: "/nonexistent/pulumi" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The lines of a markdown section, from its heading to the next one. */
function section(md: string, heading: string): string[] {
  const lines = md.split("\n");
  const i = lines.indexOf(heading);
  if (i < 0) return [];
  const rest = lines.slice(i + 1);
  const end = rest.findIndex((l) => /^#{1,4} |^<details>|^<sub>/.test(l));
  return (end < 0 ? rest : rest.slice(0, end)).filter((l) => l.trim());
}

/**
 * `adnet-spend --format markdown` on a saved preview
 * (test/fixtures/spend/preview.json, a real `pulumi preview --json` of a
 * sandbox stack, made by test/support/spend-fixture.ts, which says what the
 * stack and the change are).
 */
describe("adnet-spend --format markdown on a saved preview", () => {
  let md: string;
  let code: number | null;

  before(() => {
    const r = adnetSpend("--preview-json", FIXTURE, "--format", "markdown");
    md = r.stdout;
    code = r.code;
    expect(r.stderr).to.equal("");
  });

  it("exits 1 (limits are broken) and starts with the one-line headline", () => {
    expect(code).to.equal(1);
    expect(md.split("\n")[0]).to.equal("### Ad spend: +30.00 USD/day on ExoClick; +150.00 USD/day on Interchange; 3 campaigns start spending; 1 campaign stops spending; 1 budget not known until apply; 4 limits broken");
    expect(md).to.contain("**4 limits broken**: `pulumi up` refuses this change as it is.");
  });

  it("one row per network and currency: daily and total budgets before -> after, the change, running, who starts and stops", () => {
    const rows = md.split("\n").filter((l) => l.startsWith("| "));
    expect(rows.slice(0, 4)).to.deep.equal([
      "| Network | Currency | Daily budgets | Change / day | Total budgets | Change | Running | Start spending | Stop spending |",
      "| --- | --- | --: | --: | --: | --: | --: | --- | --- |",
      // a 20 -> 30, c 10 deleted, d 5 started, e 25 new, b 15 and g 8 kept; f's budget is an Output of a new resource.
      "| ExoClick | USD | 53.00 → 83.00 + 1 not known | **+30.00** | 0.00 → 0.00 | 0.00 | 4 → 6 | `d`, `e`, `f` | `c` |",
      "| Interchange | USD | 250.00 → 400.00 | **+150.00** | 5,000.00 → 5,000.00 | 0.00 | 1 → 1 | - | - |",
    ]);
  });

  it("every limit broken, each once, with the resources and figures", () => {
    const items = section(md, "#### Limits broken");
    expect(items).to.have.length(4);
    expect(items[0]).to.equal("- **max daily budget**, ExoClick USD: adnetworks:maxDailyBudget: the running daily budgets on exoclick in USD would total 83.00, over the limit of 80.00: a (30.00), e (25.00), b (15.00), g (8.00), d (5.00) (not known until apply, not counted: f). Lower or pause some, or raise adnetworks:maxDailyBudget");
    expect(items[1]).to.match(/^- \*\*max daily increase\*\*, Interchange USD: .* would rise from 250\.00 to 400\.00 \(\+150\.00\) in this update, over the limit of 100\.00/);
    expect(items[2]).to.match(/^- \*\*protect running\*\*, ExoClick USD: adnetworks:protectRunning: g is running \(daily budget 8\.00 USD\) and this change of size would replace it/);
    expect(items[3]).to.match(/^- \*\*protect running\*\*, ExoClick USD: adnetworks:protectRunning: c is running \(daily budget 10\.00 USD\) and would be deleted/);
  });

  it("says what cannot be judged at preview (a budget that is an Output) instead of passing silently", () => {
    const items = section(md, "#### Not known until apply");
    expect(items).to.deep.equal([
      "- ExoClick USD: the budgets of `f` depend on other resources' outputs; they count as 0 above (budgets only add, so the real totals are at least these)",
      "- **max daily increase**, ExoClick USD: adnetworks:maxDailyIncrease: not known until apply for exoclick USD: the budgets of f depend on other resources; the known change is +30.00 of the 50.00 allowed; `pulumi up` judges it again once the values are known",
    ]);
  });

  it("bids changed, and every resource whose spend changes with its operation", () => {
    expect(section(md, "#### Bids changed")).to.deep.equal([
      "| Resource | Network | Currency | Before | After |",
      "| --- | --- | --- | --: | --: |",
      "| `b` | ExoClick | USD | 3.00 | 3.50 |",
    ]);
    const details = md.slice(md.indexOf("<details>"), md.indexOf("</details>")).split("\n").filter((l) => l.startsWith("| `"));
    expect(details.map((l) => l.split(" | ").slice(0, 4).join(" | "))).to.deep.equal([
      "| `a` | ExoClick | USD | update", "| `b` | ExoClick | USD | update", "| `c` | ExoClick | USD | delete", "| `d` | ExoClick | USD | update",
      "| `e` | ExoClick | USD | create", "| `f` | ExoClick | USD | create", "| `g` | ExoClick | USD | replace", "| `ic` | Interchange | USD | update",
    ]);
    expect(details[2]).to.contain("| 10.00/day, bid 3.00, running | deleted |");
    expect(details[5]).to.contain("not known until apply: maxDailyBudget");
  });

  it("--format json carries the same headline, groups, changes and verdict; --json is the same; text starts with the headline", () => {
    const json = adnetSpend("--preview-json", FIXTURE, "--format", "json");
    expect(json.code).to.equal(1);
    const r = JSON.parse(json.stdout);
    expect(r.headline).to.equal(md.split("\n")[0].replace("### Ad spend: ", ""));
    expect(r.groups.map((g: any) => [g.network, g.currency, g.change.daily])).to.deep.equal([["exoclick", "USD", 30], ["interchange", "USD", 150]]);
    expect(r.violations.map((v: any) => v.rule)).to.deep.equal(["maxDailyBudget", "maxDailyIncrease", "protectRunning", "protectRunning"]);
    expect(r.changes.map((c: any) => `${c.name}:${c.op}`)).to.deep.equal(["a:update", "b:update", "c:delete", "d:update", "e:create", "f:create", "g:replace", "ic:update"]);
    expect(JSON.parse(adnetSpend("--preview-json", FIXTURE, "--json").stdout)).to.deep.equal(r);
    const text = adnetSpend("--preview-json", FIXTURE);
    expect(text.stdout.split("\n")[0]).to.equal(`spend: ${r.headline}`);
    const clash = adnetSpend("--preview-json", FIXTURE, "--json", "--format", "markdown");
    expect([clash.code, clash.stderr]).to.deep.equal([2, "adnet-spend: --json and --format markdown disagree: give one\nRun `adnet-spend --help` for the options and examples.\n"]);
    const typo = adnetSpend("--preview-json", FIXTURE, "--format", "mardown");
    expect(typo.code).to.equal(2);
    expect(typo.stderr).to.contain('--format "mardown" is not one of text, markdown, json; did you mean markdown?');
  });

  it("the fixture is a preview of the change it describes (not edited by hand)", () => {
    const preview = JSON.parse(fs.readFileSync(FIXTURE, "utf8"));
    const ops = Object.fromEntries(preview.steps.map((s: any) => [s.urn.split("::").pop(), s.op]));
    expect(ops).to.include({ a: "update", b: "update", c: "delete", d: "update", e: "create", f: "create", g: "replace", ic: "update", landing: "create" });
    expect(preview.config["adnetworks:maxDailyBudget"]).to.equal('{"exoclick:USD":80,"*":1000}');
  });
});

describe("the spend markdown's shape", () => {
  const campaign = (inputs: Record<string, unknown>) => spendOf(definition("exoclick:Campaign")!, { status: 1, pricing: { model: 4, price: 3 }, dailyLimitType: 1, ...inputs })!;

  it("no change: says so; a limit within bounds: no 'broken' line; names and messages cannot break the table", () => {
    const same = [{ name: "a|b", urn: "u1", spend: campaign({ maxDailyBudget: 10 }) }];
    const j = judge({ before: same, after: same, limits: { maxDailyBudget: 100 } });
    const r: ReviewInput = { groups: j.summary.groups, changes: [], violations: j.violations, pending: j.pending };
    expect(headline(r)).to.equal("no change to ad spend");
    const md = markdown(r);
    expect(md).not.to.contain("broken");
    expect(md.split("\n").find((l) => l.startsWith("| ExoClick"))).to.equal("| ExoClick | USD | 10.00 → 10.00 | 0.00 | 0.00 → 0.00 | 0.00 | 1 → 1 | - | - |");
    const started = judge({ before: [], after: same, limits: {} });
    const row = markdown({ groups: started.summary.groups, changes: [], violations: [], pending: [] }).split("\n").find((l) => l.startsWith("| ExoClick"))!;
    expect(row).to.contain("| `a\\|b` |"); // the pipe in the name is escaped: still 9 columns
  });

  it("an account dimension slots in: groups that carry an account get an Account column and name it", () => {
    const s = summarize([], [{ name: "x", urn: "u", spend: campaign({ maxDailyBudget: 1250 }) }]);
    const groups = s.groups.map((g) => ({ ...g, account: "eu-1" }));
    const r: ReviewInput = { groups, changes: [], violations: [], pending: [] };
    expect(headline(r)).to.equal("+1,250.00 USD/day on ExoClick (account eu-1)");
    const rows = markdown(r).split("\n").filter((l) => l.startsWith("| "));
    expect(rows[0]).to.match(/^\| Network \| Account \| Currency \| Daily budgets/);
    expect(rows[2]).to.match(/^\| ExoClick \| eu-1 \| USD \| 0\.00 → 1,250\.00 \| \*\*\+1,250\.00\*\* \|/);
  });
});

/** The README's bash lines, comments and surrounding space dropped. */
function readmeCommands(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  return [...readme.matchAll(/```bash\n([\s\S]*?)```/g)].flatMap((m) => m[1].split("\n").map((l) => l.replace(/\s+#(?=[^"']*$).*$/, "").trim()).filter(Boolean));
}

describe("the example CI workflow (examples/ci/spend-review.yml)", () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const yaml: typeof import("js-yaml") = require("js-yaml");
  const file = path.join(ROOT, "examples", "ci", "spend-review.yml");
  const workflow = yaml.load(fs.readFileSync(file, "utf8")) as any;
  const steps = Object.values(workflow.jobs as Record<string, any>).flatMap((j) => j.steps as any[]);
  /** Every shell line of every `run:` step. */
  const lines = steps.filter((s) => s.run).flatMap((s) => String(s.run).split("\n").map((l: string) => l.replace(/\s+#(?=[^"']*$).*$/, "").trim()).filter((l: string) => l && !l.startsWith("#")));

  it("is a GitHub Actions workflow: on pull requests, jobs of steps that each use an action at a version or run commands", () => {
    expect(workflow.on).to.have.property("pull_request");
    expect(workflow.permissions).to.deep.equal({ contents: "read", "pull-requests": "write" });
    expect(Object.keys(workflow.jobs)).to.deep.equal(["sandbox", "stack"]);
    for (const [name, job] of Object.entries(workflow.jobs as Record<string, any>)) {
      expect(job["runs-on"], name).to.equal("ubuntu-latest");
      for (const s of job.steps) {
        expect(!!s.uses !== !!s.run, `${name}: ${JSON.stringify(s)}`).to.equal(true);
        if (s.uses) expect(s.uses).to.match(/^[\w-]+\/[\w-]+@v\d+$/);
      }
    }
  });

  it("its adnet and pulumi commands are the README's, and the README's review commands all run in it", () => {
    const ours = lines.filter((l) => /^(npx adnet-|pulumi )/.test(l));
    expect(ours.length).to.be.greaterThan(5);
    const readme = readmeCommands();
    expect(ours.filter((l) => !readme.includes(l))).to.deep.equal([]);
    for (const l of readme.filter((x) => /--format markdown|--policy-pack /.test(x))) expect(lines, l).to.include(l);
  });

  it("posts or uploads the markdown, and fails only after that when a limit is broken", () => {
    for (const job of ["sandbox", "stack"]) {
      const names = (workflow.jobs[job].steps as any[]).map((s) => s.name ?? s.uses);
      const spend = names.indexOf("Spend diff");
      expect(spend, job).to.be.greaterThan(-1);
      expect(names.indexOf("actions/upload-artifact@v4"), job).to.be.greaterThan(spend);
      expect(names.indexOf("Limits"), job).to.equal(names.length - 1);
      expect(String(workflow.jobs[job].steps[spend].run)).to.contain('>> "$GITHUB_STEP_SUMMARY"');
    }
    expect(lines).to.include('gh pr comment "$PR" --edit-last --body-file spend.md || gh pr comment "$PR" --body-file spend.md');
  });

  it("its policy config names the pack's policies, with settings the pack accepts", () => {
    const config = JSON.parse(fs.readFileSync(path.join(ROOT, "examples", "ci", "spend-policy.json"), "utf8"));
    expect(Object.keys(config).sort()).to.deep.equal([POLICIES.maxDailyBudget, POLICIES.maxDailyIncrease, POLICIES.protectRunning].sort());
    expect(limitsOf("maxDailyBudget", config[POLICIES.maxDailyBudget]).maxDailyBudget).to.deep.equal({ "exoclick:USD": 500, "*": 1000 });
    expect(limitsOf("maxDailyIncrease", config[POLICIES.maxDailyIncrease]).maxDailyIncrease).to.equal(200);
    expect(limitsOf("protectRunning", config[POLICIES.protectRunning])).to.deep.include({ protectRunning: true, allowReplace: [], allowDelete: [] });
  });
});
