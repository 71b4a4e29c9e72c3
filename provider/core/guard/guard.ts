/**
 * The program's gate (see README "Spend guardrails"): it measures, the
 * provider host judges.
 *
 * Every resource of this package is announced here as the program constructs
 * it and gets a promise in its props (`__adnetGuardrails`). Once the
 * program's synchronous part has run, the gate looks at everything the
 * program declared so far, at once, and resolves each promise to that
 * resource's plan (core/guard/plan.ts):
 *  - for a resource that spends: the running figures of the whole program
 *    per network and currency (O(groups), never a list of every resource),
 *    which the provider host's `check` judges with the stack's state and
 *    strips from the inputs it returns (nothing of it is stored in state);
 *  - for any resource: the problems only the whole program shows, found
 *    here with 0 requests: two resources of a type sharing a natural key
 *    (they could adopt each other's object after a lost response), and the
 *    rules between resources that a ResourceDef declares (`relate`, e.g. an
 *    ExoClick Variation linking a 728x90 image to a 300x250 campaign).
 * A resource with nothing to say resolves to undefined (nothing is sent).
 *
 * Values given as Outputs are awaited when they depend on no resource (a
 * secret from config, `pulumi.output(1500)`): waiting for one that depends
 * on a resource could deadlock (that resource may wait for this gate), so
 * those stay "not known until apply" and the provider host judges each when
 * it is known. Resources constructed later (after an `await`, inside an
 * `apply`) are measured with everything constructed before them.
 */
import { getConfig } from "@pulumi/pulumi/runtime/config";
import type { Fields } from "../schema/schema";
import { byContribution, groupKey, GUARDRAIL_SETTINGS, Limits, notKnown, parseLimits, Spend, spendOf, SpendDef, summarize } from "../money/spend";
import { clip } from "../schema/text";
import { isUnknown } from "../schema/validate";
import { Plan, PlanGroup, PLAN_LIST_MAX } from "./plan";
import { accountOf, currencyFor } from "../money/spend";
import { amountsOf, FlaggedAmount, outliers, Placed } from "../money/moneyCheck";
import { accountKnown } from "../config/config";
import { thrown } from "../http/errors";

/** A resource of the program as another resource's rule sees it. */
export interface Related {
  key: string;
  name: string;
  /** Its arguments, Outputs that depend on no resource resolved, top-level defaults applied. */
  inputs: Record<string, unknown>;
}

/** What the gate needs of a ResourceDef. */
export interface GateDef extends SpendDef {
  fields: Fields;
  /**
   * Rules between this resource and the resources its `ref` fields name (by
   * field), when the program declares both. Each problem is a sentence
   * naming the resources; it fails the check of this resource and of the
   * referenced ones, at preview, before any request.
   */
  relate?(self: Related, refs: Record<string, Related | undefined>): string[];
}

interface Item {
  def: GateDef;
  name: string;
  args: Record<string, unknown>;
  /** The provider instance the resource goes to, when the program names one (the plugin's explicit providers): another account. */
  scope?: string;
  resource?: object;
  inputs?: Record<string, unknown>;
  spend?: Spend;
  problems: string[];
  /** Amounts far above the program's others (core/money/moneyCheck.ts). */
  amounts?: FlaggedAmount[];
  resolve(plan: Plan | undefined): void;
}

interface Run {
  items: Item[];
  waiting: Item[];
  scheduled: boolean;
  /** Batches are measured one after the other. */
  chain: Promise<void>;
  limits: Limits;
  byResource: Map<object, Item>;
}

const runs = new WeakMap<object, Run>();
const fallback = {};

/** This run's store: inline programs of the Automation API run many times in one process. */
function runKey(): object {
  try {
    return require("@pulumi/pulumi/runtime/state").getStore() ?? fallback;
  } catch {
    return fallback;
  }
}

/** For tests: forget what was declared outside a Pulumi run (and the limits read then). */
export function resetGate(): void {
  runs.delete(runKey());
}

/** The guardrail config from the program's stack config, then the environment. */
export function programLimits(): Limits {
  const env: Record<string, string> = Object.fromEntries(Object.values(GUARDRAIL_SETTINGS).map((s) => [s.key, s.env]));
  return parseLimits((key) => {
    let v: string | undefined;
    try {
      v = getConfig(key);
    } catch {
      v = undefined;
    }
    return v ?? process.env[env[key]];
  });
}

