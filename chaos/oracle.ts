import type { OktaTruth, Organization } from "../core/estate.ts";
import { resolveRuleAccounts } from "../core/policy/resolve-targets.ts";
import type { Policy } from "../core/policy/schema.ts";

/**
 * What Identity Center must look like, computed only from Okta's final truth and the policy (and the
 * organization the rules target). Deliberately independent of core/plan: it is the judge of the
 * pipeline, so it restates the policy's meaning in the plainest terms instead of reusing the planner.
 */
export interface Oracle {
  /** Group assignments the policy grants: `group|permissionSet|account`. */
  assignments: Set<string>;
  /** Whether the tool owns a group assignment of this permission set (ownership scope). */
  owns(group: string, permissionSet: string): boolean;
  /** Logins that must have no access at all (not ACTIVE in Okta, or deleted). */
  noAccess: Set<string>;
  /** Logins that are ACTIVE in Okta. */
  active: Set<string>;
}

export const assignmentKey = (group: string, permissionSet: string, accountId: string) =>
  `${group}|${permissionSet}|${accountId}`;

/** Okta statuses that keep AWS access (design.md: only ACTIVE users hold sessions). */
const KEEPS_ACCESS = new Set(["ACTIVE"]);

/**
 * @param everKnown logins that existed at some point of the history (deleted users are not in
 *   Okta's final truth, and must have no access).
 */
export function computeOracle(
  policy: Policy,
  okta: OktaTruth,
  org: Organization,
  everKnown: Iterable<string>,
): Oracle {
  const assignments = new Set<string>();
  for (const rule of policy.rules) {
    const group =
      typeof rule.group === "string"
        ? okta.groups.find((g) => g.name === rule.group)
        : "name" in rule.group
          ? okta.groups.find((g) => g.name === (rule.group as { name: string }).name)
          : okta.groups.find((g) => g.id === (rule.group as { id: string }).id);
    if (group === undefined) continue;
    for (const accountId of resolveRuleAccounts(rule, org).accountIds) {
      assignments.add(assignmentKey(group.name, rule.permissionSet, accountId));
    }
  }
  const declaredPairs = new Set(
    policy.rules.map(
      (r) => `${typeof r.group === "string" ? r.group : JSON.stringify(r.group)}|${r.permissionSet}`,
    ),
  );
  const scope = policy.ownership.scope;
  const owns = (group: string, permissionSet: string) =>
    scope === "all" ||
    (scope === "permission-sets" && permissionSet in policy.permissionSets) ||
    (scope === "declared" && declaredPairs.has(`${group}|${permissionSet}`));
  const active = new Set(okta.users.filter((u) => KEEPS_ACCESS.has(u.status)).map((u) => u.login));
  const noAccess = new Set([...everKnown].filter((login) => !active.has(login)));
  return { assignments, owns, noAccess, active };
}
