/**
 * Loaded before every test file (.mocharc.json), before any of them is
 * read: the run keeps its temporary files in a folder of its own, and fails
 * when a test leaves anything there.
 *
 * TMPDIR is pointed at a fresh `adnet-testrun-*` folder in the system's
 * temporary directory, so `os.tmpdir()` in this process and every child
 * (the Pulumi CLI, its plugins, the commands under test) write there. After
 * the last test, whatever is still in it (a `mkdtemp` without cleanup, a
 * Pulumi home, a tarball, a file a child wrote after its test ended) fails
 * the run, named; the folder is then removed, so a run leaves nothing behind
 * even when it fails. Runs of other checkouts sharing the machine's /tmp do
 * not disturb the check (each has its own folder).
 *
 * The repository's own folder is checked the same way: an entry at its top
 * that was not there when the run started (a program written to a relative
 * path, such as `exoclick/` from an output folder computed before its
 * temporary parent existed) fails the run, named.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The system's temporary directory, before this run's folder replaced it. */
export const SYSTEM_TMP = os.tmpdir();

/** This run's temporary folder (TMPDIR for the rest of the run). */
export const RUN_TMP = fs.mkdtempSync(path.join(SYSTEM_TMP, "adnet-testrun-"));
process.env.TMPDIR = RUN_TMP;

/** The checkout this run tests (dist/test/support → the repository). */
const REPO = path.resolve(__dirname, "..", "..", "..");
const repoAtStart = new Set(fs.readdirSync(REPO));

/** What is left in `dir`: its entries, a folder with its first few files, for the message. */
export function leftovers(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
  return names.map((n) => {
    const p = path.join(dir, n);
    let inside = "";
    try {
      if (fs.statSync(p).isDirectory()) {
        const files = fs.readdirSync(p);
        inside = ` (${files.length} entr${files.length === 1 ? "y" : "ies"}${files.length ? `: ${files.slice(0, 4).join(", ")}${files.length > 4 ? ", ..." : ""}` : ""})`;
      }
    } catch {
      // Removed meanwhile.
    }
    return `${n}${inside}`;
  });
}

/** How long the last check waits for children that are still finishing their writes (bounded, by polling). */
const SETTLE_POLLS = 20;

export const mochaHooks = {
  async afterAll(this: unknown): Promise<void> {
    let left = leftovers(RUN_TMP);
    // A child process killed by a test may still be writing for a moment: poll briefly before judging.
    for (let i = 0; i < SETTLE_POLLS && left.length; i++) {
      await new Promise((r) => setTimeout(r, 100));
      left = leftovers(RUN_TMP);
    }
    fs.rmSync(RUN_TMP, { recursive: true, force: true });
    const inRepo = fs.readdirSync(REPO).filter((n) => !repoAtStart.has(n)).sort();
    if (inRepo.length) {
      throw new Error(`the test run left ${inRepo.length} new file(s) or folder(s) in the repository (${REPO}; each test must write only under os.tmpdir()): ${inRepo.join(", ")}`);
    }
    if (left.length) {
      throw new Error(`the test run left ${left.length} file(s) or folder(s) in its temporary directory (each test must remove what it creates): ${left.join("; ")}`);
    }
  },
};
