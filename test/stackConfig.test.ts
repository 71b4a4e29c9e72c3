import { expect } from "chai";
import { stackArgs, parentCli, verb, engineConfigMayBeStale } from "../provider/core/engine/stackConfig";

describe("current stack config: which stack the parent CLI works on", () => {
  it("takes --stack in every spelling the CLI accepts, or none (the selected stack)", () => {
    expect(stackArgs(["pulumi", "refresh", "--yes", "--stack", "dev"])).to.deep.equal(["--stack", "dev"]);
    expect(stackArgs(["pulumi", "destroy", "--stack=org/proj/prod"])).to.deep.equal(["--stack", "org/proj/prod"]);
    expect(stackArgs(["pulumi", "refresh", "-s", "qa"])).to.deep.equal(["--stack", "qa"]);
    expect(stackArgs(["pulumi", "up", "--yes"])).to.deep.equal([]);
  });

  it("asks the CLI on every command but a plain up or preview (whose configure() is current)", () => {
    const cli = "/x/.tools/bin/pulumi";
    expect(verb([cli, "-C", "prog", "refresh", "--stack", "dev"])).to.equal("refresh");
    expect(engineConfigMayBeStale([cli, "refresh", "--yes", "--stack", "dev"])).to.equal(true);
    expect(engineConfigMayBeStale([cli, "destroy", "--yes"])).to.equal(true);
    expect(engineConfigMayBeStale([cli, "up", "--yes", "--stack", "dev"])).to.equal(false);
    expect(engineConfigMayBeStale([cli, "--cwd", "p", "preview"])).to.equal(false);
    expect(engineConfigMayBeStale([cli, "up", "--refresh", "--yes"])).to.equal(true);
  });

  it("is undefined when the parent is not the pulumi CLI (tests, scripts)", () => {
    expect(parentCli()).to.equal(undefined);
  });
});
