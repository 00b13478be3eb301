import { describe, expect, it } from "vitest";
import type { UserRunState } from "../../../usecases/reconcile-user/run-state.ts";
import { userReconcileTasks } from "../../../usecases/reconcile-user/tasks.ts";

const NOW = "2026-12-07T06:00:00.000Z";

/** The user-reconcile tasks with a ledger whose change another run's write already carried. */
function tasks(announced: string[], writes: string[]) {
  return userReconcileTasks({
    ledger: {
      add: async () => "d-1",
      advance: async () => 7,
      list: async () => [],
      sequence: async () => 7,
    },
    lock: {
      withLease: async () => {
        throw new Error("no write expected");
      },
      withLeaseUnless: async (_: string, settled: () => Promise<unknown>, work: () => Promise<unknown>) =>
        (await settled()) ?? work(),
    },
    marker: {
      read: async () => ({
        seq: 9,
        runId: "run-other",
        at: NOW,
        result: { scpPolicyIds: ["p-1"], overflow: 0, failures: [], dropped: [], skipped: [] },
      }),
      record: async () => void writes.push("record"),
    },
    scps: { writeRevocationScps: async () => void writes.push("scp"), listRevocationScps: async () => [] },
    revocationPriority: { announceRevocation: async () => void announced.push("announced") },
    policy: { rules: [], ownership: {} },
    now: () => NOW,
  } as never);
}

const state = (decision: "revoke" | "adjust"): UserRunState =>
  ({ runId: `run-${decision}`, plan: { decision, denies: [], lifts: [] } }) as never;

describe("ApplyDeny: a revoking run announces itself on the shared sso-admin budget", () => {
  it("announces for a revocation, not for an adjustment, and returns the carrying write's result", async () => {
    // Prepare
    const announced: string[] = [];
    const writes: string[] = [];
    const handlers = tasks(announced, writes);

    // Act
    const revoked = (await handlers.applyDenies(state("revoke"))) as {
      carriedBy?: unknown;
      inForceAt: string;
    };
    await handlers.applyDenies(state("adjust"));

    // Assess
    expect(announced).toEqual(["announced"]);
    expect(revoked.carriedBy).toEqual({ runId: "run-other", seq: 9 });
    expect(revoked.inForceAt).toBe(NOW);
    expect(writes).toEqual([]);
  });
});
