import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as registry from "../provider/registry";
import { providerReference, typeToken } from "../provider/core/engine/reference";
import { ROOT } from "../scripts/lib/engine";

// What Pulumi's stock dynamic-provider host does with `__provider`
// (@pulumi/pulumi/cmd/dynamic-provider: getProvider).
const requireFromString = require("require-from-string");
const load = (text: string) => requireFromString(text).handler();

const METHODS = ["configure", "check", "diff", "create", "read", "update", "delete"];

describe("provider reference (the __provider text in state)", () => {
  it("is at most 128 bytes for every type and names only the type", () => {
    for (const key of registry.types()) {
      const text = providerReference(key);
      expect(Buffer.byteLength(text), key).to.be.at.most(128);
      // The number is the version of the state's shape (core/engine/upgrade.ts).
      expect(text).to.equal(`exports.handler=()=>require("pulumi-adnetworks/host").provider(${JSON.stringify(key)},1)`);
      for (const s of [ROOT, os.homedir(), os.tmpdir(), "token", "password"]) expect(text).not.to.contain(s);
    }
  });

  it("the stock host's loader turns it into a provider with every method, one object per type", () => {
    for (const key of registry.types()) {
      const p = load(providerReference(key));
      for (const m of METHODS) expect(p[m], `${key}.${m}`).to.be.a("function");
      expect(load(providerReference(key))).to.equal(p);
    }
  });

  it("its methods run the installed implementation (check validates without the network)", async () => {
    const p = load(providerReference("exoclick:LibraryUrl"));
    const ok = await p.check({}, { url: "https://example.com/a", __provider: providerReference("exoclick:LibraryUrl") });
    expect(ok.failures).to.deep.equal([]);
    expect(ok.inputs.url).to.equal("https://example.com/a");
    const bad = await p.check({}, { url: "example.com" });
    expect(bad.failures.map((f: any) => f.property)).to.deep.equal(["url"]);
  });

  it("an unknown type fails its first call with a clear message", async () => {
    const p = load(providerReference("nope:Thing"));
    expect(() => p.check({}, {})).to.throw(/no resource type nope:Thing/);
  });

  it("the serialized closures in state written by the previous version still load and work", async () => {
    const fixture = JSON.parse(fs.readFileSync(path.join(ROOT, "test", "fixtures", "state-v0.1.0", "stack.json"), "utf8"));
    const old = fixture.deployment.resources.filter((r: any) => r.type.startsWith("pulumi-nodejs:dynamic/"));
    expect(old).to.have.length(4);
    for (const r of old) {
      const p = load(r.outputs.__provider);
      for (const m of METHODS) expect(p[m], `${r.type}.${m}`).to.be.a("function");
    }
    const url = old.find((r: any) => r.type.endsWith(":LibraryUrl"));
    const res = await load(url.outputs.__provider).check(url.inputs, url.inputs);
    expect(res.failures).to.deep.equal([]);
  });

  it("diff of state holding the old closure reports a change and no replacement; update then sends nothing", async () => {
    const fixture = JSON.parse(fs.readFileSync(path.join(ROOT, "test", "fixtures", "state-v0.1.0", "stack.json"), "utf8"));
    const campaign = fixture.deployment.resources.find((r: any) => r.type.endsWith(":Campaign"));
    const p = load(providerReference("exoclick:Campaign"));
    // The old state holds cents (2000, 300); the program now says 20.00 and 3.00.
    expect([campaign.inputs.maxDailyBudget, campaign.inputs.pricing.price]).to.deep.equal([2000, 300]);
    const news = { ...campaign.inputs, maxDailyBudget: 20, pricing: { ...campaign.inputs.pricing, price: 3 }, __provider: providerReference("exoclick:Campaign") };
    const d = await p.diff(campaign.id, campaign.outputs, news);
    expect(d.changes).to.equal(true);
    expect(d.replaces).to.deep.equal([]);
    // No client is configured: any request would fail this call.
    const u = await p.update(campaign.id, campaign.outputs, news);
    const { __provider: _o, ...was } = campaign.outputs;
    expect(u.outs).to.deep.equal({ ...was, maxDailyBudget: 20, pricing: { ...was.pricing, price: 3 } });
    // Same text on both sides: no change.
    expect((await p.diff(campaign.id, { ...u.outs, __provider: news.__provider }, news)).changes).to.equal(false);
  });

  it("type tokens are the ones dynamic.Resource used, so URNs do not change", () => {
    expect(typeToken("exoclick:Campaign")).to.equal("pulumi-nodejs:dynamic/exoclick:Campaign");
  });
});
