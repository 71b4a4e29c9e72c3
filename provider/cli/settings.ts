/**
 * Where the network settings of a read-only command (adnet-lists,
 * adnet-import) come from: the environment (EXOCLICK_API_TOKEN, ...), or a
 * stack's config with `--stack` (secrets decrypted by the Pulumi CLI, run
 * in `--cwd`, found by `--pulumi`); `--account` picks one of the accounts.
 * The options are declared here once; each command says what `--account`
 * does to its output.
 */
import * as path from "path";
import { ACCOUNT_NAME } from "../core/config/config";
import { OptionSpec, str, UsageError, Values } from "./args";
import { pulumiOption, useStackConfig } from "./pulumi";

/** --stack, --cwd and --pulumi: the credentials from a stack's config instead of the environment. */
export const STACK_CONFIG_OPTIONS: readonly OptionSpec[] = [
  { name: "stack", value: "<stack>", description: "Read the credentials from this stack's config (secrets decrypted by the Pulumi CLI) instead of the environment." },
  { name: "cwd", value: "<dir>", description: "The stack's program directory (with --stack; default: the current directory)." },
  pulumiOption("for --stack"),
];

/** With --stack: that stack's config as this run's settings (nothing without it). */
export function useStackConfigOption(values: Values): void {
  const stack = str(values, "stack");
  if (stack) useStackConfig(stack, path.resolve(str(values, "cwd") ?? "."), str(values, "pulumi"));
}

/** The --account option; `description` says what it does for the command. */
export function accountOption(description: string): OptionSpec {
  return { name: "account", value: "<name>", description };
}

/** --account's value, checked (UsageError for a name that cannot be an account's); undefined without it. */
export function accountValue(values: Values): string | undefined {
  const account = str(values, "account");
  if (account !== undefined && !ACCOUNT_NAME.test(account)) throw new UsageError(`--account ${JSON.stringify(account)}: an account name starts with a letter and holds only letters, digits, "_" and "-"`);
  return account;
}
