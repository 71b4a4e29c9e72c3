/**
 * Inline programs run one after another in one process (every e2e test)
 * must each reach their own engine, even on a port an earlier engine used
 * (see isolateEngineConnections in scripts/lib/engine.ts). A preview whose
 * first call failed this way was reported as a success with no resource.
 */
import { expect } from "chai";
import * as grpc from "@grpc/grpc-js";
import { isolateEngineConnections } from "../scripts/lib/engine";

const resrpc = require("@pulumi/pulumi/proto/resource_grpc_pb");
const resproto = require("@pulumi/pulumi/proto/resource_pb");
const sdkSettings: { grpcClientOptions: Record<string, unknown> } = require("@pulumi/pulumi/runtime/settings");

/** A resource monitor that answers SupportsFeature, on `port` (0: any free port). */
function monitor(port: number): Promise<{ port: number; stop(): void }> {
  const server = new grpc.Server();
  server.addService(resrpc.ResourceMonitorService, {
    supportsFeature: (_call: unknown, cb: (e: null, r: unknown) => void) => {
      const r = new resproto.SupportsFeatureResponse();
      r.setHassupport(true);
      cb(null, r);
    },
  });
  return new Promise((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve({ port: p, stop: () => server.forceShutdown() }))),
  );
}

function supportsFeature(client: any): Promise<string> {
  const req = new resproto.SupportsFeatureRequest();
  req.setId("secrets");
  return new Promise((resolve) => client.supportsFeature(req, (err: any) => resolve(err ? String(err.message) : "ok")));
}

/**
 * The sequence of two inline runs: a client to engine A, A exits, the old
 * client calls once more (and fails), engine B listens on A's port, a new
 * client calls B. Backoff is set long so the broken connection is still
 * waiting when B is called, however slow the machine.
 */
async function secondRunOnReusedPort(options: Record<string, unknown>): Promise<string> {
  const opts = { ...options, "grpc.initial_reconnect_backoff_ms": 600_000 };
  const a = await monitor(0);
  const first = new resrpc.ResourceMonitorClient(`127.0.0.1:${a.port}`, grpc.credentials.createInsecure(), opts);
  try {
    expect(await supportsFeature(first), "first run").to.equal("ok");
    a.stop();
    expect(await supportsFeature(first), "the first run's client after its engine exited").to.match(/UNAVAILABLE/);
    const b = await monitor(a.port);
    const second = new resrpc.ResourceMonitorClient(`127.0.0.1:${b.port}`, grpc.credentials.createInsecure(), opts);
    try {
      return await supportsFeature(second);
    } finally {
      second.close();
      b.stop();
    }
  } finally {
    first.close();
  }
}

describe("engine connections of inline programs", () => {
  it("without isolation, a run on a reused port fails its first call (the defect, in grpc-js as pinned)", async () => {
    const shared = { ...sdkSettings.grpcClientOptions };
    delete shared["grpc.use_local_subchannel_pool"];
    expect(await secondRunOnReusedPort(shared)).to.match(/UNAVAILABLE: No connection established/);
  });

  it("with the SDK's client options after isolateEngineConnections, it reaches the new engine", async () => {
    isolateEngineConnections();
    expect(sdkSettings.grpcClientOptions["grpc.use_local_subchannel_pool"]).to.equal(1);
    expect(await secondRunOnReusedPort(sdkSettings.grpcClientOptions)).to.equal("ok");
  });
});
