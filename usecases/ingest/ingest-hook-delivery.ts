import type { Context } from "aws-lambda";
import { MAX_EVENTS_PER_DELIVERY, parseHookBody } from "../../core/okta/hook-envelope.ts";
import { type IngestDeps, type IngestSummary, ingestLogEvents } from "./ingest-log-events.ts";

/** Every event of a delivery, accounted for. */
export type DeliverySummary = IngestSummary;
export type { IngestDeps } from "./ingest-log-events.ts";

/** What the hook adds to the shared ingest path. */
export interface HookIngestDeps extends IngestDeps {
  /** Most events one delivery may carry; more is a 400 that changes nothing. @default MAX_EVENTS_PER_DELIVERY (100) */
  maxEventsPerDelivery?: number;
}

export interface IngestResult {
  status: 200 | 400 | 503;
  body: DeliverySummary | { error: string; path?: string; limit?: number };
}

/**
 * Validates and normalizes an event hook body and publishes its lifecycle events. A malformed event
 * does not sink the valid ones: each is accounted for. 400 only when the body as a whole is unusable
 * (an invalid envelope, or more events than one delivery carries; Okta never retries a 4xx) and then
 * nothing is published; 503 when an accepted event could not be published (so Okta retries, and the
 * events already published are deduplicated).
 */
export async function ingestDelivery(
  json: unknown,
  context: Context,
  deps: HookIngestDeps,
): Promise<IngestResult> {
  const maxEvents = deps.maxEventsPerDelivery ?? MAX_EVENTS_PER_DELIVERY;
  const parsed = parseHookBody(json, { maxEvents });
  if (!parsed.success) {
    const [first] = parsed.errors;
    const oversized = first.path === "data.events" && eventCount(json) > maxEvents;
    return {
      status: 400,
      body: {
        error: `not an Okta event hook body: ${first.path}: ${first.message}`,
        path: first.path,
        ...(oversized ? { limit: maxEvents } : {}),
      },
    };
  }
  const summary = await ingestLogEvents(parsed.data.events, "hook", context, deps);
  return { status: summary.failed.length > 0 ? 503 : 200, body: summary };
}

/** The length of `data.events` when it is an array (0 otherwise). */
function eventCount(json: unknown): number {
  const data = typeof json === "object" && json !== null && "data" in json ? json.data : undefined;
  const events = typeof data === "object" && data !== null && "events" in data ? data.events : undefined;
  return Array.isArray(events) ? events.length : 0;
}
