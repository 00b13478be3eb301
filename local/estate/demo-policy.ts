import { Document } from "yaml";
import {
  DEMO_ABAC_ATTRIBUTES,
  DEMO_ABAC_SCOPED,
  DEMO_GRANTS,
  DEMO_PERMISSION_SETS,
  DEMO_PRIVILEGED,
} from "./demo-access.ts";
import { DEMO_ACQUIRED, DEMO_BREAK_GLASS } from "./demo-acquired.ts";
import { DEMO_GROUP_IDS, DEMO_OKTA_APP } from "./demo-okta.ts";
import { DEMO_ACCOUNT } from "./demo-organization.ts";
import { SCIM_EXTERNAL_ID_ISSUER } from "./scim-projection.ts";

const HEADER = [
  " Access policy of the demo estate (local/estate/demo-estate.ts), generated from the same grants",
  " as its Identity Center assignments, so a reconcile of the untouched demo changes nothing.",
  " Format: examples/policy.yaml. Check it with: npx okta-aws-lifecycle policy validate FILE",
].join("\n");

/**
 * The demo estate's access policy as YAML, in the format of core/policy/schema.ts: one rule per
 * demo grant (the same group, permission set, accounts and OUs as the estate's assignments), the
 * permission sets in full (session duration, description, managed and inline policies), and the
 * Deny held 12 hours (longer than the longest session, ReadOnly's 8 hours).
 */
export function demoPolicyYaml(
  options: {
    /** The estate's AWS IAM Identity Center app settings, which the policy mirrors. @default oktaUsername */
    identityCenterApp?: { userNameFormat: string; userNameTemplate?: string | undefined };
    /** Leave out `externalIdIssuer` (runs then find users by user name and the pipeline's records). */
    withoutExternalIdIssuer?: boolean;
  } = {},
): string {
  const app = options.identityCenterApp;
  const doc = new Document({
    version: 1,
    managementAccountId: DEMO_ACCOUNT.management,
    okta: {
      provisioningAppIds: [DEMO_OKTA_APP.id],
      identityCenterApp: {
        // What the local SCIM model records as the external id's issuer (find users by Okta user id).
        ...(options.withoutExternalIdIssuer ? {} : { externalIdIssuer: SCIM_EXTERNAL_ID_ISSUER }),
        // The username format the estate's app uses (yaml leaves out undefined keys).
        ...(app === undefined || app.userNameFormat === "oktaUsername"
          ? {}
          : { userNameFormat: app.userNameFormat, userNameTemplate: app.userNameTemplate }),
      },
    },
    permissionSets: Object.fromEntries(
      DEMO_PERMISSION_SETS.map((set) => [
        set.name,
        {
          sessionDuration: set.sessionDuration,
          description: set.description, // yaml leaves out a key whose value is undefined
          // Declared in full (docs/policy.md, Permission sets as code): plan compares them with Identity Center.
          managedPolicies: set.managedPolicies === undefined ? undefined : [...set.managedPolicies],
          inlinePolicy: set.inlinePolicy,
          customerManagedPolicies: set.customerManagedPolicies?.map((p) => ({ name: p.name, path: p.path })),
          abac: DEMO_ABAC_SCOPED[set.name],
          privileged: (DEMO_PRIVILEGED as readonly string[]).includes(set.name) ? true : undefined,
        },
      ]),
    ),
    rules: DEMO_GRANTS.map((grant) => ({
      name: grant.rule,
      // A group an APP_GROUP shares the name of is named by id: by name, the estate run would be
      // blocked (okta-group-ambiguous) and user runs would count neither group.
      group: DEMO_GROUP_IDS[grant.group] ? { id: DEMO_GROUP_IDS[grant.group] } : grant.group,
      permissionSet: grant.permissionSet,
      targets: {
        ...(grant.accounts.length > 0 ? { accounts: [...grant.accounts] } : {}),
        ...(grant.ous.length > 0 ? { ous: [...grant.ous] } : {}),
      },
    })),
    ownership: { scope: "declared", directUserAssignments: "report", membershipSync: false },
    revocation: { method: "scp", hold: "PT12H" },
    guards: { maxDeletes: 50, maxDeletePercent: 20, abortOnEmptyGroup: true },
    // Data engineers reach their own team's Athena and Glue resources only (docs/policy.md, ABAC).
    abac: { attributes: DEMO_ABAC_ATTRIBUTES.map((a) => ({ ...a })), missingAttribute: "report" },
    // The acquisition's IAM users and Okta-federated roles (demo-acquired.ts): mapped by tag, then by
    // these naming rules; its two accounts outside the Organization, each with the roles to assume.
    credentials: {
      iamUsers: { namingRules: ["loginLocalPart", "firstInitialLast"], maxKeyDeactivations: 10 },
      breakGlass: [DEMO_BREAK_GLASS],
      automationPrincipals: [
        "arn:aws:iam::*:role/terraform-*",
        `arn:aws:iam::${DEMO_ACQUIRED.dev.id}:user/ci-deployer`,
      ],
      accounts: [{ ...DEMO_ACQUIRED.prod }, { id: DEMO_ACQUIRED.dev.id, name: DEMO_ACQUIRED.dev.name }],
      federation: { sessionNameAttribute: "login", sourceIdentity: true },
      guardrail: false,
    },
  });
  doc.commentBefore = HEADER;
  for (const [index, grant] of DEMO_GRANTS.entries()) {
    const rule = doc.getIn(["rules", index], true) as { commentBefore?: string };
    rule.commentBefore = ` ${grant.why}`;
    if (DEMO_GROUP_IDS[grant.group]) {
      const group = doc.getIn(["rules", index, "group"], true) as { comment?: string; flow?: boolean };
      group.flow = true;
      group.comment = ` ${grant.group} (an Active Directory APP_GROUP has the same name)`;
    }
  }
  return doc.toString({ lineWidth: 0 });
}
