import { isDay } from "./traffic";
import * as http from "http";
import type * as net from "net";
import * as fs from "fs";
import * as crypto from "crypto";
import * as qs from "qs";
import Busboy from "busboy";
import { redact } from "../core/http/redact";
import { FaultInjector, FaultConfig, parseFaultSpec } from "./faults";
import { StateFile } from "./persist";

export type { Handler, NetworkEmulator, Route, SandboxRequest, SandboxResponse, UploadedFile } from "./routes";
export { bearer, json } from "./routes";
import type { NetworkEmulator, Route, SandboxRequest, SandboxResponse, UploadedFile } from "./routes";

export interface JournalEntry {
  seq: number;
  time: string;
  network: string;
  /** The account that answered, when not the network's default one. */
  account?: string;
  method: string;
  path: string;
  query: Record<string, unknown>;
  contentType: string;
  body: unknown;
  status: number;
  fault?: string;
}

export interface SandboxOptions {
  port?: number;
  /** Only loopback addresses are allowed. */
  host?: string;
  networks?: NetworkEmulator[];
  /** Persist state to this JSON file (loaded at start, written on change). */
  persistPath?: string;
  /** Append every request to this JSONL file (default: $ADNET_SANDBOX_JOURNAL). */
  journalPath?: string;
  /** Fault injection (default: $ADNET_SANDBOX_FAULTS). */
  faults?: FaultConfig | string;
  /** Fixed latency added to every request, in ms (default: $ADNET_SANDBOX_LATENCY_MS). */
  latencyMs?: number;
  /** The sandbox's date for the reporting routes, "YYYY-MM-DD" (default: $ADNET_SANDBOX_TODAY, else the machine's UTC date). */
  today?: string;
}

export interface Sandbox {
  url: string;
  port: number;
  /** Base URL of one network, e.g. urlFor("exoclick") + "/v2". */
  urlFor(network: string): string;
  journal: JournalEntry[];
  /** Journal entries of one network, optionally only writes. */
  requests(network?: string, opts?: { writes?: boolean }): JournalEntry[];
  /** A network's emulator: the default account's, or `account`'s. */
  network<T extends NetworkEmulator>(name: string, account?: string): T;
  faults: FaultInjector;
  inventory(): Record<string, Record<string, unknown[]>>;
  reset(): void;
  /** Fixes the date the reporting routes take as today ("YYYY-MM-DD"); undefined: back to the default. */
  setToday(day: string | undefined): void;
  close(): Promise<void>;
}

