import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "../scripts/lib/engine";

/** scripts/setup-yaml.sh with its cache and install folders in a temporary folder, and PATH as given. */
function setup(tmp: string, PATH: string) {
  return spawnSync("bash", [path.join(ROOT, "scripts", "setup-yaml.sh")], {
    encoding: "utf8",
    env: { ...process.env, PATH, ADNET_YAML_CACHE: path.join(tmp, "cache"), ADNET_TOOLS_DIR: path.join(tmp, "bin") },
  });
}

/** A PATH with node and the system's tools but no Go. */
function pathWithoutGo(tmp: string): string {
  const dirs = (process.env.PATH ?? "").split(path.delimiter).filter((d) => d && !fs.existsSync(path.join(d, "go")));
  const nodeDir = path.join(tmp, "node-only");
  fs.mkdirSync(nodeDir);
  fs.symlinkSync(process.execPath, path.join(nodeDir, "node"));
  return [nodeDir, ...dirs].join(path.delimiter);
}

describe("setup:yaml (Pulumi YAML's language host, scripts/setup-yaml.sh)", () => {
  let tmp = "";
  beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-setup-yaml-"))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("without Go and no cached build: one message naming the install command, exit 1, nothing installed", () => {
    const r = setup(tmp, pathWithoutGo(tmp));
    expect(r.status).to.equal(1);
    expect(r.stderr.trim().split("\n")).to.have.length(1);
    expect(r.stderr).to.contain("Go is not installed").and.contain("apt-get install golang-go").and.contain("npm run setup:yaml");
    expect(fs.existsSync(path.join(tmp, "bin", "pulumi-language-yaml"))).to.equal(false);
  });

  it("a cached build of the package.json version is installed without Go, once", () => {
    const version = require(path.join(ROOT, "package.json")).adnetworks.pulumiYamlVersion;
    fs.mkdirSync(path.join(tmp, "cache", "bin"), { recursive: true });
    fs.writeFileSync(path.join(tmp, "cache", "bin", "pulumi-language-yaml"), "#!/bin/sh\n", { mode: 0o755 });
    fs.writeFileSync(path.join(tmp, "cache", "bin", "pulumi-language-yaml.version"), `v${version}\n`);
    const PATH = pathWithoutGo(tmp);
    const first = setup(tmp, PATH);
    expect(first.status, first.stderr).to.equal(0);
    expect(first.stderr).to.contain(`installed pulumi-language-yaml v${version}`);
    expect(fs.readFileSync(path.join(tmp, "bin", "pulumi-language-yaml"), "utf8")).to.equal("#!/bin/sh\n");
    const again = setup(tmp, PATH);
    expect(again.status).to.equal(0);
    expect(again.stderr).to.contain("already installed");
    // A build of another version is not taken for this one: without Go, it stops.
    fs.writeFileSync(path.join(tmp, "cache", "bin", "pulumi-language-yaml.version"), "v0.0.1\n");
    expect(setup(tmp, PATH).status).to.equal(1);
  });
});
