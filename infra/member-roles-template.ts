/**
 * The member roles as a CloudFormation template (infra/templates/member-roles.json): the discovery role
 * (read-only) and the revocation role, each trusting only the tool's task roles, with the external id
 * when one is given. The member-roles StackSet (infra/member-roles.ts) deploys it to every account of
 * the Organization; an account outside it deploys the same file by hand (docs/credentials.md, "Reaching
 * every account"). Rendered from infra/member-roles-policies.ts: `node scripts/member-roles-template.ts`
 * writes it, a unit test checks it is current.
 */

import {
  discoveryRoleGrants,
  MEMBER_ROLE_TAG,
  type MemberAccountFacts,
  memberRoleTrustPolicy,
  revocationRoleDenies,
  revocationRoleGrants,
} from "./member-roles-policies.ts";
import { policyDocument } from "./permissions.ts";

// biome-ignore-start lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders, not JS templates
const PLACEHOLDERS: MemberAccountFacts = {
  partition: "${AWS::Partition}",
  accountId: "${AWS::AccountId}",
  roleNames: { discovery: "${DiscoveryRoleName}", revocation: "${RevocationRoleName}" },
};
const TOOL_ACCOUNT = "${ToolAccountId}";
// biome-ignore-end lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders

/** Every string with a `${...}` placeholder becomes an `Fn::Sub`; CloudFormation intrinsics stay. */
function substitute(value: unknown): unknown {
  if (typeof value === "string") return value.includes("${") ? { "Fn::Sub": value } : value;
  if (Array.isArray(value)) return value.map(substitute);
  if (value !== null && typeof value === "object") {
    if (Object.keys(value).some((key) => key === "Ref" || key.startsWith("Fn::"))) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v)]));
  }
  return value;
}

/** The trust policy, with the external id condition only when the parameter is not empty. */
function trustPolicy() {
  const trust = (externalId?: unknown) =>
    memberRoleTrustPolicy({
      partition: PLACEHOLDERS.partition,
      toolAccountId: TOOL_ACCOUNT,
      toolPrincipalArns: { Ref: "ToolPrincipalArns" },
      ...(externalId === undefined ? {} : { externalId }),
    });
  const [withId] = trust({ Ref: "ExternalId" }).Statement;
  const [withoutId] = trust().Statement;
  return substitute({
    Version: "2012-10-17",
    Statement: [
      {
        ...withId,
        Condition: { "Fn::If": ["HasExternalId", withId?.Condition, withoutId?.Condition] },
      },
    ],
  });
}

const ROLE_NAME = { Type: "String", AllowedPattern: "^[\\w+=,.@-]{1,64}$" };

export function memberRolesTemplate() {
  const denies = policyDocument(revocationRoleDenies(PLACEHOLDERS));
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description:
      "okta-aws-lifecycle member roles: a read-only discovery role (IAM users, keys, MFA devices, SAML-trusting roles) " +
      "and a revocation role (deactivate keys, delete login profiles, inline Denies) the tool assumes in this account " +
      "(docs/credentials.md).",
    Parameters: {
      ToolAccountId: {
        Type: "String",
        AllowedPattern: "^\\d{12}$",
        Description: "The account the okta-aws-lifecycle stack runs in",
      },
      ToolPrincipalArns: {
        Type: "CommaDelimitedList",
        Description:
          "ARNs (or ArnLike patterns) of the tool's task roles that may assume these roles, e.g. memberRolesPrincipalArns from the deploy output",
      },
      ExternalId: {
        Type: "String",
        Default: "",
        AllowedPattern: "^$|^[\\w+=,.@:/-]{2,1224}$",
        Description:
          "Required as sts:ExternalId when not empty (credentials.accounts[].externalId for an outside account)",
      },
      DiscoveryRoleName: {
        ...ROLE_NAME,
        Default: "okta-aws-lifecycle-discovery",
        Description: "credentials.memberRoleName.discovery",
      },
      RevocationRoleName: {
        ...ROLE_NAME,
        Default: "okta-aws-lifecycle-revocation",
        Description: "credentials.memberRoleName.revocation",
      },
    },
    Conditions: { HasExternalId: { "Fn::Not": [{ "Fn::Equals": [{ Ref: "ExternalId" }, ""] }] } },
    Resources: {
      DiscoveryRole: {
        Type: "AWS::IAM::Role",
        Properties: {
          RoleName: { Ref: "DiscoveryRoleName" },
          Description:
            "okta-aws-lifecycle: reads IAM users, their credentials, and SAML-trusting roles (read-only)",
          MaxSessionDuration: 3600,
          Tags: [{ Key: MEMBER_ROLE_TAG, Value: "discovery" }],
          AssumeRolePolicyDocument: trustPolicy(),
          Policies: [
            {
              PolicyName: "credential-discovery",
              PolicyDocument: substitute(policyDocument(discoveryRoleGrants(PLACEHOLDERS))),
            },
          ],
        },
      },
      RevocationRole: {
        Type: "AWS::IAM::Role",
        Properties: {
          RoleName: { Ref: "RevocationRoleName" },
          Description: "okta-aws-lifecycle: ends a leaver's IAM credentials and federated sessions",
          MaxSessionDuration: 3600,
          Tags: [{ Key: MEMBER_ROLE_TAG, Value: "revocation" }],
          AssumeRolePolicyDocument: trustPolicy(),
          Policies: [
            {
              PolicyName: "credential-revocation",
              PolicyDocument: substitute({
                Version: "2012-10-17",
                Statement: [
                  ...policyDocument(revocationRoleGrants(PLACEHOLDERS)).Statement,
                  ...denies.Statement.map((statement) => ({ ...statement, Effect: "Deny" })),
                ],
              }),
            },
          ],
        },
      },
    },
    Outputs: {
      DiscoveryRoleArn: { Value: { "Fn::GetAtt": ["DiscoveryRole", "Arn"] } },
      RevocationRoleArn: { Value: { "Fn::GetAtt": ["RevocationRole", "Arn"] } },
    },
  };
}

/** The committed file's text. */
export const memberRolesTemplateText = () => `${JSON.stringify(memberRolesTemplate(), null, 2)}\n`;
