import type { StoredEvidence } from "../../adapters/evidence-store.ts";
import type { UserRunPlan } from "../../core/plan/plan-user-run.ts";
import type { UserTruth } from "../../core/plan/user-truth.ts";
import type { UserReconcileInput } from "../dispatch/create-handler.ts";

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
}

export interface DenyApplied {
  /** The Denies this run added (it lifts them after the hold); absent when it added none. */
  denyIds?: string[];
  inForceAt: string;
  scpPolicyIds: string[];
  /** Deny statements that fit in no SCP (the target's 5-SCP limit); they went inline everywhere. */
  overflow: number;
  reprovisions: Reprovision[];
}

export interface Verification {
  passed: boolean;
  verifiedAt: string;
  details: { check: string; passed: boolean; detail?: string }[];
}

/** The user-reconcile state as it flows through the workflow; each step adds its ResultPath. */
export interface UserRunState extends UserReconcileInput {
  truth?: UserTruth;
  plan?: UserRunPlan & { runId: string; startedAt: string };
  deny?: DenyApplied;
  denyProvisioning?: OperationOutcome[];
  deletions?: OperationOutcome[];
  removals?: OperationOutcome[];
  additions?: OperationOutcome[];
  oktaSessions?: { clearedAt?: string; skipped?: string };
  verification?: Verification;
  evidence?: StoredEvidence;
  lift?: { liftedAt: string; reprovisions: Reprovision[] };
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
