/**
 * Pulumi's dynamic-provider host, with two additions: adopting an existing
 * object with the `import` resource option, and `GetSchema` (for the code
 * `pulumi import <type> <name> <id>` writes; core/schema/pulumiSchema.ts). The engine's Read for an import
 * carries no properties, so the stock host cannot find the serialized
 * provider (pulumi/pulumi#16175, #3550). For this package's types the
 * provider is known from the type token alone, so we supply it.
 *
 * The dynamic-provider launcher (.tools/bin/pulumi-resource-pulumi-nodejs,
 * written by `npm run setup:pulumi`) runs this file when the program's
 * directory resolves `pulumi-adnetworks`, and Pulumi's stock host otherwise.
 */
import * as path from "path";
import { currentUrn, setProgressSink, urnOfRequest } from "../config/log";
import { exitWhenParentDies } from "./parent";
import { thrown } from "../http/errors";

const TYPE = /^pulumi-nodejs:dynamic\/([^:]+):([^:]+)$/;

/** A module of the SDK's own copy (the one the stock host runs on), typed by the caller as the module it is. */
function fromPulumi<T>(mod: string): T {
  const base = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [process.cwd(), __dirname] }));
  return require(require.resolve(mod, { paths: [base] }));
}

type Grpc = typeof import("@grpc/grpc-js");
type ProviderPb = typeof import("@pulumi/pulumi/proto/provider_pb");

/** The provider reference for a registered type, as `AdnetResource` writes it (core/engine/reference.ts). */
function providerTextFor(urn: string, types: () => string[]): string | undefined {
  const type = urn.split("::")[2]?.split("$").pop() ?? "";
  const m = TYPE.exec(type);
  if (!m) return undefined;
  const key = `${m[1]}:${m[2]}`;
  if (!types().includes(key)) return undefined;
  return require("./reference").providerReference(key);
}

/** What the host needs of the registry (provider/registry.ts), handed in so that core imports nothing above it. */
export interface TypeRegistry {
  types(): string[];
  definition(key: string): import("../schema/pulumiSchema").SchemaSource | undefined;
}

/** `registry` gives the registered types (provider/registry.ts), asked on the first import or schema request only. */
export function installImportSupport(registry: () => TypeRegistry): void {
  const types = () => registry().types();
  const grpc = fromPulumi<Grpc>("@grpc/grpc-js");
  const structproto = fromPulumi<typeof import("google-protobuf/google/protobuf/struct_pb")>("google-protobuf/google/protobuf/struct_pb");
  const addService = grpc.Server.prototype.addService;
  grpc.Server.prototype.addService = function (service, impl) {
    // The handlers by name, read and replaced as values (the stock host's are unary ones).
    const methods: Record<string, unknown> = impl ?? {};
    const stockRead = methods.read;
    if (impl && typeof stockRead === "function" && typeof methods.check === "function") {
      const read = (call: unknown, callback: unknown): unknown => stockRead.call(impl, call, callback);
      methods.read = async (call: { request: InstanceType<ProviderPb["ReadRequest"]> }, callback: unknown) => {
        try {
          const req = call.request;
          const props = req.getProperties()?.toJavaScript() ?? {};
          if (!props.__provider) {
            const text = providerTextFor(req.getUrn(), types);
            if (text) req.setProperties(structproto.Struct.fromJavaScript({ ...props, __provider: text }));
          }
        } catch (e) {
          // Fall through to the stock behaviour (and its error).
          process.stderr.write(`pulumi-adnetworks: import support: ${e}\n`);
        }
        return read(call, callback);
      };
      // `pulumi import <type> <name> <id>` asks for the package schema to write the program text.
      methods.getSchema = (_call: unknown, callback: import("@grpc/grpc-js").sendUnaryData<InstanceType<ProviderPb["GetSchemaResponse"]>>) => {
        try {
          const res = new (fromPulumi<ProviderPb>("@pulumi/pulumi/proto/provider_pb").GetSchemaResponse)();
          const version: string = fromPulumi<{ version: string }>("@pulumi/pulumi/package.json").version;
          res.setSchema(JSON.stringify(require("../schema/pulumiSchema").packageSchema(version, registry())));
          callback(null, res);
        } catch (e) {
          callback({ code: grpc.status.INTERNAL, details: `pulumi-adnetworks: GetSchema: ${thrown(e)?.message ?? e}` });
        }
      };
    }
    return addService.call(this, service, impl);
  };
}

