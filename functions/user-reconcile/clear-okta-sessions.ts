import type { OktaUserPort } from "../../core/ports.ts";
import { need, type UserRunState } from "./run-state.ts";

/**
 * Task ClearOktaSessions: ends the leaver's Okta sessions so no new AWS sign-in can start from them.
 * (Existing AWS role sessions are what the Deny is for; portal sessions can only be ended in the console.)
 */
export function clearOktaSessions(deps: { okta: OktaUserPort; now: () => string }) {
  return async (state: UserRunState) => {
    if (need(state.plan, "plan").decision !== "revoke") return { skipped: "not a leaver" };
    if (!need(state.truth, "truth").okta.found) return { skipped: "the user no longer exists in Okta" };
    await deps.okta.clearUserSessions(state.user.id);
    return { clearedAt: deps.now() };
  };
}
