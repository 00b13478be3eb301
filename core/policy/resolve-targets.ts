import type { OrgAccount, Organization } from "../estate.ts";
import type { PolicyRule, PolicyTargets } from "./schema.ts";

/** The accounts a rule grants access to, and the ids it names that the organization does not have. */
export interface RuleAccounts {
  /** ACTIVE accounts the rule targets and does not exclude, sorted, each once. */
  accountIds: string[];
  /** Account ids listed under `targets.accounts` that are not in the organization, sorted. */
  unknownAccountIds: string[];
  /** OU (or root) ids listed under `targets.ous` that are not in the organization, sorted. */
  unknownOuIds: string[];
  /**
   * Account and OU ids listed under `exclude` that are not in the organization, sorted. Harmless
   * for a closed account, but a mistyped OU id excludes nothing.
   */
  unknownExcludedIds: string[];
}

/**
 * Resolves a rule's targets against the organization: its explicit accounts, every account under its
 * OUs (through nested OUs; the root id means every account) and every account whose tags match, minus
 * the accounts its exclusions name the same way. Only ACTIVE accounts are targeted: suspended and
 * pending-closure accounts are skipped, and are not "unknown".
 */
export function resolveRuleAccounts(
  rule: Pick<PolicyRule, "targets" | "exclude">,
  org: Organization,
): RuleAccounts {
  const targeted = matchTargets(rule.targets, org);
  const excluded = matchTargets(rule.exclude ?? { accounts: [], ous: [] }, org);
  const accountIds = [...targeted.accounts]
    .filter((account) => account.status === "ACTIVE" && !excluded.accounts.has(account))
    .map((account) => account.id);
  return {
    accountIds: sortedUnique(accountIds),
    unknownAccountIds: sortedUnique(targeted.unknownAccountIds),
    unknownOuIds: sortedUnique(targeted.unknownOuIds),
    unknownExcludedIds: sortedUnique([...excluded.unknownAccountIds, ...excluded.unknownOuIds]),
  };
}

interface TargetMatch {
  accounts: Set<OrgAccount>;
  unknownAccountIds: string[];
  unknownOuIds: string[];
}

/** Every account (whatever its status) a target set names, and the ids it names that do not exist. */
function matchTargets(targets: PolicyTargets, org: Organization): TargetMatch {
  const accounts = new Set<OrgAccount>();
  const unknownAccountIds: string[] = [];
  const unknownOuIds: string[] = [];
  for (const id of targets.accounts) {
    const account = org.accounts.find((a) => a.id === id);
    if (account === undefined) unknownAccountIds.push(id);
    else accounts.add(account);
  }
  for (const ouId of targets.ous) {
    const units = unitsUnder(ouId, org);
    if (units === undefined) unknownOuIds.push(ouId);
    else for (const account of org.accounts) if (units.has(account.parentId)) accounts.add(account);
  }
  for (const account of org.accounts) if (tagsMatch(account.tags, targets.tags ?? {})) accounts.add(account);
  return { accounts, unknownAccountIds, unknownOuIds };
}

/**
 * The ids of `ouId` and every OU nested below it; `undefined` when the organization has no such OU.
 * The root stands for every account, including any whose parent is missing from `org.units`.
 */
function unitsUnder(ouId: string, org: Organization): Set<string> | undefined {
  if (ouId === org.rootId) return new Set(org.accounts.map((account) => account.parentId));
  if (!org.units.some((unit) => unit.id === ouId)) return undefined;
  const found = new Set([ouId]);
  // Breadth-first over parent links; the set also keeps a malformed (cyclic) tree from looping.
  for (const id of found) {
    for (const unit of org.units) if (unit.parentId === id) found.add(unit.id);
  }
  return found;
}

/**
 * True when the account has every key of the match, each with the listed value (or one of the listed
 * values). A match with no keys matches no account: "no tags" must never mean "every account".
 */
function tagsMatch(tags: Record<string, string>, match: Record<string, string | string[]>): boolean {
  const keys = Object.keys(match);
  return (
    keys.length > 0 &&
    keys.every((key) => {
      const accepted = match[key];
      const value = Object.hasOwn(tags, key) ? tags[key] : undefined;
      return value !== undefined && (Array.isArray(accepted) ? accepted.includes(value) : accepted === value);
    })
  );
}

function sortedUnique(ids: string[]): string[] {
  return [...new Set(ids)].sort();
}
