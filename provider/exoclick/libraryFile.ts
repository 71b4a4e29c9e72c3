import { accountField } from "../core/config/account";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { ResourceDef } from "../core/schema/define";
import { f, Fields, fromWire, InputsOf, WireOf } from "../core/schema/schema";
import { newestUnowned } from "../core/http/recover";
import { Checker, isUnknown } from "../core/schema/validate";
import type { ExoClickClient, ExoClickShapes } from "./client";
import { BANNER_SIZE, LIBRARY_FILE_TYPES } from "./constants";
import { inspectBannerOnce } from "./image";

export const fields = {
  account: accountField,
  path: f.string({
    required: true, min: 1, wire: false,
    // adnet-import downloads the bytes from fileUrl (checked against contentHash) to recreate the path.
    localFile: { url: "fileUrl", hash: "contentHash" },
    // The path only locates the bytes; the content hash is the identity.
    equal: () => true,
    doc: "Path to a local image, relative to the Pulumi program's directory or absolute. Only locates the bytes: moving the same file changes nothing. For images: PNG, JPEG or GIF, at most 150 KB, complete, of exactly `size`; checked at preview.",
    example: "banner-300x250.png",
  }),
  type: f.enum(LIBRARY_FILE_TYPES, {
    default: "image", replaceOnChange: true,
    doc: "Library file type: \"image\" (default), \"video\" or \"video_banner\". Sent as the multipart field `type`.",
  }),
  size: f.string({
    default: "300x250", pattern: BANNER_SIZE, patternHint: "WIDTHxHEIGHT such as 300x250", wire: false,
    doc: "Exact size WIDTHxHEIGHT the image must have (default \"300x250\"), checked at preview; it must match the size of the campaigns that use it.",
  }),
  contentHash: f.string({
    derived: true, replaceOnChange: true, wire: false,
    doc: "MD5 of the file's bytes, computed at preview from `path`; ExoClick reports it as `file_hash_original`. A new image (new hash) replaces the library file.",
  }),
  width: f.integer({ output: true, wire: "width", doc: "Width in pixels, as ExoClick decoded it." }),
  height: f.integer({ output: true, wire: "height", doc: "Height in pixels, as ExoClick decoded it." }),
  fileUrl: f.url({ output: true, wire: "url", doc: "URL where ExoClick serves the stored file (`url`). An import tool downloads the image from here to recreate `path`." }),
  fileName: f.string({ output: true, wire: "file_name", doc: "Name of the uploaded file (`file_name`); a good local name for the downloaded image." }),
} satisfies Fields;

export type LibraryFileFields = typeof fields;
/** A library file as ExoClick answers it: the declared wire fields plus what it computes. */
export type LibraryFileWire = WireOf<LibraryFileFields> & { id: number; type?: string; file_hash_original?: string; is_archived?: number };
/** The client as this resource gets it (exoclick/network.ts makes it with every resource's shapes). */
export type Client = ExoClickClient<ExoClickShapes & { libraryFile: LibraryFileWire }>;

function resolve(p: string): string {
  return path.isAbsolute(p) ? p : path.resolve(process.cwd(), p);
}

/** The input shape and outputs of ExoClick's file object (no `path`: the network cannot know it). */
function fromFile(file: LibraryFileWire, size?: string) {
  const { type, width, height, fileUrl, fileName } = fromWire(fields, file);
  return {
    type, width, height, fileUrl, fileName,
    size: size ?? (width && height ? `${width}x${height}` : undefined),
    contentHash: file.file_hash_original,
  };
}

/** Reads the file at preview: the content hash (derived), and for images what ExoClick accepts. */
function checkFile(n: InputsOf<LibraryFileFields>, c: Checker): InputsOf<LibraryFileFields> {
  const out = { ...n, contentHash: undefined as string | undefined };
  if (typeof n.path !== "string" || isUnknown(n.path) || !n.path.trim()) return out;
  const shown = JSON.stringify(n.path);
  let data: Buffer;
  try {
    data = fs.readFileSync(resolve(n.path));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    c.fail("path", `path ${shown}: cannot read it (${err.code ?? err.message}) from ${process.cwd()}`);
    return out;
  }
  out.contentHash = crypto.createHash("md5").update(data).digest("hex");
  if (n.type === "image") {
    const info = inspectBannerOnce(out.contentHash, new Uint8Array(data));
    if ("problem" in info) {
      c.fail("path", `path ${shown} ${info.problem}`);
      return out;
    }
    if (typeof n.size === "string" && BANNER_SIZE.test(n.size) && `${info.width}x${info.height}` !== n.size) {
      c.fail("path", `path ${shown} is a ${info.width}x${info.height} image, but the banner size must be exactly ${n.size} (size)`);
    }
  }
  return out;
}

export const libraryFile: ResourceDef<LibraryFileFields, Client> = {
  key: "exoclick:LibraryFile", importId: "the numeric library file id",
  doc: "An image in the ExoClick library, uploaded as multipart (`POST /v2/library/file`). The image is read and checked at preview (format, weight, completeness, exact size); a changed image (new content hash) replaces the library file.",
  fields,
  check: (_ctx, n, c) => checkFile(n, c),
  async find(ctx, inputs, exclude) {
    if (!inputs.contentHash) return undefined;
    const same = await ctx.client.libraryFilesWith(inputs.type, inputs.contentHash);
    return newestUnowned(same, (x) => String(x.id), exclude);
  },
  async create(ctx, inputs) {
    const res = await ctx.client.uploadLibraryFile(resolve(inputs.path), inputs.type, inputs.contentHash!);
    const { width, height, fileUrl, fileName } = fromFile(res);
    return { id: String(res.id), outs: { width, height, fileUrl, fileName } };
  },
  async read(ctx, id, state) {
    const file = await ctx.client.getLibraryFile(id);
    if (!file || file.is_archived === 1) return undefined;
    const out = fromFile(file, state?.size);
    return { ...out, path: state?.path, contentHash: out.contentHash ?? state?.contentHash };
  },
  async update() {
    // Only `path` or `size` changed: nothing to send (content changes replace).
  },
  async delete(ctx, id) {
    await ctx.client.deleteLibraryFile(id);
  },
  async list(ctx) {
    const client = ctx.client;
    const out: Array<{ id: string; state: ReturnType<typeof fromFile> }> = [];
    // ExoClick lists library files one type at a time (`type` is required).
    for (const type of LIBRARY_FILE_TYPES) {
      for (const file of await client.listLibraryFiles(type)) {
        if (file.is_archived === 1) continue;
        out.push({ id: String(file.id), state: fromFile(file) });
      }
    }
    return out;
  },
};
