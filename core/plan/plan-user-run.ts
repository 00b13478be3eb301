import { addMs } from "../duration.ts";
import type { DenyEntry } from "../estate.ts";
import { denyInForce } from "./deny-key.ts";
import { orphanedAssignmentFinding } from "./orphaned-assignments.ts";
import { ownAssignments } from "./own-assignments.ts";
import type { Finding, PlanAction } from "./plan.ts";
import { planUserChange, type UserChangeOptions } from "./plan-user-change.ts";
import { describeStatus, isLeaver } from "./plan-users.ts";
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
/** `CreateGroupMembership` parameters, as the workflow's SDK task passes them. */
export interface MembershipAddition {
  IdentityStoreId: string;
  GroupId: string;
  MemberId: { UserId: string };
}

export interface UserRunPlan {
  /**
   * `revoke`: a leaver; `adjust`: an active user whose access or Denies change; `none`: nothing to do;
   * `unverifiable`: no Identity Center user can be trusted to be this Okta user, so nothing is done
   * and the run is alarmed.
   */
  decision: "revoke" | "adjust" | "none" | "unverifiable";
  /** Why, in words, for evidence. */
  reason: string;
  /** Denies to add (a leaver's on all sessions, a mover's scoped ones, an attribute change's). */
  denies: DenyEntry[];
  /** Denies in force to lift now (the user regained the access, or is active again). */
  lifts: DenyEntry[];
  assignmentDeletions: AssignmentDeletion[];
  membershipRemovals: MembershipRemoval[];
  membershipAdditions: MembershipAddition[];
  findings: Finding[];
  /** Session-tag values to remember for the next run of this user. */
  sessionTags: Record<string, string | null>;
  /** Accounts where the user had access when the run read the truth. */
  accountsAffected: string[];
  /** How long the workflow holds the Deny before lifting it. */
  holdSeconds: number;
  /** The same plan as core actions, for evidence. */
  actions: PlanAction[];
  /**
   * A leaver's Deny-first plan (truth `accessRead: false`): the Identity Center user the pipeline's
   * record named. The workflow reads the whole truth after the Deny and plans again
   * (core/plan/merge-deny-first-plan.ts). Absent otherwise.
   */
  deniedFirstAs?: string;
  /** A plan made after a Deny-first pass whose Denies or lifts changed: applied again. */
  reapplyDeny?: boolean;
}

export interface UserRunOptions {
  /** How long a Deny stays (policy hold, at least the longest session). */
  holdMs: number;
  now: string;
  /** For active users: what the joiner / mover branch needs; without it, active users change nothing. */
  change?: Omit<UserChangeOptions, "now" | "holdMs">;
}

/**
 * Plans a user run from the truth it read. Only Okta's word makes a leaver: a SUSPENDED or
 * DEPROVISIONED user, or one Okta answers 404 for (deleted). A user still ACTIVE is not revoked,
 * whatever the event said, and the reason is recorded. A leaver always gets a Deny on all sessions
 * (SCIM may already have removed their memberships, but live sessions survive that), unless one is
 * in force; every membership and direct assignment is removed. Only assignments naming the user are
 * deleted (never a group's, whatever the list answered), and a user the identity store no longer holds
 * is still denied: its live sessions carry its id.
 */
