import { errorText } from "../../core/error-text.ts";
import type { OktaUserPort } from "../../core/ports.ts";
import { isTransient } from "../shared/dependency-unavailable.ts";
import { need, type UserRunState } from "./run-state.ts";

/**
 * Task ClearOktaSessions: ends the leaver's Okta sessions so no new AWS sign-in can start from them.
 * (Existing AWS role sessions are what the Deny is for; portal sessions can only be ended in the console.)
 * A refused clear (403: the token may not manage users, 4xx) is recorded and the run goes on to verify
 * and write evidence; a transient failure is retried by the workflow.
 */
export function clearOktaSessions(deps: { okta: OktaUserPort; now: () => string }) {
  return async (state: UserRunState) => {
    if (need(state.plan, "plan").decision !== "revoke") return { skipped: "not a leaver" };
    if (!need(state.truth, "truth").okta.found) return { skipped: "the user no longer exists in Okta" };
    try {
      await deps.okta.clearUserSessions(state.user.id);
    } catch (error) {
      if (isTransient(error)) throw error;
      return { failed: errorText(error) };
    }
    return { clearedAt: deps.now() };
  };
}
