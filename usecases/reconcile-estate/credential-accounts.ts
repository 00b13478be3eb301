import { accountRoles } from "../../core/credentials/account-roles.ts";
import type { OktaPerson } from "../../core/credentials/iam-user.ts";
import type { OktaUser, Organization } from "../../core/estate.ts";
import type { CredentialsPolicySection } from "../../core/policy/credentials-policy.ts";
import type { CredentialAccount } from "../../core/ports.ts";

/**
 * Every account whose IAM credentials the sweep reads: the Organization's ACTIVE accounts (the
 * management account included: its IAM users are as long-lived as anyone's) and the accounts the
 * policy lists outside it, each with the roles to assume there. Sorted by id.
 */
export function credentialAccounts(
  organization: Pick<Organization, "accounts">,
  credentials: CredentialsPolicySection,
): CredentialAccount[] {
  const inside = organization.accounts
    .filter((account) => account.status === "ACTIVE")
    .map(
      (account): CredentialAccount => ({
        accountId: account.id,
        name: account.name,
        inOrganization: true,
        roles: accountRoles(credentials, account.id),
      }),
    );
  const known = new Set(inside.map((a) => a.accountId));
  const outside = credentials.accounts
    .filter((account) => !known.has(account.id))
    .map(
      (account): CredentialAccount => ({
        accountId: account.id,
        name: account.name,
        inOrganization: false,
        roles: accountRoles(credentials, account.id),
      }),
    );
  return [...inside, ...outside].sort(
    (a, b) => Number(a.accountId > b.accountId) - Number(a.accountId < b.accountId),
  );
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
