import { describe, expect, it } from "vitest";
import type { DenyEntry } from "../../../core/estate.ts";
import { type EnforceDeniesDeps, enforceDenies } from "../../../usecases/reconcile-user/enforce-denies.ts";
import {
  type ManagementAccountPort,
  ManagementComponentUnavailableError,
} from "../../../usecases/reconcile-user/management-account-access.ts";

const MANAGEMENT = "123456789012";
const SET = "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-aaaaaaaaaaaaaaaa";
const NOW = "2026-11-23T22:00:00.000Z";
const leaver: DenyEntry = {
  userId: "u-1",
  scope: "all",
  reason: "leaver",
  createdAt: NOW,
  expiresAt: "2026-11-24T10:00:00.000Z",
};

/** A management account with one provisioned set, recording what is written and provisioned. */
function managementAccount(calls: string[]): ManagementAccountPort {
  let inline: string | null = null;
  return {
    listPermissionSets: async () => [{ arn: SET, name: "ReadOnly" }] as never,
    listProvisionedPermissionSets: async () => [{ permissionSetArn: SET, outdated: false }],
    getInlinePolicy: async () => inline,
    putInlinePolicy: async (_arn, document) => {
      calls.push("put");
      inline = document;
    },
    deleteInlinePolicy: async () => {
      inline = null;
    },
    provisionPermissionSet: async () => {
      calls.push("provision");
      return { requestId: "r-1" };
    },
    provisioningStatus: async () => ({ status: "SUCCEEDED" }),
    deleteAssignment: async () => {
      calls.push("delete");
      return { requestId: "d-1" };
    },
    assignmentDeletionStatus: async () => ({ status: "SUCCEEDED" }),
  };
}

function deps(overrides: Partial<EnforceDeniesDeps>, scpError?: Error): EnforceDeniesDeps {
  return {
    ledger: { list: async () => [{ denyId: "d-1", deny: leaver }], sequence: async () => 1 } as never,
    lock: { withLease: (_name: string, fn: () => Promise<unknown>) => fn() } as never,
    marker: { read: async () => undefined, record: async () => {} } as never,
    scps: {
      writeRevocationScps: async () => {
        if (scpError) throw scpError;
        return { policyIds: ["p-slot0001"], overflow: [] };
      },
      listRevocationScps: async () => [],
    },
    identityCenter: managementAccount([]) as never,
    instanceArn: "arn:aws:sso:::instance/ssoins-1111111111111111",
    managementAccountId: MANAGEMENT,
    provisionPollMs: 0,
    now: () => NOW,
    ...overrides,
  };
}

describe("enforceDenies by topology (issue 15) and with SCPs disabled (issue 14, point 5)", () => {
  it("delegated-admin: writes the management account's inline Deny through the component, re-provisions and waits itself", async () => {
    // Prepare
    const calls: string[] = [];
    const sessions: string[] = [];
    const access = {
      kind: "component" as const,
      roleArn: "arn:aws:iam::123456789012:role/x",
      connect: async (runId: string) => {
        sessions.push(runId);
        return managementAccount(calls);
      },
    };

    // Act
    const result = await enforceDenies(deps({ managementAccess: access }), { runId: "events-1" });

    // Assess: nothing left to the workflow's own role; the run is named in the session
    expect(sessions).toEqual(["events-1"]);
    expect(calls).toEqual(["put", "provision"]);
    expect(result.reprovisions).toEqual([]);
    expect(result.managementProvisioning).toEqual([
      { status: "SUCCEEDED", requestId: "r-1", accountId: MANAGEMENT, permissionSetArn: SET },
    ]);
    expect(result.skipped).toEqual([]);
  });

  it("delegated-admin without the component: the SCP Deny is placed, the management-account part is skipped with the fix", async () => {
    // Prepare
    const denied = Object.assign(new Error("not authorized to perform: sts:AssumeRole"), {
      name: "AccessDenied",
    });
    const access = {
      kind: "component" as const,
      roleArn: "arn:aws:iam::123456789012:role/x",
      connect: async () => {
        throw new ManagementComponentUnavailableError("arn:aws:iam::123456789012:role/x", { cause: denied });
      },
    };

    // Act
    const result = await enforceDenies(deps({ managementAccess: access }));

    // Assess
    expect(result.scpPolicyIds).toEqual(["p-slot0001"]);
    expect(result.failures).toEqual([]);
    expect(result.skipped).toEqual([
      {
        placement: "management-account",
        reason: expect.stringContaining(
          "deploy infra/templates/management-component.json in the management account",
        ),
      },
    ]);
  });

  it("SCPs disabled: no failure, a skipped SCP placement that says how to enable them; the management account still gets its Deny", async () => {
    // Prepare
    const disabled = Object.assign(
      new Error("The specified policy type isn't currently enabled in this root."),
      {
        name: "PolicyTypeNotEnabledException",
      },
    );
    const calls: string[] = [];

    // Act
    const result = await enforceDenies(deps({ identityCenter: managementAccount(calls) as never }, disabled));

    // Assess
    expect(result.failures).toEqual([]);
    expect(result.skipped).toEqual([
      { placement: "scp", reason: expect.stringContaining("enable-policy-type") },
    ]);
    expect(calls).toEqual(["put"]);
    expect(result.reprovisions.map((r) => r.TargetId)).toEqual([MANAGEMENT]);
  });
});
