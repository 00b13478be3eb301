import type { Assignment } from "../estate.ts";

/** A stable string identity of an assignment, for set arithmetic and deterministic sorting. */
export function assignmentKey(a: Assignment): string {
  return `${a.accountId}|${a.permissionSetArn}|${a.principalType}|${a.principalId}`;
}
