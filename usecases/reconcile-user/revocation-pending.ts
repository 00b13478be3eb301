import type { UserRunState } from "./run-state.ts";

/**
 * The EMF metric a leaver run emits each time ApplyDeny starts, in seconds since Okta published the
 * event: how long the revocation has been pending. Time-to-revoke (revocation-timing.ts) is only
 * emitted once the Deny is in force, so a run stuck in ApplyDeny's retries never reports it;
 * infra/alarms.ts alarms when this age passes the SLA, while the run is still trying.
 */
export const REVOCATION_PENDING_METRIC = "RevocationPendingSeconds";

/**
 * The age of a leaver's pending revocation at `now`, or undefined for a run that revokes nothing (an
 * adjusting mover's Deny is not a leaver's SLA) or whose event time is unreadable. A small negative
 * value is clock skew between Okta and us, reported as measured.
 */
export function revocationPendingSeconds(state: UserRunState, now: string): number | undefined {
  if (state.lift !== undefined || state.plan?.decision !== "revoke") return undefined;
  const seconds = (Date.parse(now) - Date.parse(state.trigger.event.published)) / 1000;
  return Number.isFinite(seconds) ? seconds : undefined;
}
