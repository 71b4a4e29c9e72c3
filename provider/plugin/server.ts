/**
 * `pulumi-resource-adnetworks`: the resource-provider plugin, a
 * `pulumirpc.ResourceProvider` gRPC server on the SDK's own stubs. It is the
 * second thin adapter over the one core, beside the dynamic-provider host
 * (core/engine/dynamicHost.ts): both serve `registry.get(key)` (core/schema/define.ts
 * `providerOf`, with the journal), so every field is declared once.
 *
 * What the plugin protocol gives that the dynamic host does not:
 *  - `Configure` per provider instance (the engine starts one plugin process
 *    per instance: its credentials are this process's settings, plugin/config.ts);
 *  - old inputs with every Diff, Update, Read and Delete, so outputs hold only
 *    what the network computed (lean state: `leanOutputs`);
 *  - `Read` with an id and nothing else for `pulumi import` and `.get()`;
 *  - the `preview` flag on Create and Update: unknowns, no request;
 *  - a property-level `detailedDiff`.
 */
import { createRequire } from "module";
import * as registry from "../registry";
import { PartialCreateError, thrown } from "../core/http/errors";
import { currentUrn, setProgressSink, urnOfRequest } from "../core/config/log";
import { markProviderHost } from "../core/config/config";
import { Fields, inputNames, namingValues, outputNames, sameValue } from "../core/schema/schema";
import { clean } from "../core/schema/define";
import { importIdOf } from "../core/config/account";
import { DEFAULT_ACCOUNT } from "../core/config/context";
import { applyProviderConfig, configFailures, effectiveConfig, unwrapSecrets } from "./config";
import { packageSchema } from "./schema";
import { keyOfToken, typeOfUrn } from "./token";
import { leanInputs, withDefaults } from "./defaults";

/* eslint-disable @typescript-eslint/no-var-requires */
const sdkRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const grpc: typeof import("@grpc/grpc-js") = sdkRequire("@grpc/grpc-js");
const provproto: typeof import("@pulumi/pulumi/proto/provider_pb") = require("@pulumi/pulumi/proto/provider_pb");
const provrpc: typeof import("@pulumi/pulumi/proto/provider_grpc_pb") = require("@pulumi/pulumi/proto/provider_grpc_pb");
const pluginproto: typeof import("@pulumi/pulumi/proto/plugin_pb") = require("@pulumi/pulumi/proto/plugin_pb");
const engrpc: typeof import("@pulumi/pulumi/proto/engine_grpc_pb") = require("@pulumi/pulumi/proto/engine_grpc_pb");
const engproto: typeof import("@pulumi/pulumi/proto/engine_pb") = require("@pulumi/pulumi/proto/engine_pb");
const emptyproto: typeof import("google-protobuf/google/protobuf/empty_pb") = sdkRequire("google-protobuf/google/protobuf/empty_pb");
const structproto: typeof import("google-protobuf/google/protobuf/struct_pb") = sdkRequire("google-protobuf/google/protobuf/struct_pb");
const anyproto: typeof import("google-protobuf/google/protobuf/any_pb") = sdkRequire("google-protobuf/google/protobuf/any_pb");
const statusproto: typeof import("@pulumi/pulumi/proto/status_pb") = require("@pulumi/pulumi/proto/status_pb");

type pb = typeof import("@pulumi/pulumi/proto/provider_pb");
type Req<K extends keyof pb> = InstanceType<pb[K]>;
type Struct = import("google-protobuf/google/protobuf/struct_pb").Struct;
type Props = Record<string, unknown>;

const isProps = (v: unknown): v is Props => !!v && typeof v === "object" && !Array.isArray(v);

/** Pulumi's marker of a value not known at preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** This package's version (the plugin's). */
export const VERSION: string = require("../../../package.json").version;

const toJs = (s: Struct | undefined): Props => (s ? (unwrapSecrets(s.toJavaScript()) as Props) : {});
const toStruct = (p: Props) => structproto.Struct.fromJavaScript(clean(p) as Parameters<typeof structproto.Struct.fromJavaScript>[0]);

