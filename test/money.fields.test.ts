/**
 * One money convention, one declaration per field: every amount of every
 * resource declares `money` (programs give major units; the network's wire
 * unit derives from it), and nothing says a money unit another way.
 */
import { expect } from "chai";
import { definition, types } from "../provider/registry";
import { checkFields, docTable, Field, Fields } from "../provider/core/schema/schema";
import { Checker } from "../provider/core/schema/validate";

/** Every field of every resource, nested, with its path. */
function allFields(): Array<{ path: string; field: Field }> {
  const out: Array<{ path: string; field: Field }> = [];
  const walk = (fields: Fields, prefix: string) => {
    for (const [k, field] of Object.entries(fields)) {
      const path = `${prefix}.${k}`;
      out.push({ path, field });
      const item = field.kind === "list" ? field.items : undefined;
      if (item) out.push({ path: `${path}[]`, field: item });
      if (field.kind === "object") walk(field.fields, path);
      if (item?.kind === "object") walk(item.fields, `${path}[]`);
    }
  };
  for (const t of types()) walk(definition(t)!.fields, t);
  return out;
}

const MONEY_WORDS = /cent|currenc|dollar|euro|minor unit|major unit|money|\$/i;
const MONEY_ROLES = ["bid", "dailyBudget", "totalBudget", "budget"];

