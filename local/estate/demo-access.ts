import { DEMO_ACCOUNT, DEMO_OU, DEMO_ROOT_ID } from "./demo-organization.ts";
import type { EstatePermissionSetData } from "./schema.ts";

/** The demo's permission sets. */
export const DEMO_PERMISSION_SETS: readonly EstatePermissionSetData[] = [
  {
    name: "ReadOnly",
    description: "AWS managed ReadOnlyAccess",
    sessionDuration: "PT8H",
    managedPolicies: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
  },
  {
    name: "DeveloperAccess",
    description: "PowerUserAccess, without changes to the organization or to identities",
    sessionDuration: "PT4H",
    managedPolicies: ["arn:aws:iam::aws:policy/PowerUserAccess"],
    inlinePolicy: {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyOrganizationAndIdentityChanges",
          Effect: "Deny",
          Action: [
            "organizations:*",
            "account:*",
            "sso:*",
            "identitystore:*",
            "iam:CreateUser",
            "iam:CreateAccessKey",
          ],
          Resource: "*",
        },
      ],
    },
  },
  {
    name: "PlatformAdmin",
    description: "AdministratorAccess, kept to short sessions",
    sessionDuration: "PT1H",
    managedPolicies: ["arn:aws:iam::aws:policy/AdministratorAccess"],
  },
  {
    name: "BillingViewer",
    description: "Read-only billing and cost data",
    sessionDuration: "PT1H",
    managedPolicies: ["arn:aws:iam::aws:policy/AWSBillingReadOnlyAccess"],
  },
  {
    name: "SecurityAudit",
    description: "AWS managed SecurityAudit plus ViewOnlyAccess",
    sessionDuration: "PT4H",
    managedPolicies: [
      "arn:aws:iam::aws:policy/SecurityAudit",
      "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
    ],
  },
  {
    name: "DataEngineer",
    description: "Athena and Glue, read-only S3",
    sessionDuration: "PT4H",
    managedPolicies: [
      "arn:aws:iam::aws:policy/AmazonAthenaFullAccess",
      "arn:aws:iam::aws:policy/AWSGlueConsoleFullAccess",
      "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
    ],
  },
];

/**
 * One grant of the demo: an Okta group gets a permission set in accounts and/or OUs. The estate's
 * Identity Center assignments and the demo access policy's rules are both written from this list,
 * so they cannot disagree.
 */
export interface DemoGrant {
  /** The policy rule's name. */
  rule: string;
  group: string;
  permissionSet: string;
  accounts: readonly string[];
  ous: readonly string[];
  /** Why the grant exists (a comment in the policy). */
  why: string;
}

export const DEMO_GRANTS: readonly DemoGrant[] = [
  {
    rule: "platform-admins",
    group: "aws-platform-admins",
    permissionSet: "PlatformAdmin",
    accounts: [],
    ous: [DEMO_ROOT_ID],
    why: "the platform team administers every account",
  },
  {
    rule: "break-glass",
    group: "aws-break-glass",
    permissionSet: "PlatformAdmin",
    accounts: [DEMO_ACCOUNT.management],
    ous: [],
    why: "two named holders, for when the usual admin path is down",
  },
  {
    rule: "readonly-everywhere",
    group: "aws-readonly",
    permissionSet: "ReadOnly",
    accounts: [],
    ous: [DEMO_ROOT_ID],
    why: "engineering managers and security read every account",
  },
  {
    rule: "developers-nonprod",
    group: "aws-developers",
    permissionSet: "DeveloperAccess",
    accounts: [],
    ous: [DEMO_OU.nonProd],
    why: "every engineer builds in the NonProd accounts",
  },
  {
    rule: "developers-prod-readonly",
    group: "aws-developers",
    permissionSet: "ReadOnly",
    accounts: [],
    ous: [DEMO_OU.prod],
    why: "and reads production",
  },
  {
    rule: "payments-prod",
    group: "aws-payments-devs",
    permissionSet: "DeveloperAccess",
    accounts: [DEMO_ACCOUNT.paymentsProd],
    ous: [],
    why: "the payments team deploys its own production account",
  },
  {
    rule: "search-prod",
    group: "aws-search-devs",
    permissionSet: "DeveloperAccess",
    accounts: [DEMO_ACCOUNT.searchProd, DEMO_ACCOUNT.catalogProd],
    ous: [],
    why: "search and catalog engineers deploy search-prod and catalog-prod",
  },
  {
    rule: "data-engineers",
    group: "aws-data-engineers",
    permissionSet: "DataEngineer",
    accounts: [
      DEMO_ACCOUNT.dataProd,
      DEMO_ACCOUNT.analyticsProd,
      DEMO_ACCOUNT.mlProd,
      DEMO_ACCOUNT.dataStaging,
      DEMO_ACCOUNT.analyticsDev,
      DEMO_ACCOUNT.mlStaging,
    ],
    ous: [],
    why: "the data platform's accounts",
  },
  {
    rule: "sre-oncall-prod",
    group: "aws-sre-oncall",
    permissionSet: "DeveloperAccess",
    accounts: [],
    ous: [DEMO_OU.prod],
    why: "whoever is on call can act in any production account",
  },
  {
    rule: "support-prod-readonly",
    group: "aws-support-readonly",
    permissionSet: "ReadOnly",
    accounts: [],
    ous: [DEMO_OU.prod],
    why: "tier-2 support reads production",
  },
  {
    rule: "billing",
    group: "aws-billing",
    permissionSet: "BillingViewer",
    accounts: [DEMO_ACCOUNT.management],
    ous: [],
    why: "the management account holds the consolidated bill",
  },
  {
    rule: "security-auditors",
    group: "aws-security-auditors",
    permissionSet: "SecurityAudit",
    accounts: [],
    ous: [DEMO_ROOT_ID],
    why: "security audits every account",
  },
  {
    rule: "sandbox-users",
    group: "aws-sandbox-users",
    permissionSet: "DeveloperAccess",
    accounts: [],
    ous: [DEMO_OU.sandbox],
    why: "engineers with a personal sandbox",
  },
];
