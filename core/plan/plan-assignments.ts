import type { Assignment, IdentityCenterState } from "../estate.ts";
import type { Policy } from "../policy/schema.ts";
import { assignmentKey } from "./assignment-key.ts";
import {
  orphanedAssignmentFinding,
  principalStatus,
  unconfirmedOrphanFinding,
} from "./orphaned-assignments.ts";
import { ownsGroupAssignment, ownsOrphanedAssignment } from "./ownership.ts";
import type { Finding, PlanAction } from "./plan.ts";
import type { ResolvedRule } from "./resolve-rules.ts";

export interface AssignmentPlan {
  actions: PlanAction[];
  findings: Finding[];
  managedAssignmentCount: number;
}

/** Desired group assignments: every resolved rule on every account it targets. */
export function desiredAssignments(
  rules: readonly ResolvedRule[],
): Map<string, { assignment: Assignment; rule: string }> {
  const desired = new Map<string, { assignment: Assignment; rule: string }>();
  for (const r of rules) {
    if (r.icGroupId === undefined || r.permissionSetArn === undefined) continue;
    for (const accountId of r.accountIds) {
      const assignment: Assignment = {
        accountId,
        permissionSetArn: r.permissionSetArn,
        principalType: "GROUP",
        principalId: r.icGroupId,
      };
      const key = assignmentKey(assignment);
      if (!desired.has(key)) desired.set(key, { assignment, rule: r.rule.name });
    }
  }
  return desired;
}

/** Why an assignment of a set the tool created and the policy dropped is deleted. */
export const DROPPED_PERMISSION_SET =
  "its permission set was created by this tool and the policy no longer declares it";

/**
 * Group assignments to create and delete so Identity Center equals the policy for what it owns;
 * unowned group assignments and direct user assignments of active users become findings, and an
 * assignment whose principal the identity store no longer holds is reported and deleted.
 * Every assignment of a permission set in `droppedPermissionSetArns` (the tool created it, the policy
 * dropped it: core/plan/plan-permission-set-deletions.ts) is owned, a direct user assignment too, so
 * that the set can be deleted once unassigned. (Leavers' direct assignments are planned with the
 * leaver, not here.)
 */
export function planAssignments(
  policy: Policy,
  rules: readonly ResolvedRule[],
  identityCenter: IdentityCenterState,
  leaverUserIds: ReadonlySet<string>,
  droppedPermissionSetArns: ReadonlySet<string> = new Set(),
): AssignmentPlan {
  const declaredArns = new Set(
    identityCenter.permissionSets.filter((p) => p.name in policy.permissionSets).map((p) => p.arn),
  );
  const owns = ownsGroupAssignment(policy, rules, declaredArns);
  const ownsOrphan = ownsOrphanedAssignment(policy, declaredArns);
  const desired = desiredAssignments(rules);
  const actual = new Set(identityCenter.assignments.map(assignmentKey));
  const actions: PlanAction[] = [];
  const findings: Finding[] = [];
  let managedAssignmentCount = 0;

  for (const [key, { assignment, rule }] of desired) {
    if (!actual.has(key)) actions.push({ kind: "assignment.create", assignment, rule });
  }
  for (const assignment of identityCenter.assignments) {
    const subject = {
      accountId: assignment.accountId,
      permissionSetArn: assignment.permissionSetArn,
      principalId: assignment.principalId,
    };
    const status = principalStatus(identityCenter, assignment);
    if (status === "unconfirmed") {
      // Not read, not confirmed gone: a short or empty read must never delete anything.
      findings.push(unconfirmedOrphanFinding(identityCenter, assignment));
    } else if (status === "orphaned") {
      // Its principal is gone: it grants nothing, and AWS's 404 for its deletion counts as done.
      const owned = ownsOrphan(assignment) || droppedPermissionSetArns.has(assignment.permissionSetArn);
      findings.push(orphanedAssignmentFinding(assignment, owned));
      if (owned)
        actions.push({
          kind: "assignment.delete",
          assignment,
          why: "orphaned: its principal was deleted from the identity store",
        });
    } else if (assignment.principalType === "USER") {
      if (leaverUserIds.has(assignment.principalId)) continue;
      findings.push({
        kind: "direct-user-assignment",
        message: `User ${assignment.principalId} is assigned directly on ${assignment.accountId}; grant access through a group.`,
        subject,
      });
      if (droppedPermissionSetArns.has(assignment.permissionSetArn)) {
        actions.push({ kind: "assignment.delete", assignment, why: DROPPED_PERMISSION_SET });
      } else if (policy.ownership.directUserAssignments === "delete") {
        actions.push({
          kind: "assignment.delete",
          assignment,
          why: "direct user assignment (policy: delete)",
        });
      }
    } else if (droppedPermissionSetArns.has(assignment.permissionSetArn)) {
      // No rule can name an undeclared set, so none of its assignments is desired.
      managedAssignmentCount++;
      actions.push({ kind: "assignment.delete", assignment, why: DROPPED_PERMISSION_SET });
    } else if (owns(assignment)) {
      managedAssignmentCount++;
      if (!desired.has(assignmentKey(assignment))) {
        actions.push({
          kind: "assignment.delete",
          assignment,
          why: "owned by the policy but no rule grants it",
        });
      }
    } else {
      findings.push({
        kind: "unmanaged-assignment",
        message: `Group ${assignment.principalId} holds an assignment on ${assignment.accountId} that the policy does not own.`,
        subject,
      });
    }
  }
  return { actions, findings, managedAssignmentCount };
}
