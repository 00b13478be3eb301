import { describe, expect, it } from "vitest";
import { orderActions } from "../../../core/plan/order-actions.ts";
import type { PlanAction } from "../../../core/plan/plan.ts";

describe("orderActions", () => {
  it("puts revocations before grants and drops an exact duplicate", () => {
    // Prepare
    const grant: PlanAction = { kind: "membership.add", groupId: "g1", userId: "u1", why: "member in Okta" };
    const removal: PlanAction = { kind: "membership.remove", groupId: "g1", userId: "u2", why: "leaver" };
    const deny: PlanAction = {
      kind: "deny.add",
      deny: { userId: "u2", scope: "all", reason: "leaver", createdAt: "t", expiresAt: "t2" },
      inlinePermissionSetArns: [],
    };
    // Act
    const ordered = orderActions([grant, removal, deny, removal]);
    // Assess
    expect(ordered).toEqual([deny, removal, grant]);
  });
});
