import type { ActionOutcome } from "../../core/evidence/record.ts";
import type { Finding } from "../../core/plan/plan.ts";
import type { ScpCapacity, UserRunState } from "./run-state.ts";

/** A failure as evidence writes it: the error's name and message. */
const errorText = (e: { Error?: string; Cause?: string } | undefined) =>
  e === undefined ? "failed" : `${e.Error ?? "Error"}: ${e.Cause ?? ""}`.trim();

/** What a Deny write found about the revocation SCPs' room (issue 17), one finding per fact; estate runs too. */
export function scpCapacityFindings(capacity: ScpCapacity | undefined): Finding[] {
  if (capacity === undefined) return [];
  const findings: Finding[] = [];
  const fallback = capacity.massFallback;
  if (fallback)
    findings.push({
      kind: "mass-fallback",
      message:
        `${fallback.userIds.length} users' Denies fit in no revocation SCP, so the policy's massFallback: auto ` +
        `denies every Identity Center session issued before ${fallback.issuedBefore}: everyone signs in again ` +
        `through Okta, and these users cannot: ${fallback.userIds.join(", ")}`,
      subject: { issuedBefore: fallback.issuedBefore, userIds: fallback.userIds.join(",") },
    });
  const federated = capacity.federatedFallback;
  if (federated)
    findings.push({
      kind: "mass-fallback",
      message:
        `${federated.userIds.length} leavers' federated-session Denies fit in no revocation SCP, so the policy's ` +
        `massFallback: auto denies every session of the Okta-trusting roles (${federated.rolePatterns.join(", ")}) ` +
        `issued before ${federated.issuedBefore}: everyone federated signs in again through Okta, and these ` +
        `leavers cannot: ${federated.userIds.join(", ")}`,
      subject: {
        placement: "federated",
        issuedBefore: federated.issuedBefore,
        rolePatterns: federated.rolePatterns.join(","),
        userIds: federated.userIds.join(","),
      },
    });
  for (const f of capacity.inlineFallbacks ?? [])
    findings.push({
      kind: "mass-fallback",
      message:
        `${f.userIds.length} users' Denies fit in no room in the management-account inline policy of ${f.target}, so ` +
        `the policy's massFallback: auto denies its sessions issued before ${f.issuedBefore}: ${f.userIds.join(", ")}`,
      subject: {
        placement: "inline",
        permissionSetArn: f.target,
        issuedBefore: f.issuedBefore,
        userIds: f.userIds.join(","),
      },
    });
  const uncovered = capacity.uncovered ?? [];
  if (uncovered.length > 0)
    findings.push({
      kind: "scp-overflow",
      message:
        `${uncovered.length} users' Denies fit in no revocation SCP and the policy's massFallback is ask: their ` +
        `member-account sessions stay until they expire. Set revocation.massFallback: auto (everyone signs in ` +
        `again) or add slots (OAL_REVOCATION_SCP_SLOTS). Not denied: ${uncovered.join(", ")}`,
      subject: { userIds: uncovered.join(",") },
    });
  if (capacity.limitHit)
    findings.push({
      kind: "scp-size-limit-hit",
      message:
        `Organizations refused a revocation SCP of at most ${capacity.limitHit.configuredChars} characters ` +
        `(POLICY_CONTENT_LIMIT_EXCEEDED): the slots were written at ${capacity.limitHit.writtenChars}. ` +
        "Set OAL_SCP_MAX_CHARS to the organization's limit",
      subject: { configuredChars: String(capacity.limitHit.configuredChars) },
    });
  return findings;
}

/**
 * What a run could not do while it went on with the rest (issue 12): refused Deny placements, Denies
 * that did not fit, a Deny write or an Okta session clear that failed even after retries. Each is a
 * FAILED action or a finding in evidence, and makes the run a partial one (run-signals.ts alarms).
 */
export function revocationProblems(
  state: UserRunState,
  at: string,
): { actions: ActionOutcome[]; findings: Finding[] } {
  const failedAction = (kind: string, target: Record<string, string>, error: string): ActionOutcome => ({
    kind,
    target,
    requestId: null,
    status: "FAILED",
    error,
    startedAt: state.plan?.startedAt ?? at,
    finishedAt: at,
    attempts: 1,
  });
  const actions: ActionOutcome[] = [];
  const findings: Finding[] = [];
  if (state.denyError !== undefined)
    for (const d of state.plan?.denies ?? [])
      actions.push(
        failedAction("deny.add", { userId: d.userId, reason: d.reason }, errorText(state.denyError)),
      );
  for (const f of state.deny?.failures ?? [])
    actions.push(failedAction(`deny.place.${f.placement}`, { target: f.target }, f.error));
  for (const d of state.deny?.dropped ?? [])
    findings.push({
      kind: "deny-dropped",
      message:
        `a ${d.deny.reason} Deny of ${d.deny.userId} did not fit in the inline policy of ${d.target} ` +
        "(10,240 characters): sessions of that permission set in the management account are not denied",
      subject: { userId: d.deny.userId, permissionSetArn: d.target },
    });
  for (const s of state.deny?.skipped ?? [])
    findings.push({
      kind: "deny-placement-skipped",
      message: s.reason,
      subject: {
        placement: s.placement,
        ...(state.truth?.identityCenter.userId ? { userId: state.truth.identityCenter.userId } : {}),
      },
    });
  for (const d of state.skippedDeletions ?? [])
    findings.push({
      kind: "management-account-skipped",
      message:
        `the assignment of ${d.permissionSetArn} to ${d.principalId} in the management account ${d.accountId} ` +
        `was not deleted: ${d.reason}; or delete it by hand from the management account`,
      subject: { accountId: d.accountId, permissionSetArn: d.permissionSetArn, principalId: d.principalId },
    });
  findings.push(...scpCapacityFindings(state.deny?.scpCapacity));
  const sessionsFailed =
    state.oktaSessions?.failed ?? (state.oktaSessionsError && errorText(state.oktaSessionsError));
  if (sessionsFailed)
    actions.push(failedAction("okta.sessions.clear", { oktaUserId: state.user.id }, sessionsFailed));
  return { actions, findings };
}
