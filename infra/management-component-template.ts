/**
 * The management component as a CloudFormation template (infra/templates/management-component.json):
 * one IAM role in the management account with exactly {@link managementComponentGrants} and a trust
 * policy for the pipeline's roles with the deployment's external id. A platform engineer deploys it in
 * one command with the values `sst deploy` prints (docs/deploy.md, "Delegated administrator").
 * Rendered from infra/permissions.ts, so the template and the pipeline never disagree:
 * `node scripts/management-component-template.ts` writes it, a unit test checks it is current.
 */

import { resourceNames } from "./names.ts";
import {
  managementComponentGrants,
  managementComponentTrustPolicy,
  type PermissionFacts,
  policyDocument,
} from "./permissions.ts";

/** CloudFormation parameters, as `${Name}` placeholders in the rendered policies. */
// biome-ignore-start lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders, not JS templates
const PLACEHOLDER_FACTS: PermissionFacts & { managementComponent: { roleArn: string; externalId: string } } =
  {
    partition: "${AWS::Partition}",
    region: "${AWS::Region}",
    accountId: "${PipelineAccountId}",
    managementAccountId: "${AWS::AccountId}",
    organizationId: "o-unused",
    instanceArn: "arn:${AWS::Partition}:sso:::instance/${InstanceId}",
    identityStoreId: "d-unused",
    names: { ...resourceNames("okta-aws-lifecycle", "unused"), rolePath: "${RolePath}" },
    evidenceBucket: "unused",
    revocationScpIds: [],
    membershipSync: false,
    topology: "delegated-admin",
    managementComponent: { roleArn: "unused", externalId: "${ExternalId}" },
  };
// biome-ignore-end lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders

/** Every string with a `${...}` placeholder becomes an `Fn::Sub`. */
function substitute(value: unknown): unknown {
  if (typeof value === "string") return value.includes("${") ? { "Fn::Sub": value } : value;
  if (Array.isArray(value)) return value.map(substitute);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v)]));
  return value;
}

export function managementComponentTemplate() {
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description:
      "okta-aws-lifecycle management component: lets a delegated-administrator deployment place its revocation " +
      "Deny in the permission sets provisioned to the management account and re-provision them there. " +
      "Deploy in the management account (docs/deploy.md).",
    Parameters: {
      PipelineAccountId: {
        Type: "String",
        AllowedPattern: "^\\d{12}$",
        Description: "The delegated administrator account the okta-aws-lifecycle stack runs in",
      },
      RoleName: {
        Type: "String",
        AllowedPattern: "^[\\w+=,.@-]{1,64}$",
        Description: "managementComponentRoleName from the stack's deploy output",
      },
      RolePath: {
        Type: "String",
        AllowedPattern: "^/[\\w+=,.@/-]*/$",
        Description: "managementComponentRolePath from the deploy output (the stack's roles live under it)",
      },
      ExternalId: {
        Type: "String",
        AllowedPattern: "^[\\w+=,.@:/-]{2,1224}$",
        Description: "managementComponentExternalId from the deploy output",
      },
      InstanceId: {
        Type: "String",
        AllowedPattern: "^ssoins-[0-9a-f]{16}$",
        Description: "The IAM Identity Center instance id (the end of instanceArn in the deploy output)",
      },
    },
    Resources: {
      ManagementComponentRole: {
        Type: "AWS::IAM::Role",
        Properties: {
          RoleName: { Ref: "RoleName" },
          Path: { Ref: "RolePath" },
          Description:
            "okta-aws-lifecycle: the management-account part of a revocation (inline Deny, re-provision)",
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: substitute(managementComponentTrustPolicy(PLACEHOLDER_FACTS)),
          Policies: [
            {
              PolicyName: "management-account-part",
              PolicyDocument: substitute(policyDocument(managementComponentGrants(PLACEHOLDER_FACTS))),
            },
          ],
        },
      },
    },
    Outputs: {
      RoleArn: { Value: { "Fn::GetAtt": ["ManagementComponentRole", "Arn"] } },
    },
  };
}

/** The committed file's text. */
export const managementComponentTemplateText = () =>
  `${JSON.stringify(managementComponentTemplate(), null, 2)}\n`;
