/**
 * The management component as a CloudFormation template (infra/templates/management-component.json):
 * one IAM role in the management account with exactly {@link managementComponentGrants} and a trust
 * policy for the pipeline's roles with the deployment's external id. A platform engineer deploys it in
 * one command with the values `sst deploy` prints (docs/deploy.md, "Delegated administrator").
 * It also forwards the management account's Identity Center changes (CloudTrail `aws.sso` events on
 * its default bus, in the home region where the template is deployed) to the stack's lifecycle bus,
 * with the patterns of workflows/identity-center-triggers.ts (the tool's own role path left out):
 * Identity Center delivers them only to the bus of the account the call was made in.
 * Rendered from infra/permissions.ts, so the template and the pipeline never disagree:
 * `node scripts/management-component-template.ts` writes it, a unit test checks it is current.
 */

import { identityCenterForwardingPatterns } from "../workflows/identity-center-triggers.ts";
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
/** The stack's lifecycle bus: same region (the home region) in the pipeline's account. */
const LIFECYCLE_BUS_ARN =
  "arn:${AWS::Partition}:events:${AWS::Region}:${PipelineAccountId}:event-bus/${LifecycleBusName}";
const FORWARDING_PATTERNS = identityCenterForwardingPatterns("${RolePath}");
const THIS_ACCOUNT = "${AWS::AccountId}";
// biome-ignore-end lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders

/**
 * EventBridge needs a role to put events on another account's bus (EventBridge User Guide, "Sending
 * and receiving events between AWS accounts"); it may put on the lifecycle bus only.
 */
const forwarderRole = {
  Type: "AWS::IAM::Role",
  Properties: {
    Path: { Ref: "RolePath" },
    Description:
      "okta-aws-lifecycle: forwards the management account's Identity Center changes to the lifecycle bus",
    AssumeRolePolicyDocument: substitute({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "events.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": THIS_ACCOUNT } },
        },
      ],
    }),
    Policies: [
      {
        PolicyName: "forward-to-lifecycle-bus",
        PolicyDocument: substitute({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "events:PutEvents", Resource: LIFECYCLE_BUS_ARN }],
        }),
      },
    ],
  },
};

/** A default-bus rule forwarding one of the two caller patterns to the lifecycle bus. */
const forwardingRule = (description: string, pattern: Record<string, unknown>) => ({
  Type: "AWS::Events::Rule",
  Properties: {
    Description: description,
    EventBusName: "default",
    State: "ENABLED",
    EventPattern: substitute(pattern),
    Targets: [
      {
        Id: "lifecycle-bus",
        Arn: substitute(LIFECYCLE_BUS_ARN),
        RoleArn: { "Fn::GetAtt": ["IdentityCenterEventsForwarderRole", "Arn"] },
      },
    ],
  },
});

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
      "It also forwards the management account's Identity Center changes to the stack's lifecycle bus. " +
      "Deploy in the management account, in the Identity Center home region (docs/deploy.md).",
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
      LifecycleBusName: {
        Type: "String",
        AllowedPattern: "^[\\w.-]{1,256}$",
        Description: "lifecycleBus from the deploy output (the stack's bus, in this same region)",
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
      IdentityCenterEventsForwarderRole: forwarderRole,
      ForwardIdentityCenterEvents: forwardingRule(
        "Identity Center changes by a user or root (no role session) -> the okta-aws-lifecycle lifecycle bus",
        FORWARDING_PATTERNS.other,
      ),
      ForwardIdentityCenterEventsOfRoles: forwardingRule(
        "Identity Center changes by a role outside okta-aws-lifecycle's path -> the okta-aws-lifecycle lifecycle bus",
        FORWARDING_PATTERNS.role,
      ),
    },
    Outputs: {
      RoleArn: { Value: { "Fn::GetAtt": ["ManagementComponentRole", "Arn"] } },
    },
  };
}

/** The committed file's text. */
export const managementComponentTemplateText = () =>
  `${JSON.stringify(managementComponentTemplate(), null, 2)}\n`;
