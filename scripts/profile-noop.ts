/**
 * npm run bench:profile [-- --n 100] [--ops preview,refresh] [--runs 1] [--latency-ms 0]
 *
 * Where a no-op `pulumi preview` (and `pulumi refresh`) of N ExoClick banner
 * campaigns (4 resources each) spends its CPU: deploys them once to an
 * in-process sandbox, then runs each operation with
 *  - the program's process (this one: inline programs run here) profiled by
 *    V8's sampling profiler through the inspector,
 *  - the dynamic-provider host started with `node --cpu-prof`,
 *  - the CLI timed by scripts/lib/pulumi-rusage.py (its own CPU and the host's),
 * and prints wall and CPU times with the top functions and areas of each
 * profile. Profiles land in bench/profiles/ (open them in Chrome DevTools).
 * With --user the commands run as a user runs them: the CLI in a project
 * directory (scripts/lib/userpath.ts, here with a JavaScript main, the language host
 * from .tools/bin), the program profiled with `node --cpu-prof` through the
 * project's `nodeargs` (and the language host's own CPU in the CLI's children);
 * --typescript turns TypeScript on for that JavaScript main (as before the
 * language host ran a JavaScript main without it), for comparison; --ts-main
 * runs the TypeScript project (index.ts with adnet-import's project files)
 * that the bench's user row measures. With
 * --no-prof the program's own CPU is printed too (a preload in its
 * `nodeargs` records process.cpuUsage() at its exit); --nodeargs "<flags>"
 * adds Node flags to the project's `nodeargs` (e.g. GC settings to compare);
 * --env KEY=VALUE (repeatable) sets a variable for the CLI and its children
 * (e.g. ADNET_PROMISE_STACKS=1 for the SDK's behaviour without our fast path).
 * A diagnostic: it prints figures and asserts nothing.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startSandbox } from "../provider/sandbox/server";
import { engineStack, ROOT } from "./lib/engine";
import { rusageCli } from "./lib/rusage";
import { formatSummary, hostLauncher, largestProfile, profileThisProcess, readProfile, summarize } from "./lib/cpuprofile";
import { scriptOptions } from "./lib/options";
import { userProject } from "./lib/userpath";

const { argv, opt: option } = scriptOptions(__filename);
const opt = (name: string, dflt: string): string => option(name) ?? dflt;
const N = Number(opt("--n", "100"));
const OPS = opt("--ops", "preview,refresh").split(",");
const RUNS = Number(opt("--runs", "1"));
const LATENCY = Number(opt("--latency-ms", "0"));
/** --no-prof: CPU and wall times only (no profiler overhead), e.g. with --runs 5. */
const PROF = !argv.includes("--no-prof");
const OUT = path.join(ROOT, "bench", "profiles");
const USER = argv.includes("--user");
const load = () => (os.loadavg()[0] / os.cpus().length).toFixed(2);

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  if (USER) return userMain();
  const cli = rusageCli();
  const sb = await startSandbox({ port: 0, latencyMs: LATENCY, journalPath: "" });
  const { EXOCLICK_SANDBOX_CREDENTIALS } = require("../provider/sandbox/exoclick");
  const { exoclickBanner } = require("../examples/exoclick-banner/program");
  const hostDir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-host-prof-"));
  // NODE_OPTIONS may not carry --cpu-prof: a launcher first on PATH starts the host with it, as its
  // child rather than exec'd: the engine kills the plugin's process group (SIGKILL, no profile written), so it runs in its own (setsid); the
  // host then sees its parent gone and exits (core/engine/parent.ts), which writes the profile.
  const binDir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-host-bin-"));
  const host = require.resolve("pulumi-adnetworks/dynamic-host");
  fs.writeFileSync(path.join(binDir, "pulumi-resource-pulumi-nodejs"),
    `#!/bin/sh\nif [ -n "$ADNET_HOST_PROF_DIR" ]; then setsid node --cpu-prof --cpu-prof-dir="$ADNET_HOST_PROF_DIR" --cpu-prof-interval=500 '${host}' "$@" & wait; exit; fi\nexec node '${host}' "$@"\n`, { mode: 0o755 });
  const e = await engineStack({
    project: "adnet-profile",
    stack: "p",
    program: async () => exoclickBanner({ prefix: "prof", count: N }),
    workDir: path.join(ROOT, "examples", "exoclick-banner"),
    config: { "exoclick:baseUrl": { value: `${sb.urlFor("exoclick")}/v2` }, "exoclick:apiToken": { value: EXOCLICK_SANDBOX_CREDENTIALS.apiToken, secret: true } },
    env: { ...(cli?.env ?? {}), ...extraEnv() },
    pulumiRoot: cli?.root,
  });
  const env = (e.stack.workspace as any).envVars as Record<string, string>;
  env.PATH = `${binDir}${path.delimiter}${env.PATH}`;
  try {
    console.log(`N=${N} (${4 * N} resources), sandbox latency ${LATENCY} ms; load ${load()} per CPU`);
    const t0 = Date.now();
    await e.stack.up();
    console.log(`up: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    for (const op of OPS) {
      for (let r = 0; r < RUNS; r++) {
        fs.rmSync(hostDir, { recursive: true, force: true });
        fs.mkdirSync(hostDir);
        if (PROF) env.ADNET_HOST_PROF_DIR = hostDir;
        const from = cli?.records().length ?? 0;
        const sent = sb.journal.length;
        const loadBefore = load();
        const cpu0 = process.cpuUsage();
        const w0 = Date.now();
        const run = () => (op === "preview" ? e.stack.preview() : op === "refresh" ? e.stack.refresh() : e.stack.up());
        const { result, profile } = PROF ? await profileThisProcess<unknown>(run) : { result: await run(), profile: undefined };
        const wall = Date.now() - w0;
        const cpu = process.cpuUsage(cpu0);
        delete env.ADNET_HOST_PROF_DIR;
        const rec = cli?.last(op === "preview" ? "preview" : op, from);
        const changes = (result as any).changeSummary ?? (result as any).summary?.resourceChanges;
        console.log(`\n=== ${op} #${r + 1}: harness wall ${(wall / 1000).toFixed(2)} s; CLI wall ${rec ? (rec.wallMs / 1000).toFixed(2) : "?"} s, CLI CPU ${rec?.cpuMs !== undefined ? (rec.cpuMs / 1000).toFixed(2) : "?"} s, children (host) CPU ${rec?.childrenCpuMs !== undefined ? (rec.childrenCpuMs / 1000).toFixed(2) : "?"} s; program process CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s; load ${loadBefore}→${load()} per CPU; ${sb.journal.length - sent} requests to the sandbox; changes ${JSON.stringify(changes)}; heap ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MB`);
        if (!profile) continue;
        const tag = `${op}-n${N}-${r + 1}`;
        fs.writeFileSync(path.join(OUT, `program-${tag}.cpuprofile`), JSON.stringify(profile));
        console.log(formatSummary("program process", summarize(profile)));
        // The host exits within a second or two of the engine (core/engine/parent.ts), then writes its profile.
        for (let i = 0; i < 50 && !largestProfile(hostDir); i++) await new Promise((r) => setTimeout(r, 200));
        await new Promise((r) => setTimeout(r, 500));
        const host = largestProfile(hostDir);
        if (host) {
          fs.copyFileSync(host, path.join(OUT, `host-${tag}.cpuprofile`));
          console.log(formatSummary("provider host", summarize(readProfile(host))));
        } else console.log("(no provider-host profile)");
      }
    }
  } finally {
    e.cleanup();
    cli?.cleanup();
    fs.rmSync(hostDir, { recursive: true, force: true });
    fs.rmSync(binDir, { recursive: true, force: true });
    await sb.close();
  }
}

