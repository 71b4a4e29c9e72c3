import { expect } from "chai";
import type * as auto from "@pulumi/pulumi/automation";
import { changes, E2E } from "./engine";

/**
 * A refresh right after `up`: it succeeds, changes nothing (the summary and
 * state's inputs and outputs alike) and sends no write to `network`; then a
 * preview shows no changes (returned, for more checks).
 */
export async function refreshChangesNothing(t: E2E, network: string): Promise<auto.PreviewResult> {
  const writesBefore = t.sb.requests(network, { writes: true }).length;
  const stateBefore = (await t.resources()).map((r: any) => [r.urn, r.inputs, r.outputs]);
  const rf = await t.refresh();
  expect(rf.summary.result).to.equal("succeeded");
  const rc = rf.summary.resourceChanges ?? {};
  expect(Object.keys(rc).filter((k) => k !== "same"), JSON.stringify(rc)).to.deep.equal([]);
  expect((await t.resources()).map((r: any) => [r.urn, r.inputs, r.outputs])).to.deep.equal(stateBefore);
  expect(t.sb.requests(network, { writes: true }).length, "a refresh only reads").to.equal(writesBefore);
  const pv = await t.preview();
  expect(changes(pv)).to.deep.equal({});
  return pv;
}
