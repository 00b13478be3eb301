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
    // Applied again after a Deny-first pass (merge-deny-first-plan.ts): the run keeps lifting, after the
    // hold, the Denies its first write added, unless this plan lifts them now. A Deny added again keeps
    // its id (the ledger keys it by user, reason, scope and instant).
    const denyIds = [...(state.deny?.denyIds ?? [])];
    for (const deny of plan.denies) denyIds.push(await deps.ledger.add(deny));
    const liftedIds = new Set<string>();
    if (plan.lifts.length > 0) {
      const lifting = new Set(plan.lifts.map(denyKey));
      for (const entry of await deps.ledger.list())
        if (lifting.has(denyKey(entry.deny))) {
          await deps.ledger.remove(entry.denyId);
          liftedIds.add(entry.denyId);
        }
    }
    const held = [...new Set(denyIds)].filter((id) => !liftedIds.has(id));
    const ledgerSeq = await deps.ledger.advance();
    const enforced = await enforceDenies(deps, { runId: state.runId, ledgerSeq });
    return {
      ...(held.length > 0 ? { denyIds: held } : {}),
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
