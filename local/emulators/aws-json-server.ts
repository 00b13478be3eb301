import type { IncomingMessage } from "node:http";
import { text } from "node:stream/consumers";
import { type AwsJsonService, handleAwsJson } from "./aws-json-protocol.ts";
import { type RunningServer, startLoopbackServer } from "./loopback-server.ts";
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

export type { RunningServer } from "./loopback-server.ts";

/** Starts a loopback server for the given AWS JSON services (tests and tools; port 0 = any free port). */
export function startAwsJsonServer(services: readonly AwsJsonService[], port = 0): Promise<RunningServer> {
  return startLoopbackServer((req, res) => serveAwsJson(services, req, res), port);
}

export function localClientConfig(endpoint: string) {
  return {
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  };
}