describe("money fields: one convention, one declaration", () => {
  const fields = allFields();

  it("every field with a money spend role (bid, budgets) declares its wire unit with `money`", () => {
    expect(fields.length).to.be.greaterThan(200);
    const missing = fields.filter(({ field }) => field.spend && MONEY_ROLES.includes(field.spend) && !field.money).map((x) => x.path);
    expect(missing).to.deep.equal([]);
  });

  it("no field says a money unit any other way: no money-like `unit`, no `scale`", () => {
    const bad = fields.filter(({ field }) => (field.unit !== undefined && (field.money || MONEY_WORDS.test(field.unit))) || "scale" in field).map((x) => `${x.path}: unit ${JSON.stringify(field(x).unit)}`);
    expect(bad).to.deep.equal([]);
    function field(x: { field: Field }) {
      return x.field;
    }
  });

  it("the docs tables give every money field's unit from its declaration, and every other declared unit", () => {
    for (const t of types()) {
      const table = docTable(definition(t)!.fields);
      for (const line of table.split("\n").slice(2)) {
        const cells = line.split(" | ");
        expect(cells.length, `${t}: ${line}`).to.be.greaterThan(6);
      }
    }
    const exo = docTable(definition("exoclick:Campaign")!.fields);
    for (const f of ["maxDailyBudget", "totalBudgetLimit", "pricing.price", "zones[].price", "totalBudgetSpent"]) {
      expect(exo, f).to.match(new RegExp(`\\| \`${f.replace(/[[\].]/g, "\\$&")}\` \\| [^|]+ \\| major units, to 2 decimals whatever the currency \\(sent in cents, x 100\\) \\|`));
    }
    expect(exo).to.match(/\| `maxDailyImpressions` \| [^|]+ \| impressions per day \|/);
    expect(exo).to.match(/\| `dayParting\.parting\[\]\.hours` \| [^|]+ \| hour of the day/);
    expect(docTable(definition("topsort:Campaign")!.fields)).to.match(/\| `bids\[\]\.amount` \| [^|]+ \| major units, to the currency's decimals \(sent in the currency's minor units/);
    expect(docTable(definition("affise:Offer")!.fields)).to.match(/\| `payments\[\]\.revenue` \| [^|]+ \| major units, to the currency's decimals \(sent as is\)/);
  });

  it("every amount follows its network's precision: more decimals than it stores are refused at check (major units too), in the amount's own currency", () => {
    /** The failures of one field of a type, given alone. */
    const failures = (key: string, field: string, value: unknown, currency = "USD") => {
      const c = new Checker(key);
      c.currency = currency;
      checkFields(c, { [field]: definition(key)!.fields[field] }, { [field]: value });
      return c.failures.map((f) => f.reason);
    };
    const payout = (revenue: number, currency: string) => [{ currency, type: "fixed", revenue }];
    // Affise takes major units: 2 decimals for USD, 0 for JPY, 3 for KWD (the payout's own currency, not the account's).
    expect(failures("affise:Offer", "payments", payout(1.25, "USD"))).to.deep.equal([]);
    expect(failures("affise:Offer", "payments", payout(1.255, "USD"))).to.deep.equal(["payments[0].revenue is an amount in major units of the currency (USD), which the network takes to 2 decimals; got 1.255"]);
    expect(failures("affise:Offer", "payments", payout(1.5, "JPY"))).to.deep.equal(["payments[0].revenue is an amount in major units of the currency (JPY), which the network takes to whole units; got 1.5"]);
    expect(failures("affise:Offer", "payments", payout(1.255, "KWD"))).to.deep.equal([]);
    // Interchange's budget names its currency.
    expect(failures("interchange:Campaign", "budget", { total: 5000.5, currency: "USD" })).to.deep.equal([]);
    expect(failures("interchange:Campaign", "budget", { total: 5000.123, currency: "USD", dailyCap: 250.001 })).to.deep.equal([
      "budget.total is an amount in major units of the currency (USD), which the network takes to 2 decimals; got 5000.123",
      "budget.dailyCap is an amount in major units of the currency (USD), which the network takes to 2 decimals; got 250.001",
    ]);
    // ExoClick stores cents whatever the currency: 2 decimals of a yen are kept, a third is not.
    expect(failures("exoclick:Campaign", "totalBudgetLimit", 20.05, "JPY")).to.deep.equal([]);
    expect(failures("exoclick:Campaign", "totalBudgetLimit", 20.005, "JPY")).to.have.length(1);
  });
});

describe("amounts that look like the wrong unit (core/money/moneyCheck.ts)", () => {
  const { moneyChecks, outliers } = require("../provider/core/money/moneyCheck") as typeof import("../provider/core/money/moneyCheck");
  const { amountsOf } = require("../provider/core/money/moneyCheck") as typeof import("../provider/core/money/moneyCheck");
  const def = definition("exoclick:Campaign")!;
  const campaign = (maxDailyBudget: number) => ({ name: "c", status: 1, size: "300x250", pricing: { model: 4, price: 3 }, dailyLimitType: 1, maxDailyBudget });
  const run = (olds: Record<string, unknown>, news: Record<string, unknown>, confirmed?: string[], flagged?: any[]) => {
    const c = new Checker("exoclick.Campaign");
    moneyChecks(def, olds, news, c, olds, "USD", { name: "c", confirmed, flagged });
    return c.failures.map((f) => f.reason);
  };

  it("a new amount above the field's plausible ceiling, or one that rises 50 times, is refused unless adnetworks:confirmAmounts names it; an amount the stack holds never is", () => {
    const [above] = run({}, campaign(1750));
    expect(above).to.equal(`maxDailyBudget is 1,750.00 USD, above the 1,000.00 USD a exoclick.Campaign maxDailyBudget plausibly holds, which looks like the wrong unit: amounts are in major units of the currency (1.00 USD is written 1). If 1,750.00 USD is meant, confirm it in adnetworks:confirmAmounts ("c.maxDailyBudget", or "c" for every amount of c), e.g. pulumi config set adnetworks:confirmAmounts '["c.maxDailyBudget"]'`);
    expect(run({}, campaign(17.5))).to.deep.equal([]);
    expect(run({}, campaign(1750), ["c.maxDailyBudget"])).to.deep.equal([]);
    expect(run({}, campaign(1750), ["c"])).to.deep.equal([]);
    // Changed: 17.50 -> 875.00 (x50) is refused though under the ceiling; back down is not (it is how the mistake is put right).
    expect(run(campaign(17.5), campaign(875))[0]).to.match(/^maxDailyBudget goes from 17\.50 USD to 875\.00 USD \(x50\), which looks like the wrong unit/);
    expect(run(campaign(875), campaign(17.5))).to.deep.equal([]);
    // Held by the stack already: not judged again.
    expect(run(campaign(1750), campaign(1750))).to.deep.equal([]);
  });

  it("the program's own amounts: only an amount far above the median is flagged (9, 9 and 900 flag 900, never a 9)", () => {
    const placed = (values: number[]) => values.map((v, i) => ({ group: "exoclick:Campaign|default|USD|maxDailyBudget", name: `c${i}`, amount: amountsOf(def.fields, campaign(v), "", "", "USD").find((a) => a.field === "maxDailyBudget")! }));
    const found = outliers(placed([9, 9, 900]));
    expect([...found.keys()]).to.deep.equal(["c2"]);
    expect(found.get("c2")).to.deep.equal([{ path: "maxDailyBudget", value: 900, message: "maxDailyBudget is 900.00 USD, 100 times the median of the program's 3 exoclick.Campaign maxDailyBudget (9.00 USD)" }]);
    expect([...outliers(placed([20, 25, 30, 40])).keys()]).to.deep.equal([]);
    expect([...outliers(placed([20, 2000])).keys()]).to.deep.equal([]); // two amounts: not enough to tell which is meant
    // The host refuses a flagged amount when new, unless confirmed.
    expect(run({}, campaign(900), undefined, found.get("c2"))[0]).to.match(/^maxDailyBudget is 900\.00 USD, 100 times the median .*which looks like the wrong unit/);
    expect(run({}, campaign(900), ["c"], found.get("c2"))).to.deep.equal([]);
    expect(run(campaign(900), campaign(900), undefined, found.get("c2"))).to.deep.equal([]);
  });
});
