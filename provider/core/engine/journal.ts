/**
 * The provider's own journal, for stacks run with the engine's per-step
 * checkpoints off (`PULUMI_SKIP_CHECKPOINTS=true`; see README "Large
 * accounts").
 *
 * With a file (or other DIY) backend, Pulumi writes the whole state after
 * every step, twice per created resource, so an `up` costs O(N²) in the
 * stack's size (15 s of engine CPU for 400 resources, 191 s for 1,600). With
 * PULUMI_SKIP_CHECKPOINTS the engine writes the state once, at the end: the
 * cost becomes linear, but a killed `pulumi up` (kill -9, a lost CI runner)
 * leaves the state as it was before the run, with no record of what the run
 * created, and the next `up` would create those objects a second time.
 *
 * So, in that mode, the provider host keeps that record itself: before each
 * create it appends `create` (URN, type, inputs without secret fields) to
 * an append-only file of this run, and `created` (the id) once the network
 * answered, each line written before the call goes on (as durable as the
 * engine's own checkpoint files: written, not synced; ADNET_JOURNAL_FSYNC=1
 * syncs every line). Updates and deletes are recorded too (for the record;
 * they are safe to repeat). Nothing else changes in a run that is not
 * interrupted.
 *
 * The next run (after `adnet-recover` removed the dead run's lock) reads the
 * journals of earlier runs the first time it creates something, against the
 * stack's state:
 *  - an object a journal says was created, whose id the state does not hold,
 *    is an orphan of a killed run: when the program declares that resource
 *    again (same URN), `create` adopts it instead of making a second one
 *    (reads it; updates it if the program changed since; a difference that
 *    would replace it deletes the orphan and creates anew);
 *  - a create that was in flight (`create` without an answer) is looked up
 *    by natural key, excluding every id the stack owns (the same search
 *    `adnet-recover` runs for pending creates), and adopted if found;
 *  - a journal whose objects are all in state is deleted.
 * `adnet-recover` reports the same (and lists orphans no longer declared).
 *
 * Where (core/engine/journalStore.ts): in the stack's backend, so a runner that
 * dies takes nothing with it: `<file backend>/.pulumi/adnet-journal/<project>/<stack>/`
 * for file://, the table `adnet_journal` of the same database for
 * postgres://; for other backends `$PULUMI_HOME/adnet-journal/<project>/<stack>/`
 * on this machine (said at the run's first create).
 * ADNET_JOURNAL=1 turns it on without PULUMI_SKIP_CHECKPOINTS, =0 off.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type * as pulumi from "@pulumi/pulumi";
import type { ProviderImpl } from "../schema/define";
import { ApiError, thrown } from "../http/errors";
import { backendUrl, checkpointText, fileBackendRoot } from "./filestate";
import { checkRun, JOURNAL_FORMAT, JournalEntry, JournalRun, JournalStore, journalStore, packageVersion, readJournal } from "./journalStore";
import { currentUrn, debug, progress } from "../config/log";
import type { Deployment } from "./stackState";
import { typeKeyOf } from "./typeKey";

export { journalDir, readJournal, journalStore, JournalMismatch } from "./journalStore";
export type { JournalEntry, JournalStore } from "./journalStore";

const truthy = (v: string | undefined) => v !== undefined && /^(1|true|yes)$/i.test(v.trim());

/** Whether this process keeps the journal. */
export function journalEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.ADNET_JOURNAL !== undefined && env.ADNET_JOURNAL !== "") return truthy(env.ADNET_JOURNAL);
  return truthy(env.PULUMI_SKIP_CHECKPOINTS);
}

/** The type key of an engine type token, the dynamic resources' or the plugin's ("adnetworks:exoclick:Campaign" -> "exoclick:Campaign"). */
export const keyOf = (token: string) => typeKeyOf(token) ?? token;

/** Stack and project of a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
export function urnParts(urn: string): { stack: string; project: string; type: string } {
  const parts = urn.split("::");
  const stack = parts[0].replace(/^urn:pulumi:/, "");
  return { stack, project: parts[1] ?? "", type: (parts[2] ?? "").split("$").pop() ?? "" };
}

/** The ids a stack's state holds, by type (from the checkpoint file, or `pulumi stack export`). */
export type Owned = Map<string, Set<string>>;

