import { type EnforceDeniesDeps, enforceDenies } from "./enforce-denies.ts";
import { need, type UserRunState } from "./run-state.ts";

/** Task LiftDeny: after the hold, removes this run's Deny from the ledger and re-renders the policies. */
export function liftDenies(deps: EnforceDeniesDeps) {
  return async (state: UserRunState) => {
    const denyId = need(need(state.deny, "deny").denyId, "deny id");
    await deps.ledger.remove(denyId);
    const enforced = await enforceDenies(deps);
    return { liftedAt: enforced.at, reprovisions: enforced.reprovisions };
  };
}
