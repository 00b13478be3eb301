import type { ActionOutcome } from "../../core/evidence/record.ts";
import { scpCapacityFindings } from "./revocation-problems.ts";
import type { CredentialRunRecord } from "./revoke-credentials.ts";
import type { UserRunState } from "./run-state.ts";

/** What the credential step adds to a user run's evidence record. */
export interface CredentialEvidenceParts {
  /** `truth.organization.credentials`: the accounts read and those that could not be. */
  truth: Record<string, unknown> | null;
  /** One per credential ended (kind = the CredentialAction kind, target = CredentialEvidence), and each role Deny lifted. */
  actions: ActionOutcome[];
  /** Credential findings (core/credentials) and one `credential-account-problem` per account that failed. */
  findings: { kind: string; [key: string]: unknown }[];
  /** Read-back and policy-evaluation checks. */
  details: { check: string; passed: boolean; detail?: string; skipped?: string }[];
}

/**
 * The credential step's part of the evidence (issue 16): every credential ended per account, the
 * problems and findings, the read-back; for the lift record, each role Deny lifted.
 */
export function credentialEvidence(
  state: UserRunState,
  record: CredentialRunRecord | null,
): CredentialEvidenceParts {
  const parts: CredentialEvidenceParts = { truth: null, actions: [], findings: [], details: [] };
  const lift = state.credentialLift;
  if (state.lift !== undefined || lift !== undefined) {
    if (lift === undefined || !("lifted" in lift)) return parts;
    for (const l of lift.lifted)
      parts.actions.push({
        kind: "federated-deny.lift",
        target: { accountId: l.accountId, roleName: l.roleName, policyName: l.policyName },
        requestId: null,
        status: l.status,
        error: l.error ?? null,
        startedAt: lift.liftedAt,
        finishedAt: lift.liftedAt,
        attempts: 1,
      });
    return parts;
  }
  if (state.credentialsError)
    parts.findings.push({
      kind: "credentials-step-failed",
      message: `The credential step failed after its retries (${state.credentialsError.Error ?? "Error"}): the leaver's IAM users and federated sessions were not all ended; the next run of this user tries again.`,
      error: state.credentialsError,
    });
  if (state.credentials?.skipped) parts.truth = { credentials: { skipped: state.credentials.skipped } };
  if (record === null) return parts;
  parts.truth = {
    credentials: {
      accountsRead: record.accounts.filter((a) => !record.problems.some((p) => p.accountId === a.accountId)),
      accountProblems: record.problems.map((p) => p.accountId),
    },
  };
  parts.actions.push(...record.outcomes);
  for (const p of record.problems) parts.findings.push({ kind: "credential-account-problem", ...p });
  for (const f of record.findings) parts.findings.push({ ...f });
  if (record.scpSkipped)
    parts.findings.push({
      kind: record.scpUncovered ? "federated-deny-uncovered" : "federated-deny-skipped",
      message: `The leaver's federated sessions in member accounts are not denied: ${record.scpSkipped}`,
      subject: { placement: "scp" },
    });
  // The step's SCP write re-renders every Deny: its fallbacks (and the users they name) are evidence too.
  for (const f of scpCapacityFindings(record.scpCapacity)) parts.findings.push({ ...f });
  parts.details.push(...record.checks);
  return parts;
}
