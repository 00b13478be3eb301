import type { ActionOutcome } from "../../core/evidence/record.ts";
import type { Finding } from "../../core/plan/plan.ts";

/**
 * A permission-set deletion AWS refused as in use (ConflictException: the executor's SKIPPED outcome,
 * plan-executor.ts) is pending, not failed: a `permission-set-delete-pending` finding in the run's
 * evidence, as the plan reports a set it found in use. Read from the outcomes, so the deployed batches
 * (which keep only outcomes) and the CLI report it alike.
 */
export function permissionSetDeletionFindings(outcomes: readonly ActionOutcome[]): Finding[] {
  return outcomes
    .filter((o) => o.kind === "permission-set.delete" && o.status === "SKIPPED")
    .map((o) => ({
      kind: "permission-set-delete-pending",
      message:
        `permission set '${o.target.permissionSet}' was created by this tool and the policy no longer ` +
        `declares it, but AWS refused to delete it (${o.note ?? "in use"}): it was assigned or ` +
        "provisioned after the plan read it; a later run deletes it once unused",
      subject: {
        permissionSet: o.target.permissionSet ?? "",
        permissionSetArn: o.target.permissionSetArn ?? "",
      },
    }));
}
