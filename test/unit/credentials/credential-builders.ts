import type { AccessKey, IamUser, OktaPerson } from "../../../core/credentials/iam-user.ts";
import { CredentialsPolicy, type CredentialsPolicySection } from "../../../core/policy/credentials-policy.ts";

/** An Okta user; the id is derived from the login unless given. */
export function person(login: string, overrides: Partial<OktaPerson> = {}): OktaPerson {
  return {
    id: `00u${login
      .replace(/[^A-Za-z0-9]/g, "")
      .padEnd(17, "0")
      .slice(0, 17)}`,
    login,
    email: login,
    status: "ACTIVE",
    profile: { firstName: null, lastName: null },
    ...overrides,
  };
}

/** An IAM user with nothing but what the test gives it. */
export function iamUser(accountId: string, userName: string, overrides: Partial<IamUser> = {}): IamUser {
  return {
    accountId,
    userName,
    arn: `arn:aws:iam::${accountId}:user/${userName}`,
    tags: {},
    hasConsolePassword: false,
    accessKeys: [],
    mfaDevices: [],
    ...overrides,
  };
}

/** An active key created on `createDate`. */
export function key(id: string, overrides: Partial<AccessKey> = {}): AccessKey {
  return { id, status: "Active", createDate: "2025-01-01T00:00:00Z", ...overrides };
}

/** A `credentials` section with its defaults and the given values, parsed by the real schema. */
export function credentialsPolicy(section: Record<string, unknown> = {}): CredentialsPolicySection {
  return CredentialsPolicy.parse(section);
}
