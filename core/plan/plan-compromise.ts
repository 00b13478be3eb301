import { addMs } from "../duration.ts";
import type { DenyEntry } from "../estate.ts";
import type { CompromiseSignal } from "../okta/event-types.ts";
import type { LifecycleEvent } from "../okta/lifecycle-event.ts";
import type { CompromiseSignalPolicy } from "../policy/compromise-signals.ts";
import { denyInForce } from "./deny-key.ts";
import type { Finding } from "./plan.ts";
import type { UserRunPlan } from "./plan-user-run.ts";
import type { UserTruth } from "./user-truth.ts";

export interface CompromiseOptions {
  /** policy `compromiseSignals` */
  policy: CompromiseSignalPolicy;
  /** How long the Deny stays (the policy hold, at least the longest session). */
  holdMs: number;
  now: string;
}

/**
 * Adds what a compromise signal asks for to a user run's plan (issue 13). When the policy turns the
 * signal on (`endSessions`), the user keeps their access but every AWS role session issued before the
 * signal is denied: a Deny on the user's `identitystore:userId` with `aws:TokenIssueTime` before the
 * signal's instant (the attribute-change shape, reason `compromise`), held for the longest session,
 * so only sessions started after it, through Okta again, work.
 *
 * The instant is the event's `published`, but never later than `now`: a Deny on sessions issued
 * "before" a future instant would also deny the sessions the user starts after the signal (ingress
 * already dates events further ahead than the clock-skew allowance at their arrival).
 *
 * Nothing is added (a finding says why) when the signal is off, when the event is the pipeline's own
 * session clear, for a risk change down to LOW, for a run that revokes the user or acts on nobody
 * (a leaver's Deny already covers every session), when Identity Center holds no user, or when a Deny
 * in force already covers the sessions issued before the signal.
 */
export function planCompromiseSignal(
  plan: UserRunPlan,
  truth: UserTruth,
  event: LifecycleEvent,
  options: CompromiseOptions,
): UserRunPlan {
  if (event.subject !== "user" || event.signal === undefined) return plan;
  const signal = event.signal;
  const userId = truth.identityCenter.userId;
  const issuedBefore = event.published < options.now ? event.published : options.now;
  const subject = {
    signal,
    eventType: event.eventType,
    oktaEventId: event.oktaEventId,
    ...(userId === null ? {} : { userId }),
  };
  const note = (message: string): UserRunPlan => ({
    ...plan,
    findings: [...plan.findings, { kind: "compromise-signal", message, subject }],
  });
  const what = `Compromise signal ${signal} (${event.eventType})`;

  const skip = skipReason(plan, truth, event, signal, options);
  if (skip !== null) return note(`${what}: ${skip}.`);
  // The user id is known past skipReason.
  const id = String(userId);
  const covered = truth.identityCenter.denies.some(
    (d) =>
      d.userId === id &&
      d.scope === "all" &&
      denyInForce(d, options.now) &&
      (d.issuedBefore === undefined || d.issuedBefore >= issuedBefore),
  );
  if (covered)
    return note(`${what}: a Deny in force already covers the sessions issued before ${issuedBefore}.`);

  const deny: DenyEntry = {
    userId: id,
    scope: "all",
    issuedBefore,
    reason: "compromise",
    createdAt: options.now,
    expiresAt: addMs(options.now, options.holdMs),
  };
  const finding: Finding = {
    kind: "compromise-signal",
    message: `${what}: AWS role sessions issued before ${issuedBefore} are denied; the user keeps their access and signs in again through Okta.`,
    subject,
  };
  return {
    ...plan,
    decision: "adjust",
    reason: `${plan.reason}; compromise signal ${signal} (${event.eventType}): sessions issued before ${issuedBefore} end`,
    denies: [...plan.denies, deny],
    findings: [...plan.findings, finding],
    holdSeconds: Math.max(plan.holdSeconds, Math.ceil(options.holdMs / 1000)),
    actions: [...plan.actions, { kind: "deny.add", deny, inlinePermissionSetArns: [] }],
  };
}

/** Why the signal ends no session, or `null` when it does. */
function skipReason(
  plan: UserRunPlan,
  truth: UserTruth,
  event: LifecycleEvent & { subject: "user" },
  signal: CompromiseSignal,
  options: CompromiseOptions,
): string | null {
  if (options.policy[signal] !== "endSessions")
    return `the policy's compromiseSignals.${signal} is ${options.policy[signal]}, so live sessions are left`;
  if (
    signal === "adminSessionClear" &&
    event.actor !== null &&
    options.policy.pipelineActorIds.includes(event.actor.id)
  )
    return `the session clear was made by the pipeline itself (actor ${event.actor.id}, compromiseSignals.pipelineActorIds)`;
  if (signal === "userRisk" && event.riskLevel === "LOW")
    return "the user's risk level is now LOW, so live sessions are left";
  if (plan.decision === "revoke") return "the user is a leaver: the leaver's Deny ends every session";
  if (plan.decision === "unverifiable") return "no Identity Center user can be trusted to be this Okta user";
  if (truth.identityCenter.userId === null)
    return "Identity Center holds no user for them, so there is no session to end";
  return null;
}
