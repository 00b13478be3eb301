import type { APIGatewayProxyEventV2 } from "aws-lambda";

/** An API Gateway HTTP API (payload 2.0) request to `/okta/events`, as API Gateway hands it to the hook. */
export function hookRequest(
  method: string,
  body: unknown,
  headers: Record<string, string> = {},
  options: { isBase64Encoded?: boolean } = {},
): APIGatewayProxyEventV2 {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return {
    version: "2.0",
    routeKey: `${method} /okta/events`,
    rawPath: "/okta/events",
    rawQueryString: "",
    headers: { "content-type": "application/json", ...headers },
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: "localhost",
      domainPrefix: "localhost",
      http: {
        method,
        path: "/okta/events",
        protocol: "HTTP/1.1",
        sourceIp: "127.0.0.1",
        userAgent: "Okta Event Hook",
      },
      requestId: "r",
      routeKey: `${method} /okta/events`,
      stage: "$default",
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body: text,
    isBase64Encoded: options.isBase64Encoded ?? false,
  };
}
