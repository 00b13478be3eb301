/**
 * The estate executor's assignment deletions in a delegated-admin deployment (core/topology.ts): those in
 * the management account go through the management component (the pipeline's own Identity Center client
 * is refused there), or, when it cannot be assumed, are SKIPPED with why; the others stay with the
 * pipeline's client.
 */
import { describe, expect, it } from "vitest";
import type { Assignment } from "../../../core/estate.ts";
import type { PlanAction } from "../../../core/plan/plan.ts";
import {
  type ExecutorIdentityCenter,
  PlanExecutor,
} from "../../../usecases/reconcile-estate/plan-executor.ts";
import { ThrottleBudget } from "../../../usecases/reconcile-estate/throttle-budget.ts";
import {
  type ManagementAccountAccess,
  type ManagementAccountPort,
  ManagementComponentUnavailableError,
} from "../../../usecases/reconcile-user/management-account-access.ts";

const MANAGEMENT = "999988887777";
const MEMBER = "222233334444";
const ROLE = `arn:aws:iam::${MANAGEMENT}:role/okta-aws-lifecycle/prod/management-component`;

/** An Identity Center client that deletes as `who`, refusing the management account unless allowed. */
function deleter(who: string, deleted: string[], mayTouchManagement: boolean) {
  return {
    deleteAssignment: async (a: Assignment) => {
      if (a.accountId === MANAGEMENT && !mayTouchManagement)
        throw Object.assign(new Error("the delegated administrator cannot"), {
          name: "AccessDeniedException",
        });
      deleted.push(`${who}:${a.accountId}`);
      return { requestId: `${who}-${a.accountId}` };
    },
    assignmentDeletionStatus: async () => ({ status: "SUCCEEDED" as const }),
  };
}

function executor(access: ManagementAccountAccess, deleted: string[]) {
  return new PlanExecutor({
    identityCenter: deleter("pipeline", deleted, false) as unknown as ExecutorIdentityCenter,
    ledger: {} as never, // no Deny in these plans
    enforce: { managementAccountId: MANAGEMENT, managementAccess: access } as never,
    budget: new ThrottleBudget({ callsPerSecond: 1_000 }),
    now: () => "2026-12-07T00:00:00.000Z",
    sleep: async () => {},
  });
}

const remove = (accountId: string): PlanAction =>
  ({
    kind: "assignment.delete",
    assignment: { accountId, permissionSetArn: "arn:ps", principalType: "USER", principalId: "u-1" },
    why: "test",
  }) as PlanAction;

describe("PlanExecutor: assignment deletions as the delegated administrator", () => {
  it("deletes in the management account through the component, with one session, and elsewhere itself", async () => {
    // Prepare
    const deleted: string[] = [];
    let sessions = 0;
    const access: ManagementAccountAccess = {
      kind: "component",
      roleArn: ROLE,
      connect: async () => {
        sessions++;
        return deleter("component", deleted, true) as unknown as ManagementAccountPort;
      },
    };

    // Act
    const outcomes = await executor(access, deleted).execute([
      remove(MANAGEMENT),
      remove(MEMBER),
      remove(MANAGEMENT),
    ]);

    // Assess
    expect(outcomes.map((o) => [o.target.accountId, o.status, o.requestId])).toEqual([
      [MANAGEMENT, "SUCCEEDED", `component-${MANAGEMENT}`],
      [MEMBER, "SUCCEEDED", `pipeline-${MEMBER}`],
      [MANAGEMENT, "SUCCEEDED", `component-${MANAGEMENT}`],
    ]);
    expect(deleted.sort()).toEqual([
      `component:${MANAGEMENT}`,
      `component:${MANAGEMENT}`,
      `pipeline:${MEMBER}`,
    ]);
    expect(sessions).toBe(1);
  });

  it("without the component, skips the management account's deletions with why, and deletes the rest", async () => {
    // Prepare
    const deleted: string[] = [];
    const access: ManagementAccountAccess = {
      kind: "component",
      roleArn: ROLE,
      connect: async () => {
        throw new ManagementComponentUnavailableError(ROLE, {
          cause: Object.assign(new Error("not authorized"), { name: "AccessDenied" }),
        });
      },
    };

    // Act
    const outcomes = await executor(access, deleted).execute([remove(MANAGEMENT), remove(MEMBER)]);

    // Assess
    expect(outcomes.map((o) => [o.target.accountId, o.status])).toEqual([
      [MANAGEMENT, "SKIPPED"],
      [MEMBER, "SUCCEEDED"],
    ]);
    expect(outcomes[0]?.note).toContain(ROLE);
    expect(outcomes[0]?.note).toContain("delete it by hand from the management account");
    expect(deleted).toEqual([`pipeline:${MEMBER}`]);
  });

  it("in the management topology, deletes everywhere with its own client", async () => {
    // Prepare
    const deleted: string[] = [];
    const run = new PlanExecutor({
      identityCenter: deleter("pipeline", deleted, true) as unknown as ExecutorIdentityCenter,
      ledger: {} as never,
      enforce: { managementAccountId: MANAGEMENT, managementAccess: { kind: "direct" } } as never,
      budget: new ThrottleBudget({ callsPerSecond: 1_000 }),
      now: () => "2026-12-07T00:00:00.000Z",
      sleep: async () => {},
    });

    // Act
    const outcomes = await run.execute([remove(MANAGEMENT)]);

    // Assess
    expect(outcomes.map((o) => o.status)).toEqual(["SUCCEEDED"]);
    expect(deleted).toEqual([`pipeline:${MANAGEMENT}`]);
  });
});