interface CompiledRoute extends Route {
  regex: RegExp;
  names: string[];
  /** The path without value patterns ("/campaigns/:id"), as faults name routes. */
  template: string;
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const pattern = route.path
    .split("/")
    .map((seg) => {
      const param = /^:(\w+)(?:\((.+)\))?$/.exec(seg);
      if (param) {
        names.push(param[1]);
        return `(${param[2] ?? "[^/]+"})`;
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return { ...route, regex: new RegExp(`^${pattern}/?$`), names, template: route.path.replace(/(:\w+)\([^/]*\)/g, "$1") };
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const FORM_PARSE: qs.IParseOptions = { depth: 10, arrayLimit: 1000, parameterLimit: 10000 };

function parseMultipart(raw: Buffer, headers: http.IncomingHttpHeaders, formParse: qs.IParseOptions = FORM_PARSE): Promise<{ fields: Record<string, unknown>; files: Record<string, UploadedFile> }> {
  return new Promise((resolve, reject) => {
    // Fields are kept as pairs so that repeated names (`a[]=x&a[]=y`) survive.
    const pairs: string[] = [];
    const files: Record<string, UploadedFile> = {};
    let bb: ReturnType<typeof Busboy>;
    try {
      bb = Busboy({ headers, limits: { fileSize: 10 * 1024 * 1024 } });
    } catch (e) {
      reject(e);
      return;
    }
    bb.on("field", (name, value) => {
      pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
    });
    bb.on("file", (name, stream, info) => {
      const parts: Buffer[] = [];
      stream.on("data", (d: Buffer) => parts.push(d));
      stream.on("end", () => {
        files[name] = { filename: info.filename ?? "", mimeType: info.mimeType, data: Buffer.concat(parts) };
      });
    });
    bb.on("close", () => resolve({ fields: qs.parse(pairs.join("&"), formParse), files }));
    bb.on("error", reject);
    bb.end(raw);
  });
}

function journalBody(body: unknown, files: Record<string, UploadedFile>): unknown {
  const out: Record<string, unknown> = body && typeof body === "object" ? { ...(body as object) } : body === undefined ? {} : { _raw: body };
  for (const [k, f] of Object.entries(files)) {
    out[k] = { filename: f.filename, size: f.data.length, sha256: crypto.createHash("sha256").update(f.data).digest("hex") };
  }
  return redact(out);
}

/** What a thrown value says: its `message`, or the value itself. */
function messageOf(e: unknown): unknown {
  return (e as { message?: unknown } | null | undefined)?.message ?? e;
}

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Starts the sandbox: one HTTP server, each network under its own prefix. */
export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const host = opts.host ?? "127.0.0.1";
  if (!/^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(host)) throw new Error(`the sandbox listens on loopback addresses only, not ${host}`);
  const networks = opts.networks ?? (await import("./networks")).defaultNetworks();
  // Per network, its accounts' emulators: the default account's first.
  const byName = new Map<string, Array<{ emulator: NetworkEmulator; routes: CompiledRoute[] }>>();
  for (const n of [...networks.filter((x) => !x.account), ...networks.filter((x) => x.account)]) {
    const list = byName.get(n.name) ?? [];
    list.push({ emulator: n, routes: n.routes.map(compile) });
    byName.set(n.name, list);
  }
  /** The key of an emulator's state in the data file and the inventory: "exoclick", "exoclick@brandB". */
  const keyOf = (n: NetworkEmulator) => (n.account ? `${n.name}@${n.account}` : n.name);
  const journal: JournalEntry[] = [];
  const journalPath = opts.journalPath ?? process.env.ADNET_SANDBOX_JOURNAL;
  const faults = new FaultInjector(typeof opts.faults === "string" ? parseFaultSpec(opts.faults) : opts.faults ?? parseFaultSpec(process.env.ADNET_SANDBOX_FAULTS ?? ""));
  const latencyMs = opts.latencyMs ?? Number(process.env.ADNET_SANDBOX_LATENCY_MS ?? 0);
  let seq = 0;

  if (opts.persistPath && fs.existsSync(opts.persistPath)) {
    const saved = JSON.parse(fs.readFileSync(opts.persistPath, "utf8"));
    for (const n of networks) if (saved[keyOf(n)]) n.load(saved[keyOf(n)]);
  }
  const store = opts.persistPath ? new StateFile(opts.persistPath) : undefined;
  const snapshot = () => {
    const all: Record<string, unknown> = {};
    for (const n of networks) all[keyOf(n)] = n.state();
    return JSON.stringify(all, null, 1);
  };
  const persist = (): Promise<void> => (store ? store.save(snapshot) : Promise.resolve());

  const record = (e: JournalEntry) => {
    journal.push(e);
    if (journalPath) fs.appendFileSync(journalPath, JSON.stringify(e) + "\n");
  };

  const server = http.createServer(async (req, res) => {
    const send = (r: SandboxResponse) => {
      if (Buffer.isBuffer(r.body)) {
        // Binary downloads (e.g. a stored creative) go out as they are.
        res.writeHead(r.status, { "Content-Type": "application/octet-stream", ...(r.headers ?? {}) });
        res.end(r.body);
        return;
      }
      const body = r.body === undefined ? "" : typeof r.body === "string" ? r.body : JSON.stringify(r.body);
      res.writeHead(r.status, {
        "Content-Type": typeof r.body === "string" ? "text/plain" : "application/json",
        ...(r.headers ?? {}),
      });
      res.end(body);
    };
    try {
      const url = new URL(req.url ?? "/", "http://sandbox");
      const [, prefix, ...rest] = url.pathname.split("/");
      if (prefix === "__admin") return send(await admin(req.method ?? "GET", rest.join("/")));
      const accounts = byName.get(prefix);
      if (!accounts) return send({ status: 404, body: { message: `no network at /${prefix}; known: ${[...byName.keys()].join(", ")}` } });
      let net = accounts[0];
      const path = "/" + rest.join("/");
      const raw = await readBody(req);
      const contentType = String(req.headers["content-type"] ?? "");
      const netError = (status: number, message: string, headers?: Record<string, string>): SandboxResponse => {
        const r = net.emulator.errorShape ? net.emulator.errorShape(status, [message]) : { status, body: { message } };
        return headers ? { ...r, headers: { ...(r.headers ?? {}), ...headers } } : r;
      };
      let body: unknown = undefined;
      let bodyKind: SandboxRequest["bodyKind"] = "none";
      let files: Record<string, UploadedFile> = {};
      if (raw.length) {
        if (contentType.includes("application/json")) {
          try {
            body = JSON.parse(raw.toString("utf8"));
            bodyKind = "json";
          } catch {
            return send(netError(400, "Request body is not valid JSON"));
          }
        } else if (contentType.includes("application/x-www-form-urlencoded")) {
          body = qs.parse(raw.toString("utf8"), net.emulator.formParse ?? FORM_PARSE);
          bodyKind = "form";
        } else if (contentType.includes("multipart/form-data")) {
          const parsed = await parseMultipart(raw, req.headers, net.emulator.formParse ?? FORM_PARSE);
          body = parsed.fields;
          files = parsed.files;
          bodyKind = "multipart";
        } else {
          const text = raw.toString("utf8");
          body = text;
          bodyKind = "text";
          if (net.emulator.bodyFormat === "json" && /^\s*[[{]/.test(text)) {
            try {
              body = JSON.parse(text);
              bodyKind = "json";
            } catch {
              // Not JSON after all: the emulator sees text and refuses it in its own words.
            }
          }
        }
      }
      const sreq: SandboxRequest = {
        method: req.method ?? "GET",
        path,
        params: {},
        query: qs.parse(url.search.replace(/^\?/, ""), net.emulator.queryParse ?? { depth: 5 }),
        headers: req.headers,
        contentType,
        body,
        bodyKind,
        files,
        rawBody: raw,
      };
      // The account whose credentials the request carries; the default account answers (and refuses) the rest.
      if (accounts.length > 1) net = accounts.find((a) => a.emulator.claims?.(sreq)) ?? accounts[0];
      const entry: JournalEntry = {
        seq: ++seq,
        time: new Date().toISOString(),
        network: prefix,
        ...(net.emulator.account ? { account: net.emulator.account } : {}),
        method: sreq.method,
        path,
        query: redact(sreq.query),
        contentType: contentType.split(";")[0],
        body: journalBody(body, files),
        status: 0,
      };
      let route: CompiledRoute | undefined;
      const allowed = new Set<string>();
      for (const r of net.routes) {
        const m = r.regex.exec(path);
        if (!m) continue;
        if (r.method !== sreq.method) {
          allowed.add(r.method);
          continue;
        }
        route = r;
        r.names.forEach((n, i) => (sreq.params[n] = decodeURIComponent(m[i + 1])));
        break;
      }
      const fault = faults.pick(prefix, `${sreq.method} ${route?.template ?? path}`);
      if (latencyMs > 0 || fault?.kind === "slow") await new Promise((r) => setTimeout(r, latencyMs + (fault?.kind === "slow" ? fault.delayMs : 0)));
      if (fault?.wait) await fault.wait;
      if (fault && fault.kind !== "slow" && fault.kind !== "lost" && fault.kind !== "hold") {
        entry.fault = fault.kind;
        entry.status = fault.kind === "reset" ? 0 : fault.status;
        record(entry);
        if (fault.kind === "reset") {
          req.socket.destroy();
          return;
        }
        return send({ status: fault.status, body: { message: fault.message }, headers: fault.headers });
      }
      let result: SandboxResponse;
      const pre = net.emulator.before?.(sreq);
      if (pre) result = pre;
      else if (!route && allowed.size) result = netError(405, `Method ${sreq.method} not allowed on ${path}`, { Allow: [...allowed].join(", ") });
      else if (!route) result = netError(404, `No route for ${sreq.method} ${path}`);
      else result = await route.handler(sreq);
      entry.status = result.status;
      // Written through before the answer (or the lost-response drop): an
      // acknowledged write is on disk. Failed writes may have used ids too.
      if (route && WRITE_METHODS.has(sreq.method)) await persist();
      if (fault?.kind === "lost" && result.status < 400) {
        // The hard case: the object was created, then the connection drops.
        entry.fault = "lost";
        record(entry);
        req.socket.destroy();
        return;
      }
      record(entry);
      return send(result);
    } catch (e) {
      return send({ status: 500, body: { message: `sandbox error: ${messageOf(e)}` } });
    }
  });

  async function admin(method: string, what: string): Promise<SandboxResponse> {
    if (what === "inventory") return { status: 200, body: inventory() };
    if (what === "journal") return { status: 200, body: journal };
    if (what === "reset" && method === "POST") {
      reset();
      await persist();
      return { status: 200, body: { ok: true } };
    }
    return { status: 404, body: { message: "admin: GET /__admin/inventory | GET /__admin/journal | POST /__admin/reset" } };
  }

  function inventory() {
    const out: Record<string, Record<string, unknown[]>> = {};
    for (const n of networks) out[keyOf(n)] = n.inventory();
    return out;
  }

  function setToday(day: string | undefined) {
    if (day !== undefined && !isDay(day)) throw new Error(`sandbox: today must be a date "YYYY-MM-DD", got ${JSON.stringify(day)}`);
    for (const n of networks) n.fixedToday = day;
  }
  if (opts.today !== undefined) setToday(opts.today);

  function reset() {
    for (const n of networks) n.reset();
    journal.length = 0;
    void persist().catch((e: unknown) => console.error(`sandbox: saving ${opts.persistPath} failed: ${messageOf(e)}`));
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    url,
    port,
    urlFor: (network) => `${url}/${network}`,
    journal,
    requests: (network, o) => journal.filter((e) => (!network || e.network === network) && (!o?.writes || WRITE_METHODS.has(e.method))),
    network: <T extends NetworkEmulator>(name: string, account?: string) => {
      const n = byName.get(name)?.find((a) => (account ? a.emulator.account === account : !a.emulator.account));
      if (!n) throw new Error(`no network ${name}${account ? ` for account ${account}` : ""}`);
      return n.emulator as T;
    },
    faults,
    inventory,
    reset,
    setToday,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }).then(() => store?.idle()),
  };
}
