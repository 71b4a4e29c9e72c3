/**
 * Where the provider's journal (core/engine/journal.ts) is kept: in the stack's own
 * backend, so that a runner that dies takes nothing with it and the next
 * runner (another machine, an empty HOME) finds it.
 *
 *  - `file://<dir>`: files beside the state, `<dir>/.pulumi/adnet-journal/<project>/<stack>/run-*.jsonl`;
 *  - `postgres://...` (Pulumi's PostgreSQL backend): rows of the table
 *    `adnet_journal` (or `<table>_adnet_journal` with `?table=<table>`) in
 *    the same database, one row per line, each INSERT committed before the
 *    call it records goes on;
 *  - `s3://bucket[/path]?endpoint=..&region=..` (Pulumi's s3 backend, or an
 *    S3-compatible server): objects beside the state in the same bucket,
 *    `<path>.pulumi/adnet-journal/<project>/<stack>/<run>/<seq>.json`, one
 *    per line, each PUT answered before the call it records goes on
 *    (signed by hand with SigV4; AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY);
 *  - any other backend (`gs://`, `azblob://`, Pulumi Cloud): files
 *    under `$PULUMI_HOME/adnet-journal/` on this machine (`local`: callers
 *    say that a lost runner takes them with it).
 *
 * Every run's first entry is a header (`op: "begin"`: journal format,
 * package version, project, stack); a run whose header names another stack
 * or another format is refused with what to do (JournalMismatch), before
 * anything is written. Runs without a header (written before headers
 * existed) have the same entries as format 1 and are read as such.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { backendUrl, checkpointText, fileBackendRoot } from "./filestate";
import { thrown } from "../http/errors";
import type { Deployment } from "./stackState";
import type { Client, ClientConfig } from "pg";
import type { ConnectionOptions } from "tls";

export interface JournalEntry {
  op: "begin" | "create" | "created" | "failed" | "adopted" | "updated" | "deleted";
  urn: string;
  type?: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  time?: string;
  /** Header only: the journal format, the package version that wrote it, its project and stack. */
  format?: number;
  version?: string;
  project?: string;
  stack?: string;
}

/** The journal format this version writes and reads. */
export const JOURNAL_FORMAT = 1;

export interface JournalRun {
  run: string;
  entries: JournalEntry[];
}

export interface JournalStore {
  /** Where, for messages (never a password). */
  where: string;
  /** True when the journal is kept on this machine although the state is not (s3://, gs://, azblob://, Cloud). */
  local: boolean;
  /** Runs recorded for this stack (sorted), but `except`. */
  runs(except?: string): Promise<string[]>;
  read(run: string): Promise<JournalEntry[]>;
  /** Appends one entry; it is stored before the promise resolves. */
  append(run: string, e: JournalEntry): Promise<void>;
  remove(run: string): Promise<void>;
  /** The stack's latest deployment read straight from the backend, or undefined when this store cannot (ask the CLI). */
  deployment(): Promise<Deployment | undefined>;
  close(): Promise<void>;
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, "_");
const truthy = (v: string | undefined) => v !== undefined && /^(1|true|yes)$/i.test(v.trim());

/** The directory of a stack's journal files (file:// beside the state, else $PULUMI_HOME). */
export function journalDir(project: string, stack: string, cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  const root = fileBackendRoot(backendUrl(cwd, env));
  const base = root ? path.join(root, ".pulumi") : env.PULUMI_HOME || path.join(os.homedir(), ".pulumi");
  return path.join(base, "adnet-journal", safe(project), safe(stack.split("/").pop()!));
}

/** Every entry of a journal file (a torn last line, from a kill during the write, is skipped). */
export function readJournal(file: string): JournalEntry[] {
  return parseLines(fs.readFileSync(file, "utf8"));
}

function parseLines(text: string): JournalEntry[] {
  const out: JournalEntry[] = [];
  for (const l of text.split("\n")) {
    if (!l.trim()) continue;
    try {
      out.push(JSON.parse(l));
    } catch {
      // the line a kill cut short: its call had not returned, so nothing depends on it
    }
  }
  return out;
}

