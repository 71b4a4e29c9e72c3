/**
 * A throwaway PostgreSQL server for the tests and the benchmark of the
 * `postgres://` backend: installed from Debian's package when missing
 * (scripts/install-postgres.sh), initialised in a temporary data directory,
 * listening on 127.0.0.1 on a free port, with a password login (scram), and
 * stopped and removed by `stop()` (or when this process exits).
 *
 * PostgreSQL refuses to run as root: as root, the server runs as the
 * `postgres` user that Debian's package creates; otherwise as the caller.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { ROOT } from "./engine";

export interface PostgresServer {
  /** The backend URL for `pulumi login` (user, password, port, database; sslmode=disable: a local test server). */
  url: string;
  port: number;
  dataDir: string;
  stop(): void;
}

/** The directory of initdb and pg_ctl, installing PostgreSQL first when they are missing. */
export function postgresBin(): string {
  if (process.env.ADNET_PG_BIN) return process.env.ADNET_PG_BIN;
  return execFileSync("bash", [path.join(ROOT, "scripts", "install-postgres.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim().split("\n").pop()!;
}

/** A port nobody listens on now (127.0.0.1). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startPostgres(opts: { user?: string; password?: string; database?: string } = {}): Promise<PostgresServer> {
  const bin = postgresBin();
  const user = opts.user ?? "adnet";
  const password = opts.password ?? `pw-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  const database = opts.database ?? "pulumi";
  const root = process.getuid?.() === 0;
  // The postgres user must reach the data directory: a test run's own 0700 TMPDIR (test/support/tmp.ts) is root's alone.
  const dir = fs.mkdtempSync(path.join(root ? "/tmp" : os.tmpdir(), "adnet-pg-"));
  const dataDir = path.join(dir, "data");
  const pwfile = path.join(dir, "pw");
  fs.writeFileSync(pwfile, password + "\n", { mode: 0o600 });
  const as = (cmd: string, args: string[]) =>
    root ? execFileSync("runuser", ["-u", "postgres", "--", path.join(bin, cmd), ...args], { stdio: ["ignore", "pipe", "pipe"], cwd: "/" }) : execFileSync(path.join(bin, cmd), args, { stdio: ["ignore", "pipe", "pipe"] });
  if (root) execFileSync("chown", ["-R", "postgres:postgres", dir]);
  const port = await freePort();
  let started = false;
  const stop = () => {
    if (started) {
      try {
        as("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
      } catch {
        /* already stopped */
      }
      started = false;
    }
    fs.rmSync(dir, { recursive: true, force: true });
    process.removeListener("exit", stop);
  };
  process.on("exit", stop);
  try {
    as("initdb", ["-D", dataDir, "-U", user, `--pwfile=${pwfile}`, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-instructions"]);
    // A test server: no fsync (the tests kill Pulumi runners, never the database), small memory.
    const conf = ["listen_addresses = '127.0.0.1'", `port = ${port}`, `unix_socket_directories = '${dir}'`, "fsync = off", "shared_buffers = 16MB", "max_connections = 40"];
    fs.appendFileSync(path.join(dataDir, "postgresql.conf"), "\n" + conf.join("\n") + "\n");
    as("pg_ctl", ["-D", dataDir, "-l", path.join(dir, "server.log"), "-w", "-t", "60", "start"]);
    started = true;
  } catch (e: any) {
    const log = fs.existsSync(path.join(dir, "server.log")) ? fs.readFileSync(path.join(dir, "server.log"), "utf8") : "";
    stop();
    throw new Error(`PostgreSQL did not start: ${e?.stderr?.toString() || e?.message}\n${log}`);
  }
  const { Client } = require("pg");
  const admin = new Client({ host: "127.0.0.1", port, user, password, database: "postgres" });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
  } catch (e) {
    stop();
    throw e;
  } finally {
    await admin.end().catch(() => undefined);
  }
  return { url: `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}?sslmode=disable`, port, dataDir, stop };
}
