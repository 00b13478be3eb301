import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkTopology, type TopologyTarget } from "../../cli/doctor/topology-check.ts";
import { localClientConfig } from "../../local/emulators/aws-json-server.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { type LocalStack, type LocalStackOptions, startLocalStack } from "../../local/stack/local-stack.ts";

const SECRET = randomHookSecret();

/** The doctor's topology target as it connects to a stack: with the credentials the stack signs with. */
function targetOf(stack: LocalStack, overrides: Partial<TopologyTarget> = {}): TopologyTarget {
  const aws = { ...localClientConfig(stack.url), credentials: stack.topology.credentials };
  const component = stack.topology.component;
  return {
    sts: new STSClient(aws),
    organizations: new OrganizationsClient(aws),
    deployed: stack.topology.topology,
    ...(component ? { component: { roleArn: component.roleArn, externalId: component.externalId } } : {}),
    instanceArn: stack.emulators.identityCenter.instanceArn,
    ...overrides,
  };
}

describe.each<[string, Pick<LocalStackOptions, "topology" | "managementComponent">]>([
  ["management account", { topology: "management" }],
  ["delegated administrator with the component", { topology: "delegated-admin", managementComponent: true }],
  [
    "delegated administrator without the component",
    { topology: "delegated-admin", managementComponent: false },
  ],
])("doctor: the topology of a stack in the %s", (_, options) => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, hookSecret: SECRET, pollIntervalMs: 0, ...options });
  });
  afterAll(() => stack.stop());

  it("says where the stack runs and whether the management component can be assumed", async () => {
    // Act
    const result = await checkTopology(targetOf(stack));

    // Assess
    const management = stack.estate.organization.managementAccountId;
    if (options.topology === "management") {
      expect(result).toMatchObject({
        status: "ok",
        detail: expect.stringContaining(`management account ${management}`),
      });
    } else if (options.managementComponent) {
      expect(result).toMatchObject({
        status: "ok",
        detail: expect.stringContaining(`delegated administrator ${stack.topology.accountId}`),
      });
      expect(result.detail).toContain(String(stack.topology.component?.roleArn));
    } else {
      const instanceId = stack.emulators.identityCenter.instanceArn.split("/").pop();
      expect(result).toMatchObject({ status: "problem", detail: expect.stringContaining("cannot assume") });
      expect(result.fix).toBe(
        "with management-account credentials: aws cloudformation deploy --stack-name " +
          "okta-aws-lifecycle-local-management-component --template-file infra/templates/management-component.json " +
          "--capabilities CAPABILITY_NAMED_IAM --parameter-overrides " +
          `PipelineAccountId=${stack.topology.accountId} RoleName=okta-aws-lifecycle-local-management-component ` +
          `RolePath=/okta-aws-lifecycle/local/ ExternalId=${stack.topology.component?.externalId} InstanceId=${instanceId}`,
      );
    }
  });

  it("refuses credentials from another account than the deployment's", async () => {
    // Prepare: what the deployment recorded, against the other topology's account
    const other = options.topology === "management" ? "delegated-admin" : "management";

    // Act
    const result = await checkTopology(targetOf(stack, { deployed: other }));

    // Assess
    expect(result).toMatchObject({
      status: "problem",
      detail: expect.stringContaining(`the stack was deployed as ${other}`),
      fix: expect.stringContaining("credentials of the account the stack is deployed in"),
    });
  });
});