/** ADNETWORKS_GUARDRAILS=report: measure and report, refuse nothing (what `adnet-spend` runs its preview with). */
export function reportOnly(): boolean {
  return process.env.ADNETWORKS_GUARDRAILS === "report";
}

function run(): Run {
  const k = runKey();
  let r = runs.get(k);
  if (!r) {
    let limits: Limits;
    try {
      limits = programLimits();
    } catch {
      limits = {}; // the provider host reports the bad setting on every resource that spends
    }
    r = { items: [], waiting: [], scheduled: false, chain: Promise.resolve(), limits, byResource: new Map() };
    runs.set(k, r);
  }
  return r;
}

/**
 * Announces a resource: the promise to put in its props, and `attach`, to
 * call with the resource object once constructed (rules between resources
 * find their references by the Outputs the program passes).
 */
export function gate(def: GateDef, name: string, args: Record<string, unknown>, scope?: string): { promise: Promise<Plan | undefined>; attach(resource: object): void } {
  const r = run();
  let resolve!: (p: Plan | undefined) => void;
  const promise = new Promise<Plan | undefined>((res) => (resolve = res));
  const item: Item = { def, name, args, ...(scope ? { scope } : {}), problems: [], resolve };
  r.items.push(item);
  r.waiting.push(item);
  if (!r.scheduled) {
    r.scheduled = true;
    // After the program's synchronous part (and whatever it constructs in the same turn).
    setImmediate(() => {
      r.scheduled = false;
      const batch = r.waiting.splice(0);
      r.chain = r.chain.then(() => measure(r, batch)).catch((e) => {
        // Never leave a resource waiting: without a plan the provider host judges it on its own.
        for (const it of batch) it.resolve(undefined);
        debugLog(`guardrails: the program's gate failed: ${e?.stack ?? e}`);
      });
    });
  }
  return {
    promise,
    attach: (resource) => {
      item.resource = resource;
      r.byResource.set(resource, item);
    },
  };
}

function debugLog(message: string): void {
  try {
    require("../config/log").debug(message);
  } catch {
    // Best effort.
  }
}

function isOutput(v: unknown): v is { resources(): Set<unknown>; promise(withUnknowns?: boolean): Promise<unknown>; isKnown: Promise<boolean> } {
  return !!v && typeof v === "object" && (v as Record<string, unknown>).__pulumiOutput === true && typeof (v as Record<string, unknown>).resources === "function";
}

/** How long the gate waits for an Output that depends on no resource (a config secret resolves at once; a longer wait means it waits for the program). */
const OUTPUT_WAIT_MS = 30_000;

/**
 * The arguments with every Output that depends on no resource (and every
 * Promise) replaced by its value; Outputs of resources stay as they are
 * (not known until apply).
 */
async function resolveFree(v: unknown, depth = 0): Promise<unknown> {
  if (depth > 20) return v;
  if (isOutput(v)) {
    if (v.resources().size > 0) return v;
    return settle(v, (async () => ((await v.isKnown) ? resolveFree(await v.promise(true), depth + 1) : v))());
  }
  if (v && typeof v === "object" && typeof (v as Record<string, unknown>).then === "function") return settle(v, (v as Promise<unknown>).then((x) => resolveFree(x, depth + 1)));
  if (Array.isArray(v)) return Promise.all(v.map((x) => resolveFree(x, depth + 1)));
  if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = await resolveFree(x, depth + 1);
    return out;
  }
  return v;
}

/** The value, or the unresolved original when it takes longer than OUTPUT_WAIT_MS or fails. */
async function settle(original: unknown, p: Promise<unknown>): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<unknown>((res) => {
    timer = setTimeout(() => {
      debugLog("guardrails: an Output given as an argument did not resolve in 30 s; counted as not known until apply");
      res(original);
    }, OUTPUT_WAIT_MS);
    timer.unref?.();
  });
  try {
    return await Promise.race([p.catch(() => original), late]);
  } finally {
    clearTimeout(timer);
  }
}

function withDefaults(fields: Fields, args: Record<string, unknown>): Record<string, unknown> {
  const out = { ...args };
  for (const [k, f] of Object.entries(fields)) if (out[k] === undefined && f.default !== undefined) out[k] = f.default;
  return out;
}

const label = (key: string) => key.replace(":", ".");

