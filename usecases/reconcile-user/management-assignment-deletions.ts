import type { AssignmentDeletion } from "../../core/plan/plan-user-run.ts";
import { MAX_OUTSTANDING_ASSIGNMENT_OPERATIONS } from "../../workflows/identity-center-operations.ts";
import { isTransient } from "../shared/dependency-unavailable.ts";
import { awaitOperationOutcome } from "./await-operation-outcome.ts";
import {
  type ManagementAccountAccess,
  type ManagementAccountPort,
  ManagementComponentUnavailableError,
} from "./management-account-access.ts";
import type { OperationOutcome } from "./run-state.ts";

/**
 * An assignment deletion in the management account that a delegated-admin deployment left out by design:
 * the management component is not installed (a `management-account-skipped` finding, alarmed).
 */
export interface SkippedDeletion {
  accountId: string;
  permissionSetArn: string;
  principalId: string;
  reason: string;
}

/** Where the assignment deletions of a batch go (core/topology.ts). */
export interface ManagementDeletionRouting {
  managementAccountId: string | undefined;
  /** @default { kind: "direct" }: the workflow's own SDK tasks delete everything */
  access?: ManagementAccountAccess;
  /** Between status polls of a deletion made through the component. @default 1000 */
  pollMs?: number;
}

export interface RoutedDeletions {
  /** Left to the workflow's DeleteAccountAssignment SDK tasks. */
  items: AssignmentDeletion[];
  /** Deleted through the management component, polled to the end. */
  routed: OperationOutcome[];
  skipped: SkippedDeletion[];
}

/**
 * A delegated administrator may not delete assignments in the management account (AWS, "Register a
 * member account": "Enabling or disabling user access in the management account"; AccessDeniedException).
 * In a delegated-admin deployment those deletions go through the management component's role and are
 * polled here; without the component they are skipped (a finding and the alarm), never a FAILED action.
 * Every other deletion stays with the workflow. Assignments in member accounts of a set provisioned to the
 * management account are not routed: the component may act in the management account only.
 */
export async function routeManagementDeletions(
  routing: ManagementDeletionRouting,
  items: AssignmentDeletion[],
  runId: string,
): Promise<RoutedDeletions> {
  const access = routing.access ?? { kind: "direct" };
  const inManagement = (d: AssignmentDeletion) => d.TargetId === routing.managementAccountId;
  const management = items.filter(inManagement);
  if (access.kind === "direct" || management.length === 0) return { items, routed: [], skipped: [] };
  const rest = items.filter((d) => !inManagement(d));
  let component: ManagementAccountPort;
  try {
    component = await access.connect(runId);
  } catch (error) {
    if (isTransient(error)) throw error;
    const unavailable =
      error instanceof ManagementComponentUnavailableError
        ? error
        : new ManagementComponentUnavailableError(access.roleArn, { cause: error });
    const skipped = management.map((d) => ({
      accountId: d.TargetId,
      permissionSetArn: d.PermissionSetArn,
      principalId: d.PrincipalId,
      reason: unavailable.message,
    }));
    return { items: rest, routed: [], skipped };
  }
  // At most 10 outstanding async assignment operations (design.md): the component's share, chunk by chunk.
  const routed: OperationOutcome[] = [];
  for (let i = 0; i < management.length; i += MAX_OUTSTANDING_ASSIGNMENT_OPERATIONS) {
    const chunk = management.slice(i, i + MAX_OUTSTANDING_ASSIGNMENT_OPERATIONS);
    routed.push(
      ...(await Promise.all(chunk.map((d) => deleteAndWait(component, d, routing.pollMs ?? 1000)))),
    );
  }
  return { items: rest, routed, skipped: [] };
}

/** Deletes one assignment through the component and polls the deletion to its end. */
function deleteAndWait(
  ic: ManagementAccountPort,
  d: AssignmentDeletion,
  pollMs: number,
): Promise<OperationOutcome> {
  return awaitOperationOutcome(
    () =>
      ic.deleteAssignment({
        accountId: d.TargetId,
        permissionSetArn: d.PermissionSetArn,
        principalType: d.PrincipalType,
        principalId: d.PrincipalId,
      }),
    (requestId) => ic.assignmentDeletionStatus(requestId),
    { accountId: d.TargetId, permissionSetArn: d.PermissionSetArn, principalId: d.PrincipalId },
    pollMs,
  );
}
