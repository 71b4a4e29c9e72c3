import * as zlib from "zlib";
// image-size (26 modules) when an image is first read: the program process never reads one.
import type { imageSize as ImageSize } from "image-size";
const imageSize: typeof ImageSize = (data) => (require("image-size") as typeof import("image-size")).imageSize(data);

/**
 * What ExoClick accepts for a banner image, checked at preview from the
 * file's bytes (no network).
 *
 * - Formats: JPEG, PNG and GIF, as ExoClick's (EXADS) ad format requirements
 *   list them (docs.exads.com/docs/adformat-requirements). BMP, SVG, WebP,
 *   TIFF, ICO ... are refused.
 * - Weight: at most 150 KB per banner since February 2020 (ExoClick FAQ
 *   "What weight should my banner creatives be?"); read as 150 x 1024 bytes.
 * - The file must be complete: image-size reads only the header, so a PNG
 *   cut after its header would pass it; the chunks, the compressed pixel
 *   data and the end markers are checked here.
 */
export const BANNER_FORMATS = ["png", "jpg", "gif"] as const;
export const MAX_BANNER_BYTES = 150 * 1024;

export interface ImageInfo {
  format: string;
  width: number;
  height: number;
}

/** The image's format and size, or why ExoClick would refuse it (a phrase that completes "<path> ..."). */
export function inspectBanner(data: Uint8Array): ImageInfo | { problem: string } {
  // The format first: a 300x250 BMP is refused for being a BMP, whatever its weight.
  let dims: { width?: number; height?: number; type?: string };
  try {
    dims = imageSize(data);
  } catch {
    return { problem: "is not an image; ExoClick accepts PNG, JPEG or GIF" };
  }
  const format = String(dims.type);
  if (!(BANNER_FORMATS as readonly string[]).includes(format)) {
    const size = dims.width && dims.height ? ` ${dims.width}x${dims.height}` : "";
    return { problem: `is a${size} ${format.toUpperCase()} image; ExoClick accepts PNG, JPEG or GIF banners: convert it (e.g. to PNG)` };
  }
  if (data.length > MAX_BANNER_BYTES) {
    return { problem: `is ${kb(data.length)} (${data.length} bytes); ExoClick accepts banner images of at most 150 KB (${MAX_BANNER_BYTES} bytes)` };
  }
  const broken = format === "png" ? pngProblem(data) : format === "jpg" ? jpegProblem(data) : gifProblem(data);
  if (broken) return { problem: `is a truncated or corrupt ${format === "jpg" ? "JPEG" : format.toUpperCase()} (${broken}); ExoClick needs a complete image` };
  if (!dims.width || !dims.height) return { problem: `is a ${format.toUpperCase()} image without dimensions` };
  return { format, width: dims.width, height: dims.height };
}

/** Verdicts by content hash, at most VERDICTS_KEPT (the oldest forgotten first). */
const verdicts = new Map<string, ImageInfo | { problem: string }>();
const VERDICTS_KEPT = 1000;

/**
 * inspectBanner's verdict for bytes whose MD5 is `md5`, computed once per
 * process for the same bytes: the verdict depends on the bytes alone, and a
 * program's banners often share a file (issue #35: inflating the same PNG
 * for each of 100 LibraryFile checks was 0.08 s of the host's CPU in a
 * no-op preview). The length is part of the key beside the hash.
 */
export function inspectBannerOnce(md5: string, data: Uint8Array): ImageInfo | { problem: string } {
  const key = `${md5}:${data.length}`;
  let v = verdicts.get(key);
  if (!v) {
    v = inspectBanner(data);
    if (verdicts.size >= VERDICTS_KEPT) verdicts.delete(verdicts.keys().next().value as string);
    verdicts.set(key, v);
  }
  return v;
}

function kb(n: number): string {
  return `${(n / 1024).toFixed(1)} KB`;
}

/** Walks the PNG chunks: each complete with a valid CRC, IHDR first, IDAT data that inflates, IEND last. */
export function pngProblem(d: Uint8Array): string | undefined {
  const buf = Buffer.from(d.buffer, d.byteOffset, d.byteLength);
  let off = 8;
  const idat: Buffer[] = [];
  let first = true;
  // Bounded: every pass advances by at least 12 bytes.
  while (off < buf.length) {
    if (off + 8 > buf.length) return `chunk header cut at byte ${off}`;
    const len = buf.readUInt32BE(off);
    const type = buf.toString("latin1", off + 4, off + 8);
    const end = off + 12 + len;
    if (end > buf.length) return `${type} chunk cut at byte ${buf.length} of ${end}`;
    const crc = buf.readUInt32BE(off + 8 + len);
    if (zlib.crc32(buf.subarray(off + 4, off + 8 + len)) !== crc) return `${type} chunk has a bad checksum`;
    if (first && type !== "IHDR") return "does not start with IHDR";
    first = false;
    if (type === "IDAT") idat.push(buf.subarray(off + 8, off + 8 + len));
    if (type === "IEND") {
      if (!idat.length) return "no image data";
      try {
        zlib.inflateSync(Buffer.concat(idat));
      } catch {
        return "image data does not decompress";
      }
      return undefined;
    }
    off = end;
  }
  return "no IEND chunk (the file ends early)";
}

/** JPEG: starts with SOI, has a start of scan, ends with EOI (trailing padding allowed). */
export function jpegProblem(d: Uint8Array): string | undefined {
  let end = d.length;
  while (end > 0 && (d[end - 1] === 0x00 || d[end - 1] === 0x0a || d[end - 1] === 0x0d)) end--;
  if (d[0] !== 0xff || d[1] !== 0xd8) return "no start-of-image marker";
  if (end < 4 || d[end - 2] !== 0xff || d[end - 1] !== 0xd9) return "no end-of-image marker (the file ends early)";
  for (let i = 2; i + 1 < end; i++) if (d[i] === 0xff && d[i + 1] === 0xda) return undefined;
  return "no image data (no start-of-scan marker)";
}

/** GIF: ends with the trailer byte 0x3B. */
export function gifProblem(d: Uint8Array): string | undefined {
  let end = d.length;
  while (end > 0 && d[end - 1] === 0x00) end--;
  return d[end - 1] === 0x3b ? undefined : "no GIF trailer (the file ends early)";
}