export function planUserRun(truth: UserTruth, options: UserRunOptions): UserRunPlan {
  const ic = truth.identityCenter;
  // Only items naming the user: AWS may list group-inherited ones too (core/plan/own-assignments.ts).
  const direct = ownAssignments(ic.directAssignments, "USER", ic.userId);
  const accountsAffected = [...new Set([...direct, ...ic.groupAssignments].map((a) => a.accountId))].sort();
  const base = {
    assignmentDeletions: [],
    membershipRemovals: [],
    membershipAdditions: [],
    accountsAffected,
    holdSeconds: 0,
    actions: [],
    denies: [],
    lifts: [],
    findings: [],
    sessionTags: {},
  };

  const resolution = ic.resolution;
  if (
    resolution !== undefined &&
    (resolution.outcome === "conflict" ||
      resolution.outcome === "unmatched" ||
      resolution.outcome === "unresolved")
  ) {
    const kind = (
      {
        conflict: "identity-conflict",
        unmatched: "identity-unmatched",
        unresolved: "identity-unresolved",
      } as const
    )[resolution.outcome];
    const subject: Record<string, string> =
      resolution.outcome === "conflict"
        ? { identityCenterUserId: resolution.userId }
        : resolution.outcome === "unmatched"
          ? { identityCenterUserIds: resolution.candidates.map((c) => c.userId).join(",") }
          : {};
    return {
      ...base,
      decision: "unverifiable",
      reason: resolution.detail,
      findings: [{ kind, message: resolution.detail, subject }],
    };
  }
  const leaverBecause = !truth.okta.found
    ? "the user no longer exists in Okta (deleted)"
    : truth.okta.status !== null && isLeaver({ ...truth.okta, status: truth.okta.status })
      ? `Okta status is ${describeStatus({ ...truth.okta, status: truth.okta.status })}`
      : null;
  if (leaverBecause === null && (truth.okta.status === "STAGED" || truth.okta.status === "PROVISIONED")) {
    // Not active yet (a user activated without a password stays PROVISIONED until the welcome flow):
    // nothing to grant, nothing to revoke; SCIM provisions them once they are ACTIVE.
    return {
      ...base,
      decision: "none",
      reason: `Okta status is ${truth.okta.status}: the user is not active yet, so nothing is granted`,
    };
  }
  if (leaverBecause === null) {
    const keeps = `Okta status is ${truth.okta.status}: the user keeps their access`;
    if (!options.change) return { ...base, decision: "none", reason: keeps };
    return planActiveUser(
      truth,
      { ...options.change, now: options.now, holdMs: options.holdMs },
      base,
      keeps,
    );
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
    ...direct.map((assignment) => ({ kind: "assignment.delete" as const, assignment, why })),
    ...ic.memberships.map((m) => ({ kind: "membership.remove" as const, groupId: m.groupId, userId, why })),
  ];
  return {
    ...base,
    decision: "revoke",
    reason: why,
    denies: deny ? [deny] : [],
    assignmentDeletions: direct.map((a) => ({
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
    // SCIM may have deleted the user (scimDeactivation: delete): its assignments stay listed, orphaned.
    findings:
      resolution?.outcome === "resolved" && resolution.deleted
        ? direct.map((a) => orphanedAssignmentFinding(a))
        : [],
  };
}

/** The joiner / mover branch, in the shapes the workflow's states consume. */
function planActiveUser(
  truth: UserTruth,
  options: UserChangeOptions,
  base: Omit<UserRunPlan, "decision" | "reason">,
  keeps: string,
): UserRunPlan {
  const ic = truth.identityCenter;
  const change = planUserChange(truth, options);
  const denies = change.actions.flatMap((a) => (a.kind === "deny.add" ? [a.deny] : []));
  const lifts = change.actions.flatMap((a) => (a.kind === "deny.lift" ? [a.deny] : []));
  const removals = change.actions.flatMap((a) => (a.kind === "membership.remove" ? [a.groupId] : []));
  const additions = change.actions.flatMap((a) => (a.kind === "membership.add" ? [a] : []));
  return {
    ...base,
    decision: change.actions.length > 0 ? "adjust" : "none",
    reason:
      change.actions.length > 0
        ? `${keeps}; their access changes`
        : `${keeps}, exactly as the policy grants it`,
    denies,
    lifts,
    membershipRemovals: ic.memberships
      .filter((m) => removals.includes(m.groupId))
      .map((m) => ({ IdentityStoreId: ic.identityStoreId, MembershipId: m.membershipId })),
    membershipAdditions: additions.map((a) => ({
      IdentityStoreId: ic.identityStoreId,
      GroupId: a.groupId,
      MemberId: { UserId: a.userId },
    })),
    findings: change.findings,
    sessionTags: change.sessionTags,
    holdSeconds: denies.length > 0 ? Math.ceil(options.holdMs / 1000) : 0,
    actions: change.actions,
  };
}
