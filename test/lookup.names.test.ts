/**
 * Issue #30 (part B): values checked against the networks' own lists at
 * preview, names a buyer knows, and adnet-lists. Through the provider the
 * Pulumi host serves, against the sandbox:
 *  - numeric codes by name (`pricing.model: "smartCpm"`), declared once on
 *    the field's allowed values;
 *  - ids of a reference list by name (`["Android", "iOS"]`), resolved at
 *    check, stored as ids, and resolved again without a request from what
 *    the previous check kept (0 requests when nothing changed);
 *  - ExoClick regions of a country, Affise regions of a country and inside
 *    the targeting group's countries, an Integr8 offer read by itself;
 *  - every message names the nearest entries and the command that prints the list.
 */
import { expect } from "chai";
import { useSandbox } from "./support/sandbox";
import { isAbout } from "./support/check";
import { EXOCLICK_SANDBOX_CREDENTIALS } from "../provider/sandbox/exoclick";
import { AFFISE_SANDBOX_CREDENTIALS } from "../provider/sandbox/affise";
import { INTEGR8_SANDBOX } from "../provider/sandbox/integr8";
import { clearTokenCache } from "../provider/exoclick/client";
import { resetContexts } from "../provider/core/config/context";
import { NAMES_KEY, nearestEntries } from "../provider/core/schema/define";
import { checkValue, docRows, EnumField, f, Fields } from "../provider/core/schema/schema";
import { Checker } from "../provider/core/schema/validate";
import { spendOf } from "../provider/core/money/spend";
import { NETWORKS } from "../provider/networks";
import * as registry from "../provider/registry";
import { main as listsMain } from "../provider/cli/lists";

const campaignP = registry.get("exoclick:Campaign");
const offerP = registry.get("affise:Offer");
const applicationP = registry.get("integr8:OfferApplication");

const CAMPAIGN = {
  name: "Names a buyer knows",
  size: "300x250",
  countries: { type: "targeted", elements: [{ country: "USA" }] },
  pricing: { model: 2, price: 2.5 },
  maxDailyBudget: 50,
};
const OFFER = {
  title: "Regions offer",
  advertiser: "5e39279bac611cda7e5765ab",
  url: "https://t.example/click?c={clickid}",
  payments: [{ countries: ["US"], total: 2, revenue: 1, currency: "USD", type: "fixed" }],
};

