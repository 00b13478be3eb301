import { describe, expect, it } from "vitest";
import { readDeploymentParameters } from "../../infra/parameters.ts";

/** OAL_MEMBER_ROLES* (infra/member-roles-parameters.ts), read with the other deploy variables. */

const ORG = { OAL_OKTA_ORG_URL: "https://acme.okta.com" };

describe("infra/member-roles-parameters: the StackSet's deploy variables", () => {
  it("deploys no StackSet unless OAL_MEMBER_ROLES=stackset", () => {
    expect(readDeploymentParameters(ORG).memberRoles).toBeUndefined();
    expect(readDeploymentParameters({ ...ORG, OAL_MEMBER_ROLES: "off" }).memberRoles).toBeUndefined();
  });

  it("reads the targets (the root by default) and the external id", () => {
    expect(readDeploymentParameters({ ...ORG, OAL_MEMBER_ROLES: "stackset" }).memberRoles).toEqual({});
    expect(
      readDeploymentParameters({
        ...ORG,
        OAL_MEMBER_ROLES: "stackset",
        OAL_MEMBER_ROLES_TARGETS: "ou-ab12-cdef3456, ou-ab12-99990000",
        OAL_MEMBER_ROLES_EXTERNAL_ID: "oal-7f3a",
      }).memberRoles,
    ).toEqual({ targets: ["ou-ab12-cdef3456", "ou-ab12-99990000"], externalId: "oal-7f3a" });
  });

  it("names each bad variable and what it should be", () => {
    const read = (env: Record<string, string>) => () => readDeploymentParameters({ ...ORG, ...env });

    expect(read({ OAL_MEMBER_ROLES: "yes" })).toThrow(/OAL_MEMBER_ROLES: "yes" is not one of stackset, off/);
    expect(read({ OAL_MEMBER_ROLES: "stackset", OAL_MEMBER_ROLES_TARGETS: "r-ab12,acct-1" })).toThrow(
      /OAL_MEMBER_ROLES_TARGETS: "acct-1" is not a root id \(r-\.\.\.\) or an OU id/,
    );
    expect(read({ OAL_MEMBER_ROLES: "stackset", OAL_MEMBER_ROLES_EXTERNAL_ID: "x" })).toThrow(
      /OAL_MEMBER_ROLES_EXTERNAL_ID: "x" is not 2 to 1224/,
    );
    expect(read({ OAL_MEMBER_ROLES_TARGETS: "r-ab12" })).toThrow(/OAL_MEMBER_ROLES is not stackset/);
  });
});
