/**
 * Where the pipeline runs in the organization, and what that lets it change. Pure: infra/topology.ts
 * decides it at deploy, the runtime and the Identity Center emulator apply it.
 *
 * AWS, "Register a member account" (IAM Identity Center user guide): users of the delegated
 * administrator account "can perform all IAM Identity Center administrative tasks from the account,
 * except for: Enabling IAM Identity Center; Deleting IAM Identity Center configurations; Managing
 * permission sets provisioned in the management account; Registering or deregistering other member
 * accounts as delegated administrators; Enabling or disabling user access in the management account".
 * The troubleshooting page names the error "You can't delete/modify/remove/assign access to permission
 * sets provisioned in the management account"; field reports give its type, AccessDeniedException
 * (fivexl/terraform-aws-sso-elevator issue 101, aws-samples/iam-identity-center-team issue 59).
 */

/**
 * - `management`: the stack runs in the organization's management account and may change everything.
 * - `delegated-admin`: the stack runs in the account registered as Identity Center's delegated
 *   administrator (what AWS recommends); the management-account part goes through the management
 *   component, a role deployed in the management account (infra/templates/management-component.yaml).
 */
export const TOPOLOGIES = ["management", "delegated-admin"] as const;
export type Topology = (typeof TOPOLOGIES)[number];

/** The topology of a stack deployed in `accountId`. */
export function topologyOf(accountId: string, managementAccountId: string): Topology {
  return accountId === managementAccountId ? "management" : "delegated-admin";
}

/** An sso-admin change, as far as delegation cares: the account it targets and the set it touches. */
export interface IdentityCenterChange {
  /** The target account (assignments, provisioning to one account). */
  targetId?: string;
  permissionSetArn?: string;
}

/** The management account as the delegated administrator sees it. */
export interface ManagementAccountView {
  accountId: string;
  /** The permission sets provisioned to the management account. */
  provisionedPermissionSets: ReadonlySet<string>;
}

/**
 * Why a delegated administrator may not make `change` (undefined: it may): it targets the management
 * account ("enabling or disabling user access in the management account") or touches a permission set
 * provisioned there ("managing permission sets provisioned in the management account").
 */
export function delegatedAdminRefusal(
  change: IdentityCenterChange,
  management: ManagementAccountView,
): string | undefined {
  if (change.targetId === management.accountId) {
    return `the delegated administrator cannot change access in the management account ${management.accountId}`;
  }
  if (
    change.permissionSetArn !== undefined &&
    management.provisionedPermissionSets.has(change.permissionSetArn)
  ) {
    return (
      `the delegated administrator cannot manage permission set ${change.permissionSetArn}: it is provisioned ` +
      `to the management account ${management.accountId}`
    );
  }
  return undefined;
}

/**
 * The `RoleSessionName` of the pipeline's session in the management component's role: it names the run,
 * so the management account's CloudTrail says which run changed what. STS allows `[\w+=,.@-]`, 2 to 64
 * characters (the `oal-` prefix makes 2); anything else becomes `-` and the end is cut.
 */
export function managementSessionName(runId: string): string {
  return `oal-${runId}`.replace(/[^\w+=,.@-]/g, "-").slice(0, 64);
}