describe("reference lists and names a buyer knows (issue #30 B)", () => {
  const ctx = useSandbox((sb) => ({
    "exoclick:baseUrl": `${sb.urlFor("exoclick")}/v2`, "exoclick:apiToken": EXOCLICK_SANDBOX_CREDENTIALS.apiToken,
    "affise:baseUrl": sb.urlFor("affise"), "affise:apiKey": AFFISE_SANDBOX_CREDENTIALS.apiKey,
    "integr8:baseUrl": sb.urlFor("integr8"), "integr8:apiKey": INTEGR8_SANDBOX.apiKey, "integr8:organizationId": INTEGR8_SANDBOX.organizationId,
  }));
  const lastSeq = () => ctx.sb.journal.reduce((m, r) => Math.max(m, r.seq), 0);
  const since = (from: number, network?: string) => ctx.sb.journal.filter((r) => r.seq > from && (!network || r.network === network)).map((r) => `${r.method} ${r.path}`);
  beforeEach(() => clearTokenCache());

  describe("numeric codes by name", () => {
    it("a name stands for its value (any case), is stored as the number, and a wrong one names the allowed values with their names", () => {
      const model = f.enum([1, 2, 4] as const, { names: { 1: "cpc", 2: "cpm", 4: "smartCpm" }, meanings: { 4: "smart CPM" }, doc: "Model." });
      const c = new Checker("t");
      expect(checkValue(c, model, "model", "smartCpm")).to.equal(4);
      expect(checkValue(c, model, "model", "SMARTCPM")).to.equal(4);
      expect(checkValue(c, model, "model", 2)).to.equal(2);
      expect(c.failures).to.deep.equal([]);
      checkValue(c, model, "model", "smartCPX");
      expect(c.failures.map((x) => x.reason)).to.deep.equal([
        `model must be one of 1 ("cpc"), 2 ("cpm"), 4 ("smartCpm": smart CPM); got the string "smartCPX" (did you mean "smartCpm"?)`,
      ]);
      expect(docRows({ model } as Fields)[0]).to.contain(`| 1 or "cpc" \\| 2 or "cpm" \\| 4 or "smartCpm" |`);
    });

    it("every numeric code of every resource declares a name for each value (networkSelection aside: its meaning is not public)", () => {
      const missing: string[] = [];
      const walk = (fields: Fields, prefix: string) => {
        for (const [k, x] of Object.entries(fields)) {
          const item = x.kind === "list" ? x.items : x;
          if (item.kind === "enum" && !item.output && item.values.some((v) => typeof v === "number")) {
            for (const v of item.values) if (item.names?.[String(v)] === undefined) missing.push(`${prefix}${k}=${v}`);
          }
          if (item.kind === "object") walk(item.fields, `${prefix}${k}.`);
        }
      };
      for (const n of NETWORKS) for (const [type, def] of Object.entries(n.resources)) walk(def.fields as Fields, `${n.name}:${type} `);
      expect(missing).to.deep.equal(["exoclick:Campaign zoneTargeting.networkSelection=0", "exoclick:Campaign zoneTargeting.networkSelection=1"]);
    });

    it("a campaign given by names checks to the same inputs as by numbers, 0 requests; spend reads a named status as running", async () => {
      const from = lastSeq();
      const byName: any = await campaignP.check({}, { ...CAMPAIGN, status: "running", pricing: { model: "smartCpm", price: 2.5 }, dailyLimitType: "budget", budgetDeliveryMode: "even", advertiserAdType: "banner" });
      const byNumber: any = await campaignP.check({}, { ...CAMPAIGN, status: 1, pricing: { model: 4, price: 2.5 }, dailyLimitType: 1, budgetDeliveryMode: 1, advertiserAdType: 0 });
      expect(byName.failures).to.deep.equal([]);
      expect(byName.inputs).to.deep.equal(byNumber.inputs);
      expect(since(from)).to.deep.equal([]);
      const def = registry.definition("exoclick:Campaign")!;
      expect(spendOf(def, { ...CAMPAIGN, status: "running", dailyLimitType: "none" })).to.include({ running: true, uncapped: true });
      expect(spendOf(def, { ...CAMPAIGN, status: "paused" })).to.include({ running: false });
    });
  });

  describe("ids of a reference list by name", () => {
    it("names resolve to ids through the list (one read), are kept beside the inputs, and the next check resolves them with 0 requests", async () => {
      const from = lastSeq();
      const first: any = await campaignP.check({}, { ...CAMPAIGN, operatingSystems: { targeted: ["Android", "ios"] }, browsers: { blocked: ["Opera", 1] } });
      expect(first.failures).to.deep.equal([]);
      expect(first.inputs.operatingSystems).to.deep.equal({ targeted: [5, 6] });
      expect(first.inputs.browsers).to.deep.equal({ blocked: [5, 1] });
      expect(first.inputs[NAMES_KEY]).to.deep.equal({ "operating-systems": { Android: 5, ios: 6 }, browsers: { Opera: 5 } });
      expect(since(from, "exoclick").filter((r) => r.includes("/collections/")).sort()).to.deep.equal(["GET /v2/collections/browsers", "GET /v2/collections/operating-systems"]);
      // A new run (a new process): the same program checks to the same inputs without a request.
      resetContexts();
      clearTokenCache();
      const again = lastSeq();
      const second: any = await campaignP.check(first.inputs, { ...CAMPAIGN, operatingSystems: { targeted: ["Android", "ios"] }, browsers: { blocked: ["Opera", 1] } });
      expect(second.failures).to.deep.equal([]);
      expect(second.inputs).to.deep.equal(first.inputs);
      expect(since(again)).to.deep.equal([]);
      // The diff against the state the create wrote is empty: the ids are what the network holds.
      const made = await campaignP.create(first.inputs);
      expect((await campaignP.diff(made.id, made.outs, second.inputs)).changes).to.equal(false);
      expect(made.outs).not.to.have.property(NAMES_KEY);
    });

    it("a name not in the list fails with the nearest names and the command that prints the list; a wrong id with the nearest ids", async () => {
      const r: any = await campaignP.check({}, { ...CAMPAIGN, operatingSystems: { targeted: ["Andriod"] }, browsers: { targeted: [16] } });
      const os = r.failures.find((x: any) => isAbout(x, "operatingSystems.targeted[0]"));
      expect(os.reason).to.equal(`operatingSystems.targeted[0] must name an entry of ExoClick's operating-systems list; got "Andriod" (11 entries; nearest: "5" (Android), "6" (iOS), "9" (KaiOS), "1" (Windows), "2" (macOS)). npx adnet-lists --network exoclick --list operating-systems prints the list`);
      expect(r.failures.find((x: any) => isAbout(x, "browsers.targeted[0]")).reason).to.match(/must be in ExoClick's browsers list; got 16 \(15 entries; nearest: "15" \(Other\), "14"/);
      expect(r.failures).to.have.length(2);
    });

    it("nearestEntries: by spelling for a name, by number for an id", () => {
      const m = new Map([["1", "Chrome"], ["2", "Firefox"], ["7", "Edge"], ["30", "Opera"]]);
      expect(nearestEntries(m, "Firefx", 1).map(([id]) => id)).to.deep.equal(["2"]);
      expect(nearestEntries(m, 25, 2).map(([id]) => id)).to.deep.equal(["30", "7"]);
    });
  });

  describe("regions of a country", () => {
    it("ExoClick: a region that is not one of the country's is refused with the country's nearest regions; names resolve; 0 is never looked up", async () => {
      const from = lastSeq();
      const bad: any = await campaignP.check({}, { ...CAMPAIGN, countries: { type: "targeted", elements: [{ country: "usa", regions: [99] }, { country: "DEU", regions: ["Bavaria", 3] }] } });
      expect(bad.failures.map((x: any) => x.reason)).to.deep.equal([
        `countries.elements[0].regions[0] must be in ExoClick's regions:USA list; got 99 (10 entries; nearest: "10" (Massachusetts), "9" (Washington), "8" (Georgia), "7" (Ohio), "6" (Pennsylvania)). npx adnet-lists --network exoclick --list regions:USA prints the list`,
      ]);
      const ok: any = await campaignP.check({}, { ...CAMPAIGN, countries: { type: "targeted", elements: [{ country: "USA" }, { country: "DEU", regions: ["Bavaria", 3] }] } });
      expect(ok.failures).to.deep.equal([]);
      expect(ok.inputs.countries.elements).to.deep.equal([{ country: "USA", regions: [0] }, { country: "DEU", regions: [2, 3] }]);
      // One read of the region list serves every country.
      expect(since(from, "exoclick").filter((r) => r.includes("/collections/"))).to.deep.equal(["GET /v2/collections/regions"]);
      // The sandbox refuses what ExoClick refuses: a region of another country.
      const e: any = await campaignP.create({ ...(await campaignP.check({}, CAMPAIGN) as any).inputs, countries: { type: "targeted", elements: [{ country: "GBR", regions: [9] }] } }).catch((x: any) => x);
      expect(String(e?.message)).to.contain("region 9 is not a region of GBR");
    });

    it("Affise: a region keyed by a country outside the group's countries is refused with 0 requests; a region id not of its country, with the country's regions", async () => {
      const from = lastSeq();
      const outside: any = await offerP.check({}, { ...OFFER, targeting: [{ countries: { allow: ["US"] }, regions: { allow: { FR: [200] } } }] });
      expect(outside.failures.map((x: any) => x.reason)).to.deep.equal([
        "targeting[0].regions.allow.FR: FR is outside the group's countries (it allows US), so these regions target nothing; key them by one of US, or change countries",
      ]);
      const denied: any = await offerP.check({}, { ...OFFER, targeting: [{ countries: { deny: ["DE"] }, regions: { deny: { de: [100] } } }] });
      expect(denied.failures.map((x: any) => x.reason)[0]).to.match(/^targeting\[0\]\.regions\.deny\.DE: DE is outside the group's countries \(it denies DE\)/);
      expect(since(from)).to.deep.equal([]);
      const wrong: any = await offerP.check({}, { ...OFFER, targeting: [{ countries: { allow: ["US"] }, regions: { allow: { US: [33, "Texas"] } } }] });
      expect(wrong.failures.map((x: any) => x.reason)).to.deep.equal([
        `targeting[0].regions.allow.US[0] must be in Affise's regions:US list; got 33 (8 entries; nearest: "8" (Washington), "7" (Georgia), "6" (Ohio), "5" (Illinois), "4" (New York)). npx adnet-lists --network affise --list regions:US prints the list`,
      ]);
      const ok: any = await offerP.check({}, { ...OFFER, targeting: [{ countries: { allow: ["US"] }, regions: { allow: { US: [1, "Texas"] } } }] });
      expect(ok.failures).to.deep.equal([]);
      expect(ok.inputs.targeting[0].regions).to.deep.equal({ allow: { US: [1, 2] } });
      expect(since(from, "affise")).to.deep.equal(["GET /3.1/regions"]);
    });
  });

  describe("an Integr8 offer application", () => {
    it("an offer that does not exist is refused at check with one read-only request, cached for the run; an existing one passes", async () => {
      const from = lastSeq();
      const r: any = await applicationP.check({}, { offerId: "6610aa00000000000000dead" });
      expect(r.failures.map((x: any) => x.reason)).to.deep.equal([
        `offerId must be in Integr8's offers:${INTEGR8_SANDBOX.organizationId} list; got "6610aa00000000000000dead" (Integr8 answered that it has no such entry). npx adnet-lists --network integr8 --list offers:${INTEGR8_SANDBOX.organizationId} prints the list`,
      ]);
      await applicationP.check({}, { offerId: "6610aa00000000000000dead" });
      expect((await applicationP.check({}, { offerId: INTEGR8_SANDBOX.publicOfferId }) as any).failures).to.deep.equal([]);
      const reads = since(from, "integr8");
      expect(reads.every((x) => x.startsWith("GET "))).to.equal(true);
      expect(reads.filter((x) => x.endsWith("/offers/6610aa00000000000000dead"))).to.have.length(1);
      expect(reads).to.have.length(2);
    });

    it("a create whose offer is gone says so, never 'run pulumi refresh'", async () => {
      const e: any = await applicationP.create({ offerId: "6610aa00000000000000dead", agreeToTerms: false, organizationId: INTEGR8_SANDBOX.organizationId }).catch((x: any) => x);
      expect(e?.message).to.match(/^Integr8 has no offer "6610aa00000000000000dead" that organization \S+ can apply for \(POST .* answered 404\); nothing was created\. Check offerId: npx adnet-lists --network integr8 --list offers:\S+ prints the offers it sees$/);
      expect(e.message).not.to.contain("refresh");
    });
  });

  describe("adnet-lists", () => {
    const run = async (argv: string[]) => {
      const out: string[] = [];
      const write = process.stdout.write;
      (process.stdout as any).write = (s: string) => (out.push(String(s)), true);
      try {
        const code = await listsMain(argv);
        return { code, out: out.join("") };
      } finally {
        (process.stdout as any).write = write;
      }
    };
    it("prints a list (text and JSON), a country's regions, the network's lists; read-only", async () => {
      const from = lastSeq();
      const text = await run(["--network", "exoclick", "--list", "operating-systems"]);
      expect(text.code).to.equal(0);
      expect(text.out).to.match(/^1 +Windows\n/);
      expect(text.out).to.match(/\n5 +Android\n/);
      const json = await run(["--network", "affise", "--list", "regions:US", "--json"]);
      expect(JSON.parse(json.out)).to.deep.include({ id: "2", name: "Texas" });
      const offers = await run(["--network", "integr8", "--list", "offers", "--json"]);
      expect(JSON.parse(offers.out).map((o: any) => o.id)).to.include(INTEGR8_SANDBOX.publicOfferId);
      const lists = await run(["--network", "exoclick"]);
      expect(lists.out).to.contain("regions: regions of a country");
      expect(ctx.sb.requests("exoclick", { writes: true }).filter((x) => x.seq > from && x.path !== "/v2/login")).to.deep.equal([]);
      expect(ctx.sb.requests("affise", { writes: true }).filter((x) => x.seq > from)).to.deep.equal([]);
    });

    it("an unknown list is a usage error naming the lists (exit 2)", async () => {
      const errors: string[] = [];
      const write = process.stderr.write;
      (process.stderr as any).write = (s: string) => (errors.push(String(s)), true);
      try {
        expect((await run(["--network", "exoclick", "--list", "operating-system"])).code).to.equal(2);
      } finally {
        (process.stderr as any).write = write;
      }
      expect(errors.join("")).to.contain(`--list "operating-system" is not one of ExoClick's lists (did you mean "operating-systems"?)`);
    });
  });

  it("EnumField names are typed: a program may pass them", () => {
    // Compiles only when ArgsOf takes the names (types follow from the declarations).
    const args: import("../provider/exoclick").CampaignArgs = { name: "n", pricing: { model: "smartCpm", price: 1 }, dailyLimitType: "budget", operatingSystems: { targeted: ["Android", 6] } };
    expect((args.pricing as { model: unknown }).model).to.equal("smartCpm");
    expect((registry.definition("exoclick:Campaign")!.fields.status as EnumField).names).to.deep.equal({ 0: "paused", 1: "running" });
  });
});
