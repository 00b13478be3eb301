import type { Finding } from "./plan.ts";
import type { PolicyOktaGroup, UserOktaGroup } from "./user-truth.ts";

/** Which Identity Center groups (by name) Okta says the user belongs to, and why others do not count. */
export interface OktaMembershipJudgement {
  /** Names of the groups whose Okta membership counts (the Identity Center group of that name). */
  memberOf: Set<string>;
  /**
   * Names the policy names in a way more than one Okta group matches: the user's membership of that
   * group cannot be told, so it neither counts nor is its Identity Center membership changed.
   */
  ambiguous: Set<string>;
  findings: Finding[];
}

const describe = (g: UserOktaGroup) => `'${g.name}' (${g.id}${g.type ? `, ${g.type}` : ""})`;

/**
 * Judges the user's Okta groups against the policy's groups by id, never by name alone: Okta lets an
 * `APP_GROUP` imported from AD or LDAP share an `OKTA_GROUP`'s name (management spec, `GroupType`), and
 * SCIM Push Groups pushes one specific group by id. A user group counts when the policy names its id,
 * or names it by a name only that one group has. A same-named group that is not the policy's counts for
 * nothing (finding `okta-group-name-shared`), and a policy name more than one Okta group has counts for
 * no one (finding `okta-group-ambiguous`, as the estate run's guard). A group the policy does not name
 * counts by its name, as SCIM pushes it (and as runs without `policyGroups` did).
 */
export function judgeOktaMembership(
  login: string | null,
  groups: readonly UserOktaGroup[],
  policyGroups: readonly PolicyOktaGroup[],
): OktaMembershipJudgement {
  const bound = (name: string) => policyGroups.filter((p) => p.name === name);
  const ambiguous = new Set<string>();
  const counts = (group: UserOktaGroup): boolean => {
    const bindings = bound(group.name);
    if (bindings.length === 0) return true;
    // An id the policy names is decisive; by name, only the one group of that name is meant.
    const byId = bindings.filter((b) => b.by === "id");
    const ids = new Set((byId.length > 0 ? byId : bindings).flatMap((b) => b.oktaGroupIds));
    if (byId.length === 0 && ids.size > 1) {
      ambiguous.add(group.name);
      return false;
    }
    return ids.has(group.id);
  };
  const memberOf = new Set(groups.filter(counts).map((g) => g.name));
  const findings: Finding[] = [];
  for (const name of [...ambiguous].sort()) {
    const ids = [...new Set(bound(name).flatMap((b) => b.oktaGroupIds))].sort();
    findings.push({
      kind: "okta-group-ambiguous",
      message: `'${login}' is in an Okta group called '${name}', which ${ids.length} Okta groups are called (ids ${ids.join(", ")}): the policy names it by name, so the membership counts for none of them. Name the group by id in the policy ({ id: 00g... }) or rename one of them.`,
      subject: { oktaLogin: String(login), group: name, oktaGroupIds: ids.join(",") },
    });
  }
  const shared = groups.filter((g) => !memberOf.has(g.name) && !ambiguous.has(g.name));
  for (const group of [...shared].sort((a, b) => a.id.localeCompare(b.id))) {
    const policyIds = [...new Set(bound(group.name).flatMap((b) => b.oktaGroupIds))].sort();
    findings.push({
      kind: "okta-group-name-shared",
      message: `'${login}' is in Okta group ${describe(group)}, which only shares its name with the policy's group (${policyIds.join(", ")}): it grants nothing.`,
      subject: { oktaLogin: String(login), group: group.name, oktaGroupId: group.id },
    });
  }
  return { memberOf, ambiguous, findings };
}
