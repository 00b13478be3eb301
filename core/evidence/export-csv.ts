import { longLivedCredentialsCsv } from "../credentials/sweep.ts";
import { type CsvCell, toCsv } from "./csv.ts";
import type { AccessReviewRow, DriftRow, ExportModel, LeaverRow, UserChangeRow } from "./export-model.ts";
import { formatDuration, toSeconds } from "./format.ts";
import { formatCredentialsEnded } from "./long-lived-credentials.ts";

/*
 * The CSV files of an export. Times are ISO-8601 UTC; durations are seconds with millisecond precision
 * (`_s` columns); lists are `; `-separated; every row names the evidence record it comes from.
 */

const list = (values: readonly string[]): string => values.join("; ");
const yesNo = (value: boolean | null): string => (value === null ? "n/a" : value ? "yes" : "no");

export const LEAVERS_HEADER = [
  "okta_user_id",
  "login",
  "okta_event_type",
  "okta_event_id",
  "okta_deactivated_at",
  "deny_in_force_at",
  "access_removed_at",
  "time_to_deny_in_force_s",
  "time_to_revoke_s",
  "accounts_affected_count",
  "accounts_affected",
  "sla",
  "sla_met",
  "outcome",
  "outcome_detail",
  "deny_lifted_at",
  "evidence_key",
  "lift_evidence_key",
  "run_id",
  "credentials_ended",
];

export function leaversCsv(rows: readonly LeaverRow[], slaMs: number): string {
  return toCsv(
    LEAVERS_HEADER,
    rows.map((r): CsvCell[] => [
      r.oktaUserId,
      r.login,
      r.eventType,
      r.oktaEventId,
      r.oktaDeactivatedAt,
      r.denyInForceAt,
      r.accessRemovedAt,
      toSeconds(r.timeToDenyMs),
      toSeconds(r.timeToRevokeMs),
      r.accountsAffected.length,
      list(r.accountsAffected),
      formatDuration(slaMs),
      yesNo(r.slaMet),
      r.outcome,
      r.outcomeDetail,
      r.denyLiftedAt,
      r.evidenceKey,
      r.liftEvidenceKey,
      r.runId,
      formatCredentialsEnded(r.credentialsEnded),
    ]),
  );
}

export const USER_CHANGE_HEADER = [
  "okta_user_id",
  "login",
  "okta_event_types",
  "okta_event_at",
  "okta_status",
  "okta_groups",
  "accounts_with_access_count",
  "accounts_with_access",
  "changes",
  "failed_actions",
  "findings",
  "verification",
  "deny_in_force_at",
  "time_to_deny_in_force_s",
  "run_finished_at",
  "time_to_converge_s",
  "evidence_key",
  "lift_evidence_key",
  "run_id",
];

/** joiners.csv and movers.csv share their columns. */
export function userChangesCsv(rows: readonly UserChangeRow[]): string {
  return toCsv(
    USER_CHANGE_HEADER,
    rows.map((r): CsvCell[] => [
      r.oktaUserId,
      r.login,
      list(r.eventTypes),
      r.oktaEventAt,
      r.oktaStatus,
      list(r.oktaGroups),
      r.accountsWithAccess.length,
      list(r.accountsWithAccess),
      list(r.changes),
      r.failedActions,
      list(r.findings),
      r.verification,
      r.denyInForceAt,
      toSeconds(r.timeToDenyMs),
      r.runFinishedAt,
      toSeconds(r.timeToConvergeMs),
      r.evidenceKey,
      r.liftEvidenceKey,
      r.runId,
    ]),
  );
}

export const DRIFT_HEADER = [
  "detected_at",
  "source",
  "type",
  "kind",
  "subject",
  "detail",
  "outcome",
  "request_id",
  "evidence_key",
  "run_id",
];

export function driftCsv(rows: readonly DriftRow[]): string {
  return toCsv(
    DRIFT_HEADER,
    rows.map((r): CsvCell[] => [
      r.detectedAt,
      r.source,
      r.type,
      r.kind,
      r.subject,
      r.detail,
      r.outcome,
      r.requestId,
      r.evidenceKey,
      r.runId,
    ]),
  );
}

export const ACCESS_REVIEW_HEADER = [
  "user_id",
  "user_name",
  "okta_group",
  "permission_set",
  "account_id",
  "since",
  "snapshot_at",
  "evidence_key",
];

export function accessReviewCsv(rows: readonly AccessReviewRow[]): string {
  return toCsv(
    ACCESS_REVIEW_HEADER,
    rows.map((r): CsvCell[] => [
      r.userId,
      r.userName,
      r.groupName,
      r.permissionSetName,
      r.accountId,
      r.since,
      r.snapshotAt,
      r.evidenceKey,
    ]),
  );
}

/** Every CSV file of an export, by file name. */
export function exportCsvFiles(model: ExportModel): Record<string, string> {
  return {
    "leavers.csv": leaversCsv(model.leavers, model.figures.slaMs),
    "joiners.csv": userChangesCsv(model.joiners),
    "movers.csv": userChangesCsv(model.movers),
    "drift.csv": driftCsv(model.drift),
    "access-review.csv": accessReviewCsv(model.accessReview),
    "long-lived-credentials.csv": longLivedCredentialsCsv(model.longLivedCredentials),
  };
}
