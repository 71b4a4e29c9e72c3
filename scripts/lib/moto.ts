/**
 * A throwaway S3-compatible server for the tests of the `s3://` backend:
 * moto's server (PyPI `moto[server]`, installed into a venv under the
 * project's cache by scripts/install-moto.sh when missing), listening on
 * 127.0.0.1 on a free port, in memory, stopped by `stop()` (or when this
 * process exits).
 */
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as path from "path";
import { ROOT } from "./engine";
import { freePort } from "./postgres";

export interface S3Server {
  port: number;
  /** The endpoint for `pulumi login s3://<bucket>?endpoint=...`: host:port. */
  endpoint: string;
  /** Dummy credentials the server accepts (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION). */
  env: Record<string, string>;
  /** The backend URL of a bucket in this server (path style, plain HTTP). */
  url(bucket: string): string;
  stop(): void;
}

export function motoServer(): string {
  if (process.env.ADNET_MOTO_SERVER) return process.env.ADNET_MOTO_SERVER;
  return execFileSync("bash", [path.join(ROOT, "scripts", "install-moto.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim().split("\n").pop()!;
}

export async function startMoto(): Promise<S3Server> {
  const bin = motoServer();
  const port = await freePort();
  const child: ChildProcess = spawn(bin, ["-H", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  child.stderr!.on("data", (d) => (err = (err + d).slice(-4000)));
  const stop = () => {
    if (child.exitCode === null && !child.killed) child.kill("SIGTERM");
    process.removeListener("exit", stop);
  };
  process.on("exit", stop);
  // Ready when it answers (bounded by attempts, not by a clock).
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}): ${err}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/moto-api/`);
      if (r.status < 500) break;
    } catch {
      /* not listening yet */
    }
    if (i >= 300) {
      stop();
      throw new Error(`moto_server did not answer on 127.0.0.1:${port}: ${err}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const endpoint = `127.0.0.1:${port}`;
  return {
    port,
    endpoint,
    env: { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_REGION: "us-east-1" },
    url: (bucket) => `s3://${bucket}?endpoint=${endpoint}&s3ForcePathStyle=true&region=us-east-1&disableSSL=true`,
    stop,
  };
}
