/**
 * The user's path: the Pulumi CLI run in a project directory, as a user runs
 * it (`pulumi preview` in the directory of Pulumi.yaml), not through the
 * Automation API. The project is the one a user gets from our docs: the
 * README's "In your own project" (`runtime: nodejs`, `main: index.ts`, a
 * TypeScript program importing "pulumi-adnetworks", its dependencies
 * installed) with the files `adnet-import` writes for a new TypeScript
 * project (provider/import/importer.ts `typescriptProjectFiles`: Pulumi.yaml,
 * package.json, tsconfig.json and tsconfig.pulumi.json; one source, so a
 * runtime option added there for users is measured here), examples/exoclick-banner/program.ts as is,
 * and an index.ts calling it with N campaigns (4 resources each).
 * node_modules is this repository's (it holds "pulumi-adnetworks" as a link
 * to the package, as `npm install <dir>` makes it, beside @pulumi/pulumi,
 * typescript and ts-node). `language: "javascript"` keeps the earlier
 * JavaScript main (index.js requiring the compiled example; the same project
 * files with `main: index.js`), for the programs the limiter rows write and
 * for comparisons. The CLI is wrapped by scripts/lib/pulumi-rusage.py, so
 * every command's wall time, the CLI's CPU and its children's (the language
 * host, the program it starts and the provider host) are recorded.
 *
 * Used by `npm run bench` (its user's-path row) and `npm run bench:profile --
 * --user` (with `node --cpu-prof` for the program and the provider host).
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT, TOOLS } from "./engine";
import { rusageCli, CliRecord, RusageCli } from "./rusage";
import * as yaml from "js-yaml";
import { typescriptProjectFiles } from "../../provider/import/importer";

export interface UserProject {
  dir: string;
  cli: RusageCli | undefined;
  /** Runs `pulumi <args>` in the project directory; rejects on a non-zero exit. */
  run(args: string[], env?: Record<string, string>): Promise<{ stdout: string; stderr: string; record?: CliRecord }>;
  cleanup(): void;
}

export interface UserProjectOptions {
  n: number;
  prefix: string;
  baseUrl?: string;
  apiToken?: string;
  /** Stack config instead of ExoClick's baseUrl and apiToken. */
  config?: Record<string, { value: string; secret?: boolean }>;
  /** Extra environment for every command (e.g. PULUMI_SKIP_CHECKPOINTS). */
  env?: Record<string, string>;
  /** Runtime options added to Pulumi.yaml's (e.g. nodeargs for --cpu-prof); none by default. */
  runtimeOptions?: Record<string, string>;
  /** The main's language (default typescript, as the README's project; see above). */
  language?: "typescript" | "javascript";
  /** The main's source (in `language`) instead of the banner example's. */
  program?: string;
}

/**
 * The project's files: adnet-import's for a new TypeScript project, the main
 * named for `language`, `extra` runtime options merged into Pulumi.yaml's.
 */
export function userProjectFiles(o: { dir: string; n: number; prefix: string; language: "typescript" | "javascript"; program?: string; runtimeOptions?: Record<string, string> }): Record<string, string> {
  const files = typescriptProjectFiles(o.dir, "adnet-user");
  const main = o.language === "typescript" ? "index.ts" : "index.js";
  const project = yaml.load(files["Pulumi.yaml"]) as Record<string, unknown>;
  project.main = main;
  if (o.runtimeOptions && Object.keys(o.runtimeOptions).length) {
    const runtime: Record<string, unknown> = typeof project.runtime === "string" ? { name: project.runtime } : { ...(project.runtime as Record<string, unknown>) };
    runtime.options = { ...((runtime.options as Record<string, unknown>) ?? {}), ...o.runtimeOptions };
    project.runtime = runtime;
  }
  files["Pulumi.yaml"] = yaml.dump(project);
  files["package.json"] = JSON.stringify({ ...JSON.parse(files["package.json"]), main }, null, 2) + "\n";
  const example = path.join(ROOT, "examples", "exoclick-banner");
  if (o.language === "typescript") {
    files["program.ts"] = fs.readFileSync(path.join(example, "program.ts"), "utf8");
    files[main] = o.program ?? [
      `// ${o.n} ExoClick banner campaigns (4 resources each): examples/exoclick-banner's program with a count.`,
      `import { exoclickBanner } from "./program";`,
      ``,
      `exoclickBanner({ prefix: ${JSON.stringify(o.prefix)}, count: ${o.n} });`,
      "",
    ].join("\n");
  } else {
    files[main] = o.program ?? [
      `// ${o.n} ExoClick banner campaigns (4 resources each), as in examples/exoclick-banner.`,
      `const { exoclickBanner } = require(${JSON.stringify(path.join(ROOT, "dist", "examples", "exoclick-banner", "program"))});`,
      `exoclickBanner({ prefix: ${JSON.stringify(o.prefix)}, count: ${o.n} });`,
      "",
    ].join("\n");
  }
  return files;
}