async function measure(r: Run, batch: Item[]): Promise<void> {
  for (const it of batch) {
    it.inputs = withDefaults(it.def.fields, ((await resolveFree(it.args ?? {})) ?? {}) as Record<string, unknown>);
    it.spend = spendOf(it.def, it.inputs, r.limits.currencies);
  }
  duplicates(r, batch);
  relations(r, batch);
  accounts(r, batch);
  amounts(r, batch);
  const spending = r.items.filter((x) => x.spend);
  const known = spending.filter((x) => !x.spend!.unknown.length);
  // Resources whose figures are partly unknown are listed as unknown and not counted: the host adds them when known.
  const summary = summarize([], known.map((x) => ({ name: x.name, spend: x.spend! })));
  const groups = new Map<string, PlanGroup>();
  for (const x of spending) {
    const k = groupKey(x.spend!);
    if (groups.has(k)) continue;
    const g = summary.groups.find((y) => groupKey(y) === k);
    const unknown = spending.filter((y) => y.spend!.unknown.length && groupKey(y.spend!) === k).map((y) => y.name);
    const contributors = (g?.contributors ?? []).slice().sort(byContribution);
    groups.set(k, {
      network: x.spend!.network, ...(x.spend!.account ? { account: x.spend!.account } : {}), currency: x.spend!.currency,
      daily: g?.after.daily ?? 0, total: g?.after.total ?? 0, running: g?.after.running ?? 0,
      contributors: contributors.slice(0, PLAN_LIST_MAX).map((c) => [clip(c.name, 100), c.daily]), contributorCount: contributors.length,
      unknown: unknown.slice(0, PLAN_LIST_MAX).map((n) => clip(n, 100)), unknownCount: unknown.length,
      uncapped: (g?.uncapped ?? []).slice(0, PLAN_LIST_MAX),
      carrier: `${x.def.key} ${x.name}`,
    });
  }
  const plans = [...groups.values()].sort((a, b) => groupKey(a).localeCompare(groupKey(b)));
  const dryRun = isDryRun();
  // At preview every resource learns how many the program declared, so the host knows when it has seen them all (core/money/hostResults.ts).
  // A problem or an account no config names anywhere in the program refuses the run: no resource sends anything at preview.
  const refused = r.items.some((x) => x.problems.length || (x.inputs && !containsOutput(x.inputs.account) && !accountKnown(x.def.key.split(":")[0], accountOf(x.inputs) ?? "default")));
  const base = { v: 1 as const, dryRun, report: reportOnly(), ...(dryRun ? { resources: r.items.length } : {}), ...(refused ? { refused: true } : {}) };
  // Under Pulumi's runtime mocks no provider host checks anything: send nothing (mocked inputs stay as the program gave them).
  if (underMocks()) {
    for (const it of batch) it.resolve(undefined);
    return;
  }
  // Under protectRunning every resource gets the list of the program's resources that spend: the host refuses, at
  // any resource's check, the deletes of running ones the program no longer declares (all or nothing).
  // It also gets the program's inputs that may replace them, so a replacement of a running one refuses the run at any resource's check.
  const program = r.limits.protectRunning
    ? { names: spending.map((x) => `${x.def.key} ${x.name}`).sort(), first: `${r.items[0].def.key} ${r.items[0].name}`, replacing: replacingInputs(spending) }
    : {};
  // With a limit set, a resource that spends nothing gets the program's figures too: at an update it refuses a broken
  // limit as the spending ones do, so no part of the update is written.
  const limited = r.limits.maxDailyBudget !== undefined || r.limits.maxDailyIncrease !== undefined;
  for (const it of batch) {
    const problems = [...new Set(it.problems)];
    const extra = { ...(problems.length ? { problems } : {}), ...(it.amounts ? { amounts: it.amounts } : {}) };
    if (it.spend) it.resolve({ ...base, known: !it.spend.unknown.length, groups: plans, count: spending.length, ...program, ...extra });
    else if (limited || r.limits.protectRunning) it.resolve({ ...base, ...(limited ? { groups: plans } : {}), ...program, ...extra });
    else it.resolve(Object.keys(extra).length || dryRun ? { ...base, ...extra } : undefined);
  }
}

/**
 * The known inputs of each resource that may replace it: the fields declared
 * `replaceOnChange` (or holding such a field), or every field when the type
 * has its own replacement rule (`replaceWhen`). Keyed "<type key> <name>", sorted.
 */
