import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { parser } from "@aws-lambda-powertools/parser/middleware";
import { APIGatewayProxyEventV2Schema } from "@aws-lambda-powertools/parser/schemas";
import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { isAuthorized } from "./authorize.ts";
import { type IngestDeps, ingestDelivery } from "./ingest.ts";

export interface OktaHookDeps extends IngestDeps {
  logger: Logger;
  metrics: Metrics;
  /** The active hook secrets (current and, during a rotation, next). */
  hookSecrets: () => Promise<string[]>;
  /** Largest body accepted, in bytes. @default 1 MiB */
  maxBodyBytes?: number;
}

const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

/**
 * The API Gateway (HTTP API) handler behind `GET|POST /okta/events`. GET answers Okta's one-time
 * verification; POST authenticates, validates, normalizes, deduplicates and publishes.
 */
export function createOktaHookHandler(deps: OktaHookDeps) {
  const { logger, metrics } = deps;
  const maxBodyBytes = deps.maxBodyBytes ?? 1024 * 1024;

  const handle = async (
    parsed: { success: true; data: APIGatewayProxyEventV2 } | { success: false; error: Error },
    context: Context,
  ): Promise<APIGatewayProxyStructuredResultV2> => {
    if (!parsed.success) return json(400, { error: "not an API Gateway HTTP API (v2) request" });
    const event = parsed.data;
    const method = event.requestContext.http.method;

    if (method === "GET") {
      const challenge = event.headers["x-okta-verification-challenge"];
      if (!challenge) return json(400, { error: "missing X-Okta-Verification-Challenge header" });
      metrics.addMetric("HookVerifications", MetricUnit.Count, 1);
      logger.info("answered Okta's verification challenge");
      return json(200, { verification: challenge });
    }
    if (method !== "POST") return json(405, { error: `${method} is not supported; Okta uses GET and POST` });

    if (!isAuthorized(event.headers.authorization, await deps.hookSecrets())) {
      metrics.addMetric("HookUnauthorized", MetricUnit.Count, 1);
      logger.warn("rejected a delivery with a wrong or missing Authorization header");
      return json(401, { error: "the Authorization header does not match the configured hook secret" });
    }
    const raw = event.body ?? "";
    const text = event.isBase64Encoded ? Buffer.from(raw, "base64").toString("utf8") : raw;
    if (Buffer.byteLength(text, "utf8") > maxBodyBytes) {
      return json(413, { error: `body exceeds ${maxBodyBytes} bytes` });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      return json(400, { error: `body is not valid JSON: ${(error as Error).message}` });
    }
    const result = await ingestDelivery(body, context, deps);
    if ("received" in result.body) {
      const s = result.body;
      metrics.addMetric("EventsReceived", MetricUnit.Count, s.received);
      metrics.addMetric("EventsPublished", MetricUnit.Count, s.published.length);
      metrics.addMetric("EventsDuplicate", MetricUnit.Count, s.duplicates.length);
      metrics.addMetric("EventsIgnored", MetricUnit.Count, s.ignored.length);
      metrics.addMetric("EventsInvalid", MetricUnit.Count, s.invalid.length);
      metrics.addMetric("EventsPublishFailed", MetricUnit.Count, s.failed.length);
      logger.info("delivery processed", { summary: s });
    }
    return json(result.status, result.body);
  };

  return middy<unknown, APIGatewayProxyStructuredResultV2>()
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics))
    .use(parser({ schema: APIGatewayProxyEventV2Schema, safeParse: true }))
    .handler(handle as never);
}
