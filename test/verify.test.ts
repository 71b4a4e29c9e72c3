/**
 * Credentials verified at preview (issue #30): `check` in the provider host
 * makes the network's cheapest authenticated call once per account when
 * the resource has a change to make, fails with the key to set, says it once.
 */
import { expect } from "chai";
import * as registry from "../provider/registry";
import { useSandbox } from "./support/sandbox";
import { applyStackConfig, setProviderHost, SettingSpec } from "../provider/core/config/config";
import { contextFor } from "../provider/core/config/context";
import { NETWORKS } from "../provider/networks";
import { sandboxConfig } from "../provider/sandbox/config";
import type { NetworkDef } from "../provider/core/config/network";
import { PLAN_KEY, Plan } from "../provider/core/guard/plan";
import { resetHostGuard } from "../provider/core/guard/hostGuard";

/** Every network's sandbox config, as plain values. */
function allConfig(urlFor: (n: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of NETWORKS) for (const [k, v] of Object.entries(sandboxConfig(n.name, urlFor(n.name)))) out[k] = v.value;
  return out;
}

describe("credentials verified at preview", () => {
  const ctx = useSandbox((sb) => allConfig((n) => sb.urlFor(n)));
  beforeEach(() => setProviderHost(true));
  afterEach(() => setProviderHost(false));
  const requests = (from: number) => ctx.sb.journal.slice(from).map((r) => `${r.network} ${r.method} ${r.path} ${r.status}`);

  it("each network's verification is one authenticated request: accepted with the sandbox's key, refused (401) with a wrong one", async () => {
    for (const n of NETWORKS as ReadonlyArray<NetworkDef<any, any>>) {
      expect(n.verify, `${n.name} declares verify`).to.be.a("function");
      let from = ctx.sb.journal.length;
      await n.verify!(contextFor(n).client);
      const ok = requests(from);
      expect(ok, n.name).to.have.length(1);
      expect(ok[0], n.name).to.match(/ 200$/);
      const secret = (Object.values(n.settings) as SettingSpec[]).find((s) => s.secret)!;
      applyStackConfig({ [secret.key]: `wrong-${n.name}-key-0000` }, [secret.key]);
      from = ctx.sb.journal.length;
      const err: any = await n.verify!(contextFor(n).client).catch((e) => e);
      expect(err?.status, `${n.name}: ${err?.message}`).to.be.oneOf([401, 403]);
      expect(requests(from), n.name).to.have.length(1);
    }
  });

  it("a wrong key fails the check of a new resource, naming the key to set, once in full; the account's other resources say it in a line; 1 request in all", async () => {
    applyStackConfig({ "exoclick:apiToken": "wrong-token-7c1e" }, ["exoclick:apiToken"]);
    const p = registry.get("exoclick:LibraryUrl");
    const from = ctx.sb.journal.length;
    const [a, b, c] = await Promise.all(["https://a.example", "https://b.example", "https://c.example"].map((url) => p.check({}, { url })));
    const reasons = [a, b, c].map((r) => r.failures!.map((f) => f.reason));
    const full = reasons.filter((r) => r.length === 1 && r[0].startsWith("ExoClick did not accept the credentials"));
    expect(full, JSON.stringify(reasons)).to.have.length(1);
    expect(full[0][0]).to.contain("Set the right one: exoclick:apiToken or exoclick:password (pulumi config set --secret exoclick:apiToken <value>; or the environment: EXOCLICK_API_TOKEN or EXOCLICK_PASSWORD)");
    expect(full[0][0]).not.to.contain("wrong-token-7c1e");
    const short = reasons.filter((r) => r.length === 1 && r[0].startsWith("not sent: the credentials of ExoClick were refused"));
    expect(short).to.have.length(2);
    expect(requests(from)).to.deep.equal(["exoclick POST /v2/login 401"]);
  });

  it("another account's refused key names that account's setting", async () => {
    applyStackConfig({ "exoclick:accounts": JSON.stringify({ brandB: { apiToken: "wrong-brandB-token", baseUrl: `${ctx.sb.urlFor("exoclick")}/v2` } }) }, ["exoclick:accounts"]);
    const r = await registry.get("exoclick:LibraryUrl").check({}, { account: "brandB", url: "https://b.example" });
    expect(r.failures!.map((f) => f.reason)).to.have.length(1);
    expect(r.failures![0].reason).to.match(/^ExoClick did not accept the credentials of account "brandB" .*Set the right one: exoclick:accounts\.brandB\.apiToken or exoclick:accounts\.brandB\.password \(pulumi config set --secret --path 'exoclick:accounts\.brandB\.apiToken' <value>; or the environment: EXOCLICK_BRAND_B_API_TOKEN or EXOCLICK_BRAND_B_PASSWORD\)$/);
  });

  it("no change to make: no request (an unchanged resource is not verified, even with a wrong key)", async () => {
    const p = registry.get("exoclick:LibraryUrl");
    const first = await p.check({}, { url: "https://same.example" });
    expect(first.failures).to.deep.equal([]);
    applyStackConfig({ "exoclick:apiToken": "wrong-token-9d2f" }, ["exoclick:apiToken"]);
    const from = ctx.sb.journal.length;
    const again = await p.check(first.inputs!, { url: "https://same.example" });
    expect(again.failures).to.deep.equal([]);
    expect(requests(from)).to.deep.equal([]);
    // A change to the same resource is verified.
    const changed = await p.check(first.inputs!, { url: "https://other.example" });
    expect(changed.failures!.map((f) => f.reason).join()).to.contain("ExoClick did not accept the credentials");
  });

  it("outside the engine's provider host (a command or a program calling check) nothing is sent", async () => {
    setProviderHost(false);
    applyStackConfig({ "exoclick:apiToken": "wrong-token-1a2b" }, ["exoclick:apiToken"]);
    const from = ctx.sb.journal.length;
    const r = await registry.get("exoclick:LibraryUrl").check({}, { url: "https://host.example" });
    expect(r.failures).to.deep.equal([]);
    expect(requests(from)).to.deep.equal([]);
  });
  it("a run refused anyway sends nothing: the gate's refusal, a guardrail verdict another resource reports, adnet-spend's report", async () => {
    applyStackConfig({ "exoclick:apiToken": "wrong-token-3f4a" }, ["exoclick:apiToken"]);
    const p = registry.get("exoclick:LibraryUrl");
    const base: Plan = { v: 1, dryRun: true, report: false, resources: 2 };
    const over: Plan = {
      ...base,
      groups: [{ network: "exoclick", currency: "USD", daily: 900, total: 0, running: 1, contributors: [["pc-big", 900]], contributorCount: 1, unknown: [], unknownCount: 0, uncapped: [], carrier: "exoclick:Campaign pc-big" }],
    };
    try {
      const from = ctx.sb.journal.length;
      // The program's gate found a problem elsewhere (or an unconfigured account): this resource's check passes, sends nothing.
      const refused = await p.check({}, { url: "https://r1.example", [PLAN_KEY]: { ...base, refused: true } });
      expect(refused.failures).to.deep.equal([]);
      // adnet-spend's report-only preview.
      const report = await p.check({}, { url: "https://r2.example", [PLAN_KEY]: { ...base, report: true } });
      expect(report.failures).to.deep.equal([]);
      // A daily limit the program breaks: at preview the group's carrier (another resource) says so; this one sends nothing.
      applyStackConfig({ "adnetworks:maxDailyBudget": "100" }, ["adnetworks:maxDailyBudget"]);
      const limited = await p.check({}, { url: "https://r3.example", [PLAN_KEY]: over });
      expect(limited.failures).to.deep.equal([]);
      expect(requests(from)).to.deep.equal([]);
      // The same run within the limit: verified (one login, refused).
      applyStackConfig({ "adnetworks:maxDailyBudget": "1000" }, ["adnetworks:maxDailyBudget"]);
      const within = await p.check({}, { url: "https://r4.example", [PLAN_KEY]: over });
      expect(within.failures!.map((f) => f.reason).join()).to.contain("ExoClick did not accept the credentials");
      expect(requests(from)).to.deep.equal(["exoclick POST /v2/login 401"]);
    } finally {
      resetHostGuard();
    }
  });
});
