import { durationMs } from "../duration.ts";
import { closestName } from "./closest-name.ts";
import { describeGroupRef, groupKey } from "./group-ref.ts";
import type { InlinePolicyGrammar } from "./inline-policy-grammar.ts";
import type { PolicyProblem } from "./policy-error.ts";
import type { Policy, PolicyRule } from "./schema.ts";
import { validateAbac } from "./validate-abac.ts";
import { validateCredentials } from "./validate-credentials.ts";
import { validatePermissionSetContent } from "./validate-permission-set-content.ts";

/**
 * Checks what the schema cannot: rule names are unique, no two rules grant the same group the same
 * permission set in the same explicitly listed account, every rule uses a declared permission set and
 * targets something, and a Deny is held at least as long as the longest session it must outlive.
 *
 * An excluded account that no explicit target lists is fine: an OU or a tag match may cover it.
 */
export function validateSemantics(policy: Policy, grammar?: InlinePolicyGrammar): PolicyProblem[] {
  return [
    ...duplicatedRuleNames(policy.rules),
    ...duplicatedGrants(policy.rules),
    ...unknownPermissionSets(policy),
    ...emptyTargets(policy.rules),
    ...holdShorterThanSessions(policy),
    ...validateCredentials(policy),
    ...validateAbac(policy),
    ...validatePermissionSetContent(policy, grammar),
  ];
}

function duplicatedRuleNames(rules: PolicyRule[]): PolicyProblem[] {
  const firstIndex = new Map<string, number>();
  return rules.flatMap((rule, index) => {
    const first = firstIndex.get(rule.name);
    if (first === undefined) {
      firstIndex.set(rule.name, index);
      return [];
    }
    return [
      {
        path: ["rules", index, "name"],
        message: `duplicated rule name '${rule.name}' (first used by rules[${first}])`,
        fix: "give each rule a unique name: plans and evidence refer to rules by name",
      },
    ];
  });
}

/** A later rule that repeats an earlier rule's (group, permission set) in an account both list. */
function duplicatedGrants(rules: PolicyRule[]): PolicyProblem[] {
  return rules.flatMap((rule, index) => {
    for (const [earlierIndex, earlier] of rules.slice(0, index).entries()) {
      if (groupKey(earlier.group) !== groupKey(rule.group) || earlier.permissionSet !== rule.permissionSet)
        continue;
      const accountIndex = rule.targets.accounts.findIndex((id) => earlier.targets.accounts.includes(id));
      if (accountIndex === -1) continue;
      const accountId = rule.targets.accounts[accountIndex];
      return [
        {
          path: ["rules", index, "targets", "accounts", accountIndex],
          message:
            `duplicated rule: '${rule.name}' grants ${describeGroupRef(rule.group)} ${rule.permissionSet} in ` +
            `${accountId}, as rule '${earlier.name}' (rules[${earlierIndex}]) already does`,
          fix: `merge the two rules, or remove ${accountId} from one of them`,
        },
      ];
    }
    return [];
  });
}

function unknownPermissionSets(policy: Policy): PolicyProblem[] {
  const declared = Object.keys(policy.permissionSets);
  return policy.rules.flatMap((rule, index) => {
    if (Object.hasOwn(policy.permissionSets, rule.permissionSet)) return [];
    const guess = closestName(rule.permissionSet, declared);
    return [
      {
        path: ["rules", index, "permissionSet"],
        message: `unknown permission set '${rule.permissionSet}'; declared: ${declared.join(", ") || "none"}`,
        fix: `declare it under permissionSets or fix the name${guess === undefined ? "" : ` (did you mean '${guess}'?)`}`,
      },
    ];
  });
}

function emptyTargets(rules: PolicyRule[]): PolicyProblem[] {
  return rules.flatMap((rule, index) => {
    const { accounts, ous, tags } = rule.targets;
    if (accounts.length > 0 || ous.length > 0 || Object.keys(tags ?? {}).length > 0) return [];
    return [
      {
        path: ["rules", index, "targets"],
        message: `rule '${rule.name}' targets nothing: no accounts, ous or tags`,
        fix: "list account ids, OU ids (the root id for every account) or a tag match under targets",
      },
    ];
  });
}

/** Role sessions outlive a deleted assignment by up to their session duration; the Deny must cover it. */
function holdShorterThanSessions(policy: Policy): PolicyProblem[] {
  const hold = policy.revocation.hold;
  let longest: { name: string; duration: string } | undefined;
  for (const [name, { sessionDuration }] of Object.entries(policy.permissionSets)) {
    if (longest === undefined || durationMs(sessionDuration) > durationMs(longest.duration)) {
      longest = { name, duration: sessionDuration };
    }
  }
  if (longest === undefined || durationMs(hold) >= durationMs(longest.duration)) return [];
  return [
    {
      path: ["revocation", "hold"],
      message:
        `a Deny held ${hold} is shorter than the longest session, ${longest.duration} ` +
        `(permission set '${longest.name}'): a session could outlive its Deny`,
      fix: `set revocation.hold to ${longest.duration} or longer`,
    },
  ];
}
