import type { UserRunState } from "./run-state.ts";

/** The EMF metric of a revoking run, in seconds (infra/alarms.ts alarms on it above the SLA). */
export const TIME_TO_REVOKE_METRIC = "TimeToRevokeSeconds";
/** Seconds from Okta's event to every assignment and membership verified gone. */
export const TIME_TO_ACCESS_REMOVED_METRIC = "TimeToAccessRemovedSeconds";

/**
 * The time-to-revoke of a run that revoked (not its later lift record): Okta published -> Deny in
 * force, and -> access verified removed when verification passed. Differences of instants from two
 * clocks (Okta's and ours): a small negative value is skew, reported as measured.
 */
export function revocationTimings(state: UserRunState): { name: string; seconds: number }[] {
  if (state.lift !== undefined || state.credentialLift !== undefined) return [];
  if (state.plan?.decision !== "revoke" || state.deny === undefined) return [];
  const published = Date.parse(state.trigger.event.published);
  const since = (instant: string) => (Date.parse(instant) - published) / 1000;
  return [
    { name: TIME_TO_REVOKE_METRIC, seconds: since(state.deny.inForceAt) },
    ...(state.verification?.passed
      ? [{ name: TIME_TO_ACCESS_REMOVED_METRIC, seconds: since(state.verification.verifiedAt) }]
      : []),
  ].filter((t) => Number.isFinite(t.seconds));
}
