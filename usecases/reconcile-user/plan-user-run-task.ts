import { checkUserRunPlanScope, PlanOutsidePolicyError } from "../../core/plan/check-plan-scope.ts";
import { judgeUserAbacAttributes } from "../../core/plan/judge-user-abac-attributes.ts";
import { mergeDenyFirstPlan } from "../../core/plan/merge-deny-first-plan.ts";
import { planCompromiseSignal } from "../../core/plan/plan-compromise.ts";
import { planUserRun, type UserRunPlan } from "../../core/plan/plan-user-run.ts";
import type { UserTruth } from "../../core/plan/user-truth.ts";
import { COMPROMISE_SIGNALS_OFF } from "../../core/policy/compromise-signals.ts";
import type { Policy } from "../../core/policy/schema.ts";
import { need, type UserRunState } from "./run-state.ts";

export interface PlanTaskDeps {
  /** How long a Deny is held (the policy's hold, at least the longest session duration). */
  holdMs: number;
  /** The policy owns group membership (policy.ownership.membershipSync). */
  membershipSync: boolean;
  /** policy.sessionTagAttributes */
  sessionTagAttributes: readonly string[];
  /**
   * The policy's rules and ownership, read again to check the plan before the workflow applies it, and
   * its compromise signals (absent: all off), and its `abac` section and permission sets (which are
   * ABAC-scoped; absent: no ABAC check).
   */
  policy: Pick<Policy, "rules" | "ownership"> &
    Partial<Pick<Policy, "compromiseSignals" | "abac" | "permissionSets">>;
  now: () => string;
}

/**
 * Task Plan: core/plan decides from the truth (leaver, or the joiner / mover branch for an active
 * user); the run id and start instant go along for evidence. A plan that names a group, membership,
 * assignment or user outside the policy and the run's truth fails the step (PlanOutsidePolicyError)
 * before the workflow applies any of it.
 */
export function planUserRunTask(deps: PlanTaskDeps) {
  return async (state: UserRunState): Promise<UserRunPlan & { runId: string; startedAt: string }> => {
    const now = deps.now();
    const truth = need(state.truth, "truth");
    const event = state.trigger.event;
    const leftGroupNames =
      event.subject === "user" && event.eventType === "group.user_membership.remove" && event.group?.name
        ? [event.group.name]
        : [];
    const planned = planUserRun(truth, {
      holdMs: deps.holdMs,
      now,
      change: {
        membershipSync: deps.membershipSync,
        sessionTagAttributes: deps.sessionTagAttributes,
        leftGroupNames,
        permissionSetNames: truth.permissionSetNames ?? {},
        changedAt: event.published,
      },
    });
    // A compromise signal (issue 13) may also end the sessions issued before it: its own branch.
    const plan = planCompromiseSignal(planned, truth, event, {
      policy: deps.policy.compromiseSignals ?? COMPROMISE_SIGNALS_OFF,
      holdMs: deps.holdMs,
      now,
    });
    const violations = checkUserRunPlanScope(plan, deps.policy, truth);
    if (violations.length > 0) throw new PlanOutsidePolicyError(state.runId, violations);
    const checked = { ...plan, findings: [...plan.findings, ...abacFindings(deps.policy, state, truth)] };
    const userId = truth.identityCenter.userId;
    // A leaver denied first (read-user-truth.ts): this is the Deny-first plan, or the one after it.
    if (truth.identityCenter.accessRead === false && userId !== null)
      return { ...checked, deniedFirstAs: userId, runId: state.runId, startedAt: now };
    const first = state.plan;
    const deniedFirstAs = first?.deniedFirstAs;
    if (first === undefined || deniedFirstAs === undefined)
      return { ...checked, runId: state.runId, startedAt: now };
    const merged = mergeDenyFirstPlan(first, checked, truth, deniedFirstAs);
    return { ...merged, runId: state.runId, startedAt: first.startedAt };
  };
}

/**
 * A joiner or mover whose Okta profile lacks an attribute an ABAC-scoped set of their groups compares
 * (issue 18): the estate run's `abac-attribute-missing` finding, reported by the user run too.
 */
function abacFindings(policy: PlanTaskDeps["policy"], state: UserRunState, truth: UserTruth) {
  const { okta } = truth;
  if (policy.abac === undefined || !okta.found || okta.login === null || okta.status === null) return [];
  const user = {
    id: state.user.id,
    login: okta.login,
    status: okta.status,
    transitioningToStatus: okta.transitioningToStatus ?? null,
    profile: okta.abacAttributes ?? {},
  };
  return judgeUserAbacAttributes(
    { rules: policy.rules, abac: policy.abac, permissionSets: policy.permissionSets ?? {} },
    user,
    okta.groups,
  );
}