function replacingInputs(items: Item[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const x of [...items].sort((a, b) => (`${a.def.key} ${a.name}` < `${b.def.key} ${b.name}` ? -1 : 1))) {
    const own = typeof (x.def as { replaceWhen?: unknown }).replaceWhen === "function";
    const picked: Record<string, unknown> = {};
    for (const [k, f] of Object.entries(x.def.fields)) {
      const v = x.inputs?.[k];
      if (v === undefined || containsOutput(v) || !(own || mayReplace(f))) continue;
      picked[k] = v;
    }
    if (Object.keys(picked).length) out[`${x.def.key} ${x.name}`] = picked;
  }
  return out;
}

function mayReplace(f: Fields[string]): boolean {
  return !!f.replaceOnChange || (f.kind === "object" && Object.values(f.fields).some(mayReplace));
}

function underMocks(): boolean {
  try {
    const monitor = require("@pulumi/pulumi/runtime/settings").getMonitor?.();
    return monitor?.constructor?.name === "MockMonitor";
  } catch {
    return false;
  }
}

function isDryRun(): boolean {
  try {
    return !!require("@pulumi/pulumi/runtime/settings").isDryRun();
  } catch {
    return true;
  }
}

// ---------------------------------------------------------------- natural keys

/** A natural key value as the networks compare names: surrounding spaces and case ignored for names, spaces for URLs. */
function keyPart(kind: string, v: unknown): string {
  if (typeof v === "string") return kind === "string" ? v.trim().toLowerCase() : v.trim();
  return JSON.stringify(v);
}

/**
 * Two resources of one type (one account: a stack has one per network and
 * `account` input, and the plugin one per explicit provider)
 * whose natural keys are equal are refused: a create whose response was lost
 * is found again by its natural key, so they could adopt each other's
 * object. Only values the program knows are compared.
 */
function duplicates(r: Run, batch: Item[]): void {
  const allowed = new Set(r.limits.allowDuplicates ?? []);
  const keyOf = (it: Item): string | undefined => {
    const fields = Object.entries(it.def.fields).filter(([, f]) => f.naturalKey && !f.output);
    if (!fields.length || allowed.has(it.name)) return undefined;
    const parts: string[] = [];
    // The account the key is unique in (an organization the resource names), then the key itself.
    for (const [k, f] of [...Object.entries(it.def.fields).filter(([, f]) => f.accountScope), ...fields]) {
      // Omitted and "default" are the same account.
      const v = k === "account" ? accountOf(it.inputs) : it.inputs?.[k];
      if (notKnown(v) || isOutput(v) || containsOutput(v)) return undefined;
      parts.push(v === undefined || v === null ? "" : keyPart(f.kind, v));
    }
    return `${it.def.key}\u0000${it.scope ?? ""}\u0000${parts.join("\u0000")}`;
  };
  const byKey = new Map<string, Item[]>();
  for (const it of r.items) {
    if (!it.inputs) continue;
    const k = keyOf(it);
    if (k === undefined) continue;
    const list = byKey.get(k) ?? [];
    list.push(it);
    byKey.set(k, list);
  }
  for (const list of byKey.values()) {
    if (list.length < 2 || !list.some((x) => batch.includes(x))) continue;
    const def = list[0].def;
    const fields = Object.entries(def.fields).filter(([, f]) => f.naturalKey && !f.output);
    const names = list.map((x) => x.name);
    const shown = fields.map(([k]) => `${k} ${clip(JSON.stringify(list[0].inputs?.[k] ?? null), 80)}`).join(", ");
    const compared = fields.some(([, f]) => f.kind === "string") ? " (compared ignoring case and surrounding spaces)" : fields.some(([, f]) => f.kind === "url") ? " (compared ignoring surrounding spaces)" : "";
    const message = `${label(def.key)} ${quoteList(names)} have the same natural key, ${shown}${compared}: the network would hold ${names.length} objects that a create whose response was lost could mix up. Give each its own ${fields.map(([k]) => k).join(" / ")}, or, where the network truly allows the same ${fields.map(([k]) => k).join(" / ")} twice, list them in ${GUARDRAIL_SETTINGS.allowDuplicates.key}: pulumi config set ${GUARDRAIL_SETTINGS.allowDuplicates.key} '${JSON.stringify(names)}'`;
    for (const x of list) x.problems.push(message);
  }
}

