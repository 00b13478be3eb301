import type { Finding } from "../../core/plan/plan.ts";
import type { SkippedPlacement } from "../reconcile-user/enforce-denies.ts";
import { scpCapacityFindings } from "../reconcile-user/revocation-problems.ts";
import type { DroppedDeny, ScpCapacity } from "../reconcile-user/run-state.ts";

/** What one Deny write (enforceDenies) reports beside the policies it wrote. */
export interface DenyWriteReport {
  scpCapacity?: ScpCapacity;
  dropped: DroppedDeny[];
  skipped: SkippedPlacement[];
}

/**
 * The findings of an estate run's Deny write, the same kinds a user run records
 * (usecases/reconcile-user/revocation-problems.ts): the mass fallback naming every leaver it covers,
 * Denies that fit nowhere, placements left out by design. An estate run writes the whole ledger, so
 * it may be the run that first needs the fallback.
 */
export function denyWriteFindings(report: DenyWriteReport): Finding[] {
  return [
    ...scpCapacityFindings(report.scpCapacity),
    ...report.dropped.map(
      (d): Finding => ({
        kind: "deny-dropped",
        message:
          `a ${d.deny.reason} Deny of ${d.deny.userId} did not fit in the inline policy of ${d.target} ` +
          "(10,240 characters): sessions of that permission set in the management account are not denied",
        subject: { userId: d.deny.userId, permissionSetArn: d.target },
      }),
    ),
    ...report.skipped.map(
      (s): Finding => ({
        kind: "deny-placement-skipped",
        message: s.reason,
        subject: { placement: s.placement },
      }),
    ),
  ];
}
