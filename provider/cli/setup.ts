#!/usr/bin/env node
/**
 * adnet-setup: installs the Pulumi engine for this package into a project's
 * .tools/bin (the CLI matching the @pulumi/pulumi this package pins, built
 * once from its Go modules and cached under ~/.cache/pulumi-adnetworks; the
 * dynamic-provider launcher; this package's Node.js language host). Runs the
 * package's scripts/setup-pulumi.sh, which `npm run setup:pulumi` runs in a
 * clone of this repository.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CommandSpec, exitWith, runCommand, str } from "./args";
import { CompatibilityError, compatibilityProblems, ownPackageJson, resolvedSdk } from "../core/engine/compat";

const PACKAGE_ROOT = path.resolve(__dirname, "..", "..", "..");
/** The project's @pulumi/pulumi (a peer dependency): the CLI built is of its version. */
const SDK_VERSION: string = resolvedSdk()?.version ?? "<the version of your @pulumi/pulumi>";

/** The one line that turns the fast, crash-safe mode on (docs/engine.md "Large stacks"). */
export const FAST_MODE = "Fast and crash-safe on file:// and postgres:// backends (the journal is kept in the backend), one line:\n  export PULUMI_SKIP_CHECKPOINTS=true";

/**
 * Which way to install the provider, when (README "Which way to install";
 * docs/plugin.md "Installing the plugin"): printed by --help.
 */
export const INSTALL_ROUTES = [
  "Which way to install the provider: a TypeScript program uses this npm package (npm install pulumi-adnetworks: the dynamic resources, and `pulumi-adnetworks/plugin` with the plugin that adnet-setup puts in .tools/bin, or npm's node_modules/.bin).",
  "A Pulumi project that takes its providers as packages, and other languages and teams (the plugin's schema generates their SDK): `pulumi package add <a clone of pulumi-adnetworks, or its git URL>` (a source plugin, PulumiPlugin.yaml: it runs from the source with Node.js, and adds the SDK, for TypeScript @pulumi/adnetworks in sdks/, and the package to Pulumi.yaml).",
  "Machines that run the plugin without its source (CI, a team's runners, other languages): `npm run pack:plugin` in a clone writes dist/pulumi-resource-adnetworks-v<version>-<os>-<arch>.tar.gz (the plugin, its dependencies and a launcher; Node.js 20.19+, 22 or 24 on PATH), installed with `pulumi plugin install resource adnetworks <version> --file <tarball>` into the plugin cache ($PULUMI_HOME/plugins).",
];

export const SPEC: CommandSpec = {
  name: "adnet-setup",
  summary: `installs the Pulumi engine (Pulumi ${SDK_VERSION} and its Node.js plugins) into your project's .tools/bin`,
  usage: ["[--dir <project dir>]", "--launcher-only [--dir <project dir>]"],
  description: [
    `Not needed with a Pulumi CLI installed the ordinary way (pulumi.com): programs using pulumi-adnetworks run with it as is. adnet-setup is for machines that reach package registries only: it builds Pulumi ${SDK_VERSION} (the version of the @pulumi/pulumi this package uses) from its Go modules with the machine's Go, once per machine (about 6 minutes on 2 cores and about 3.1 GB of Go caches; Go's output goes to a log file), caches it under ~/.cache/pulumi-adnetworks, and copies it into <project dir>/.tools/bin with two plugins: the dynamic-provider launcher (which adds the \`import\` resource option) and this package's Node.js language host (the Go one cannot be built from the Go module proxy). Later runs copy from the cache in a second.`,
    "Then put .tools/bin first on PATH. The adnet-* commands find .tools/bin/pulumi by themselves.",
    ...INSTALL_ROUTES,
    "Large stacks and teams: `export PULUMI_SKIP_CHECKPOINTS=true` turns on the fast mode (the engine saves the state once per run) made crash-safe by this package's journal, which is kept in the stack's backend on file:// and postgres://.",
    "Environment: PULUMI_VERSION (another version to build), ADNET_PULUMI_CACHE (the cache directory).",
  ],
  options: [
    { name: "dir", value: "<dir>", description: "The project to install into (default: the current directory); the files go to <dir>/.tools/bin." },
    { name: "launcher-only", description: "Only write the dynamic-provider launcher, for a Pulumi CLI installed the ordinary way: with .tools/bin first on PATH, the `import` resource option works too." },
  ],
  examples: [
    "npx adnet-setup && export PATH=\"$PWD/.tools/bin:$PATH\"",
    "npx adnet-setup --launcher-only   # with Pulumi from pulumi.com, for the `import` resource option",
  ],
};

export function main(argv: string[]): Promise<number> {
  return runCommand(SPEC, argv, (values) => {
    const dir = path.resolve(str(values, "dir") ?? process.cwd());
    if (!fs.existsSync(dir)) throw new Error(`${dir} does not exist`);
    // Out of the tested range: say what to do before building or writing anything.
    const problems = compatibilityProblems(ownPackageJson(), process.versions.node, resolvedSdk());
    if (problems.length) throw new CompatibilityError(problems);
    const bin = path.join(dir, ".tools", "bin");
    const script = path.join(PACKAGE_ROOT, "scripts", "setup-pulumi.sh");
    const r = spawnSync("bash", [script], {
      stdio: "inherit",
      env: { ...process.env, ADNET_TOOLS_DIR: bin, ...(values["launcher-only"] ? { ADNET_SETUP_LAUNCHER_ONLY: "1" } : {}) },
    });
    if (r.error) throw new Error(`cannot run bash ${script}: ${r.error.message}`);
    if (r.status !== 0) return r.status ?? 1;
    const rel = path.relative(process.cwd(), bin) || ".";
    const shown = rel.startsWith("..") ? bin : `$PWD/${rel}`;
    process.stdout.write(
      values["launcher-only"]
        ? `Put the launcher first on PATH (before your Pulumi CLI):\n  export PATH="${shown}:$PATH"\n`
        : `Pulumi is ready. Put it first on PATH in this shell:\n  export PATH="${shown}:$PATH"\nthen: pulumi login --local (or a team's postgres://user:password@host:5432/db), export PULUMI_CONFIG_PASSPHRASE=<a passphrase>, pulumi stack init dev, pulumi up\n${FAST_MODE}\n`,
    );
    return 0;
  });
}

if (require.main === module) exitWith(main(process.argv.slice(2)), SPEC.name);
