import * as fs from "fs";
import * as path from "path";

/**
 * The Node.js and @pulumi/pulumi versions this package runs with, as its
 * package.json declares them (declared once there: `engines.node` is what
 * was tested, `peerDependencies["@pulumi/pulumi"]` the SDK range, and the
 * SDK's own `engines.node` what that SDK needs), checked when the package
 * loads and by `adnet-setup`, before anything is registered or written.
 * Outside them, one message that says what to do.
 */

export interface PackageJson {
  name: string;
  version: string;
  engines?: { node?: string };
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  /** Versions tested besides the ranges' lower ends (package.json "adnetworks"). */
  adnetworks?: { newestPulumiTested?: string; nodeTested?: string[] };
}

export interface Sdk {
  version: string;
  engines?: { node?: string };
  /** Where it was found (for the message). */
  path?: string;
}

type Version = [number, number, number];

function parse(v: string): Version | undefined {
  const m = /^\s*v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?(?:[-+].*)?\s*$/.exec(v);
  if (!m) return undefined;
  const n = (s: string | undefined) => (s === undefined || s === "x" || s === "*" ? 0 : Number(s));
  return [Number(m[1]), n(m[2]), n(m[3])];
}

function cmp(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** How many parts a partial version gives ("24" 1, "20.19" 2, "3.248.0" 3). */
function parts(v: string): number {
  return v.replace(/^v/, "").split(/[-+]/)[0].split(".").filter((p) => p !== "x" && p !== "*").length;
}

/**
 * Whether `version` is in `range`, for the forms package.json ranges here
 * use: `||` of space-separated comparators `>=`, `>`, `<=`, `<`, `=`, a bare
 * version, `^` and `~` (partial versions as npm reads them: `<4` is below
 * 4.0.0, `^22` is 22.x). Unknown syntax is never satisfied.
 */
export function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  if (!v) return false;
  return range.split("||").some((set) => {
    const comparators = set.trim().split(/\s+/).filter(Boolean);
    if (comparators.length === 0) return false;
    return comparators.every((c) => {
      const m = /^(>=|<=|>|<|=|\^|~)?(.+)$/.exec(c);
      if (!m) return false;
      const op = m[1] ?? "=";
      const b = parse(m[2]);
      if (!b) return false;
      const c0 = cmp(v, b);
      const n = parts(m[2]);
      switch (op) {
        case ">=":
          return c0 >= 0;
        case ">":
          return c0 > 0;
        case "<=":
          return c0 <= 0;
        case "<":
          return c0 < 0;
        case "=":
          // a partial version is a range: "22" is 22.x
          return n >= 3 ? c0 === 0 : n === 2 ? v[0] === b[0] && v[1] === b[1] : v[0] === b[0];
        case "^": {
          const upper: Version = b[0] > 0 || n === 1 ? [b[0] + 1, 0, 0] : b[1] > 0 || n === 2 ? [0, b[1] + 1, 0] : [0, 0, b[2] + 1];
          return c0 >= 0 && cmp(v, upper) < 0;
        }
        case "~": {
          const upper: Version = n === 1 ? [b[0] + 1, 0, 0] : [b[0], b[1] + 1, 0];
          return c0 >= 0 && cmp(v, upper) < 0;
        }
      }
      return false;
    });
  });
}

/** The Node.js majors this package was tested on, from its package.json ("adnetworks".nodeTested), e.g. ["20", "22", "24"]. */
function testedNode(pkg: PackageJson): string {
  const majors = pkg.adnetworks?.nodeTested ?? [];
  return majors.length ? majors.join(", ") : String(pkg.engines?.node);
}

function newestNodeMajor(pkg: PackageJson): string {
  const majors = pkg.adnetworks?.nodeTested ?? [];
  return majors[majors.length - 1] ?? "22";
}

/** The SDK versions tested: the range's lower end (this repository's own pin) and the newest tested. */
function testedSdk(pkg: PackageJson): string[] {
  const range = pkg.peerDependencies?.["@pulumi/pulumi"] ?? "";
  const low = /^>=\s*(\S+)/.exec(range.trim())?.[1];
  return [...new Set([low, pkg.adnetworks?.newestPulumiTested].filter((v): v is string => !!v))];
}

