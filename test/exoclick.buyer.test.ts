/**
 * Issue #20 §1 (ExoClick): what a buyer sets on a campaign every day:
 * routed targeting (browsers, carriers, devices, languages, operating
 * systems, sites, keywords, IP ranges), device types, day parting with its
 * timezone, frequency capping, zone targeting and zones, total budget and
 * impression limits, delivery and optimization settings, publisher ad
 * types, and the outputs ExoClick computes. Against the sandbox, through the
 * provider the Pulumi host serves.
 */
import { expect } from "chai";
import { useSandbox } from "./support/sandbox";
import { isAbout } from "./support/check";
import { ExoClickSandbox, EXOCLICK_SANDBOX_CREDENTIALS } from "../provider/sandbox/exoclick";
import { clearTokenCache } from "../provider/exoclick/client";
import { applyStackConfig, resetStackConfig } from "../provider/core/config/config";
import { resetContexts } from "../provider/core/config/context";
import { setProgressSink } from "../provider/core/config/log";
import { UNKNOWN } from "../provider/core/schema/validate";
import * as registry from "../provider/registry";

const campaignP = registry.get("exoclick:Campaign");

const BASE = {
  name: "Buyer fields banner",
  size: "300x250",
  countries: { type: "targeted", elements: [{ country: "USA" }, { country: "DEU" }] },
  pricing: { model: 2, price: 2.5 },
  startDate: "2027-03-02",
  dailyLimitType: 1,
  maxDailyBudget: 50,
};

/** Every buyer field of issue #20 set (sandbox ids: browsers 1 Chrome, 2 Firefox; carriers 104 Telekom DE; ...). */
export const BUYER_FIELDS = {
  endDate: "2027-06-30",
  totalBudgetLimit: 1500,
  totalImpressions: 5_000_000,
  maxDailyImpressions: 200_000,
  dailyLimitDeliveryMode: 1,
  optimizationAlgorithm: 1,
  publisherAdTypes: [1, 2],
  deviceTypes: { type: "targeted", elements: [2, 3] },
  browsers: { targeted: [1, 2] },
  carriers: { blocked: [104] },
  devices: { targeted: [4, 10] },
  languages: { targeted: [1, 2] },
  operatingSystems: { targeted: [5, 6] },
  sites: { blocked: ["spam.example", "https://bad.example/path"] },
  keywords: { targeted: ["running shoes", "sneakers"], blocked: ["free"] },
  ipRanges: { blocked: ["10.0.0.0/8", "192.168.1.1-192.168.1.255", "2001:db8::/32"] },
  dayParting: { timezone: "Europe/Berlin", parting: [{ day: 1, hours: [8, 9, 10, 11] }, { day: 6, hours: [20, 21, 22] }] },
  frequencyCapping: { impressions: 3, minutes: 1440 },
  zoneTargeting: { type: 0 },
  zones: [{ zoneId: 1234567 }, { zoneId: 7654321, price: 4.5 }],
};

async function checked(news: Record<string, any>, olds: Record<string, any> = {}) {
  const r: any = await campaignP.check(olds, news);
  expect(r.failures, JSON.stringify(r.failures)).to.deep.equal([]);
  return r.inputs!;
}