export function ownedIds(deployment: Deployment | undefined): Owned {
  const owned: Owned = new Map();
  for (const r of deployment?.resources ?? []) {
    if (!r.id) continue;
    if (!owned.has(r.type)) owned.set(r.type, new Set());
    owned.get(r.type)!.add(String(r.id));
  }
  return owned;
}

/** The stack's current deployment as the backend holds it, read without the engine's help. */
export async function currentDeployment(project: string, stack: string, store: JournalStore, cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Promise<Deployment> {
  const name = stack.split("/").pop()!;
  const root = fileBackendRoot(backendUrl(cwd, env));
  if (root) {
    for (const dir of [path.join(root, ".pulumi", "stacks", project), path.join(root, ".pulumi", "stacks")]) {
      for (const ext of [".json", ".json.zst", ".json.gz"]) {
        const f = path.join(dir, name + ext);
        if (fs.existsSync(f)) return JSON.parse(checkpointText(fs.readFileSync(f), f)).checkpoint?.latest ?? {};
      }
    }
    return {}; // a new stack: nothing saved yet
  }
  // A database backend: its state row, read directly.
  const direct = await store.deployment();
  if (direct) return direct;
  // Another backend: ask the CLI that started this host.
  const cli = require("./stackConfig").parentCli() as { pulumi: string } | undefined;
  const out = execFileSync(cli?.pulumi ?? "pulumi", ["stack", "export", "--stack", stack, "--non-interactive"], { cwd, env, encoding: "utf8", maxBuffer: 1024 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
  return JSON.parse(out).deployment ?? {};
}

export interface Unsettled {
  /** Objects a killed run created that the state does not hold, by URN (the next create of that URN adopts). */
  orphans: Map<string, { id: string; type: string; file: string }>;
  /** In-flight creates of killed runs, by URN, with their inputs (looked up by natural key). */
  inFlight: Map<string, { type: string; inputs: Record<string, unknown>; file: string }>;
  /** Runs (journal files) whose every object is in state. */
  settled: string[];
}

/** What earlier runs' journals hold that the state does not (see the module comment); journal files, or runs read from a store. */
export function unsettled(runs: Array<string | JournalRun>, owned: Owned): Unsettled {
  const out: Unsettled = { orphans: new Map(), inFlight: new Map(), settled: [] };
  for (const r of runs) {
    const { run: file, entries } = typeof r === "string" ? { run: r, entries: readJournal(r) } : r;
    const open = new Map<string, { type: string; inputs: Record<string, unknown> }>();
    const made = new Map<string, { id: string; type: string }>();
    for (const e of entries) {
      if (e.op === "create") open.set(e.urn, { type: e.type ?? "", inputs: e.inputs ?? {} });
      else if ((e.op === "created" || e.op === "adopted") && e.id) {
        made.set(e.urn, { id: e.id, type: e.type ?? open.get(e.urn)?.type ?? urnParts(e.urn).type });
        open.delete(e.urn);
      } else if (e.op === "failed") open.delete(e.urn);
    }
    let pending = 0;
    for (const [urn, m] of made) {
      if (owned.get(m.type)?.has(m.id)) continue;
      out.orphans.set(urn, { ...m, file });
      pending++;
    }
    for (const [urn, o] of open) {
      out.inFlight.set(urn, { ...o, file });
      pending++;
    }
    if (!pending) out.settled.push(file);
  }
  return out;
}

/** Every earlier run of a store, read and checked (JournalMismatch for a run of another stack or format). */
export async function earlierRuns(store: JournalStore, project: string, stack: string, except?: string): Promise<JournalRun[]> {
  const out: JournalRun[] = [];
  for (const run of await store.runs(except)) {
    const r = { run, entries: await store.read(run) };
    checkRun(r, project, stack, store.where);
    out.push(r);
  }
  return out;
}

interface StackJournal {
  store: JournalStore;
  /** Appends to this run's journal (its header first); stored before the promise resolves. */
  write(e: JournalEntry): Promise<void>;
  /** Earlier runs' orphans (and in-flight creates found on the network): URN -> id, until adopted. */
  adopt: Map<string, { id: string; type: string }>;
  /** Settling earlier runs' journals: started by the first create (updates and deletes need none of it). */
  settle(): Promise<void>;
}

const stacks = new Map<string, StackJournal>();
const RUN = `run-${new Date().toISOString().replace(/[:.]/g, "-")}-${process.pid}`;

/** This run's journal of the URN's stack. */
function journalOf(urn: string, impls: (key: string) => ProviderImpl | undefined): StackJournal {
  const { stack, project } = urnParts(urn);
  const key = `${project}::${stack}`;
  let j = stacks.get(key);
  if (j) return j;
  const store = journalStore(project, stack);
  const adopt = new Map<string, { id: string; type: string }>();
  let settling: Promise<void> | undefined;
  let begun: Promise<void> | undefined;
  const fail = (what: string) => (e: unknown) => {
    throw new Error(`pulumi-adnetworks journal (${store.where}): ${what}: ${thrown(e).message ?? e}`);
  };
  const write = async (e: JournalEntry) => {
    await (begun ??= store.append(RUN, { op: "begin", urn: "", format: JOURNAL_FORMAT, version: packageVersion(), project, stack }).catch((err) => {
      begun = undefined;
      throw err;
    }));
    await store.append(RUN, e);
  };
  const settle = async () => {
    if (store.local) progress(`pulumi-adnetworks journal: kept on this machine (${store.where}), not in the stack's backend: a runner lost mid-run takes it with it (file://, postgres:// and s3:// backends keep it beside the state; gs:// and azblob:// not yet)`);
    const earlier = await earlierRuns(store, project, stack, RUN);
    if (!earlier.length) return;
    const owned = ownedIds(await currentDeployment(project, stack, store));
    const u = unsettled(earlier, owned);
    for (const [urn, o] of u.orphans) adopt.set(urn, { id: o.id, type: o.type });
    const unresolved: Array<[string, { type: string; inputs: Record<string, unknown> }]> = [];
    for (const [urn, f] of u.inFlight) {
      // Looked up by natural key, never taking an id the stack or another orphan holds.
      let impl: ProviderImpl | undefined;
      try {
        impl = impls(keyOf(f.type));
      } catch {
        impl = undefined; // a type this version does not have
      }
      if (!impl?.find) {
        unresolved.push([urn, f]);
        continue;
      }
      const taken = new Set([...(owned.get(f.type) ?? []), ...[...adopt.values()].filter((a) => a.type === f.type).map((a) => a.id)]);
      const id = await impl.find(f.inputs, taken);
      if (id) adopt.set(urn, { id, type: f.type });
    }
    for (const f of u.settled) await store.remove(f);
    if (adopt.size || unresolved.length) {
      if (adopt.size) progress(`pulumi-adnetworks journal: ${adopt.size} object(s) created by an interrupted run are not in state; each is adopted when its resource is created again (no duplicate)`);
      // Carried into this run's journal, so that a kill now loses nothing; the earlier runs then go.
      for (const [urn, a] of adopt) await write({ op: "created", urn, type: a.type, id: a.id });
      for (const [urn, f] of unresolved) await write({ op: "create", urn, type: f.type, inputs: f.inputs });
      for (const r of earlier) if (!u.settled.includes(r.run)) await store.remove(r.run);
    }
    debug(`journal ${store.where}: ${earlier.length} earlier run(s), ${u.settled.length} settled, ${adopt.size} to adopt`);
  };
  j = {
    store,
    write: (e) => write(e).catch(fail("cannot record the call, so it is not made")),
    adopt,
    settle: () => (settling ??= settle().catch(fail("cannot compare earlier runs' journals with the state, so nothing is created (a create could duplicate an object a killed run made)"))),
  };
  stacks.set(key, j);
  return j;
}

/**
 * The provider with the journal (a no-op unless `journalEnabled()` and the
 * call comes from the provider host, which knows the URN).
 */
export function journaled(key: string, impl: ProviderImpl, impls: (key: string) => ProviderImpl | undefined, secretFields: string[] = []): ProviderImpl {
  // The engine's token, as the state holds it: the dynamic resources' (pulumi-nodejs:dynamic/<key>) or the plugin's (adnetworks:<key>).
  const typeOf = (urn: string) => urnParts(urn).type || `pulumi-nodejs:dynamic/${key}`;
  const recorded = (news: Record<string, unknown>) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(news ?? {})) if (!k.startsWith("__") && !secretFields.includes(k)) out[k] = v;
    return out;
  };
  const active = () => {
    const urn = currentUrn.getStore();
    return urn && journalEnabled() ? urn : undefined;
  };
  return {
    ...impl,
    async create(news: Record<string, unknown>) {
      const urn = active();
      if (!urn) return impl.create(news);
      const type = typeOf(urn);
      const j = journalOf(urn, impls);
      await j.settle();
      const orphan = j.adopt.get(urn);
      if (orphan && orphan.type === type) {
        j.adopt.delete(urn);
        const adopted = await adopt(impl, urn, orphan.id, news, j);
        if (adopted) return adopted;
      }
      await j.write({ op: "create", urn, type, inputs: recorded(news) });
      try {
        const r = await impl.create(news);
        await j.write({ op: "created", urn, type, id: r.id });
        return r;
      } catch (e) {
        // A create that made the object and failed later carries its id (PartialCreateError); a
        // network that refused the request (4xx) made nothing; anything else may have made it,
        // so the entry stays open and the next run looks the object up by natural key.
        if (thrown(e)?.id) await j.write({ op: "created", urn, type, id: String(thrown(e).id) });
        else if (e instanceof ApiError && e.status >= 400 && e.status < 500) await j.write({ op: "failed", urn, type });
        throw e;
      }
    },
    async update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
      const r = await impl.update(id, olds, news);
      const urn = active();
      if (urn) await journalOf(urn, impls).write({ op: "updated", urn, type: typeOf(urn), id });
      return r;
    },
    async delete(id: string, props: Record<string, unknown>) {
      await impl.delete(id, props);
      const urn = active();
      if (urn) await journalOf(urn, impls).write({ op: "deleted", urn, type: typeOf(urn), id });
    },
  };
}

