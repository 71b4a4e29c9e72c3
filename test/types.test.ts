/**
 * The resource classes' argument types, checked by the compiler: `npm run
 * build` (and so `npm test`) fails when a wrong value type-checks. Each
 * `@ts-expect-error` line must be an error: if the types accepted it, tsc
 * would report the directive as unused.
 */
import { expect } from "chai";
import { exoclick, topsort } from "pulumi-adnetworks";

type CampaignArgs = exoclick.CampaignArgs;

const ok: CampaignArgs = { name: "x", status: 1, pricing: { model: 4, price: 300 }, dailyLimitType: 0 };
// @ts-expect-error status takes its literals 0 | 1: 2 is not one
const badStatus: CampaignArgs = { name: "x", status: 2, pricing: { model: 4, price: 300 } };
// @ts-expect-error pricing.model takes 1 | 2 | 3 | 4 | 5: 9 is not one
const badModel: CampaignArgs = { name: "x", pricing: { model: 9, price: 300 } };
// @ts-expect-error a string enum takes its literals only, as before
const badTemplate: CampaignArgs = { name: "x", mediaStorageTemplate: "banner", pricing: { model: 4, price: 300 } };
// @ts-expect-error a number in a plain variable is a number, not a literal: give it the literal type
const widened: CampaignArgs = { name: "x", pricing: { model: Number("4"), price: 300 } };
const narrowed: CampaignArgs = { name: "x", pricing: { model: Number("4") as 1 | 2 | 3 | 4 | 5, price: 300 } };
type TopsortArgs = topsort.CampaignArgs;
// @ts-expect-error adFormat takes "listing" | "banner"
const badFormat: Partial<TopsortArgs> = { adFormat: "video" };

describe("resource argument types", () => {
  it("numeric enums are typed as their literals (checked by tsc at build; here, the values that compiled)", () => {
    expect([ok, badStatus, badModel, badTemplate, widened, narrowed, badFormat].length).to.equal(7);
  });
});