describe("exoclick: buyer fields (issue #20)", () => {
  const ctx = useSandbox((sb) => ({ "exoclick:baseUrl": `${sb.urlFor("exoclick")}/v2`, "exoclick:apiToken": EXOCLICK_SANDBOX_CREDENTIALS.apiToken }));
  const exo = () => ctx.sb.network<ExoClickSandbox>("exoclick");
  const writes = (from = 0) => ctx.sb.requests("exoclick", { writes: true }).filter((r) => r.seq > from && r.path !== "/v2/login").map((r) => `${r.method} ${r.path.replace(/\/\d+/, "/:id")}`);
  const lastSeq = () => ctx.sb.journal.reduce((m, r) => Math.max(m, r.seq), 0);
  const collectionGets = (from = 0) => ctx.sb.requests("exoclick").filter((r) => r.seq > from && r.path.startsWith("/v2/collections/")).map((r) => r.path);
  beforeEach(() => clearTokenCache());

  it("creates a campaign with every buyer field: body keys, the targeting routes, and a read with no drift", async () => {
    const inputs = await checked({ ...BASE, ...BUYER_FIELDS });
    const from = lastSeq();
    const made = await campaignP.create(inputs);
    const id = made.id;
    const post = ctx.sb.requests("exoclick", { writes: true }).find((r) => r.seq > from && r.method === "POST" && r.path === "/v2/campaigns")!;
    expect(post.body).to.deep.include({
      end_date: "2027-06-30", total_budget_limit: 150_000, total_impressions: 5_000_000, max_daily_impressions: 200_000,
      daily_limit_delivery_mode: 1, optimization_algorithm: 1, publisher_ad_types: [1, 2],
      device_types: { type: "targeted", elements: [2, 3] },
      day_parting: { timezone: "Europe/Berlin", parting: [{ day: 1, hours: [8, 9, 10, 11] }, { day: 6, hours: [20, 21, 22] }] },
      frequency_capping: { enabled: true, impressions: 3, minutes: 1440 },
      zone_targeting: { type: 0 },
      zones: [{ idzone: 1234567 }, { idzone: 7654321, price: 450 }],
    });
    // Routed targeting is not in the body: one PUT per list, after the create.
    for (const k of ["browsers", "carriers", "devices", "languages", "operatingSystems", "sites", "keywords", "ipRanges"]) expect(post.body, k).not.to.have.property(k);
    expect(writes(from).filter((w) => w.includes("/targeted/") || w.includes("/blocked/")).sort()).to.deep.equal([
      "PUT /v2/campaigns/:id/blocked/carriers", "PUT /v2/campaigns/:id/blocked/ip_ranges", "PUT /v2/campaigns/:id/blocked/keywords", "PUT /v2/campaigns/:id/blocked/sites",
      "PUT /v2/campaigns/:id/targeted/browsers", "PUT /v2/campaigns/:id/targeted/devices", "PUT /v2/campaigns/:id/targeted/keywords", "PUT /v2/campaigns/:id/targeted/languages",
      "PUT /v2/campaigns/:id/targeted/operating_systems",
    ]);
    const t = exo().data.targeting[id];
    expect(t.browsers).to.deep.equal({ targeted: [1, 2], blocked: [] });
    expect(t.ip_ranges.blocked).to.deep.equal(BUYER_FIELDS.ipRanges.blocked);
    // Stored as ExoClick reads it back: the cap as `capping`, the timezone as an id.
    const stored = exo().data.campaigns[id];
    expect(stored.capping).to.deep.equal({ quantity: 3, frequency: 1440 });
    expect(stored.parting_timezone).to.be.a("number");
    // Outputs ExoClick computes, from the create on.
    expect(made.outs).to.include({ calculatedStatus: "Paused", totalBudgetSpent: 0, impressionsSent: 0 });

    const read = await campaignP.read!(id, made.outs!);
    expect((await campaignP.diff!(id, read.props!, inputs)).changes, JSON.stringify(read.inputs)).to.equal(false);
    const imported = await campaignP.read!(id, {});
    const d = await campaignP.diff!(id, imported.props!, inputs);
    expect(d.changes, `import: ${JSON.stringify(imported.inputs)}`).to.equal(false);
    for (const k of Object.keys(BUYER_FIELDS)) expect(imported.inputs, k).to.have.property(k);
  });

  it("changes in place: targeting lists replaced or cleared, a value moved between lists, the schedule, the cap removed, limits cleared", async () => {
    const inputs = await checked({ ...BASE, ...BUYER_FIELDS });
    const made = await campaignP.create(inputs);
    const id = made.id;
    const { frequencyCapping: _cap, totalBudgetLimit: _limit, keywords: _kw, ...rest } = BUYER_FIELDS;
    const news = await checked({
      ...BASE, ...rest,
      browsers: { targeted: [3] },
      sites: { targeted: ["spam.example"] }, // moved from blocked to targeted
      dayParting: { timezone: "America/New_York", parting: [{ day: 2, hours: [12] }] },
      zones: [{ zoneId: 1234567, price: 5 }],
    }, made.outs);
    const d = await campaignP.diff!(id, made.outs!, news);
    expect(d.changes).to.equal(true);
    expect(d.replaces ?? []).to.deep.equal([]);
    const from = lastSeq();
    const updated = await campaignP.update!(id, made.outs!, news);
    const w = writes(from);
    expect(w).to.include.members([
      "PUT /v2/campaigns/:id", "PUT /v2/campaigns/:id/targeted/browsers", "DELETE /v2/campaigns/:id/targeted/keywords/all", "DELETE /v2/campaigns/:id/blocked/keywords/all",
    ]);
    // The site leaves the blocked list before it joins the targeted one: never in both.
    expect(w.indexOf("DELETE /v2/campaigns/:id/blocked/sites/all")).to.be.greaterThan(-1).and.lessThan(w.indexOf("PUT /v2/campaigns/:id/targeted/sites"));
    const put = ctx.sb.requests("exoclick", { writes: true }).find((r) => r.seq > from && r.method === "PUT" && r.path === `/v2/campaigns/${id}`)!;
    // Only what changed; what the program stopped declaring is cleared.
    expect(put.body).to.deep.equal({
      day_parting: { timezone: "America/New_York", parting: [{ day: 2, hours: [12] }] },
      frequency_capping: { enabled: false, impressions: 0, minutes: 0 },
      total_budget_limit: null,
      zones: [{ idzone: 1234567, price: 500 }],
    });
    const stored = exo().data.campaigns[id];
    expect(stored.capping).to.deep.equal({ quantity: 0, frequency: 0 });
    expect(stored.total_budget_limit).to.equal(null);
    expect(exo().data.targeting[id].keywords).to.deep.equal({ targeted: [], blocked: [] });
    expect(exo().data.targeting[id].sites).to.deep.equal({ targeted: ["spam.example"], blocked: [] });
    // Reads back as the new program: no drift.
    const state = { ...made.outs, ...updated.outs };
    const read = await campaignP.read!(id, state);
    expect((await campaignP.diff!(id, read.props!, news)).changes, JSON.stringify(read.inputs)).to.equal(false);
    expect(read.inputs).not.to.have.property("frequencyCapping");
    expect(read.inputs).not.to.have.property("keywords");
  });

  it("removing zone targeting, device types and day parting sends what clears them, and reads back as not set", async () => {
    const inputs = await checked({ ...BASE, ...BUYER_FIELDS });
    const made = await campaignP.create(inputs);
    const { zoneTargeting: _zt, zones: _z, deviceTypes: _dt, dayParting: _dp, ...rest } = BUYER_FIELDS;
    const news = await checked({ ...BASE, ...rest }, made.outs);
    const from = lastSeq();
    await campaignP.update!(made.id, made.outs!, news);
    const put = ctx.sb.requests("exoclick", { writes: true }).find((r) => r.seq > from && r.method === "PUT" && r.path === `/v2/campaigns/${made.id}`)!;
    expect(put.body).to.deep.equal({
      zone_targeting: { type: 2 }, zones: [], device_types: { type: "targeted", elements: [] }, day_parting: { timezone: "Europe/Berlin", parting: [] },
    });
    const read = await campaignP.read!(made.id, made.outs!);
    for (const k of ["zoneTargeting", "zones", "deviceTypes", "dayParting"]) expect(read.inputs, k).not.to.have.property(k);
    expect((await campaignP.diff!(made.id, read.props!, news)).changes).to.equal(false);
  });

  it("an out-of-band change of targeting, schedule or cap shows as drift on refresh", async () => {
    const inputs = await checked({ ...BASE, ...BUYER_FIELDS });
    const made = await campaignP.create(inputs);
    exo().data.targeting[made.id].browsers.targeted.push(5); // edited in the dashboard
    exo().data.campaigns[made.id].capping = { quantity: 9, frequency: 60 };
    exo().data.campaigns[made.id].day_parting[0].hours.push(23);
    const read = await campaignP.read!(made.id, made.outs!);
    expect(read.inputs!.browsers).to.deep.equal({ targeted: [1, 2, 5] });
    expect(read.inputs!.frequencyCapping).to.deep.equal({ impressions: 9, minutes: 60 });
    const d = await campaignP.diff!(made.id, read.props!, inputs);
    expect(d.changes).to.equal(true);
    expect(d.stables).not.to.include.members(["browsers", "frequencyCapping", "dayParting"]);
  });

  it("list (adnet-import) reports every buyer field as read does", async () => {
    const inputs = await checked({ ...BASE, ...BUYER_FIELDS });
    const made = await campaignP.create(inputs);
    const listed = (await campaignP.list!()).find((o) => o.id === made.id)!;
    expect((await campaignP.diff!(made.id, listed.state, inputs)).changes, JSON.stringify(listed.state)).to.equal(false);
    expect(listed.state).to.include({ calculatedStatus: "Paused" });
  });

  describe("values checked against ExoClick's reference lists at preview", () => {
    it("an id not in the list fails, naming the field, the list and what it holds; each list is read once per run, never written", async () => {
      const from = lastSeq();
      const r: any = await campaignP.check({}, { ...BASE, browsers: { targeted: [1, 999] }, operatingSystems: { blocked: [77] }, dayParting: { timezone: "Africa/Nairobi", parting: [{ day: 1, hours: [1] }] } });
      const f = r.failures.find((x: any) => isAbout(x, "browsers.targeted[1]"));
      expect(f, JSON.stringify(r.failures)).to.not.equal(undefined);
      // The nearest ids, and the command that prints the whole list.
      expect(f.reason).to.equal(`browsers.targeted[1] must be in ExoClick's browsers list; got 999 (15 entries; nearest: "15" (Other), "14" (Facebook In-App), "13" (Silk), "12" (Vivaldi), "11" (Brave)). npx adnet-lists --network exoclick --list browsers prints the list`);
      expect(r.failures.find((x: any) => isAbout(x, "operatingSystems.blocked[0]")).reason).to.match(/operating-systems list; got 77 /);
      // A real timezone that ExoClick's list does not hold.
      expect(r.failures.find((x: any) => isAbout(x, "dayParting.timezone")).reason).to.match(/timezones list; got "Africa\/Nairobi" /);
      expect(r.failures).to.have.length(3);
      // Again, and for another resource of the run: no further lookup.
      await campaignP.check({}, { ...BASE, browsers: { targeted: [2] } });
      await campaignP.check({}, { ...BASE, name: "Other", browsers: { blocked: [3] }, operatingSystems: { targeted: [1] } });
      expect(collectionGets(from).sort()).to.deep.equal(["/v2/collections/browsers", "/v2/collections/operating-systems", "/v2/collections/timezones"]);
      expect(writes(from)).to.deep.equal([]);
    });

    it("values already in the state are not looked up again: an unchanged campaign previews with 0 requests", async () => {
      const inputs = await checked({ ...BASE, ...BUYER_FIELDS });
      resetContexts(); // a new run
      const from = lastSeq();
      expect((await campaignP.check(inputs, { ...BASE, ...BUYER_FIELDS })).failures).to.deep.equal([]);
      expect(ctx.sb.journal.filter((r) => r.seq > from)).to.have.length(0);
      // Only the new value is looked up.
      expect((await campaignP.check(inputs, { ...BASE, ...BUYER_FIELDS, browsers: { targeted: [1, 2, 7] } })).failures).to.deep.equal([]);
      expect(collectionGets(from)).to.deep.equal(["/v2/collections/browsers"]);
    });

    it("a check that fails on its own rules sends nothing; unknown values are not looked up", async () => {
      const from = lastSeq();
      const r: any = await campaignP.check({}, { ...BASE, browsers: { targeted: [999] }, ipRanges: { blocked: ["10.0.0.300"] } });
      expect(r.failures.map((x: any) => x.reason)).to.deep.equal([
        `ipRanges.blocked[0] must be an IP address, a CIDR block such as "10.0.0.0/8" or an IPv4 range such as "1.2.3.0-1.2.3.255"; got "10.0.0.300"`,
      ]);
      expect((await campaignP.check({}, { ...BASE, browsers: { targeted: [UNKNOWN] }, devices: UNKNOWN })).failures).to.deep.equal([]);
      expect(ctx.sb.journal.filter((r) => r.seq > from)).to.have.length(0);
    });

    it("without credentials the lookup is skipped with a note on the resource (ExoClick checks at up), 0 requests", async () => {
      resetStackConfig();
      resetContexts();
      applyStackConfig({ "exoclick:baseUrl": `${ctx.sb.urlFor("exoclick")}/v2` }, ["exoclick:baseUrl"]);
      const notes: string[] = [];
      setProgressSink((m) => notes.push(m));
      try {
        const r: any = await campaignP.check({}, { ...BASE, browsers: { targeted: [999] } });
        expect(r.failures).to.deep.equal([]);
      } finally {
        setProgressSink((m) => process.stderr.write(`${m}\n`));
      }
      expect(notes.join("\n")).to.match(/exoclick\.Campaign: browsers\.targeted\[0\] not checked against ExoClick's browsers list\(s\) at preview: ExoClick credentials are missing: set stack config exoclick:apiToken .* ExoClick checks them at pulumi up/);
      expect(ctx.sb.journal).to.have.length(0);
    });

    it("when the list cannot be read (ExoClick unreachable), the check fails naming the fields, the list and the error", async () => {
      const budget = process.env.ADNET_HTTP_RETRY_BUDGET_MS;
      process.env.ADNET_HTTP_RETRY_BUDGET_MS = "0";
      resetStackConfig();
      resetContexts();
      applyStackConfig({ "exoclick:baseUrl": "http://127.0.0.1:1/v2", "exoclick:apiToken": EXOCLICK_SANDBOX_CREDENTIALS.apiToken }, ["exoclick:baseUrl", "exoclick:apiToken"]);
      try {
        const r: any = await campaignP.check({}, { ...BASE, browsers: { targeted: [1, 2] }, languages: { targeted: [1] } });
        expect(r.failures).to.have.length(2);
        expect(r.failures[0].reason).to.match(/^browsers\.targeted\[0\], browsers\.targeted\[1\]: could not be checked against ExoClick's browsers list, which could not be read: .*ECONNREFUSED/);
        expect(r.failures[1].reason).to.match(/^languages\.targeted\[0\]: could not be checked against ExoClick's languages list/);
        expect(r.failures[0].reason).not.to.contain(EXOCLICK_SANDBOX_CREDENTIALS.apiToken);
      } finally {
        if (budget === undefined) delete process.env.ADNET_HTTP_RETRY_BUDGET_MS;
        else process.env.ADNET_HTTP_RETRY_BUDGET_MS = budget;
        resetContexts();
      }
    });
  });

  describe("checked at preview with 0 requests", () => {
    const cases: Array<[string, Record<string, any>, string, RegExp]> = [
      ["a value both targeted and blocked", { keywords: { targeted: ["Shoes"], blocked: ["shoes"] } }, "keywords.blocked[0]", /is also in keywords\.targeted; a value is either targeted or blocked/],
      ["a repeated browser", { browsers: { targeted: [1, 1] } }, "browsers.targeted[1]", /repeats/],
      ["a site with a space", { sites: { blocked: ["bad site.example"] } }, "sites.blocked[0]", /a domain or URL without spaces/],
      ["an IP range high to low", { ipRanges: { targeted: ["10.0.0.9-10.0.0.1"] } }, "ipRanges.targeted[0]", /a range from low to high/],
      ["a day 8", { dayParting: { timezone: "UTC", parting: [{ day: 8, hours: [1] }] } }, "dayParting.parting[0].day", /<= 7/],
      ["hour 24", { dayParting: { timezone: "UTC", parting: [{ day: 1, hours: [24] }] } }, "dayParting.parting[0].hours[0]", /<= 23/],
      ["a day twice", { dayParting: { timezone: "UTC", parting: [{ day: 1, hours: [1] }, { day: 1, hours: [2] }] } }, "dayParting.parting[1]", /same day/],
      ["a day without hours", { dayParting: { timezone: "UTC", parting: [{ day: 1, hours: [] }] } }, "dayParting.parting[0].hours", /at least 1 item/],
      ["a timezone that is no timezone", { dayParting: { timezone: "Paris", parting: [{ day: 1, hours: [1] }] } }, "dayParting.timezone", /timezone name such as "Europe\/Paris"/],
      ["a cap of 0 impressions", { frequencyCapping: { impressions: 0, minutes: 60 } }, "frequencyCapping.impressions", />= 1/],
      ["a cap without its window", { frequencyCapping: { impressions: 2 } }, "frequencyCapping.minutes", /required/],
      ["zones without zone targeting", { zones: [{ zoneId: 5 }] }, "zones", /zones has an effect only with zoneTargeting/],
      ["only-these zones with none listed", { zoneTargeting: { type: 0 } }, "zones", /at least one zone when zoneTargeting\.type is 0/],
      ["zone targeting type 2", { zoneTargeting: { type: 2 } }, "zoneTargeting.type", /one of 0 \("only": only the zones in zones\), 1/],
      ["a zone twice", { zoneTargeting: { type: 1 }, zones: [{ zoneId: 5 }, { zoneId: 5, price: 3 }] }, "zones[1]", /same zoneId/],
      ["a total budget under the daily one", { totalBudgetLimit: 10 }, "totalBudgetLimit", /totalBudgetLimit \(10\) must be at least maxDailyBudget \(50\), both in the account's currency/],
      ["a fractional impression limit", { maxDailyImpressions: 10.5 }, "maxDailyImpressions", /whole number/],
      ["a device type list left empty", { deviceTypes: { type: "targeted", elements: [] } }, "deviceTypes.elements", /at least 1 item/],
    ];
    for (const [what, extra, field, reason] of cases) {
      it(`rejects ${what} (${field})`, async () => {
        const r: any = await campaignP.check({}, { ...BASE, ...extra });
        const f = r.failures.find((x: any) => isAbout(x, field));
        expect(f, JSON.stringify(r.failures)).to.not.equal(undefined);
        expect(f.reason).to.match(reason);
        expect(ctx.sb.journal, "no request may be sent").to.have.length(0);
      });
    }

    it("empty targeting lists mean not set (no lookup, no drift)", async () => {
      const r: any = await campaignP.check({}, { ...BASE, browsers: { targeted: [] }, keywords: { targeted: [], blocked: [] }, sites: { blocked: ["a.example"], targeted: [] } });
      expect(r.failures).to.deep.equal([]);
      expect(r.inputs).not.to.have.property("browsers");
      expect(r.inputs).not.to.have.property("keywords");
      expect(r.inputs.sites).to.deep.equal({ blocked: ["a.example"] });
      expect(ctx.sb.journal).to.have.length(0);
    });
  });

  describe("the sandbox, as ExoClick documents it", () => {
    let token: string;
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${ctx.sb.urlFor("exoclick")}/v2${path}`, { method, headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { "Content-Type": "application/json" } : {}) }, body: body !== undefined ? JSON.stringify(body) : undefined });
      return { status: res.status, body: (await res.json()) as any };
    };
    beforeEach(async () => {
      const res = await fetch(`${ctx.sb.urlFor("exoclick")}/v2/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ api_token: EXOCLICK_SANDBOX_CREDENTIALS.apiToken }) });
      token = ((await res.json()) as any).token;
    });
    const campaign = async () => (await call("POST", "/campaigns", { name: "Routes", advertiser_ad_type: 0, media_storage_template: "img_banner", size: "300x250", pricing: { model: 2, price: 100 } })).body.id;

    it("serves the reference lists with limit/offset", async () => {
      for (const name of ["browsers", "carriers", "devices", "device-types", "languages", "operating-systems", "countries", "timezones"]) {
        const r = await call("GET", `/collections/${name}?limit=500&offset=0`);
        expect(r.status, name).to.equal(200);
        expect(r.body.result.length, name).to.be.greaterThan(3);
        expect(r.body.result[0], name).to.have.property("id");
      }
      expect((await call("GET", "/collections/countries?limit=300")).body.result.find((c: any) => c.iso3 === "DEU")).to.include({ iso2: "DE", is_eu_member: 1 });
      expect((await call("GET", "/collections/browsers?limit=2&offset=1")).body.result.map((b: any) => b.name)).to.deep.equal(["Firefox", "Safari"]);
    });

    it("POST adds, PUT replaces, DELETE removes, DELETE .../all empties; unknown ids and bad ranges are refused; countries have no /all", async () => {
      const id = await campaign();
      expect((await call("POST", `/campaigns/${id}/targeted/browsers`, [1, 2])).status).to.equal(200);
      expect((await call("POST", `/campaigns/${id}/targeted/browsers`, [2, 3])).status).to.equal(200);
      expect(exo().data.targeting[id].browsers.targeted).to.deep.equal([1, 2, 3]);
      expect((await call("DELETE", `/campaigns/${id}/targeted/browsers`, [2])).status).to.equal(200);
      expect(exo().data.targeting[id].browsers.targeted).to.deep.equal([1, 3]);
      expect((await call("PUT", `/campaigns/${id}/targeted/browsers`, [4])).status).to.equal(200);
      expect(exo().data.targeting[id].browsers.targeted).to.deep.equal([4]);
      expect((await call("DELETE", `/campaigns/${id}/targeted/browsers/all`)).status).to.equal(200);
      expect(exo().data.targeting[id].browsers.targeted).to.deep.equal([]);
      const bad = await call("PUT", `/campaigns/${id}/blocked/browsers`, [999]);
      expect(bad).to.deep.equal({ status: 400, body: { message: "browsers: unknown browser id 999" } });
      expect((await call("PUT", `/campaigns/${id}/blocked/browsers`, { ids: [1] })).status).to.equal(400);
      expect((await call("PUT", `/campaigns/${id}/blocked/ip_ranges`, ["1.2.3"])).status).to.equal(400);
      expect((await call("DELETE", `/campaigns/${id}/targeted/countries/all`)).status).to.equal(404);
      expect((await call("PUT", "/campaigns/999999/targeted/browsers", [1])).status).to.equal(404);
      const detail = (await call("GET", `/campaigns/${id}?detailed=true`)).body.result;
      expect(detail.browsers).to.deep.equal({ targeted: [], blocked: [] });
      expect(detail.zone_targeting).to.deep.equal({ type: 2, network_selection: 0, partner_networks: 0 });
      expect(detail.campaign.calculated_status).to.deep.equal({ id: 2, status: "Paused" });
    });

    it("refuses a bad day parting, an unknown timezone, a cap without its window, an unknown device type", async () => {
      const id = await campaign();
      const refused = async (body: unknown) => (await call("PUT", `/campaigns/${id}`, body)).body.message;
      expect(await refused({ day_parting: { timezone: "Mars/Olympus", parting: [] } })).to.match(/unknown timezone/);
      expect(await refused({ day_parting: { timezone: "UTC", parting: [{ day: 0, hours: [1] }] } })).to.match(/day must be 1/);
      expect(await refused({ frequency_capping: { enabled: true, impressions: 3 } })).to.match(/impressions and minutes/);
      expect(await refused({ device_types: { type: "targeted", elements: [42] } })).to.match(/unknown device type 42/);
      expect(await refused({ zone_targeting: { type: 5 } })).to.match(/zone_targeting: type must be one of 0, 1, 2/);
    });
  });
});
