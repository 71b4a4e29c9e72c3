/**
 * Issue #34, through the real engine: one stack with campaigns on the four
 * spending networks (an ExoClick campaign and its variation, an Affise
 * offer, a Topsort campaign, an Interchange campaign). A preview that
 * changes them shows, on the stack beside the spend lines, the exact last
 * 7 days the sandbox served (replayed here from the journal's own
 * requests), with one statistics request per network and account (Topsort:
 * one per campaign) and 0 writes; `adnet-spend --format markdown` shows
 * the same figures; an outage of every statistics route leaves the
 * preview's verdict as it was and marks the figures unavailable; a
 * no-change preview and `adnetworks:showResults false` send nothing.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as auto from "@pulumi/pulumi/automation";
import fetch from "node-fetch";
import * as qs from "qs";
import { affise, exoclick, interchange, topsort } from "pulumi-adnetworks";
import { changes, e2e, E2E, ROOT } from "./support/engine";
import { sandboxConfig } from "../scripts/lib/examples";
import { runChild } from "./support/processes";
import { JournalEntry } from "../provider/sandbox/server";
import { EMULATORS } from "../provider/sandbox/networks";
import { networkNamed } from "../provider/networks";
import { figuresText, Figures } from "../provider/core/money/results";

/** The sandbox's today and the provider's (the window is the 7 whole days before). */
const TODAY = "2027-03-20";
const WINDOW = "last 7 days (2027-03-13 to 2027-03-19)";
const STATS = ["statistics/a/global", "stats/custom", "reporting-service", "reporting/metrics"];
const isStats = (e: JournalEntry) => STATS.some((s) => e.path.includes(s));

/** The program: v2 changes each object in place (a budget, a title, a variation paused). */
function program(v: 1 | 2): auto.PulumiFn {
  return async () => {
    const url = new exoclick.LibraryUrl("landing", { url: "https://results.example.com/lp" });
    const file = new exoclick.LibraryFile("banner", { path: "banner-300x250.png", size: "300x250" });
    const campaign = new exoclick.Campaign("exo", {
      name: "Results banner", size: "300x250", categories: { type: "targeted", elements: [97] }, countries: { type: "targeted", elements: [{ country: "USA" }] },
      pricing: { model: 4, price: 3 }, status: 1, startDate: "2027-03-01", dailyLimitType: 1, maxDailyBudget: v === 1 ? 20 : 25,
    });
    new exoclick.Variation("exo-variation", { campaignId: campaign.id, libraryUrlId: url.id, libraryFileId: file.id, active: v === 1 });
    new affise.Offer("offer", {
      title: v === 1 ? "Results offer" : "Results offer v2", advertiser: "5e39279bac611cda7e5765ab", url: "https://track.example.com/click?c={clickid}", status: "active",
      payments: [{ countries: ["US"], goal: "1", total: 2, revenue: 1.5, currency: "USD", type: "fixed" }],
      caps: [{ period: "day", type: "budget", value: 40 }],
    });
    new topsort.Campaign("shelf", {
      vendorId: "vendor-results", name: "Results listing", adFormat: "listing", budget: { amount: v === 1 ? 15 : 18, type: "daily" },
      startDate: "2027-03-01T00:00:00Z", endDate: "2027-05-31T23:59:59Z", isActive: true, bids: [{ amount: 0.5, target: { id: "sku-results" } }],
    });
    new interchange.Campaign("programmatic", {
      advertiserId: 4242, name: "Results programmatic", flightDates: { startDate: "2027-03-01T00:00:00Z", endDate: "2027-05-31T23:59:59Z" },
      budget: { total: 5000, currency: "USD", dailyCap: v === 1 ? 30 : 35, pacing: "EVEN" }, campaignType: "DECISIONED", mode: "discovery", status: "ACTIVE",
      brief: "Results: display next to product pages, shoppers in the US",
    });
  };
}

