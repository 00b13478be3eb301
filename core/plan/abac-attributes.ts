import type { OktaTruth, OktaUser } from "../estate.ts";
import type { Policy } from "../policy/schema.ts";
import type { Finding, PlanAction } from "./plan.ts";
import { isLeaver } from "./plan-users.ts";
import type { ResolvedRule } from "./resolve-rules.ts";

/** The Okta profile attributes an ABAC-scoped permission set needs, by attribute key. */
export function abacAttributesOf(
  policy: Pick<Policy, "abac" | "permissionSets">,
  permissionSet: string,
): { key: string; oktaAttribute: string }[] {
  const keys = policy.permissionSets[permissionSet]?.abac?.attributes ?? [];
  return (policy.abac?.attributes ?? []).filter((a) => keys.includes(a.key));
}

/** Okta sends no session tag for an absent, null or blank attribute. */
const lacks = (user: OktaUser, oktaAttribute: string) => (user.profile?.[oktaAttribute] ?? "").trim() === "";

export interface AbacAttributeJudgement {
  /** The actions, less the assignment creations `missingAttribute: withhold` holds back. */
  actions: PlanAction[];
  findings: Finding[];
}

/**
 * Members of a group granted an ABAC-scoped permission set whose Okta profile lacks an attribute the
 * set compares (issue 18): their sessions carry no such principal tag, which, depending on how the
 * set's policies are written, denies everything or over-grants (core/plan/abac-canary.ts proves which).
 * Each is a finding. With `missingAttribute: withhold`, a new assignment of the set to such a group
 * is not created until every member has the attribute: Identity Center assigns to the group, so no
 * assignment can leave one member out, and an existing one is left alone (removing it would cut off
 * every member, and SCIM, not this tool, owns the membership). Leavers are not counted.
 */
export function judgeAbacAttributes(
  policy: Policy,
  okta: OktaTruth,
  rules: readonly ResolvedRule[],
  actions: readonly PlanAction[],
): AbacAttributeJudgement {
  if (policy.abac === undefined) return { actions: [...actions], findings: [] };
  const users = new Map(okta.users.map((u) => [u.id, u]));
  const findings: Finding[] = [];
  /** `<icGroupId>|<permissionSetArn>` of groups with a member lacking an attribute. */
  const incomplete = new Set<string>();
  const reported = new Set<string>();
  for (const r of rules) {
    const needed = abacAttributesOf(policy, r.rule.permissionSet);
    if (needed.length === 0 || r.oktaGroup?.memberIds == null) continue;
    for (const memberId of r.oktaGroup.memberIds) {
      const user = users.get(memberId);
      if (user === undefined || isLeaver(user)) continue;
      const missing = needed.filter((a) => lacks(user, a.oktaAttribute));
      if (missing.length === 0) continue;
      if (r.icGroupId !== undefined && r.permissionSetArn !== undefined)
        incomplete.add(`${r.icGroupId}|${r.permissionSetArn}`);
      const key = `${user.id}|${r.rule.permissionSet}`;
      if (reported.has(key)) continue;
      reported.add(key);
      findings.push({
        kind: "abac-attribute-missing",
        message: `${user.login} is in ${r.oktaGroup.name}, which gets the ABAC-scoped permission set ${r.rule.permissionSet}, but their Okta profile has no ${missing.map((a) => a.oktaAttribute).join(", ")}: set it in Okta (sessions carry no ${missing.map((a) => `aws:PrincipalTag/${a.key}`).join(", ")} until then).`,
        subject: {
          oktaUserId: user.id,
          permissionSet: r.rule.permissionSet,
          oktaGroup: r.oktaGroup.name,
          attributes: missing.map((a) => a.key).join(","),
        },
      });
    }
  }
  if (policy.abac.missingAttribute === "report") return { actions: [...actions], findings };
  const kept: PlanAction[] = [];
  for (const action of actions) {
    if (action.kind !== "assignment.create") {
      kept.push(action);
      continue;
    }
    const a = action.assignment;
    if (!incomplete.has(`${a.principalId}|${a.permissionSetArn}`)) {
      kept.push(action);
      continue;
    }
    findings.push({
      kind: "abac-assignment-withheld",
      message: `Not created (abac.missingAttribute is withhold): rule ${action.rule}'s assignment in ${a.accountId}, as a member of its group lacks an attribute the permission set uses.`,
      subject: {
        rule: action.rule,
        accountId: a.accountId,
        groupId: a.principalId,
        permissionSetArn: a.permissionSetArn,
      },
    });
  }
  return { actions: kept, findings };
}