/**
 * Takes over an object an interrupted run created for this URN: read it,
 * bring it to the declared inputs (update in place), or, when they differ in
 * a way that replaces it, delete it (it was never in state) and let the
 * caller create anew. Undefined when it is gone or was deleted.
 */
async function adopt(impl: ProviderImpl, urn: string, id: string, news: Record<string, unknown>, j: StackJournal): Promise<pulumi.dynamic.CreateResult | undefined> {
  const read: pulumi.dynamic.ReadResult | undefined = await impl.read(id, news);
  if (!read?.id) return undefined; // gone meanwhile
  const current = { ...read.props, __provider: news.__provider };
  const d = await impl.diff(id, current, news);
  if (d.replaces?.length) {
    await impl.delete(id, current);
    await j.write({ op: "deleted", urn, id });
    return undefined;
  }
  let outs = current;
  if (d.changes) {
    const updated: pulumi.dynamic.UpdateResult | undefined = await impl.update(id, current, news);
    outs = updated?.outs ?? { ...current, ...news };
  }
  await j.write({ op: "adopted", urn, id });
  progress(`adopted ${id}, created by an interrupted run (pulumi-adnetworks journal)`);
  return { id, outs };
}

/**
 * For adnet-recover: what the journals of a stack hold that its state does
 * not, in words (empty when there is no journal). Throws JournalMismatch
 * (what to do) for a run of another stack or format.
 */
