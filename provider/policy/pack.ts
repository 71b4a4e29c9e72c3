/**
 * The spend limits as a Pulumi policy pack, shipped in the package:
 *
 *   pulumi preview --policy-pack node_modules/pulumi-adnetworks/policy \
 *     --policy-pack-config spend-policy.json
 *
 * `policy/index.js` serves this pack with `@pulumi/policy`. Its policies,
 * each configurable (and its enforcement level) through Pulumi's policy
 * config, are the stack config's limits, judged by the same function
 * (rules.ts -> core/guard/judge.ts):
 *   max-daily-budget      { limit }             as adnetworks:maxDailyBudget
 *   max-daily-increase    { limit }             as adnetworks:maxDailyIncrease
 *   protect-running       { allowReplace, allowDelete }  as adnetworks:protectRunning (on unless disabled)
 *   not-known-until-apply (advisory)            what the others cannot judge at preview
 * The account currencies come from the stack's own `adnetworks:currencies`
 * (the engine hands the pack the stack's config), as the provider reads them.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import { PolicyPack, PolicyPackArgs, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { parentCli, CliCommand } from "../core/engine/stackConfig";
import { UNKNOWN } from "../core/schema/validate";
import type { StateResource } from "../core/engine/stackState";
import type { Rule } from "../core/guard/judge";
import { currenciesFrom, findings, Finding, LimitConfig, limitsOf, POLICIES, ProtectConfig, StackResource, StateBefore } from "./rules";
import { thrown } from "../core/http/errors";

export const PACK_NAME = "adnetworks-spend";

/** The Pulumi CLI this pack runs under (the language host is between them), with its working directory. */
export function ancestorCli(pid = process.ppid, depth = 4): (CliCommand & { cwd: string }) | undefined {
  for (let i = 0; i < depth && pid > 1; i++) {
    const cli = parentCli(pid);
    if (cli) {
      let cwd = process.cwd();
      try {
        cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
      } catch {
        // keep ours
      }
      return { ...cli, cwd };
    }
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses.
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      pid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * The stack's state before the update: `pulumi stack export` from the CLI
 * that runs the pack, started when the pack starts (before the update
 * begins, so at `pulumi up` it is the state before it), awaited when a
 * policy needs it. No secret is decrypted.
 */
export function readState(cli = ancestorCli()): Promise<StateBefore> {
  if (!cli) return Promise.resolve({ error: "this policy pack was not started by the Pulumi CLI" });
  return new Promise((resolve) => {
    execFile(cli.pulumi, ["stack", "export", "--non-interactive", ...cli.args], { cwd: cli.cwd, timeout: 60_000, maxBuffer: 512 * 1024 * 1024, encoding: "utf8" }, (err, stdout, stderr) => {
      if (err) return resolve({ error: `\`pulumi stack export\` failed: ${String(stderr || err.message).trim().split("\n")[0]}` });
      try {
        resolve({ resources: (JSON.parse(stdout)?.deployment?.resources ?? []) as StateResource[] });
      } catch (e) {
        resolve({ error: `\`pulumi stack export\` printed no state: ${thrown(e)?.message ?? e}` });
      }
    });
  });
}

/** The stack's config as the engine handed it to the pack (PULUMI_CONFIG; the language host sets it from ConfigureStack). */
export function stackConfigOf(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  try {
    const c = JSON.parse(env.PULUMI_CONFIG ?? "{}");
    return c && typeof c === "object" ? c : {};
  } catch {
    return {};
  }
}

/** A policy's view of a value with its unknowns as Pulumi's unknown (the framework's proxy throws on reading one). */
export function plain(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  const read = (get: () => unknown) => {
    try {
      return plain(get());
    } catch (e) {
      if (e?.constructor?.name === "UnknownValueError" || /can't be known during preview/.test(String(thrown(e)?.message))) return UNKNOWN;
      throw e;
    }
  };
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (let i = 0; i < v.length; i++) out.push(read(() => v[i]));
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = read(() => (v as Record<string, unknown>)[k]);
  return out;
}

/**
 * The stack's resources as a policy judges them: the engine shows a stack
 * policy each resource's outputs (`AnalyzeStack`), and the provider plugin's
 * outputs hold only what the network computed (docs/plugin.md), so the
 * inputs each resource was checked with (`Analyze`, `inputs`, by URN) go over
 * them, as the plugin's own state does (plugin/server.ts `stateOf`).
 */
function stackResources(args: StackValidationArgs, inputs: Map<string, Record<string, unknown>>): StackResource[] {
  return args.resources.map((r) => ({ urn: r.urn, type: r.type, props: { ...(plain(r.props) as Record<string, unknown>), ...(inputs.get(r.urn) ?? {}) } }));
}

const LIMIT_SCHEMA: PolicyConfigJSONSchema = {
  description: "Major currency units (500 = 500.00): one number for every network and currency, or an object looked up as \"network:CUR\", \"network\", \"*:CUR\", \"*\", e.g. {\"exoclick:USD\": 500, \"*\": 1000}",
  // minimum applies to a number, additionalProperties to an object.
  type: ["number", "object"],
  minimum: 0,
  additionalProperties: { type: "number", minimum: 0 },
};
const NAMES_SCHEMA: PolicyConfigJSONSchema = { type: "array", items: { type: "string" } };

export interface PackOptions {
  /** The stack's state before the update (default: read from the CLI when the pack starts). */
  state?: Promise<StateBefore>;
  /** The stack's config (default: PULUMI_CONFIG). */
  stackConfig?: Record<string, string>;
}

/** The pack's policies (for a pack of your own: `new PolicyPack("mine", { policies: [...spendPolicies(), ...] })`). */
/** A stack policy that also sees each resource (to keep its inputs). */
export type SpendPolicy = StackValidationPolicy & Partial<Pick<ResourceValidationPolicy, "validateResource">>;

export function spendPolicies(o: PackOptions = {}): SpendPolicy[] {
  let state: Promise<StateBefore> | undefined = o.state;
  const before = () => (state ??= readState());
  const currencies = () => currenciesFrom(o.stackConfig ?? stackConfigOf());
  /** The limits not known until apply, by rule, from the policies that ran in this analysis (they run in order, this one last). */
  const pending = new Map<Rule, Finding[]>();
  /** Each resource's checked inputs, by URN (every policy records them: any of them may be disabled). */
  const inputs = new Map<string, Record<string, unknown>>();

  const rulePolicy = (rule: Rule, name: string, description: string, configSchema: StackValidationPolicy["configSchema"]): SpendPolicy => ({
    name,
    description,
    configSchema,
    // Reports nothing: keeps the inputs, which the stack's view lacks for the plugin's resources.
    validateResource: (args: ResourceValidationArgs) => {
      inputs.set(args.urn, plain(args.props) as Record<string, unknown>);
    },
    validateStack: async (args: StackValidationArgs, report: ReportViolation) => {
      const config = args.getConfig<LimitConfig & ProtectConfig>();
      const limits = limitsOf(rule, config, currencies());
      if (rule !== "protectRunning" && limits[rule] === undefined) {
        pending.delete(rule);
        args.notApplicable(`no limit configured (set "limit" in the policy config of ${name})`);
      }
      const f = findings(rule, stackResources(args, inputs), await before(), limits);
      pending.set(rule, f.pending);
      for (const v of f.violations) report(v.message, v.urn);
    },
  });

  // Started with the pack: at `pulumi up` this is before the update begins.
  if (!o.state && ancestorCli()) state = readState();

  return [
    rulePolicy("maxDailyBudget", POLICIES.maxDailyBudget,
      "The running daily budgets per network and currency stay within a limit (as the stack config adnetworks:maxDailyBudget). A running campaign with no daily limit breaks any limit.",
      { properties: { limit: LIMIT_SCHEMA } }),
    rulePolicy("maxDailyIncrease", POLICIES.maxDailyIncrease,
      "One update raises the running daily budgets per network and currency by at most a limit (as adnetworks:maxDailyIncrease), against the stack's state before it.",
      { properties: { limit: LIMIT_SCHEMA } }),
    rulePolicy("protectRunning", POLICIES.protectRunning,
      "No replacement or delete of a running campaign (as adnetworks:protectRunning), except those named in allowReplace or allowDelete.",
      { properties: { allowReplace: { ...NAMES_SCHEMA, description: "Resources that may be replaced while running (remove them afterwards)" }, allowDelete: { ...NAMES_SCHEMA, description: "Resources that may be deleted while running" } } }),
    {
      name: POLICIES.notKnown,
      description: "Says which limits cannot be judged at preview: budgets that are outputs of other resources (counted as 0 until then), or a stack state that cannot be read.",
      enforcementLevel: "advisory",
      validateStack: (_args: StackValidationArgs, report: ReportViolation) => {
        for (const f of [...pending.values()].flat()) report(f.message, f.urn);
        pending.clear();
      },
    },
  ];
}

/** Serves the pack (policy/index.js). */
export function serve(args: Partial<PolicyPackArgs> = {}): PolicyPack {
  return new PolicyPack(PACK_NAME, { enforcementLevel: "mandatory", policies: spendPolicies(), ...args });
}
