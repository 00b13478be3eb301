/** How late an event reached the pipeline, when that is later than the configured age. */
export interface StaleFlag {
  /** Seconds between Okta's `published` and our `receivedAt` (rounded down). */
  ageSeconds: number;
  /** The configured age past which an event is flagged. */
  maxAgeSeconds: number;
}

/**
 * Replay protection beyond idempotency: an event published longer than `maxAgeSeconds` before it was
 * received is still accepted (a long Okta delay or a backlog the poller catches up on must never be
 * dropped: events are hints, the run reads the truth) but flagged, so the evidence shows that the
 * trigger may be a replay. Returns `null` for a timely event (or one dated in the future, which clock
 * skew explains). Both instants are ISO-8601 strings the schemas already validated.
 */
export function staleFlag(published: string, receivedAt: string, maxAgeSeconds: number): StaleFlag | null {
  const ageSeconds = Math.floor((Date.parse(receivedAt) - Date.parse(published)) / 1000);
  return ageSeconds > maxAgeSeconds ? { ageSeconds, maxAgeSeconds } : null;
}

/**
 * Okta delivers a hook within seconds and retries within minutes, and the poller runs every 5
 * minutes: an event older than 15 minutes on arrival is unusual enough to say so in evidence.
 */
export const DEFAULT_MAX_EVENT_AGE_SECONDS = 900;
