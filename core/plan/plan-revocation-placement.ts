import type { IdentityCenterState, ProvisionedPair } from "../estate.ts";
import type { Policy } from "../policy/schema.ts";
import type { PlanAction } from "./plan.ts";

export interface PlacementOptions {
  /**
   * Whether this deployment may provision permission sets to the management account. A delegated
   * administrator may not (design.md), so a set provisioned there is never re-provisioned with
   * `ALL_PROVISIONED_ACCOUNTS`, which would include that account. @default true
   */
  managesManagementAccount?: boolean;
}

/** What one permission set needs re-provisioned, and why. */
interface SetNeed {
  permissionSetArn: string;
  accountIds: string[];
  cause: "revocation" | "drift";
  why: string;
}

/**
 * Where Deny changes must also be written as inline policy, and the re-provisions that makes
 * necessary. SCPs never apply to the management account (design.md), so with the `scp` method the
 * permission sets provisioned there carry the Deny inline; with `inline`, every provisioned one does.
 *
 * Editing a permission set makes it outdated in every account it is provisioned to, and provisioning
 * always pushes its latest version: bringing several accounts of one set up to date is one change,
 * made with one `ALL_PROVISIONED_ACCOUNTS` call (sso-admin API reference, ProvisionPermissionSet
 * `TargetType`) instead of one call per account. A single account keeps `AWS_ACCOUNT`.
 *
 * A user run puts its Deny in force by re-provisioning the management account only (seconds count
 * there; the SCP covers the others), which leaves the set outdated in every other account. That is
 * the pipeline's own revocation upkeep, not drift: such re-provisions carry `cause: "revocation"`.
 */
export function placeDenies(
  policy: Policy,
  ic: IdentityCenterState,
  actions: PlanAction[],
  options: PlacementOptions = {},
): PlanAction[] {
  const management = policy.managementAccountId;
  const inlinePairs =
    policy.revocation.method === "inline"
      ? ic.provisioned
      : ic.provisioned.filter((p) => p.accountId === management);
  const inlineArns = [...new Set(inlinePairs.map((p) => p.permissionSetArn))].sort();
  const denyChanged = actions.some((a) => a.kind === "deny.add" || a.kind === "deny.lift");

  const placed = actions.map((a) =>
    a.kind === "deny.add" || a.kind === "deny.lift" ? { ...a, inlinePermissionSetArns: inlineArns } : a,
  );
  const reprovisions: PlanAction[] = [];
  for (const need of setNeeds(ic.provisioned, new Set(inlineArns), denyChanged, management)) {
    const { permissionSetArn, accountIds, cause, why } = need;
    const everywhere =
      accountIds.length > 1 &&
      (options.managesManagementAccount !== false ||
        !ic.provisioned.some((p) => p.permissionSetArn === permissionSetArn && p.accountId === management));
    if (everywhere) {
      reprovisions.push({
        kind: "permission-set.reprovision",
        permissionSetArn,
        target: { type: "ALL_PROVISIONED_ACCOUNTS", outdatedAccountIds: accountIds },
        cause,
        why,
      });
      continue;
    }
    for (const accountId of accountIds)
      reprovisions.push({
        kind: "permission-set.reprovision",
        permissionSetArn,
        target: { type: "AWS_ACCOUNT", accountId },
        cause,
        why,
      });
  }
  return [...placed, ...reprovisions];
}

/**
 * Per permission set, the accounts to re-provision: every account it is provisioned to when this
 * plan rewrites its inline Deny, otherwise the accounts it is outdated in. Outdated pairs of a set that
 * carries the inline Deny, while its management-account pair is up to date, are the mark a user run's
 * Deny write leaves (it re-provisioned the management account alone).
 */
function setNeeds(
  provisioned: readonly ProvisionedPair[],
  carriers: ReadonlySet<string>,
  denyChanged: boolean,
  management: string | undefined,
): SetNeed[] {
  const bySet = new Map<string, ProvisionedPair[]>();
  for (const p of provisioned) bySet.set(p.permissionSetArn, [...(bySet.get(p.permissionSetArn) ?? []), p]);
  const needs: SetNeed[] = [];
  for (const [permissionSetArn, pairs] of [...bySet.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const ids = (list: ProvisionedPair[]) => list.map((p) => p.accountId).sort();
    if (denyChanged && carriers.has(permissionSetArn)) {
      needs.push({
        permissionSetArn,
        accountIds: ids(pairs),
        cause: "revocation",
        why: "inline Deny changed",
      });
      continue;
    }
    const outdated = pairs.filter((p) => p.outdated);
    if (outdated.length === 0) continue;
    const leftByDenyWrite =
      carriers.has(permissionSetArn) && pairs.some((p) => p.accountId === management && !p.outdated);
    needs.push({
      permissionSetArn,
      accountIds: ids(outdated),
      ...(leftByDenyWrite
        ? {
            cause: "revocation" as const,
            why: "outdated since an inline Deny write that re-provisioned the management account only",
          }
        : {
            cause: "drift" as const,
            why: outdated.length === 1 ? "outdated in this account" : "outdated in these accounts",
          }),
    });
  }
  return needs;
}
