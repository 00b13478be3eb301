import { addMs, durationMs } from "../duration.ts";
import type { CredentialsPolicySection } from "../policy/credentials-policy.ts";
import { breakGlassKeys, isBreakGlass } from "./break-glass.ts";
import { compareText } from "./compare-text.ts";
import { type CredentialAction, orderCredentialActions } from "./credential-action.ts";
import { type CredentialFinding, sortFindings } from "./credential-finding.ts";
import type { IamUser, OktaPerson } from "./iam-user.ts";
import {
  federatedSessionDenies,
  iamUserDenyDocument,
  isSessionIdentifier,
  LEAVER_USER_POLICY_NAME,
  leaverRolePolicyName,
  rolePolicyDocument,
} from "./leaver-deny-policies.ts";
import type { IamUserOwnership } from "./map-iam-users.ts";

/** A role whose trust policy trusts an Okta SAML provider (discovery: ListSAMLProviders, ListRoles). */
export interface OktaTrustingRole {
  accountId: string;
  roleName: string;
  arn: string;
}

export interface CredentialRevocationInput {
  leaver: OktaPerson;
  /** The estate's ownerships (core/credentials/map-iam-users.ts); only the leaver's mapped ones count. */
  ownerships: readonly IamUserOwnership[];
  /** Every Okta-trusting role discovered; empty when only IAM users are revoked (estate sweep). */
  oktaTrustingRoles: readonly OktaTrustingRole[];
  credentials: CredentialsPolicySection;
  /** SCPs never apply to the management account: its roles get the Deny inline. */
  managementAccountId?: string;
  /** How long federated-session Denies stay (policy revocation.hold): the longest session. */
  hold: string;
  now: string;
}

export interface CredentialRevocationPlan {
  actions: CredentialAction[];
  findings: CredentialFinding[];
}

/**
 * Ends every credential of a leaver outside Identity Center: for each IAM user mapped to them (never
 * a break-glass user) an inline Deny `*`, every Active key deactivated, the login profile deleted, MFA
 * devices deactivated when the policy says so; for their federated sessions a Deny on the session
 * name and, when Okta sends it, the source identity: in the revocation SCP for the Organization's
 * member accounts, inline on every Okta-trusting role where no SCP reaches, lifted after the hold.
 */
export function planCredentialRevocation(input: CredentialRevocationInput): CredentialRevocationPlan {
  const breakGlass = breakGlassKeys(input.credentials.breakGlass);
  const users = input.ownerships.flatMap((o) =>
    o.outcome === "mapped" && o.owner.id === input.leaver.id && !isBreakGlass(o.user, breakGlass)
      ? [o.user]
      : [],
  );
  const actions = users.flatMap((user) => iamUserActions(user, input.credentials.iamUsers.removeMfaDevices));
  const federated = federatedActions(input);
  return {
    actions: orderCredentialActions([...actions, ...federated.actions]),
    findings: sortFindings(federated.findings),
  };
}

function iamUserActions(user: IamUser, removeMfaDevices: boolean): CredentialAction[] {
  const { accountId, userName, arn } = user;
  const actions: CredentialAction[] = [
    {
      kind: "iam-user.deny",
      accountId,
      userName,
      policyName: LEAVER_USER_POLICY_NAME,
      policyDocument: iamUserDenyDocument(),
      evidence: {
        accountId,
        principal: arn,
        credential: "iam-user",
        credentialId: LEAVER_USER_POLICY_NAME,
        ended: "every request signed with the user's keys or the session tokens they issued",
      },
    },
  ];
  for (const key of user.accessKeys) {
    if (key.status !== "Active") continue;
    actions.push({
      kind: "access-key.deactivate",
      accountId,
      userName,
      accessKeyId: key.id,
      evidence: {
        accountId,
        principal: arn,
        credential: "access-key",
        credentialId: key.id,
        ended: "access key, now Inactive",
      },
    });
  }
  if (user.hasConsolePassword) {
    actions.push({
      kind: "login-profile.delete",
      accountId,
      userName,
      evidence: {
        accountId,
        principal: arn,
        credential: "console-password",
        credentialId: userName,
        ended: "console password (login profile deleted)",
      },
    });
  }
  if (removeMfaDevices) {
    for (const device of user.mfaDevices) {
      actions.push({
        kind: "mfa-device.deactivate",
        accountId,
        userName,
        serialNumber: device.serialNumber,
        evidence: {
          accountId,
          principal: arn,
          credential: "mfa-device",
          credentialId: device.serialNumber,
          ended: "MFA device deactivated",
        },
      });
    }
  }
  return actions;
}

function federatedActions(input: CredentialRevocationInput): CredentialRevocationPlan {
  const { leaver, credentials } = input;
  if (input.oktaTrustingRoles.length === 0) return { actions: [], findings: [] };
  const findings: CredentialFinding[] = [];
  const attribute = credentials.federation.sessionNameAttribute;
  const sessionName = attribute === "login" ? leaver.login : leaver.email;
  const usable = (value: string | null, what: string): string | undefined => {
    if (value !== null && isSessionIdentifier(value)) return value;
    findings.push({
      kind: "federated-session-name-unusable",
      message: `The ${what} of Okta user ${leaver.id} (${value ?? "none"}) can be no AWS session's (2-64 of A-Za-z0-9_+=,.@-): sessions are not denied by it.`,
      subject: { oktaUserId: leaver.id, attribute: what },
    });
    return undefined;
  };
  const statements = federatedSessionDenies(
    usable(sessionName, attribute),
    credentials.federation.sourceIdentity ? usable(leaver.login, "login") : undefined,
  );
  if (statements.length === 0) return { actions: [], findings };

  const liftAt = addMs(input.now, durationMs(input.hold));
  const principal = `okta:${leaver.login}`;
  const inlineAccounts = new Set(credentials.accounts.map((account) => account.id));
  if (input.managementAccountId !== undefined) inlineAccounts.add(input.managementAccountId);
  const actions: CredentialAction[] = [];
  const roles = [...new Map(input.oktaTrustingRoles.map((role) => [role.arn, role])).values()].sort((a, b) =>
    compareText(a.arn, b.arn),
  );
  if (roles.some((role) => !inlineAccounts.has(role.accountId))) {
    actions.push({
      kind: "federated-deny.scp",
      oktaUserId: leaver.id,
      statements,
      roleArns: roles.filter((role) => !inlineAccounts.has(role.accountId)).map((role) => role.arn),
      liftAt,
      evidence: {
        accountId: "organization",
        principal,
        credential: "federated-sessions",
        credentialId: statements.map((s) => s.Sid).join(","),
        ended: "federated role sessions in the Organization's member accounts",
      },
    });
  }
  const policyName = leaverRolePolicyName(leaver.id);
  for (const role of roles) {
    if (!inlineAccounts.has(role.accountId)) continue;
    actions.push({
      kind: "federated-deny.role",
      accountId: role.accountId,
      roleName: role.roleName,
      policyName,
      policyDocument: rolePolicyDocument(statements),
      liftAt,
      evidence: {
        accountId: role.accountId,
        principal,
        credential: "federated-sessions",
        credentialId: role.arn,
        ended: `federated sessions of role ${role.roleName}`,
      },
    });
  }
  return { actions, findings };
}
