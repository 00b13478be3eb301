import { DEMO_ACCOUNT, DEMO_OU, DEMO_ROOT_ID } from "./demo-organization.ts";
import type { EstatePermissionSetData } from "./schema.ts";

// biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a JS template
const PRINCIPAL_TEAM = "${aws:PrincipalTag/team}";

/** The demo's attribute for access control: Okta's `team` profile attribute, as the principal tag `team`. */
export const DEMO_ABAC_ATTRIBUTES = [{ key: "team", oktaAttribute: "team" }] as const;

/** The demo's ABAC-scoped permission sets, and the actions the canary proof asks about. */
export const DEMO_ABAC_SCOPED: Readonly<Record<string, { attributes: string[]; canaryActions: string[] }>> = {
  DataEngineer: { attributes: ["team"], canaryActions: ["athena:StartQueryExecution", "glue:GetTable"] },
};

/** Permission sets the grant guards hold to guards.maxPrivilegedAccounts (AdministratorAccess). */
export const DEMO_PRIVILEGED = ["PlatformAdmin"] as const;

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
    // The platform team's guardrails, a customer managed policy every account holds (a StackSet puts it
    // there): the estate run checks each account the set reaches has it (docs/policy.md).
    customerManagedPolicies: [
      {
        name: "DeveloperGuardrails",
        path: "/platform/",
        document: {
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "KeepAuditTrails",
              Effect: "Deny",
              Action: ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "guardduty:DeleteDetector"],
              Resource: "*",
            },
          ],
        },
      },
    ],
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
    description: "Athena and Glue on the own team's resources (ABAC by team), read-only S3",
    sessionDuration: "PT4H",
    managedPolicies: [
      "arn:aws:iam::aws:policy/AmazonAthenaFullAccess",
      "arn:aws:iam::aws:policy/AWSGlueConsoleFullAccess",
      "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
    ],
    // ABAC by team: the managed policies allow every workgroup and table; these Denies keep a session
    // to its own team's, and deny a session without the tag everything (without that second Deny a
    // user whose Okta profile lacks `team` would reach every team's: the canary proof catches it).
    inlinePolicy: {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyOtherTeamsResources",
          Effect: "Deny",
          Action: ["athena:*", "glue:*"],
          Resource: "*",
          Condition: { StringNotEquals: { "aws:ResourceTag/team": PRINCIPAL_TEAM } },
        },
        {
          Sid: "DenySessionsWithoutTeam",
          Effect: "Deny",
          Action: "*",
          Resource: "*",
          Condition: { Null: { "aws:PrincipalTag/team": "true" } },
        },
      ],
    },
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
