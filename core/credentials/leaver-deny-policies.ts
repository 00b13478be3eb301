import { sha256Hex } from "../evidence/hash-chain.ts";
import { POLICY_VERSION, TOOL_SID_PREFIX } from "../revocation/deny-statement.ts";

/*
 * The Denies that end a leaver's credentials outside Identity Center (issue 16).
 *
 * IAM users: an inline Deny `*` on `*` (PutUserPolicy). An explicit Deny in an identity policy wins
 * over every Allow (IAM User Guide, "Policy evaluation logic"), and it also binds the temporary
 * credentials the user already issued itself with GetSessionToken / GetFederationToken, whose
 * permissions are the user's (IAM User Guide, "Revoking IAM role temporary security credentials" and
 * "Disabling permissions for temporary security credentials"). It stays: the user belongs to a leaver.
 *
 * Federated role sessions (Okta's AWS Account Federation app, SAML): `aws:userid` of an assumed-role
 * session is `<role id>:<RoleSessionName>` (IAM User Guide, "AWS global condition context keys",
 * aws:userid), and Okta sends the login or the email as RoleSessionName; `aws:SourceIdentity` is set
 * when the IdP sends it and survives role chaining (same page, aws:SourceIdentity). Both are matched in
 * separate statements, as the keys of one Condition are ANDed. A RoleSessionName or SourceIdentity is
 * 2-64 of `[\w+=,.@-]` (botocore sts 2011-06-15 `roleSessionNameType`, `sourceIdentityType`): it cannot
 * hold the `*` and `?` StringLike treats as wildcards, and a value outside that set can never be one.
 */

/** The name of the inline policy put on a leaver's IAM users. */
export const LEAVER_USER_POLICY_NAME = "okta-aws-lifecycle-leaver-deny";

/** The inline policy on an Okta-trusting role in an account outside the Organization, per leaver. */
export function leaverRolePolicyName(oktaUserId: string): string {
  return `${LEAVER_USER_POLICY_NAME}-${oktaUserId}`;
}

/** The minified document denying everything to the IAM user it is put on. */
export function iamUserDenyDocument(): string {
  return JSON.stringify({
    Version: POLICY_VERSION,
    Statement: [{ Sid: `${TOOL_SID_PREFIX}LeaverDeny`, Effect: "Deny", Action: "*", Resource: "*" }],
  });
}

/** A Deny on a leaver's federated role sessions. */
export interface FederatedSessionDeny {
  Sid: string;
  Effect: "Deny";
  Action: "*";
  Resource: "*";
  Condition: { StringLike: { "aws:userid": string } } | { StringEquals: { "aws:SourceIdentity": string } };
}

/** Whether a value can be a RoleSessionName or SourceIdentity at all. */
export function isSessionIdentifier(value: string): boolean {
  return /^[\w+=,.@-]{2,64}$/.test(value);
}

/**
 * The statements denying the sessions named `sessionName` and, when given, those carrying
 * `sourceIdentity`. Callers pass only values `isSessionIdentifier` accepts.
 */
export function federatedSessionDenies(
  sessionName: string | undefined,
  sourceIdentity: string | undefined,
): FederatedSessionDeny[] {
  const statements: FederatedSessionDeny[] = [];
  if (sessionName !== undefined) {
    statements.push(statement("FederatedSession", { StringLike: { "aws:userid": `*:${sessionName}` } }));
  }
  if (sourceIdentity !== undefined) {
    statements.push(statement("SourceIdentity", { StringEquals: { "aws:SourceIdentity": sourceIdentity } }));
  }
  return statements;
}

/** The minified inline role policy holding `statements`. */
export function rolePolicyDocument(statements: readonly FederatedSessionDeny[]): string {
  return JSON.stringify({ Version: POLICY_VERSION, Statement: statements });
}

function statement(kind: string, condition: FederatedSessionDeny["Condition"]): FederatedSessionDeny {
  const hash = sha256Hex(JSON.stringify(condition)).slice(0, 16);
  return {
    Sid: `${TOOL_SID_PREFIX}${kind}${hash}`,
    Effect: "Deny",
    Action: "*",
    Resource: "*",
    Condition: condition,
  };
}
