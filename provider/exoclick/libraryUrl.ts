import * as pulumi from "@pulumi/pulumi";
import { AdnetResource } from "../core/reference";
import { defineResource } from "../core/resource";
import { newestUnowned } from "../core/recover";
import { ExoClickClient } from "./client";

export interface LibraryUrlArgs {
  /** Landing page URL (absolute http:// or https://). Tracking macros such as {clickid} are allowed. */
  url: pulumi.Input<string>;
}

/** Implementation, loaded in the provider host by `pulumi-adnetworks/host`. */
export const provider = defineResource({
  module: "exoclick",
  type: "LibraryUrl",
  inputs: ["url"],
  check(n, c) {
    c.url("url", n.url, { required: true, allowMacros: true });
    c.string("url", n.url, { max: 2048 });
    return { url: n.url };
  },
  async find(inputs, exclude) {
    const same = await ExoClickClient.fromSettings().libraryUrlsWith(inputs.url);
    return newestUnowned(same, (u) => String(u.id), exclude);
  },
  async create(inputs) {
    const res = await ExoClickClient.fromSettings().createLibraryUrl(inputs.url);
    return { id: String(res.id), outs: {} };
  },
  async read(id) {
    const u = await ExoClickClient.fromSettings().getLibraryUrl(id);
    return u ? { url: u.url } : undefined;
  },
  async update(id, _olds, news) {
    await ExoClickClient.fromSettings().updateLibraryUrl(id, news.url);
    return {};
  },
  async delete(id) {
    await ExoClickClient.fromSettings().deleteLibraryUrl(id);
  },
});

/**
 * A landing page URL in the ExoClick library (`POST /v2/library/url`).
 * Its id is what a Variation links as `id_library_url`.
 */
export class LibraryUrl extends AdnetResource {
  declare readonly url: pulumi.Output<string>;
  constructor(name: string, args: LibraryUrlArgs, opts?: pulumi.CustomResourceOptions) {
    super("exoclick:LibraryUrl", name, { ...args }, opts);
  }
}
