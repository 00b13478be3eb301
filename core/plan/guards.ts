import type { Policy } from "../policy/schema.ts";
import { countDeletes, type GuardViolation, type PlanAction } from "./plan.ts";
import type { ResolvedRule } from "./resolve-rules.ts";

export interface GuardInput {
  policy: Policy;
  actions: readonly PlanAction[];
  rules: readonly ResolvedRule[];
  unresolvedGroupRules: readonly string[];
  /** Rules whose group name matches more than one Okta group. */
  ambiguousGroupRules: readonly string[];
  managedAssignmentCount: number;
  /** Identity Center member count per Identity Center group id. */
  icMemberCount: ReadonlyMap<string, number>;
  /** Users in Identity Center: the base of the newly-denied percentage. */
  icUserCount: number;
}

/**
 * The checks that stop a plan before it deletes access on bad data (design.md principle 5): an
 * empty or failed Okta read must never become "delete everyone".
 */
export function checkGuards(input: GuardInput): GuardViolation[] {
  const { policy, actions, rules } = input;
  const violations: GuardViolation[] = [];
  const deletes = countDeletes(actions);
  const assignmentDeletes = actions.filter((a) => a.kind === "assignment.delete").length;

  if (deletes > policy.guards.maxDeletes) {
    violations.push({
      guard: "max-deletes",
      message: `The plan deletes ${deletes} assignments/memberships; guards.maxDeletes is ${policy.guards.maxDeletes}.`,
    });
  }
  const percent =
    input.managedAssignmentCount === 0 ? 0 : (assignmentDeletes * 100) / input.managedAssignmentCount;
  if (percent > policy.guards.maxDeletePercent) {
    violations.push({
      guard: "max-delete-percent",
      message: `The plan deletes ${assignmentDeletes} of ${input.managedAssignmentCount} managed assignments (${percent.toFixed(1)}%); guards.maxDeletePercent is ${policy.guards.maxDeletePercent}.`,
    });
  }
  // A Deny takes access away as surely as a deletion: a half-read group that plans hundreds of mover
  // Denies must trip the same limits. Leavers are decided per user from their own Okta status.
  const denied = new Set(
    actions.flatMap((a) => (a.kind === "deny.add" && a.deny.reason !== "leaver" ? [a.deny.userId] : [])),
  );
  if (denied.size > policy.guards.maxDeletes) {
    violations.push({
      guard: "max-denied-users",
      message: `The plan newly denies ${denied.size} users (mover or attribute-change Denies); guards.maxDeletes is ${policy.guards.maxDeletes}.`,
    });
  }
  const deniedPercent = input.icUserCount === 0 ? 0 : (denied.size * 100) / input.icUserCount;
  if (deniedPercent > policy.guards.maxDeletePercent) {
    violations.push({
      guard: "max-denied-percent",
      message: `The plan newly denies ${denied.size} of ${input.icUserCount} Identity Center users (${deniedPercent.toFixed(1)}%); guards.maxDeletePercent is ${policy.guards.maxDeletePercent}.`,
    });
  }
  if (rules.length > 0 && rules.every((r) => r.oktaGroup === undefined)) {
    violations.push({
      guard: "empty-okta-read",
      message: "Okta returned none of the groups the policy names: the read is treated as failed.",
    });
  }
  for (const rule of input.unresolvedGroupRules) {
    violations.push({
      guard: "okta-group-unresolved",
      message: `Rule '${rule}' names an Okta group by id that Okta did not return; its assignments cannot be judged.`,
    });
  }
  for (const rule of input.ambiguousGroupRules) {
    violations.push({
      guard: "okta-group-ambiguous",
      message: `Rule '${rule}' names an Okta group by a name more than one Okta group has; name it by id in the policy.`,
    });
  }
  if (policy.guards.abortOnEmptyGroup) {
    const seen = new Set<string>();
    for (const r of rules) {
      if (r.oktaGroup?.memberIds?.length !== 0 || r.icGroupId === undefined || seen.has(r.icGroupId))
        continue;
      seen.add(r.icGroupId);
      const icMembers = input.icMemberCount.get(r.icGroupId) ?? 0;
      if (icMembers > 0) {
        violations.push({
          guard: "empty-okta-group",
          message: `Okta group '${r.oktaGroup.name}' read as empty while its Identity Center group has ${icMembers} members.`,
        });
      }
    }
  }
  return violations;
}
