import { addMs } from "../duration.ts";
import type { DenyEntry } from "../estate.ts";
import { denyInForce } from "./deny-key.ts";
import type { PlanAction } from "./plan.ts";
import { isLeaverStatus } from "./plan-users.ts";
import type { UserTruth } from "./user-truth.ts";

/** `DeleteAccountAssignment` parameters, exactly as the workflow's SDK task passes them. */
export interface AssignmentDeletion {
  InstanceArn: string;
  TargetId: string;
  TargetType: "AWS_ACCOUNT";
  PermissionSetArn: string;
  PrincipalType: "USER" | "GROUP";
  PrincipalId: string;
}

/** `DeleteGroupMembership` parameters, as the workflow's SDK task passes them. */
export interface MembershipRemoval {
  IdentityStoreId: string;
  MembershipId: string;
}

/** What a user run will do, in the shapes the workflow states consume. */
export interface UserRunPlan {
  decision: "revoke" | "none";
  /** Why, in words, for evidence. */
  reason: string;
  /** The Deny to add; `null` when none is needed (not a leaver, or one is already in force). */
  deny: DenyEntry | null;
  assignmentDeletions: AssignmentDeletion[];
  membershipRemovals: MembershipRemoval[];
  /** Accounts where the user had access when the run read the truth. */
  accountsAffected: string[];
  /** How long the workflow holds the Deny before lifting it. */
  holdSeconds: number;
  /** The same plan as core actions, for evidence. */
  actions: PlanAction[];
}

export interface UserRunOptions {
  /** How long a Deny stays (policy hold, at least the longest session). */
  holdMs: number;
  now: string;
}

/**
 * Plans a user run from the truth it read. Only Okta's word makes a leaver: a SUSPENDED or
 * DEPROVISIONED user, or one Okta answers 404 for (deleted). A user still ACTIVE is not revoked,
 * whatever the event said, and the reason is recorded. A leaver always gets a Deny on all sessions
 * (SCIM may already have removed their memberships, but live sessions survive that), unless one is
 * in force; every membership and direct assignment is removed.
 */
export function planUserRun(truth: UserTruth, options: UserRunOptions): UserRunPlan {
  const ic = truth.identityCenter;
  const accountsAffected = [
    ...new Set([...ic.directAssignments, ...ic.groupAssignments].map((a) => a.accountId)),
  ].sort();
  const base = {
    assignmentDeletions: [],
    membershipRemovals: [],
    accountsAffected,
    holdSeconds: 0,
    actions: [],
    deny: null,
  };

  const leaverBecause = !truth.okta.found
    ? "the user no longer exists in Okta (deleted)"
    : truth.okta.status !== null && isLeaverStatus(truth.okta.status)
      ? `Okta status is ${truth.okta.status}`
      : null;
  if (leaverBecause === null) {
    return {
      ...base,
      decision: "none",
      reason: `Okta status is ${truth.okta.status}: the user keeps their access`,
    };
  }
  if (ic.userId === null) {
    return {
      ...base,
      decision: "none",
      reason: `${leaverBecause}, but Identity Center has no user '${truth.okta.login}': nothing to revoke`,
    };
  }
  const userId = ic.userId;
  const alreadyDenied = ic.denies.some(
    (d) => d.scope === "all" && d.reason === "leaver" && denyInForce(d, options.now),
  );
  const deny: DenyEntry | null = alreadyDenied
    ? null
    : {
        userId,
        scope: "all",
        reason: "leaver",
        createdAt: options.now,
        expiresAt: addMs(options.now, options.holdMs),
      };
  const why = `leaver: ${leaverBecause}`;
  const actions: PlanAction[] = [
    ...(deny ? [{ kind: "deny.add" as const, deny, inlinePermissionSetArns: [] }] : []),
    ...ic.directAssignments.map((assignment) => ({ kind: "assignment.delete" as const, assignment, why })),
    ...ic.memberships.map((m) => ({ kind: "membership.remove" as const, groupId: m.groupId, userId, why })),
  ];
  return {
    decision: "revoke",
    reason: why,
    deny,
    assignmentDeletions: ic.directAssignments.map((a) => ({
      InstanceArn: ic.instanceArn,
      TargetId: a.accountId,
      TargetType: "AWS_ACCOUNT",
      PermissionSetArn: a.permissionSetArn,
      PrincipalType: a.principalType,
      PrincipalId: a.principalId,
    })),
    membershipRemovals: ic.memberships.map((m) => ({
      IdentityStoreId: ic.identityStoreId,
      MembershipId: m.membershipId,
    })),
    accountsAffected,
    holdSeconds: Math.ceil(options.holdMs / 1000),
    actions,
  };
}
