/**
 * A Node.js implementation of Pulumi's Node.js language host
 * (`pulumi-language-nodejs`), for machines where the Go host cannot be built.
 *
 * The engine starts the plugin with its own address as the last argument
 * (possibly after flags such as `-root=...` or `-tracing=...`), reads the port
 * this process prints on stdout, and talks `pulumirpc.LanguageRuntime` to it.
 * `Run` executes the program with the SDK's program runner
 * (`@pulumi/pulumi/cmd/run`, resolved from the program directory), passing
 * the same flags and environment as the Go host: `--monitor`, `--engine`,
 * `--project`, `--stack`, `--pwd`, `--dry-run`, `--parallel`,
 * `--organization`, `--root-directory`, `--tracing` and the entry point on
 * argv; `PULUMI_CONFIG`, `PULUMI_CONFIG_SECRET_KEYS` and
 * `PULUMI_NODEJS_TYPESCRIPT` / `PULUMI_NODEJS_TSCONFIG_PATH` in the env.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { createRequire } from "module";
import type { ChildProcess } from "child_process";
import type * as lang from "@pulumi/pulumi/proto/language_pb";
import { exitWhenParentDies } from "../core/engine/parent";
import { generateProgram } from "./generate";
import { runPlugin } from "./plugin";
import { generatePackage, installDependencies, link } from "./packages";

// The stubs and grpc-js that ship with the SDK (the same copies the program runner uses),
// resolved from the SDK's own directory: in a project that installed this package,
// npm may nest them under @pulumi/pulumi.
/* eslint-disable @typescript-eslint/no-var-requires */
const sdkRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const grpc: typeof import("@grpc/grpc-js") = sdkRequire("@grpc/grpc-js");
const langproto: typeof import("@pulumi/pulumi/proto/language_pb") = require("@pulumi/pulumi/proto/language_pb");
const langrpc: typeof import("@pulumi/pulumi/proto/language_grpc_pb") = require("@pulumi/pulumi/proto/language_grpc_pb");
const pluginproto: typeof import("@pulumi/pulumi/proto/plugin_pb") = require("@pulumi/pulumi/proto/plugin_pb");
const emptyproto: typeof import("google-protobuf/google/protobuf/empty_pb") = sdkRequire("google-protobuf/google/protobuf/empty_pb");

export const VERSION: string = require("@pulumi/pulumi/package.json").version;

/** Exit code with which the program runner says it already reported the error to the engine. */
const PROGRAM_REPORTED_ERROR = 32;

interface Args {
  engineAddress: string;
  tracing: string;
  root: string;
}

export function parseArgs(argv: string[]): Args {
  const flags: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--?([A-Za-z][\w-]*)(?:=(.*))?$/.exec(a);
    if (!m) {
      positional.push(a);
      continue;
    }
    if (m[2] !== undefined) flags[m[1]] = m[2];
    else if (["tracing", "root", "binary", "typescript", "tsconfig", "nodeargs", "packagemanager"].includes(m[1]) && i + 1 < argv.length && argv.length - i > 2) {
      // `-flag value` (Go's flag package accepts both forms); never swallow the final engine address.
      flags[m[1]] = argv[++i];
    } else flags[m[1]] = "true";
  }
  return { engineAddress: positional[positional.length - 1] ?? "", tracing: flags.tracing ?? "", root: flags.root ?? "" };
}

type Unary<Req, Res> = import("@grpc/grpc-js").handleUnaryCall<Req, Res>;
type GrpcStatus = Partial<import("@grpc/grpc-js").StatusObject>;

function unary<Req, Res>(fn: (req: Req) => Res | Promise<Res>): Unary<Req, Res> {
  return (call, cb) => {
    Promise.resolve()
      .then(() => fn(call.request))
      .then((res) => cb(null, res), (err: unknown) => cb({ code: grpc.status.UNKNOWN, details: String((typeof err === "object" && err !== null && "stack" in err ? err.stack : undefined) ?? err) }));
  };
}

function unimplemented(name: string) {
  return (_call: unknown, cb: (err: GrpcStatus) => void) => cb({ code: grpc.status.UNIMPLEMENTED, details: `${name} is not implemented by this language host` });
}

/** Runtime options from Pulumi.yaml (`runtime.options`), as a plain object. */
function runtimeOptions(info: lang.ProgramInfo | undefined): Record<string, unknown> {
  return info?.getOptions()?.toJavaScript() ?? {};
}

function resolveRunner(programDir: string): string {
  const override = process.env.PULUMI_LANGUAGE_NODEJS_RUN_PATH;
  if (override) return path.resolve(programDir, override);
  try {
    return require.resolve("@pulumi/pulumi/cmd/run", { paths: [programDir] });
  } catch {
    throw new Error(`It looks like the Pulumi SDK has not been installed (cannot resolve @pulumi/pulumi/cmd/run from ${programDir}). Have you run npm install or yarn install?`);
  }
}

