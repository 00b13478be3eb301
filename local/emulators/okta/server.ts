import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createOktaEmulator, type OktaEmulator, type OktaEmulatorOptions } from "./index.ts";

/** An Okta emulator on its own loopback server. */
export interface RunningOktaEmulator {
  emulator: OktaEmulator;
  server: Server;
  /** `http://127.0.0.1:<port>`: what an adapter takes as `orgUrl`. */
  orgUrl: string;
  close(): Promise<void>;
}

/**
 * Starts an Okta emulator alone on 127.0.0.1 (tests and tools; port 0 = any free port). The local
 * stack instead mounts `emulator.handle` on its shared server.
 */
export async function startOktaEmulatorServer(
  options: OktaEmulatorOptions = {},
  port = 0,
): Promise<RunningOktaEmulator> {
  const emulator = createOktaEmulator(options);
  const server = createServer((req, res) => {
    emulator
      .handle(req, res)
      .then((handled) => {
        if (!handled) res.writeHead(404, { "Content-Type": "text/plain" }).end("Not an Okta API path");
      })
      .catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: actual } = server.address() as AddressInfo;
  return {
    emulator,
    server,
    orgUrl: `http://127.0.0.1:${actual}`,
    close: async () => {
      emulator.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