/** A project directory with its own PULUMI_HOME and file backend, its stack created and configured. */
export async function userProject(o: UserProjectOptions): Promise<UserProject> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-user-"));
  const proj = path.join(dir, "project");
  fs.mkdirSync(proj);
  fs.mkdirSync(path.join(dir, "home"));
  fs.mkdirSync(path.join(dir, "state"));
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(proj, "node_modules"), "dir");
  fs.copyFileSync(path.join(ROOT, "examples", "exoclick-banner", "banner-300x250.png"), path.join(proj, "banner-300x250.png"));
  for (const [file, text] of Object.entries(userProjectFiles({ dir: proj, n: o.n, prefix: o.prefix, language: o.language ?? "typescript", program: o.program, runtimeOptions: o.runtimeOptions }))) {
    fs.writeFileSync(path.join(proj, file), text);
  }
  const cli = rusageCli();
  const inherited = { ...process.env };
  for (const k of Object.keys(inherited)) if (k.startsWith("PULUMI_") || k.startsWith("ADNET") || /_(API_KEY|API_TOKEN|PASSWORD|BASE_URL)$/.test(k)) delete inherited[k];
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    PATH: `${cli ? path.join(cli.root, "bin") + path.delimiter : ""}${path.join(TOOLS, "bin")}${path.delimiter}${process.env.PATH ?? ""}`,
    PULUMI_HOME: path.join(dir, "home"),
    PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: "adnet-bench-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_DIY_BACKEND_ZSTD: "true",
    ADNETWORKS_SHOW_RESULTS: "false",
    ...(cli?.env ?? {}),
    ...(o.env ?? {}),
  };
  const bin = cli ? path.join(cli.root, "bin", "pulumi") : path.join(TOOLS, "bin", "pulumi");
  const run = (args: string[], extra: Record<string, string> = {}) =>
    new Promise<{ stdout: string; stderr: string; record?: CliRecord }>((resolve, reject) => {
      const from = cli?.records().length ?? 0;
      // Async: the sandbox may answer from this process's event loop.
      const child = spawn(bin, args, { cwd: proj, env: { ...env, ...extra }, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("error", reject);
      child.on("close", (code) => {
        if (code !== 0) reject(new Error(`pulumi ${args.join(" ")} exited with ${code}: ${(stdout + stderr).slice(-3000)}`));
        else resolve({ stdout, stderr, record: cli?.records().slice(from).pop() });
      });
    });
  const project: UserProject = {
    dir: proj,
    cli,
    run,
    cleanup: () => {
      cli?.cleanup();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await run(["stack", "init", "user", "--non-interactive"]);
    const config = o.config ?? { "exoclick:baseUrl": { value: o.baseUrl ?? "" }, "exoclick:apiToken": { value: o.apiToken ?? "", secret: true } };
    for (const [k, v] of Object.entries(config)) await run(["config", "set", ...(v.secret ? ["--secret"] : []), k, v.value]);
  } catch (e) {
    project.cleanup();
    throw e;
  }
  return project;
}
