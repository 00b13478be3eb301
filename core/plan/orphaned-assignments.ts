import type { Assignment, IdentityCenterState } from "../estate.ts";
import type { Finding } from "./plan.ts";

type PrincipalState = Pick<IdentityCenterState, "users" | "groups" | "unnamed" | "principalCheck">;

/** Whether the identity store read returned the assignment's user or group (named or not). */
function wasRead(ic: PrincipalState, a: Assignment): boolean {
  return a.principalType === "USER"
    ? ic.users.some((u) => u.userId === a.principalId) || (ic.unnamed?.userIds ?? []).includes(a.principalId)
    : ic.groups.some((g) => g.groupId === a.principalId) ||
        (ic.unnamed?.groupIds ?? []).includes(a.principalId);
}

/**
 * The distinct principals of assignments the identity store read did not return, sorted by id: the
 * ones a run must confirm (DescribeUser / DescribeGroup) before any of them counts as orphaned.
 */
export function unreadPrincipals(
  ic: PrincipalState & Pick<IdentityCenterState, "assignments">,
): { principalType: Assignment["principalType"]; principalId: string }[] {
  const found = new Map<string, Assignment["principalType"]>();
  for (const a of ic.assignments) if (!wasRead(ic, a)) found.set(a.principalId, a.principalType);
  return [...found]
    .map(([principalId, principalType]) => ({ principalType, principalId }))
    .sort((x, y) => x.principalId.localeCompare(y.principalId));
}

/**
 * What an assignment's principal is: `held` (the read returned it), `orphaned` (the identity store
 * confirmed it deleted: SCIM deletes a principal without its assignments, which stay listed,
 * hashicorp/terraform-provider-aws issue 19341), or `unconfirmed` (the read did not return it, but
 * nothing confirmed it gone: a short or empty read must never make every assignment look orphaned).
 */
export function principalStatus(ic: PrincipalState, a: Assignment): "held" | "orphaned" | "unconfirmed" {
  if (wasRead(ic, a)) return "held";
  const check = ic.principalCheck;
  if (check === undefined || check.storeReadEmpty) return "unconfirmed";
  return check.missing.includes(a.principalId) ? "orphaned" : "unconfirmed";
}

/** Whether an assignment is orphaned: its principal is confirmed deleted from the identity store. */
export function isOrphaned(ic: PrincipalState, a: Assignment): boolean {
  return principalStatus(ic, a) === "orphaned";
}

/** Why an unread principal was not judged orphaned, for its finding. */
function unconfirmedReason(ic: PrincipalState, principalId: string): string {
  const check = ic.principalCheck;
  if (check === undefined) return "the run could not confirm it (no identity store check)";
  if (check.storeReadEmpty)
    return "the identity store read returned no user and no group although assignments exist (a fault or a short read): orphan deletion is blocked for this run";
  if (check.present.includes(principalId))
    return "the identity store still holds it (its list read came back short)";
  return "its check did not fit in this run's call budget; the next run checks it";
}

/** The finding for an assignment whose principal was not read but is not confirmed deleted. */
export function unconfirmedOrphanFinding(ic: PrincipalState, a: Assignment): Finding {
  return {
    kind: "orphan-unconfirmed",
    message:
      `${a.principalType} ${a.principalId} is assigned on ${a.accountId} but the identity store read did not return it, ` +
      `and it is not deleted: ${unconfirmedReason(ic, a.principalId)}. Nothing is deleted for it.`,
    subject: {
      accountId: a.accountId,
      permissionSetArn: a.permissionSetArn,
      principalType: a.principalType,
      principalId: a.principalId,
    },
  };
}

/** The finding that reports an orphaned assignment. */
export function orphanedAssignmentFinding(a: Assignment, owned = true): Finding {
  return {
    kind: "orphaned-assignment",
    message:
      `${a.principalType} ${a.principalId} no longer exists in the identity store but is still assigned on ` +
      `${a.accountId}: the assignment grants nobody access; ` +
      (owned
        ? "its deletion is attempted, and AWS's 404 for it counts as done."
        : "its permission set is not the policy's to manage (ownership), so it is left for its owner."),
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
