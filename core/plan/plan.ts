import type { Assignment, DenyEntry } from "../estate.ts";

/** One change the apply step performs. Actions are ordered: revocations before grants. */
export type PlanAction =
  | { kind: "deny.add"; deny: DenyEntry; inlinePermissionSetArns: string[] }
  | {
      kind: "deny.lift";
      deny: DenyEntry;
      inlinePermissionSetArns: string[];
      /** identity-conflict: a Deny-first run's recorded user belongs to another Okta user (merge-deny-first-plan.ts). */
      why: "expired" | "access-regained" | "identity-conflict";
    }
  | {
      kind: "permission-set.reprovision";
      permissionSetArn: string;
      target: ReprovisionTarget;
      /**
       * `revocation`: the pipeline's own inline Deny write made it necessary (core/plan/plan-revocation-placement.ts),
       * which is not drift; `drift`: a change the pipeline did not make.
       */
      cause: "revocation" | "drift";
      why: string;
    }
  | { kind: "assignment.delete"; assignment: Assignment; why: string }
  | { kind: "membership.remove"; groupId: string; userId: string; why: string }
  /**
   * A permission set the tool created that the policy no longer declares, unassigned and provisioned
   * nowhere (core/plan/plan-permission-set-deletions.ts): DeletePermissionSet.
   */
  | { kind: "permission-set.delete"; permissionSetArn: string; name: string }
  | { kind: "assignment.create"; assignment: Assignment; rule: string }
  | { kind: "membership.add"; groupId: string; userId: string; why: string };

export type PlanActionKind = PlanAction["kind"];

/**
 * ProvisionPermissionSet's target (sso-admin API reference, ProvisionPermissionSet `TargetType`):
 * one account, or `ALL_PROVISIONED_ACCOUNTS`, every account the set is provisioned to in one call.
 * Provisioning always pushes the set's latest version, so one call fixes every account it is
 * outdated in; `outdatedAccountIds` are those accounts (for evidence and the planned state).
 */
export type ReprovisionTarget =
  | { type: "AWS_ACCOUNT"; accountId: string }
  | { type: "ALL_PROVISIONED_ACCOUNTS"; outdatedAccountIds: string[] };

/** Whether an action is the pipeline's own revocation upkeep rather than a repair of drift. */
export function isRevocationUpkeep(action: PlanAction): boolean {
  return (
    (action.kind === "permission-set.reprovision" && action.cause === "revocation") ||
    (action.kind === "deny.lift" && action.why === "expired")
  );
}

