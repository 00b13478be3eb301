import type { CoalescedEvents } from "../../adapters/coalesced-events.ts";
import type { EvidenceStore, StoredEvidence } from "../../adapters/evidence-store.ts";
import { triggerEventOf } from "../../adapters/lifecycle-bus.ts";
import type { SessionTagStore } from "../../adapters/session-tag-store.ts";
import type { ActionOutcome, EvidenceDraft } from "../../core/evidence/record.ts";
import { credentialEvidence } from "./credential-evidence.ts";
import { revocationProblems } from "./revocation-problems.ts";
import type { CredentialRunRecord } from "./revoke-credentials.ts";
import { need, type UserRunState } from "./run-state.ts";
import { type SettledOutcome, settledOutcomes } from "./settled-outcome.ts";

export interface WriteEvidenceDeps {
  store: EvidenceStore;
  /** Remembers the session-tag values this run saw, for the next run's comparison. */
  sessionTags: SessionTagStore;
  /** The events dispatch folded into a run (they are named in its evidence). */
  coalesced: CoalescedEvents;
  /** Reads the credential step's record from the run's scratch space (revoke-credentials.ts). */
  credentialRecord?: (scratchKey: string) => Promise<CredentialRunRecord>;
  now: () => string;
}

function outcome(kind: string, o: SettledOutcome, at: string): ActionOutcome {
  const target: Record<string, string> = {};
  for (const k of ["accountId", "permissionSetArn", "principalId", "membershipId", "groupId"] as const) {
    const v = o[k];
    if (v) target[k] = v;
  }
  const error = o.status === "SUCCEEDED" ? null : JSON.stringify(o.error ?? o.detail ?? "failed");
  return {
    kind,
    target,
    requestId: o.requestId ?? null,
    status: o.status,
    error,
    ...(o.note === undefined ? {} : { note: o.note }),
    startedAt: at,
    finishedAt: at,
    attempts: 1,
  };
}

/**
 * Task WriteEvidence (and WriteLiftEvidence): one chained record of the whole run: trigger, truth,
 * plan, every AWS operation with its request id and final status, verification and timings
 * (Okta published -> Deny in force -> access removed). A write failure is retried by the workflow and
 * then fails the run loudly; it never drops the revocation, which is already done.
 */
