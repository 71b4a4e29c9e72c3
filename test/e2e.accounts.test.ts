import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { affise, exoclick, integr8, interchange, topsort } from "pulumi-adnetworks";
import { e2e, E2E, changes, ROOT } from "./support/engine";
import { PulumiCli } from "./support/cli";
import { adnetImport } from "./support/adopt";
import { png } from "./support/png";
import { SANDBOX_ACCOUNT } from "../provider/sandbox/networks";
import { INTEGR8_SANDBOX } from "../provider/sandbox/integr8";
import { sandboxAccountsConfig, sandboxConfig } from "../provider/sandbox/config";
import { accountsEnv } from "../provider/core/config/config";
import { NAMES_FILE, SUMMARY_FILE, ImportSummary } from "../provider/import/importer";
import type { Sandbox } from "../provider/sandbox/server";

/**
 * Two accounts of each network in one stack (the default one, and "brandB"
 * from stack config `<network>:accounts`), against two sandbox accounts with
 * separate data: every object is created, read, updated, imported and
 * deleted in its own account, never in the other.
 */
const NETWORKS = ["exoclick", "affise", "integr8", "topsort", "interchange"] as const;
const ACCOUNTS = ["default", SANDBOX_ACCOUNT] as const;
const B = SANDBOX_ACCOUNT;

/** The program: the same objects in each account (same names: natural keys are unique per account). */
function program(image: string, extra?: (made: Record<string, any>) => void) {
  return async () => {
    const made: Record<string, any> = {};
    for (const acc of ACCOUNTS) {
      const account = acc === "default" ? {} : { account: acc };
      const url = new exoclick.LibraryUrl(`${acc}-landing`, { ...account, url: `https://${acc.toLowerCase()}.example/landing` });
      const file = new exoclick.LibraryFile(`${acc}-image`, { ...account, path: image });
      const campaign = new exoclick.Campaign(`${acc}-campaign`, {
        ...account, name: "Spring banner 300x250", status: 0, advertiserAdType: 0, mediaStorageTemplate: "img_banner", size: "300x250",
        countries: { type: "targeted", elements: [{ country: "USA" }] }, pricing: { model: 4, price: acc === "default" ? 3 : 2.5 }, startDate: "2027-03-02",
      });
      new exoclick.Variation(`${acc}-variation`, { ...account, campaignId: campaign.id, libraryUrlId: url.id, libraryFileId: file.id });
      new topsort.Campaign(`${acc}-topsort`, {
        ...account, vendorId: "vendor-acme", name: "Spring banner", adFormat: "banner", campaignType: "manual", chargeType: "CPM",
        budget: { amount: acc === "default" ? 1500 : 900, type: "daily" }, startDate: "2027-03-01T00:00:00Z", endDate: "2027-05-31T23:59:59Z", isActive: true,
        bids: [{ amount: 2.5, target: { id: "sku-acme-runner-42", type: "product" } }],
        banner: { slotId: "home-top", deviceType: "desktop", assets: [{ url: "https://cdn.example.com/acme/spring-728x90.png", contentType: "image/png", width: 728, height: 90, size: 48213 }] },
      });
      new interchange.Campaign(`${acc}-interchange`, {
        ...account, advertiserId: 12345, name: "Spring retail media", flightDates: { startDate: "2027-01-15T00:00:00Z", endDate: "2027-03-31T23:59:59Z" },
        budget: { total: acc === "default" ? 5000 : 3000, currency: "USD", dailyCap: 250, pacing: "EVEN" }, campaignType: "DECISIONED", mode: "discovery",
      });
      const offer = new affise.Offer(`${acc}-offer`, {
        ...account, title: "Spring VPN", advertiser: "5e39279bac611cda7e5765ab", url: `https://track.example/${acc}?c={clickid}`,
        payments: [{ countries: ["US"], total: acc === "default" ? 3 : 2, revenue: 1.5, currency: "USD", type: "fixed" }],
      });
      new affise.Postback(`${acc}-postback`, { ...account, pid: 2, url: `https://partner.example/${acc}?c={clickid}`, offerId: offer.id });
      // Integr8's accounts are organizations (one API, a key per organization): brandB is the sandbox's other one.
      const org = acc === "default" ? INTEGR8_SANDBOX : INTEGR8_SANDBOX.other;
      new integr8.Postback(`${acc}-integr8`, { ...account, name: "Conversions", integration: org.integrationId, serviceType: "conversion", url: `https://tracker.example/${acc}?tx={external_transaction_id}` });
      made[acc] = { url, file, campaign };
    }
    extra?.(made);
  };
}

