import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { type PollDeps, type PollSummary, pollSystemLog } from "../../usecases/ingest/poll-system-log.ts";

export interface OktaLogPollDeps extends PollDeps {
  logger: Logger;
  metrics: Metrics;
}

/**
 * The scheduled System Log poller (EventBridge Scheduler, every 5 minutes by default; the schedule's
 * event carries nothing the poll needs). Each run is accounted for in metrics and one log line; a
 * publish failure is logged as an error and left to the next run (the cursor did not pass it).
 */
export function createOktaLogPollHandler(deps: OktaLogPollDeps) {
  const { logger, metrics } = deps;
  const handle = async (_event: unknown, context: Context): Promise<PollSummary> => {
    const s = await pollSystemLog(deps, context);
    metrics.addMetric("PollPages", MetricUnit.Count, s.pages);
    metrics.addMetric("EventsReceived", MetricUnit.Count, s.received);
    metrics.addMetric("EventsPublished", MetricUnit.Count, s.published.length);
    metrics.addMetric("EventsDuplicate", MetricUnit.Count, s.duplicates.length);
    metrics.addMetric("EventsIgnored", MetricUnit.Count, s.ignored.length);
    metrics.addMetric("EventsInvalid", MetricUnit.Count, s.invalid.length);
    metrics.addMetric("EventsStale", MetricUnit.Count, s.stale.length);
    metrics.addMetric("EventsFutureDated", MetricUnit.Count, s.futureDated.length);
    metrics.addMetric("EventsPublishFailed", MetricUnit.Count, s.failed.length);
    const line = {
      pages: s.pages,
      received: s.received,
      published: s.published.length,
      duplicates: s.duplicates.length,
      ignored: s.ignored.length,
      invalid: s.invalid.length,
      stale: s.stale.length,
      futureDated: s.futureDated.length,
      startedFrom: s.startedFrom,
      stoppedBecause: s.stoppedBecause,
    };
    if (s.failed.length > 0) logger.error("System Log poll could not publish; the next run retries", line);
    else logger.info("System Log poll", line);
    return s;
  };
  return middy<unknown, PollSummary>()
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics))
    .handler(handle);
}
