import { expect } from "chai";
import { stackArgs, parentCli } from "../provider/core/stackConfig";

describe("current stack config: which stack the parent CLI works on", () => {
  it("takes --stack in every spelling the CLI accepts, or none (the selected stack)", () => {
    expect(stackArgs(["pulumi", "refresh", "--yes", "--stack", "dev"])).to.deep.equal(["--stack", "dev"]);
    expect(stackArgs(["pulumi", "destroy", "--stack=org/proj/prod"])).to.deep.equal(["--stack", "org/proj/prod"]);
    expect(stackArgs(["pulumi", "refresh", "-s", "qa"])).to.deep.equal(["--stack", "qa"]);
    expect(stackArgs(["pulumi", "up", "--yes"])).to.deep.equal([]);
  });

  it("is undefined when the parent is not the pulumi CLI (tests, scripts)", () => {
    expect(parentCli()).to.equal(undefined);
  });
});
