import type { IncomingMessage, ServerResponse } from "node:http";
import { text } from "node:stream/consumers";
import { type AwsQueryService, handleAwsQuery } from "./aws-query-protocol.ts";
import { type RunningServer, startLoopbackServer } from "./loopback-server.ts";

/**
 * Whether a request is an AWS Query call: a form-encoded `POST /` (Smithy awsQuery protocol). Okta's
 * token endpoint is form-encoded too, but never at `/`.
 */
export function isAwsQueryRequest(req: IncomingMessage): boolean {
  const path = (req.url ?? "/").split("?")[0];
  const type = req.headers["content-type"] ?? "";
  return req.method === "POST" && path === "/" && type.startsWith("application/x-www-form-urlencoded");
}

/** Answers an AWS Query request on a Node HTTP response. */
export async function serveAwsQuery(
  services: readonly AwsQueryService[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const answer = await handleAwsQuery(services, await text(req), req.headers);
  res.writeHead(answer.status, answer.headers).end(answer.body);
}

/** Starts a loopback server for the given AWS Query services (tests and tools; port 0 = any free port). */
export function startAwsQueryServer(services: readonly AwsQueryService[], port = 0): Promise<RunningServer> {
  return startLoopbackServer((req, res) => serveAwsQuery(services, req, res), port);
}
