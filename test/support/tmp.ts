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
 *
 * Parallel runs (`npm test` runs mocha with `--parallel`, .mocharc.json):
 * mocha loads this file in its main process and again in each worker
 * process (MOCHA_WORKER_ID is set there), and runs the root hooks below
 * in the workers, once per test file. The main process makes the run's
 * folder; each worker makes its own folder inside it (`worker-<id>-*`), so
 * two files running at the same time never see each other's files, and a
 * file's leftovers fail that file, named, after it ends (then they are
 * removed, so the worker's next file starts clean). The main process checks
 * what is left of the whole run and the repository's top once at the end
 * (mochaGlobalTeardown), after every worker has exited: a file of one
 * worker is never taken for a leftover while another file still uses it.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Set by mocha in its worker processes (lib/nodejs/buffered-worker-pool.js). */
const WORKER_ID = process.env.MOCHA_WORKER_ID;

/** The run's folder the main process made, inherited by its workers (and only by them: a worker's children see the worker's). */
const PARENT_RUN = WORKER_ID !== undefined ? process.env.ADNET_TESTRUN_TMP : undefined;

/** The system's temporary directory, before this run's folder replaced it. */
export const SYSTEM_TMP = PARENT_RUN ? path.dirname(PARENT_RUN) : os.tmpdir();

/**
 * This process's temporary folder (TMPDIR for the rest of the run): the
 * run's own in the main process (and in a serial run), a worker's inside
 * the run's in a worker.
 */
export const RUN_TMP = PARENT_RUN ? fs.mkdtempSync(path.join(PARENT_RUN, `worker-${WORKER_ID}-`)) : fs.mkdtempSync(path.join(SYSTEM_TMP, "adnet-testrun-"));
process.env.TMPDIR = RUN_TMP;
if (!PARENT_RUN) process.env.ADNET_TESTRUN_TMP = RUN_TMP;

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

/** How long a check waits for children that are still finishing their writes (bounded, by polling). */
const SETTLE_POLLS = 20;

/** What is in `dir` once children still writing have had a moment (bounded polls). */
async function settled(dir: string, ignore: (name: string) => boolean = () => false): Promise<string[]> {
  const now = () => leftovers(dir).filter((l) => !ignore(l.split(" ")[0]));
  let left = now();
  for (let i = 0; i < SETTLE_POLLS && left.length; i++) {
    await new Promise((r) => setTimeout(r, 100));
    left = now();
  }
  return left;
}

function newInRepo(): string[] {
  return fs.readdirSync(REPO).filter((n) => !repoAtStart.has(n)).sort();
}

function repoMessage(inRepo: string[]): string {
  return `the test run left ${inRepo.length} new file(s) or folder(s) in the repository (${REPO}; each test must write only under os.tmpdir()): ${inRepo.join(", ")}`;
}

/** Checked the repository already (a serial run's root hook, in this same process): the teardown need not say it twice. */
let checkedHere = false;

/** The test file a worker's root suite ran (its suites name it), for the message. */
function fileOf(ctx: any): string {
  const files: string[] = (ctx?.test?.parent?.suites ?? []).map((s: any) => s.file).filter(Boolean);
  return files.length ? ` (${path.relative(REPO, files[0])})` : "";
}

export const mochaHooks = {
  async afterAll(this: unknown): Promise<void> {
    const left = await settled(RUN_TMP);
    if (PARENT_RUN) {
      // A worker, after one test file: its leftovers are that file's; the worker's next file starts clean.
      for (const n of fs.readdirSync(RUN_TMP)) fs.rmSync(path.join(RUN_TMP, n), { recursive: true, force: true });
      if (left.length) throw new Error(`this test file${fileOf(this)} left ${left.length} file(s) or folder(s) in its temporary directory (each test must remove what it creates): ${left.join("; ")}`);
      return;
    }
    // A serial run, after the last file.
    checkedHere = true;
    fs.rmSync(RUN_TMP, { recursive: true, force: true });
    const inRepo = newInRepo();
    if (inRepo.length) throw new Error(repoMessage(inRepo));
    if (left.length) throw new Error(`the test run left ${left.length} file(s) or folder(s) in its temporary directory (each test must remove what it creates): ${left.join("; ")}`);
  },
};

/**
 * The main process, after the whole run (serial or parallel; in a parallel
 * run every worker has exited by now): the run's folder holds only the
 * workers' own folders, empty; the repository's top holds nothing new.
 * A failure here is printed after the reporter's summary and fails the run
 * (mocha exits 1 on the rejection).
 */
export async function mochaGlobalTeardown(): Promise<void> {
  if (PARENT_RUN) return;
  if (checkedHere) {
    fs.rmSync(RUN_TMP, { recursive: true, force: true });
    return;
  }
  const left = await settled(RUN_TMP, (n) => /^worker-\d+-/.test(n) && leftovers(path.join(RUN_TMP, n)).length === 0);
  fs.rmSync(RUN_TMP, { recursive: true, force: true });
  const problems: string[] = [];
  const inRepo = newInRepo();
  if (inRepo.length) problems.push(repoMessage(inRepo));
  if (left.length) problems.push(`the test run left ${left.length} file(s) or folder(s) in its temporary directory, after its test files ended (each test must remove what it creates, and stop what it starts): ${left.join("; ")}`);
  if (problems.length) {
    process.exitCode = 1;
    throw new Error(problems.join("\n"));
  }
}
