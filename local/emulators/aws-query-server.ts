import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { text } from "node:stream/consumers";
import type { RunningServer } from "./aws-json-server.ts";
import { type AwsQueryService, handleAwsQuery } from "./aws-query-protocol.ts";

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
export async function startAwsQueryServer(
  services: readonly AwsQueryService[],
  port = 0,
): Promise<RunningServer> {
  const server = createServer((req, res) => {
    serveAwsQuery(services, req, res).catch((error: unknown) => {
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
