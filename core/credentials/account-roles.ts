import type { CredentialsPolicySection } from "../policy/credentials-policy.ts";

/** The roles the tool assumes in one account, and the external id their trust policies require. */
export interface AccountRoles {
  discovery: string;
  revocation: string;
  externalId?: string;
}

/**
 * The roles to assume in an account: an account outside the Organization may name its own (each name
 * it leaves out is `memberRoleName`'s) and an external id; every other account uses `memberRoleName`.
 */
export function accountRoles(
  credentials: Pick<CredentialsPolicySection, "accounts" | "memberRoleName">,
  accountId: string,
): AccountRoles {
  const outside = credentials.accounts.find((account) => account.id === accountId);
  const roles: AccountRoles = {
    discovery: outside?.roleName?.discovery ?? credentials.memberRoleName.discovery,
    revocation: outside?.roleName?.revocation ?? credentials.memberRoleName.revocation,
  };
  return outside?.externalId === undefined ? roles : { ...roles, externalId: outside.externalId };
}
