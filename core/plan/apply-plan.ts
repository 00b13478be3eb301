import type { IdentityCenterState } from "../estate.ts";
import { assignmentKey } from "./assignment-key.ts";
import { denyKey } from "./deny-key.ts";
import type { PlanAction } from "./plan.ts";

/**
 * The state a plan's actions produce when every one succeeds: the reference semantics of the apply
 * step, used to prove plans converge and by the emulators' expectations.
 */
export function applyPlan(state: IdentityCenterState, actions: readonly PlanAction[]): IdentityCenterState {
  const next: IdentityCenterState = {
    ...state,
    permissionSets: [...state.permissionSets],
    memberships: [...state.memberships],
    assignments: [...state.assignments],
    denies: [...state.denies],
    provisioned: state.provisioned.map((p) => ({ ...p })),
  };
  for (const action of actions) {
    switch (action.kind) {
      case "deny.add":
        next.denies.push(action.deny);
        break;
      case "deny.lift":
        next.denies = next.denies.filter((d) => denyKey(d) !== denyKey(action.deny));
        break;
      case "permission-set.reprovision": {
        const { target } = action;
        for (const p of next.provisioned) {
          if (p.permissionSetArn !== action.permissionSetArn) continue;
          if (target.type === "ALL_PROVISIONED_ACCOUNTS" || p.accountId === target.accountId)
            p.outdated = false;
        }
        break;
      }
      case "permission-set.delete":
        next.permissionSets = next.permissionSets.filter((p) => p.arn !== action.permissionSetArn);
        break;
      case "assignment.delete":
        next.assignments = next.assignments.filter(
          (a) => assignmentKey(a) !== assignmentKey(action.assignment),
        );
        break;
      case "assignment.create": {
        const { accountId, permissionSetArn } = action.assignment;
        next.assignments.push(action.assignment);
        // Creating an assignment provisions the permission set to the account (design.md).
        if (
          !next.provisioned.some((p) => p.accountId === accountId && p.permissionSetArn === permissionSetArn)
        ) {
          next.provisioned.push({ accountId, permissionSetArn, outdated: false });
        }
        break;
      }
      case "membership.remove":
        next.memberships = next.memberships.filter(
          (m) => !(m.groupId === action.groupId && m.userId === action.userId),
        );
        break;
      case "membership.add":
        next.memberships.push({ groupId: action.groupId, userId: action.userId });
        break;
    }
  }
  return next;
}
