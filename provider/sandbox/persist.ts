import * as fs from "fs";
import * as path from "path";

/**
 * The sandbox's data file, written through: `save` resolves only once a
 * state that includes every change made before the call is on disk, written
 * atomically (temporary file in the same directory, fsync, rename, fsync of
 * the directory), so a SIGKILL at any moment leaves the previous or the new
 * complete file, never a torn one, and never loses an acknowledged write.
 *
 * Writes are serialized; saves that arrive while one is running share the
 * next write (coalesced), so a burst of N writes costs about two file
 * writes, not N. A snapshot equal to the last one written is not written
 * again.
 */
export class StateFile {
  private running?: Promise<void>;
  private queued?: Promise<void>;
  private last?: string;
  /** File writes done (for tests and measurements). */
  writes = 0;

  constructor(readonly file: string) {
    // A write cut short by a kill leaves its temporary file; the data file itself is whole.
    const dir = path.dirname(file);
    const prefix = `.${path.basename(file)}.`;
    for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
      if (f.startsWith(prefix) && f.endsWith(".tmp")) fs.rmSync(path.join(dir, f), { force: true });
    }
  }

  save(snapshot: () => string): Promise<void> {
    if (!this.running) {
      // The snapshot is taken now, synchronously: it includes every change made so far.
      const p = this.write(snapshot());
      this.running = p.finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    // The running write may have been snapshotted before this caller's change: take the next one.
    this.queued ??= this.running.catch(() => undefined).then(() => {
      this.queued = undefined;
      return this.save(snapshot);
    });
    return this.queued;
  }

  /** Resolves when no write is running or queued. */
  async idle(): Promise<void> {
    for (let i = 0; i < 10 && (this.running || this.queued); i++) await (this.queued ?? this.running)?.catch(() => undefined);
  }

  private async write(text: string): Promise<void> {
    if (text === this.last) return;
    const dir = path.dirname(this.file);
    const tmp = path.join(dir, `.${path.basename(this.file)}.${process.pid}.tmp`);
    const fh = await fs.promises.open(tmp, "w");
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.promises.rename(tmp, this.file);
    // The rename itself is durable once the directory is synced (power loss; a kill needs only the rename).
    try {
      const d = await fs.promises.open(dir, "r");
      try {
        await d.sync();
      } finally {
        await d.close();
      }
    } catch {
      // Some platforms cannot open or sync a directory.
    }
    this.last = text;
    this.writes++;
  }
}
