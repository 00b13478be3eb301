import type { Context } from "aws-lambda";
import type { PublishOutcome } from "../../adapters/idempotent-publisher.ts";
import type { IngressChannel, LifecycleBusDetail } from "../../adapters/lifecycle-bus.ts";
import type { FieldErrors } from "../../core/field-error.ts";
import type { LifecycleEvent } from "../../core/okta/lifecycle-event.ts";
import type { LogEvent } from "../../core/okta/log-event.ts";
import { type NormalizeOptions, normalize } from "../../core/okta/normalize.ts";
import {
  arrivalOf,
  DEFAULT_MAX_CLOCK_SKEW_SECONDS,
  DEFAULT_MAX_EVENT_AGE_SECONDS,
} from "../../core/okta/staleness.ts";

/** One LogEvent as a channel received it: validated by core/okta, or the problems found. */
export type ReceivedLogEvent =
  | { index: number; success: true; event: LogEvent }
  | { index: number; success: false; oktaEventId?: string; errors: FieldErrors };

/** Every event a channel received, accounted for: each id is in exactly one list. */
export interface IngestSummary {
  received: number;
  published: string[];
  /** Already published by this or another channel (the same LogEvent `uuid`). */
  duplicates: string[];
  /** Accepted but not published (the caller makes Okta, EventBridge or the next poll retry). */
  failed: string[];
  /** Valid events that change no access, with the reason (unsupported type, not SUCCESS, other app). */
  ignored: { oktaEventId: string; eventType: string; reasonCode: string }[];
  /** Events that failed validation: never published. */
  invalid: { index: number; oktaEventId?: string; path: string; message: string }[];
  /**
   * Ids of accepted events older than the configured age on arrival, or dated in the future beyond
   * the clock-skew allowance (also in one list above).
   */
  stale: string[];
  /** Ids of accepted events Okta dated in the future beyond the allowance (also in `stale`): published dated when received. */
  futureDated: string[];
}

export interface IngestDeps {
  normalizeOptions: NormalizeOptions;
  publish: (details: readonly LifecycleBusDetail[], context: Context) => Promise<PublishOutcome[]>;
  /** ISO-8601 now: the `receivedAt` of what is published. */
  now: () => string;
  /** Events older than this on arrival are published with a `stale` flag. @default 900 */
  maxEventAgeSeconds?: number;
  /** Events dated further than this in the future are flagged and dated `receivedAt`. @default 300 */
  maxClockSkewSeconds?: number;
}

/**
 * The one ingress path the three channels share: normalize each validated LogEvent with core/okta,
 * publish the lifecycle events through the idempotent publisher (deduplicated on the LogEvent
 * `uuid` across channels), flag stale and future-dated ones, and account for every event. A malformed
 * event never sinks the valid ones, and an event that failed validation is never published. An event
 * dated beyond the clock-skew allowance in the future is published dated `receivedAt`
 * (core/okta/staleness.ts `arrivalOf`), so Okta's future instant never becomes a Deny's `issuedBefore`.
 */
export async function ingestLogEvents(
  entries: readonly ReceivedLogEvent[],
  channel: IngressChannel,
  context: Context,
  deps: IngestDeps,
): Promise<IngestSummary> {
  const summary: IngestSummary = {
    received: entries.length,
    published: [],
    duplicates: [],
    failed: [],
    ignored: [],
    invalid: [],
    stale: [],
    futureDated: [],
  };
  const accepted: LifecycleEvent[] = [];
  for (const entry of entries) {
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
      const { oktaEventId, eventType, reasonCode } = result;
      summary.ignored.push({ oktaEventId, eventType, reasonCode });
    } else if (result.kind === "invalid") {
      summary.invalid.push({ index: entry.index, oktaEventId: result.oktaEventId, ...result.error });
    } else {
      accepted.push(result);
    }
  }
  if (accepted.length === 0) return summary;
  const receivedAt = deps.now();
  const bounds = {
    maxAgeSeconds: deps.maxEventAgeSeconds ?? DEFAULT_MAX_EVENT_AGE_SECONDS,
    maxSkewSeconds: deps.maxClockSkewSeconds ?? DEFAULT_MAX_CLOCK_SKEW_SECONDS,
  };
  const details = accepted.map((event): LifecycleBusDetail => {
    const { published, stale, futureSeconds } = arrivalOf(event.published, receivedAt, bounds);
    if (stale !== null) summary.stale.push(event.oktaEventId);
    if (futureSeconds !== null) summary.futureDated.push(event.oktaEventId);
    const dated = published === event.published ? event : { ...event, published };
    return { event: dated, channel, receivedAt, ...(stale === null ? {} : { stale }) };
  });
  const outcomes = await deps.publish(details, context);
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
  return summary;
}
