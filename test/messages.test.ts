/**
 * Error messages a team meets in its first week (issue #24 §7): short
 * echoes of long values, "is required" rather than `value {<nil>}`, the
 * nearest name for a typo, the setting behind a 401, `pulumi refresh` for an
 * object deleted outside Pulumi, no text repeated after itself.
 */
import { expect } from "chai";
import * as registry from "../provider/registry";
import { useSandbox } from "./support/sandbox";
import { EXOCLICK_SANDBOX_CREDENTIALS, ExoClickSandbox } from "../provider/sandbox/exoclick";
import { ApiError } from "../provider/core/http/errors";
import { offerArgs } from "../examples/affise-offer/program";
import { applyStackConfig } from "../provider/core/config/config";

const exoCampaign = { name: "Messages", size: "300x250", pricing: { model: 4, price: 3 } };
const topsort = {
  vendorId: "vendor-42", name: "Messages", adFormat: "listing", campaignType: "manual", chargeType: "CPC",
  budget: { amount: 1000, type: "daily" }, startDate: "2027-03-01T00:00:00Z", endDate: "2027-03-31T23:59:59Z",
};

async function failures(key: string, news: Record<string, unknown>) {
  return (await registry.get(key).check({}, news)).failures ?? [];
}

describe("error messages", () => {
  it("a 10,000-character name: the reason names the field and the length; no property, so Pulumi does not print the value beside it", async () => {
    const f = await failures("exoclick:Campaign", { ...exoCampaign, name: "n".repeat(10_000) });
    expect(f).to.deep.equal([{ property: "", reason: "name must be at most 255 characters, got 10000" }]);
  });

  it("3,000 bids: one short reason, no property (Pulumi printed a 140,100-character line)", async () => {
    const bids = Array.from({ length: 3000 }, (_, i) => ({ amount: 1, target: { id: `sku-${i}` } }));
    const f = await failures("topsort:Campaign", { ...topsort, bids });
    expect(f).to.have.length(1);
    expect(f[0].property).to.equal("");
    expect(f[0].reason).to.match(/^bids must have at most \d+ items, got 3000$/);
  });

  it("a long value inside a message is echoed to 200 characters, then its length", async () => {
    const f = await failures("exoclick:Campaign", { ...exoCampaign, mediaStorageTemplate: "x".repeat(5000) } as any);
    expect(f).to.have.length(1);
    expect(f[0].property).to.equal("");
    expect(f[0].reason).to.contain(`got the string "${"x".repeat(200)}"… (5000 characters)`);
    expect(f[0].reason.length).to.be.below(500);
  });

  it("a required field given as null says it is required, without `value {<nil>}` (no property)", async () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ["exoclick:Campaign", { ...exoCampaign, name: null }, "name is required"],
      ["exoclick:Campaign", { ...exoCampaign, pricing: null }, "pricing is required"],
      ["exoclick:LibraryUrl", { url: null }, "url is required"],
      ["integr8:OfferApplication", { offerId: null }, "offerId is required"],
    ];
    for (const [key, news, reason] of cases) {
      const f = await failures(key, news);
      expect(f.find((x: any) => x.reason.startsWith(reason)), `${key}: ${JSON.stringify(f)}`).to.deep.include({ property: "" });
    }
  });

  it("an unknown field suggests the nearest one: targetting -> targeting", async () => {
    const f = await failures("affise:Offer", { ...offerArgs(), targetting: [] } as any);
    expect(f.map((x: any) => x.reason)).to.include('unknown field targetting (did you mean "targeting"?); allowed fields are ' + f.find((x: any) => x.reason.startsWith("unknown field"))!.reason.split("allowed fields are ")[1]);
  });

  it("an unknown value suggests the allowed one: UK -> GBR and GER -> DEU (ExoClick, alpha-3), UK -> GB (Affise, alpha-2), Active -> active", async () => {
    const country = async (c: string) => (await failures("exoclick:Campaign", { ...exoCampaign, countries: { type: "targeted", elements: [{ country: c }] } }))[0]?.reason;
    expect(await country("UK")).to.equal('countries.elements[0].country must be an ISO 3166-1 alpha-3 code such as "USA", "DEU" or "GBR"; got "UK" (did you mean "GBR"?)');
    expect(await country("GER")).to.contain('got "GER" (did you mean "DEU"?)');
    expect(await country("DE")).to.contain('got "DE" (did you mean "DEU"?)');
    expect(await country("Germany")).to.contain('(did you mean "DEU"?)');
    expect(await country("QQQ")).not.to.contain("did you mean");
    const base = offerArgs() as any;
    const affiseCountry = (await failures("affise:Offer", { ...base, payments: [{ ...base.payments[0], countries: ["UK"] }] }))[0]?.reason;
    expect(affiseCountry).to.contain('got "UK" (did you mean "GB"?)');
    const status = (await failures("affise:Offer", { ...base, status: "Active" }))[0]?.reason;
    expect(status).to.contain('got the string "Active" (did you mean "active"?)');
  });

  describe("answers of the network", () => {
    const ctx = useSandbox((sb) => ({ "exoclick:baseUrl": `${sb.urlFor("exoclick")}/v2`, "exoclick:apiToken": EXOCLICK_SANDBOX_CREDENTIALS.apiToken }));

    it("a 401 names the setting that holds the credential", async () => {
      applyStackConfig({ "exoclick:apiToken": "wrong-token-123" }, ["exoclick:apiToken"]);
      const p = registry.get("exoclick:Campaign");
      const err: any = await p.create((await p.check({}, exoCampaign)).inputs!).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ApiError);
      expect(err.status).to.equal(401);
      expect(err.message).to.contain("ExoClick did not accept the credential: check exoclick:apiToken or exoclick:password (pulumi config set --secret exoclick:apiToken <value>; or the environment: EXOCLICK_API_TOKEN or EXOCLICK_PASSWORD)");
      expect(err.message).not.to.contain("wrong-token-123");
    });

    it("a read that fails (a refresh, whose preview Pulumi reports as \"Preview failed\") says what failed and that nothing changed", async () => {
      const p = registry.get("exoclick:Campaign");
      const { id, outs } = await p.create((await p.check({}, exoCampaign)).inputs!);
      applyStackConfig({ "exoclick:apiToken": "wrong-token-456" }, ["exoclick:apiToken"]);
      require("../provider/exoclick/client").clearTokenCache();
      const err: any = await p.read(id, outs).catch((e: unknown) => e);
      expect(err.message).to.match(new RegExp(`^could not read exoclick\\.Campaign ${id} from the network, so the stack was left as it was \\(a refresh changes nothing until every read succeeds\\): ExoClick API error 401 `));
    });

    it("a 404 on an object deleted outside Pulumi says to run `pulumi refresh`", async () => {
      const p = registry.get("exoclick:Campaign");
      const inputs = (await p.check({}, exoCampaign)).inputs!;
      const { id, outs } = await p.create(inputs);
      // Deleted in the dashboard: gone from the account.
      delete ctx.sb.network<ExoClickSandbox>("exoclick").data.campaigns[id];
      const news = (await p.check(outs, { ...exoCampaign, name: "Messages renamed" })).inputs!;
      const err: any = await p.update(id, outs, news).catch((e: unknown) => e);
      expect(err.status).to.equal(404);
      expect(err.message).to.contain("if the object was deleted outside Pulumi (in the dashboard), run `pulumi refresh` to drop it from the stack, then `pulumi up` to create it again");
      // The base URL answered this run before: it is not blamed.
      expect(err.message).not.to.contain("base URL");
    });

    it("a base URL with a wrong path: the 404 on login names the base URL and its setting, never `pulumi refresh`; a read then fails instead of dropping the resource", async () => {
      const p = registry.get("exoclick:Campaign");
      const inputs = (await p.check({}, exoCampaign)).inputs!;
      const { id, outs } = await p.create(inputs);
      const wrong = `${ctx.sb.urlFor("exoclick")}/v1`;
      applyStackConfig({ "exoclick:baseUrl": wrong }, ["exoclick:baseUrl"]);
      require("../provider/exoclick/client").clearTokenCache();
      require("../provider/core/http/http").resetReachability();
      const err: any = await p.create(inputs).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ApiError);
      expect(err.status).to.equal(404);
      expect(err.message).to.contain(`ExoClick answered 404 Not Found to its login (POST ${wrong}/login), so the base URL ${wrong} is wrong`);
      expect(err.message).to.contain("check stack config exoclick:baseUrl (pulumi config set exoclick:baseUrl <url>) or environment EXOCLICK_BASE_URL");
      expect(err.message).not.to.contain("refresh");
      // A refresh's read: the login's 404 is not "the object is gone" (it would drop the resource from state).
      const read: any = await p.read(id, outs).catch((e: unknown) => e);
      expect(read).to.be.instanceOf(Error);
      expect(read.message).to.contain("so the stack was left as it was");
      expect(read.message).to.contain(`the base URL ${wrong} is wrong`);
    });

    it("a create answered 404 (Affise, no login: the first request of the run) names the base URL and is never told to refresh", async () => {
      const wrong = `${ctx.sb.urlFor("affise")}/api`;
      applyStackConfig({ "affise:baseUrl": wrong, "affise:apiKey": "sandbox-affise-api-key" }, ["affise:baseUrl", "affise:apiKey"]);
      const p = registry.get("affise:Offer");
      const { creatives: _files, ...offer } = offerArgs() as Record<string, unknown>;
      const checked = await p.check({}, offer);
      expect(checked.failures).to.deep.equal([]);
      const err: any = await p.create(checked.inputs!).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ApiError);
      expect(err.status).to.equal(404);
      expect(err.message).to.contain(`the address the create posts to was not found on Affise: check that the objects it names exist (an id another resource gave), and the base URL ${wrong} (stack config affise:baseUrl`);
      expect(err.message).not.to.contain("refresh");
    });
  });
});