/** The objects each account's emulator holds, by network: ids of live objects. */
function held(sb: Sandbox, account: string): Record<string, string[]> {
  const inv = sb.inventory();
  const of = (n: string) => inv[account === "default" ? n : `${n}@${account}`] as Record<string, any[]>;
  return {
    exoclickUrls: of("exoclick").libraryUrls.map((x) => String(x.id)),
    exoclickFiles: of("exoclick").libraryFiles.map((x) => String(x.id)),
    exoclickCampaigns: of("exoclick").campaigns.map((x) => String(x.id)),
    exoclickVariations: of("exoclick").variations.map((x) => `${x.idcampaign ?? x.campaign_id}/${x.idvariation ?? x.id}`),
    affiseOffers: of("affise").offers.map((x) => String(x.id)),
    affisePostbacks: of("affise").postbacks.map((x) => `${x.pid}/${x.id}`),
    integr8: (inv.integr8.postbacks as any[]).filter((x) => x.organization === (account === "default" ? INTEGR8_SANDBOX : INTEGR8_SANDBOX.other).organizationId).map((x) => String(x.id)),
    topsort: of("topsort").campaigns.map((x) => String(x.campaignId)),
    interchange: of("interchange").campaigns.map((x) => String(x.campaignId)),
  };
}
const count = (h: Record<string, string[]>) => Object.values(h).reduce((n, l) => n + l.length, 0);

