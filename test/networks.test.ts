import { expect } from "chai";
import { NETWORKS } from "../provider/networks";
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
