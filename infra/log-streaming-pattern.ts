/**
 * The Log Streaming rule's event pattern: the Okta partner source and the lifecycle event types, and
 * nothing about `detail-type`. Okta's Log Streaming documentation shows no sample event, and public
 * write-ups disagree on the `detail-type` Okta's partner source sets (issue 15): a rule that named one
 * would match nothing if Okta uses another, and the second net would be silently off. The source is
 * the partner event source the deployment names, and `detail.eventType` is the LogEvent's own field,
 * so those two are enough. Pure (no sst globals) so tests can evaluate it.
 */
import { LIFECYCLE_EVENT_TYPES } from "../core/okta/event-types.ts";

export function logStreamingPattern(source: string) {
  return {
    source: [source],
    detail: { eventType: [...LIFECYCLE_EVENT_TYPES] },
  };
}
