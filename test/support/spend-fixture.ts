/**
 * Writes test/fixtures/spend/preview.json, the saved `pulumi preview --json`
 * that test/review.test.ts runs `adnet-spend --format markdown` on: a real
 * preview of a real stack on the sandbox, made the way adnet-spend makes it
 * (`pulumi preview --json --show-sames`, ADNETWORKS_GUARDRAILS=report).
 *
 *   npm run build && node dist/test/support/spend-fixture.js [out.json]
 *
 * The stack (first `pulumi up`): ExoClick campaigns a (20.00 a day, bid
 * 3.00), b (15.00, bid 3.00), c (10.00), g (8.00, 300x250), all running, d
 * (5.00) paused; an Interchange campaign ic (daily cap 250, total 5,000).
 * The change previewed: a to 30.00, b's bid to 3.50, c removed, d started,
 * e new (25.00), f new with a budget that is an Output of a new resource
 * (not known until apply), g's size changed (a replacement), ic's daily cap
 * to 400. Stack limits: maxDailyBudget {"exoclick:USD": 80, "*": 1000},
 * maxDailyIncrease {"interchange": 100, "*": 50}, protectRunning true.
 * The temporary directory and the sandbox's port are replaced by fixed
 * text, and stack traces dropped, so the file reads the same every time.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PulumiCli } from "./cli";
import { ROOT } from "./engine";
import { startSandbox } from "../../provider/sandbox/server";
import { sandboxConfig } from "../../provider/sandbox/config";
import { runChild } from "./processes";

export const FIXTURE = path.join(ROOT, "test", "fixtures", "spend", "preview.json");

const PROGRAM = `const pulumi = require("@pulumi/pulumi");
const { exoclick, interchange } = require("pulumi-adnetworks");
const config = new pulumi.Config("program");
const spec = config.requireObject("spec");
for (const [name, c] of Object.entries(spec)) {
  new exoclick.Campaign(name, { name: "Review " + name, status: c.status, size: c.size || "300x250", pricing: { model: 4, price: c.bid || 3 }, dailyLimitType: 1, maxDailyBudget: c.budget });
}
if (config.getBoolean("later")) {
  const landing = new exoclick.LibraryUrl("landing", { url: "https://example.com/review-landing" });
  new exoclick.Campaign("f", { name: "Review f", status: 1, size: "300x250", pricing: { model: 4, price: 3 }, dailyLimitType: 1, maxDailyBudget: landing.id.apply(() => 12) });
}
new interchange.Campaign("ic", {
  advertiserId: 12345, name: "Review retail Q1", campaignType: "DECISIONED", mode: "discovery", status: "ACTIVE",
  flightDates: { startDate: "2026-01-15T00:00:00Z", endDate: "2026-03-31T23:59:59Z" },
  budget: { total: 5000, currency: "USD", dailyCap: config.requireNumber("dailyCap"), pacing: "EVEN" },
  brief: "Retail media next to product pages", constraints: { geoCountries: ["US"], deviceType: ["desktop"] },
});
`;

export async function makeSpendFixture(out = FIXTURE): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-review-"));
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: shop-ads\nmain: index.js\nruntime: nodejs\n");
  fs.writeFileSync(path.join(dir, "index.js"), PROGRAM);
  const cli = new PulumiCli(dir);
  const sb = await startSandbox({ port: 0 });
  try {
    await cli.ok("stack", "init", "dev", "--non-interactive");
    const set = (k: string, v: string, secret = false) => cli.ok("config", "set", ...(secret ? ["--secret"] : []), k, v);
    for (const [k, v] of Object.entries({ ...sandboxConfig("exoclick", sb.urlFor("exoclick")), ...sandboxConfig("interchange", sb.urlFor("interchange")) })) await set(k, v.value, !!v.secret);
    await set("program:spec", JSON.stringify({
      a: { budget: 20, status: 1 }, b: { budget: 15, status: 1 }, c: { budget: 10, status: 1 }, d: { budget: 5, status: 0 }, g: { budget: 8, status: 1 },
    }));
    await set("program:dailyCap", "250");
    await cli.up();
    await set("program:spec", JSON.stringify({
      a: { budget: 30, status: 1 }, b: { budget: 15, status: 1, bid: 3.5 }, d: { budget: 5, status: 1 }, e: { budget: 25, status: 1 }, g: { budget: 8, status: 1, size: "728x90" },
    }));
    await set("program:later", "true");
    await set("program:dailyCap", "400");
    await set("adnetworks:maxDailyBudget", JSON.stringify({ "exoclick:USD": 80, "*": 1000 }));
    await set("adnetworks:maxDailyIncrease", JSON.stringify({ interchange: 100, "*": 50 }));
    await set("adnetworks:protectRunning", "true");
    const before = sb.journal.length;
    const env = { ...cli.env, ADNETWORKS_GUARDRAILS: "report" };
    const r = await runChild(path.join(cli.bin, "pulumi"), ["preview", "--json", "--show-sames", "--non-interactive"], { cwd: dir, env });
    if (r.code !== 0) throw new Error(`preview exited with ${r.code}: ${r.stderr}${r.stdout.slice(-3000)}`);
    if (sb.journal.length !== before) throw new Error(`the preview sent ${sb.journal.length - before} requests`);
    const port = new URL(sb.urlFor("exoclick")).port;
    const preview = JSON.parse(r.stdout);
    for (const s of preview.steps ?? []) for (const st of [s.oldState, s.newState]) if (st) delete st.stackTrace;
    const text = JSON.stringify(preview, null, 1).split(dir).join("/work/shop-ads").split(`127.0.0.1:${port}`).join("127.0.0.1:8787");
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${text}\n`);
  } finally {
    await sb.close();
    cli.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  makeSpendFixture(process.argv[2] ? path.resolve(process.argv[2]) : FIXTURE).then(
    () => process.stdout.write(`wrote ${process.argv[2] ?? path.relative(ROOT, FIXTURE)}\n`),
    (e) => {
      process.stderr.write(`${e?.stack ?? e}\n`);
      process.exit(1);
    },
  );
}
