import type { Organization } from "../../core/estate.ts";
import { resolveRuleAccounts } from "../../core/policy/resolve-targets.ts";
import type { EstateFile } from "./schema.ts";

/** One group assignment in one account, by names. */
export interface AccountAssignmentByName {
  accountId: string;
  /** The Okta group's name (the Identity Center group's DisplayName). */
  group: string;
  permissionSet: string;
}

/** The estate's organization in the read model core reasons about. */
export function estateOrganization(estate: Pick<EstateFile, "organization">): Organization {
  const { organization } = estate;
  return {
    rootId: organization.rootId,
    units: organization.units.map((unit) => ({ id: unit.id, name: unit.name, parentId: unit.parentId })),
    accounts: organization.accounts.map((account) => ({
      id: account.id,
      name: account.name,
      parentId: account.parentId,
      tags: { ...account.tags },
      status: account.status,
    })),
  };
}

/**
 * Every (account, group, permission set) the estate's assignments grant: explicit accounts plus every
 * account under the listed OUs (nested OUs included, the root id meaning every account), ACTIVE
 * accounts only, each triple once, sorted by account, group and permission set. It resolves targets
 * the way the access policy does (core/policy/resolve-targets.ts).
 */
export function expandAssignments(
  estate: Pick<EstateFile, "organization" | "identityCenter">,
): AccountAssignmentByName[] {
  const org = estateOrganization(estate);
  const byKey = new Map<string, AccountAssignmentByName>();
  for (const { group, permissionSet, accounts, ous } of estate.identityCenter.assignments) {
    const { accountIds } = resolveRuleAccounts({ targets: { accounts, ous } }, org);
    for (const accountId of accountIds)
      byKey.set(`${accountId}\n${group}\n${permissionSet}`, { accountId, group, permissionSet });
  }
  // Keys are unique, so the comparator never sees two equal ones.
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, value]) => value);
}
