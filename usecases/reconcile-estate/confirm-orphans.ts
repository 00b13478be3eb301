import type { IdentityStorePrincipals } from "../../adapters/identity-store-principals.ts";
import type { IdentityCenterState, PrincipalCheck } from "../../core/estate.ts";
import { unreadPrincipals } from "../../core/plan/orphaned-assignments.ts";

/**
 * Principals an estate run may check by id: each costs one DescribeUser/DescribeGroup (identitystore
 * shares its rate with the run's other reads); the rest are checked by the next run.
 */
export const DEFAULT_PRINCIPAL_CHECK_BUDGET = 200;

/**
 * Confirms which unread assignment principals the identity store no longer holds, one call per
 * distinct principal, at most `budget`. An empty read (no user and no group) with assignments present
 * checks nothing: it is a fault or a short read, and orphan deletion is blocked for the run.
 */
export async function confirmOrphans(
  principals: Pick<IdentityStorePrincipals, "exists"> | undefined,
  ic: Pick<IdentityCenterState, "users" | "groups" | "unnamed" | "assignments">,
  budget = DEFAULT_PRINCIPAL_CHECK_BUDGET,
): Promise<PrincipalCheck> {
  const unread = unreadPrincipals(ic);
  const named = ic.users.length + ic.groups.length;
  const unnamed = (ic.unnamed?.userIds.length ?? 0) + (ic.unnamed?.groupIds.length ?? 0);
  const storeReadEmpty = ic.assignments.length > 0 && named + unnamed === 0;
  const check: PrincipalCheck = { missing: [], present: [], unchecked: [], storeReadEmpty };
  for (const [i, p] of unread.entries()) {
    if (storeReadEmpty || principals === undefined || i >= budget) {
      check.unchecked.push(p.principalId);
      continue;
    }
    ((await principals.exists(p.principalType, p.principalId)) ? check.present : check.missing).push(
      p.principalId,
    );
  }
  return check;
}
