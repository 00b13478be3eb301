import type { Assignment } from "../estate.ts";
import { resolveRuleAccounts } from "../policy/resolve-targets.ts";
import type { Policy, PolicyGroupRef } from "../policy/schema.ts";
import type { PlanAction } from "./plan.ts";
import type { PlanInput } from "./plan-estate.ts";
import type { UserRunPlan } from "./plan-user-run.ts";
import type { UserTruth } from "./user-truth.ts";

/**
 * A second, independent reading of the policy before any write: the planner's output is applied by the
 * workflow as it stands (`$.plan.*` goes straight into SDK tasks), so these checks do not trust it.
 * They re-derive from the policy and the truth the run read which groups, permission sets, accounts,
 * users and memberships a plan may touch, and name every action that reaches outside them. They share
 * no code with the planners beyond target resolution.
 */

/** One action a plan may not apply, with what it named and why that is outside the policy. */
export interface PlanScopeViolation {
  /** Where in the plan, e.g. `membershipAdditions[0]` or `actions[3] (assignment.create)`. */
  at: string;
  /** What the action names, e.g. `GroupId=g-1`. */
  names: string;
  why: string;
}

/** Thrown by the plan tasks when a plan reaches outside the policy: nothing of it is applied. */
export class PlanOutsidePolicyError extends Error {
  override name = "PlanOutsidePolicyError";
  readonly violations: PlanScopeViolation[];
  constructor(runId: string, violations: PlanScopeViolation[]) {
    super(
      `run ${runId}: the plan names what the policy does not own, so none of it is applied: ` +
        violations.map((v) => `${v.at} ${v.names}: ${v.why}`).join("; "),
    );
    this.violations = violations;
  }
}

const key = (a: Pick<Assignment, "accountId" | "permissionSetArn" | "principalType" | "principalId">) =>
  `${a.accountId}|${a.permissionSetArn}|${a.principalType}|${a.principalId}`;

/** A rule's group name (a group named by id: as the Okta read names it; unknown: undefined). */
function groupNamer(oktaGroups: readonly { id: string; name: string }[]) {
  const byId = new Map(oktaGroups.map((g) => [g.id, g.name]));
  return (ref: PolicyGroupRef) => (typeof ref === "string" ? ref : "id" in ref ? byId.get(ref.id) : ref.name);
}

/** The names of the Okta groups the policy's rules name. */
function policyGroupNames(
  policy: Pick<Policy, "rules">,
  oktaGroups: readonly { id: string; name: string }[],
): Set<string> {
  const name = groupNamer(oktaGroups);
  return new Set(policy.rules.map((r) => name(r.group)).filter((n): n is string => n !== undefined));
}

/**
 * Checks a user run's plan, in the shapes the workflow applies, against the policy and the run's truth:
 * every call is on the run's instance and identity store; a deleted assignment is one the truth read
 * (a user's own, or one of a policy group); a removed membership is one of the user's; a membership is
 * added only with `membershipSync`, only for the run's user, only to a group the policy names; and
 * every Deny is on the run's user.
 */
