import { describe, expect, it } from "vitest";
import { createUserReconcileHandlers } from "../../functions/user-reconcile/create-task-handlers.ts";
import {
  REVOCATION_PENDING_METRIC,
  revocationPendingSeconds,
} from "../../usecases/reconcile-user/revocation-pending.ts";
import type { UserRunState } from "../../usecases/reconcile-user/run-state.ts";

const PUBLISHED = "2026-11-23T10:00:00.000Z";
const state = (overrides: Partial<UserRunState> = {}): UserRunState =>
  ({
    runId: "user-00u1-abc",
    user: { id: "00u1", login: "jane@example.com" },
    trigger: { event: { published: PUBLISHED } },
    plan: { decision: "revoke" },
    ...overrides,
  }) as never;

describe("usecases/reconcile-user/revocation-pending", () => {
  it("is the age of a leaver's revocation, and nothing for other runs or the lift", () => {
    // Act / Assess
    expect(revocationPendingSeconds(state(), "2026-11-23T10:07:30.000Z")).toBe(450);
    expect(
      revocationPendingSeconds(state({ plan: { decision: "adjust" } as never }), PUBLISHED),
    ).toBeUndefined();
    expect(
      revocationPendingSeconds(state({ lift: { liftedAt: "x", reprovisions: [] } as never }), PUBLISHED),
    ).toBeUndefined();
    expect(
      revocationPendingSeconds(
        state({ trigger: { event: { published: "not a time" } } as never }),
        PUBLISHED,
      ),
    ).toBeUndefined();
  });
});

describe("functions/user-reconcile: ApplyDeny reports the pending revocation", () => {
  it("publishes the age before the work, so an attempt that fails still reports it", async () => {
    // Prepare: every attempt fails (the policy cannot be read), ten minutes after Okta's event
    const metrics: { name: string; value: number; flushed: boolean }[] = [];
    const handlers = createUserReconcileHandlers({
      config: { POLICY_LOCATION: "file:policy.yaml" } as never,
      clients: () => ({}) as never,
      policy: async () => {
        throw Object.assign(new Error("policy unreadable"), { name: "AccessDenied" });
      },
      logger: { info: () => undefined },
      metrics: {
        addMetric: (name: string, _unit: unknown, value: number) =>
          void metrics.push({ name, value, flushed: false }),
        publishStoredMetrics: () => {
          for (const m of metrics) m.flushed = true;
        },
      } as never,
      now: () => "2026-11-23T10:10:00.000Z",
    });

    // Act
    const attempts = await Promise.allSettled([handlers.applyDenies(state()), handlers.applyDenies(state())]);
    await handlers.applyDenies(state({ plan: { decision: "adjust" } as never })).catch(() => undefined);

    // Assess
    expect(attempts.map((a) => a.status)).toEqual(["rejected", "rejected"]);
    expect(metrics).toEqual([
      { name: REVOCATION_PENDING_METRIC, value: 600, flushed: true },
      { name: REVOCATION_PENDING_METRIC, value: 600, flushed: true },
    ]);
  });
});