/** The definition's fields and the implementation of a resource type token. */
function typeOf(token: string) {
  const key = keyOfToken(token);
  const def = key ? registry.definition(key) : undefined;
  if (!key || !def) throw new Error(`pulumi-resource-adnetworks: no resource type ${token} in version ${VERSION} (types: ${registry.types().map((k) => `adnetworks:${k}`).join(", ")})`);
  return { key, fields: def.fields as Fields, impl: registry.get(key) };
}

/** The state the core works on: old outputs with the old inputs over them (what the dynamic host's state held). */
export function stateOf(inputs: Props | undefined, outputs: Props | undefined): Props {
  return { ...(outputs ?? {}), ...(inputs ?? {}) };
}

/**
 * What the engine stores as outputs: only what the network computed (the
 * declared outputs), and an input only where the network holds another
 * value than the program gave (the engine keeps the inputs beside them, and
 * the SDK resolves an input missing from the outputs to its input).
 */
export function leanOutputs(fields: Fields, inputs: Props, outs: Props): Props {
  const out: Props = {};
  const computed = new Set(outputNames(fields));
  for (const [k, v] of Object.entries(outs)) {
    if (v === undefined || k.startsWith("__")) continue;
    if (computed.has(k) || !(k in fields)) out[k] = v;
    else if (!sameValue(fields[k], inputs[k], v)) out[k] = v;
  }
  return out;
}

/** Property-level diff of one field (nested object fields by path), for the engine's detailed diff. */
export function detailedDiff(fields: Fields, olds: Props, news: Props, changed: string[], replaces: string[]): Record<string, { kind: number; inputDiff: boolean }> {
  const K = provproto.PropertyDiff.Kind;
  const out: Record<string, { kind: number; inputDiff: boolean }> = {};
  const walk = (fs: Fields, a: Props, b: Props, prefix: string, replacing: boolean, keys: string[]) => {
    for (const k of keys) {
      const f = fs[k];
      const path = `${prefix}${k}`;
      const av = a?.[k], bv = b?.[k];
      const rep = replacing || !!f?.replaceOnChange;
      if (f?.kind === "object" && isProps(av) && isProps(bv)) {
        const sub = Object.keys(f.fields).filter((x) => !sameValue(f.fields[x], av[x], bv[x], "b"));
        if (sub.length) {
          walk(f.fields, av, bv, `${path}.`, rep && !!f.replaceOnChange, sub);
          // A nested field that replaces makes its path replace.
          if (rep) for (const x of sub) if (f.fields[x].replaceOnChange || f.replaceOnChange) out[`${path}.${x}`] = { kind: K.UPDATE_REPLACE, inputDiff: true };
          continue;
        }
      }
      const kind = av === undefined ? (rep ? K.ADD_REPLACE : K.ADD) : bv === undefined ? (rep ? K.DELETE_REPLACE : K.DELETE) : rep ? K.UPDATE_REPLACE : K.UPDATE;
      out[path] = { kind, inputDiff: true };
    }
  };
  walk(fields, olds, news, "", false, changed.filter((k) => !replaces.includes(k)));
  for (const k of replaces) {
    const f = fields[k];
    const before = Object.keys(out).length;
    if (f?.kind === "object" && !f.replaceOnChange) walk(fields, olds, news, "", false, [k]);
    // A replacement through a nested field: mark the top field too when no nested path says it.
    if (Object.keys(out).length === before || !Object.entries(out).some(([p, d]) => p.startsWith(k) && d.kind % 2 === 1)) {
      out[k] = { kind: olds[k] === undefined ? K.ADD_REPLACE : news[k] === undefined ? K.DELETE_REPLACE : K.UPDATE_REPLACE, inputDiff: true };
    }
  }
  return out;
}

/** Whether old state was written by the dynamic-provider host (it holds the provider reference, `__provider`). */
export function movedFromDynamic(oldInputs: Props | undefined, oldOutputs: Props | undefined): boolean {
  return typeof oldInputs?.__provider === "string" || typeof oldOutputs?.__provider === "string";
}

type GrpcStatus = Partial<import("@grpc/grpc-js").StatusObject>;

