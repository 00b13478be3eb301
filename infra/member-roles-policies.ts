/**
 * What the two roles the tool assumes in every member and outside account may do (docs/credentials.md,
 * "Reaching every account"), and the tool's own right to assume them. Rendered into
 * infra/templates/member-roles.json (infra/member-roles-template.ts) and simulated by
 * test/unit/infra-member-roles.test.ts.
 *
 * - discovery: read-only, exactly the calls adapters/iam/iam-credential-discovery.ts makes, and the
 *   GetPolicy of adapters/iam/customer-managed-policy-lookup.ts (does the account hold the customer
 *   managed policies a permission set references). ListUsers, ListRoles and ListSAMLProviders are
 *   authorized on no resource (Service Authorization Reference, IAM: no resource type), hence `*`; the
 *   per-user reads on the account's users; GetPolicy on the account's policies (resource type `policy`).
 * - revocation: what a leaver's revocation writes (core/credentials/plan-credential-revocation.ts) and the
 *   reads that verify it. Writing inline policies is powerful (an Allow written there would grant), so
 *   the role may never write its own or the discovery role's policies (an explicit Deny), and only the
 *   tool's task roles, with the external id when set, may assume it.
 */
import type { Conditions, Grant } from "./permissions.ts";

/** The account the roles are in and the IAM partition, as the policies name them. */
export interface MemberAccountFacts {
  partition: string;
  accountId: string;
  roleNames: { discovery: string; revocation: string };
}

const USERS_WHY =
  "Every IAM user of the account: a leaver's may have any name (mapped by tag or naming rule).";
const ROLES_WHY = "Every role that trusts the account's SAML provider: discovered at run time, any name.";
const POLICIES_WHY =
  "Any customer managed policy a permission set references, by any path and name the access policy declares.";
const NO_RESOURCE_WHY = "IAM authorizes these list calls on no resource (Service Authorization Reference).";

const iamArn = (f: MemberAccountFacts, resource: string) =>
  `arn:${f.partition}:iam::${f.accountId}:${resource}`;

/**
 * The discovery role: the reads of adapters/iam/iam-credential-discovery.ts and
 * adapters/iam/customer-managed-policy-lookup.ts, nothing else.
 */
export function discoveryRoleGrants(f: MemberAccountFacts): Grant[] {
  return [
    {
      sid: "ListUsersRolesSamlProviders",
      actions: ["iam:ListUsers", "iam:ListRoles", "iam:ListSAMLProviders"],
      resources: ["*"],
      wildcard: NO_RESOURCE_WHY,
    },
    {
      sid: "ReadUserCredentials",
      actions: [
        "iam:ListUserTags",
        "iam:GetLoginProfile",
        "iam:ListAccessKeys",
        "iam:GetAccessKeyLastUsed",
        "iam:ListMFADevices",
      ],
      resources: [iamArn(f, "user/*")],
      wildcard: USERS_WHY,
    },
    {
      sid: "ReadCustomerManagedPolicies",
      actions: ["iam:GetPolicy"],
      resources: [iamArn(f, "policy/*")],
      wildcard: POLICIES_WHY,
    },
  ];
}

/** The revocation role: end a leaver's credentials, put and lift the federated Deny, and read back. */
export function revocationRoleGrants(f: MemberAccountFacts): Grant[] {
  return [
    {
      sid: "EndUserCredentials",
      actions: [
        "iam:UpdateAccessKey",
        "iam:DeleteLoginProfile",
        "iam:DeactivateMFADevice",
        "iam:PutUserPolicy",
        "iam:GetUserPolicy",
        "iam:ListAccessKeys",
        "iam:GetLoginProfile",
        "iam:ListMFADevices",
      ],
      resources: [iamArn(f, "user/*")],
      wildcard: USERS_WHY,
    },
    {
      sid: "DenyFederatedSessions",
      actions: ["iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:GetRolePolicy"],
      resources: [iamArn(f, "role/*")],
      wildcard: ROLES_WHY,
    },
  ];
}

/** Roles the revocation role must never write: the tool's own two. */
export function revocationRoleDenies(f: MemberAccountFacts): Grant[] {
  return [
    {
      sid: "NeverWriteTheToolsOwnRoles",
      actions: ["iam:PutRolePolicy", "iam:DeleteRolePolicy"],
      resources: [iamArn(f, `role/${f.roleNames.discovery}`), iamArn(f, `role/${f.roleNames.revocation}`)],
    },
  ];
}

/**
 * Who may assume either role: principals of the tool's account whose ARN matches one of
 * `toolPrincipalArns` (its task roles, `*` allowed, as `ArnLike aws:PrincipalArn`), with the external id
 * when there is one (`sts:ExternalId`: IAM User Guide, "Access to AWS accounts owned by third parties").
 */
export function memberRoleTrustPolicy(trust: {
  partition: string;
  toolAccountId: string;
  toolPrincipalArns: string[] | unknown;
  externalId?: string | unknown;
}) {
  const condition: Conditions = {
    ArnLike: { "aws:PrincipalArn": trust.toolPrincipalArns as string[] },
  };
  if (trust.externalId !== undefined)
    condition.StringEquals = { "sts:ExternalId": trust.externalId as string };
  return {
    Version: "2012-10-17" as const,
    Statement: [
      {
        Sid: "OktaAwsLifecycleTaskRoles",
        Effect: "Allow" as const,
        Principal: { AWS: `arn:${trust.partition}:iam::${trust.toolAccountId}:root` },
        Action: "sts:AssumeRole",
        Condition: condition,
      },
    ],
  };
}

/**
 * The tag the template puts on each member role (`discovery` or `revocation`): the tool's task roles may
 * assume a role only when it carries it, whatever the role's name (the policy chooses names at run time)
 * and in whichever account (accounts join after deploy). So they can never assume another role that
 * happens to trust their account, such as OrganizationAccountAccessRole (administrator in every account
 * created by Organizations, trusting the management account).
 */
export const MEMBER_ROLE_TAG = "okta-aws-lifecycle:member-role";

/**
 * The tool's right to assume member roles: `sts:AssumeRole` on any role tagged {@link MEMBER_ROLE_TAG}
 * with one of `roles` (`iam:ResourceTag/<key>`, a condition key of sts:AssumeRole: Service Authorization
 * Reference, AWS STS). Nothing else.
 */
export function assumeMemberRoleGrant(
  partition: string,
  roles: readonly ("discovery" | "revocation")[] = ["discovery", "revocation"],
): Grant {
  return {
    sid: "AssumeMemberCredentialRoles",
    actions: ["sts:AssumeRole"],
    resources: [`arn:${partition}:iam::*:role/*`],
    conditions: { StringEquals: { [`iam:ResourceTag/${MEMBER_ROLE_TAG}`]: [...roles] } },
    wildcard:
      "Member role names come from the policy at run time and accounts join after deploy: only roles the member-roles template tagged (infra/templates/member-roles.json) may be assumed; each role's trust policy admits only this account's task roles.",
  };
}
