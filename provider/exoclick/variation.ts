import { accountField } from "../core/config/account";
import { ResourceDef } from "../core/schema/define";
import { f, Fields, toWire, WireInputOf } from "../core/schema/schema";
import { newestUnowned } from "../core/http/recover";
import { ConfigError } from "../core/http/errors";
import type { ExoClickClient, ExoClickShapes, VariationWire } from "./client";

const ID = /^\d+$/;
const ID_HINT = "a numeric ExoClick id (pass the other resource's id output)";

export const fields = {
  account: accountField,
  campaignId: f.string({
    required: true, pattern: ID, patternHint: ID_HINT, replaceOnChange: true, naturalKey: true, wire: false, ref: "exoclick:Campaign",
    doc: "The campaign's id (a Campaign's `id`); part of the URL `POST /campaigns/{id}/variation`. Changing it replaces the variation.",
  }),
  libraryUrlId: f.string({
    required: true, pattern: ID, patternHint: ID_HINT, replaceOnChange: true, naturalKey: true, wire: "id_library_url", ref: "exoclick:LibraryUrl",
    doc: "The landing page (a LibraryUrl's `id`), sent as `id_library_url`. Changing it replaces the variation.",
  }),
  libraryFileId: f.string({
    required: true, pattern: ID, patternHint: ID_HINT, replaceOnChange: true, naturalKey: true, wire: "id_library_file", ref: "exoclick:LibraryFile",
    doc: "The creative (a LibraryFile's `id`), sent as `id_library_file`; its size must match the campaign's. Changing it replaces the variation.",
  }),
  active: f.boolean({
    default: true, wire: "active", encode: (v: boolean) => (v ? 1 : 0),
    doc: "Whether the variation serves (default true), sent as `active` 1/0. Changed in place with the variation's play/pause.",
  }),
  variationId: f.string({ output: true, wire: "idvariation", doc: "ExoClick's own variation id (`idvariation`); the resource's id is \"<campaignId>/<variationId>\"." }),
} satisfies Fields;

export type VariationFields = typeof fields;

/** Variation ids are "<campaignId>/<variationId>" (the form `import` takes). */
export function splitId(id: string): [string, string] {
  const m = /^(\d+)\/(\d+)$/.exec(id);
  if (!m) throw new ConfigError(`exoclick.Variation id must look like "<campaignId>/<variationId>", got ${JSON.stringify(id)}`);
  return [m[1], m[2]];
}

/** ExoClick's variation object (read names differ from the create form's) -> input shape plus outputs. */
function fromVariation(campaignId: string, v: VariationWire) {
  return {
    campaignId,
    libraryUrlId: String(v.idvariations_url),
    libraryFileId: String(v.idvariations_file),
    active: Number(v.active) === 1,
    variationId: String(v.idvariation),
  };
}

/** The client as this resource gets it (exoclick/network.ts makes it with every resource's shapes). */
type Client = ExoClickClient<ExoClickShapes & { variationInput: WireInputOf<VariationFields> }>;

export const variation: ResourceDef<VariationFields, Client> = {
  key: "exoclick:Variation", importId: "\"<campaignId>/<variationId>\"",
  doc: "A variation: links a landing page and a creative to a campaign (`POST /v2/campaigns/{id}/variation`, multipart form). Its id is \"<campaignId>/<variationId>\".",
  fields,
  relate(self, refs) {
    // ExoClick answers 400 when an img_banner campaign gets a creative of another size: seen here, at preview,
    // when the program declares both (the file's `size` is checked against the image itself at its own check).
    const campaign = refs.campaignId;
    const file = refs.libraryFileId;
    if (!campaign || !file || campaign.inputs.mediaStorageTemplate !== "img_banner") return [];
    const [want, got] = [campaign.inputs.size, file.inputs.size];
    if (typeof want !== "string" || typeof got !== "string" || want === got) return [];
    return [`exoclick.Variation '${self.name}' links the ${got} LibraryFile '${file.name}' to the ${want} Campaign '${campaign.name}': ExoClick shows a banner campaign's creatives at exactly its size and refuses another (400). Link a ${want} image, or a ${got} campaign`];
  },
  async find(ctx, inputs, exclude) {
    const same = await ctx.client.variationsLinking(inputs.campaignId, inputs.libraryUrlId, inputs.libraryFileId).catch(() => []);
    return newestUnowned(same, (v) => `${inputs.campaignId}/${v.idvariation}`, exclude);
  },
  async create(ctx, inputs) {
    const res = await ctx.client.createVariation(inputs.campaignId, toWire(fields, inputs));
    return { id: `${inputs.campaignId}/${res.id}`, outs: { variationId: String(res.id) } };
  },
  async read(ctx, id) {
    const [campaignId, variationId] = splitId(id);
    // From the campaign's detail, read once per run for the campaign and its variations.
    const v = await ctx.client.getVariation(campaignId, variationId);
    return v ? fromVariation(campaignId, v) : undefined;
  },
  async update(ctx, id, _olds, news) {
    const [campaignId, variationId] = splitId(id);
    await ctx.client.setVariationActive(campaignId, variationId, news.active);
    return { variationId };
  },
  async delete(ctx, id) {
    const [campaignId, variationId] = splitId(id);
    await ctx.client.deleteVariation(campaignId, variationId);
  },
  async list(ctx) {
    const client = ctx.client;
    const out: Array<{ id: string; state: ReturnType<typeof fromVariation> }> = [];
    for (const c of await client.listAll<ExoClickShapes["campaign"]>("/campaigns")) {
      if (c.status === -1) continue; // archived campaigns read as gone
      for (const v of await client.listVariations(c.id)) out.push({ id: `${c.id}/${v.idvariation}`, state: fromVariation(String(c.id), v) });
    }
    return out;
  },
};