/** Whether a thrown value is already a gRPC status (code and details), passed on as it is. */
function isStatus(e: unknown): e is GrpcStatus {
  const t = thrown(e) as { code?: unknown; details?: unknown };
  return t.code !== undefined && t.details !== undefined;
}

/** A create that made its object and then failed: its id, what it holds and why (PartialCreateError, or an error of that shape). */
function createdThenFailed(err: unknown): { id: string; properties: Props; reasons?: string[] } | undefined {
  if (err instanceof PartialCreateError) return err;
  const t = thrown(err) as { id?: unknown; properties?: unknown; reasons?: unknown };
  if (typeof t.id !== "string" || !t.id || !t.properties) return undefined;
  return { id: t.id, properties: isProps(t.properties) ? t.properties : {}, reasons: Array.isArray(t.reasons) ? t.reasons.map(String) : undefined };
}

/** A gRPC error from a thrown error; a create that made its object carries its id (ErrorResourceInitFailed), so the engine records it. */
function grpcError(e: unknown, fields?: Fields, inputs?: Props): { code: number; details: string; metadata: import("@grpc/grpc-js").Metadata } {
  const { sayOnce } = require("../core/http/http") as typeof import("../core/http/http");
  const err = sayOnce(e);
  const message = String(thrown(err).message ?? err);
  const metadata = new grpc.Metadata();
  const created = createdThenFailed(err);
  if (created) {
    const detail = new provproto.ErrorResourceInitFailed();
    detail.setId(created.id);
    detail.setProperties(toStruct(fields && inputs ? leanOutputs(fields, inputs, created.properties) : created.properties));
    if (inputs) detail.setInputs(toStruct(inputs));
    detail.setReasonsList(created.reasons ?? [message]);
    const details = new anyproto.Any();
    details.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const status = new statusproto.Status();
    status.setCode(grpc.status.UNKNOWN);
    status.setMessage(message);
    status.addDetails(details);
    metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  }
  return { code: grpc.status.UNKNOWN, details: message, metadata };
}

export class AdnetworksProvider {
  engineAddress: string;
  private engine?: import("@pulumi/pulumi/proto/engine_grpc_pb").EngineClient;
  /** The provider instance's config as Configure gave it (for CheckConfig/DiffConfig). */
  configured = false;

  constructor(engineAddress: string) {
    this.engineAddress = engineAddress;
    markProviderHost();
    setProgressSink((message, urn, severity) => this.log(message, urn ?? currentUrn.getStore() ?? "", severity));
  }

  private log(message: string, urn: string, severity?: "info" | "warning") {
    if (!this.engineAddress) {
      process.stderr.write(`${message}\n`);
      return;
    }
    this.engine ??= new engrpc.EngineClient(this.engineAddress, grpc.credentials.createInsecure());
    const req = new engproto.LogRequest();
    req.setSeverity(severity === "warning" ? engproto.LogSeverity.WARNING : engproto.LogSeverity.INFO);
    req.setMessage(message);
    req.setUrn(urn);
    this.engine.log(req, () => undefined);
  }

