import { type EnforceDeniesDeps, enforceDenies } from "./enforce-denies.ts";
import { type DenyApplied, need, type UserRunState } from "./run-state.ts";

/** Task ApplyDeny: records the leaver's Deny in the ledger and puts it in force before anything else. */
export function applyDenies(deps: EnforceDeniesDeps) {
  return async (state: UserRunState): Promise<DenyApplied> => {
    const plan = need(state.plan, "plan");
    const denyId = plan.deny ? await deps.ledger.add(plan.deny) : undefined;
    const enforced = await enforceDenies(deps);
    return {
      ...(denyId ? { denyId } : {}),
      inForceAt: enforced.at,
      scpPolicyIds: enforced.scpPolicyIds,
      overflow: enforced.overflow,
      reprovisions: enforced.reprovisions,
    };
  };
}
