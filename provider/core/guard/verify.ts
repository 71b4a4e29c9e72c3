/**
 * Credentials verified at preview. A wrong API key used to pass `pulumi
 * preview` (nothing is sent when no lookup is needed) and fail `pulumi up`.
 * Now `check`, in the engine's provider host, verifies the credentials of
 * each network account that has a change to make (a new resource, or
 * changed inputs): the network's cheapest authenticated call
 * (`NetworkDef.verify`: ExoClick's login, one short read elsewhere), once
 * per account, configuration and process, shared by every resource of that
 * account. A refused credential fails the check, naming the setting to set;
 * a preview with no changes sends nothing, and so does a run that is
 * refused anyway (the program's gate found a problem or an unconfigured
 * account, a guardrail refuses it, or it is adnet-spend's report-only
 * preview: core/guard/hostGuard.ts `onCheck` says so for every resource alike).
 *
 * One message per cause: the first resource that meets a failed verification
 * says it in full, every other one of that account says in a line that it
 * was not sent (as an unreachable network is said once, core/http/http.ts), so
 * every resource of the account refuses whatever order the engine checks
 * them in, and the cause is printed once.
 *
 * No runtime dependency on @pulumi/pulumi.
 */
import { accountsKey, accountSettingEnv, DEFAULT_ACCOUNT, SettingSpec } from "../config/config";
import type { Context } from "../config/context";
import { ApiError, ConfigError } from "../http/errors";
import type { NetworkBase } from "../config/networkBase";
import type { Checker } from "../schema/validate";
import { parentCli } from "../engine/stackConfig";

let policyRun: boolean | undefined;
/**
 * A run with `--policy-pack`: the engine asks the pack after `check`, so a
 * mandatory violation refuses the run after the verification was sent.
 * Such a run verifies nothing (the pack's preview stays at 0 requests; `up`
 * says a wrong key).
 */
function underPolicyPack(): boolean {
  if (policyRun === undefined) policyRun = !!parentCli()?.policyPack;
  return policyRun;
}

interface Verification {
  /** Undefined when the credentials were accepted, else the message to show. */
  result: Promise<string | undefined>;
  /** Whether the full message was shown (on the first resource that met it). */
  told: boolean;
}

/** Per context (one per process, network, account and configuration: core/config/context.ts). */
const verifications = new WeakMap<object, Verification>();
/** Verifications made, for tests and the benchmark. */
export const verifyStats = { calls: 0 };

/** Where the credentials of `account` go: each secret setting's stack config key and environment variable. */
export function credentialKeys(settings: Record<string, SettingSpec>, account: string): string {
  const secret = Object.values(settings).filter((s) => s.secret);
  if (!secret.length) return "the network's settings";
  if (account === DEFAULT_ACCOUNT) {
    return `${secret.map((s) => s.key).join(" or ")} (pulumi config set --secret ${secret[0].key} <value>; or the environment: ${secret.map((s) => s.env).join(" or ")})`;
  }
  const [network, name] = secret[0].key.split(":");
  const paths = secret.map((s) => `${accountsKey(network)}.${account}.${s.key.split(":")[1]}`);
  return `${paths.join(" or ")} (pulumi config set --secret --path '${accountsKey(network)}.${account}.${name}' <value>; or the environment: ${secret.map((s) => accountSettingEnv(s, account)).join(" or ")})`;
}

function accountText(account: string): string {
  return account === DEFAULT_ACCOUNT ? "" : ` of account ${JSON.stringify(account)}`;
}

/** What a failed verification says: a refused credential names the keys to set; anything else says why it could not be verified. */
function messageOf(network: NetworkBase, account: string, e: unknown): string {
  if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
    return `${network.title} did not accept the credentials${accountText(account)} (checked at preview, before any change is sent; ${e.method} ${e.url} answered ${e.status}: ${e.networkMessage.split(/\. /)[0].replace(/\.$/, "")}). Set the right one: ${credentialKeys(network.settings, account)}`;
  }
  return `could not verify the credentials${accountText(account)} of ${network.title} at preview: ${(e as Error)?.message ?? e}`;
}

/**
 * Verifies the credentials of `ctx`'s account (once per context) and fails
 * the check when they are refused. Missing credentials are left to the
 * step that needs the client (the lookups note it; `up` names every way to
 * set them).
 */
export async function verifyCredentials<C>(network: NetworkBase<C>, ctx: Context<C>, c: Checker): Promise<void> {
  if (!network.verify || underPolicyPack()) return;
  let v = verifications.get(ctx);
  if (!v) {
    let client: C;
    try {
      client = ctx.client;
    } catch (e) {
      if (e instanceof ConfigError) return;
      throw e;
    }
    verifyStats.calls++;
    const result = network.verify(client).then(() => undefined, (e: unknown) => messageOf(network, ctx.account, e));
    v = { result, told: false };
    verifications.set(ctx, v);
  }
  const failed = await v.result;
  if (failed === undefined) return;
  if (!v.told) {
    v.told = true;
    c.fail("", failed);
  } else {
    c.fail("", `not sent: the credentials${accountText(ctx.account)} of ${network.title} were refused or could not be verified (see the first error for why and what to set)`);
  }
}