export async function journalReport(project: string, stack: string, deployment: Deployment | undefined, cwd: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const store = journalStore(project, stack, cwd, env);
  try {
    const runs = await earlierRuns(store, project, stack);
    const where = store.where.startsWith("/") ? path.relative(cwd, store.where) || store.where : store.where;
    const local = store.local ? " (on this machine: the backend keeps no journal of its own)" : "";
    if (!runs.length) return store.local ? [] : [`journal (${where}): none to settle`];
    const u = unsettled(runs, ownedIds(deployment));
    const lines = [`journal (PULUMI_SKIP_CHECKPOINTS runs, ${where})${local}: ${runs.length} run(s)`];
    if (!u.orphans.size && !u.inFlight.size) return [...lines, "  every object the journal records is in state"];
    lines.push(`  ${u.orphans.size} object(s) created by an interrupted run are not in state: the next \`pulumi up\` adopts each one whose resource the program still declares (no duplicate)`);
    for (const [urn, o] of u.orphans) lines.push(`    ${urn} = ${o.id}`);
    if (u.inFlight.size) lines.push(`  ${u.inFlight.size} create(s) were in flight: the next \`pulumi up\` looks each up on its network by natural key and adopts what it finds`);
    for (const urn of u.inFlight.keys()) lines.push(`    ${urn}`);
    return lines;
  } finally {
    await store.close();
  }
}