describe("@e2e two accounts of each network in one stack (ExoClick, Affise, Integr8, Topsort, Interchange)", function () {
  this.timeout(600_000);
  let t: E2E;
  // Made in before (not while mocha loads the file): a run that skips these tests leaves no folder.
  let tmp = "";
  let image = "";
  const stackConfig = (sb: Sandbox) => {
    const out: Record<string, { value: string; secret?: boolean }> = {};
    for (const n of NETWORKS) Object.assign(out, sandboxConfig(n, sb.urlFor(n)), sandboxAccountsConfig(n, sb.urlFor(n)));
    return out;
  };

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-accounts-e2e-"));
    image = path.join(tmp, "spring-300x250.png");
    fs.writeFileSync(image, png(300, 250, 77));
    t = await e2e({ program: program(image), config: stackConfig, project: "adnet-accounts" });
  });
  after(async () => {
    await t?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("1. up creates each object in its own account, with the same names in both (natural keys are per account)", async () => {
    const up = await t.up();
    expect(up.summary.result).to.equal("succeeded");
    const a = held(t.sb, "default"), b = held(t.sb, B);
    for (const h of [a, b]) for (const [k, ids] of Object.entries(h)) expect(ids, k).to.have.length(1);
    // Each resource's id is an object of its account's emulator, not of the other's.
    for (const r of await t.resources()) {
      const acc = r.urn.split("::").pop()!.split("-")[0];
      expect(r.inputs.account ?? "default", r.urn).to.equal(acc);
      const mine = Object.values(held(t.sb, acc)).flat(), theirs = Object.values(held(t.sb, acc === "default" ? B : "default")).flat();
      expect(mine, r.urn).to.include(r.id);
      // Affise numbers each account's objects on its own (an instance per client): the same id in both, told apart by what each holds.
      if (r.type.includes("affise:")) expect(JSON.stringify(t.sb.network<any>("affise", acc === "default" ? undefined : acc).data), r.urn).to.contain(`${acc}?c={clickid}`);
      else expect(theirs, r.urn).not.to.include(r.id);
    }
    // Every write was answered by the account whose resource made it: half by each (Integr8 serves both organizations from one emulator: counted by what each holds).
    const writes = t.sb.journal.filter((e) => e.method !== "GET" && e.network !== "integr8" && !/\/(login|auth\/token)$/.test(e.path));
    const byAccount = (acc: string) => writes.filter((e) => (e.account ?? "default") === acc).length;
    expect(byAccount("default")).to.equal(byAccount(B)).and.to.be.greaterThan(5);
    expect(t.sb.network<any>("exoclick", B).data.campaigns[b.exoclickCampaigns[0]]).to.deep.include({ name: "Spring banner 300x250" });
  });

  it("2. preview right after up shows no changes", async () => {
    expect(changes(await t.preview())).to.deep.equal({});
  });

  it("3. refresh reads each object from its account: a dashboard change in brandB shows on brandB's resource only; up puts it back there", async () => {
    const id = held(t.sb, B).exoclickCampaigns[0];
    t.sb.network<any>("exoclick", B).data.campaigns[id].name = "Renamed in brandB's dashboard";
    const rf = await t.refresh();
    expect(rf.summary.result).to.equal("succeeded");
    const names = Object.fromEntries((await t.resources("Campaign")).filter((r) => r.type.startsWith("adnetworks:exoclick") || r.type.includes("exoclick")).map((r) => [r.urn.split("::").pop(), r.outputs.name]));
    expect(names).to.deep.equal({ "default-campaign": "Spring banner 300x250", [`${B}-campaign`]: "Renamed in brandB's dashboard" });
    const mark = t.sb.journal.length;
    const up = await t.up();
    expect(up.summary.resourceChanges).to.deep.include({ update: 1 });
    const w = t.sb.journal.slice(mark).filter((e) => e.method !== "GET" && !/\/login$/.test(e.path));
    expect(w.map((e) => `${e.account ?? "default"} ${e.method} ${e.path}`)).to.deep.equal([`${B} PUT /v2/campaigns/${id}`]);
    expect(t.sb.network<any>("exoclick", B).data.campaigns[id].name).to.equal("Spring banner 300x250");
    expect(changes(await t.preview())).to.deep.equal({});
  });

  it("4. a reference from a resource of one account to an object of another is refused at preview, with 0 requests", async () => {
    t.setProgram(program(image, (made) => {
      new exoclick.Variation("default-variation-of-brandB", { campaignId: made[B].campaign.id, libraryUrlId: made.default.url.id, libraryFileId: made.default.file.id });
    }));
    const mark = t.sb.journal.filter((e) => e.method !== "GET").length;
    let message = "";
    try {
      await t.preview();
    } catch (e) {
      message = String((e as Error).message);
    }
    expect(message).to.match(/exoclick\.Variation 'default-variation-of-brandB' \(account default\) refers in campaignId to exoclick\.Campaign 'brandB-campaign' of account brandB: an object can only refer to objects of its own account/);
    expect(t.sb.journal.filter((e) => e.method !== "GET").length).to.equal(mark);
    t.setProgram(program(image));
    expect(changes(await t.preview())).to.deep.equal({});
  });

  it("4b. a spend limit keyed to one account judges that account's running budgets only, at preview, with 0 requests", async () => {
    const writes = () => t.sb.journal.filter((e) => e.method !== "GET").length;
    const mark = writes();
    // Topsort's daily budgets: 1,500.00 in the default account, 900.00 in brandB; the limit names brandB only.
    await t.e.stack.setConfig("adnetworks:maxDailyBudget", { value: JSON.stringify({ [`topsort/${B}:USD`]: 800 }) });
    try {
      let message = "";
      try {
        await t.preview();
      } catch (e) {
        message = String((e as Error).message);
      }
      expect(message).to.contain("adnetworks:maxDailyBudget");
      expect(message).to.match(new RegExp(`${B}-topsort \\(900\\.00\\)`));
      expect(message).not.to.match(/default-topsort/);
      expect(message).to.contain("800.00");
      // The same figure for the network (each of its accounts): the default account's 1,500.00 breaks it too, judged on its own.
      await t.e.stack.setConfig("adnetworks:maxDailyBudget", { value: JSON.stringify({ "topsort:USD": 1000 }) });
      message = "";
      try {
        await t.preview();
      } catch (e) {
        message = String((e as Error).message);
      }
      expect(message).to.match(/default-topsort \(1,?500\.00\)/);
      expect(message).not.to.match(new RegExp(`${B}-topsort \\(`));
      expect(writes()).to.equal(mark);
    } finally {
      await t.e.stack.removeConfig("adnetworks:maxDailyBudget");
    }
    expect(changes(await t.preview())).to.deep.equal({});
  });

  describe("5. adnet-import --account brandB writes brandB's objects only, and a new stack adopts them with 0 changes", () => {
    // Set once the outer `before` made the temporary folder (at describe time `tmp` is still "": the relative path
    // wrote the imported program into the repository).
    let out = "";
    before(() => (out = path.join(tmp, "brandB-program")));
    let cli: PulumiCli;
    let summary: ImportSummary;
    after(async () => {
      // The adopted objects stay the first stack's to destroy: this stack's state is dropped, its objects kept.
      if (cli && fs.existsSync(path.join(out, "Pulumi.yaml"))) await cli.run("stack", "rm", "--force", "--yes", "--non-interactive", "dev");
      cli?.cleanup();
    });

    it("adnet-import --account brandB: 0 writes, one file per network, account and '<account>:<id>' import ids, nothing of the default account", async () => {
      // brandB's credentials from the environment (<NETWORK>_ACCOUNTS, the same JSON as the stack config); none of the default account.
      const env: Record<string, string> = {};
      for (const n of NETWORKS) env[accountsEnv(n)] = sandboxAccountsConfig(n, t.sb.urlFor(n))[`${n}:accounts`].value;
      const mark = t.sb.journal.length;
      const r = await adnetImport(["--network", NETWORKS.join(","), "--account", B, "--out", out], env);
      expect(r.code, r.stderr + r.stdout).to.equal(0);
      expect(r.stdout).to.contain(`(account ${B})`);
      const reqs = t.sb.journal.slice(mark);
      expect(reqs.filter((e) => e.method !== "GET" && !/\/login$/.test(e.path))).to.deep.equal([]);
      const others = reqs.filter((e) => e.network !== "integr8" && e.account !== B);
      expect(others.map((e) => `${e.network} ${e.method} ${e.path}`)).to.deep.equal([]);
      summary = JSON.parse(fs.readFileSync(path.join(out, SUMMARY_FILE), "utf8"));
      expect(summary.account).to.equal(B);
      const { "integr8:OfferApplication": _seeded, ...imported } = summary.imported; // the other organization's own applications, if the sandbox seeds any
      expect(imported).to.deep.equal({ "affise:Offer": 1, "affise:Postback": 1, "integr8:Postback": 1, "exoclick:LibraryUrl": 1, "exoclick:LibraryFile": 1, "exoclick:Campaign": 1, "exoclick:Variation": 1, "topsort:Campaign": 1, "interchange:Campaign": 1 });
      expect(summary.danglingRefs).to.deep.equal([]);
      const b = held(t.sb, B), a = held(t.sb, "default");
      for (const n of NETWORKS) {
        const code = fs.readFileSync(path.join(out, `${n}-${B}.ts`), "utf8");
        expect(fs.existsSync(path.join(out, `${n}.ts`)), `${n}.ts`).to.equal(false);
        expect(code.match(/account: "brandB",/g)?.length, n).to.equal(code.match(/\{ import: "brandB:/g)?.length);
        if (n !== "affise") for (const id of Object.values(a).flat()) expect(code, `${n}: default's ${id}`).not.to.contain(`"${B}:${id}"`);
        expect(code).not.to.contain("default.example");
        expect(code).not.to.contain("/default?");
      }
      const exo = fs.readFileSync(path.join(out, `exoclick-${B}.ts`), "utf8");
      expect(exo).to.contain(`{ import: "${B}:${b.exoclickCampaigns[0]}" }`);
      expect(exo).to.match(/campaignId: \w+\.id,/); // the reference within the account is code
      expect(JSON.parse(fs.readFileSync(path.join(out, NAMES_FILE), "utf8")).networks).to.deep.equal(NETWORKS.map((n) => `${n}-${B}`).sort());
      fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(out, "node_modules"));
    });

    it("pulumi up in a new stack (brandB's credentials in stack config only) imports every object with 0 writes; preview --expect-no-changes passes", async () => {
      cli = new PulumiCli(out);
      await cli.ok("stack", "init", "dev", "--non-interactive");
      for (const n of NETWORKS) {
        const [k, v] = Object.entries(sandboxAccountsConfig(n, t.sb.urlFor(n)))[0];
        await cli.ok("config", "set", "--secret", k, v.value);
      }
      const mark = t.sb.journal.length;
      expect(await cli.up()).to.deep.equal({ create: 1, import: summary.total });
      const reqs = t.sb.journal.slice(mark);
      expect(reqs.filter((e) => e.method !== "GET" && !/\/login$/.test(e.path))).to.deep.equal([]);
      expect(reqs.filter((e) => e.network !== "integr8" && e.account !== B)).to.deep.equal([]);
      await cli.ok("preview", "--expect-no-changes", "--non-interactive");
    });
  });

  // A suite of its own: mocha runs a suite's tests before its nested suites, and this one comes last.
  describe("6. destroy", () => it("deletes each object in its own account and leaves both empty", async () => {
    const before = { default: count(held(t.sb, "default")), [B]: count(held(t.sb, B)) };
    expect(before).to.deep.equal({ default: 9, [B]: 9 });
    const mark = t.sb.journal.length;
    const d = await t.destroy();
    expect(d.summary.result).to.equal("succeeded");
    expect(count(held(t.sb, "default"))).to.equal(0);
    expect(count(held(t.sb, B))).to.equal(0);
    const deletes = t.sb.journal.slice(mark).filter((e) => e.method !== "GET" && e.network !== "integr8" && !/\/login$/.test(e.path));
    expect(deletes.filter((e) => (e.account ?? "default") === B).length).to.equal(deletes.filter((e) => !e.account).length).and.to.be.greaterThan(0);
  }));
});
