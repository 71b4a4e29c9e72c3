import * as pulumi from "@pulumi/pulumi";
import { AdnetResource } from "../core/reference";
import { defineResource } from "../core/resource";
import { newestUnowned } from "../core/recover";
import { ConfigError } from "../core/errors";
import { ExoClickClient } from "./client";

export interface VariationArgs {
  /** The campaign's id (a Campaign's `id`). Changing it replaces the variation. */
  campaignId: pulumi.Input<string>;
  /** The landing page (a LibraryUrl's `id`). Changing it replaces the variation. */
  libraryUrlId: pulumi.Input<string>;
  /** The creative (a LibraryFile's `id`). Changing it replaces the variation. */
  libraryFileId: pulumi.Input<string>;
  /** Whether the variation serves (default true). Changed in place with play/pause. */
  active?: pulumi.Input<boolean>;
}

const ID = /^\d+$/;

/** Variation ids are "<campaignId>/<variationId>" (the form `import` takes). */
export function splitId(id: string): [string, string] {
  const m = /^(\d+)\/(\d+)$/.exec(id);
  if (!m) throw new ConfigError(`exoclick.Variation id must look like "<campaignId>/<variationId>", got ${JSON.stringify(id)}`);
  return [m[1], m[2]];
}

export const provider = defineResource({
  module: "exoclick",
  type: "Variation",
  inputs: ["campaignId", "libraryUrlId", "libraryFileId", "active"],
  replaceOn: ["campaignId", "libraryUrlId", "libraryFileId"],
  check(n, c) {
    const out: Record<string, any> = { ...n, active: n.active ?? true };
    for (const k of ["campaignId", "libraryUrlId", "libraryFileId"]) {
      if (typeof n[k] === "number") out[k] = String(n[k]);
      c.string(k, out[k], { required: true, pattern: ID, patternHint: "a numeric ExoClick id (pass the other resource's id output)" });
    }
    c.boolean("active", out.active);
    return out;
  },
  async find(inputs, exclude) {
    const same = await ExoClickClient.fromSettings().variationsLinking(inputs.campaignId, inputs.libraryUrlId, inputs.libraryFileId).catch(() => []);
    return newestUnowned(same, (v) => `${inputs.campaignId}/${v.idvariation}`, exclude);
  },
  async create(inputs) {
    const res = await ExoClickClient.fromSettings().createVariation(inputs.campaignId, {
      id_library_url: inputs.libraryUrlId,
      id_library_file: inputs.libraryFileId,
      active: inputs.active ? 1 : 0,
    });
    return { id: `${inputs.campaignId}/${res.id}`, outs: { variationId: String(res.id) } };
  },
  async read(id) {
    const [campaignId, variationId] = splitId(id);
    const v = (await ExoClickClient.fromSettings().listVariations(campaignId)).find((x) => String(x.idvariation) === variationId);
    if (!v) return undefined;
    return {
      campaignId,
      libraryUrlId: String(v.idvariations_url),
      libraryFileId: String(v.idvariations_file),
      active: Number(v.active) === 1,
      variationId,
    };
  },
  async update(id, _olds, news) {
    const [campaignId, variationId] = splitId(id);
    await ExoClickClient.fromSettings().setVariationActive(campaignId, variationId, news.active);
    return { variationId };
  },
  async delete(id) {
    const [campaignId, variationId] = splitId(id);
    await ExoClickClient.fromSettings().deleteVariation(campaignId, variationId);
  },
});

/**
 * A variation: links a landing page and a creative to a campaign (`POST
 * /v2/campaigns/{id}/variation`, multipart form). Its id is
 * "<campaignId>/<variationId>".
 */
export class Variation extends AdnetResource {
  declare readonly campaignId: pulumi.Output<string>;
  declare readonly libraryUrlId: pulumi.Output<string>;
  declare readonly libraryFileId: pulumi.Output<string>;
  declare readonly active: pulumi.Output<boolean>;
  /** ExoClick's own variation id. */
  declare readonly variationId: pulumi.Output<string>;
  constructor(name: string, args: VariationArgs, opts?: pulumi.CustomResourceOptions) {
    super("exoclick:Variation", name, { ...args, variationId: undefined }, opts);
  }
}
