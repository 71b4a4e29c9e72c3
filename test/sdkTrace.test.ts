import { expect } from "chai";
import * as sinon from "sinon";
import * as path from "path";
import { promiseStacksWanted, withoutPromiseStacks, withoutRegistrationTrace } from "../provider/core/engine/sdkTrace";
import { exoclick } from "../provider";
import { runChild } from "./support/processes";
import { keepUserFrameOnly } from "../provider/core/engine/reference";

// The frames Resource.callsites() sees, by the same names: [callsites, stackTrace, Resource, CustomResource, <base class> (this file as baseFile)], then the caller.
function callsites(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Infinity;
  try {
    return new Error().stack!;
  } finally {
    Error.stackTraceLimit = limit;
  }
}
const stackTrace = () => callsites();
const resource = () => stackTrace();
const customResource = () => resource();
const base = () => customResource();
function usersProgram(): string {
  return base();
}

type Debuggable = { debuggablePromise: (p: Promise<unknown>, ctx: string) => Promise<unknown> };
const debuggable = (): Debuggable => require("@pulumi/pulumi/runtime/debuggable");

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

  it("a resource's stack: only the user's frame goes through the installed formatter (source maps), the SDK's five are written plainly", () => {
    const prepare = Error.prepareStackTrace;
    const seen: string[][] = [];
    // Stands for source-map-support: marks the frames it formats.
    Error.prepareStackTrace = (e, frames) => (seen.push(frames.map((f) => String(f.getFunctionName()))), `${e}${frames.map((f) => `\n    at MAPPED ${f}`).join("")}`);
    const restore = keepUserFrameOnly(__filename);
    let stack: string;
    try {
      stack = usersProgram();
    } finally {
      restore();
      Error.prepareStackTrace = prepare;
    }
    const lines = stack.split("\n");
    expect(lines).to.have.length(7);
    expect(lines.slice(1, 6).every((l) => /^ {4}at /.test(l) && !l.includes("MAPPED"))).to.equal(true);
    expect(lines[1]).to.contain("callsites");
    expect(lines[6]).to.match(/^ {4}at MAPPED usersProgram .*sdkTrace\.test\.js:\d+:\d+/);
    expect(seen).to.deep.equal([["usersProgram"]]);
    // Another stack (not a resource's) goes to the formatter whole.
    Error.prepareStackTrace = (e, frames) => (seen.push(frames.map((f) => String(f.getFunctionName()))), "whole");
    const again = keepUserFrameOnly(__filename);
    try {
      expect(new Error("x").stack).to.equal("whole");
    } finally {
      again();
      Error.prepareStackTrace = prepare;
    }
  });

  describe("the SDK's per-promise stacks (withoutPromiseStacks)", () => {
    let prepare: typeof Error.prepareStackTrace;
    let formatted: number;
    beforeEach(() => {
      prepare = Error.prepareStackTrace;
      formatted = 0;
      // Stands for source-map-support's hook (the SDK's runner installs it): counts the traces it formats.
      Error.prepareStackTrace = (e, frames) => {
        formatted++;
        return `${e}${frames.map((f) => `\n    at ${f}`).join("")}`;
      };
    });
    afterEach(() => {
      Error.prepareStackTrace = prepare;
    });

    it("records no stack and formats none, with the same promise and its leak tracking, and restores depth and formatter", async () => {
      const limit = Error.stackTraceLimit;
      const wrapped = withoutPromiseStacks(debuggable().debuggablePromise);
      const p = Promise.resolve(42);
      const out = wrapped(p, "ctx");
      expect((p as any)._debugStackTrace).to.equal("Error");
      expect((p as any)._debugCtx).to.equal("ctx");
      expect(formatted).to.equal(0);
      expect(await out).to.equal(42);
      expect(Error.stackTraceLimit).to.equal(limit);
      // The user's own errors: full depth, through the installed formatter.
      const mine = new Error("mine").stack!;
      expect(formatted).to.equal(1);
      expect(mine.split("\n")[1]).to.contain("sdkTrace.test");
    });

    it("the SDK's own (unwrapped) call formats a trace per promise: what the wrapper saves", () => {
      const p = Promise.resolve(1);
      void require("@pulumi/pulumi/runtime/debuggable");
      // The SDK function as the SDK defines it: a fresh copy of the module, not the one this package wrapped.
      const id = require.resolve("@pulumi/pulumi/runtime/debuggable");
      const cached = require.cache[id];
      delete require.cache[id];
      try {
        const fresh: Debuggable = require("@pulumi/pulumi/runtime/debuggable");
        void fresh.debuggablePromise(p, "ctx");
      } finally {
        require.cache[id] = cached;
      }
      expect(formatted).to.equal(1);
      expect((p as any)._debugStackTrace).to.match(/^Error\n\s+at /);
    });

    it("restores depth and formatter when the wrapped call throws", () => {
      const limit = Error.stackTraceLimit;
      const hook = Error.prepareStackTrace;
      const wrapped = withoutPromiseStacks(() => {
        throw new Error("inside");
      });
      expect(() => wrapped()).to.throw("inside");
      expect(Error.stackTraceLimit).to.equal(limit);
      expect(Error.prepareStackTrace).to.equal(hook);
    });

    it("is on once a resource of this package is constructed, unless PULUMI_DEBUG_PROMISE_LEAKS or ADNET_PROMISE_STACKS=1", async function () {
      this.timeout(60_000);
      expect(promiseStacksWanted({})).to.equal(false);
      expect(promiseStacksWanted({ ADNET_PROMISE_STACKS: "0" })).to.equal(false);
      expect(promiseStacksWanted({ ADNET_PROMISE_STACKS: "1" })).to.equal(true);
      expect(promiseStacksWanted({ PULUMI_DEBUG_PROMISE_LEAKS: "true" })).to.equal(true);
      // In this process (neither set): constructing a resource installed it.
      try {
        new exoclick.LibraryUrl("y", { url: "https://example.com" }, { parent: {} as any });
      } catch {
        // parent is not a valid Resource: constructed far enough to install.
      }
      formatted = 0;
      const p = Promise.resolve(1);
      void debuggable().debuggablePromise(p, "ctx");
      expect((p as any)._debugStackTrace).to.equal("Error");
      expect(formatted).to.equal(0);
      // With the switch: the SDK's stacks stay (a fresh process, as the switch is read once).
      const script = [
        `const { exoclick } = require(${JSON.stringify(path.resolve(__dirname, "..", "provider"))});`,
        `try { new exoclick.LibraryUrl("y", { url: "https://example.com" }, { parent: {} }); } catch {}`,
        `const p = Promise.resolve(1);`,
        `require("@pulumi/pulumi/runtime/debuggable").debuggablePromise(p, "ctx");`,
        `console.log(JSON.stringify(p._debugStackTrace));`,
      ].join("\n");
      const kept = await runChild(process.execPath, ["-e", script], { cwd: path.resolve(__dirname, "..", ".."), env: { ...process.env, ADNET_PROMISE_STACKS: "1" } });
      expect(JSON.parse(kept.stdout.trim().split("\n").pop()!)).to.match(/^Error\n\s+at /);
    });
  });
});
