import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";
import { NETWORKS } from "../provider/networks";
import { NETWORK_INDEX, loadNetwork } from "../provider/networkIndex";
import * as registry from "../provider/registry";
import { startSandbox } from "../provider/sandbox/server";
import { sandboxConfig } from "../provider/sandbox/config";
import { AdnetResource } from "../provider/core/engine/reference";
import * as api from "../provider";

describe("network manifest", () => {
  it("derives each setting's config key and environment variable from its name", () => {
    const exo = NETWORKS.find((n) => n.name === "exoclick")!;
    expect(exo.settings.apiToken).to.deep.equal({ key: "exoclick:apiToken", env: "EXOCLICK_API_TOKEN", secret: true });
    const i8 = NETWORKS.find((n) => n.name === "integr8")!;
    expect(i8.settings.organizationId).to.deep.equal({ key: "integr8:organizationId", env: "INTEGR8_ORGANIZATION_ID" });
    const ts = NETWORKS.find((n) => n.name === "topsort")!;
    expect(ts.settings.pathPrefix.env).to.equal("TOPSORT_PATH_PREFIX");
  });

  it("feeds the registry and the public API: every listed resource type resolves to a provider with the full contract and is exported as a class", () => {
    const keys = registry.types();
    // Derived, not hard-coded: each network's namespace in provider/index.ts exports one class per listed type, of that type.
    const exported = NETWORKS.flatMap((n) => Object.entries((api as unknown as Record<string, Record<string, unknown>>)[n.name] ?? {})
      .filter(([, v]) => typeof v === "function" && (v as { prototype?: unknown }).prototype instanceof AdnetResource)
      .map(([type]) => `${n.name}:${type}`));
    expect(exported.sort()).to.deep.equal([...keys].sort());
    expect(keys.length).to.be.greaterThan(0);
    for (const key of keys) {
      const p = registry.get(key) as unknown as Record<string, unknown>;
      for (const m of ["check", "diff", "create", "read", "update", "delete"]) expect(p[m], `${key}.${m}`).to.be.a("function");
    }
  });

  it("the host's lazy index (provider/networkIndex.ts) names every network of NETWORKS in its order, and each loader yields that network and its settings", () => {
    expect(Object.keys(NETWORK_INDEX)).to.deep.equal(NETWORKS.map((n) => n.name));
    for (const n of NETWORKS) {
      expect(loadNetwork(n.name), n.name).to.equal(n);
      expect(NETWORK_INDEX[n.name].settings(), n.name).to.equal(n.settings);
    }
    expect(loadNetwork("constructor")).to.equal(undefined);
    expect(registry.definition("constructor:Campaign")).to.equal(undefined);
    expect(registry.definition("exoclick:toString")).to.equal(undefined);
  });

  it("the registry loads only the network of the type asked for, and no HTTP library until a request; configure's keys still name every network's settings", () => {
    // A fresh process: this one has loaded every network already.
    const script = `
      const reg = require(${JSON.stringify(path.join(__dirname, "..", "provider", "registry"))});
      const p = reg.get("exoclick:Campaign");
      const keys = reg.configKeys();
      const http = Object.keys(require.cache).filter((f) => /node_modules\\/(node-fetch|qs)\\//.test(f));
      const loaded = Object.keys(require.cache).map((f) => f.split("/dist/provider/")[1]).filter((f) => f && /^[a-z0-9]+\\/network\\.js$/.test(f) && !f.startsWith("core/"));
      process.stdout.write(JSON.stringify({ loaded, check: typeof p.check, keys, http }));`;
    const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 60_000 });
    expect(r.status, r.stderr).to.equal(0);
    const out = JSON.parse(r.stdout) as { loaded: string[]; check: string; keys: string[]; http: string[] };
    expect(out.loaded).to.deep.equal(["exoclick/network.js"]);
    expect(out.http, "node-fetch and qs load on the first request (core/http/http.ts)").to.deep.equal([]);
    expect(out.check).to.equal("function");
    expect(out.keys).to.deep.equal(registry.configKeys());
    for (const n of NETWORKS) expect(out.keys, n.name).to.include.members(Object.values(n.settings).map((s) => s.key));
  });

  it("feeds the sandbox: every network is served, and its sandbox config reaches it with the sandbox's credentials", async () => {
    const sb = await startSandbox({ port: 0 });
    try {
      for (const n of NETWORKS) {
        const cfg = sandboxConfig(n.name, sb.urlFor(n.name));
        expect(cfg[`${n.name}:baseUrl`].value).to.contain(sb.urlFor(n.name));
        const secrets = Object.entries(cfg).filter(([, v]) => v.secret).map(([k]) => k);
        expect(secrets, n.name).to.have.length.greaterThan(0);
        for (const k of secrets) expect((n.settings as Record<string, { secret?: boolean }>)[k.split(":")[1]].secret, k).to.equal(true);
        expect(Object.keys(sb.inventory()), n.name).to.include(n.name);
      }
    } finally {
      await sb.close();
    }
  });
});
