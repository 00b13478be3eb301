import { accountRoles } from "../../core/credentials/account-roles.ts";
import { compareText } from "../../core/credentials/compare-text.ts";
import type { OktaPerson } from "../../core/credentials/iam-user.ts";
import type { OktaUser, Organization } from "../../core/estate.ts";
import type { CredentialsPolicySection } from "../../core/policy/credentials-policy.ts";
import type { CredentialAccount } from "../../core/ports.ts";

/**
 * One account as the member roles reach it: named after the Organization's account, else the policy's
 * entry outside it; its roles from the policy's `credentials` (an outside account may name its own).
 */
export function credentialAccount(
  organization: Pick<Organization, "accounts">,
  credentials: Pick<CredentialsPolicySection, "accounts" | "memberRoleName">,
  accountId: string,
): CredentialAccount {
  const inside = organization.accounts.find((account) => account.id === accountId);
  const outside = credentials.accounts.find((account) => account.id === accountId);
  return {
    accountId,
    name: inside?.name ?? outside?.name ?? accountId,
    inOrganization: inside !== undefined,
    roles: accountRoles(credentials, accountId),
  };
}

/**
 * Every account whose IAM credentials the sweep reads: the Organization's ACTIVE accounts (the
 * management account included: its IAM users are as long-lived as anyone's) and the accounts the
 * policy lists outside it, each with the roles to assume there. Sorted by id.
 */
export function credentialAccounts(
  organization: Pick<Organization, "accounts">,
  credentials: CredentialsPolicySection,
): CredentialAccount[] {
  const active = { accounts: organization.accounts.filter((account) => account.status === "ACTIVE") };
  const ids = new Set([...active.accounts.map((a) => a.id), ...credentials.accounts.map((a) => a.id)]);
  return [...ids].sort(compareText).map((accountId) => credentialAccount(active, credentials, accountId));
}

/** An Okta user as credential mapping reads them: login, email and names from the profile. */
export function oktaPerson(user: OktaUser): OktaPerson {
  const profile = user.profile ?? {};
  return {
    id: user.id,
    login: user.login,
    email: profile.email ?? null,
    status: user.status,
    ...(user.transitioningToStatus ? { transitioningToStatus: user.transitioningToStatus } : {}),
    profile: { firstName: profile.firstName ?? null, lastName: profile.lastName ?? null },
  };
}
