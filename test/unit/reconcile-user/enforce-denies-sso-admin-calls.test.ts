/**
 * A layoff spends the shared sso-admin budget run after run (issue 17, bench/layoff.ts): a Deny write
 * lists the instance's permission sets (a DescribePermissionSet each) only when some set is
 * provisioned to the management account, whose inline policies then need the names.
 */
import { describe, expect, it } from "vitest";
import type { DenyEntry } from "../../../core/estate.ts";
import { enforceDenies } from "../../../usecases/reconcile-user/enforce-denies.ts";

const NOW = "2026-11-23T22:00:00.000Z";
const SET = "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-aaaaaaaaaaaaaaaa";
const leaver: DenyEntry = {
  userId: "u-1",
  scope: "all",
  reason: "leaver",
  createdAt: NOW,
  expiresAt: "2026-11-24T10:00:00.000Z",
};

function identityCenter(provisioned: string[], calls: string[]) {
  return {
    listProvisionedPermissionSets: async () => {
      calls.push("ListPermissionSetsProvisionedToAccount");
      return provisioned.map((permissionSetArn) => ({ permissionSetArn, outdated: false }));
    },
    listPermissionSets: async () => {
      calls.push("ListPermissionSets");
      return [{ arn: SET, name: "ReadOnly", sessionDuration: "PT1H" }];
    },
    getInlinePolicy: async () => null,
    putInlinePolicy: async () => {
      calls.push("PutInlinePolicyToPermissionSet");
    },
    deleteInlinePolicy: async () => {},
  };
}

const enforce = (provisioned: string[], calls: string[], scpWriteMs = 0) =>
  enforceDenies({
    ledger: { list: async () => [{ denyId: "d-1", deny: leaver }], sequence: async () => 1 } as never,
    lock: { withLease: (_name: string, fn: () => Promise<unknown>) => fn() } as never,
    marker: { read: async () => undefined, record: async () => {} } as never,
    scps: {
      writeRevocationScps: async () => {
        calls.push("SCP write started");
        await new Promise((r) => setTimeout(r, scpWriteMs));
        calls.push("SCP write done");
        return { policyIds: ["p-slot0001"], overflow: [] };
      },
      listRevocationScps: async () => [],
    },
    identityCenter: identityCenter(provisioned, calls) as never,
    instanceArn: "arn:aws:sso:::instance/ssoins-1111111111111111",
    managementAccountId: "123456789012",
    now: () => NOW,
  });

describe("enforceDenies: sso-admin calls per Deny write", () => {
  it("nothing provisioned to the management account: one listing of what is provisioned, no set listing", async () => {
    // Act
    const calls: string[] = [];
    const result = await enforce([], calls);
    // Assess
    expect(calls.filter((c) => !c.startsWith("SCP"))).toEqual(["ListPermissionSetsProvisionedToAccount"]);
    expect(result.reprovisions).toEqual([]);
  });

  it("a set provisioned there: its name is read, its inline Deny written and re-provisioned", async () => {
    // Act
    const calls: string[] = [];
    const result = await enforce([SET], calls);
    // Assess
    expect(calls.filter((c) => !c.startsWith("SCP"))).toEqual([
      "ListPermissionSetsProvisionedToAccount",
      "ListPermissionSets",
      "PutInlinePolicyToPermissionSet",
    ]);
    expect(result.reprovisions.map((r) => r.PermissionSetArn)).toEqual([SET]);
  });

  it("writes the management account's inline Denies while the SCP write is under way, not after it", async () => {
    // Act
    const calls: string[] = [];
    await enforce([SET], calls, 50);
    // Assess
    expect(calls.indexOf("PutInlinePolicyToPermissionSet")).toBeLessThan(calls.indexOf("SCP write done"));
    expect(calls).toContain("SCP write started");
  });
});
