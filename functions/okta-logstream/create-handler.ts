import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { parseLogEvent, rawEventId } from "../../core/okta/log-event.ts";
import { detectInputShape } from "../../core/okta/parse-input.ts";
import {
  type IngestDeps,
  type IngestSummary,
  ingestLogEvents,
  type ReceivedLogEvent,
} from "../../usecases/ingest/ingest-log-events.ts";

export interface OktaLogStreamDeps extends IngestDeps {
  logger: Logger;
  metrics: Metrics;
}

/** Thrown when an accepted event could not be published, so EventBridge retries the invocation. */
export class LogStreamPublishError extends Error {
  override name = "LogStreamPublishError";
}

/** The partner event as far as it matters here; everything is validated before use. */
type PartnerEvent = { detail?: unknown };

/**
 * Target of the rule on Okta's partner event bus (`source` `aws.partner/okta.com/...`,
 * `detail-type` `SystemLog`, `detail` one LogEvent). Validates and normalizes the LogEvent with the
 * same core as the hook, publishes through the same idempotent publisher (a LogEvent the hook or the
 * poller already published is a duplicate: one run), and accounts for it. An invalid or irrelevant
 * event is answered normally (a retry cannot fix it); a failed publish throws, so EventBridge's
 * retry policy (then the rule's dead-letter queue) takes over.
 */
export function createOktaLogStreamHandler(deps: OktaLogStreamDeps) {
  const { logger, metrics } = deps;
  const handle = async (event: PartnerEvent, context: Context): Promise<IngestSummary> => {
    const entry = receive(event);
    const s = await ingestLogEvents([entry], "log-stream", context, deps);
    metrics.addMetric("EventsReceived", MetricUnit.Count, s.received);
    metrics.addMetric("EventsPublished", MetricUnit.Count, s.published.length);
    metrics.addMetric("EventsDuplicate", MetricUnit.Count, s.duplicates.length);
    metrics.addMetric("EventsIgnored", MetricUnit.Count, s.ignored.length);
    metrics.addMetric("EventsInvalid", MetricUnit.Count, s.invalid.length);
    metrics.addMetric("EventsStale", MetricUnit.Count, s.stale.length);
    metrics.addMetric("EventsFutureDated", MetricUnit.Count, s.futureDated.length);
    metrics.addMetric("EventsPublishFailed", MetricUnit.Count, s.failed.length);
    if (s.invalid.length > 0) logger.warn("Log Streaming event failed validation", { invalid: s.invalid });
    if (s.failed.length > 0) {
      throw new LogStreamPublishError(`could not publish Okta event ${s.failed.join(", ")}; retrying`);
    }
    logger.info("Log Streaming event processed", { summary: s });
    return s;
  };
  return middy<PartnerEvent, IngestSummary>()
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics))
    .handler(handle);
}

/** The event's LogEvent, validated; an event that is not Okta's `SystemLog` shape is invalid as a whole. */
function receive(event: unknown): ReceivedLogEvent {
  if (detectInputShape(event) !== "eventbridge-system-log") {
    return {
      index: 0,
      success: false,
      errors: [
        {
          path: "(root)",
          message:
            'expected an Okta Log Streaming event: source "aws.partner/okta.com/...", detail-type "SystemLog"',
        },
      ],
    };
  }
  const detail = (event as PartnerEvent).detail;
  const parsed = parseLogEvent(detail, "detail");
  if (parsed.success) return { index: 0, success: true, event: parsed.data };
  const oktaEventId = rawEventId(detail);
  return {
    index: 0,
    success: false,
    ...(oktaEventId === undefined ? {} : { oktaEventId }),
    errors: parsed.errors,
  };
}