/**
 * Routes `progress()` to the engine (the host's first argument is the
 * engine's address) as info messages on the resource being worked on.
 */
export function installProgress(engineAddress: string | undefined): void {
  if (!engineAddress) return;
  const grpc = fromPulumi<Grpc>("@grpc/grpc-js");
  const engrpc = fromPulumi<typeof import("@pulumi/pulumi/proto/engine_grpc_pb")>("@pulumi/pulumi/proto/engine_grpc_pb");
  const engproto = fromPulumi<typeof import("@pulumi/pulumi/proto/engine_pb")>("@pulumi/pulumi/proto/engine_pb");
  let client: import("@pulumi/pulumi/proto/engine_grpc_pb").EngineClient | undefined;
  setProgressSink((message, urn, severity) => {
    client ??= new engrpc.EngineClient(engineAddress, grpc.credentials.createInsecure());
    const req = new engproto.LogRequest();
    req.setSeverity(severity === "warning" ? engproto.LogSeverity.WARNING : engproto.LogSeverity.INFO);
    req.setMessage(message);
    req.setUrn(urn ?? currentUrn.getStore() ?? "");
    client.log(req, () => undefined);
  });
  const addService = grpc.Server.prototype.addService;
  grpc.Server.prototype.addService = function (service, impl) {
    const methods: Record<string, unknown> = impl ?? {};
    for (const m of ["check", "diff", "create", "read", "update", "delete"]) {
      const orig = methods[m];
      if (typeof orig !== "function") continue;
      methods[m] = (call: { request?: unknown } | undefined, callback: unknown): unknown => currentUrn.run(urnOfRequest(call?.request), () => orig.call(impl, call, callback));
    }
    return addService.call(this, service, impl);
  };
}

/** Exits when the engine (the CLI, this process's parent) dies, e.g. on kill -9. */
export function watchEngine(): void {
  exitWhenParentDies();
}

/**
 * The host never serializes a closure, but Pulumi's runtime index loads the
 * closure serializer (TypeScript, about 0.3 s) and code-path computation
 * (npm's arborist, about 0.3 s) eagerly. Until something calls them, those two
 * modules are stand-ins that load the real one on first use.
 */
export function deferClosureSerializer(): void {
  const Module = require("module");
  const base = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [process.cwd(), __dirname] }));
  const lazy: Record<string, string[]> = {
    "runtime/closure/serializeClosure": ["serializeFunctionAsync", "serializeFunction"],
    "runtime/closure/codePaths": ["computeCodePaths"],
  };
  for (const [mod, names] of Object.entries(lazy)) {
    let file: string;
    try {
      file = require.resolve(path.join(base, mod));
    } catch {
      continue; // another SDK layout: load it normally
    }
    if (require.cache[file]) continue;
    const stub = new Module(file);
    stub.filename = file;
    stub.loaded = true;
    let real: Record<string, unknown> | undefined;
    const load = (): Record<string, unknown> => {
      if (!real) {
        delete require.cache[file];
        real = require(file) as Record<string, unknown>;
      }
      return real;
    };
    for (const n of names) {
      stub.exports[n] = (...a: unknown[]) => {
        const f = load()[n];
        if (typeof f !== "function") throw new TypeError(`${mod}: ${n} is not a function`);
        return f(...a);
      };
    }
    require.cache[file] = stub;
  }
}

/**
 * The stock host writes every error a provider method throws to stderr with
 * its stack trace (`${e}: ${e.stack}`), which Pulumi prints on the stack
 * beside the error itself. Errors whose message says it all (UserError:
 * network errors, configuration, guardrails) are left out: the engine still
 * gets and prints the message, once.
 */
export function quietUserErrors(): void {
  const { QUIET_MARK } = require("../http/errors") as typeof import("../http/errors");
  const original = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].startsWith(QUIET_MARK)) return;
    original(...args);
  };
}

/** Run by dynamic-host.js, which hands in the registry (loaded on first use). */
export function main(registry: () => TypeRegistry): void {
  require("../config/config").markProviderHost();
  require("../http/readcache").enableReadCache();
  watchEngine();
  quietUserErrors();
  deferClosureSerializer();
  installProgress(process.argv[2]);
  installImportSupport(registry);
  fromPulumi("@pulumi/pulumi/cmd/dynamic-provider");
}
