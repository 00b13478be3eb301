import { describe, expect, it, vi } from "vitest";
import { sweepEstateCredentialsTask } from "../../../usecases/reconcile-estate/credential-sweep-task.ts";

describe("the estate run's credential sweep and scoped runs", () => {
  const task = (policy: () => Promise<never>) =>
    sweepEstateCredentialsTask({
      policy,
      organizations: { readOrganization: vi.fn() },
      credentials: {} as never,
      now: () => "2026-12-07T00:00:00.000Z",
    });

  it("does nothing, reading nothing, in a run started by an Identity Center change", async () => {
    // Prepare
    const policy = vi.fn(async () => {
      throw new Error("read");
    });

    // Act
    const summary = await task(policy)({
      runId: "sso-1",
      trigger: {
        type: "identity-center-event",
        eventName: "CreateAccountAssignment",
        accountId: "111111111111",
        permissionSetArn: "arn:aws:sso:::permissionSet/ssoins-1/ps-1",
      },
    });

    // Assess
    expect(summary).toEqual({ enabled: false });
    expect(policy).not.toHaveBeenCalled();
  });

  it("reads the policy in a full run", async () => {
    // Prepare
    const policy = vi.fn(async () => {
      throw new Error("read");
    });

    // Act / Assess
    await expect(task(policy)({ runId: "daily-1", trigger: { type: "schedule" } })).rejects.toThrow("read");
    expect(policy).toHaveBeenCalledOnce();
  });
});
