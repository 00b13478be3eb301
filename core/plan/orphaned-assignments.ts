import type { Assignment, IdentityCenterState } from "../estate.ts";
import type { Finding } from "./plan.ts";

/**
 * Whether an assignment's user or group is one the identity store no longer holds. SCIM deletes a
 * principal without its assignments, which stay listed (hashicorp/terraform-provider-aws issue 19341);
 * they grant nobody anything, and deleting one may end FAILED with a 404 (see
 * {@link isPrincipalDeletedFailure}). Unnamed users and groups (`ic.unnamed`) are held, not deleted.
 */
export function isOrphaned(
  ic: Pick<IdentityCenterState, "users" | "groups" | "unnamed">,
  a: Assignment,
): boolean {
  if (a.principalType === "USER")
    return (
      !ic.users.some((u) => u.userId === a.principalId) &&
      !(ic.unnamed?.userIds ?? []).includes(a.principalId)
    );
  return (
    !ic.groups.some((g) => g.groupId === a.principalId) &&
    !(ic.unnamed?.groupIds ?? []).includes(a.principalId)
  );
}

/** The finding that reports an orphaned assignment. */
export function orphanedAssignmentFinding(a: Assignment): Finding {
  return {
    kind: "orphaned-assignment",
    message:
      `${a.principalType} ${a.principalId} no longer exists in the identity store but is still assigned on ` +
      `${a.accountId}: the assignment grants nobody access; its deletion is attempted, and AWS's 404 for it counts as done.`,
    subject: {
      accountId: a.accountId,
      permissionSetArn: a.permissionSetArn,
      principalType: a.principalType,
      principalId: a.principalId,
    },
  };
}

/**
 * The FailureReason AWS gives a DeleteAccountAssignment whose principal was deleted from the identity
 * store: "Received a 404 status error: the USER assignee <id> was not found in directory <store>"
 * (hashicorp/terraform-provider-aws issue 19341). Such a deletion has nothing left to do: it is done.
 */
const PRINCIPAL_DELETED = /\b404\b.*\b(USER|GROUP) assignee (\S+) was not found in directory\b/;

/** Whether a FAILED deletion's reason says its principal (`principalId`, when given) no longer exists. */
export function isPrincipalDeletedFailure(reason: string | undefined, principalId?: string): boolean {
  const match = reason === undefined ? null : PRINCIPAL_DELETED.exec(reason);
  return match !== null && (principalId === undefined || match[2] === principalId);
}

/** How evidence notes a deletion that AWS ended FAILED because its principal was already gone. */
export const PRINCIPAL_ALREADY_DELETED =
  "done: the principal was already deleted from the identity store (AWS answered FAILED with a 404 reason)";
