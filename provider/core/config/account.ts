/**
 * The account of a network a resource belongs to. Every resource declares
 * this one field (`account: accountField`): the core builds each method's
 * context with that account's client (core/config/context.ts), compares natural
 * keys within one account (core/guard/guard.ts), refuses a reference to an object
 * of another account at preview, and keeps spend figures and limits per
 * account (core/money/spend.ts). Pulumi would pass a provider instance per
 * account (`{ provider: brandB }`), but dynamic resources take none: the
 * engine runs one dynamic-provider host for all of them, so the account is
 * an input (docs/architecture.md, "Several accounts").
 *
 * No runtime dependency on @pulumi/pulumi.
 */
import { ACCOUNT_NAME, DEFAULT_ACCOUNT } from "./config";
import { f } from "../schema/schema";

export { ACCOUNT_NAME, DEFAULT_ACCOUNT };

/** The one declaration of the `account` field that every resource's `fields` includes. */
export const accountField = f.string({
  pattern: ACCOUNT_NAME, patternHint: "an account name: a letter, then letters, digits, \"_\" or \"-\" (at most 64)",
  replaceOnChange: true, wire: false, accountScope: true,
  // Omitted and "default" are the same account.
  equal: (a: unknown, b: unknown) => (a ?? DEFAULT_ACCOUNT) === (b ?? DEFAULT_ACCOUNT),
  example: "brandB",
  doc: "The account of the network that holds the object, named in stack config `<network>:accounts` with its own credentials; omitted (or \"default\"), the network's own settings. Not sent to the network; an import id of another account is \"<account>:<id>\". Changing it replaces the object.",
});

/** The account named by a resource's inputs or state: "default" when none (or not known yet). */
export function accountIn(props: Record<string, unknown> | undefined): string {
  const a = props?.account;
  return typeof a === "string" && ACCOUNT_NAME.test(a) ? a : DEFAULT_ACCOUNT;
}

/** An import id of another account: "brandB:8140060" -> { account: "brandB", id: "8140060" }; any other id is the default account's. */
export function splitImportId(id: string): { account?: string; id: string } {
  const m = /^([A-Za-z][A-Za-z0-9_-]{0,63}):(.+)$/.exec(id);
  return m ? { account: m[1], id: m[2] } : { id };
}

/** The import id of an object of `account`: the bare id for the default account. */
export function importIdOf(account: string | undefined, id: string): string {
  return account && account !== DEFAULT_ACCOUNT ? `${account}:${id}` : id;
}
