/**
 * Credential reports (IAM API Reference: GenerateCredentialReport, GetCredentialReport; IAM User Guide,
 * "Generate credential reports for your AWS account"). "When you request a report, IAM first checks
 * whether a report for the AWS account has been generated within the past four hours. If so, the most
 * recent report is downloaded. If [it] is older than four hours, or if there are no previous reports
 * ..., IAM generates ... a new report": Generate answers `STARTED` when it starts one and `COMPLETE`
 * while a report of the last four hours exists; Get answers `ReportNotPresent` (410) before any,
 * `ReportInProgress` (404) until generation completes (`generationMs`), then the CSV, Base64-encoded,
 * as of the moment generation started. Columns and their `N/A` / `not_supported` values follow the
 * guide's "Understanding the report format". When AWS answers `ReportExpired` is not documented: not
 * modelled (a report stays readable until the next one replaces it).
 */
import { AwsServiceError } from "../aws-json-protocol.ts";
import type { AwsQueryOperation } from "../aws-query-protocol.ts";
import type { IamContext } from "./context.ts";
import { IAM_ERROR_STATUSES } from "./errors.ts";
import { userArn } from "./shapes.ts";
import type { AccessKeyRecord, AccountIam, UserRecord } from "./state.ts";

export const REPORT_REUSE_MS = 4 * 3600 * 1000;

const COLUMNS = [
  "user",
  "arn",
  "user_creation_time",
  "password_enabled",
  "password_last_used",
  "password_last_changed",
  "password_next_rotation",
  "mfa_active",
  ...[1, 2].flatMap((n) => [
    `access_key_${n}_active`,
    `access_key_${n}_last_rotated`,
    `access_key_${n}_last_used_date`,
    `access_key_${n}_last_used_region`,
    `access_key_${n}_last_used_service`,
  ]),
  "cert_1_active",
  "cert_1_last_rotated",
  "cert_2_active",
  "cert_2_last_rotated",
];

/** ISO 8601 as the report writes it (`2014-08-07T19:47:58+00:00`). */
const time = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, "+00:00");
const flag = (value: boolean) => (value ? "true" : "false");

function keyColumns(key: AccessKeyRecord | undefined): string[] {
  if (key === undefined) return ["false", "N/A", "N/A", "N/A", "N/A"];
  const used = key.lastUsed;
  return [
    flag(key.status === "Active"),
    time(key.createdAt),
    used ? time(used.date) : "N/A",
    used?.region ?? "N/A",
    used?.service ?? "N/A",
  ];
}

function userRow(accountId: string, user: UserRecord): string[] {
  const profile = user.loginProfile;
  return [
    user.name,
    userArn(accountId, user),
    time(user.createdAt),
    flag(profile !== undefined),
    profile === undefined ? "N/A" : user.passwordLastUsed ? time(user.passwordLastUsed) : "no_information",
    profile === undefined ? "N/A" : time(profile.createdAt),
    "N/A",
    flag(user.mfaDevices.length > 0),
    ...keyColumns(user.accessKeys[0]),
    ...keyColumns(user.accessKeys[1]),
    "false",
    "N/A",
    "false",
    "N/A",
  ];
}

export function credentialReportCsv(account: AccountIam, createdAt: Date): string {
  const root = [
    "<root_account>",
    `arn:aws:iam::${account.accountId}:root`,
    time(createdAt),
    "not_supported",
    "no_information",
    "not_supported",
    "not_supported",
    "false",
    ...keyColumns(undefined),
    ...keyColumns(undefined),
    "false",
    "N/A",
    "false",
    "N/A",
  ];
  const users = [...account.users.values()].sort((a, b) => a.name.localeCompare(b.name));
  return [COLUMNS, root, ...users.map((u) => userRow(account.accountId, u))]
    .map((row) => row.join(","))
    .join("\n");
}

const reportError = (code: string, message: string) =>
  new AwsServiceError(code, message, IAM_ERROR_STATUSES[code]);

export function credentialReportOperations(
  ctx: IamContext,
  generationMs: () => number,
): Record<string, AwsQueryOperation> {
  const accountOf = (request: Parameters<AwsQueryOperation>[1]) =>
    ctx.state.account(ctx.caller(request, "iam").accountId);
  return {
    GenerateCredentialReport(_input, request) {
      const account = accountOf(request);
      const now = ctx.now();
      const current = account.credentialReport;
      if (current !== undefined && now - current.startedAt.getTime() < REPORT_REUSE_MS) {
        return current.readyAt.getTime() <= now
          ? { State: "COMPLETE" }
          : { State: "INPROGRESS", Description: "Report generation in progress." };
      }
      account.credentialReport = {
        startedAt: new Date(now),
        readyAt: new Date(now + generationMs()),
        csv: credentialReportCsv(account, new Date(now)),
      };
      return { State: "STARTED", Description: "No report exists. Starting a new report generation task" };
    },
    GetCredentialReport(_input, request) {
      const report = accountOf(request).credentialReport;
      if (report === undefined) {
        throw reportError(
          "ReportNotPresent",
          "Credential report not present. Use GenerateCredentialReport to generate one.",
        );
      }
      if (report.readyAt.getTime() > ctx.now())
        throw reportError("ReportInProgress", "Report generation in progress.");
      return {
        Content: Buffer.from(report.csv).toString("base64"),
        ReportFormat: "text/csv",
        GeneratedTime: report.startedAt,
      };
    },
  };
}