export function checkUserRunPlanScope(
  plan: UserRunPlan,
  policy: Pick<Policy, "rules" | "ownership">,
  truth: UserTruth,
): PlanScopeViolation[] {
  const ic = truth.identityCenter;
  const violations: PlanScopeViolation[] = [];
  const refuse = (at: string, names: string, why: string) => violations.push({ at, names, why });
  const groups = policyGroupNames(policy, truth.okta.groups);
  const policyGroupIds = new Set(
    Object.entries(truth.icGroupsByName ?? {})
      .filter(([name]) => groups.has(name))
      .map(([, id]) => id),
  );
  const read = new Set(
    [
      ...ic.directAssignments,
      ...ic.groupAssignments,
      ...Object.values(truth.groupAssignments ?? {}).flat(),
    ].map(key),
  );

  plan.assignmentDeletions.forEach((d, i) => {
    const at = `assignmentDeletions[${i}]`;
    const names = `${d.PrincipalType} ${d.PrincipalId} ${d.PermissionSetArn} in ${d.TargetId}`;
    if (d.InstanceArn !== ic.instanceArn) refuse(at, `InstanceArn=${d.InstanceArn}`, "not this instance");
    const assignment = {
      accountId: d.TargetId,
      permissionSetArn: d.PermissionSetArn,
      principalType: d.PrincipalType,
      principalId: d.PrincipalId,
    };
    if (!read.has(key(assignment))) refuse(at, names, "not an assignment the run read");
    else if (d.PrincipalType === "USER" && d.PrincipalId !== ic.userId)
      refuse(at, names, "not the run's user");
    else if (d.PrincipalType === "GROUP" && !policyGroupIds.has(d.PrincipalId)) {
      refuse(at, names, "not a group the policy names");
    }
  });

  const memberships = new Set(ic.memberships.map((m) => m.membershipId));
  plan.membershipRemovals.forEach((r, i) => {
    const at = `membershipRemovals[${i}]`;
    if (r.IdentityStoreId !== ic.identityStoreId)
      refuse(at, `IdentityStoreId=${r.IdentityStoreId}`, "not this store");
    if (!memberships.has(r.MembershipId))
      refuse(at, `MembershipId=${r.MembershipId}`, "not one of the user's");
  });

  plan.membershipAdditions.forEach((a, i) => {
    const at = `membershipAdditions[${i}]`;
    if (!policy.ownership.membershipSync) refuse(at, `GroupId=${a.GroupId}`, "membershipSync is off");
    if (a.IdentityStoreId !== ic.identityStoreId)
      refuse(at, `IdentityStoreId=${a.IdentityStoreId}`, "not this store");
    if (a.MemberId.UserId !== ic.userId) refuse(at, `UserId=${a.MemberId.UserId}`, "not the run's user");
    if (!policyGroupIds.has(a.GroupId)) refuse(at, `GroupId=${a.GroupId}`, "not a group the policy names");
  });

  plan.denies.forEach((d, i) => {
    if (d.userId !== ic.userId) refuse(`denies[${i}]`, `userId=${d.userId}`, "not the run's user");
  });
  return violations;
}

/**
 * Checks an estate plan's grants against the policy resolved afresh on the same input: an assignment is
 * created only for a group a rule names, with that rule's permission set, in an account that rule
 * resolves to (so never the management account unless a rule targets it); a membership is added only
 * with `membershipSync` and only to a group the policy names. Deletions only take access away and are
 * bounded by the guards; they are not checked here.
 */
export function checkEstatePlanScope(actions: readonly PlanAction[], input: PlanInput): PlanScopeViolation[] {
  const { policy, identityCenter: ic } = input;
  const nameOf = groupNamer(input.okta.groups);
  const groupIds = new Map(ic.groups.map((g) => [g.displayName, g.groupId]));
  const setArns = new Map(ic.permissionSets.map((p) => [p.name, p.arn]));
  const granted = new Set<string>();
  const policyGroupIds = new Set<string>();
  for (const rule of policy.rules) {
    const name = nameOf(rule.group);
    const groupId = name === undefined ? undefined : groupIds.get(name);
    if (groupId === undefined) continue;
    policyGroupIds.add(groupId);
    const arn = setArns.get(rule.permissionSet);
    if (arn === undefined) continue;
    for (const accountId of resolveRuleAccounts(rule, input.organization).accountIds) {
      granted.add(key({ accountId, permissionSetArn: arn, principalType: "GROUP", principalId: groupId }));
    }
  }

  const violations: PlanScopeViolation[] = [];
  actions.forEach((action, i) => {
    const at = `actions[${i}] (${action.kind})`;
    if (action.kind === "assignment.create" && !granted.has(key(action.assignment))) {
      const a = action.assignment;
      violations.push({
        at,
        names: `${a.principalType} ${a.principalId} ${a.permissionSetArn} in ${a.accountId}`,
        why: "no rule of the policy grants this group this permission set in this account",
      });
    }
    if (action.kind === "membership.add") {
      if (!policy.ownership.membershipSync) {
        violations.push({ at, names: `GroupId=${action.groupId}`, why: "membershipSync is off" });
      } else if (!policyGroupIds.has(action.groupId)) {
        violations.push({ at, names: `GroupId=${action.groupId}`, why: "not a group the policy names" });
      }
    }
  });
  return violations;
}