/** The same operations run by the CLI in a project directory (--user). */
async function userMain() {
  const sb = await startSandbox({ port: 0, latencyMs: LATENCY, journalPath: "" });
  const { EXOCLICK_SANDBOX_CREDENTIALS } = require("../provider/sandbox/exoclick");
  const progDir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-prog-prof-"));
  const hostDir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-host-prof-"));
  const binDir = hostLauncher();
  // --no-prof: the program's CPU, recorded at its exit by a preload (scripts/lib/cpu-at-exit.ts), one line per run.
  const cpuFile = path.join(progDir, "..", `${path.basename(progDir)}.cpu`);
  const nodeargs = [
    ...(PROF ? [`--cpu-prof --cpu-prof-dir=${progDir} --cpu-prof-interval=500`] : [`--require ${path.join(__dirname, "lib", "cpu-at-exit.js")}`]),
    ...(option("--nodeargs") ? [option("--nodeargs")!] : []),
  ].join(" ");
  const p = await userProject({
    n: N,
    prefix: "prof",
    baseUrl: `${sb.urlFor("exoclick")}/v2`,
    apiToken: EXOCLICK_SANDBOX_CREDENTIALS.apiToken,
    // A JavaScript main (index.js) unless --ts-main (the README's index.ts, as the bench's user row);
    // --typescript: TypeScript on for the JavaScript main, as before the language host's switch (the comparison).
    language: argv.includes("--ts-main") ? "typescript" : "javascript",
    runtimeOptions: { nodeargs, ...(argv.includes("--typescript") ? { typescript: "true" } : {}) },
    env: { ADNET_CPU_AT_EXIT: cpuFile, ...extraEnv() },
  });
  try {
    console.log(`user's path: N=${N} (${4 * N} resources) in ${p.dir}, sandbox latency ${LATENCY} ms; load ${load()} per CPU`);
    const t0 = Date.now();
    await p.run(["up", "--yes", "--skip-preview", "--non-interactive"], { PULUMI_SKIP_CHECKPOINTS: "true" });
    console.log(`up: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    for (const op of OPS) {
      for (let r = 0; r < RUNS; r++) {
        for (const d of [progDir, hostDir]) {
          fs.rmSync(d, { recursive: true, force: true });
          fs.mkdirSync(d);
        }
        const sent = sb.journal.length;
        const loadBefore = load();
        const args = op === "preview" ? ["preview", "--non-interactive"] : op === "refresh" ? ["refresh", "--yes", "--non-interactive"] : ["up", "--yes", "--non-interactive"];
        // The launcher goes before .tools/bin (after the rusage wrapper of the CLI).
        const env: Record<string, string> = PROF ? { ADNET_HOST_PROF_DIR: hostDir, PATH: `${p.cli ? path.join(p.cli.root, "bin") + path.delimiter : ""}${binDir}${path.delimiter}${path.join(ROOT, ".tools", "bin")}${path.delimiter}${process.env.PATH}` } : {};
        const { record: rec, stdout } = await p.run(args, env);
        const changes = /Resources:[\s\S]*$/.exec(stdout)?.[0].replace(/\s+/g, " ").trim();
        const programCpu = fs.existsSync(cpuFile) ? fs.readFileSync(cpuFile, "utf8").trim().split("\n").pop() : undefined;
        fs.rmSync(cpuFile, { force: true });
        console.log(`\n=== user ${op} #${r + 1}: CLI wall ${rec ? (rec.wallMs / 1000).toFixed(2) : "?"} s, CLI CPU ${rec?.cpuMs !== undefined ? (rec.cpuMs / 1000).toFixed(2) : "?"} s, children (language host, program, provider host) CPU ${rec?.childrenCpuMs !== undefined ? (rec.childrenCpuMs / 1000).toFixed(2) : "?"} s${programCpu ? `, of which the program ${programCpu} s` : ""}; load ${loadBefore}→${load()} per CPU; ${sb.journal.length - sent} requests; ${changes}`);
        if (!PROF) continue;
        const tag = `user-${op}-n${N}-${r + 1}`;
        for (const [what, dir] of [["program", progDir], ["provider host", hostDir]] as const) {
          for (let i = 0; i < 50 && !largestProfile(dir); i++) await new Promise((res) => setTimeout(res, 200));
          const f = largestProfile(dir);
          if (!f) {
            console.log(`(no ${what} profile)`);
            continue;
          }
          fs.copyFileSync(f, path.join(OUT, `${what === "program" ? "program" : "host"}-${tag}.cpuprofile`));
          console.log(formatSummary(what, summarize(readProfile(f))));
        }
      }
    }
  } finally {
    p.cleanup();
    for (const d of [progDir, hostDir, binDir, cpuFile]) fs.rmSync(d, { recursive: true, force: true });
    await sb.close();
  }
}

/** The --env KEY=VALUE options. */
function extraEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  argv.forEach((a, i) => {
    if (a !== "--env" || !argv[i + 1]?.includes("=")) return;
    const [k, ...v] = argv[i + 1].split("=");
    out[k] = v.join("=");
  });
  return out;
}

main().catch((err) => {
  console.error(err?.stack ?? err);
  process.exit(1);
});