export function writeUserEvidence(deps: WriteEvidenceDeps) {
  return async (state: UserRunState): Promise<StoredEvidence> => {
    const truth = need(state.truth, "truth");
    const plan = need(state.plan, "plan");
    const lifting = state.lift !== undefined || state.credentialLift !== undefined;
    const credentialKey = lifting ? undefined : state.credentials?.scratchKey;
    const credentials = credentialEvidence(
      state,
      credentialKey && deps.credentialRecord ? await deps.credentialRecord(credentialKey) : null,
    );
    const now = deps.now();
    const event = state.trigger.event;
    const actions: ActionOutcome[] = [];
    const denyWrite = state.deny;
    if (denyWrite) {
      for (const [kind, denies] of [
        ["deny.add", plan.denies],
        ["deny.lift", plan.lifts],
      ] as const) {
        for (const d of denies) {
          actions.push({
            kind,
            target: {
              userId: d.userId,
              scope:
                d.scope === "all" ? "all" : `${d.scope.permissionSetName}:${d.scope.accountIds.join(",")}`,
              reason: d.reason,
              scps: denyWrite.scpPolicyIds.join(","),
              // The write of another run of the same burst that held this Deny (it wrote once for all).
              ...(denyWrite.carriedBy ? { carriedByRun: denyWrite.carriedBy.runId } : {}),
            },
            requestId: null,
            status: "SUCCEEDED",
            error: null,
            startedAt: plan.startedAt,
            finishedAt: denyWrite.inForceAt,
            attempts: 1,
          });
        }
      }
    }
    for (const o of [...(state.deny?.managementProvisioning ?? []), ...(state.denyProvisioning ?? [])])
      actions.push(outcome("permission-set.reprovision", o, state.deny?.inForceAt ?? now));
    for (const o of settledOutcomes(state.deletions)) actions.push(outcome("assignment.delete", o, now));
    for (const o of settledOutcomes(state.removals)) actions.push(outcome("membership.remove", o, now));
    for (const o of state.additions ?? []) actions.push(outcome("membership.add", o, now));
    if (state.lift) {
      actions.push({
        kind: "deny.lift",
        target: { userId: truth.identityCenter.userId ?? "" },
        requestId: null,
        status: "SUCCEEDED",
        error: null,
        startedAt: state.lift.liftedAt,
        finishedAt: state.lift.liftedAt,
        attempts: 1,
      });
      for (const o of [...(state.lift.managementProvisioning ?? []), ...(state.liftProvisioning ?? [])])
        actions.push(outcome("permission-set.reprovision", o, state.lift.liftedAt));
    }
    const problems = lifting ? { actions: [], findings: [] } : revocationProblems(state, now);
    actions.push(...problems.actions, ...credentials.actions);
    // A lift record stands on its own: the revoke record carries the read-back of the revocation.
    const verified = lifting ? undefined : state.verification;
    const draft: EvidenceDraft = {
      schemaVersion: 1,
      recordId: `${state.runId}.${lifting ? "lift" : "run"}`,
      runId: state.runId,
      kind: "user-run",
      createdAt: now,
      body: {
        subject: {
          oktaUserId: state.user.id,
          login: truth.okta.login,
          identityCenterUserId: truth.identityCenter.userId,
        },
        trigger: {
          type: "events",
          // The event that started the run, then every event dispatch folded into it.
          events: [
            triggerEventOf(state.trigger),
            ...(await deps.coalesced.list(state.runId)).filter((e) => e.oktaEventId !== event.oktaEventId),
          ],
        },
        truth: {
          okta: {
            userStatus: truth.okta.found ? truth.okta.status : null,
            // Absent when not read: a leaver's groups decide nothing (read-user-truth.ts).
            ...(truth.okta.groupsRead === false ? {} : { groups: truth.okta.groups.map((g) => g.name) }),
          },
          identityCenter: {
            userId: truth.identityCenter.userId,
            // How the run tied the Okta user id to an Identity Center user, or why it could not.
            ...(truth.identityCenter.resolution ? { resolution: truth.identityCenter.resolution } : {}),
            memberships: truth.identityCenter.memberships.map((m) => m.groupName ?? m.groupId),
            accountsWithAccess: plan.accountsAffected,
            directAssignments: truth.identityCenter.directAssignments.length,
          },
          ...(credentials.truth ? { organization: credentials.truth } : {}),
        },
        plan: {
          actions: plan.actions,
          findings: [
            { kind: "decision", decision: plan.decision, reason: plan.reason },
            ...plan.findings.map((f) => ({ ...f })),
            ...problems.findings.map((f) => ({ ...f })),
            ...credentials.findings,
          ],
          blockedReason: null,
        },
        actions,
        verification: verified
          ? {
              // A check skipped by design (SCPs disabled) is a finding, not a failed verification.
              passed:
                verified.passed && credentials.details.every((d) => d.passed || d.skipped !== undefined),
              details: [...verified.details, ...credentials.details],
            }
          : null,
        timings: {
          oktaPublished: event.published,
          runStarted: plan.startedAt,
          ...(state.deny ? { denyInForce: state.deny.inForceAt } : {}),
          ...(verified?.passed ? { accessRemoved: verified.verifiedAt } : {}),
          runFinished: now,
        },
      },
    };
    // A run that could tie the event to nobody changed nothing: its record yields to revocations'.
    const priority = plan.decision === "unverifiable" ? "background" : "normal";
    const stored = await deps.store.append(draft, draft.recordId, { priority });
    if (!lifting && Object.keys(plan.sessionTags).length > 0)
      await deps.sessionTags.put(state.user.id, plan.sessionTags);
    return stored;
  };
}