function containsOutput(v: unknown, depth = 0): boolean {
  if (depth > 20) return false;
  if (isOutput(v) || isUnknown(v)) return true;
  if (Array.isArray(v)) return v.some((x) => containsOutput(x, depth + 1));
  if (v && typeof v === "object") return Object.values(v).some((x) => containsOutput(x, depth + 1));
  return false;
}

function quoteList(names: string[]): string {
  const q = names.map((n) => `'${clip(n, 100)}'`);
  return q.length <= 2 ? q.join(" and ") : `${q.slice(0, -1).join(", ")} and ${q[q.length - 1]}`;
}

// ---------------------------------------------------------------- accounts and amounts

/**
 * A reference from a resource of one account to a resource of another
 * account is refused: the id means nothing in the other account (at best a
 * 404 at apply, at worst another object that has the same id there).
 */
function accounts(r: Run, batch: Item[]): void {
  const name = (a: string | undefined) => a ?? "default";
  for (const it of batch) {
    if (!it.inputs || containsOutput(it.inputs.account)) continue;
    for (const [k, f] of Object.entries(it.def.fields)) {
      const target = referenced(r, it.args?.[k], f.ref);
      if (!target || containsOutput(target.inputs?.account)) continue;
      const a = accountOf(it.inputs), b = accountOf(target.inputs);
      if (a === b) continue;
      // An account no config names has its own error, on the resource that names it (core/schema/define.ts): one message for that cause.
      if (!accountKnown(it.def.key.split(":")[0], name(a)) || !accountKnown(target.def.key.split(":")[0], name(b))) continue;
      const message = `${label(it.def.key)} '${it.name}' (account ${name(a)}) refers in ${k} to ${label(target.def.key)} '${target.name}' of account ${name(b)}: an object can only refer to objects of its own account (an id of another account means nothing there). Give both the same account, or declare the object again in account ${name(a)}`;
      it.problems.push(message);
      if (batch.includes(target)) target.problems.push(message);
    }
  }
}

/**
 * Amounts FAR times or more above the median of the same field of the
 * program's others (core/money/moneyCheck.ts): in the resource's plan, for the
 * host to refuse when new or changed and not confirmed (it knows the state).
 */
function amounts(r: Run, batch: Item[]): void {
  if (underMocks()) return;
  const placed: Placed[] = [];
  for (const it of r.items) {
    if (!it.inputs) continue;
    const account = accountOf(it.inputs);
    const currency = currencyFor(r.limits.currencies, it.def.key.split(":")[0], account);
    for (const a of amountsOf(it.def.fields, it.inputs, "", "", currency)) {
      placed.push({ group: `${it.def.key}|${account ?? "default"}|${a.currency ?? currency}|${a.field}`, name: `${it.def.key} ${it.name}`, amount: a });
    }
  }
  const found = outliers(placed);
  for (const it of batch) {
    const flagged = found.get(`${it.def.key} ${it.name}`);
    if (flagged) it.amounts = flagged;
  }
}

// ---------------------------------------------------------------- rules between resources

/** The resource a `ref` field's value comes from, when it is an Output of exactly one resource of this program of the referenced type. */
function referenced(r: Run, v: unknown, key: string | undefined): Item | undefined {
  if (!key || !isOutput(v)) return undefined;
  const deps = [...v.resources()];
  if (deps.length !== 1) return undefined;
  const it = r.byResource.get(deps[0] as object);
  return it && it.def.key === key && it.inputs ? it : undefined;
}

function relations(r: Run, batch: Item[]): void {
  for (const it of batch) {
    if (!it.def.relate || !it.inputs) continue;
    const refs: Record<string, Related | undefined> = {};
    const items: Item[] = [];
    for (const [k, f] of Object.entries(it.def.fields)) {
      const target = referenced(r, it.args?.[k], f.ref);
      if (target) items.push(target);
      refs[k] = target ? { key: target.def.key, name: target.name, inputs: target.inputs! } : undefined;
    }
    let problems: string[] = [];
    try {
      problems = it.def.relate({ key: it.def.key, name: it.name, inputs: it.inputs }, refs);
    } catch (e) {
      problems = [`${label(it.def.key)} '${it.name}': a rule between resources failed: ${thrown(e)?.message ?? e}`];
    }
    for (const p of problems) {
      it.problems.push(p);
      // The referenced resources carry it too: they are checked first, so an update stops before any of them is sent.
      for (const x of items) if (batch.includes(x)) x.problems.push(p);
    }
  }
}
