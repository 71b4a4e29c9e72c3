/**
 * `RunPlugin` of the Node.js language host: how the engine starts a plugin
 * that is a directory of JavaScript rather than an executable, above all a
 * policy pack (`pulumi preview --policy-pack <dir>`, a directory with
 * `PulumiPolicy.yaml` whose runtime is nodejs).
 *
 * What Pulumi 3.248 asks, read from its source and checked with its CLI:
 *  - `NewPolicyAnalyzer` (sdk/go/common/resource/plugin/analyzer_plugin.go)
 *    uses the `nodejs` language plugin's RunPlugin whenever one is installed
 *    (only without one does it look for a `pulumi-analyzer-policy-nodejs`
 *    executable). `ExecPlugin` (plugin.go) sends `RunPluginRequest { pwd:
 *    the program's directory, args: [engine flags..., engine address], env:
 *    the CLI's environment, info: { programDirectory: the pack's directory,
 *    options: PulumiPolicy.yaml's runtime options }, kind: "analyzer" }`
 *    and reads the plugin's stdout and stderr from the response stream
 *    (`langruntime_plugin.go`); the first line of stdout is the port of the
 *    plugin's gRPC server, the stream's end (or an exit code) its exit.
 *  - The Go language host runs `@pulumi/pulumi/cmd/run-policy-pack`
 *    (resolved from the pack's directory) with the args and then the pack's
 *    directory, in the pack's directory (`PolicyPack` reads its version from
 *    `./package.json`). It does not start the pack at once: it serves a
 *    proxy `Analyzer` (sdk/v3 `policy_proxy.go`, "used by node and python
 *    language hosts"), prints the proxy's port, waits for the engine's
 *    `ConfigureStack` (stack, project, organization, dry run, the stack's
 *    config), starts the pack with them in its environment
 *    (`PULUMI_NODEJS_STACK`, `PULUMI_NODEJS_PROJECT`,
 *    `PULUMI_NODEJS_ORGANIZATION`, `PULUMI_NODEJS_DRY_RUN`, `PULUMI_CONFIG`),
 *    so a pack can read `pulumi.getStack()` and `new pulumi.Config()`, and
 *    forwards every other call to it. This file does the same.
 *  - Other plugin kinds (a provider from `PulumiPlugin.yaml`) run
 *    `@pulumi/pulumi/cmd/run-plugin` with the directory then the args, in
 *    the request's working directory, their output streamed as it comes.
 */
