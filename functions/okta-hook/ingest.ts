import type { Context } from "aws-lambda";
import { parseHookBody } from "../../core/okta/hook-envelope.ts";
import { type IngestDeps, type IngestSummary, ingestLogEvents } from "../shared/ingest-log-events.ts";

/** Every event of a delivery, accounted for. */
export type DeliverySummary = IngestSummary;
export type { IngestDeps } from "../shared/ingest-log-events.ts";

export interface IngestResult {
  status: 200 | 400 | 503;
  body: DeliverySummary | { error: string; path?: string };
}

/**
 * Validates and normalizes an event hook body and publishes its lifecycle events. A malformed event
 * does not sink the valid ones: each is accounted for. 400 only when the body as a whole is unusable
 * (Okta never retries a 4xx); 503 when an accepted event could not be published (so Okta retries,
 * and the events already published are deduplicated).
 */
export async function ingestDelivery(
  json: unknown,
  context: Context,
  deps: IngestDeps,
): Promise<IngestResult> {
  const parsed = parseHookBody(json);
  if (!parsed.success) {
    const [first] = parsed.errors;
    return {
      status: 400,
      body: { error: `not an Okta event hook body: ${first.path}: ${first.message}`, path: first.path },
    };
  }
  const summary = await ingestLogEvents(parsed.data.events, "hook", context, deps);
  return { status: summary.failed.length > 0 ? 503 : 200, body: summary };
}
