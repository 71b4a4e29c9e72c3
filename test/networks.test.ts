import { expect } from "chai";
import { NETWORKS } from "../provider/networks";
import * as registry from "../provider/core/registry";
import { startSandbox } from "../provider/sandbox/server";

describe("network manifest", () => {
  it("derives each setting's config key and environment variable from its name", () => {
    const exo = NETWORKS.find((n) => n.name === "exoclick")!;
    expect(exo.settings.apiToken).to.deep.equal({ key: "exoclick:apiToken", env: "EXOCLICK_API_TOKEN", secret: true });
    const i8 = NETWORKS.find((n) => n.name === "integr8")!;
    expect(i8.settings.organizationId).to.deep.equal({ key: "integr8:organizationId", env: "INTEGR8_ORGANIZATION_ID" });
    const ts = NETWORKS.find((n) => n.name === "topsort")!;
    expect(ts.settings.pathPrefix.env).to.equal("TOPSORT_PATH_PREFIX");
  });

  it("feeds the registry: every listed resource type resolves to a provider with the full contract", () => {
    const keys = registry.types();
    expect(keys).to.have.length(10);
    for (const key of keys) {
      const p = registry.get(key) as unknown as Record<string, unknown>;
      for (const m of ["check", "diff", "create", "read", "update", "delete"]) expect(p[m], `${key}.${m}`).to.be.a("function");
    }
  });

  it("feeds the sandbox: every network is served, and its sandbox config reaches it with the sandbox's credentials", async () => {
    const sb = await startSandbox({ port: 0 });
    try {
      for (const n of NETWORKS) {
        const cfg = n.sandboxConfig(sb.urlFor(n.name));
        expect(cfg[`${n.name}:baseUrl`].value).to.contain(sb.urlFor(n.name));
        const secrets = Object.entries(cfg).filter(([, v]) => v.secret).map(([k]) => k);
        expect(secrets, n.name).to.have.length.greaterThan(0);
        for (const k of secrets) expect(n.settings[k.split(":")[1]].secret, k).to.equal(true);
      }
    } finally {
      await sb.close();
    }
  });
});
