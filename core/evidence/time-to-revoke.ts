import type { RunRecord } from "./record.ts";

/** How long a leaver kept access, measured from the moment Okta published the triggering event. */
export interface TimeToRevoke {
  /** Milliseconds from `oktaPublished` to `denyInForce` (live sessions denied); `null` if either is missing. */
  toDenyInForceMs: number | null;
  /** Milliseconds from `oktaPublished` to `accessRemoved` (every assignment gone); `null` if either is missing. */
  toAccessRemovedMs: number | null;
}

/**
 * The time-to-revoke of a run, from its recorded timings. Differences are reported as measured: the
 * instants come from different clocks (Okta's and ours), so a small negative value means skew, not speed.
 */
export function timeToRevoke(record: RunRecord): TimeToRevoke {
  const { oktaPublished, denyInForce, accessRemoved } = record.body.timings;
  const since = (instant: string | undefined): number | null =>
    oktaPublished === undefined || instant === undefined
      ? null
      : Date.parse(instant) - Date.parse(oktaPublished);
  return { toDenyInForceMs: since(denyInForce), toAccessRemovedMs: since(accessRemoved) };
}