  /** The gRPC service implementation: each method a promise, its URN set for progress lines and the journal. */
  service(): import("@pulumi/pulumi/proto/provider_grpc_pb").IResourceProviderServer {
    type Unary<Q, R> = import("@grpc/grpc-js").handleUnaryCall<Q, R>;
    const unary = <Q, R>(name: string, fn: (req: Q) => Promise<R> | R): Unary<Q, R> => (call, cb) => {
      currentUrn.run(urnOfRequest(call.request), () => Promise.resolve().then(() => fn(call.request))).then(
        (res) => cb(null, res),
        (e: unknown) => cb(isStatus(e) ? e : grpcError(e)),
      );
    };
    const unimplemented = (name: string) => (_call: unknown, cb: (e: GrpcStatus) => void) => cb({ code: grpc.status.UNIMPLEMENTED, details: `${name} is not implemented by pulumi-resource-adnetworks` });
    return {
      handshake: unary("Handshake", (req) => this.handshake(req)),
      parameterize: unimplemented("Parameterize"),
      getSchema: unary("GetSchema", (req) => this.getSchema(req)),
      checkConfig: unary("CheckConfig", (req) => this.checkConfig(req)),
      diffConfig: unary("DiffConfig", (req) => this.diffConfig(req)),
      configure: unary("Configure", (req) => this.configure(req)),
      invoke: unimplemented("Invoke"),
      call: unimplemented("Call"),
      check: unary("Check", (req) => this.check(req)),
      diff: unary("Diff", (req) => this.diff(req)),
      create: unary("Create", (req) => this.create(req)),
      read: unary("Read", (req) => this.read(req)),
      list: (call) => this.list(call),
      update: unary("Update", (req) => this.update(req)),
      delete: unary("Delete", (req) => this.delete(req)),
      construct: unimplemented("Construct"),
      cancel: unary("Cancel", () => new emptyproto.Empty()),
      getPluginInfo: unary("GetPluginInfo", () => {
        const info = new pluginproto.PluginInfo();
        info.setVersion(VERSION);
        return info;
      }),
      attach: unary("Attach", (req) => {
        if (req.getAddress()) this.engineAddress = req.getAddress();
        return new emptyproto.Empty();
      }),
      getMapping: unary("GetMapping", () => {
        const res = new provproto.GetMappingResponse();
        res.setProvider("");
        res.setData(new Uint8Array());
        return res;
      }),
      getMappings: unary("GetMappings", () => new provproto.GetMappingsResponse()),
    };
  }

  handshake(req: Req<"ProviderHandshakeRequest">) {
    if (req.getEngineAddress()) this.engineAddress = req.getEngineAddress();
    const res = new provproto.ProviderHandshakeResponse();
    res.setAcceptSecrets(false);
    res.setAcceptResources(false);
    res.setAcceptOutputs(false);
    return res;
  }

  getSchema(req: Req<"GetSchemaRequest">) {
    const res = new provproto.GetSchemaResponse();
    if (req.getSubpackageName?.()) throw new Error(`no subpackage ${req.getSubpackageName()}`);
    res.setSchema(JSON.stringify(packageSchema(VERSION)));
    return res;
  }

  checkConfig(req: Req<"CheckRequest">) {
    const res = new provproto.CheckResponse();
    res.setInputs(req.getNews() ?? toStruct({}));
    // A setting under a name no network declares is refused, never ignored (credentials would be).
    res.setFailuresList(configFailures(toJs(req.getNews())).map((f) => {
      const x = new provproto.CheckFailure();
      x.setProperty(f.property);
      x.setReason(f.reason);
      return x;
    }));
    return res;
  }

