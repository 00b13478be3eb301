import { LIFECYCLE_EVENT_TYPES } from "../../core/okta/event-types.ts";

/**
 * The System Log `filter` expression selecting the given event types
 * (`eventType eq "user.lifecycle.create" or eventType eq "..."`), for the poller's first request.
 * Values are JSON-quoted, as Okta's SCIM filter syntax requires.
 * @default every lifecycle event type (`LIFECYCLE_EVENT_TYPES`)
 */
export function eventTypeFilter(eventTypes: readonly string[] = LIFECYCLE_EVENT_TYPES): string {
  if (eventTypes.length === 0) throw new Error("eventTypeFilter needs at least one event type");
  return eventTypes.map((eventType) => `eventType eq ${JSON.stringify(eventType)}`).join(" or ");
}
