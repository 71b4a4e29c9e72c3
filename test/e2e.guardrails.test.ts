import { expect } from "chai";
import * as auto from "@pulumi/pulumi/automation";
import { exoclick } from "pulumi-adnetworks";
import { e2e, E2E } from "./support/engine";
import { EXOCLICK_SANDBOX_CREDENTIALS } from "../provider/exoclick/sandbox";

const TOKEN = EXOCLICK_SANDBOX_CREDENTIALS.apiToken;

/** ExoClick campaigns: name -> [daily budget in cents, status]. */
function campaigns(spec: Record<string, [number, 0 | 1]>, extra: Record<string, Partial<exoclick.CampaignArgs>> = {}) {
  return async () => {
    for (const [name, [budget, status]] of Object.entries(spec)) {
      new exoclick.Campaign(name, {
        name: `Guardrails ${name}`, status, size: "300x250", pricing: { model: 4, price: 300 },
        dailyLimitType: 1, maxDailyBudget: budget, ...(extra[name] ?? {}),
      } as exoclick.CampaignArgs);
    }
  };
}

function messages(out: string): string {
  return out;
}

describe("@e2e real Pulumi engine: spend guardrails", function () {
  this.timeout(300_000);
  let t: E2E;
  let config: Record<string, auto.ConfigValue> = {};
  let stdout = "";
  const run = async <T>(f: () => Promise<T>): Promise<T | Error> => {
    stdout = "";
    try {
      return await f();
    } catch (e: any) {
      return e;
    }
  };

  before(async () => {
    t = await e2e({
      program: campaigns({ a: [2000, 1], b: [2000, 1] }),
      config: (sb) => ({
        "exoclick:baseUrl": { value: `${sb.urlFor("exoclick")}/v2` },
        "exoclick:apiToken": { value: TOKEN, secret: true },
        "adnetworks:maxDailyBudget": { value: "30" },
      }),
    });
  });
  after(async () => t?.close());

  it("a preview over adnetworks:maxDailyBudget fails naming the resources and figures, with 0 requests", async () => {
    const r = await run(() => t.e.stack.preview({ onOutput: (s) => (stdout += s) }));
    expect(r).to.be.instanceOf(Error);
    const text = String((r as any).message) + stdout;
    console.log(text);
    expect(t.sb.requests("exoclick")).to.have.length(0);
  });

  it("an up over the limit fails too, with 0 requests", async () => {
    const r = await run(() => t.e.stack.up({ onOutput: (s) => (stdout += s) }));
    expect(r).to.be.instanceOf(Error);
    console.log(String((r as any).message).slice(0, 3000));
    expect(t.sb.requests("exoclick")).to.have.length(0);
  });
});