/**
 * What is wrong with running this package on Node `node` with `sdk` (undefined:
 * @pulumi/pulumi is not installed where the package resolves it), each as a
 * sentence that says what to do; empty when all is in range.
 */
export function compatibilityProblems(pkg: PackageJson, node: string, sdk: Sdk | undefined): string[] {
  const problems: string[] = [];
  const nodeRange = pkg.engines?.node;
  const sdkRange = pkg.peerDependencies?.["@pulumi/pulumi"];
  const tested = testedSdk(pkg);
  const newest = tested[tested.length - 1];
  const who = `${pkg.name} ${pkg.version}`;
  if (nodeRange && !satisfies(node, nodeRange)) {
    const major = newestNodeMajor(pkg);
    problems.push(
      `${who} is tested on Node.js ${testedNode(pkg)} (engines: "${nodeRange}"); this is Node.js ${node}. ` +
        `Run it with Node.js ${major} (for example nvm install ${major}, or from the npm registry: npm install --prefix ~/.node${major} node@${major} and put ~/.node${major}/node_modules/.bin first on PATH).`,
    );
  }
  if (!sdk) {
    problems.push(
      `${who} needs @pulumi/pulumi (a peer dependency, ${sdkRange ?? "any 3.x"}), and it is not installed in this project. ` +
        `Run: npm install @pulumi/pulumi@${newest ?? "3"} (one copy, shared by your program and this package).`,
    );
    return problems;
  }
  if (sdkRange && !satisfies(sdk.version, sdkRange)) {
    problems.push(
      `${who} works with @pulumi/pulumi ${sdkRange} (tested: ${tested.join(" and ")}); this project has @pulumi/pulumi ${sdk.version}${sdk.path ? ` (${sdk.path})` : ""}. ` +
        `Run: npm install @pulumi/pulumi@${newest ?? sdkRange}, or use a release of ${pkg.name} made for @pulumi/pulumi ${sdk.version}.`,
    );
  } else if (sdk.engines?.node && !satisfies(node, sdk.engines.node)) {
    const low = tested[0];
    problems.push(
      `@pulumi/pulumi ${sdk.version} needs Node.js ${sdk.engines.node} (its engines; npm only warns EBADENGINE); this is Node.js ${node}. ` +
        `Run it with Node.js ${newestNodeMajor(pkg)}, or install @pulumi/pulumi@${low} (works on Node.js ${node}): npm install @pulumi/pulumi@${low}.`,
    );
  }
  return problems;
}

/** This package's own package.json (from dist/provider/core or provider/core). */
export function ownPackageJson(): PackageJson {
  let dir = __dirname;
  for (;;) {
    const p = path.join(dir, "package.json");
    if (fs.existsSync(p)) {
      const pkg = JSON.parse(fs.readFileSync(p, "utf8"));
      if (pkg.name === "pulumi-adnetworks") return pkg;
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`pulumi-adnetworks: its package.json was not found above ${__dirname}`);
    dir = up;
  }
}

/** The @pulumi/pulumi this package resolves (the project's, as a peer), or undefined when there is none. */
export function resolvedSdk(): Sdk | undefined {
  let p: string;
  try {
    p = require.resolve("@pulumi/pulumi/package.json");
  } catch {
    return undefined;
  }
  const j = JSON.parse(fs.readFileSync(p, "utf8"));
  return { version: j.version, engines: j.engines, path: path.dirname(p) };
}

/** Thrown when the versions are out of range: nothing was registered or written. */
export class CompatibilityError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "CompatibilityError";
  }
}

let checked = false;

/** Throws a CompatibilityError when Node.js or @pulumi/pulumi is out of the tested range (once per process). */
export function assertCompatible(): void {
  if (checked) return;
  const problems = compatibilityProblems(ownPackageJson(), process.versions.node, resolvedSdk());
  if (problems.length) throw new CompatibilityError(problems);
  checked = true;
}
