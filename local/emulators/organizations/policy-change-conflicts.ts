/**
 * Organizations' two "try again later" conflicts, answered only by the operations whose model lists
 * them (botocore organizations 2016-11-28 service-2.json, each operation's `errors`; the same list is
 * in the API reference's "Errors" section of each action):
 * - `PolicyChangesInProgressException`: "Changes to the effective policy are in progress, and its
 *   contents can't be returned. Try the operation again later." Listed by AttachPolicy, DetachPolicy,
 *   DisablePolicyType, EnablePolicyType and UpdatePolicy.
 * - `ConcurrentModificationException`: "The target of the operation is currently being modified by a
 *   different request. Try again later." Listed by 37 operations, every policy write among them.
 * How long a change stays "in progress" is not documented: the emulator's window is a fault setting
 * (`policyChangesInProgressMs`, off by default), so the pipeline is tested with and without it.
 */
import { AwsServiceError } from "../aws-json-protocol.ts";

export const POLICY_CHANGES_IN_PROGRESS_OPERATIONS: ReadonlySet<string> = new Set([
  "AttachPolicy",
  "DetachPolicy",
  "DisablePolicyType",
  "EnablePolicyType",
  "UpdatePolicy",
]);

export const CONCURRENT_MODIFICATION_OPERATIONS: ReadonlySet<string> = new Set([
  "AcceptHandshake",
  "AttachPolicy",
  "CancelHandshake",
  "CloseAccount",
  "CreateAccount",
  "CreateGovCloudAccount",
  "CreateOrganization",
  "CreateOrganizationalUnit",
  "CreatePolicy",
  "DeclineHandshake",
  "DeleteOrganization",
  "DeleteOrganizationalUnit",
  "DeletePolicy",
  "DeleteResourcePolicy",
  "DeregisterDelegatedAdministrator",
  "DescribeHandshake",
  "DescribeOrganization",
  "DetachPolicy",
  "DisableAWSServiceAccess",
  "DisablePolicyType",
  "EnableAWSServiceAccess",
  "EnableAllFeatures",
  "EnablePolicyType",
  "InviteAccountToOrganization",
  "InviteOrganizationToTransferResponsibility",
  "LeaveOrganization",
  "ListHandshakesForAccount",
  "ListHandshakesForOrganization",
  "MoveAccount",
  "PutResourcePolicy",
  "RegisterDelegatedAdministrator",
  "RemoveAccountFromOrganization",
  "TagResource",
  "TerminateResponsibilityTransfer",
  "UntagResource",
  "UpdateOrganizationalUnit",
  "UpdatePolicy",
]);

/** Which operations may answer each conflict, by error type. */
const LISTED_BY: Readonly<Record<string, ReadonlySet<string>>> = {
  PolicyChangesInProgressException: POLICY_CHANGES_IN_PROGRESS_OPERATIONS,
  ConcurrentModificationException: CONCURRENT_MODIFICATION_OPERATIONS,
};

export const policyChangesInProgress = () =>
  new AwsServiceError(
    "PolicyChangesInProgressException",
    "Changes to the effective policy are in progress, and its contents can't be returned. Try the operation again later.",
  );

export const concurrentModification = () =>
  new AwsServiceError(
    "ConcurrentModificationException",
    "The target of the operation is currently being modified by a different request. Try again later.",
  );

/** A fault setting or a scripted failure asked an operation for a conflict its model does not list. */
export class UnlistedConflictError extends Error {
  override name = "UnlistedConflictError";
}

/** Refuses to script `type` for `operation` when the model does not list that conflict for it. */
export function assertConflictListed(operation: string, type: string): void {
  const listed = LISTED_BY[type];
  if (listed && !listed.has(operation)) {
    throw new UnlistedConflictError(
      `Organizations never answers ${type} to ${operation} (its model lists it for ${[...listed].slice(0, 5).join(", ")}${listed.size > 5 ? ", ..." : ""}): script it for one of those`,
    );
  }
}

/**
 * The "policy change in progress" window: a policy change the gate admits starts it, and for
 * `windowMs` the operations that list PolicyChangesInProgressException answer it.
 */
export class PolicyChangeWindow {
  private changedAt = Number.NEGATIVE_INFINITY;

  /** Throws PolicyChangesInProgressException inside the window; otherwise records a change. */
  admit(operation: string, windowMs: number, now: number): void {
    if (!POLICY_CHANGES_IN_PROGRESS_OPERATIONS.has(operation) || windowMs <= 0) return;
    if (now - this.changedAt < windowMs) throw policyChangesInProgress();
    this.changedAt = now;
  }
}
