/**
 * A field's `unit` and `lookup` (core/schema/schema.ts): where lookup values are
 * found in the inputs, and what the docs tables say.
 */
import { expect } from "chai";
import { docRows, f, lookupsOf } from "../provider/core/schema/schema";
import { UNKNOWN } from "../provider/core/schema/validate";

const fields = {
  name: f.string({ doc: "A name." }),
  browsers: f.object({
    targeted: f.list(f.integer({ lookup: "browsers", doc: "A browser id." }), { max: 10, doc: "Targeted." }),
  }, { doc: "Browsers." }),
  schedule: f.list(f.object({ timezone: f.string({ lookup: "timezones", doc: "A timezone." }) }, { doc: "An entry." }), { max: 5, doc: "Entries." }),
  perDay: f.integer({ unit: "impressions per day", min: 0, doc: "A cap." }),
  budget: f.integer({ money: "cents", min: 0, doc: "Budget." }),
  computed: f.string({ output: true, lookup: "never", doc: "An output is never looked up." }),
};

describe("schema: unit and lookup", () => {
  it("lookupsOf finds every known value of a lookup field, nested in objects and lists, with its path", () => {
    const refs = lookupsOf(fields, {
      name: "x", browsers: { targeted: [1, UNKNOWN, 3] }, schedule: [{ timezone: "UTC" }, { timezone: UNKNOWN }], perDay: 5, budget: 5, computed: "y",
    });
    expect(refs).to.deep.equal([
      { path: "browsers.targeted[0]", list: "browsers", value: 1 },
      { path: "browsers.targeted[2]", list: "browsers", value: 3 },
      { path: "schedule[0].timezone", list: "timezones", value: "UTC" },
    ]);
    expect(lookupsOf(fields, { browsers: UNKNOWN })).to.deep.equal([]);
    expect(lookupsOf(fields, undefined)).to.deep.equal([]);
  });

  it("the docs tables show a field's unit and the list its values come from", () => {
    const rows = docRows(fields).join("\n");
    // The unit column: a declared unit, or a money field's convention (derived from `money`, never declared twice).
    expect(rows).to.contain("| `perDay` | whole number | impressions per day | optional | `perDay` | >= 0 |");
    expect(rows).to.contain("| `budget` | amount | major units, to 2 decimals whatever the currency (sent in cents, x 100) | optional | `budget` | >= 0 |");
    expect(rows).to.contain("| `browsers.targeted` | list of whole number | — | optional | `targeted` | 0–10 items; each in the network's `browsers` list (looked up at preview; an id or an entry's name; `npx adnet-lists` prints it) |");
    expect(rows).to.contain("| `schedule[].timezone` | string | — | optional | `timezone` | in the network's `timezones` list (looked up at preview; `npx adnet-lists` prints it) |");
  });
});
