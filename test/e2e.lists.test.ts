/**
 * Issue #30 (part B), done-when through the real engine against the sandbox
 * (one stack, three networks):
 *  - an ExoClick region that is not the country's, an operating system named
 *    wrong, an Affise region outside the group's countries, an Integr8
 *    application for an offer that does not exist: refused at `pulumi
 *    preview` with 0 writes, each message with the nearest valid values (or
 *    the command that prints the list);
 *  - the names a buyer knows (`["Android", "iOS"]`, `pricing.model:
 *    "smartCpm"`, a region "Bavaria", an Affise region "Texas") deploy as the
 *    networks' ids, and the next preview shows no changes with 0 requests.
 */
import { expect } from "chai";
import { affise, exoclick, integr8 } from "pulumi-adnetworks";
import { attempt, e2e, E2E, changes } from "./support/engine";
import { sandboxSettings } from "./support/accounts";
import { ExoClickSandbox } from "../provider/sandbox/exoclick";
import { AffiseSandbox } from "../provider/sandbox/affise";
import { INTEGR8_SANDBOX } from "../provider/sandbox/integr8";

interface Choice {
  regions: Array<number | string>;
  os: Array<number | string>;
  affiseRegions: Record<string, Array<number | string>>;
  offerId: string;
}

const GOOD: Choice = { regions: ["Bavaria", 3], os: ["Android", "iOS"], affiseRegions: { US: ["Texas"] }, offerId: INTEGR8_SANDBOX.publicOfferId };

function program(x: Choice) {
  return async () => {
    const c = new exoclick.Campaign("names", {
      name: "Names a buyer knows",
      size: "300x250",
      countries: { type: "targeted", elements: [{ country: "DEU", regions: x.regions }] },
      pricing: { model: "smartCpm", price: 2.5 },
      dailyLimitType: "budget",
      maxDailyBudget: 40,
      status: "paused",
      operatingSystems: { targeted: x.os },
    });
    const o = new affise.Offer("regions", {
      title: "Regions by name",
      advertiser: "5e39279bac611cda7e5765ab",
      url: "https://t.example/click?c={clickid}",
      payments: [{ countries: ["US"], total: 2, revenue: 1, currency: "USD", type: "fixed" }],
      targeting: [{ countries: { allow: ["US"] }, regions: { allow: x.affiseRegions } }],
    });
    const a = new integr8.OfferApplication("apply", { offerId: x.offerId });
    return { campaignId: c.id, offerId: o.id, applicationId: a.id };
  };
}

describe("@e2e real Pulumi engine: reference lists and names a buyer knows (issue #30 B)", function () {
  this.timeout(600_000);
  let t: E2E;
  const lastSeq = () => t.sb.journal.reduce((m, r) => Math.max(m, r.seq), 0);
  const writes = (from: number) => t.sb.journal.filter((r) => r.seq > from && r.method !== "GET" && !/\/login$/.test(r.path)).map((r) => `${r.network} ${r.method} ${r.path}`);

  before(async () => {
    t = await e2e({
      program: program(GOOD),
      config: (sb) => ({ ...sandboxSettings(sb, "exoclick").config, ...sandboxSettings(sb, "affise").config, ...sandboxSettings(sb, "integr8").config }),
    });
  });
  after(async () => t?.close());

  it("1. preview refuses a region not of the country, a misspelled OS, an Affise region outside the group's countries and an unknown Integr8 offer: 0 writes, the nearest values", async () => {
    // The engine stops at a resource's failed check: one bad resource per preview.
    const cases: Array<[Partial<Choice>, string[]]> = [
      [{ regions: [99], os: ["Andriod"] }, [
        `countries.elements[0].regions[0] must be in ExoClick's regions:DEU list; got 99 (16 entries; nearest: "16" (Thuringia)`,
        `operatingSystems.targeted[0] must name an entry of ExoClick's operating-systems list; got "Andriod" (11 entries; nearest: "5" (Android)`,
        "npx adnet-lists --network exoclick --list regions:DEU prints the list",
      ]],
      [{ affiseRegions: { FR: [200] } }, ["targeting[0].regions.allow.FR: FR is outside the group's countries (it allows US)"]],
      [{ affiseRegions: { US: ["Texsa"] } }, [`targeting[0].regions.allow.US[0] must name an entry of Affise's regions:US list; got "Texsa" (8 entries; nearest: "2" (Texas)`]],
      [{ offerId: "6610aa00000000000000dead" }, [`offerId must be in Integr8's offers:${INTEGR8_SANDBOX.organizationId} list; got "6610aa00000000000000dead"`]],
    ];
    for (const [bad, messages] of cases) {
      t.setProgram(program({ ...GOOD, ...bad }));
      const from = lastSeq();
      const r = await attempt((o) => t.e.stack.preview(o));
      expect(r.error, `preview must fail: ${JSON.stringify(bad)}`).to.not.equal(undefined);
      const all = r.errors.join("\n");
      for (const m of messages) expect(all, all).to.contain(m);
      expect(writes(from)).to.deep.equal([]);
    }
  });

  it("2. names deploy as the networks' ids; the next preview shows no changes and sends nothing", async () => {
    t.setProgram(program(GOOD));
    const up = await t.up();
    expect(up.summary.resourceChanges).to.deep.equal({ create: 4 });
    const exo = t.sb.network<ExoClickSandbox>("exoclick");
    const c = exo.inventory().campaigns[0] as any;
    expect(exo.data.targeting[c.id].operating_systems.targeted).to.deep.equal([5, 6]);
    expect(exo.data.campaigns[c.id]).to.deep.include({ daily_limit_type: 1, status: 0 });
    expect(exo.data.campaigns[c.id].countries?.elements).to.deep.equal([{ country: "DEU", regions: [2, 3] }]);
    const offer = Object.values(t.sb.network<AffiseSandbox>("affise").data.offers)[0] as any;
    expect(offer.targeting[0].region.allow).to.deep.equal({ US: [2] });
    // State holds the ids; the program's names are kept beside the inputs only.
    const [campaign] = await t.resources("exoclick:Campaign");
    expect(campaign.outputs.operatingSystems).to.deep.equal({ targeted: [5, 6] });
    expect(campaign.outputs.pricing.model).to.equal(4);

    const from = lastSeq();
    const pv = await t.preview();
    expect(changes(pv)).to.deep.equal({});
    expect(t.sb.journal.filter((r) => r.seq > from).map((r) => `${r.network} ${r.method} ${r.path}`)).to.deep.equal([]);
  });
});
