import {
  type IdentitystoreClient,
  paginateListGroupMemberships,
  paginateListGroups,
} from "@aws-sdk/client-identitystore";
import {
  type AccountAssignmentForPrincipal,
  paginateListAccountAssignments,
  paginateListAccountAssignmentsForPrincipal,
  type SSOAdminClient,
} from "@aws-sdk/client-sso-admin";
import { firstItem } from "../aws-pages.ts";
import { observed, type SwitchObservation, unknown } from "./switch-observation.ts";

const NAME = "listForPrincipalIncludesInherited";

/** The instance the probe reads. */
export interface InstanceClients {
  ssoAdmin: SSOAdminClient;
  identityStore: IdentitystoreClient;
  instanceArn: string;
  identityStoreId: string;
}

const pairKey = (a: { AccountId?: string; PermissionSetArn?: string }) =>
  `${a.AccountId} ${a.PermissionSetArn}`;

async function assignmentsFor(
  c: InstanceClients,
  principalType: "USER" | "GROUP",
  principalId: string,
): Promise<AccountAssignmentForPrincipal[]> {
  const items: AccountAssignmentForPrincipal[] = [];
  for await (const page of paginateListAccountAssignmentsForPrincipal(
    { client: c.ssoAdmin },
    { InstanceArn: c.instanceArn, PrincipalType: principalType, PrincipalId: principalId },
  ))
    items.push(...(page.AccountAssignments ?? []));
  return items;
}

/**
 * Asks ListAccountAssignmentsForPrincipal about `userId`, a member of `groupId`, whose group holds
 * assignments. Items naming the group: inherited entries come back (true). The group's pairs absent:
 * they do not (false). The group's pairs listed under the user's own id with no such direct
 * assignment (ListAccountAssignments for the pair): a third answer no switch models (unknown).
 */
export async function judgeInheritedListing(
  c: InstanceClients,
  userId: string,
  groupId: string,
): Promise<SwitchObservation<typeof NAME>> {
  const groupPairs = new Set((await assignmentsFor(c, "GROUP", groupId)).map(pairKey));
  const items = await assignmentsFor(c, "USER", userId);
  const foreign = items.filter((i) => i.PrincipalId !== userId);
  if (foreign.length > 0)
    return observed(
      NAME,
      true,
      `asked about user ${userId}, it returned ${foreign.length} item(s) naming ${[...new Set(foreign.map((i) => `${i.PrincipalType} ${i.PrincipalId}`))].join(", ")} (the user is a member of group ${groupId})`,
    );
  const shared = items.filter((i) => groupPairs.has(pairKey(i)));
  for (const item of shared) {
    // Every page: a page without the user's own assignment is no proof (pages may be short or empty).
    const own = await firstItem(
      paginateListAccountAssignments(
        { client: c.ssoAdmin },
        { InstanceArn: c.instanceArn, AccountId: item.AccountId, PermissionSetArn: item.PermissionSetArn },
      ),
      (p) => p.AccountAssignments,
      (a) => a.PrincipalType === "USER" && a.PrincipalId === userId,
    );
    if (own === undefined)
      return unknown(
        NAME,
        `user ${userId}'s list holds group ${groupId}'s assignment ${pairKey(item)} under the user's own id, which has no such direct assignment: neither switch value models this`,
      );
  }
  return observed(
    NAME,
    false,
    `asked about user ${userId} (a member of group ${groupId}, which holds ${groupPairs.size} assignment(s)), it returned ${items.length} item(s), all the user's own`,
  );
}

/**
 * Read-only: finds a group with an assignment and a member among the first `maxGroups` groups, and
 * judges the member's listing. Without one, only --allow-writes can tell.
 */
export async function observeInheritedReadOnly(
  c: InstanceClients,
  maxGroups: number,
): Promise<SwitchObservation<typeof NAME>> {
  let seen = 0;
  for await (const page of paginateListGroups(
    { client: c.identityStore, pageSize: Math.min(maxGroups, 100) },
    { IdentityStoreId: c.identityStoreId },
  )) {
    for (const group of page.Groups ?? []) {
      if (seen++ >= maxGroups) break;
      if (!group.GroupId) continue;
      // A first page may be empty with more to come: read on until an item (or the end).
      const assigned = await firstItem(
        paginateListAccountAssignmentsForPrincipal(
          { client: c.ssoAdmin, pageSize: 1 },
          { InstanceArn: c.instanceArn, PrincipalType: "GROUP", PrincipalId: group.GroupId },
        ),
        (p) => p.AccountAssignments,
      );
      if (assigned === undefined) continue;
      const member = await firstItem(
        paginateListGroupMemberships(
          { client: c.identityStore, pageSize: 5 },
          { IdentityStoreId: c.identityStoreId, GroupId: group.GroupId },
        ),
        (p) => p.GroupMemberships,
        (m) => m.MemberId !== undefined && "UserId" in m.MemberId,
      );
      const userId = member?.MemberId?.UserId;
      if (userId) return judgeInheritedListing(c, userId, group.GroupId);
    }
    if (seen >= maxGroups) break;
  }
  return unknown(
    NAME,
    `no group with both an assignment and a member among the first ${Math.min(seen, maxGroups)} group(s): needs --allow-writes`,
  );
}