/**
 * The entry point passed to the runner, as the Go host does: `main` from
 * Pulumi.yaml, or "." to use the `main` of the nearest package.json. (The
 * examples here share the repository's package.json, so their Pulumi.yaml
 * names `main: index.ts`.)
 */
export function entryPoint(program: string): string {
  return program || ".";
}

/**
 * The file the program runner will load for an entry point (relative to the
 * working directory): a file as given, a directory by its package.json
 * `exports`/`main` or its index; undefined when it cannot tell.
 */
export function mainFile(pwd: string, program: string): string | undefined {
  const target = path.resolve(pwd, program || ".");
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(target);
  } catch {
    stat = undefined;
  }
  if (stat?.isFile()) return target;
  if (stat?.isDirectory()) {
    let main: unknown;
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(target, "package.json"), "utf8"));
      const exp = pkg.exports;
      main = typeof exp === "string" ? exp : typeof exp?.["."] === "string" ? exp["."] : exp?.["."]?.default ?? exp?.["."]?.require ?? pkg.main;
    } catch {
      main = undefined;
    }
    if (typeof main === "string") return mainFile(target, main);
    return ["index.ts", "index.js"].map((f) => path.join(target, f)).find((f) => fs.existsSync(f));
  }
  // Without an extension, as Node (or ts-node) would resolve it.
  return [".ts", ".js", ".cjs"].map((e) => target + e).find((f) => fs.existsSync(f));
}

/**
 * Whether the program runs with TypeScript (ts-node): as Pulumi.yaml's
 * `typescript` option says when it is given; otherwise on, as the Go host
 * does, except for a JavaScript main (.js, .cjs, .mjs), which needs no
 * compiler: loading TypeScript and ts-node (and its source-map hooks on every
 * stack trace) cost a no-op preview of 400 resources about a second of CPU.
 * A JavaScript main that requires .ts files sets `typescript: true`.
 */
export function typescriptOn(options: Record<string, unknown>, pwd: string, program: string): boolean {
  if (options.typescript !== undefined) return options.typescript === true || options.typescript === "true";
  const main = mainFile(pwd, program);
  return !(main && /\.[cm]?js$/.test(main));
}

export class NodeLanguageHost {
  /** Programs running now (killed with this host, so none outlives the engine). */
  readonly programs = new Set<ChildProcess>();

  constructor(private engineAddress: string, private tracing: string) {}

  killPrograms(): void {
    for (const child of this.programs) child.kill("SIGKILL");
  }

  handshake(req: lang.LanguageHandshakeRequest) {
    if (req.getEngineAddress()) this.engineAddress = req.getEngineAddress();
    return new langproto.LanguageHandshakeResponse();
  }

  pluginInfo() {
    const info = new pluginproto.PluginInfo();
    info.setVersion(VERSION);
    return info;
  }

  about() {
    const res = new langproto.AboutResponse();
    res.setExecutable(process.execPath);
    res.setVersion(process.version);
    return res;
  }

  async run(req: lang.RunRequest): Promise<lang.RunResponse> {
    const info = req.getInfo();
    const pwd: string = req.getPwd() || info?.getProgramDirectory() || process.cwd();
    const programDir: string = info?.getProgramDirectory() || pwd;
    const rootDir: string = info?.getRootDirectory() || "";
    const options = runtimeOptions(info);
    const res = new langproto.RunResponse();

    let runner: string;
    try {
      runner = resolveRunner(programDir);
    } catch (err) {
      res.setError((err as Error).message);
      return res;
    }

    const args: string[] = [];
    const nodeargs = typeof options.nodeargs === "string" ? options.nodeargs.split(/\s+/).filter(Boolean) : [];
    args.push(...nodeargs, runner);
    const add = (k: string, v: string | number | undefined) => {
      if (v !== undefined && v !== "") args.push(`--${k}`, String(v));
    };
    add("monitor", req.getMonitorAddress());
    add("engine", this.engineAddress);
    add("organization", req.getOrganization());
    add("project", req.getProject());
    add("root-directory", rootDir);
    add("stack", req.getStack());
    add("pwd", pwd);
    if (req.getDryrun()) args.push("--dry-run");
    add("parallel", req.getParallel());
    add("tracing", this.tracing);
    args.push(entryPoint(req.getProgram()));
    args.push(...req.getArgsList());

    const config: Record<string, string> = {};
    for (const [k, v] of req.getConfigMap().entries()) config[k] = v;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PULUMI_CONFIG: JSON.stringify(config),
      PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(req.getConfigsecretkeysList()),
    };
    const ts = typescriptOn(options, pwd, req.getProgram());
    if (ts) env.PULUMI_NODEJS_TYPESCRIPT = "true";
    if (typeof options.tsconfig === "string" && options.tsconfig) env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;

