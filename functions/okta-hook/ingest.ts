import type { Context } from "aws-lambda";
import type { PublishOutcome } from "../../adapters/idempotent-publisher.ts";
import type { LifecycleBusDetail } from "../../adapters/lifecycle-bus.ts";
import { parseHookBody } from "../../core/okta/hook-envelope.ts";
import type { LifecycleEvent } from "../../core/okta/lifecycle-event.ts";
import { type NormalizeOptions, normalize } from "../../core/okta/normalize.ts";

/** Every event of a delivery, accounted for. */
export interface DeliverySummary {
  received: number;
  published: string[];
  duplicates: string[];
  failed: string[];
  ignored: { oktaEventId: string; eventType: string; reasonCode: string }[];
  invalid: { index: number; oktaEventId?: string; path: string; message: string }[];
}

export interface IngestResult {
  status: 200 | 400 | 503;
  body: DeliverySummary | { error: string; path?: string };
}

export interface IngestDeps {
  normalizeOptions: NormalizeOptions;
  publish: (details: readonly LifecycleBusDetail[], context: Context) => Promise<PublishOutcome[]>;
  now: () => string;
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
  const summary: DeliverySummary = {
    received: parsed.data.events.length,
    published: [],
    duplicates: [],
    failed: [],
    ignored: [],
    invalid: [],
  };
  const accepted: LifecycleEvent[] = [];
  for (const entry of parsed.data.events) {
    if (!entry.success) {
      const [first] = entry.errors;
      summary.invalid.push({
        index: entry.index,
        ...(entry.oktaEventId ? { oktaEventId: entry.oktaEventId } : {}),
        path: first.path,
        message: first.message,
      });
      continue;
    }
    const result = normalize(entry.event, deps.normalizeOptions);
    if (result.kind === "ignored") {
      summary.ignored.push({
        oktaEventId: result.oktaEventId,
        eventType: result.eventType,
        reasonCode: result.reasonCode,
      });
    } else if (result.kind === "invalid") {
      summary.invalid.push({ index: entry.index, oktaEventId: result.oktaEventId, ...result.error });
    } else {
      accepted.push(result);
    }
  }
  const receivedAt = deps.now();
  const outcomes = await deps.publish(
    accepted.map((event) => ({ event, channel: "hook", receivedAt })),
    context,
  );
  accepted.forEach((event, i) => {
    const outcome = outcomes[i] ?? "failed";
    const list =
      outcome === "published"
        ? summary.published
        : outcome === "duplicate"
          ? summary.duplicates
          : summary.failed;
    list.push(event.oktaEventId);
  });
  return { status: summary.failed.length > 0 ? 503 : 200, body: summary };
}
