import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { imageSize } from "image-size";
import { AdnetResource } from "../core/reference";
import { defineResource } from "../core/resource";
import { newestUnowned } from "../core/recover";
import { isUnknown } from "../core/validate";
import { ExoClickClient } from "./client";
import { BANNER_SIZE, LIBRARY_FILE_TYPES } from "./constants";

export interface LibraryFileArgs {
  /** Path to a local image, relative to the Pulumi program's directory or absolute. */
  path: pulumi.Input<string>;
  /** Library file type: "image" (default), "video" or "video_banner". */
  type?: pulumi.Input<"image" | "video" | "video_banner">;
  /** Exact banner size the image must have, WIDTHxHEIGHT. Default "300x250". Checked at preview. */
  size?: pulumi.Input<string>;
}

function resolve(p: string): string {
  return path.isAbsolute(p) ? p : path.resolve(process.cwd(), p);
}

export const provider = defineResource({
  module: "exoclick",
  type: "LibraryFile",
  inputs: ["path", "type", "size", "contentHash"],
  replaceOn: ["contentHash", "type"],
  // The path only locates the bytes; the content hash is the identity.
  equal: { path: () => true },
  check(n, c) {
    const out = { path: n.path, type: n.type ?? "image", size: n.size ?? "300x250", contentHash: undefined as string | undefined };
    c.string("path", n.path, { required: true });
    c.oneOf("type", out.type, LIBRARY_FILE_TYPES);
    c.string("size", out.size, { pattern: BANNER_SIZE, patternHint: "WIDTHxHEIGHT such as 300x250" });
    if (typeof n.path !== "string" || isUnknown(n.path) || !n.path) return out;
    const file = resolve(n.path);
    let data: Buffer;
    try {
      data = fs.readFileSync(file);
    } catch (e: any) {
      c.fail("path", `path ${JSON.stringify(n.path)}: cannot read it (${e.code ?? e.message}) from ${process.cwd()}`);
      return out;
    }
    out.contentHash = crypto.createHash("md5").update(data).digest("hex");
    if (out.type === "image") {
      let dims;
      try {
        dims = imageSize(new Uint8Array(data));
      } catch {
        c.fail("path", `path ${JSON.stringify(n.path)} is not an image (png, jpg, gif or webp expected)`);
        return out;
      }
      if (typeof out.size === "string" && BANNER_SIZE.test(out.size) && `${dims.width}x${dims.height}` !== out.size) {
        c.fail("path", `path ${JSON.stringify(n.path)} is a ${dims.width}x${dims.height} image, but the banner size must be exactly ${out.size} (size)`);
      }
    }
    return out;
  },
  async find(inputs, exclude) {
    const same = await ExoClickClient.fromSettings().libraryFilesWith(inputs.type ?? "image", inputs.contentHash);
    return newestUnowned(same, (f) => String(f.id), exclude);
  },
  async create(inputs) {
    const res = await ExoClickClient.fromSettings().uploadLibraryFile(resolve(inputs.path), inputs.type, inputs.contentHash);
    return { id: String(res.id), outs: outputs(res) };
  },
  async read(id, state) {
    const f = await ExoClickClient.fromSettings().getLibraryFile(id);
    if (!f || f.is_archived === 1) return undefined;
    return {
      path: state.path,
      type: f.type,
      size: state.size ?? `${f.width}x${f.height}`,
      contentHash: f.file_hash_original ?? state.contentHash,
      ...outputs(f),
    };
  },
  async update() {
    // Only `path` or `size` changed: nothing to send (content changes replace).
    return {};
  },
  async delete(id) {
    await ExoClickClient.fromSettings().deleteLibraryFile(id);
  },
});

function outputs(f: Record<string, any>) {
  return { width: f.width, height: f.height, fileUrl: f.url, fileName: f.file_name };
}

/**
 * An image in the ExoClick library, uploaded as multipart (`POST
 * /v2/library/file`). The image's dimensions are checked at preview; a
 * changed image (new content hash) replaces the library file.
 */
export class LibraryFile extends AdnetResource {
  declare readonly path: pulumi.Output<string>;
  declare readonly type: pulumi.Output<string>;
  declare readonly size: pulumi.Output<string>;
  /** MD5 of the image, as ExoClick reports it (`file_hash_original`). */
  declare readonly contentHash: pulumi.Output<string>;
  declare readonly width: pulumi.Output<number>;
  declare readonly height: pulumi.Output<number>;
  /** URL of the stored creative. */
  declare readonly fileUrl: pulumi.Output<string>;
  declare readonly fileName: pulumi.Output<string>;
  constructor(name: string, args: LibraryFileArgs, opts?: pulumi.CustomResourceOptions) {
    super("exoclick:LibraryFile", name, { ...args, contentHash: undefined, width: undefined, height: undefined, fileUrl: undefined, fileName: undefined }, opts);
  }
}
