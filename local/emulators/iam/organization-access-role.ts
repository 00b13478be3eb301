/**
 * The role AWS Organizations puts in a member account: "When you create a member account using AWS
 * Organizations, Organizations automatically creates an IAM role named OrganizationAccountAccessRole in
 * the account. This role has full administrative permissions in the member account. The role is also
 * configured to grant that access to the management account." An invited account has none unless its
 * administrator creates it, as the guide then instructs (AWS Organizations User Guide, "Accessing a
 * member account that has a management account access role"). `invitedAccounts` chooses whether the
 * emulator assumes they did. The AdministratorAccess managed policy it carries is not modelled.
 */
import { DEFAULT_MAX_SESSION_DURATION } from "./role-operations.ts";
import type { AccountIam, RoleRecord } from "./state.ts";

export const ORGANIZATION_ACCESS_ROLE = "OrganizationAccountAccessRole";

export interface OrganizationMembership {
  managementAccountId: string;
  /** How an account joined the organization; `undefined` when it is not a member. */
  joinedMethod(accountId: string): "CREATED" | "INVITED" | undefined;
  /**
   * Whether invited member accounts have the role too (their administrators created it).
   * @default false
   */
  invitedAccounts?: boolean;
}

export const organizationAccessTrustPolicy = (managementAccountId: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${managementAccountId}:root` },
        Action: "sts:AssumeRole",
      },
    ],
  });

/** Puts the role in `account` when Organizations (or its administrator) would have. */
export function provisionOrganizationAccessRole(
  membership: OrganizationMembership,
  account: AccountIam,
  newRole: (name: string, trustPolicy: string) => RoleRecord,
): void {
  if (account.accountId === membership.managementAccountId) return;
  const joined = membership.joinedMethod(account.accountId);
  if (joined === undefined || (joined === "INVITED" && membership.invitedAccounts !== true)) return;
  const role = newRole(
    ORGANIZATION_ACCESS_ROLE,
    organizationAccessTrustPolicy(membership.managementAccountId),
  );
  role.maxSessionDuration = DEFAULT_MAX_SESSION_DURATION;
}
