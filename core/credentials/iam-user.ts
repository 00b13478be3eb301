import type { OktaUserStatus } from "../estate.ts";

/*
 * What discovery reads in each account (IAM API reference: ListUsers, ListUserTags, GetLoginProfile,
 * ListAccessKeys, GetAccessKeyLastUsed, ListMFADevices) and in Okta (Users API), as the pure
 * credential code takes it. Status values are IAM's `statusType` (botocore iam 2010-05-08).
 */

/** One access key of an IAM user. */
export interface AccessKey {
  id: string;
  status: "Active" | "Inactive" | "Expired";
  /** ISO-8601 instant the key was created. */
  createDate: string;
  /** GetAccessKeyLastUsed; absent when not read, `date` absent when the key was never used. */
  lastUsed?: { date?: string; serviceName?: string; region?: string };
  /**
   * Whether the key was used from outside AWS (a source IP that is no AWS service's, from CloudTrail).
   * GetAccessKeyLastUsed does not say it: absent when unknown.
   */
  usedFromOutsideAws?: boolean;
}

/** One MFA device of an IAM user (ListMFADevices). */
export interface MfaDevice {
  serialNumber: string;
  enableDate?: string;
}

/** An IAM user in one account. */
export interface IamUser {
  accountId: string;
  userName: string;
  arn: string;
  /** Tag key -> value (ListUserTags). */
  tags: Readonly<Record<string, string>>;
  /** Whether the user has a login profile (a console password). */
  hasConsolePassword: boolean;
  /** The credential report's `password_last_used` (GetUser `PasswordLastUsed`); absent when never used. */
  passwordLastUsed?: string;
  accessKeys: readonly AccessKey[];
  mfaDevices: readonly MfaDevice[];
}

/** An Okta user as credential mapping needs it. */
export interface OktaPerson {
  id: string;
  login: string;
  email: string | null;
  status: OktaUserStatus;
  /** Set while Okta completes a status change asynchronously (Users API, User object). */
  transitioningToStatus?: OktaUserStatus | null;
  profile: { firstName?: string | null; lastName?: string | null };
}

/** `account:userName` of an IAM user, the user name lower-cased: IAM user names are unique regardless of case. */
export function iamUserKey(user: Pick<IamUser, "accountId" | "userName">): string {
  return `${user.accountId}:${user.userName.toLowerCase()}`;
}

/** Whether the user holds a long-lived credential: a console password or an active access key. */
export function holdsLongLivedCredential(user: IamUser): boolean {
  return user.hasConsolePassword || user.accessKeys.some((key) => key.status === "Active");
}

/**
 * Whether an unmapped user looks like a person's rather than a workload's: a console password, or a
 * key known to be used from outside AWS.
 */
export function looksHuman(user: IamUser): boolean {
  return user.hasConsolePassword || user.accessKeys.some((key) => key.usedFromOutsideAws === true);
}
