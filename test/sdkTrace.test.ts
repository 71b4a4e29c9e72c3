import { expect } from "chai";
import * as sinon from "sinon";
import { withoutRegistrationTrace } from "../provider/core/engine/sdkTrace";
import { exoclick } from "../provider";

describe("Pulumi SDK costs per resource (core/engine/sdkTrace.ts, core/engine/reference.ts)", () => {
  const ours = "pulumi-nodejs:dynamic/exoclick:Campaign";
  const theirs = "pulumi-nodejs:dynamic:Resource";
  // The SDK's own lines (runtime/resource.js, 3.248), for one of ours and one dynamic resource of another package.
  const lines = (t: string, name: string) => [
    `Registering resource: t=${t}, name=${name}, custom=true, remote=false`,
    `RegisterResource RPC prepared: t=${t}, name=${name}`,
    `RegisterResource RPC finished: resource:${name}[${t}]; err: null, resp: urn`,
    `Resource RPC serialization requested: resource:${name}[${t}] is current`,
    `Resource RPC serialization requested: resource:${name}[${t}] is behind resource:other[${t}]`,
  ];

  it("drops the four registration trace lines of this package's types and sends everything else", async () => {
    const debug = sinon.stub().resolves(undefined);
    const quiet = withoutRegistrationTrace(debug, (t) => t === ours);
    for (const l of lines(ours, "c")) await quiet(l);
    expect(debug.callCount).to.equal(0);
    const kept = [
      ...lines(theirs, "d"),
      `RegisterResource RPC failed: t=${ours}, name=c, err=boom`,
      "a user's own debug line mentioning Registering resource: t=" + ours,
    ];
    for (const l of kept) await quiet(l, undefined, 3);
    expect(debug.args.map((a) => a[0])).to.deep.equal(kept);
    expect(debug.args[0].slice(1)).to.deep.equal([undefined, 3]);
  });

  it("a resource constructor restores the stack depth, and an error it throws carries the caller's frame", () => {
    const limit = Error.stackTraceLimit;
    let err: Error | undefined;
    try {
      new exoclick.LibraryUrl("x", { url: "https://example.com" }, { parent: {} as any });
    } catch (e: any) {
      err = e;
    }
    expect(Error.stackTraceLimit).to.equal(limit);
    expect(err?.message).to.match(/parent is not a valid Resource/);
    expect(err?.stack?.split("\n")[1]).to.contain("sdkTrace.test");
  });
});
