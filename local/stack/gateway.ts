import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import type { AwsJsonService } from "../emulators/aws-json-protocol.ts";
import { isAwsJsonRequest, serveAwsJson } from "../emulators/aws-json-server.ts";
import type { AwsQueryService } from "../emulators/aws-query-protocol.ts";
import { isAwsQueryRequest, serveAwsQuery } from "../emulators/aws-query-server.ts";
import { apiGatewayEvent } from "../runtime/api-gateway-event.ts";
import { lambdaContext } from "../runtime/lambda-context.ts";

export interface GatewayRoutes {
  /** The okta-hook Lambda handler behind `GET|POST /okta/events` (API Gateway HTTP API). */
  oktaHook: (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
  /** Okta Management API (`/api/v1/...`) and `/oauth2/v1/token`; resolves false when the path is not its own. */
  okta: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  /** AWS JSON 1.1 services (sso-admin, identitystore, organizations, events, states). */
  aws: readonly AwsJsonService[];
  /** AWS Query services (IAM, STS): form-encoded `POST /`, told apart by their `Version`. */
  awsQuery?: readonly AwsQueryService[];
  /** `GET /local/state` as JSON. */
  state: () => Promise<unknown>;
  /** `GET /`: the human-readable page. */
  page: () => Promise<string>;
}

/** Largest request body the gateway reads (API Gateway's own payload limit is 10 MB; the hook takes 1 MiB). */
export const MAX_GATEWAY_BODY_BYTES = 1024 * 1024;

/** Host names a loopback request may carry; anything else is a DNS-rebinding attempt from a browser. */
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * One loopback HTTP server for the whole local stack: the API Gateway route, the Okta org, the AWS
 * JSON endpoints (told apart by `X-Amz-Target`), the AWS Query endpoints (IAM, STS: a form-encoded
 * `POST /`) and the state page. It answers only requests whose
 * `Host` is a loopback name with the gateway's port (403 otherwise: a web page that rebinds its own
 * name to 127.0.0.1 cannot reach the stack), and reads at most {@link MAX_GATEWAY_BODY_BYTES} of a
 * body (413 past that, and the connection is closed).
 */
export async function startGateway(
  port: number,
  routes: GatewayRoutes,
): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(`local gateway error: ${(error as Error).message}`);
    });
  });
  let actual = 0;
  const handle = async (incoming: IncomingMessage, res: ServerResponse) => {
    if (!LOOPBACK_HOSTS.has(hostName(incoming.headers.host, actual))) {
      const error = `Host must be 127.0.0.1:${actual}, localhost:${actual} or [::1]:${actual}`;
      res
        .writeHead(403, { "content-type": "application/json", connection: "close" })
        .end(JSON.stringify({ error }), () => incoming.destroy());
      return;
    }
    const bytes = await readBounded(incoming, MAX_GATEWAY_BODY_BYTES);
    if (bytes === null) {
      // Answered, then the connection is dropped: the rest of the body is never read.
      res
        .writeHead(413, { "content-type": "application/json", connection: "close" })
        .end(JSON.stringify({ error: `body exceeds ${MAX_GATEWAY_BODY_BYTES} bytes` }), () =>
          incoming.destroy(),
        );
      return;
    }
    const req = withBody(incoming, bytes);
    const url = new URL(req.url ?? "/", "http://localhost");
    if (isAwsJsonRequest(req)) return serveAwsJson(routes.aws, req, res);
    if (routes.awsQuery !== undefined && isAwsQueryRequest(req))
      return serveAwsQuery(routes.awsQuery, req, res);
    if (url.pathname === "/okta/events") {
      const body = bytes.toString("utf8");
      const result = await routes.oktaHook(
        apiGatewayEvent(req, body, `${req.method} /okta/events`),
        lambdaContext("okta-hook"),
      );
      res
        .writeHead(result.statusCode ?? 200, result.headers as Record<string, string>)
        .end(result.body ?? "");
      return;
    }
    // The Management API and the org authorization server's token endpoint (a service app's tokens).
    if (url.pathname.startsWith("/api/v1/") || url.pathname === "/oauth2/v1/token") {
      if (await routes.okta(req, res)) return;
    }
    if (req.method === "GET" && url.pathname === "/local/state") {
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify(await routes.state(), null, 2));
      return;
    }
    if (req.method === "GET" && url.pathname === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(await routes.page());
      return;
    }
    res
      .writeHead(404, { "content-type": "application/json" })
      .end(JSON.stringify({ error: `no route for ${req.method} ${url.pathname}` }));
  };
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  actual = (server.address() as AddressInfo).port;
  return {
    server,
    url: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The host name of a `Host` header when its port is `port` (lower-cased), or "" when it is not. */
function hostName(header: string | undefined, port: number): string {
  const match = /^(\[[^\]]*\]|[^:]*):(\d+)$/.exec(header?.trim().toLowerCase() ?? "");
  return match !== null && Number(match[2]) === port ? (match[1] ?? "") : "";
}

/** The whole body, or `null` as soon as it passes `max` bytes (declared or actually sent); reading stops there. */
function readBounded(req: IncomingMessage, max: number): Promise<Buffer | null> {
  if (Number(req.headers["content-length"] ?? 0) > max) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) return void chunks.push(chunk);
      req.off("data", onData);
      req.pause();
      resolve(null);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
  });
}

/** `req` with its body already read, readable again by the routes that take the request itself. */
function withBody(req: IncomingMessage, body: Buffer): IncomingMessage {
  const replay = Readable.from(body.length > 0 ? [body] : []);
  return Object.assign(replay, {
    method: req.method,
    url: req.url,
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    httpVersion: req.httpVersion,
    socket: req.socket,
  }) as unknown as IncomingMessage;
}