import { spawn, ChildProcess } from "child_process";
import { createRequire } from "module";
import type * as lang from "@pulumi/pulumi/proto/language_pb";
import type * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import type { Empty } from "google-protobuf/google/protobuf/empty_pb";
import type { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";

/* eslint-disable @typescript-eslint/no-var-requires */
const sdkRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const grpc: typeof import("@grpc/grpc-js") = sdkRequire("@grpc/grpc-js");
const langproto: typeof import("@pulumi/pulumi/proto/language_pb") = require("@pulumi/pulumi/proto/language_pb");
const analyzerrpc: typeof import("@pulumi/pulumi/proto/analyzer_grpc_pb") = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const analyzerproto: typeof import("@pulumi/pulumi/proto/analyzer_pb") = require("@pulumi/pulumi/proto/analyzer_pb");

type ServiceError = import("@grpc/grpc-js").ServiceError;
type AnalyzerClient = import("@pulumi/pulumi/proto/analyzer_grpc_pb").AnalyzerClient;

/** The engine's name for a policy pack plugin (apitype.AnalyzerPlugin). */
export const ANALYZER_KIND = "analyzer";

/** The modules that start a plugin directory, by kind. */
export function pluginRunner(kind: string): string {
  return kind === ANALYZER_KIND ? "@pulumi/pulumi/cmd/run-policy-pack" : process.env.PULUMI_LANGUAGE_NODEJS_RUN_PATH || "@pulumi/pulumi/cmd/run-plugin";
}

/** "K=V" entries to an environment object (the last of a repeated key wins, as exec does). */
export function envFromList(list: string[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const kv of list) {
    const i = kv.indexOf("=");
    if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return env;
}

/** What a policy pack learns from the engine's ConfigureStack, as the Go host passes it on. */
export function stackEnv(cfg: analyzer.AnalyzerStackConfigureRequest | null | undefined): NodeJS.ProcessEnv {
  if (!cfg) return {};
  const env: NodeJS.ProcessEnv = {};
  const set = (k: string, v: string) => {
    if (v) env[k] = v;
  };
  set("PULUMI_NODEJS_ORGANIZATION", cfg.getOrganization());
  set("PULUMI_NODEJS_PROJECT", cfg.getProject());
  set("PULUMI_NODEJS_STACK", cfg.getStack());
  set("PULUMI_NODEJS_DRY_RUN", String(cfg.getDryRun()));
  const config: Record<string, string> = {};
  for (const [k, v] of cfg.getConfigMap().entries()) config[k] = v;
  set("PULUMI_CONFIG", JSON.stringify(config));
  const secretKeys: string[] = cfg.getConfigSecretKeysList();
  if (secretKeys.length) set("PULUMI_CONFIG_SECRET_KEYS", JSON.stringify(secretKeys));
  return env;
}


/** A one-shot value that can be awaited. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  let settled = false;
  const promise = new Promise<T>((res, rej) => {
    resolve = (v) => {
      if (!settled) (settled = true), res(v);
    };
    reject = (e) => {
      if (!settled) (settled = true), rej(e);
    };
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject, get settled() { return settled; } };
}

/**
 * The Analyzer the engine talks to while the pack starts: Handshake and
 * ConfigureStack are answered here; every other call waits for the pack
 * and is forwarded to it.
 */
class PolicyProxy {
  readonly configuration = deferred<analyzer.AnalyzerStackConfigureRequest | null>();
  readonly client = deferred<AnalyzerClient>();
  private server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024, "grpc.max_send_message_length": 400 * 1024 * 1024 });

  async listen(): Promise<number> {
    // Each call forwarded by its own client method (the pack's answer, or its error, passed back as it is).
    type Send<Q, R> = (client: AnalyzerClient, request: Q, cb: (err: ServiceError | null, res: R) => void) => void;
    const forward = <Q, R>(send: Send<Q, R>): import("@grpc/grpc-js").handleUnaryCall<Q, R> => (call, cb) => {
      // A call before ConfigureStack (e.g. `pulumi policy publish`): start the pack without stack config.
      this.configuration.resolve(null);
      this.client.promise.then(
        (client) => send(client, call.request, (err, res) => cb(err, res)),
        (err: unknown) => cb({ code: grpc.status.UNAVAILABLE, details: `policy pack not started: ${(typeof err === "object" && err !== null && "message" in err ? err.message : undefined) ?? err}` }),
      );
    };
    const service: import("@pulumi/pulumi/proto/analyzer_grpc_pb").IAnalyzerServer = {
      handshake: (_call, cb) => cb(null, new analyzerproto.AnalyzerHandshakeResponse()),
      configureStack: (call, cb) => {
        this.configuration.resolve(call.request);
        cb(null, new analyzerproto.AnalyzerStackConfigureResponse());
      },
      analyze: forward<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>((c, q, cb) => c.analyze(q, cb)),
      analyzeStack: forward<analyzer.AnalyzeStackRequest, analyzer.AnalyzeResponse>((c, q, cb) => c.analyzeStack(q, cb)),
      remediate: forward<analyzer.AnalyzeRequest, analyzer.RemediateResponse>((c, q, cb) => c.remediate(q, cb)),
      getAnalyzerInfo: forward<Empty, analyzer.AnalyzerInfo>((c, q, cb) => c.getAnalyzerInfo(q, cb)),
      getPluginInfo: forward<Empty, PluginInfo>((c, q, cb) => c.getPluginInfo(q, cb)),
      configure: forward<analyzer.ConfigureAnalyzerRequest, Empty>((c, q, cb) => c.configure(q, cb)),
      cancel: forward<Empty, Empty>((c, q, cb) => c.cancel(q, cb)),
    };
    this.server.addService(analyzerrpc.AnalyzerService, service);
    return new Promise((resolve, reject) => this.server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))));
  }

  /** Connects to the pack's own server and hands it the stack configuration the engine sent. */
  async attach(port: number): Promise<void> {
    const client = new analyzerrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { "grpc.max_receive_message_length": 400 * 1024 * 1024 });
    const cfg = await this.configuration.promise;
    if (cfg) {
      await new Promise<void>((resolve, reject) => client.configureStack(cfg, (err) => {
        // Older packs do not implement ConfigureStack; that is fine.
        if (err && err.code !== grpc.status.UNIMPLEMENTED) reject(new Error(`policy pack configuration failed: ${err.details ?? err.message}`));
        else resolve();
      }));
    }
    this.client.resolve(client);
  }

  close(): void {
    this.client.reject(new Error("the policy pack exited"));
    this.server.forceShutdown();
  }
}

export interface RunPluginHooks {
  /** Track a started child, so it is killed with the host. */
  started(child: ChildProcess): void;
  ended(child: ChildProcess): void;
}

