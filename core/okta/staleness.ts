/** How late an event reached the pipeline, when that is later than the configured age. */
export interface StaleFlag {
  /**
   * Seconds between the event's `published` and our `receivedAt` (rounded down). 0 for an event Okta
   * dated in the future beyond the clock-skew allowance: its `published` became `receivedAt`
   * (see {@link arrivalOf}), and the flag marks it as suspect all the same.
   */
  ageSeconds: number;
  /** The configured age past which an event is flagged. */
  maxAgeSeconds: number;
}

/**
 * Replay protection beyond idempotency: an event published longer than `maxAgeSeconds` before it was
 * received is still accepted (a long Okta delay or a backlog the poller catches up on must never be
 * dropped: events are hints, the run reads the truth) but flagged, so the evidence shows that the
 * trigger may be a replay. Returns `null` for a timely event, or one dated in the future (see
 * {@link arrivalOf} for those). Both instants are ISO-8601 strings the schemas already validated.
 */
export function staleFlag(published: string, receivedAt: string, maxAgeSeconds: number): StaleFlag | null {
  const ageSeconds = Math.floor((Date.parse(receivedAt) - Date.parse(published)) / 1000);
  return ageSeconds > maxAgeSeconds ? { ageSeconds, maxAgeSeconds } : null;
}

/** What ingress records about when an event arrived. */
export interface Arrival {
  /**
   * The `published` the lifecycle event carries: Okta's, or `receivedAt` when Okta's lies further in
   * the future than the clock-skew allowance. A run uses it as the instant of the change (a session-tag
   * change denies the sessions issued before it), so a future instant must never reach it: it would
   * deny the user's new sessions too, until then.
   */
  published: string;
  /** Set for an old event, and for one dated in the future beyond the allowance. */
  stale: StaleFlag | null;
  /** How far in the future Okta's `published` was (whole seconds), when beyond the allowance. */
  futureSeconds: number | null;
}

/** Bounds of {@link arrivalOf}. */
export interface ArrivalOptions {
  /** @default DEFAULT_MAX_EVENT_AGE_SECONDS */
  maxAgeSeconds: number;
  /** How far in the future `published` may be and still be taken as clock skew. @default 300 */
  maxSkewSeconds: number;
}

/**
 * Checks an event's `published` against the instant it was received: an old event is flagged stale;
 * one dated more than `maxSkewSeconds` in the future is flagged too, and dated `receivedAt` instead
 * (the latest instant by which the change had happened), so a forged or broken clock can never push
 * a Deny's `issuedBefore` into the future.
 */
export function arrivalOf(published: string, receivedAt: string, options: ArrivalOptions): Arrival {
  const aheadMs = Date.parse(published) - Date.parse(receivedAt);
  if (aheadMs > options.maxSkewSeconds * 1000) {
    return {
      published: new Date(receivedAt).toISOString(),
      stale: { ageSeconds: 0, maxAgeSeconds: options.maxAgeSeconds },
      futureSeconds: Math.floor(aheadMs / 1000),
    };
  }
  return { published, stale: staleFlag(published, receivedAt, options.maxAgeSeconds), futureSeconds: null };
}

/**
 * Okta delivers a hook within seconds and retries within minutes, and the poller runs every 5
 * minutes: an event older than 15 minutes on arrival is unusual enough to say so in evidence.
 */
export const DEFAULT_MAX_EVENT_AGE_SECONDS = 900;

/**
 * Okta's clock and ours may disagree by a little (NTP keeps both within well under a second); five
 * minutes, the allowance AWS Signature Version 4 gives a request's date, is generous.
 */
export const DEFAULT_MAX_CLOCK_SKEW_SECONDS = 300;
