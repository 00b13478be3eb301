import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { parser } from "@aws-lambda-powertools/parser/middleware";
import { APIGatewayProxyEventV2Schema } from "@aws-lambda-powertools/parser/schemas";
import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { checkJsonLimits, DEFAULT_JSON_LIMITS, type JsonLimits } from "../../core/ingress/json-limits.ts";
import { type HookIngestDeps, ingestDelivery } from "../../usecases/ingest/ingest-hook-delivery.ts";
import { isAuthorized } from "./authorize.ts";

export interface OktaHookDeps extends HookIngestDeps {
  logger: Logger;
  metrics: Metrics;
  /** The active hook secrets (current and, during a rotation, next); rejects when none can be read. */
  hookSecrets: () => Promise<string[]>;
  /** Largest body accepted, in bytes. @default 1 MiB */
  maxBodyBytes?: number;
  /** Nesting and array-length limits checked before the body is parsed. @default DEFAULT_JSON_LIMITS */
  jsonLimits?: Partial<JsonLimits>;
}

/**
 * Longest `X-Okta-Verification-Challenge` answered. Okta's challenge is a short random token (tens of
 * characters); the value is echoed back, so a long one is refused rather than reflected.
 */
export const MAX_CHALLENGE_LENGTH = 256;

/** Every answer is JSON, and says so firmly: `nosniff` stops a browser from reading it as anything else. */
const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { "content-type": "application/json", "x-content-type-options": "nosniff" },
  body: JSON.stringify(body),
});

/** `application/json` or any `+json` media type, with or without parameters (`; charset=utf-8`). */
const isJsonMediaType = (value: string | undefined) =>
  /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(value?.trim() ?? "");

/**
 * The API Gateway (HTTP API) handler behind `GET|POST /okta/events`. GET answers Okta's one-time
 * verification; POST authenticates, checks the media type, size and JSON shape limits, validates,
 * normalizes, deduplicates and publishes. Every refusal of a bad request is a 4xx (Okta never retries
 * those); a 5xx only ever means we could not check the secret or publish an accepted event.
 */
export function createOktaHookHandler(deps: OktaHookDeps) {
  const { logger, metrics } = deps;
  const maxBodyBytes = deps.maxBodyBytes ?? 1024 * 1024;
  const limits: JsonLimits = { ...DEFAULT_JSON_LIMITS, ...deps.jsonLimits };

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
      if (challenge.length > MAX_CHALLENGE_LENGTH) {
        metrics.addMetric("HookRejected", MetricUnit.Count, 1);
        return json(400, {
          error: `X-Okta-Verification-Challenge must be at most ${MAX_CHALLENGE_LENGTH} characters`,
        });
      }
      metrics.addMetric("HookVerifications", MetricUnit.Count, 1);
      logger.info("answered Okta's verification challenge");
      return json(200, { verification: challenge });
    }
    if (method !== "POST") return json(405, { error: `${method} is not supported; Okta uses GET and POST` });

    let secrets: string[];
    try {
      secrets = await deps.hookSecrets();
    } catch (error) {
      // Never the error's text: it could quote what the secret store returned.
      logger.error("could not read the hook secrets", { errorName: (error as Error).name });
      return json(503, { error: "the hook secrets could not be read; retry later" });
    }
    if (!isAuthorized(event.headers.authorization, secrets)) {
      metrics.addMetric("HookUnauthorized", MetricUnit.Count, 1);
      logger.warn("rejected a delivery with a wrong or missing Authorization header");
      return json(401, { error: "the Authorization header does not match the configured hook secret" });
    }
    if (!isJsonMediaType(event.headers["content-type"])) {
      metrics.addMetric("HookRejected", MetricUnit.Count, 1);
      return json(415, { error: "Content-Type must be application/json" });
    }
    const raw = event.body ?? "";
    const text = event.isBase64Encoded ? Buffer.from(raw, "base64").toString("utf8") : raw;
    if (Buffer.byteLength(text, "utf8") > maxBodyBytes) {
      metrics.addMetric("HookRejected", MetricUnit.Count, 1);
      return json(413, { error: `body exceeds ${maxBodyBytes} bytes` });
    }
    const violation = checkJsonLimits(text, limits);
    if (violation !== null) {
      metrics.addMetric("HookRejected", MetricUnit.Count, 1);
      return json(400, { error: `body exceeds a JSON limit: ${violation.message}`, limit: violation.limit });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      return json(400, { error: `body is not valid JSON: ${(error as Error).message}` });
    }
    const result = await ingestDelivery(body, context, deps);
    if (result.status === 400) {
      metrics.addMetric("HookRejected", MetricUnit.Count, 1);
      logger.warn("rejected a delivery", { error: result.body });
    }
    if ("received" in result.body) {
      const s = result.body;
      metrics.addMetric("EventsReceived", MetricUnit.Count, s.received);
      metrics.addMetric("EventsPublished", MetricUnit.Count, s.published.length);
      metrics.addMetric("EventsDuplicate", MetricUnit.Count, s.duplicates.length);
      metrics.addMetric("EventsIgnored", MetricUnit.Count, s.ignored.length);
      metrics.addMetric("EventsInvalid", MetricUnit.Count, s.invalid.length);
      metrics.addMetric("EventsStale", MetricUnit.Count, s.stale.length);
      metrics.addMetric("EventsFutureDated", MetricUnit.Count, s.futureDated.length);
      metrics.addMetric("EventsPublishFailed", MetricUnit.Count, s.failed.length);
      logger.info("delivery processed", { summary: s });
    }
    return json(result.status, result.body);
  };

  return (
    middy<unknown, APIGatewayProxyStructuredResultV2>()
      // logEvent stays off whatever POWERTOOLS_LOGGER_LOG_EVENT says: the event carries the secret.
      .use(injectLambdaContext(logger, { logEvent: false }))
      .use(logMetrics(metrics))
      .use(parser({ schema: APIGatewayProxyEventV2Schema, safeParse: true }))
      .handler(handle as never)
  );
}
