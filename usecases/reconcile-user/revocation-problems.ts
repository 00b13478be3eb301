import type { ActionOutcome } from "../../core/evidence/record.ts";
import type { Finding } from "../../core/plan/plan.ts";
import type { UserRunState } from "./run-state.ts";

/** A failure as evidence writes it: the error's name and message. */
const errorText = (e: { Error?: string; Cause?: string } | undefined) =>
  e === undefined ? "failed" : `${e.Error ?? "Error"}: ${e.Cause ?? ""}`.trim();

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
  const sessionsFailed =
    state.oktaSessions?.failed ?? (state.oktaSessionsError && errorText(state.oktaSessionsError));
  if (sessionsFailed)
    actions.push(failedAction("okta.sessions.clear", { oktaUserId: state.user.id }, sessionsFailed));
  return { actions, findings };
}