    const outcome = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
      const child = spawn(process.execPath, args, { cwd: pwd, env, stdio: ["ignore", "inherit", "inherit"] });
      this.programs.add(child);
      child.on("error", (error) => resolve({ code: null, signal: null, error }));
      child.on("exit", (code, signal) => {
        this.programs.delete(child);
        resolve({ code, signal });
      });
    });
    if (outcome.error) {
      res.setError(`Problem executing program (could not run language executor): ${outcome.error.message}`);
    } else if (outcome.code === PROGRAM_REPORTED_ERROR) {
      res.setBail(true);
    } else if (outcome.code !== 0) {
      res.setError(outcome.signal ? `Program exited unexpectedly: signal ${outcome.signal}` : `Program exited with non-zero exit code: ${outcome.code}`);
    }
    return res;
  }

  /** The code `pulumi import <type> <name> <id>` prints, for this package's types (generate.ts). */
  generateProgram(req: lang.GenerateProgramRequest) {
    const sources: Record<string, string> = {};
    for (const [k, v] of req.getSourceMap().entries()) sources[k] = v;
    const res = new langproto.GenerateProgramResponse();
    res.getSourceMap().set("index.ts", Buffer.from(generateProgram(sources), "utf8"));
    return res;
  }

  /** The adnetworks plugin's TypeScript SDK (a package re-exporting pulumi-adnetworks/plugin) into the request's directory. */
  generatePackage(req: lang.GeneratePackageRequest) {
    generatePackage(req.getDirectory(), req.getSchema());
    return new langproto.GeneratePackageResponse();
  }

  /** The program depends on the generated SDK (package.json); the answer says how to import it. */
  link(req: lang.LinkRequest) {
    const info = req.getInfo();
    const programDir: string = info?.getProgramDirectory() || info?.getRootDirectory() || process.cwd();
    const res = new langproto.LinkResponse();
    res.setImportInstructions(link(programDir, req.getPackagesList().map((p) => p.getPath())));
    return res;
  }

  /** Streams npm's output; ends with an error when npm fails. */
  installDependencies(call: import("@grpc/grpc-js").ServerWritableStream<lang.InstallDependenciesRequest, lang.InstallDependenciesResponse>): void {
    const req = call.request;
    const dir: string = req.getInfo()?.getProgramDirectory() || req.getDirectory() || process.cwd();
    const send = (set: (r: lang.InstallDependenciesResponse) => void) => {
      const r = new langproto.InstallDependenciesResponse();
      set(r);
      call.write(r);
    };
    installDependencies(dir, req.getIsPlugin(), { stdout: (d) => send((r) => r.setStdout(d)), stderr: (d) => send((r) => r.setStderr(d)) }).then(
      () => call.end(),
      (e: unknown) => call.emit("error", { code: grpc.status.UNKNOWN, details: String((typeof e === "object" && e !== null && "message" in e ? e.message : undefined) ?? e) }),
    );
  }

  service(): import("@pulumi/pulumi/proto/language_grpc_pb").ILanguageRuntimeServer {
    return {
      handshake: unary((req: lang.LanguageHandshakeRequest) => this.handshake(req)),
      getRequiredPlugins: unary(() => new langproto.GetRequiredPluginsResponse()),
      getRequiredPackages: unary(() => new langproto.GetRequiredPackagesResponse()),
      run: unary((req: lang.RunRequest) => this.run(req)),
      getPluginInfo: unary(() => this.pluginInfo()),
      // npm install where `pulumi package add`, `pulumi install` ... ask (packages.ts); nothing without a package.json.
      installDependencies: (call) => this.installDependencies(call),
      runtimeOptionsPrompts: unary(() => new langproto.RuntimeOptionsResponse()),
      template: unary(() => new langproto.TemplateResponse()),
      about: unary(() => this.about()),
      getProgramDependencies: unary(() => new langproto.GetProgramDependenciesResponse()),
      // Policy packs and other plugin directories (plugin.ts).
      runPlugin: (call) => runPlugin(call, { started: (c) => this.programs.add(c), ended: (c) => this.programs.delete(c) }),
      generateProgram: unary((req: lang.GenerateProgramRequest) => this.generateProgram(req)),
      generateProject: unimplemented("GenerateProject"),
      // `pulumi package add` (packages.ts).
      generatePackage: unary((req: lang.GeneratePackageRequest) => this.generatePackage(req)),
      pack: unimplemented("Pack"),
      link: unary((req: lang.LinkRequest) => this.link(req)),
      cancel: unary(() => new emptyproto.Empty()),
    };
  }
}

export async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const host = new NodeLanguageHost(args.engineAddress, args.tracing);
  const server = new grpc.Server({
    "grpc.max_receive_message_length": 400 * 1024 * 1024,
    "grpc.max_send_message_length": 400 * 1024 * 1024,
  });
  server.addService(langrpc.LanguageRuntimeService, host.service());
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  process.stdout.write(`${port}\n`);
  // A killed CLI cannot stop its plugins: exit (and end the program) when it is gone.
  exitWhenParentDies({ beforeExit: () => host.killPrograms() });
  // The engine kills the plugin when it is done with it.
  const stop = () => server.tryShutdown(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err) => {
    process.stderr.write(`pulumi-language-nodejs: ${err?.stack ?? err}\n`);
    process.exit(1);
  });
}
