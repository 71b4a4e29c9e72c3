/**
 * Repairs of a `file://` backend after a killed Pulumi CLI, before any
 * command reads it. A kill -9 can leave, beside an intact checkpoint:
 *  - a 0-byte or unparsable `<file>.attrs` (gocloud's fileblob rewrites the
 *    sidecar in place: truncate, then write). Pulumi then fails every command
 *    with "failed to load checkpoint: EOF". A missing .attrs is fine for
 *    fileblob and Pulumi writes it again, so a broken one is removed;
 *  - a 0-byte or truncated checkpoint (`<stack>.json`) with an intact
 *    `<stack>.json.bak` (the previous checkpoint): the .bak is restored, and
 *    the broken file is kept under `.pulumi/adnet-recover/` (nothing is lost);
 *  - lock files of the dead run (or half-written ones): removed. A lock held
 *    by a pulumi process that is still running here stops the repair;
 *  - the temporary file of a write the kill interrupted (fileblob writes
 *    `<file>.<hex>.tmp` beside the file, then renames it; a killed write
 *    leaves it, e.g. a 230 KB `<stack>.json.<hex>.tmp`): removed, so the
 *    folder holds what a clean run leaves. Only this stack's, and only once
 *    no live process holds its lock.
 *
 * Both messages a killed run leaves for the next plain `pulumi up` are
 * repaired here: "the stack is currently locked by 1 lock(s)" and "failed
 * to load checkpoint: EOF" (KILLED_RUN_MESSAGES: the troubleshooting page
 * and `adnet-recover --help` quote them).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { thrown } from "../http/errors";

/** What the next plain `pulumi up` says after a killed one, in a file backend (Pulumi 3.248's words), for the docs and `adnet-recover --help`. */
export const KILLED_RUN_MESSAGES = {
  locked: "the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.",
  eof: "failed to load checkpoint: EOF",
} as const;

/** A temporary file of an interrupted fileblob write: `<file>.<hex nanoseconds>.tmp`. */
const WRITE_TMP = /^(.+)\.[0-9a-f]+\.tmp$/;

export interface FileRepair {
  /** The backend's root directory (the folder that holds `.pulumi`). */
  root: string;
  /** What was repaired, one line each. */
  actions: string[];
  /** Damage found that could not be repaired safely. */
  problems: string[];
}

/** The backend URL the CLI would use: $PULUMI_BACKEND_URL, Pulumi.yaml's backend.url, then the current login. */
export function backendUrl(cwd: string, env: NodeJS.ProcessEnv): string | undefined {
  if (env.PULUMI_BACKEND_URL) return env.PULUMI_BACKEND_URL;
  for (const f of ["Pulumi.yaml", "Pulumi.yml"]) {
    const p = path.join(cwd, f);
    if (!fs.existsSync(p)) continue;
    const m = /^backend:\s*\n(?:[ \t]+.*\n)*?[ \t]+url:\s*["']?([^"'\s#]+)/m.exec(fs.readFileSync(p, "utf8") + "\n");
    if (m) return m[1];
  }
  const home = env.PULUMI_HOME || path.join(os.homedir(), ".pulumi");
  try {
    return JSON.parse(fs.readFileSync(path.join(home, "credentials.json"), "utf8")).current || undefined;
  } catch {
    return undefined;
  }
}

/** The directory of a file:// backend URL, or undefined for any other backend. */
export function fileBackendRoot(url: string | undefined): string | undefined {
  if (!url || !url.startsWith("file://")) return undefined;
  let p = decodeURIComponent(url.slice("file://".length).replace(/\?.*$/, ""));
  if (p === "~" || p.startsWith("~/")) p = path.join(os.homedir(), p.slice(1));
  return path.resolve(p);
}

function walk(dir: string, out: string[] = [], depth = 0): string[] {
  if (depth > 8 || !fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== "adnet-recover") walk(p, out, depth + 1);
    } else if (e.isFile()) out.push(p);
  }
  return out;
}

/** A checkpoint's JSON text: plain, gzip (`.gz`) or zstd (`.zst`, PULUMI_DIY_BACKEND_ZSTD). */
export function checkpointText(data: Buffer, file: string): string {
  if (/\.gz(\.bak)?$/.test(file)) return zlib.gunzipSync(data).toString("utf8");
  if (/\.zst(\.bak)?$/.test(file)) return Buffer.from(require("fzstd").decompress(new Uint8Array(data))).toString("utf8");
  return data.toString("utf8");
}

/** Whether a checkpoint file is complete (a truncated compressed one fails to decompress). */
function readable(file: string): boolean {
  try {
    const data = fs.readFileSync(file);
    if (data.length === 0) return false;
    JSON.parse(checkpointText(data, file));
    return true;
  } catch {
    return false;
  }
}

