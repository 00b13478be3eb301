import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { delegatedAdminRefusal, managementSessionName, topologyOf } from "../../core/topology.ts";

const MANAGEMENT = "123456789012";
const MEMBER = "210987654321";
const SET_IN_MANAGEMENT = "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-aaaaaaaaaaaaaaaa";
const MEMBER_ONLY_SET = "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-bbbbbbbbbbbbbbbb";
const management = { accountId: MANAGEMENT, provisionedPermissionSets: new Set([SET_IN_MANAGEMENT]) };

describe("core/topology", () => {
  it("is management only in the management account itself", () => {
    expect(topologyOf(MANAGEMENT, MANAGEMENT)).toBe("management");
    expect(topologyOf(MEMBER, MANAGEMENT)).toBe("delegated-admin");
  });

  it("refuses the delegated administrator changes in the management account and to sets provisioned there", () => {
    expect(
      delegatedAdminRefusal({ targetId: MANAGEMENT, permissionSetArn: MEMBER_ONLY_SET }, management),
    ).toContain("change access in the management account");
    expect(
      delegatedAdminRefusal({ targetId: MEMBER, permissionSetArn: SET_IN_MANAGEMENT }, management),
    ).toContain("provisioned to the management account");
    expect(delegatedAdminRefusal({ permissionSetArn: SET_IN_MANAGEMENT }, management)).toBeDefined();
    expect(
      delegatedAdminRefusal({ targetId: MEMBER, permissionSetArn: MEMBER_ONLY_SET }, management),
    ).toBeUndefined();
    expect(delegatedAdminRefusal({}, management)).toBeUndefined();
  });

  it("names the run in a session name STS accepts, whatever the run id", () => {
    expect(managementSessionName("events-00u1-abc")).toBe("oal-events-00u1-abc");
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (runId) => {
        const name = managementSessionName(runId);
        expect(name).toMatch(/^[\w+=,.@-]{2,64}$/);
      }),
    );
  });
});
