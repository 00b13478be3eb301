import { denyKey } from "../../core/plan/deny-key.ts";
import { type EnforceDeniesDeps, enforceDenies } from "./enforce-denies.ts";
import { type DenyApplied, need, type UserRunState } from "./run-state.ts";

/**
 * Task ApplyDeny: records the run's Denies in the ledger (and removes the ones it lifts), then puts
 * the ledger in force before anything else changes, or finds that a write made meanwhile by another
 * run already did (`carriedBy`: a burst of leavers shares writes).
 */
export function applyDenies(deps: EnforceDeniesDeps) {
  return async (state: UserRunState): Promise<DenyApplied> => {
    const plan = need(state.plan, "plan");
    const denyIds: string[] = [];
    for (const deny of plan.denies) denyIds.push(await deps.ledger.add(deny));
    if (plan.lifts.length > 0) {
      const lifting = new Set(plan.lifts.map(denyKey));
      for (const entry of await deps.ledger.list())
        if (lifting.has(denyKey(entry.deny))) await deps.ledger.remove(entry.denyId);
    }
    const ledgerSeq = await deps.ledger.advance();
    const enforced = await enforceDenies(deps, { runId: state.runId, ledgerSeq });
    return {
      ...(denyIds.length > 0 ? { denyIds } : {}),
      inForceAt: enforced.at,
      scpPolicyIds: enforced.scpPolicyIds,
      overflow: enforced.overflow,
      reprovisions: enforced.reprovisions,
      failures: enforced.failures,
      dropped: enforced.dropped,
      managementProvisioning: enforced.managementProvisioning,
      skipped: enforced.skipped,
      ...(enforced.scpCapacity ? { scpCapacity: enforced.scpCapacity } : {}),
      ...(enforced.carriedBy ? { carriedBy: enforced.carriedBy } : {}),
    };
  };
}
