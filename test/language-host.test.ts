import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createRequire } from "module";
import { ROOT } from "./support/engine";
import { serveLanguageHost, ServedLanguageHost } from "./support/language-host";
import { mainFile, typescriptOn } from "../provider/language-host/main";
import { envFromList, stackEnv } from "../provider/language-host/plugin";

/* eslint-disable @typescript-eslint/no-var-requires */
const sdkRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const langproto = require("@pulumi/pulumi/proto/language_pb");
const analyzerproto = require("@pulumi/pulumi/proto/analyzer_pb");
const structproto = sdkRequire("google-protobuf/google/protobuf/struct_pb");

/**
 * RunPlugin of the project's Node.js language host, over gRPC as the engine
 * calls it (the policy pack path runs with the real CLI in
 * test/e2e.policy.test.ts).
 */
describe("the Node.js language host's RunPlugin", function () {
  this.timeout(60_000);
  let host: ServedLanguageHost | undefined;
  let client: any;
  let dir: string;

  before(async () => {
    host = await serveLanguageHost();
    client = host.client;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-run-plugin-"));
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "tool", version: "1.0.0", main: "index.js" }));
    fs.writeFileSync(path.join(dir, "index.js"), [
      `process.stdout.write("args " + JSON.stringify(process.argv.slice(2)) + "\\n");`,
      `process.stdout.write("cwd " + process.cwd() + "\\n");`,
      `process.stderr.write("env " + process.env.ADNET_PLUGIN_TEST + "\\n");`,
      `process.exitCode = 3;`,
    ].join("\n"));
  });
  after(() => {
    host?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Calls RunPlugin and collects the streamed output and the exit code. */
  function runPlugin(kind: string, programDir: string, args: string[], env: string[]): Promise<{ stdout: string; stderr: string; exit?: number; error?: string }> {
    const req = new langproto.RunPluginRequest();
    const info = new langproto.ProgramInfo();
    info.setRootDirectory(programDir);
    info.setProgramDirectory(programDir);
    info.setEntryPoint(".");
    info.setOptions(structproto.Struct.fromJavaScript({ typescript: false }));
    req.setInfo(info);
    req.setPwd(os.tmpdir());
    req.setArgsList(args);
    req.setEnvList(env);
    req.setKind(kind);
    return new Promise((resolve) => {
      const out = { stdout: "", stderr: "" } as { stdout: string; stderr: string; exit?: number; error?: string };
      const call = client.runPlugin(req);
      call.on("data", (r: any) => {
        if (r.getOutputCase() === langproto.RunPluginResponse.OutputCase.STDOUT) out.stdout += Buffer.from(r.getStdout_asU8()).toString();
        if (r.getOutputCase() === langproto.RunPluginResponse.OutputCase.STDERR) out.stderr += Buffer.from(r.getStderr_asU8()).toString();
        if (r.getOutputCase() === langproto.RunPluginResponse.OutputCase.EXITCODE) out.exit = r.getExitcode();
      });
      call.on("error", (e: any) => resolve({ ...out, error: e.details ?? e.message }));
      call.on("end", () => resolve(out));
    });
  }

  it("runs a plugin directory with @pulumi/pulumi/cmd/run-plugin: the directory then the args, in the request's pwd, the request's environment; output streamed, the exit code sent", async () => {
    const r = await runPlugin("tool", dir, ["one", "two"], [`PATH=${process.env.PATH}`, "ADNET_PLUGIN_TEST=from-the-engine"]);
    expect(r.error).to.equal(undefined);
    expect(r.stdout).to.contain('args ["one","two"]');
    expect(r.stdout).to.contain(`cwd ${fs.realpathSync(os.tmpdir())}`);
    expect(r.stderr).to.equal("env from-the-engine\n");
    expect(r.exit).to.equal(3);
  });

  it("a policy pack directory without its dependencies: the line the engine turns into 'try running npm install', exit 1", async () => {
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-bare-pack-"));
    try {
      const r = await runPlugin("analyzer", bare, ["127.0.0.1:1"], [`PATH=${process.env.PATH}`]);
      expect(r.stderr).to.equal(`Cannot find module '@pulumi/pulumi/cmd/run-policy-pack' from ${bare}\n`);
      expect(r.exit).to.equal(1);
    } finally {
      fs.rmSync(bare, { recursive: true, force: true });
    }
  });

  it("hands a policy pack the stack's configuration as Pulumi's Go host does (environment from ConfigureStack)", () => {
    const cfg = new analyzerproto.AnalyzerStackConfigureRequest();
    cfg.setStack("dev");
    cfg.setProject("shop");
    cfg.setOrganization("organization");
    cfg.setDryRun(true);
    cfg.getConfigMap().set("adnetworks:currencies", "{\"exoclick\":\"EUR\"}");
    cfg.setConfigSecretKeysList(["exoclick:apiToken"]);
    expect(stackEnv(cfg)).to.deep.equal({
      PULUMI_NODEJS_ORGANIZATION: "organization", PULUMI_NODEJS_PROJECT: "shop", PULUMI_NODEJS_STACK: "dev", PULUMI_NODEJS_DRY_RUN: "true",
      PULUMI_CONFIG: "{\"adnetworks:currencies\":\"{\\\"exoclick\\\":\\\"EUR\\\"}\"}", PULUMI_CONFIG_SECRET_KEYS: "[\"exoclick:apiToken\"]",
    });
    expect(stackEnv(null)).to.deep.equal({});
    expect(envFromList(["A=1", "B=x=y", "A=2", "bad"])).to.deep.equal({ A: "2", B: "x=y" });
  });
});

describe("the Node.js language host's TypeScript switch", () => {
  let dir: string;
  const write = (rel: string, text = "") => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-ts-switch-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("turns TypeScript off for a JavaScript main (.js, .cjs) and leaves it on for a TypeScript one", () => {
    write("index.js");
    write("app.ts");
    expect(typescriptOn({}, dir, "index.js")).to.equal(false);
    expect(typescriptOn({}, dir, "app.ts")).to.equal(true);
    expect(typescriptOn({}, dir, "app")).to.equal(true);
    write("lib/main.cjs");
    expect(typescriptOn({}, dir, "lib/main.cjs")).to.equal(false);
  });

  it("reads the directory's package.json main (or exports) for the entry point \".\", else its index", () => {
    write("package.json", JSON.stringify({ name: "p", main: "bin/index.js" }));
    write("bin/index.js");
    expect(mainFile(dir, ".")).to.equal(path.join(dir, "bin", "index.js"));
    expect(typescriptOn({}, dir, ".")).to.equal(false);
    write("package.json", JSON.stringify({ name: "p", exports: { ".": { require: "./src/index.ts" } } }));
    write("src/index.ts");
    expect(typescriptOn({}, dir, ".")).to.equal(true);
    write("package.json", JSON.stringify({ name: "p" }));
    write("index.ts");
    expect(mainFile(dir, ".")).to.equal(path.join(dir, "index.ts"));
    expect(typescriptOn({}, dir, ".")).to.equal(true);
  });

  it("keeps what Pulumi.yaml's typescript option says, and TypeScript on when it cannot tell the main", () => {
    write("index.js");
    write("index.ts");
    expect(typescriptOn({ typescript: true }, dir, "index.js")).to.equal(true);
    expect(typescriptOn({ typescript: "false" }, dir, "index.ts")).to.equal(false);
    expect(typescriptOn({}, dir, "missing")).to.equal(true);
  });
});
