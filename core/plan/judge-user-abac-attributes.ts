import type { OktaUser } from "../estate.ts";
import type { Policy, PolicyGroupRef } from "../policy/schema.ts";
import { abacAttributesOf } from "./abac-attributes.ts";
import type { Finding } from "./plan.ts";
import { isLeaver } from "./plan-users.ts";

/** One of the user's Okta groups (core/plan/user-truth.ts UserOktaGroup). */
export interface UserGroup {
  id: string;
  name: string;
}

const refers = (ref: PolicyGroupRef, group: UserGroup) =>
  typeof ref === "string" ? ref === group.name : "id" in ref ? ref.id === group.id : ref.name === group.name;

/**
 * The user run's side of the estate's ABAC attribute check (core/plan/abac-attributes.ts, issue 18):
 * a joiner or mover in an Okta group a rule grants an ABAC-scoped permission set, whose Okta profile
 * lacks an attribute the set compares, is one `abac-attribute-missing` finding per permission set,
 * worded and keyed as the estate run's so the two runs report the same thing. A leaver is not judged.
 */
export function judgeUserAbacAttributes(
  policy: Pick<Policy, "rules" | "abac" | "permissionSets">,
  user: OktaUser,
  groups: readonly UserGroup[],
): Finding[] {
  if (policy.abac === undefined || isLeaver(user)) return [];
  const findings: Finding[] = [];
  const reported = new Set<string>();
  for (const rule of policy.rules) {
    const group = groups.find((g) => refers(rule.group, g));
    if (group === undefined || reported.has(rule.permissionSet)) continue;
    const missing = abacAttributesOf(policy, rule.permissionSet).filter(
      (a) => (user.profile?.[a.oktaAttribute] ?? "").trim() === "",
    );
    if (missing.length === 0) continue;
    reported.add(rule.permissionSet);
    findings.push({
      kind: "abac-attribute-missing",
      message: `${user.login} is in ${group.name}, which gets the ABAC-scoped permission set ${rule.permissionSet}, but their Okta profile has no ${missing.map((a) => a.oktaAttribute).join(", ")}: set it in Okta (sessions carry no ${missing.map((a) => `aws:PrincipalTag/${a.key}`).join(", ")} until then).`,
      subject: {
        oktaUserId: user.id,
        permissionSet: rule.permissionSet,
        oktaGroup: group.name,
        attributes: missing.map((a) => a.key).join(","),
      },
    });
  }
  return findings;
}
