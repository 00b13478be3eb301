import { OktaRateLimitError } from "../../adapters/okta.ts";
import { errorText } from "../../core/error-text.ts";
import type { OktaUserPort } from "../../core/ports.ts";
import { isTransient } from "../shared/dependency-unavailable.ts";
import { need, type UserRunHead, type UserRunState } from "./run-state.ts";

/**
 * How long in all a clear may keep yielding Okta's rate limit to the reads that revoke, in the
 * workflow's Wait state, before it goes back to the patient retry (and past that, to a recorded failure).
 * A layoff's reads fill the `/api/v1/users/{id}` bucket for about as long as the deactivations come.
 */
export const CLEAR_SESSIONS_MAX_YIELD_MS = 15 * 60_000;

/**
 * Task ClearOktaSessions: ends the leaver's Okta sessions so no new AWS sign-in can start from them.
 * (Existing AWS role sessions are what the Deny is for; portal sessions can only be ended in the console.)
 * A refused clear (403: the token may not manage users, 4xx) is recorded and the run goes on to verify
 * and write evidence; a transient failure is retried by the workflow.
 *
 * A clear yields the bucket it shares with the leavers' reads (adapters/okta/rate-limit-headroom.ts).
 * When the client says room comes later than it may wait in the Lambda, having sent nothing, the task
 * returns that wait and the workflow's Wait state sleeps exactly so long, holding no Lambda, then asks
 * again: the clears take the room as it comes (a blind retry backoff of up to a minute left much of a
 * window's room unused). Whole seconds (a Wait state's `SecondsPath` names a number of seconds:
 * docs.aws.amazon.com/step-functions/latest/dg/state-wait.html), rounded up, so a herd of clears
 * deferred to one moment wakes spread over the second after it rather than before it.
 */
export function clearOktaSessions(deps: { okta: OktaUserPort; now: () => string }) {
  return async (state: UserRunHead): Promise<NonNullable<UserRunState["oktaSessions"]>> => {
    if (need(state.plan, "plan").decision !== "revoke") return { skipped: "not a leaver" };
    if (!need(state.truth, "truth").okta.found) return { skipped: "the user no longer exists in Okta" };
    try {
      await deps.okta.clearUserSessions(state.user.id);
    } catch (error) {
      const wait = roomComesIn(error);
      if (wait !== undefined) {
        const now = deps.now();
        // A previous pass through the Wait state says since when this clear has been yielding.
        const since = state.oktaSessions?.yieldingSince ?? now;
        if (Date.parse(now) - Date.parse(since) + wait <= CLEAR_SESSIONS_MAX_YIELD_MS)
          return { waitSeconds: Math.max(1, Math.ceil(wait / 1000)), yieldingSince: since };
      }
      if (isTransient(error)) throw error;
      return { failed: errorText(error) };
    }
    return { clearedAt: deps.now() };
  };
}

/** The wait for room the client computed when it yielded without sending anything, if that is the error. */
function roomComesIn(error: unknown): number | undefined {
  if (!(error instanceof OktaRateLimitError) || error.attempts !== 0 || error.waitMs === null)
    return undefined;
  return error.waitMs;
}
