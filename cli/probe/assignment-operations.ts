import {
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  type SSOAdminClient,
} from "@aws-sdk/client-sso-admin";

/** One account assignment as the probe makes and removes it. */
export interface ProbeAssignment {
  accountId: string;
  permissionSetArn: string;
  principalType: "USER" | "GROUP";
  principalId: string;
}

/** How an asynchronous assignment operation ended. */
export interface AssignmentOutcome {
  status: "SUCCEEDED" | "FAILED";
  requestId: string;
  failureReason?: string;
}

/** Thrown when an operation is still IN_PROGRESS after the wait. */
export class AssignmentTimeoutError extends Error {
  override name = "AssignmentTimeoutError";
}

const request = (instanceArn: string, a: ProbeAssignment) => ({
  InstanceArn: instanceArn,
  TargetId: a.accountId,
  TargetType: "AWS_ACCOUNT" as const,
  PermissionSetArn: a.permissionSetArn,
  PrincipalType: a.principalType,
  PrincipalId: a.principalId,
});

/**
 * Create/DeleteAccountAssignment, then Describe...Status until SUCCEEDED or FAILED (they are
 * asynchronous: design.md, "Facts about AWS").
 */
export async function runAssignmentOperation(
  ssoAdmin: SSOAdminClient,
  instanceArn: string,
  kind: "create" | "delete",
  assignment: ProbeAssignment,
  wait: { pollMs: number; timeoutMs: number },
): Promise<AssignmentOutcome> {
  const started =
    kind === "create"
      ? (await ssoAdmin.send(new CreateAccountAssignmentCommand(request(instanceArn, assignment))))
          .AccountAssignmentCreationStatus
      : (await ssoAdmin.send(new DeleteAccountAssignmentCommand(request(instanceArn, assignment))))
          .AccountAssignmentDeletionStatus;
  const requestId = started?.RequestId ?? "";
  let status = started;
  const deadline = Date.now() + wait.timeoutMs;
  while (status?.Status === "IN_PROGRESS" || status?.Status === undefined) {
    if (Date.now() > deadline)
      throw new AssignmentTimeoutError(
        `${kind} assignment ${requestId} still IN_PROGRESS after ${wait.timeoutMs} ms`,
      );
    await new Promise((resolve) => setTimeout(resolve, wait.pollMs));
    status =
      kind === "create"
        ? (
            await ssoAdmin.send(
              new DescribeAccountAssignmentCreationStatusCommand({
                InstanceArn: instanceArn,
                AccountAssignmentCreationRequestId: requestId,
              }),
            )
          ).AccountAssignmentCreationStatus
        : (
            await ssoAdmin.send(
              new DescribeAccountAssignmentDeletionStatusCommand({
                InstanceArn: instanceArn,
                AccountAssignmentDeletionRequestId: requestId,
              }),
            )
          ).AccountAssignmentDeletionStatus;
  }
  return {
    status: status.Status === "SUCCEEDED" ? "SUCCEEDED" : "FAILED",
    requestId,
    ...(status.FailureReason ? { failureReason: status.FailureReason } : {}),
  };
}
