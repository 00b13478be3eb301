import type { IdentityCenterAdapter } from "../../adapters/identity-center.ts";
import { errorText } from "../../core/error-text.ts";
import type { IcPermissionSet } from "../../core/estate.ts";
import {
  isOwnedPermissionSet,
  type PermissionSetOwnershipRead,
} from "../../core/plan/plan-permission-set-deletions.ts";
import type { Policy } from "../../core/policy/schema.ts";
import { isTransient } from "../shared/dependency-unavailable.ts";

export type PermissionSetOwnershipPorts = Pick<
  IdentityCenterAdapter,
  "listPermissionSetTags" | "listAccountsProvisionedWith"
>;

/**
 * What a full estate run reads to judge permission-set deletions (core/plan/plan-permission-set-deletions.ts):
 * every set's tags (one ListTagsForResource per set: the call has no MaxResults and a set holds at
 * most 50 tags), then, only for each set carrying the ownership tag that the policy no longer
 * declares, the accounts it is provisioned to (two ListAccountsForProvisionedPermissionSet, every
 * account whatever its status). A set whose tags cannot be read (other than transiently) is left out,
 * so it is never deleted, and named in `unreadTags` (a finding); a dropped set whose provisioning
 * cannot be read is pending as unread.
 * Transient errors are thrown for the caller to retry.
 */
export async function readPermissionSetOwnership(
  identityCenter: PermissionSetOwnershipPorts,
  policy: Policy,
  permissionSets: readonly IcPermissionSet[],
): Promise<PermissionSetOwnershipRead> {
  const read: PermissionSetOwnershipRead = { tags: {}, provisionedAccounts: {} };
  for (const set of permissionSets) {
    const tags = await leftOutUnlessTransient(() => identityCenter.listPermissionSetTags(set.arn));
    if ("failed" in tags) {
      read.unreadTags = { ...read.unreadTags, [set.arn]: tags.failed };
      continue;
    }
    read.tags[set.arn] = tags.value;
    if (set.name in policy.permissionSets || !isOwnedPermissionSet({ ...set, tags: tags.value })) continue;
    const accounts = await leftOutUnlessTransient(() => identityCenter.listAccountsProvisionedWith(set.arn));
    if ("value" in accounts) read.provisionedAccounts[set.arn] = accounts.value.length;
  }
  return read;
}

async function leftOutUnlessTransient<T>(read: () => Promise<T>): Promise<{ value: T } | { failed: string }> {
  try {
    return { value: await read() };
  } catch (error) {
    if (isTransient(error)) throw error;
    return { failed: errorText(error) };
  }
}
