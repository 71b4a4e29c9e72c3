import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { NETWORKS } from "../provider/networks";

const ROOT = path.resolve(__dirname, "..", "..");

/** The README's bash lines, comments and surrounding space dropped. */
function readmeCommands(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  return [...readme.matchAll(/```bash\n([\s\S]*?)```/g)].flatMap((m) => m[1].split("\n").map((l) => l.replace(/\s+#(?=[^"']*$).*$/, "").trim()).filter(Boolean));
}

describe("a team's CI workflow (examples/ci/deploy.yml)", () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const yaml: typeof import("js-yaml") = require("js-yaml");
  const text = fs.readFileSync(path.join(ROOT, "examples", "ci", "deploy.yml"), "utf8");
  const workflow = yaml.load(text) as any;
  const jobs = workflow.jobs as Record<string, any>;
  const runLines = (job: string) =>
    (jobs[job].steps as any[]).filter((s) => s.run).flatMap((s) => String(s.run).split("\n").map((l: string) => l.replace(/\s+#(?=[^"']*$).*$/, "").trim()).filter((l: string) => l && !l.startsWith("#")));
  const stepNamed = (job: string, name: string) => (jobs[job].steps as any[]).find((s) => s.name === name);

  it("is valid YAML of a GitHub Actions workflow: pull requests and pushes to main, jobs of steps that each use an action at a version or run commands", () => {
    expect(Object.keys(workflow.on).sort()).to.deep.equal(["pull_request", "push"]);
    expect(workflow.on.push.branches).to.deep.equal(["main"]);
    expect(workflow.permissions).to.deep.equal({ contents: "read", "pull-requests": "write" });
    expect(Object.keys(jobs)).to.deep.equal(["preview", "up"]);
    for (const [name, job] of Object.entries(jobs)) {
      expect(job["runs-on"], name).to.equal("ubuntu-latest");
      for (const s of job.steps) {
        expect(!!s.uses !== !!s.run, `${name}: ${JSON.stringify(s)}`).to.equal(true);
        if (s.uses) expect(s.uses).to.match(/^[\w-]+\/[\w-]+@v\d+$/);
      }
      const node = job.steps.find((s: any) => s.uses?.startsWith("actions/setup-node@"));
      const tested: string[] = require(path.join(ROOT, "package.json")).adnetworks.nodeTested;
      expect(tested, `${name}: a Node.js version the package is tested on`).to.include(String(node.with["node-version"]));
    }
  });

  it("pull requests: the spend diff posted as a comment, then the preview with the policy pack; a newer push replaces the preview; fails only after posting", () => {
    expect(jobs.preview.if).to.equal("github.event_name == 'pull_request'");
    expect(jobs.preview.concurrency).to.deep.equal({ group: "adnet-preview-${{ github.event.pull_request.number }}", "cancel-in-progress": true });
    const names = (jobs.preview.steps as any[]).map((s) => s.name ?? s.uses);
    const order = ["Spend diff", "Comment on the pull request", "Preview with the spend policy pack", "Limits"].map((n) => names.indexOf(n));
    expect(order.every((i) => i >= 0)).to.equal(true);
    expect([...order].sort((a, b) => a - b)).to.deep.equal(order);
    expect(order[3]).to.equal(names.length - 1);
    expect(String(stepNamed("preview", "Spend diff").run)).to.contain('npx adnet-spend --stack "$STACK" --format markdown > spend.md');
    expect(runLines("preview")).to.include('gh pr comment "$PR" --edit-last --body-file spend.md || gh pr comment "$PR" --body-file spend.md');
  });

  it("merge: pulumi up, one run at a time per stack and never cancelled halfway; a failed run is recovered with adnet-recover, then up again", () => {
    expect(jobs.up.if).to.equal("github.event_name == 'push'");
    expect(jobs.up.concurrency).to.deep.equal({ group: "adnet-up-${{ vars.ADNET_STACK }}", "cancel-in-progress": false });
    const steps = jobs.up.steps as any[];
    const deploy = steps.findIndex((s) => s.name === "Deploy");
    const recover = steps.findIndex((s) => s.name === "Recover and finish");
    expect(deploy).to.be.greaterThan(-1);
    expect(recover).to.equal(steps.length - 1);
    expect(steps[deploy].run.trim()).to.equal('pulumi up --stack "$STACK" --yes --non-interactive');
    expect(steps[recover].if).to.equal("failure()");
    expect(String(steps[recover].run).trim().split("\n").map((l: string) => l.trim())).to.deep.equal(['npx adnet-recover --stack "$STACK"', 'pulumi up --stack "$STACK" --yes --non-interactive']);
    expect(steps.slice(0, deploy).some((s) => /pulumi (up|destroy)/.test(s.run ?? ""))).to.equal(false);
  });

  it("the backend, passphrase and credentials come from the CI's secrets (non-secret settings from variables), each a setting the networks declare", () => {
    const env = workflow.env as Record<string, string>;
    expect(env.STACK).to.equal("${{ vars.ADNET_STACK }}");
    expect(env.PULUMI_BACKEND_URL).to.equal("${{ secrets.PULUMI_BACKEND_URL }}");
    expect(env.PULUMI_CONFIG_PASSPHRASE).to.equal("${{ secrets.PULUMI_CONFIG_PASSPHRASE }}");
    const settings = NETWORKS.flatMap((n) => Object.values(n.settings));
    const networkVars = Object.keys(env).filter((k) => NETWORKS.some((n) => k.startsWith(`${n.name.toUpperCase()}_`)));
    expect(networkVars.length).to.be.greaterThan(5);
    for (const k of networkVars) {
      const s = settings.find((x) => x.env === k);
      expect(s, `${k} is a network setting`).to.not.equal(undefined);
      expect(env[k], k).to.equal(s!.secret ? `\${{ secrets.${k} }}` : `\${{ vars.${k} }}`);
    }
    // every network's credential is there (a team deletes the lines it does not use)
    for (const n of NETWORKS) expect(networkVars.some((k) => settings.find((x) => x.env === k)?.secret && k.startsWith(`${n.name.toUpperCase()}_`)), n.name).to.equal(true);
    // nothing written into the file itself: every value is a secret or a variable
    for (const [k, v] of Object.entries(env)) expect(v, k).to.match(/^\$\{\{ (secrets|vars)\.[A-Z0-9_]+ \}\}$/);
    expect(text).to.not.contain("sandbox-");
  });

  it("its adnet and pulumi commands are the README's, and the README's CI commands all run in it", () => {
    const lines = [...runLines("preview"), ...runLines("up")];
    const ours = lines.filter((l) => /^(npx adnet-|pulumi )/.test(l));
    expect(ours.length).to.be.greaterThan(3);
    const readme = readmeCommands();
    expect(ours.filter((l) => !readme.includes(l))).to.deep.equal([]);
    for (const l of ['pulumi up --stack "$STACK" --yes --non-interactive', 'npx adnet-recover --stack "$STACK"']) {
      expect(readme, l).to.include(l);
      expect(lines, l).to.include(l);
    }
  });
});
