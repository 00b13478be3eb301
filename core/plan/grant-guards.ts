import type { Policy } from "../policy/schema.ts";
import type { GuardKind, GuardViolation, PlanAction } from "./plan.ts";
import { privilegedReason } from "./privileged-permission-set.ts";

/** The guards that watch grants; `--allow-grants N` may override only these (core/plan/guard-override.ts). */
export const GRANT_GUARDS: ReadonlySet<GuardKind> = new Set([
  "max-new-assignments",
  "max-privileged-accounts",
  "max-rule-widening",
]);

export interface GrantGuardInput {
  policy: Policy;
  actions: readonly PlanAction[];
  /** Permission set names by ARN (Identity Center's), to find the policy's declaration of a set. */
  permissionSetNames: ReadonlyMap<string, string>;
}

/** Distinct accounts per key among assignment creations. */
function accountsBy(
  creates: readonly Extract<PlanAction, { kind: "assignment.create" }>[],
  key: (a: Extract<PlanAction, { kind: "assignment.create" }>) => string,
): Map<string, Set<string>> {
  const by = new Map<string, Set<string>>();
  for (const a of creates) {
    const k = key(a);
    by.set(k, (by.get(k) ?? new Set()).add(a.assignment.accountId));
  }
  return by;
}

/**
 * The checks that stop a plan before it grants too much at once (issue 18): a too-wide assignment
 * can give admin to the wrong group across many accounts in one run. Counted against what Identity
 * Center holds now, so an account moving into a targeted OU counts as much as a policy edit.
 */
export function checkGrantGuards(input: GrantGuardInput): GuardViolation[] {
  const { guards, permissionSets } = input.policy;
  const creates = input.actions.filter(
    (a): a is Extract<PlanAction, { kind: "assignment.create" }> => a.kind === "assignment.create",
  );
  const violations: GuardViolation[] = [];
  if (creates.length > guards.maxNewAssignments) {
    violations.push({
      guard: "max-new-assignments",
      message: `The plan creates ${creates.length} assignments; guards.maxNewAssignments is ${guards.maxNewAssignments}.`,
    });
  }
  const bySet = accountsBy(creates, (a) => input.permissionSetNames.get(a.assignment.permissionSetArn) ?? "");
  for (const [name, accounts] of [...bySet].sort(([a], [b]) => a.localeCompare(b))) {
    const why = privilegedReason(permissionSets[name]);
    if (why === undefined || accounts.size <= guards.maxPrivilegedAccounts) continue;
    violations.push({
      guard: "max-privileged-accounts",
      message: `The plan grants the privileged permission set '${name}' (${why}) in ${accounts.size} more accounts; guards.maxPrivilegedAccounts is ${guards.maxPrivilegedAccounts}.`,
    });
  }
  for (const [rule, accounts] of [...accountsBy(creates, (a) => a.rule)].sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    if (accounts.size <= guards.maxRuleWidening) continue;
    violations.push({
      guard: "max-rule-widening",
      message: `Rule '${rule}' reaches ${accounts.size} accounts it did not; guards.maxRuleWidening is ${guards.maxRuleWidening}.`,
    });
  }
  return violations;
}
