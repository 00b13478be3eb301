import { runSimulation } from "@cloud-copilot/iam-simulate";
import { describe, expect, it } from "vitest";
import { resourceNames } from "../../infra/names.ts";
import {
  ESTATE_TASK_ROLES,
  type PermissionFacts,
  policyDocument,
  rolePermissions,
} from "../../infra/permissions.ts";

/*
 * The deployed ABAC canary (adapters/iam/simulate-custom-policy-prover.ts) asks iam:SimulateCustomPolicy
 * from the estate plan step: that role, and only that estate role, may call it.
 */

const ACCOUNT = "111122223333";
const facts: PermissionFacts = {
  partition: "aws",
  region: "eu-west-1",
  accountId: ACCOUNT,
  managementAccountId: "999988887777",
  organizationId: "o-abcdef1234",
  instanceArn: "arn:aws:sso:::instance/ssoins-1234567890abcdef",
  identityStoreId: "d-1234567890",
  names: resourceNames("okta-aws-lifecycle", "prod"),
  evidenceBucket: "okta-aws-lifecycle-prod-evidencebucket-abcdef",
  workBucket: "okta-aws-lifecycle-prod-workbucket-abcdef",
  policyObject: { bucket: "acme-config", key: "okta-aws-lifecycle/policy.yaml" },
  logStreamingSource: "aws.partner/okta.com/acme/okta-aws-lifecycle",
  revocationScpIds: ["p-slot0001"],
  membershipSync: false,
};
const roles = rolePermissions(facts);

async function allows(role: string, action: string): Promise<boolean> {
  const grants = roles[role as keyof typeof roles]?.grants ?? [];
  const result = await runSimulation(
    {
      request: {
        principal: `arn:aws:iam::${ACCOUNT}:role/${role}`,
        action,
        resource: { resource: "*", accountId: ACCOUNT },
        contextVariables: {},
      },
      identityPolicies: [{ name: "least-privilege", policy: policyDocument(grants) }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    } as never,
    {},
  );
  if (result.resultType === "error") throw new Error(JSON.stringify(result.errors));
  return result.overallResult === "Allowed";
}

describe("the ABAC canary's permission", () => {
  it("lets the estate plan step call iam:SimulateCustomPolicy, and no other estate task", async () => {
    // Act
    const results = Object.fromEntries(
      await Promise.all(
        Object.entries(ESTATE_TASK_ROLES).map(async ([task, role]) => [
          task,
          await allows(role, "iam:SimulateCustomPolicy"),
        ]),
      ),
    );
    const principalPolicy = await allows(ESTATE_TASK_ROLES.planEstateRun, "iam:SimulatePrincipalPolicy");

    // Assess
    expect(results).toEqual(
      Object.fromEntries(Object.keys(ESTATE_TASK_ROLES).map((task) => [task, task === "planEstateRun"])),
    );
    expect(principalPolicy).toBe(false);
  });
});
