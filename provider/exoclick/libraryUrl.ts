import { accountField } from "../core/config/account";
import { ResourceDef } from "../core/schema/define";
import { f, Fields } from "../core/schema/schema";
import { newestUnowned } from "../core/http/recover";
import type { ExoClickClient } from "./client";

export const fields = {
  account: accountField,
  url: f.url({ required: true, macros: true, max: 2048, naturalKey: true, doc: "Landing page URL (absolute http:// or https://). Tracking macros such as {clickid} are allowed." }),
} satisfies Fields;

export const libraryUrl: ResourceDef<typeof fields, ExoClickClient> = {
  key: "exoclick:LibraryUrl", importId: "the numeric library url id",
  doc: "A landing page URL in the ExoClick library (`POST /v2/library/url`). Its id is what a Variation links as `id_library_url`.",
  fields,
  async find(ctx, inputs, exclude) {
    const same = await ctx.client.libraryUrlsWith(inputs.url);
    return newestUnowned(same, (u) => String(u.id), exclude);
  },
  async create(ctx, inputs) {
    const res = await ctx.client.createLibraryUrl(inputs.url);
    return { id: String(res.id) };
  },
  async read(ctx, id) {
    const u = await ctx.client.getLibraryUrl(id);
    return u ? { url: u.url } : undefined;
  },
  async update(ctx, id, _olds, news) {
    await ctx.client.updateLibraryUrl(id, news.url);
  },
  async delete(ctx, id) {
    await ctx.client.deleteLibraryUrl(id);
  },
  async list(ctx) {
    return (await ctx.client.listLibraryUrls()).map((u) => ({ id: String(u.id), state: { url: u.url } }));
  },
};
