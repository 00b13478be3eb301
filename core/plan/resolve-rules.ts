import type { IdentityCenterState, OktaGroup, OktaTruth, Organization } from "../estate.ts";
import { resolveRuleAccounts } from "../policy/resolve-targets.ts";
import type { Policy, PolicyGroupRef, PolicyRule } from "../policy/schema.ts";
import type { Finding } from "./plan.ts";

/** A rule bound to concrete Identity Center ids. `icGroupId`/`permissionSetArn` are absent when unresolved. */
export interface ResolvedRule {
  rule: PolicyRule;
  /** The Okta group's name: the DisplayName SCIM gives the Identity Center group. */
  groupName: string | undefined;
  oktaGroup: OktaGroup | undefined;
  icGroupId: string | undefined;
  permissionSetArn: string | undefined;
  accountIds: string[];
}

export interface RuleResolution {
  rules: ResolvedRule[];
  findings: Finding[];
  /** Rules whose Okta group is referenced by id and could not be found: their ownership is unknown. */
  unresolvedGroupRules: string[];
  /**
   * Rules whose group name matches more than one Okta group (an `APP_GROUP` imported from AD or LDAP
   * can share an `OKTA_GROUP`'s name): which one the rule means is unknown, so it binds to none.
   */
  ambiguousGroupRules: string[];
}

function describeGroup(ref: PolicyGroupRef): string {
  if (typeof ref === "string") return ref;
  return "id" in ref ? `id ${ref.id}` : ref.name;
}

/** The Okta groups a reference matches: by id at most one, by name every group of that exact name. */
function findOktaGroups(ref: PolicyGroupRef, okta: OktaTruth): OktaGroup[] {
  if (typeof ref !== "string" && "id" in ref) return okta.groups.filter((g) => g.id === ref.id);
  const name = typeof ref === "string" ? ref : ref.name;
  return okta.groups.filter((g) => g.name === name);
}

/** The group's name: given in the policy, or read from Okta when the policy names it by id. */
function groupNameOf(ref: PolicyGroupRef, oktaGroup: OktaGroup | undefined): string | undefined {
  if (typeof ref === "string") return ref;
  return "id" in ref ? oktaGroup?.name : ref.name;
}

/** Binds every policy rule to the Okta group, Identity Center group, permission set and accounts it names. */
export function resolveRules(
  policy: Policy,
  okta: OktaTruth,
  organization: Organization,
  identityCenter: IdentityCenterState,
): RuleResolution {
  const findings: Finding[] = [];
  const unresolvedGroupRules: string[] = [];
  const ambiguousGroupRules: string[] = [];
  const rules = policy.rules.map((rule): ResolvedRule => {
    const matches = findOktaGroups(rule.group, okta);
    // Never "the first match": a name two groups share binds the rule to neither.
    const oktaGroup = matches.length === 1 ? matches[0] : undefined;
    const groupName = groupNameOf(rule.group, oktaGroup);
    if (groupName === undefined) unresolvedGroupRules.push(rule.name);
    if (oktaGroup?.memberIds === null) {
      findings.push({
        kind: "okta-read-failed",
        message: `Okta group '${oktaGroup.name}' could not be read; its memberships are left as they are.`,
        subject: { rule: rule.name, group: oktaGroup.name },
      });
    }
    if (matches.length > 1) {
      ambiguousGroupRules.push(rule.name);
      findings.push({
        kind: "okta-group-ambiguous",
        message: `Rule '${rule.name}' names Okta group '${groupName}', which ${matches.length} Okta groups are called (ids ${matches.map((g) => g.id).join(", ")}): name the group by id in the policy ({ id: 00g... }) or rename one of them.`,
        subject: {
          rule: rule.name,
          group: String(groupName),
          oktaGroupIds: matches.map((g) => g.id).join(","),
        },
      });
    } else if (oktaGroup === undefined) {
      findings.push({
        kind: "okta-group-unresolved",
        message: `Rule '${rule.name}' names Okta group ${describeGroup(rule.group)}, which Okta did not return.`,
        subject: { rule: rule.name },
      });
    }
    const icGroupId = identityCenter.groups.find((g) => g.displayName === groupName)?.groupId;
    if (groupName !== undefined && icGroupId === undefined) {
      findings.push({
        kind: "group-not-provisioned",
        message: `Okta group '${groupName}' (rule '${rule.name}') has no Identity Center group yet: push it with SCIM.`,
        subject: { rule: rule.name, group: groupName },
      });
    }
    const permissionSetArn = identityCenter.permissionSets.find((p) => p.name === rule.permissionSet)?.arn;
    if (permissionSetArn === undefined) {
      findings.push({
        kind: "permission-set-missing",
        message: `Permission set '${rule.permissionSet}' (rule '${rule.name}') does not exist in Identity Center.`,
        subject: { rule: rule.name, permissionSet: rule.permissionSet },
      });
    }
    const targets = resolveRuleAccounts(rule, organization);
    for (const id of [...targets.unknownAccountIds, ...targets.unknownOuIds]) {
      findings.push({
        kind: "unknown-target",
        message: `Rule '${rule.name}' targets ${id}, which is not in the organization.`,
        subject: { rule: rule.name, target: id },
      });
    }
    return { rule, groupName, oktaGroup, icGroupId, permissionSetArn, accountIds: targets.accountIds };
  });
  return { rules, findings, unresolvedGroupRules, ambiguousGroupRules };
}
