import { expect } from "chai";
import { execFileSync } from "child_process";
import * as path from "path";
import { types } from "../provider/registry";

describe("every declared output exists, whether or not its input was given (Pulumi runtime mocks)", () => {
  let report: Record<string, any>;
  before(function () {
    this.timeout(120_000);
    // Mocks are process-global: probe in a child process.
    report = JSON.parse(execFileSync(process.execPath, [path.join(__dirname, "support", "outputs-probe.js")], { encoding: "utf8" }));
  });

  for (const key of types()) {
    it(`${key}: every field is an Output when only the required inputs are given`, () => {
      const r = report[key];
      expect(r, `${key} is declared with a field schema`).to.not.equal("no schema");
      expect(r.missing, `${key}: fields without an Output`).to.deep.equal([]);
      expect(r.fields).to.be.greaterThan(0);
      expect(r.id).to.equal(`r-${key.split(":")[1]}-id`);
    });
  }
});