export type FindingKind =
  | "direct-user-assignment"
  | "unmanaged-assignment"
  | "orphaned-user"
  | "scim-lag"
  | "stale-membership"
  | "group-not-provisioned"
  | "permission-set-missing"
  /**
   * A permission set whose content differs from what the policy declares, with the diff; or whose
   * content could not be read or repaired (core/plan/plan-permission-set-content.ts).
   */
  | "permission-set-drift"
  /**
   * A declared set references a customer managed policy (or boundary) that an account it reaches does
   * not hold: provisioning the set there fails (core/plan/customer-managed-policy-checks.ts).
   */
  | "customer-managed-policy-missing"
  /** An account where those policies could not be looked up (role not assumable, IAM refused GetPolicy). */
  | "customer-managed-policy-unchecked"
  /** A set the tool created that the policy dropped, still in use (or its use unread): deleted by a later run (core/plan/plan-permission-set-deletions.ts). */
  | "permission-set-delete-pending"
  /** A set whose tags a full run could not read: if the tool created it, it is not deleted on a guess (usecases/reconcile-estate/read-permission-set-ownership.ts). */
  | "permission-set-tags-unread"
  | "unknown-target"
  | "okta-group-unresolved"
  | "okta-group-ambiguous"
  /** A user's Okta group only shares its name with a group the policy names (core/plan/judge-okta-membership.ts). */
  | "okta-group-name-shared"
  | "okta-read-failed"
  | "session-tags-changed"
  | "identity-unresolved"
  | "identity-conflict"
  | "identity-unmatched"
  /** A leaver denied first by the pipeline's record, which the whole read did not confirm (merge-deny-first-plan.ts). */
  | "identity-link-stale"
  | "deny-dropped"
  /** A Deny placement left out by design: SCPs disabled, or no management component (core/topology.ts). */
  | "deny-placement-skipped"
  /**
   * An assignment in the management account left in place by design: a delegated-admin deployment
   * without the management component may not delete it (core/topology.ts).
   */
  | "management-account-skipped"
  /** Denies fit in no revocation SCP: the mass fallback denies Identity Center sessions issued before T. */
  | "mass-fallback"
  /** Denies fit in no revocation SCP and the policy says ask: these users are not denied in member accounts. */
  | "scp-overflow"
  /** Organizations refused an SCP within the configured size: the slots were written smaller. */
  | "scp-size-limit-hit"
  /** An assignment whose user or group the identity store no longer holds (core/plan/orphaned-assignments.ts). */
  | "orphaned-assignment"
  /**
   * An assignment whose principal the identity store read did not return but that is not confirmed
   * deleted (still held, unchecked, or the read came back empty): nothing is deleted for it.
   */
  | "orphan-unconfirmed"
  /** A user without a UserName or a group without a DisplayName: skipped, as nothing can match it to Okta. */
  | "unnamed-identity-store-entry"
  /** A compromise signal was handled: what it ended, or why it ended nothing (core/plan/plan-compromise.ts). */
  | "compromise-signal"
  /** A member of a group granted an ABAC-scoped permission set lacks an attribute it uses (core/plan/abac-attributes.ts). */
  | "abac-attribute-missing"
  /** A group's new assignment of an ABAC-scoped set held back until its members have the attribute (missingAttribute: withhold). */
  | "abac-assignment-withheld"
  /** The ABAC canary proof could not run (no policy simulator in this runtime, or no policy document to prove). */
  | "abac-canary-unproven";

/** Something a human should know about; findings never change anything by themselves. */
export interface Finding {
  kind: FindingKind;
  message: string;
  /** Stable identifiers of what the finding is about (user id, account id, ...), for evidence and dedupe. */
  subject: Record<string, string>;
}

export type GuardKind =
  | "max-deletes"
  | "max-delete-percent"
  | "max-denied-users"
  | "max-denied-percent"
  | "empty-okta-group"
  | "empty-okta-read"
  | "okta-group-unresolved"
  | "okta-group-ambiguous"
  /** Grant guards (core/plan/grant-guards.ts): too many new assignments, privileged accounts, or a rule widened too far. */
  | "max-new-assignments"
  | "max-privileged-accounts"
  | "max-rule-widening"
  /** The ABAC canary proof failed for a permission set (core/plan/abac-canary.ts): never overridden. */
  | "abac-canary"
  /** More permission sets to delete than guards.maxPermissionSetDeletes (core/plan/plan-permission-set-deletions.ts): `--allow-deletes` overrides it. */
  | "max-permission-set-deletes";

export interface GuardViolation {
  guard: GuardKind;
  message: string;
}

/** The output of planning: what to do, what was noticed, and whether a guard stopped it. */
export interface Plan {
  /** `blocked` plans are never applied; the violations say why. */
  status: "ready" | "blocked";
  violations: GuardViolation[];
  actions: PlanAction[];
  findings: Finding[];
  /** Group assignments the policy owns as they stand now (the guard's percentage base). */
  managedAssignmentCount: number;
}

/** Deletions, as the guards count them. */
export function countDeletes(actions: readonly PlanAction[]): number {
  return actions.filter((a) => a.kind === "assignment.delete" || a.kind === "membership.remove").length;
}

/** Permission sets deleted, as guards.maxPermissionSetDeletes counts them. */
export function countPermissionSetDeletes(actions: readonly PlanAction[]): number {
  return actions.filter((a) => a.kind === "permission-set.delete").length;
}
