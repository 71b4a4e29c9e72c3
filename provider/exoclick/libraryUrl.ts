import { ResourceDef } from "../core/define";
import { f, Fields } from "../core/schema";
import { newestUnowned } from "../core/recover";
import { ExoClickClient } from "./client";

export const fields = {
  url: f.url({ required: true, macros: true, max: 2048, naturalKey: true, doc: "Landing page URL (absolute http:// or https://). Tracking macros such as {clickid} are allowed." }),
} satisfies Fields;

/**
 * A landing page URL in the ExoClick library (`POST /v2/library/url`).
 * Its id is what a Variation links as `id_library_url`.
 */
export const libraryUrl: ResourceDef<typeof fields> = {
  key: "exoclick:LibraryUrl", importId: "the numeric library url id",
  doc: "A landing page URL in the ExoClick library (`POST /v2/library/url`). Its id is what a Variation links as `id_library_url`.",
  fields,
  async find(inputs, exclude) {
    const same = await ExoClickClient.fromSettings().libraryUrlsWith(inputs.url);
    return newestUnowned(same, (u) => String(u.id), exclude);
  },
  async create(inputs) {
    const res = await ExoClickClient.fromSettings().createLibraryUrl(inputs.url);
    return { id: String(res.id) };
  },
  async read(id) {
    const u = await ExoClickClient.fromSettings().getLibraryUrl(id);
    return u ? { url: u.url } : undefined;
  },
  async update(id, _olds, news) {
    await ExoClickClient.fromSettings().updateLibraryUrl(id, news.url);
  },
  async delete(id) {
    await ExoClickClient.fromSettings().deleteLibraryUrl(id);
  },
  async list() {
    return (await ExoClickClient.fromSettings().listLibraryUrls()).map((u) => ({ id: String(u.id), state: { url: u.url } }));
  },
};
