import {
  isPrincipalDeletedFailure,
  PRINCIPAL_ALREADY_DELETED,
} from "../../core/plan/orphaned-assignments.ts";
import type { OperationOutcome } from "./run-state.ts";

/** A Map iteration's outcome as the run counts it, with why it counts as done when AWS said otherwise. */
export type SettledOutcome = OperationOutcome & { note?: string };

const failureReason = (detail: unknown): string | undefined => {
  const reason = (detail as { FailureReason?: unknown } | undefined)?.FailureReason;
  return typeof reason === "string" ? reason : undefined;
};

/**
 * The workflow reports each removal as AWS ended it; two FAILED answers mean the thing is already gone,
 * so the run counts them as done (and evidence says why), never as a failed or partial run:
 * - an assignment deletion AWS ended FAILED because its principal was deleted from the identity store
 *   ("Received a 404 status error: the USER assignee <id> was not found in directory <store>",
 *   hashicorp/terraform-provider-aws issue 19341; docs/aws-behaviour.md `orphanedAssignmentDeletion`);
 * - a membership removal answered ResourceNotFoundException (SCIM deleted the user, and its memberships
 *   with it, while the run was under way: `scimDeactivation: delete`), under either Step Functions
 *   error prefix (`Identitystore.` or `IdentityStore.`).
 */
export function settledOutcome(o: OperationOutcome): SettledOutcome {
  if (o.status !== "FAILED") return o;
  if (o.principalId !== undefined && isPrincipalDeletedFailure(failureReason(o.detail), o.principalId))
    return { ...o, status: "SUCCEEDED", note: PRINCIPAL_ALREADY_DELETED };
  if (
    o.membershipId !== undefined &&
    /^Identity[Ss]tore\.ResourceNotFoundException$/.test(o.error?.Error ?? "")
  )
    return {
      ...o,
      status: "SUCCEEDED",
      note: "done: the membership was already gone (ResourceNotFoundException)",
    };
  return o;
}

/** The outcomes of one of the run's Maps, as the run counts them. */
export const settledOutcomes = (outcomes: readonly OperationOutcome[] | undefined): SettledOutcome[] =>
  (outcomes ?? []).map(settledOutcome);
