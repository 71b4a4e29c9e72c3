/**
 * The project's Node.js language host served over gRPC on 127.0.0.1, and a
 * client of it, as the engine calls it (test/language-host.test.ts,
 * test/shipping.test.ts).
 */
import { createRequire } from "module";
import { NodeLanguageHost } from "../../provider/language-host/main";

/* eslint-disable @typescript-eslint/no-var-requires */
const sdkRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const grpc: typeof import("@grpc/grpc-js") = sdkRequire("@grpc/grpc-js");
const langrpc = require("@pulumi/pulumi/proto/language_grpc_pb");

export interface ServedLanguageHost {
  /** A LanguageRuntime client of the host (the generated stubs: `client.runPlugin(req)`, `client.link(req, cb)` ...). */
  client: any;
  /** Closes the client and stops the server. */
  close(): void;
}

/** Starts a language host (its engine address unused) on a free port. */
export async function serveLanguageHost(): Promise<ServedLanguageHost> {
  const host = new NodeLanguageHost("127.0.0.1:1", "");
  const server = new grpc.Server();
  server.addService(langrpc.LanguageRuntimeService, host.service() as any);
  const port = await new Promise<number>((resolve, reject) => server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  const client = new langrpc.LanguageRuntimeClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return {
    client,
    close: () => {
      client.close();
      server.forceShutdown();
    },
  };
}
