import type { Assignment, PrincipalType } from "../estate.ts";

/**
 * The assignments that name exactly this principal. Whether sso-admin's
 * ListAccountAssignmentsForPrincipal, asked about a USER, also returns what the user inherits through
 * its groups (each item naming the GROUP) is undocumented (docs/aws-behaviour.md,
 * `listForPrincipalIncludesInherited`): a plan for a principal acts only on items naming it, or a
 * leaver run would delete a whole group's assignment.
 */
export function ownAssignments(
  assignments: readonly Assignment[],
  principalType: PrincipalType,
  principalId: string | null,
): Assignment[] {
  return assignments.filter((a) => a.principalType === principalType && a.principalId === principalId);
}
