import { expect } from "chai";
import * as path from "path";
import { countAny } from "../scripts/count-any";

/**
 * The `any` type keywords in provider/ (issue #31 item 5): 231 when the
 * language host moved in, 156 after the deployment, caught-error and record
 * types, 164 with the language host's package requests (untyped gRPC
 * requests), 165 after main's plugin and type-key work merged in, 107 with
 * the sandbox's requests, stored objects and network errors typed, 14 with
 * the plugin and language host typed against the generated proto classes
 * and core's engine, journal and guards, 5 with the dynamic host's
 * patched handlers typed; the target is 60. The ceiling only comes down: a change
 * that adds an `any` fails here, one that removes some lowers the figure.
 */
const CEILING = 5;

describe("the any type keywords in provider/ (scripts/count-any.ts)", () => {
  it(`stay at or below ${CEILING}`, () => {
    const { total, rows } = countAny(path.resolve(__dirname, "..", "..", "provider"));
    expect(rows.length).to.be.greaterThan(100);
    expect(total, rows.slice(0, 10).map((r) => `${r.any} ${r.f}`).join("\n")).to.be.at.most(CEILING);
  });

  it("counts the keyword only, by the TypeScript parser (not in comments or strings)", () => {
    const { total } = countAny(path.resolve(__dirname, "..", "..", "test", "fixtures", "count-any"));
    expect(total).to.equal(3);
  });
});
