import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { text } from "node:stream/consumers";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import type { AwsJsonService } from "../emulators/aws-json-protocol.ts";
import { isAwsJsonRequest, serveAwsJson } from "../emulators/aws-json-server.ts";
import { apiGatewayEvent } from "../runtime/api-gateway-event.ts";
import { lambdaContext } from "../runtime/lambda-context.ts";

export interface GatewayRoutes {
  /** The okta-hook Lambda handler behind `GET|POST /okta/events` (API Gateway HTTP API). */
  oktaHook: (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
  /** Okta Management API (`/api/v1/...`); resolves false when the path is not its own. */
  okta: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  /** AWS JSON 1.1 services (sso-admin, identitystore, organizations, events, states). */
  aws: readonly AwsJsonService[];
  /** `GET /local/state` as JSON. */
  state: () => Promise<unknown>;
  /** `GET /`: the human-readable page. */
  page: () => Promise<string>;
}

/**
 * One loopback HTTP server for the whole local stack: the API Gateway route, the Okta org, the AWS
 * JSON endpoints (told apart by `X-Amz-Target`) and the state page.
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
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (isAwsJsonRequest(req)) return serveAwsJson(routes.aws, req, res);
    if (url.pathname === "/okta/events") {
      const body = await text(req);
      const result = await routes.oktaHook(
        apiGatewayEvent(req, body, `${req.method} /okta/events`),
        lambdaContext("okta-hook"),
      );
      res
        .writeHead(result.statusCode ?? 200, result.headers as Record<string, string>)
        .end(result.body ?? "");
      return;
    }
    if (url.pathname.startsWith("/api/v1/")) {
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
  const actual = (server.address() as AddressInfo).port;
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