/**
 * The RunPlugin RPC (server streaming): starts the plugin, streams its
 * stdout and stderr, and ends with its exit code.
 */
export function runPlugin(call: import("@grpc/grpc-js").ServerWritableStream<lang.RunPluginRequest, lang.RunPluginResponse>, hooks: RunPluginHooks): void {
  const req = call.request;
  const info = req.getInfo();
  const programDir: string = info?.getProgramDirectory() || req.getPwd() || process.cwd();
  const options: Record<string, unknown> = info?.getOptions()?.toJavaScript() ?? {};
  const kind: string = req.getKind();
  const analyzer = kind === ANALYZER_KIND;
  let ended = false;
  const send = (set: (r: lang.RunPluginResponse) => void) => {
    if (ended) return;
    const r = new langproto.RunPluginResponse();
    set(r);
    call.write(r);
  };
  const fail = (details: string) => {
    if (ended) return;
    ended = true;
    call.emit("error", { code: grpc.status.UNKNOWN, details });
  };
  const finish = (code: number) => {
    send((r) => r.setExitcode(code));
    if (!ended) {
      ended = true;
      call.end();
    }
  };

  let runner: string;
  try {
    runner = require.resolve(pluginRunner(kind), { paths: [programDir] });
  } catch {
    // On the plugin's output the engine recognises this line, and tells the user to install the pack's dependencies.
    send((r) => r.setStderr(Buffer.from(`Cannot find module '${pluginRunner(kind)}' from ${programDir}\n`, "utf8")));
    finish(1);
    return;
  }
  const env: NodeJS.ProcessEnv = envFromList(req.getEnvList());
  if (options.typescript === undefined || options.typescript === true || options.typescript === "true") env.PULUMI_NODEJS_TYPESCRIPT = "true";
  if (typeof options.tsconfig === "string" && options.tsconfig) env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;
  const nodeargs = typeof options.nodeargs === "string" ? options.nodeargs.split(/\s+/).filter(Boolean) : [];
  // A policy pack gets the directory last and runs in it; any other plugin gets it first and runs in the request's pwd.
  const args = analyzer ? [...nodeargs, runner, ...req.getArgsList(), programDir] : [...nodeargs, runner, programDir, ...req.getArgsList()];
  const cwd = analyzer ? programDir : req.getPwd() || programDir;

  let child: ChildProcess | undefined;
  let proxy: PolicyProxy | undefined;
  call.on("cancelled", () => {
    ended = true;
    child?.kill("SIGTERM");
    proxy?.close();
  });

  const start = (extraEnv: NodeJS.ProcessEnv, onFirstLine?: (line: string) => void) => {
    if (ended) return;
    child = spawn(process.execPath, args, { cwd, env: { ...env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
    hooks.started(child);
    let head = onFirstLine ? "" : undefined;
    child.stdout!.on("data", (d: Buffer) => {
      if (head === undefined) return send((r) => r.setStdout(d));
      head += d.toString("utf8");
      const nl = head.indexOf("\n");
      if (nl < 0) return;
      const line = head.slice(0, nl);
      const rest = head.slice(nl + 1);
      head = undefined;
      onFirstLine!(line);
      if (rest) send((r) => r.setStdout(Buffer.from(rest, "utf8")));
    });
    child.stderr!.on("data", (d: Buffer) => send((r) => r.setStderr(d)));
    child.on("error", (e) => fail(`Problem executing plugin program (could not run language executor): ${e.message}`));
    child.on("close", (code, signal) => {
      hooks.ended(child!);
      proxy?.close();
      finish(code ?? (signal ? 1 : 0));
    });
  };

  if (!analyzer) {
    start({});
    return;
  }
  proxy = new PolicyProxy();
  const p = proxy;
  p.listen().then(
    async (port) => {
      // The engine's end of the plugin: the proxy's port is the first line of stdout.
      send((r) => r.setStdout(Buffer.from(`${port}\n`, "utf8")));
      const cfg = await p.configuration.promise;
      start(stackEnv(cfg), (line) => {
        const packPort = Number(line.trim());
        if (!Number.isInteger(packPort) || packPort <= 0) {
          p.client.reject(new Error(`the policy pack wrote ${JSON.stringify(line)} instead of its port`));
          send((r) => r.setStderr(Buffer.from(`${line}\n`, "utf8")));
          return;
        }
        p.attach(packPort).catch((e) => {
          p.client.reject(e);
          send((r) => r.setStderr(Buffer.from(`${e.message}\n`, "utf8")));
          child?.kill("SIGTERM");
        });
      });
    },
    (e) => fail(`could not start the policy pack proxy: ${e?.message ?? e}`),
  );
}
