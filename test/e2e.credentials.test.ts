import { expect } from "chai";
import { e2e, E2E } from "./support/engine";
import { EXOCLICK_SANDBOX_CREDENTIALS, ExoClickSandbox } from "../provider/sandbox/exoclick";
import { exoclickBanner } from "../examples/exoclick-banner/program";

const TOKEN_A = EXOCLICK_SANDBOX_CREDENTIALS.apiToken;
const TOKEN_B = "rotated-exoclick-token-9c2e7a41";

/**
 * Credentials come from the current stack config on every operation
 * (issue #11): on refresh and destroy the engine configures the dynamic
 * provider with the config recorded in state at the last `up`.
 */
describe("@e2e credentials: a rotated token in stack config is used by the next refresh and destroy", function () {
  this.timeout(300_000);
  let t: E2E;
  const exo = () => t.sb.network<ExoClickSandbox>("exoclick");
  const logins = (from: number) => t.sb.journal.slice(from).filter((r) => r.network === "exoclick" && r.path === "/v2/login");

  before(async () => {
    t = await e2e({
      program: async () => exoclickBanner({ prefix: "cred" }),
      workDir: "examples/exoclick-banner",
      config: (sb) => ({
        "exoclick:baseUrl": { value: `${sb.urlFor("exoclick")}/v2` },
        "exoclick:apiToken": { value: TOKEN_A, secret: true },
      }),
    });
    await t.up();
  });
  after(async () => t?.close());

  it("refresh after `config set --secret exoclick:apiToken <B>` logs in with B, and destroy too", async () => {
    exo().rotateApiToken(TOKEN_B); // A no longer works
    await t.e.stack.setConfig("exoclick:apiToken", { value: TOKEN_B, secret: true });
    let from = t.sb.journal.length;
    const rf = await t.refresh();
    expect(rf.summary.result).to.equal("succeeded");
    // Only B logs in now: every login since the rotation succeeded, none was refused.
    expect(logins(from).map((r) => r.status)).to.deep.equal([200]);
    expect(t.sb.journal.slice(from).filter((r) => r.status === 401)).to.deep.equal([]);

    from = t.sb.journal.length;
    await t.destroy();
    expect(logins(from).map((r) => r.status)).to.deep.equal([200]);
    expect(Object.values(exo().inventory()).every((v) => v.length === 0)).to.equal(true);
    // B stays a secret: not in state.
    expect(JSON.stringify(await t.state())).not.to.contain(TOKEN_B);
  });
});