/** What the sandbox serves for one statistics request of the journal, asked again (the traffic is a pure function): figures by object. */
async function replay(sb: E2E["sb"], e: JournalEntry): Promise<Map<string, Omit<Figures, "currency">>> {
  const out = new Map<string, Omit<Figures, "currency">>();
  const base = sb.urlFor(e.network);
  const s = EMULATORS[e.network as keyof typeof EMULATORS].settings as Record<string, string>;
  if (e.network === "exoclick") {
    const login = await (await fetch(`${base}/v2/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ api_token: s.apiToken }) })).json() as any;
    const body = await (await fetch(`${base}${e.path}`, { method: "POST", headers: { Authorization: `Bearer ${login.token}`, "Content-Type": "application/json" }, body: JSON.stringify(e.body) })).json() as any;
    for (const r of body.result) {
      const f = { impressions: r.impressions, clicks: r.clicks, conversions: r.conversions, spend: r.cost };
      const c = `exoclick:Campaign:${r.group_by.campaign_id.id}`;
      const t = out.get(c) ?? { impressions: 0, clicks: 0, conversions: 0, spend: 0 };
      out.set(c, { impressions: t.impressions + f.impressions, clicks: t.clicks + f.clicks, conversions: t.conversions + f.conversions, spend: Number((t.spend + f.spend).toFixed(2)) });
      if (r.group_by.variation_id) out.set(`exoclick:Variation:${r.group_by.campaign_id.id}/${r.group_by.variation_id.id}`, f);
    }
    return out;
  }
  const headers: Record<string, string> = e.network === "affise" ? { "API-Key": s.apiKey } : { Authorization: `Bearer ${s.apiKey}` };
  const q = qs.stringify(e.query ?? {}, { arrayFormat: "brackets", encodeValuesOnly: true });
  const body = await (await fetch(`${base}${e.path}${q ? `?${q}` : ""}`, { headers })).json() as any;
  if (e.network === "affise") for (const r of body.stats) out.set(`affise:Offer:${r.slice.offer.id}`, { impressions: r.views, clicks: r.traffic.raw, conversions: r.actions.total.count, spend: r.actions.total.charge });
  if (e.network === "topsort") out.set(`topsort:Campaign:${body.campaignId}`, { impressions: body.impressions, clicks: body.clicks, conversions: body.purchases.count, spend: body.spend / 100 });
  if (e.network === "interchange") for (const a of body.advertisers) for (const c of a.campaigns) out.set(`interchange:Campaign:${c.campaignId}`, { impressions: c.metrics.impressions, clicks: c.metrics.clicks, conversions: c.metrics.conversions, spend: c.metrics.spend });
  return out;
}

describe("@e2e real Pulumi engine: results beside each change (issue #34)", function () {
  this.timeout(900_000);
  let t: E2E;
  let ids: Record<string, string>;
  const statsRequests = (from: number) => t.sb.journal.slice(from).filter(isStats);
  const run = async (op: (o: { onOutput: (s: string) => void; onEvent: (e: auto.EngineEvent) => void }) => Promise<auto.PreviewResult>) => {
    const info: string[] = [];
    const errors: string[] = [];
    const steps: any[] = [];
    const result = await op({
      onOutput: () => undefined,
      onEvent: (e) => {
        if (e.resourcePreEvent) steps.push(e.resourcePreEvent.metadata);
        const d = e.diagnosticEvent;
        if (d?.severity === "info" && d.urn?.includes("::pulumi:pulumi:Stack::")) info.push(d.message.trim());
        if (d?.severity === "error") errors.push(d.message.trim());
      },
    });
    return { result, info, errors, steps };
  };

  before(async () => {
    t = await e2e({
      program: program(1),
      workDir: "examples/exoclick-banner",
      sandbox: { today: TODAY },
      config: (sb) => sandboxConfig(sb, ["exoclick", "affise", "topsort", "interchange"]),
      env: () => ({ ADNETWORKS_RESULTS_TODAY: TODAY, ADNETWORKS_SHOW_RESULTS: "true" }),
    });
    await t.up();
    ids = Object.fromEntries((await t.resources()).map((r: any) => [r.urn.split("::").pop(), r.id]));
  });
  after(async () => {
    if (t) await t.destroy().catch(() => undefined);
    await t?.close();
  });

  it("a preview with no change sends no request at all", async () => {
    const from = t.sb.journal.length;
    const p = await run((o) => t.e.stack.preview(o));
    expect(changes(p.result)).to.deep.equal({});
    expect(t.sb.journal.slice(from)).to.deep.equal([]);
    expect(p.info.join("\n")).not.to.contain("adnetworks results");
  });

  let steps: any[] = [];
  let verdict: Record<string, number>;
  let expected: Record<string, string>;

  it("a preview that changes them shows each one's exact last 7 days beside the spend lines: one statistics request per network (Topsort one per campaign), 0 writes", async () => {
    t.setProgram(program(2));
    const from = t.sb.journal.length;
    const p = await run((o) => t.e.stack.preview(o));
    verdict = changes(p.result);
    expect(verdict).to.deep.equal({ update: 5 });
    steps = p.steps;
    const sent = t.sb.journal.slice(from);
    expect(sent.filter((e) => ["POST", "PUT", "PATCH", "DELETE"].includes(e.method) && !isStats(e) && !e.path.endsWith("/login"))).to.deep.equal([]);
    const stats = statsRequests(from);
    expect(stats.map((e) => e.network).sort()).to.deep.equal(["affise", "exoclick", "interchange", "topsort"]);

    // The figures the sandbox served, asked again with the same requests.
    const served = new Map<string, Omit<Figures, "currency">>();
    for (const e of stats) for (const [k, v] of await replay(t.sb, e)) served.set(k, v);
    const keyOf: Record<string, string> = {
      exo: `exoclick:Campaign:${ids.exo}`, "exo-variation": `exoclick:Variation:${ids["exo-variation"]}`, offer: `affise:Offer:${ids.offer}`,
      shelf: `topsort:Campaign:${ids.shelf}`, programmatic: `interchange:Campaign:${ids.programmatic}`,
    };
    expected = {};
    for (const [name, k] of Object.entries(keyOf)) {
      const f = served.get(k);
      expect(f, `${name}: served`).to.exist;
      expect(f!.impressions, `${name}: traffic`).to.be.greaterThan(0);
      expected[name] = figuresText({ ...f!, currency: "USD" });
    }
    const message = p.info.find((m) => m.startsWith("adnetworks results"));
    expect(message, p.info.join("\n---\n")).to.exist;
    if (process.env.ADNET_TEST_VERBOSE) process.stdout.write(`${p.info.join("\n")}\n`);
    const lines = message!.split("\n").map((l) => l.trim());
    expect(lines.slice(0, 6)).to.deep.equal([
      `adnetworks results of what this update changes, ${WINDOW}:`,
      `exo (exoclick Campaign): ${expected.exo}`,
      `exo-variation (exoclick Variation): ${expected["exo-variation"]}`,
      `offer (affise Offer): ${expected.offer}`,
      `programmatic (interchange Campaign): ${expected.programmatic}`,
      `shelf (topsort Campaign): ${expected.shelf}`,
    ]);
    // Totals per network and currency: the variation is in its campaign's figures.
    expect(lines.slice(6).map((l) => l.split(":")[0])).to.deep.equal(["affise USD", "exoclick USD", "interchange USD", "topsort USD"]);
    expect(lines[7]).to.match(/over 1 changed$/);
    // Beside the spend lines, on the same stack channel.
    expect(p.info.some((m) => m.startsWith("adnetworks spend in this update"))).to.equal(true);
  });

  it("adnet-spend --format markdown shows the same figures, from one statistics request per network", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-results-"));
    try {
      const file = path.join(dir, "preview.json");
      fs.writeFileSync(file, JSON.stringify({ steps }));
      // A saved preview: the networks' settings from the environment.
      const env: Record<string, string> = { ...process.env as Record<string, string>, ADNETWORKS_RESULTS_TODAY: TODAY };
      for (const [k, v] of Object.entries(sandboxConfig(t.sb, ["exoclick", "affise", "topsort", "interchange"]))) {
        const [n, s] = k.split(":");
        const spec = (networkNamed(n)!.settings as Record<string, { env: string }>)[s];
        if (spec) env[spec.env] = v.value;
      }
      const from = t.sb.journal.length;
      const r = await runChild(process.execPath, [path.join(ROOT, "dist", "provider", "cli", "spend.js"), "--preview-json", file, "--format", "markdown"], { env });
      expect(r.stderr).to.equal("");
      const md = r.stdout;
      expect(md).to.contain(`#### Results of what changes, ${WINDOW}`);
      const row = (name: string) => md.split("\n").find((l) => l.startsWith(`| \`${name}\` |`))!;
      const cells = (name: string) => row(name).split(" | ").slice(3).map((c) => c.replace(/ \|$/, ""));
      for (const name of ["exo", "exo-variation", "offer", "shelf", "programmatic"]) {
        const [spend, impressions, clicks, ctr, conversions, cpc] = cells(name);
        expect(`spend ${spend}, ${impressions} impressions, ${clicks} clicks, CTR ${ctr}, ${conversions} conversions, ${cpc} per conversion`, name).to.equal(expected[name]);
      }
      expect(statsRequests(from).map((e) => e.network).sort()).to.deep.equal(["affise", "exoclick", "interchange", "topsort"]);
      expect(t.sb.journal.slice(from).filter((e) => ["PUT", "PATCH", "DELETE"].includes(e.method))).to.deep.equal([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("an outage of every statistics route leaves the preview's verdict as it was; the figures are marked unavailable with the reason, one request each (no retry)", async () => {
    t.sb.faults.next({ kind: "503", count: 100, routes: STATS });
    const from = t.sb.journal.length;
    try {
      const p = await run((o) => t.e.stack.preview(o));
      expect(p.errors).to.deep.equal([]);
      expect(changes(p.result)).to.deep.equal(verdict);
      const message = p.info.find((m) => m.startsWith("adnetworks results"))!;
      expect(message).to.contain("offer (affise Offer): unavailable (Affise statistics:").and.contain("503");
      expect(message.split("\n").filter((l) => / unavailable \(/.test(l))).to.have.length(5);
      expect(statsRequests(from)).to.have.length(4);
    } finally {
      t.sb.faults.configure(undefined);
    }
  });

  it("adnetworks:showResults false: the same preview sends no statistics request, only each network's credential verification", async () => {
    await t.e.stack.setConfig("adnetworks:showResults", { value: "false" });
    try {
      const from = t.sb.journal.length;
      const p = await run((o) => t.e.stack.preview(o));
      expect(changes(p.result)).to.deep.equal(verdict);
      const sent = t.sb.journal.slice(from);
      expect(sent.filter(isStats)).to.deep.equal([]);
      expect(sent.filter((e) => ["PUT", "PATCH", "DELETE"].includes(e.method) || (e.method === "POST" && !e.path.endsWith("/login")))).to.deep.equal([]);
      // A preview with changes verifies each account's credentials once (core/guard/verify.ts): one request per network here.
      expect(sent.map((e) => e.network).sort()).to.deep.equal(["affise", "exoclick", "interchange", "topsort"]);
      expect(p.info.join("\n")).not.to.contain("adnetworks results");
    } finally {
      await t.e.stack.removeConfig("adnetworks:showResults");
    }
  });
});
