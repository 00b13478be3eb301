import { DEMO_GRANTS, DEMO_PERMISSION_SETS } from "./demo-access.ts";
import { demoAcquiredIam } from "./demo-acquired.ts";
import { demoOkta } from "./demo-okta.ts";
import { demoOrganization } from "./demo-organization.ts";
import type { EstateFile } from "./schema.ts";

export { demoPolicyYaml } from "./demo-policy.ts";

/** Where examples/demo-estate.json finds its JSON Schema. */
export const DEMO_ESTATE_SCHEMA_REF = "../docs/estate.schema.json";

/**
 * The built-in demo estate, modelled on a mid-size company: 35 accounts in OUs, 400 Okta users in a
 * dozen groups, six permission sets and their group assignments, and an acquisition's IAM users and
 * Okta-federated roles (demo-acquired.ts). `jane.doe@example.com` is the demo leaver (see DEMO_NAMED_USERS). Deterministic: the same estate on every call and every machine.
 */
export function demoEstate(): EstateFile {
  return {
    $schema: DEMO_ESTATE_SCHEMA_REF,
    organization: demoOrganization(),
    okta: demoOkta(),
    identityCenter: {
      permissionSets: DEMO_PERMISSION_SETS.map((set) => structuredClone(set)),
      assignments: DEMO_GRANTS.map(({ group, permissionSet, accounts, ous }) => ({
        group,
        permissionSet,
        accounts: [...accounts],
        ous: [...ous],
      })),
      scim: { provisionedGroups: [...new Set(DEMO_GRANTS.map((grant) => grant.group))] },
    },
    iam: demoAcquiredIam(),
  };
}
