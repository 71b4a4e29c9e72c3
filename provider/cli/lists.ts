#!/usr/bin/env node
/**
 * adnet-lists: a network's reference lists, as an account sees them.
 *
 *   npx adnet-lists --network exoclick --list operating-systems [--stack <stack> [--cwd <dir>]] [--account <name>] [--json]
 *
 * Prints the ids and names a program may give for the fields checked
 * against the network's lists at preview (operating systems, browsers,
 * regions of a country, offers ...), read-only, with the stack's
 * credentials (`--stack`) or the environment's. Without --list it names the
 * lists of the network.
 */
import { contextFor, DEFAULT_ACCOUNT } from "../core/config/context";
import type { NetworkDef } from "../core/config/network";
import { didYouMean } from "../core/schema/text";
import { NETWORKS } from "../networks";
import { CommandSpec, exitWith, runCommand, str, UsageError } from "./args";
import { accountOption, accountValue, STACK_CONFIG_OPTIONS, useStackConfigOption } from "./settings";

/** The networks that serve reference lists. */
const LISTED = NETWORKS.filter((n) => (n as NetworkDef).referenceList && (n as NetworkDef).referenceLists) as NetworkDef[];

export const SPEC: CommandSpec = {
  name: "adnet-lists",
  summary: "prints a network's reference lists (operating systems, browsers, regions, ...) as an account sees them",
  usage: [`--network <${LISTED.map((n) => n.name).join("|")}> [--list <name>[:<scope>]] [--stack <stack>] [--account <name>] [--json]`],
  description: [
    "The values that fields such as operatingSystems, browsers or a country's regions take are ids of the network's own lists; at pulumi preview they are checked against these lists (and names are resolved to ids). This command prints a list with the credentials of the environment (EXOCLICK_API_TOKEN, AFFISE_API_KEY, ...) or of a stack's config (--stack), read-only. Without --list it prints the network's lists.",
    `Lists: ${LISTED.map((n) => `${n.name}: ${Object.keys(n.referenceLists!).join(", ")}`).join("; ")}. A list per country or organization takes its scope after a colon: regions:USA (ExoClick, ISO alpha-3), regions:US (Affise, ISO alpha-2), offers:<organization> (Integr8).`,
    "Exit status: 0 printed, 1 the list could not be read (credentials, network), 2 a usage error.",
  ],
  options: [
    { name: "network", value: "<name>", description: `The network: ${LISTED.map((n) => n.name).join(", ")}. Required.` },
    { name: "list", value: "<name>", description: "The list to print (without it: the network's lists and what they hold)." },
    { name: "json", description: "Print JSON: [{ id, name }, ...]." },
    accountOption("Read with this account's credentials (stack config <network>:accounts) instead of the default ones."),
    ...STACK_CONFIG_OPTIONS,
  ],
  examples: [
    "EXOCLICK_API_TOKEN=... adnet-lists --network exoclick --list operating-systems",
    "adnet-lists --network exoclick --list regions:USA --stack prod --json",
    "adnet-lists --network affise --list regions:US --stack prod",
    "adnet-lists --network integr8 --list offers --stack prod",
    "adnet-lists --network exoclick   # the lists ExoClick serves",
  ],
};

function networkOf(name: string | undefined): NetworkDef {
  if (!name) throw new UsageError("--network <name> is required");
  const n = LISTED.find((x) => x.name === name);
  if (!n) throw new UsageError(`--network ${JSON.stringify(name)} has no reference lists here${didYouMean(name, LISTED.map((x) => x.name))}; the networks with lists: ${LISTED.map((x) => x.name).join(", ")}`);
  return n;
}

/** The lines printed for a list: id, a tab, the name. */
export function listText(entries: ReadonlyMap<string, string>): string {
  const width = Math.max(2, ...[...entries.keys()].map((k) => k.length));
  return [...entries].map(([id, name]) => `${id.padEnd(width)}  ${name}`).join("\n");
}

export function main(argv: string[]): Promise<number> {
  return runCommand(SPEC, argv, async (values) => {
    const network = networkOf(str(values, "network"));
    const list = str(values, "list");
    const lists = network.referenceLists!;
    if (list === undefined) {
      const json = values.json === true;
      process.stdout.write(json ? `${JSON.stringify(Object.entries(lists).map(([name, holds]) => ({ name, holds })), null, 2)}\n` : `${Object.entries(lists).map(([k, v]) => `${k}: ${v}`).join("\n")}\n`);
      return 0;
    }
    const base = list.split(":")[0];
    if (!(base in lists)) throw new UsageError(`--list ${JSON.stringify(list)} is not one of ${network.title}'s lists${didYouMean(base, Object.keys(lists))}: ${Object.keys(lists).join(", ")}`);
    const account = accountValue(values) ?? DEFAULT_ACCOUNT;
    useStackConfigOption(values);
    const ctx = contextFor(network, account);
    const entries = await network.referenceList!(ctx.client, list);
    process.stdout.write(values.json === true ? `${JSON.stringify([...entries].map(([id, name]) => ({ id, name })), null, 2)}\n` : `${listText(entries)}\n`);
    return 0;
  });
}

if (require.main === module) exitWith(main(process.argv.slice(2)), SPEC.name);
