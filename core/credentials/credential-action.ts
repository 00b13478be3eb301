import { compareText } from "./compare-text.ts";
import type { FederatedSessionDeny } from "./leaver-deny-policies.ts";

/** The kind of credential an action ends. */
export type CredentialType =
  | "iam-user"
  | "access-key"
  | "console-password"
  | "mfa-device"
  | "federated-sessions";

/** What an action records as evidence once applied: the credential it ended, where. */
export interface CredentialEvidence {
  /** The account, or `organization` for an SCP statement. */
  accountId: string;
  /** The IAM user's ARN, or `okta:<login>` for federated sessions. */
  principal: string;
  credential: CredentialType;
  /** The key id, MFA serial, policy name or role ARN the action touches. */
  credentialId: string;
  /** What ends, in words. */
  ended: string;
}

/**
 * One change that ends a leaver's credential (IAM API reference for each call). Nothing is deleted
 * that the person could need back: keys are deactivated, not deleted.
 */
export type CredentialAction =
  /** PutUserPolicy: the inline Deny `*`, first, so every other credential of the user stops at once. */
  | {
      kind: "iam-user.deny";
      accountId: string;
      userName: string;
      policyName: string;
      policyDocument: string;
      evidence: CredentialEvidence;
    }
  /** UpdateAccessKey Status=Inactive. */
  | {
      kind: "access-key.deactivate";
      accountId: string;
      userName: string;
      accessKeyId: string;
      evidence: CredentialEvidence;
    }
  /** DeleteLoginProfile: the console password. */
  | { kind: "login-profile.delete"; accountId: string; userName: string; evidence: CredentialEvidence }
  /** DeactivateMFADevice (policy credentials.iamUsers.removeMfaDevices). */
  | {
      kind: "mfa-device.deactivate";
      accountId: string;
      userName: string;
      serialNumber: string;
      evidence: CredentialEvidence;
    }
  /** Statements for the revocation SCP: federated sessions in the Organization's member accounts. */
  | {
      kind: "federated-deny.scp";
      oktaUserId: string;
      statements: FederatedSessionDeny[];
      /** The Okta-trusting roles the SCP Deny reaches (the federated mass fallback's principals), sorted. */
      roleArns: string[];
      liftAt: string;
      evidence: CredentialEvidence;
    }
  /** PutRolePolicy on an Okta-trusting role where no SCP reaches (outside accounts, the management account). */
  | {
      kind: "federated-deny.role";
      accountId: string;
      roleName: string;
      policyName: string;
      policyDocument: string;
      liftAt: string;
      evidence: CredentialEvidence;
    };

export type CredentialActionKind = CredentialAction["kind"];

/** Revocation order: Denies first (they end everything at once), then keys, passwords, MFA devices. */
export const CREDENTIAL_ACTION_ORDER: readonly CredentialActionKind[] = [
  "iam-user.deny",
  "federated-deny.scp",
  "federated-deny.role",
  "access-key.deactivate",
  "login-profile.delete",
  "mfa-device.deactivate",
];

/** Denies first, then by account and the credential touched: one order whatever the inputs'. */
export function orderCredentialActions(actions: readonly CredentialAction[]): CredentialAction[] {
  const rank = (a: CredentialAction) => CREDENTIAL_ACTION_ORDER.indexOf(a.kind);
  const key = (a: CredentialAction) =>
    `${a.evidence.accountId}\u0000${a.evidence.principal}\u0000${a.evidence.credentialId}`;
  return [...actions].sort((a, b) => rank(a) - rank(b) || compareText(key(a), key(b)));
}
