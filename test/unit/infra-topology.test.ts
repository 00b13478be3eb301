import { describe, expect, it } from "vitest";
import { resourceNames } from "../../infra/names.ts";
import { DeploymentParameterError, readDeploymentParameters } from "../../infra/parameters.ts";
import { type DeployingAccount, resolveTopology } from "../../infra/topology.ts";

const ORG = { OAL_OKTA_ORG_URL: "https://acme.okta.com" };
const MANAGEMENT = "123456789012";
const DELEGATED = "210987654321";
const names = resourceNames("okta-aws-lifecycle", "prod");
const inAccount = (accountId: string, extra: Partial<DeployingAccount> = {}): DeployingAccount => ({
  partition: "aws",
  accountId,
  managementAccountId: MANAGEMENT,
  rootId: "r-ab12",
  scpEnabled: true,
  ...extra,
});
const resolve = (env: Record<string, string>, account: DeployingAccount) =>
  resolveTopology(readDeploymentParameters({ ...ORG, ...env }), account, names);

describe("infra/topology: the deployment's topology, decided before any resource", () => {
  it("defaults from the account: the management account forwards Organizations events itself", () => {
    // Act
    const deployment = resolve({}, inAccount(MANAGEMENT));

    // Assess
    expect(deployment).toEqual({ topology: "management", organizationsEvents: "forward" });
  });

  it("makes a delegated administrator external for Organizations events and names the management component", () => {
    // Act
    const deployment = resolve({}, inAccount(DELEGATED));

    // Assess
    expect(deployment).toEqual({
      topology: "delegated-admin",
      organizationsEvents: "external",
      managementComponent: {
        roleName: "okta-aws-lifecycle-prod-management-component",
        rolePath: "/okta-aws-lifecycle/prod/",
        roleArn: `arn:aws:iam::${MANAGEMENT}:role/okta-aws-lifecycle/prod/okta-aws-lifecycle-prod-management-component`,
        externalId: `okta-aws-lifecycle-prod-${DELEGATED}`,
        pipelineAccountId: DELEGATED,
      },
    });
    expect(deployment.managementComponent?.roleName.length).toBeLessThanOrEqual(64);
    expect(
      resolve({ OAL_MANAGEMENT_EXTERNAL_ID: "abc123" }, inAccount(DELEGATED)).managementComponent?.externalId,
    ).toBe("abc123");
  });

  it("refuses forward in a delegated administrator account with the fix, before anything is created", () => {
    // Act
    const deploy = () => resolve({ OAL_ORGANIZATIONS_EVENTS: "forward" }, inAccount(DELEGATED));

    // Assess
    expect(deploy).toThrow(DeploymentParameterError);
    expect(deploy).toThrow(
      /OAL_ORGANIZATIONS_EVENTS=forward needs the stack in the management account \(123456789012\)/,
    );
    expect(deploy).toThrow(/Set OAL_ORGANIZATIONS_EVENTS=external/);
  });

  it("refuses a topology that disagrees with the account, and SCPs disabled on the root, in one error", () => {
    // Act
    const wrongAccount = () =>
      resolve({ OAL_TOPOLOGY: "management" }, inAccount(DELEGATED, { scpEnabled: false }));
    const claimsDelegated = () => resolve({ OAL_TOPOLOGY: "delegated-admin" }, inAccount(MANAGEMENT));

    // Assess
    expect(wrongAccount).toThrow(/OAL_TOPOLOGY=management, but the deploying account 210987654321 is not/);
    expect(wrongAccount).toThrow(/OAL_ORGANIZATIONS_EVENTS=forward needs/);
    expect(wrongAccount).toThrow(/enable-policy-type --root-id r-ab12 --policy-type SERVICE_CONTROL_POLICY/);
    expect(claimsDelegated).toThrow(
      /OAL_TOPOLOGY=delegated-admin, but the deploying account 123456789012 is the management/,
    );
  });

  it("keeps an explicit mode that fits, and refuses values it does not know", () => {
    expect(resolve({ OAL_ORGANIZATIONS_EVENTS: "off" }, inAccount(MANAGEMENT)).organizationsEvents).toBe(
      "off",
    );
    expect(resolve({ OAL_TOPOLOGY: "delegated-admin" }, inAccount(DELEGATED)).topology).toBe(
      "delegated-admin",
    );
    expect(() => resolve({ OAL_TOPOLOGY: "member" }, inAccount(DELEGATED))).toThrow(
      'OAL_TOPOLOGY: "member" is not one of management, delegated-admin',
    );
    expect(() => resolve({ OAL_MANAGEMENT_EXTERNAL_ID: "x" }, inAccount(DELEGATED))).toThrow(
      /OAL_MANAGEMENT_EXTERNAL_ID: "x" is not an external id/,
    );
    // SCP status unknown (OAL_ROOT_ID given: only DescribeOrganization was read): not a problem here.
    expect(resolve({}, inAccount(MANAGEMENT, { scpEnabled: undefined })).topology).toBe("management");
  });
});
