import { describe, expect, it } from "vitest";
import { denyStatements } from "../../../core/revocation/deny-statements.ts";
import type { UserRunState } from "../../../usecases/reconcile-user/run-state.ts";
import { verifyUserRun } from "../../../usecases/reconcile-user/verify-user-run.ts";

const MANAGEMENT = "999999999999";
const SET = "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-1111111111111111";

/** Verify over fakes: the management account holds one set whose inline policy denies `denied`. */
function harness() {
  const calls: string[] = [];
  let clock = "2026-12-07T12:00:10.000Z";
  const denied = new Set<string>();
  const deny = (userId: string) => ({
    userId,
    scope: "all" as const,
    reason: "leaver" as const,
    createdAt: "2026-12-07T12:00:00.000Z",
    expiresAt: "2026-12-08T00:00:00.000Z",
  });
  const verify = verifyUserRun({
    identityCenter: {
      listUserGroupMemberships: async () => [],
      listAssignmentsForPrincipal: async () => [],
      describeUser: async (userId: string) => {
        calls.push("DescribeUser");
        return { userId, externalIds: [] };
      },
      listProvisionedPermissionSets: async () => {
        calls.push("ListPermissionSetsProvisionedToAccount");
        return [{ permissionSetArn: SET, outdated: false }];
      },
      getInlinePolicy: async () => {
        calls.push("GetInlinePolicyForPermissionSet");
        return JSON.stringify({ Version: "2012-10-17", Statement: denyStatements([...denied].map(deny)) });
      },
    } as never,
    scps: {
      listRevocationScps: async () => [
        { policyId: "p-1", content: JSON.stringify({ Statement: denyStatements([...denied].map(deny)) }) },
      ],
    } as never,
    ledger: { list: async () => [...denied].map((u) => ({ denyId: u, deny: deny(u) })) } as never,
    managementAccountId: MANAGEMENT,
    now: () => clock,
  });
  const state = (userId: string, inForceAt: string) =>
    ({
      runId: `run-${userId}`,
      truth: {
        identityCenter: { userId, resolution: { outcome: "resolved", userId, via: "link", detail: "" } },
      },
      plan: { decision: "revoke", denies: [], lifts: [] },
      deny: { inForceAt, scpPolicyIds: [], overflow: 0, reprovisions: [] },
    }) as unknown as UserRunState;
  return {
    calls,
    denied,
    verify,
    state,
    at: (t: string) => {
      clock = t;
    },
  };
}

describe("Verify in a burst of leavers", () => {
  it("runs whose Denies were in force before a read share the management account's read-back; a later Deny reads again", async () => {
    // Prepare: three leavers denied by 12:00:05, a fourth at 12:00:20
    const h = harness();
    for (const u of ["u-1", "u-2", "u-3", "u-4"]) h.denied.add(u);

    // Act
    const burst = await Promise.all(
      ["u-1", "u-2", "u-3"].map((u) => h.verify(h.state(u, "2026-12-07T12:00:05.000Z"))),
    );
    h.at("2026-12-07T12:00:30.000Z");
    const later = await h.verify(h.state("u-4", "2026-12-07T12:00:20.000Z"));

    // Assess: one read-back for the three, one more for the fourth; every run proves its own Deny; with
    // no assignment left listed, nobody asks whether the user still exists
    expect(h.calls).toEqual([
      "ListPermissionSetsProvisionedToAccount",
      "GetInlinePolicyForPermissionSet",
      "ListPermissionSetsProvisionedToAccount",
      "GetInlinePolicyForPermissionSet",
    ]);
    for (const v of [...burst, later]) {
      expect(v.details.find((d) => d.check.startsWith("Deny inline"))?.passed).toBe(true);
      expect(v.passed).toBe(true);
    }
  });

  it("a shared read that predates a run's Deny is not its proof", async () => {
    // Prepare: the read happens before u-2's Deny is in the inline policy
    const h = harness();
    h.denied.add("u-1");
    await h.verify(h.state("u-1", "2026-12-07T12:00:05.000Z"));
    h.denied.add("u-2");
    h.at("2026-12-07T12:00:30.000Z");

    // Act
    const verified = await h.verify(h.state("u-2", "2026-12-07T12:00:20.000Z"));

    // Assess
    expect(verified.details.find((d) => d.check.startsWith("Deny inline"))?.passed).toBe(true);
    expect(h.calls.filter((c) => c === "GetInlinePolicyForPermissionSet")).toHaveLength(2);
  });
});