  diffConfig(req: Req<"DiffRequest">) {
    const olds = toJs(req.getOldInputs?.() ?? req.getOlds());
    const news = toJs(req.getNews());
    const keys = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter((k) => !k.startsWith("__") && JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
    const res = new provproto.DiffResponse();
    res.setChanges(keys.length ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE);
    // New credentials never replace the objects: the same account, reached with another key.
    res.setDiffsList(keys);
    return res;
  }

  configure(req: Req<"ConfigureRequest">) {
    const args = req.getArgs() ? toJs(req.getArgs()) : Object.fromEntries([...req.getVariablesMap().entries()].map(([k, v]: [string, string]) => [k.replace(/^adnetworks:(config:)?/, ""), v]));
    // The stack's current config where the engine's may be stale (destroy, refresh), as the dynamic host does.
    applyProviderConfig(effectiveConfig(args, req.getName?.() || String(req.getUrn?.() ?? "").split("::").pop() || undefined));
    this.configured = true;
    const res = new provproto.ConfigureResponse();
    res.setAcceptsecrets(false);
    res.setSupportspreview(true);
    res.setAcceptresources(false);
    res.setAcceptoutputs(false);
    return res;
  }

  async check(req: Req<"CheckRequest">) {
    const { fields, impl } = typeOf(req.getType?.() || typeOfUrn(req.getUrn()));
    const olds = toJs(req.getOlds());
    const r = await impl.check(Object.keys(olds).length ? withDefaults(fields, olds) : olds, toJs(req.getNews()));
    const res = new provproto.CheckResponse();
    // Stored lean: a value equal to its declared default is left out (plugin/defaults.ts), put back below before the core reads it.
    res.setInputs(toStruct(leanInputs(fields, r.inputs ?? {})));
    res.setFailuresList((r.failures ?? []).map((f: { property: string; reason: string }) => {
      const x = new provproto.CheckFailure();
      x.setProperty(f.property ?? "");
      x.setReason(f.reason);
      return x;
    }));
    return res;
  }

  async diff(req: Req<"DiffRequest">) {
    const { fields, impl } = typeOf(req.getType?.() || typeOfUrn(req.getUrn()));
    const oldInputs = req.hasOldInputs() ? toJs(req.getOldInputs()) : undefined;
    const olds = stateOf(withDefaults(fields, oldInputs), toJs(req.getOlds()));
    const news = withDefaults(fields, toJs(req.getNews()));
    const d = await impl.diff(req.getId(), olds, news);
    const ignored = new Set<string>(req.getIgnorechangesList());
    const changed = inputNames(fields).filter((k) => !(d.stables ?? []).includes(k) && !ignored.has(k));
    // State a dynamic resource wrote (moved here with the classes' alias of the dynamic type): an update that sends nothing reshapes it.
    if (movedFromDynamic(oldInputs, toJs(req.getOlds()))) changed.push("__provider");
    const replaces = (d.replaces ?? []).filter((k: string) => !ignored.has(k));
    const res = new provproto.DiffResponse();
    res.setChanges(changed.length ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE);
    res.setReplacesList(replaces);
    res.setStablesList(inputNames(fields).filter((k) => !changed.includes(k)));
    res.setDeletebeforereplace(!!d.deleteBeforeReplace);
    res.setDiffsList(changed);
    res.setHasdetaileddiff(true);
    const map = res.getDetaileddiffMap();
    const details = detailedDiff(fields, olds, news, changed.filter((k) => k !== "__provider"), replaces);
    if (changed.includes("__provider")) details.__provider = { kind: provproto.PropertyDiff.Kind.DELETE, inputDiff: true };
    for (const [path, pd] of Object.entries(details)) {
      const p = new provproto.PropertyDiff();
      p.setKind(pd.kind);
      p.setInputdiff(pd.inputDiff);
      map.set(path, p);
    }
    return res;
  }

  async create(req: Req<"CreateRequest">) {
    const { fields, impl } = typeOf(req.getType?.() || typeOfUrn(req.getUrn()));
    const news = withDefaults(fields, toJs(req.getProperties()));
    const res = new provproto.CreateResponse();
    if (req.getPreview()) {
      // Preview: nothing is sent; what the network computes is not known yet.
      res.setId("");
      res.setProperties(toStruct(Object.fromEntries(outputNames(fields).map((k) => [k, UNKNOWN]))));
      return res;
    }
    try {
      const r = await impl.create(news);
      res.setId(r.id);
      res.setProperties(toStruct(leanOutputs(fields, news, r.outs ?? {})));
      return res;
    } catch (e) {
      throw grpcError(e, fields, news);
    }
  }

  async read(req: Req<"ReadRequest">) {
    const { fields, impl } = typeOf(req.getType?.() || typeOfUrn(req.getUrn()));
    const oldInputs = req.hasInputs() ? toJs(req.getInputs()) : {};
    const oldOutputs = toJs(req.getProperties());
    const known = Object.keys(oldInputs).length > 0 || Object.keys(oldOutputs).length > 0;
    const state = stateOf(known ? withDefaults(fields, oldInputs) : oldInputs, oldOutputs);
    const r = await impl.read(req.getId(), state);
    const res = new provproto.ReadResponse();
    if (!r.id) {
      // Gone: an empty id removes it from state.
      res.setId("");
      return res;
    }
    const inputs = withDefaults(fields, (r as { inputs?: Props }).inputs ?? {});
    res.setId(r.id);
    res.setInputs(toStruct(leanInputs(fields, inputs)));
    // A read with an id only (`.get()`, `pulumi import`): the program has no inputs of it, so its outputs are the whole object
    // (an import's next update stores them lean). A refresh keeps them lean: the inputs are stored beside them.
    res.setProperties(toStruct(known ? leanOutputs(fields, inputs, r.props ?? {}) : clean(r.props ?? {})));
    return res;
  }

  /**
   * `List` (a server stream): every object of the type in the account, each
   * as its import id (what `Read`, `pulumi import` and `.get()` take) and its
   * name, from the type's `list` (the one adnet-import reads). Types whose
   * network cannot list them answer UNIMPLEMENTED with that said. The query's
   * `account` lists another account of the provider's config (its ids
   * "<account>:<id>"); `limit` caps the answer. One page: the network's
   * paging is the client's business (core/paging.ts).
   * The CLI calls it for `pulumi do adnetworks:<network>:<Type> list` (the
   * schema gives such types `listInputs`).
   */
  async list(call: import("@grpc/grpc-js").ServerWritableStream<Req<"ListRequest">, Req<"ListResponse">>): Promise<void> {
    const req = call.request;
    // A server stream ends with an error status when it emits "error" (grpc-js sends it as the status, then ends).
    const fail = (code: number, details: string): void => {
      call.emit("error", Object.assign(new Error(details), { code, details }));
    };
    try {
      const { key, fields, impl } = typeOf(req.getToken());
      if (typeof impl.list !== "function") return fail(grpc.status.UNIMPLEMENTED, `adnetworks:${key} cannot be listed: its network has no list of them (import one by id: pulumi import adnetworks:${key} <name> <id>)`);
      const query = req.getQuery()?.toJavaScript() ?? {};
      if (Object.values(query).some((v) => v === UNKNOWN)) {
        const res = new provproto.ListResponse();
        res.setComputed(new provproto.ListResponse.Computed());
        call.write(res);
        call.end();
        return;
      }
      const account = typeof query.account === "string" && query.account ? query.account : DEFAULT_ACCOUNT;
      const limit = Number(req.getLimit?.() ?? 0);
      const items = (await impl.list(account)).filter((o) => !o.skip);
      for (const o of limit > 0 ? items.slice(0, limit) : items) {
        const r = new provproto.ListResponse.Result();
        r.setId(importIdOf(account === DEFAULT_ACCOUNT ? undefined : account, String(o.id)));
        r.setName(namingValues(fields, o.state).join(" "));
        const res = new provproto.ListResponse();
        res.setResult(r);
        call.write(res);
      }
      call.end();
    } catch (e) {
      const err = grpcError(e);
      fail(err.code, err.details);
    }
  }

  async update(req: Req<"UpdateRequest">) {
    const { fields, impl } = typeOf(req.getType?.() || typeOfUrn(req.getUrn()));
    const oldInputs = req.hasOldInputs() ? toJs(req.getOldInputs()) : undefined;
    const oldOutputs = toJs(req.getOlds());
    const olds = stateOf(withDefaults(fields, oldInputs), oldOutputs);
    const news = withDefaults(fields, toJs(req.getNews()));
    const res = new provproto.UpdateResponse();
    if (req.getPreview()) {
      // Preview: nothing is sent; the outputs stay what the network computed last.
      res.setProperties(toStruct(leanOutputs(fields, news, oldOutputs)));
      return res;
    }
    const r = await impl.update(req.getId(), olds, news);
    res.setProperties(toStruct(leanOutputs(fields, news, r.outs ?? {})));
    return res;
  }

  async delete(req: Req<"DeleteRequest">) {
    const { fields, impl } = typeOf(req.getType?.() || typeOfUrn(req.getUrn()));
    const oldInputs = req.hasOldInputs?.() ? toJs(req.getOldInputs()) : undefined;
    await impl.delete(req.getId(), stateOf(withDefaults(fields, oldInputs), toJs(req.getProperties())));
    return new emptyproto.Empty();
  }
}

/** Starts the server on 127.0.0.1 (a free port), as the engine starts a plugin: resolves to the port. */
export async function serve(engineAddress: string): Promise<{ port: number; server: import("@grpc/grpc-js").Server }> {
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(provrpc.ResourceProviderService, new AdnetworksProvider(engineAddress).service());
  const port = await new Promise<number>((resolve, reject) => server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  return { port, server };
}