function parsesAsJson(file: string): boolean {
  try {
    const text = fs.readFileSync(file, "utf8");
    return text.trim() !== "" && (JSON.parse(text), true);
  } catch {
    return false;
  }
}

function pidRunsPulumi(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return thrown(e)?.code === "EPERM";
  }
  try {
    return /pulumi/.test(fs.readFileSync(`/proc/${pid}/cmdline`, "utf8"));
  } catch {
    return true; // no /proc: a live pid is taken as the lock holder
  }
}

/**
 * Repairs the named stack's files in a file backend (see the module
 * comment). `stack` is the stack name as given to the CLI (its last
 * segment names the files). Never deletes a checkpoint.
 */
export function repairFileBackend(root: string, stack: string, now = new Date()): FileRepair {
  const result: FileRepair = { root, actions: [], problems: [] };
  const base = path.join(root, ".pulumi");
  if (!fs.existsSync(base)) return result;
  const name = stack.split("/").pop()!;
  const rel = (p: string) => path.relative(root, p);
  const keep = path.join(base, "adnet-recover", now.toISOString().replace(/[:.]/g, "-"));
  const files = walk(base);

  // 1. Checkpoints of this stack: <name>.json, .json.gz or .json.zst under stacks/.
  for (const f of files) {
    const b = path.basename(f);
    if (!f.startsWith(path.join(base, "stacks") + path.sep) || ![`${name}.json`, `${name}.json.gz`, `${name}.json.zst`].includes(b)) continue;
    if (readable(f)) continue;
    const bak = `${f}.bak`;
    if (fs.existsSync(bak) && readable(bak)) {
      const aside = path.join(keep, rel(f));
      fs.mkdirSync(path.dirname(aside), { recursive: true });
      fs.copyFileSync(f, aside);
      fs.copyFileSync(bak, `${f}.restoring`);
      fs.renameSync(`${f}.restoring`, f);
      fs.rmSync(`${f}.attrs`, { force: true }); // described the broken content
      result.actions.push(`restored ${rel(f)} from ${path.basename(bak)} (it was ${fs.statSync(aside).size === 0 ? "empty" : "truncated"}; kept as ${rel(aside)})`);
    } else {
      result.problems.push(`${rel(f)} is ${fs.statSync(f).size === 0 ? "empty" : "not valid JSON"} and has no intact .bak; restore it from .pulumi/backups or history by hand`);
    }
  }

  // 2. Sidecar attribute files: a missing one is fine, a broken one breaks every read.
  for (const f of walk(base)) {
    if (!f.endsWith(".attrs") || parsesAsJson(f)) continue;
    const size = fs.statSync(f).size;
    fs.rmSync(f);
    result.actions.push(`removed ${size === 0 ? "empty" : "unparsable"} ${rel(f)} (Pulumi writes it again)`);
  }

  // 3. Locks of this stack: .pulumi/locks/[<project>/]<name>/<id>.json.
  const locks = walk(path.join(base, "locks")).filter((f) => path.basename(path.dirname(f)) === name && f.endsWith(".json"));
  for (const f of locks) {
    let holder: { pid?: number; hostname?: string } | undefined;
    try {
      holder = JSON.parse(fs.readFileSync(f, "utf8"));
    } catch {
      holder = undefined;
    }
    if (holder?.hostname && holder.hostname !== os.hostname()) continue; // another machine's: left to \`pulumi cancel\`
    if (holder?.pid && pidRunsPulumi(holder.pid)) {
      throw new Error(`stack ${stack} is locked by a pulumi process that is still running (pid ${holder.pid}, ${rel(f)}): let it finish or stop it, then run adnet-recover again`);
    }
    fs.rmSync(f, { force: true });
    fs.rmSync(`${f}.attrs`, { force: true });
    result.actions.push(`removed ${holder ? `the lock of the dead run (pid ${holder.pid ?? "?"} on ${holder.hostname ?? "?"})` : "a half-written lock"} ${rel(f)}`);
  }

  // 4. Temporary files of writes the kill interrupted: this stack's checkpoint (stacks/), and its
  //    history, backups and locks (folders named after the stack). No live run holds the lock (3.).
  for (const f of walk(base)) {
    const m = WRITE_TMP.exec(path.basename(f));
    if (!m) continue;
    const ofCheckpoint = path.dirname(f).startsWith(path.join(base, "stacks")) && [`${name}.json`, `${name}.json.gz`, `${name}.json.zst`].some((c) => m[1] === c || m[1] === `${c}.bak` || m[1] === `${c}.attrs`);
    const inStackFolder = path.basename(path.dirname(f)) === name;
    if (!ofCheckpoint && !inStackFolder) continue;
    const size = fs.statSync(f).size;
    fs.rmSync(f, { force: true });
    result.actions.push(`removed ${rel(f)}, the temporary file of a write the kill interrupted (${size} bytes; ${path.basename(m[1])} itself is intact)`);
  }
  return result;
}