/** Files, one per run: each line written (and with ADNET_JOURNAL_FSYNC=1 synced) before the call goes on. */
export class FileJournalStore implements JournalStore {
  private fds = new Map<string, number>();
  constructor(readonly dir: string, readonly local = false, readonly project = "", readonly stack = "") {}
  get where() {
    return this.dir;
  }
  /** A run's file: runs are named by their full path. */
  private file(run: string) {
    return path.isAbsolute(run) ? run : path.join(this.dir, `${run}.jsonl`);
  }
  async runs(except?: string): Promise<string[]> {
    if (!fs.existsSync(this.dir)) return [];
    const skip = except && this.file(except);
    return fs.readdirSync(this.dir).filter((f) => f.endsWith(".jsonl")).map((f) => path.join(this.dir, f)).filter((f) => f !== skip).sort();
  }
  async read(run: string) {
    return readJournal(this.file(run));
  }
  async append(run: string, e: JournalEntry): Promise<void> {
    const f = this.file(run);
    let fd = this.fds.get(f);
    if (fd === undefined) {
      fs.mkdirSync(path.dirname(f), { recursive: true });
      fd = fs.openSync(f, "a");
      this.fds.set(f, fd);
    }
    fs.writeSync(fd, JSON.stringify({ ...e, time: new Date().toISOString() }) + "\n");
    if (truthy(process.env.ADNET_JOURNAL_FSYNC)) fs.fsyncSync(fd);
  }
  async remove(run: string) {
    fs.rmSync(this.file(run), { force: true });
  }
  async deployment(): Promise<Deployment | undefined> {
    return undefined;
  }
  async close() {
    for (const fd of this.fds.values()) fs.closeSync(fd);
    this.fds.clear();
  }
}

/** A postgres:// backend URL without its password (for messages). */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z0-9+]+:\/\/[^:/@]*):[^@/]*@/i, "$1:***@");
}

