import * as zlib from "zlib";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

function crc32(buf: Buffer): number {
  let crc = 0xffffffff;
  for (const b of buf) {
    let c = (crc ^ b) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

export function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** An 8-bit RGB PNG of `raw` scanlines (each a filter byte and width x 3 bytes). */
function rgbPng(width: number, height: number, raw: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", ihdr), chunk("IDAT", zlib.deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

/** A real PNG of the given size (solid colour), for image tests. */
export function png(width: number, height: number, shade = 0): Buffer {
  const row = Buffer.alloc(width * 3 + 1, shade);
  row[0] = 0;
  return rgbPng(width, height, Buffer.concat(Array(height).fill(row)));
}

/** The temp dirs tempFile made, until removeTempFiles removes them. */
const made: string[] = [];

/** Writes a file into a fresh temp dir and returns its path; the test file's `after(removeTempFiles)` removes it. */
export function tempFile(name: string, data: Buffer | string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-test-"));
  made.push(dir);
  const p = path.join(dir, name);
  fs.writeFileSync(p, data);
  return p;
}

/** Removes every file tempFile wrote. */
export function removeTempFiles(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** A real PNG whose pixels are noise (incompressible): about width x height x 3 bytes. */
export function noisyPng(width: number, height: number, seed = 1): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < raw.length; i++) {
    if (i % (width * 3 + 1) === 0) continue; // filter byte 0
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    raw[i] = x & 0xff;
  }
  return rgbPng(width, height, raw);
}

/** A baseline JPEG's markers around `scan` bytes (enough for header readers), optionally without the end-of-image marker. */
export function jpegShell(width: number, height: number, opts: { complete?: boolean } = {}): Buffer {
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  const sos = Buffer.from([0xff, 0xda, 0x00, 0x0c, 0x03, 1, 0, 2, 0x11, 3, 0x11, 0x00, 0x3f, 0x00]);
  const scan = Buffer.alloc(64, 0x55);
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, sos, scan, opts.complete === false ? Buffer.alloc(0) : Buffer.from([0xff, 0xd9])]);
}

/** `image` (a PNG) padded with a text chunk to exactly `total` bytes: still a complete, valid PNG. */
export function padPng(image: Buffer, total: number): Buffer {
  const text = Buffer.alloc(total - image.length - 12, 0x61);
  text.write("Comment\0", 0, "latin1");
  return Buffer.concat([image.subarray(0, image.length - 12), chunk("tEXt", text), image.subarray(image.length - 12)]);
}
