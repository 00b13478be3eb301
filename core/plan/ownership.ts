import type { Assignment } from "../estate.ts";
import type { Policy } from "../policy/schema.ts";
import type { ResolvedRule } from "./resolve-rules.ts";

/**
 * Decides which group assignments the policy owns, and may therefore delete. Everything else is
 * reported, never deleted (design.md principle 5).
 */
export function ownsGroupAssignment(
  policy: Policy,
  rules: readonly ResolvedRule[],
  declaredPermissionSetArns: ReadonlySet<string>,
): (groupAssignment: Assignment) => boolean {
  const declaredPairs = new Set(rules.map((r) => `${r.icGroupId}|${r.permissionSetArn}`));
  return (assignment) => {
    switch (policy.ownership.scope) {
      case "all":
        return true;
      case "permission-sets":
        return declaredPermissionSetArns.has(assignment.permissionSetArn);
      case "declared":
        return declaredPairs.has(`${assignment.principalId}|${assignment.permissionSetArn}`);
    }
  };
}

/**
 * Whether the policy may delete an orphaned assignment (its principal is gone, so group-and-set pairs
 * cannot be matched): under `all`, always; otherwise only on a permission set the policy declares.
 */
export function ownsOrphanedAssignment(
  policy: Policy,
  declaredPermissionSetArns: ReadonlySet<string>,
): (assignment: Assignment) => boolean {
  return (assignment) =>
    policy.ownership.scope === "all" || declaredPermissionSetArns.has(assignment.permissionSetArn);
}