/** The pg client settings of a Pulumi postgres:// URL, as Pulumi's driver (lib/pq) reads it. */
export function pgSettings(url: string, env: NodeJS.ProcessEnv = process.env): { config: ClientConfig; table: string; where: string } {
  const u = new URL(url);
  const q = u.searchParams;
  const table = q.get("table") || "pulumi_state";
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) throw new Error(`the backend URL's table=${table} is not a plain table name (letters, digits, _)`);
  // lib/pq (Pulumi's driver) encrypts unless told otherwise: sslmode missing or require = TLS without verifying the server.
  const mode = q.get("sslmode") ?? env.PGSSLMODE ?? "require";
  let ssl: false | ConnectionOptions = false;
  if (mode === "require" || mode === "prefer" || mode === "allow") ssl = { rejectUnauthorized: false };
  else if (mode === "verify-ca" || mode === "verify-full") {
    const tls: ConnectionOptions = { rejectUnauthorized: true, ...(q.get("sslrootcert") ? { ca: fs.readFileSync(q.get("sslrootcert")!, "utf8") } : {}) };
    if (q.get("sslcert")) tls.cert = fs.readFileSync(q.get("sslcert")!, "utf8");
    if (q.get("sslkey")) tls.key = fs.readFileSync(q.get("sslkey")!, "utf8");
    if (mode === "verify-ca") tls.checkServerIdentity = () => undefined;
    ssl = tls;
  }
  const config: ClientConfig = {
    host: decodeURIComponent(u.hostname) || env.PGHOST || "localhost",
    port: Number(u.port || env.PGPORT || 5432),
    user: decodeURIComponent(u.username) || env.PGUSER || os.userInfo().username,
    password: u.password ? decodeURIComponent(u.password) : env.PGPASSWORD,
    database: decodeURIComponent(u.pathname.replace(/^\//, "")) || env.PGDATABASE || undefined,
    ssl,
    connectionTimeoutMillis: 1000 * Number(q.get("connect_timeout") || 15),
    application_name: q.get("application_name") || "pulumi-adnetworks-journal",
  };
  const where = `${redactUrl(`${u.protocol}//${u.username ? `${u.username}:x@` : ""}${u.host}${u.pathname}`)}`;
  return { config, table, where };
}

const UNREACHABLE = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|ECONNRESET|EAI_AGAIN|timeout|terminated/i;

/** Lets the process exit with the client's socket open (pg keeps it as `connection.stream`, untyped). */
function unrefConnection(c: Client): void {
  const connection: unknown = Reflect.get(c, "connection");
  const stream: unknown = typeof connection === "object" && connection !== null ? Reflect.get(connection, "stream") : undefined;
  const unref: unknown = typeof stream === "object" && stream !== null ? Reflect.get(stream, "unref") : undefined;
  if (typeof unref === "function") unref.call(stream);
}

/** Rows of one table in the backend's own database. */
export class PgJournalStore implements JournalStore {
  readonly local = false;
  readonly where: string;
  private readonly table: string;
  private readonly stateTable: string;
  private client?: Promise<Client>;
  constructor(readonly url: string, readonly project: string, readonly stack: string, readonly env: NodeJS.ProcessEnv = process.env) {
    const s = pgSettings(url, env);
    this.stateTable = s.table;
    this.table = s.table === "pulumi_state" ? "adnet_journal" : `${s.table}_adnet_journal`;
    this.where = `${s.where} (table ${this.table})`;
  }
  private conn(): Promise<Client> {
    return (this.client ??= (async () => {
      const { Client }: typeof import("pg") = require("pg");
      const { config } = pgSettings(this.url, this.env);
      const c = new Client(config);
      c.on("error", () => undefined); // a dropped connection fails the next query, which says so
      try {
        await c.connect();
      } catch (e) {
        this.client = undefined;
        const why = thrown(e)?.code || thrown(e)?.message || String(e);
        if (UNREACHABLE.test(String(thrown(e)?.code ?? "") + " " + String(thrown(e)?.message ?? ""))) throw new Error(`cannot reach the backend ${this.where}: ${why}. Check that the database server is running and reachable from this machine, and that PULUMI_BACKEND_URL (or \`pulumi login\`) names it; nothing was written`);
        throw new Error(`cannot open the backend ${this.where}: ${thrown(e)?.message ?? e}. Check the user, password and database in the backend URL; nothing was written`);
      }
      // The journal's connection must not keep a finished provider host alive.
      unrefConnection(c);
      const ddl = `CREATE TABLE IF NOT EXISTS ${this.table} (seq BIGSERIAL PRIMARY KEY, project TEXT NOT NULL, stack TEXT NOT NULL, run TEXT NOT NULL, entry JSONB NOT NULL, written_at TIMESTAMPTZ NOT NULL DEFAULT now()); CREATE INDEX IF NOT EXISTS ${this.table}_run_idx ON ${this.table} (project, stack, run)`;
      try {
        await c.query(ddl);
      } catch (e) {
        if (thrown(e)?.code !== "23505" && thrown(e)?.code !== "42P07") throw e; // another runner created it at the same moment
        await c.query(ddl);
      }
      return c;
    })());
  }
  private async q(sql: string, args: unknown[]) {
    const c = await this.conn();
    try {
      return await c.query(sql, args);
    } catch (e) {
      if (UNREACHABLE.test(String(thrown(e)?.code ?? "") + " " + String(thrown(e)?.message ?? ""))) {
        this.client = undefined;
        throw new Error(`lost the backend ${this.where}: ${thrown(e)?.message ?? e}. Check that the database server is running; nothing was written`);
      }
      throw e;
    }
  }
  async runs(except?: string): Promise<string[]> {
    const r = await this.q(`SELECT DISTINCT run FROM ${this.table} WHERE project = $1 AND stack = $2`, [this.project, this.stack]);
    return r.rows.map((x: { run: string }) => x.run).filter((x: string) => x !== except).sort();
  }
  async read(run: string): Promise<JournalEntry[]> {
    const r = await this.q(`SELECT entry FROM ${this.table} WHERE project = $1 AND stack = $2 AND run = $3 ORDER BY seq`, [this.project, this.stack, run]);
    return r.rows.map((x: { entry: JournalEntry }) => x.entry);
  }
  async append(run: string, e: JournalEntry): Promise<void> {
    await this.q(`INSERT INTO ${this.table} (project, stack, run, entry) VALUES ($1, $2, $3, $4)`, [this.project, this.stack, run, JSON.stringify({ ...e, time: new Date().toISOString() })]);
  }
  async remove(run: string): Promise<void> {
    await this.q(`DELETE FROM ${this.table} WHERE project = $1 AND stack = $2 AND run = $3`, [this.project, this.stack, run]);
  }
  /** The state row Pulumi's postgres driver keeps (`{"data": base64}` under `<database>/` and the file layout's key). */
  async deployment(): Promise<Deployment | undefined> {
    // Pulumi keys each row by the URL's path (the database name) and the file layout's path.
    const db = decodeURIComponent(new URL(this.url).pathname.replace(/^\//, ""));
    const keys = [db ? `${db}/` : "", ""].flatMap((prefix) => [".json", ".json.zst", ".json.gz"].flatMap((ext) => [`${prefix}.pulumi/stacks/${this.project}/${this.stack}${ext}`, `${prefix}.pulumi/stacks/${this.stack}${ext}`]));
    const r = await this.q(`SELECT key, data->>'data' AS b64 FROM ${this.stateTable} WHERE key = ANY($1)`, [keys]);
    const row = keys.map((k) => r.rows.find((x: { key: string }) => x.key === k)).find(Boolean);
    if (!row) return {}; // a new stack: nothing saved yet
    return JSON.parse(checkpointText(Buffer.from(row.b64, "base64"), row.key)).checkpoint?.latest ?? {};
  }
  async close() {
    const c = this.client;
    this.client = undefined;
    if (c) await (await c.catch(() => undefined))?.end().catch(() => undefined);
  }
}

/** The S3 settings of a Pulumi s3:// backend URL, read as Pulumi's s3 driver (gocloud) reads them. */
export function s3Settings(url: string, env: NodeJS.ProcessEnv = process.env): { bucket: string; prefix: string; region: string; endpoint: string; pathStyle: boolean; where: string } {
  const u = new URL(url);
  const q = u.searchParams;
  const bucket = decodeURIComponent(u.hostname);
  if (!bucket) throw new Error(`the backend URL ${url.replace(/\?.*$/, "")} names no bucket (s3://<bucket>[/<path>]?region=...)`);
  const path0 = decodeURIComponent(u.pathname).replace(/^\/+|\/+$/g, "");
  const prefix = (q.get("prefix") ?? "") + (path0 ? `${path0}/` : "");
  const region = q.get("region") || q.get("awssdk_region") || env.AWS_REGION || env.AWS_DEFAULT_REGION || "us-east-1";
  const noTls = truthy(q.get("disableSSL") ?? undefined) || truthy(q.get("disable_https") ?? undefined);
  let endpoint = q.get("endpoint") || env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || "";
  if (endpoint && !/^https?:\/\//i.test(endpoint)) endpoint = `${noTls ? "http" : "https"}://${endpoint}`;
  const pathStyle = truthy(q.get("s3ForcePathStyle") ?? undefined) || truthy(q.get("use_path_style") ?? undefined);
  if (!endpoint) endpoint = `${noTls ? "http" : "https"}://s3.${region}.amazonaws.com`;
  return { bucket, prefix, region, endpoint: endpoint.replace(/\/+$/, ""), pathStyle, where: `s3://${bucket}/${prefix}` };
}

const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
const sha256 = (b: string | Buffer) => crypto.createHash("sha256").update(b).digest("hex");
const hmac = (k: string | Buffer, s: string) => crypto.createHmac("sha256", k).update(s).digest();
const xmlText = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");

/**
 * One S3 request signed with AWS Signature Version 4 (node:crypto; no SDK):
 * the credentials of AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and
 * AWS_SESSION_TOKEN), as Pulumi's s3 backend reads them.
 */
export async function s3Request(
  s: { bucket: string; region: string; endpoint: string; pathStyle: boolean },
  method: "GET" | "PUT" | "DELETE",
  key: string,
  query: Record<string, string> = {},
  body: Buffer = Buffer.alloc(0),
  env: NodeJS.ProcessEnv = process.env,
  now = new Date(),
): Promise<{ status: number; body: Buffer }> {
  const id = env.AWS_ACCESS_KEY_ID;
  const secret = env.AWS_SECRET_ACCESS_KEY;
  if (!id || !secret) throw new Error(`no AWS credentials for s3://${s.bucket}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (as for \`pulumi login s3://...\`); nothing was written`);
  const base = new URL(s.endpoint);
  const host = s.pathStyle ? base.host : `${s.bucket}.${base.host}`;
  const basePath = base.pathname.replace(/\/+$/, "");
  const uriPath = `${basePath}${s.pathStyle ? `/${rfc3986(s.bucket)}` : ""}/${key.split("/").map(rfc3986).join("/")}`;
  const qs = Object.keys(query).sort().map((k) => `${rfc3986(k)}=${rfc3986(query[k])}`).join("&");
  const amzDate = now.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const day = amzDate.slice(0, 8);
  const payload = sha256(body);
  const headers: Record<string, string> = { host, "x-amz-content-sha256": payload, "x-amz-date": amzDate };
  if (env.AWS_SESSION_TOKEN) headers["x-amz-security-token"] = env.AWS_SESSION_TOKEN;
  const names = Object.keys(headers).sort();
  const canonical = [method, uriPath, qs, names.map((n) => `${n}:${headers[n].trim()}\n`).join(""), names.join(";"), payload].join("\n");
  const scope = `${day}/${s.region}/s3/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonical)].join("\n");
  const key4 = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), s.region), "s3"), "aws4_request");
  const signature = crypto.createHmac("sha256", key4).update(toSign).digest("hex");
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${id}/${scope}, SignedHeaders=${names.join(";")}, Signature=${signature}`;
  const { host: _h, ...sent } = headers;
  const url = `${base.protocol}//${host}${uriPath}${qs ? `?${qs}` : ""}`;
  let r: Response;
  try {
    r = await fetch(url, { method, headers: sent, body: method === "PUT" ? body : undefined });
  } catch (e) {
    const cause = thrown(thrown(e).cause);
    const why = cause.code || cause.message || thrown(e).message || String(e);
    throw new Error(`cannot reach the backend s3://${s.bucket} at ${base.protocol}//${host}: ${why}. Check the backend URL's endpoint= and region=, and that this machine reaches it; nothing was written`);
  }
  return { status: r.status, body: Buffer.from(await r.arrayBuffer()) };
}

/**
 * Objects beside the stack's state in the backend's own bucket, one per
 * entry (`<path>.pulumi/adnet-journal/<project>/<stack>/<run>/<seq>.json`),
 * each PUT answered before the call it records goes on. Appending never
 * reads or rewrites an object, so two writers cannot lose each other's lines.
 */
export class S3JournalStore implements JournalStore {
  readonly local = false;
  readonly where: string;
  private readonly s: ReturnType<typeof s3Settings>;
  private readonly dir: string;
  private seq = new Map<string, number>();
  constructor(readonly url: string, readonly project: string, readonly stack: string, readonly env: NodeJS.ProcessEnv = process.env) {
    this.s = s3Settings(url, env);
    this.dir = `${this.s.prefix}.pulumi/adnet-journal/${safe(project)}/${safe(stack)}/`;
    this.where = `s3://${this.s.bucket}/${this.dir}`;
  }
  private async req(method: "GET" | "PUT" | "DELETE", key: string, query: Record<string, string> = {}, body?: Buffer, ok: number[] = [200, 204]) {
    const r = await s3Request(this.s, method, key, query, body, this.env);
    if (!ok.includes(r.status)) {
      const code = /<Code>([^<]*)<\/Code>/.exec(r.body.toString("utf8"))?.[1] ?? "";
      const msg = xmlText(/<Message>([^<]*)<\/Message>/.exec(r.body.toString("utf8"))?.[1] ?? "");
      const hint = r.status === 403 ? "check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY and the bucket's policy" : r.status === 404 ? "check the bucket name and region= in the backend URL" : "see the message";
      throw new Error(`the backend s3://${this.s.bucket} refused ${method} ${key}: ${r.status} ${code} ${msg}`.trim() + ` (${hint}); nothing was written`);
    }
    return r;
  }
  /** Keys and common prefixes under a prefix (LIST v2, every page). */
  private async list(prefix: string, delimiter?: string): Promise<{ keys: string[]; prefixes: string[] }> {
    const keys: string[] = [];
    const prefixes: string[] = [];
    let token: string | undefined;
    do {
      const q: Record<string, string> = { "list-type": "2", prefix, ...(delimiter ? { delimiter } : {}), ...(token ? { "continuation-token": token } : {}) };
      const xml = (await this.req("GET", "", q)).body.toString("utf8");
      for (const m of xml.matchAll(/<Contents>[\s\S]*?<Key>([^<]*)<\/Key>[\s\S]*?<\/Contents>/g)) keys.push(xmlText(m[1]));
      for (const m of xml.matchAll(/<CommonPrefixes>\s*<Prefix>([^<]*)<\/Prefix>\s*<\/CommonPrefixes>/g)) prefixes.push(xmlText(m[1]));
      token = /<IsTruncated>true<\/IsTruncated>/.test(xml) ? xmlText(/<NextContinuationToken>([^<]*)<\/NextContinuationToken>/.exec(xml)?.[1] ?? "") || undefined : undefined;
    } while (token);
    return { keys: keys.sort(), prefixes: prefixes.sort() };
  }
  async runs(except?: string): Promise<string[]> {
    const { prefixes } = await this.list(this.dir, "/");
    return prefixes.map((p) => p.slice(this.dir.length).replace(/\/$/, "")).filter((r) => r && r !== except).sort();
  }
  async read(run: string): Promise<JournalEntry[]> {
    const { keys } = await this.list(`${this.dir}${run}/`);
    const out: JournalEntry[] = [];
    for (let i = 0; i < keys.length; i += 16) {
      const texts = await Promise.all(keys.slice(i, i + 16).map(async (k) => (await this.req("GET", k, {}, undefined, [200, 404])).body.toString("utf8")));
      for (const t of texts) out.push(...parseLines(t));
    }
    return out;
  }
  async append(run: string, e: JournalEntry): Promise<void> {
    const n = (this.seq.get(run) ?? 0) + 1;
    this.seq.set(run, n);
    // Numbered in call order; the process id in the run's name keeps runs apart.
    const key = `${this.dir}${run}/${String(n).padStart(9, "0")}.json`;
    await this.req("PUT", key, {}, Buffer.from(JSON.stringify({ ...e, time: new Date().toISOString() }) + "\n"));
  }
  async remove(run: string): Promise<void> {
    const { keys } = await this.list(`${this.dir}${run}/`);
    for (let i = 0; i < keys.length; i += 16) await Promise.all(keys.slice(i, i + 16).map((k) => this.req("DELETE", k, {}, undefined, [200, 204, 404])));
  }
  /** The stack's checkpoint object, read straight from the bucket. */
  async deployment(): Promise<Deployment | undefined> {
    for (const k of [".json", ".json.zst", ".json.gz"].flatMap((ext) => [`${this.s.prefix}.pulumi/stacks/${this.project}/${this.stack}${ext}`, `${this.s.prefix}.pulumi/stacks/${this.stack}${ext}`])) {
      const r = await this.req("GET", k, {}, undefined, [200, 404]);
      if (r.status === 200) return JSON.parse(checkpointText(r.body, k)).checkpoint?.latest ?? {};
    }
    return {}; // a new stack: nothing saved yet
  }
  async close() {}
}

/** The journal store of a stack, by the backend the CLI uses (see the module comment). */
export function journalStore(project: string, stack: string, cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): JournalStore {
  const url = backendUrl(cwd, env);
  const name = stack.split("/").pop()!;
  if (url && /^postgres(ql)?:\/\//i.test(url)) return new PgJournalStore(url, project, name, env);
  if (url && /^s3:\/\//i.test(url)) return new S3JournalStore(url, project, name, env);
  const local = !fileBackendRoot(url);
  return new FileJournalStore(journalDir(project, stack, cwd, env), local, project, name);
}

/** A run's header says it belongs to another stack or format: what to do instead. */
export class JournalMismatch extends Error {}

/** Refuses a run that belongs to another stack or format (JournalMismatch, with what to do). */
export function checkRun(r: JournalRun, project: string, stack: string, where: string): void {
  const h = r.entries[0];
  const name = stack.split("/").pop()!;
  const ours = packageVersion();
  if (h?.op === "begin") {
    if (h.format !== JOURNAL_FORMAT)
      throw new JournalMismatch(
        `the journal run ${path.basename(r.run)} in ${where} was written by pulumi-adnetworks ${h.version ?? "?"} in journal format ${h.format}; this version (${ours}) reads format ${JOURNAL_FORMAT}. Nothing was written. Run \`adnet-recover\` and \`pulumi up\` once with pulumi-adnetworks ${h.version ?? "of that format"}, which settles and removes it, then upgrade`,
      );
    if ((h.project && h.project !== project) || (h.stack && h.stack !== name))
      throw new JournalMismatch(
        `the journal run ${path.basename(r.run)} in ${where} belongs to stack ${h.project}/${h.stack}, not ${project}/${name} (it was copied or moved here). Nothing was written. Put it back where stack ${h.stack}'s journal is kept, or remove it once \`adnet-recover --stack ${h.stack}\` shows that stack has nothing pending`,
      );
  }
  for (const e of r.entries) {
    if (e.op === "begin" || !e.urn) continue;
    const parts = e.urn.split("::");
    const s = parts[0].replace(/^urn:pulumi:/, "");
    if (parts[1] !== project || s !== name)
      throw new JournalMismatch(`the journal run ${path.basename(r.run)} in ${where} records ${e.urn}, a resource of stack ${parts[1]}/${s}, not ${project}/${name} (it was copied or moved here). Nothing was written. Put it back where that stack's journal is kept, or remove it once \`adnet-recover --stack ${s}\` shows that stack has nothing pending`);
  }
}

let version: string | undefined;
export function packageVersion(): string {
  if (version) return version;
  try {
    version = require("../../../package.json").version as string;
  } catch {
    try {
      version = require("../../../../package.json").version as string;
    } catch {
      version = "unknown";
    }
  }
  return version!;
}
