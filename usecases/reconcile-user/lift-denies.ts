import { type EnforceDeniesDeps, enforceDenies } from "./enforce-denies.ts";
import { need, type UserRunState } from "./run-state.ts";

/** Task LiftDeny: after the hold, removes this run's Denies from the ledger and re-renders the policies. */
export function liftDenies(deps: EnforceDeniesDeps) {
  return async (state: UserRunState) => {
    for (const denyId of need(need(state.deny, "deny").denyIds, "deny ids")) await deps.ledger.remove(denyId);
    const ledgerSeq = await deps.ledger.advance();
    const enforced = await enforceDenies(deps, { runId: state.runId, ledgerSeq });
    return {
      liftedAt: enforced.at,
      reprovisions: enforced.reprovisions,
      managementProvisioning: enforced.managementProvisioning,
      skipped: enforced.skipped,
    };
  };
}
