import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { text } from "node:stream/consumers";
import { type AwsJsonService, handleAwsJson } from "./aws-json-protocol.ts";
import { accessKeyIdOf } from "./sigv4-credential.ts";

/** Whether a request is an AWS JSON 1.1 call (the local gateway routes these to the emulators). */
export function isAwsJsonRequest(req: IncomingMessage): boolean {
  return req.method === "POST" && typeof req.headers["x-amz-target"] === "string";
}

/** Answers an AWS JSON 1.1 request on a Node HTTP response. */
export async function serveAwsJson(
  services: readonly AwsJsonService[],
  req: IncomingMessage,
  res: import("node:http").ServerResponse,
): Promise<void> {
  const target = req.headers["x-amz-target"];
  const answer = await handleAwsJson(services, Array.isArray(target) ? target[0] : target, await text(req), {
    accessKeyId: accessKeyIdOf(req.headers.authorization),
  });
  res.writeHead(answer.status, answer.headers).end(answer.body);
}

export interface RunningServer {
  server: Server;
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  close(): Promise<void>;
}

/** Starts a loopback server for the given AWS JSON services (tests and tools; port 0 = any free port). */
export async function startAwsJsonServer(
  services: readonly AwsJsonService[],
  port = 0,
): Promise<RunningServer> {
  const server = createServer((req, res) => {
    serveAwsJson(services, req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: actual } = server.address() as AddressInfo;
  return {
    server,
    endpoint: `http://127.0.0.1:${actual}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Client settings that point an SDK v3 client at a local emulator. */
export function localClientConfig(endpoint: string) {
  return {
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  };
}
