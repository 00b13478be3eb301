/*
 * The IAM shape of a revocation Deny, as AWS documents it for ending live permission-set sessions
 * (IAM Identity Center User Guide, "Revoke active IAM role sessions created by permission sets",
 * https://docs.aws.amazon.com/singlesignon/latest/userguide/useraccess.html#revoke-user-permissions,
 * and "Revoke active user permissions with a deny policy", prereqs-revoking-user-permissions.html):
 *   {"Effect":"Deny","Action":["*"],"Resource":"*",
 *    "Condition":{"StringEquals":{"identitystore:userId":"<user id>"}}}
 * AWS recommends `identitystore:userId` over `aws:userId`: it is a globally unique value that does not
 * change when the user's name or email does.
 *
 * Movers are scoped to the roles of the permission sets they lost with `ArnLike aws:PrincipalArn`
 * (for a role session it is the role's ARN, path included). The role ARN shape is documented in
 * "Referencing permission sets in resource policies, Amazon EKS, and AWS KMS"
 * (https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html):
 *   arn:aws:iam::<account>:role/aws-reserved/sso.amazonaws.com/<region>/AWSReservedSSO_<set>_<suffix>
 * Roles of instances in us-east-1 are widely reported without the `<region>/` segment
 * (arn:...:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_<set>_<suffix>), so the pattern is
 * `sso.amazonaws.com*` + `/AWSReservedSSO_<set>_<suffix>`: in ArnLike `*` also matches `/`, so one
 * pattern covers both shapes (proven with iam-simulate in the tests), where `sso.amazonaws.com/*`
 * would miss the region-less one. The partition is `*` so the same Deny holds in aws-cn and aws-us-gov.
 *
 * The suffix Identity Center appends is 16 hexadecimal characters (the documented example role
 * `AWSReservedSSO_AWSAdministratorAccess_1234567890abcdef`, same page), so it is matched with exactly
 * 16 `?`: a trailing `*` would make the Deny on `Dev` also deny `Dev_Admin` and `Dev_ReadOnly`
 * sessions, whose role names start with `AWSReservedSSO_Dev_` too.
 *
 * Attribute changes (ABAC) deny only sessions issued before the change: `DateLessThan
 * aws:TokenIssueTime` (IAM User Guide, "Revoke IAM role temporary security credentials").
 */

/** Marks a statement as this tool's; every other statement in a policy belongs to the customer. */
export const TOOL_SID_PREFIX = "OktaAwsLifecycle";

/** The IAM policy language version every document is written in. */
export const POLICY_VERSION = "2012-10-17";

/** The conditions of a revocation Deny. Condition operators are ANDed, the values of one key ORed. */
export interface DenyCondition {
  StringEquals: { "identitystore:userId": string[] };
  ArnLike?: { "aws:PrincipalArn": string[] };
  DateLessThan?: { "aws:TokenIssueTime": string };
}

/** One Deny statement as it is written into an SCP or a permission set's inline policy. */
export interface DenyStatement {
  /** `OktaAwsLifecycle` + kind + a hash of the condition: alphanumeric, deterministic, unique. */
  Sid: string;
  Effect: "Deny";
  Action: "*";
  Resource: "*";
  Condition: DenyCondition;
}

/** An IAM policy document holding statements. */
export interface PolicyDocument<S = unknown> {
  Version: string;
  Statement: S[];
}

/**
 * The `aws:PrincipalArn` pattern matching every role Identity Center creates for a permission set in
 * one account, with or without the region segment in the role path (see the comment at the top).
 */
export function identityCenterRolePattern(accountId: string, permissionSetName: string): string {
  return `arn:*:iam::${accountId}:role/aws-reserved/sso.amazonaws.com*/AWSReservedSSO_${permissionSetName}_${ROLE_SUFFIX_PATTERN}`;
}

/** Identity Center's role-name suffix: 16 characters, one `?` each in ArnLike. */
export const ROLE_SUFFIX_PATTERN = "?".repeat(16);

/** Whether a statement found in a policy is one this tool wrote (and may therefore replace). */
export function isToolStatement(statement: unknown): boolean {
  if (typeof statement !== "object" || statement === null) return false;
  const sid = (statement as { Sid?: unknown }).Sid;
  return typeof sid === "string" && sid.startsWith(TOOL_SID_PREFIX);
}

/** Compact JSON of a policy document: no whitespace, so the characters AWS counts are all meaningful. */
export function renderPolicy(statements: readonly unknown[]): string {
  return JSON.stringify({ Version: POLICY_VERSION, Statement: statements });
}

/**
 * Characters as AWS counts them for an SCP: every character, whitespace included (Organizations
 * quotas: "Maximum size of a policy document"; AWS re:Post "organization-scp-size": "5,120
 * characters, which includes any extra spaces or line breaks"). Counted in code points.
 */
export function scpLength(text: string): number {
  return [...text].length;
}
