import type { StoredEvidence } from "../../adapters/evidence-store.ts";
import type { DenyEntry } from "../../core/estate.ts";
import type { UserRunPlan } from "../../core/plan/plan-user-run.ts";
import type { UserTruth } from "../../core/plan/user-truth.ts";
import type { FederatedMassFallback } from "../../core/revocation/federated-mass-fallback.ts";
import type { MassFallback } from "../../core/revocation/mass-fallback.ts";
import type { UserReconcileInput } from "../../functions/dispatch/create-handler.ts";
import type { CredentialLift } from "./lift-credential-denies.ts";
import type { SkippedDeletion } from "./management-assignment-deletions.ts";
import type { CredentialRunSummary } from "./revoke-credentials.ts";

/** `ProvisionPermissionSet` parameters for the workflow's re-provision Map. */
export interface Reprovision {
  InstanceArn: string;
  PermissionSetArn: string;
  TargetId: string;
  TargetType: "AWS_ACCOUNT";
}

/** What an async-operation or membership Map iteration reports. */
export interface OperationOutcome {
  status: "SUCCEEDED" | "FAILED";
  requestId?: string;
  accountId?: string;
  permissionSetArn?: string;
  principalId?: string;
  membershipId?: string;
  groupId?: string;
  detail?: unknown;
  error?: { Error?: string; Cause?: string };
  /** Why a SUCCEEDED outcome needed no change, e.g. a membership addition that found the user already a member. */
  note?: string;
}

/** A Deny placement that was refused (not a transient failure: those are retried). */
export interface PlacementFailure {
  placement: "scp" | "inline";
  /** The revocation SCPs, or the permission set whose inline policy could not be written. */
  target: string;
  error: string;
}

/** A Deny in force that did not fit in a placement's size limit. */
export interface DroppedDeny {
  placement: "inline";
  /** The permission set whose inline policy had no room left. */
  target: string;
  deny: DenyEntry;
}

/** What a run found when the Denies in force overflowed the revocation SCPs (issue 17). */
export interface ScpCapacity {
  /** policy `massFallback: auto`: the statement denying Identity Center sessions issued before T. */
  massFallback?: MassFallback;
  /** policy `massFallback: auto`: the statement denying Okta-trusting role sessions issued before T. */
  federatedFallback?: FederatedMassFallback;
  /** policy `massFallback: ask` (or no room even for the fallback): users not denied in member accounts. */
  uncovered?: string[];
  /** Organizations refused the configured SCP size: the slots were written smaller. */
  limitHit?: { configuredChars: number; writtenChars: number };
  /**
   * policy `massFallback: auto` in management-account inline policies that had no room: the permission
   * set (`target`) whose sessions issued before T are denied, and the users it stands for.
   */
  inlineFallbacks?: (MassFallback & { target: string })[];
}

export interface DenyApplied {
  /** The Denies this run added (it lifts them after the hold); absent when it added none. */
  denyIds?: string[];
  inForceAt: string;
  scpPolicyIds: string[];
  /** Deny statements that fit in no SCP (the target's 5-SCP limit); they went inline everywhere. */
  overflow: number;
  reprovisions: Reprovision[];
  /** Placements that were refused; the run went on without them. @default [] */
  failures?: PlacementFailure[];
  /** Denies that did not fit where they belong; each is a finding and raises the partial alarm. @default [] */
  dropped?: DroppedDeny[];
  /**
   * Re-provisions in the management account made through the management component (delegated-admin),
   * polled to the end by the task. @default []
   */
  managementProvisioning?: OperationOutcome[];
  /**
   * Placements left out by design: SCPs disabled on the root, or the management component not installed
   * (delegated-admin). Each is a finding and raises the skipped-placement alarm. @default []
   */
  skipped?: { placement: "scp" | "management-account"; reason: string }[];
  /** Present when the Denies overflowed the SCPs or their size limit was hit (findings, alarms). */
  scpCapacity?: ScpCapacity;
  /**
   * Another run's write held this run's Denies (a burst shares writes): its run and the ledger
   * sequence it rendered. `inForceAt` is when that write finished.
   */
  carriedBy?: { runId: string; seq: number };
}

export interface Verification {
  passed: boolean;
  verifiedAt: string;
  /**
   * `skipped`: a management-account check left out by design (no management component in a
   * delegated-admin deployment; a finding says so): not passed, and not failing the run.
   */
  details: { check: string; passed: boolean; detail?: string; skipped?: string }[];
}

/**
 * The state as a task that needs only who the Okta user is gets it: the truth may be its stand-in in
 * the state (run-scratch.ts `OffloadedTruth`), which carries these facts, not the whole truth.
 */
export type UserRunHead = Omit<UserRunState, "truth"> & {
  truth?: { okta: Pick<UserTruth["okta"], "found" | "login"> };
};

/** The user-reconcile state as it flows through the workflow; each step adds its ResultPath. */
export interface UserRunState extends UserReconcileInput {
  truth?: UserTruth;
  plan?: UserRunPlan & { runId: string; startedAt: string };
  deny?: DenyApplied;
  denyProvisioning?: OperationOutcome[];
  deletions?: OperationOutcome[];
  /** Management-account assignment deletions left out: no management component (delegated-admin). */
  skippedDeletions?: SkippedDeletion[];
  removals?: OperationOutcome[];
  additions?: OperationOutcome[];
  /** ClearOktaSessions: cleared, skipped, refused, or yielding to the reads (the workflow waits `waitSeconds`). */
  oktaSessions?: {
    clearedAt?: string;
    skipped?: string;
    failed?: string;
    waitSeconds?: number;
    yieldingSince?: string;
  };
  /** The error of a Deny write that failed even after retries (the workflow's Catch); the run went on. */
  denyError?: { Error?: string; Cause?: string };
  /** The error of an Okta session clear that failed even after retries (the workflow's Catch). */
  oktaSessionsError?: { Error?: string; Cause?: string };
  /** The leaver's credentials outside Identity Center (usecases/reconcile-user/revoke-credentials.ts). */
  credentials?: CredentialRunSummary;
  /** The error of a credential step that failed even after retries (the workflow's Catch); the run went on. */
  credentialsError?: { Error?: string; Cause?: string };
  credentialLift?: CredentialLift | { skipped: string };
  verification?: Verification;
  evidence?: StoredEvidence;
  lift?: {
    liftedAt: string;
    reprovisions: Reprovision[];
    managementProvisioning?: OperationOutcome[];
    skipped?: { placement: "scp" | "management-account"; reason: string }[];
  };
  liftProvisioning?: OperationOutcome[];
}

/** Thrown when a step runs without the state an earlier step must have produced. */
export class MissingStateError extends Error {
  override name = "MissingStateError";
}

export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new MissingStateError(`user-reconcile state has no ${what}`);
  return value;
}
