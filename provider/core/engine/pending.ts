/**
 * Recovery after `pulumi up` was killed in the middle of creating.
 *
 * A killed deployment leaves the stack locked and "pending create"
 * operations in its state: the engine asked the provider to create those
 * resources and never heard back. Some of them exist on the network. Pulumi
 * can adopt them (`pulumi refresh --import-pending-creates URN ID`) if it is
 * told their ids; this module finds those ids by each resource's natural key,
 * excluding every id the stack already owns, and drops the rest (they were
 * never created, so the next `pulumi up` creates them once).
 *
 * A pending create whose URN is still in state, live, is a replacement in
 * flight (create before delete: a new image uploaded, the old one not yet
 * deleted). The object found is adopted as the replacement, and the old
 * resource is marked for deletion, as the engine itself marks it after a
 * replacement's create: the next `pulumi up` deletes it once its dependents
 * have moved to the new one. Adopting it as a second live resource of the
 * same URN would make the state invalid ("duplicate resource urn").
 */
import type { Registry } from "../schema/define";
import type { Deployment } from "./stackState";
import { typeKeyOf } from "./typeKey";

export interface PendingCreate {
  urn: string;
  type: string;
  inputs: Record<string, unknown>;
  id?: string;
}

export interface RecoveryPlan {
  /** Pending creates found on the network: URN -> id to adopt. */
  adopt: Array<{ urn: string; id: string }>;
  /** Of those, replacements in flight: the resource of that URN in state is marked for deletion. */
  replaced: string[];
  /** Pending creates that do not exist on the network (dropped; `up` creates them). */
  drop: string[];
  /** Pending creates of types this package cannot search. */
  unknown: string[];
  /**
   * Other pending operations (a killed `pulumi destroy` leaves "deleting",
   * a killed update "updating"): cleared. The resources stay in state, so
   * running the interrupted command again finishes the job (a delete of an
   * object that is already gone counts as done).
   */
  cleared: Array<{ urn: string; type: string }>;
}


export function pendingCreates(deployment: Deployment | undefined): PendingCreate[] {
  return (deployment?.pending_operations ?? [])
    .filter((op) => op.type === "creating")
    .map((op) => ({ urn: op.resource.urn, type: op.resource.type, inputs: op.resource.inputs ?? {}, id: op.resource.id || undefined }));
}

/** Works out which pending creates exist remotely. Uses the provider's `find`. */
export async function planRecovery(deployment: Deployment | undefined, registry: Registry): Promise<RecoveryPlan> {
  const plan: RecoveryPlan = { adopt: [], replaced: [], drop: [], unknown: [], cleared: [] };
  const live = new Set((deployment?.resources ?? []).filter((r) => !r.delete).map((r) => r.urn));
  for (const op of deployment?.pending_operations ?? []) if (op.type !== "creating") plan.cleared.push({ urn: op.resource?.urn, type: op.type });
  const owned = new Map<string, Set<string>>();
  for (const r of deployment?.resources ?? []) {
    if (!owned.has(r.type)) owned.set(r.type, new Set());
    if (r.id) owned.get(r.type)!.add(String(r.id));
  }
  for (const p of pendingCreates(deployment)) {
    const key = typeKeyOf(p.type) ?? "";
    if (!registry.types().includes(key)) {
      plan.unknown.push(p.urn);
      continue;
    }
    const impl = registry.get(key);
    const taken = owned.get(p.type) ?? new Set<string>();
    let id = p.id;
    if (!id && typeof impl.find === "function") id = await impl.find(p.inputs, taken);
    if (!id && typeof impl.find !== "function") {
      plan.unknown.push(p.urn);
      continue;
    }
    if (id) {
      plan.adopt.push({ urn: p.urn, id });
      if (live.has(p.urn)) plan.replaced.push(p.urn);
      taken.add(id);
      owned.set(p.type, taken);
    } else plan.drop.push(p.urn);
  }
  return plan;
}

/**
 * The repaired deployment: adopted objects become resources (outputs read
 * from the network), every pending operation is cleared. It is what
 * `pulumi refresh --import-pending-creates URN ID ... --clear-pending-creates`
 * would write, done with `pulumi stack export` / `import`, which need no
 * language host and work with any backend.
 */
export async function applyRecovery(deployment: Deployment, plan: RecoveryPlan, registry: Registry): Promise<Deployment> {
  const pending = new Map(pendingCreates(deployment).map((p) => [p.urn, p]));
  const ops = new Map((deployment.pending_operations ?? []).map((op) => [op.resource.urn, op.resource]));
  const resources = [...(deployment.resources ?? [])];
  for (const a of plan.adopt) {
    const p = pending.get(a.urn)!;
    const base = ops.get(a.urn)!;
    const impl = registry.get(typeKeyOf(p.type)!);
    const read = (await impl.read(a.id, p.inputs)) as { id: string; props: Record<string, unknown> };
    const outputs = read.id ? { ...read.props, __provider: p.inputs.__provider } : { ...p.inputs };
    // A replacement in flight: the old copy is deleted by the next update, after its dependents move.
    const old = resources.findIndex((r) => r.urn === a.urn && !r.delete);
    if (old >= 0) resources[old] = { ...resources[old], delete: true };
    resources.push({ ...base, id: a.id, outputs, created: base.created ?? new Date().toISOString(), modified: new Date().toISOString() });
  }
  const next: Deployment = { ...deployment, resources };
  delete next.pending_operations;
  return next;
}
