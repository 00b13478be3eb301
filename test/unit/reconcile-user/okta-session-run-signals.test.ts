import { describe, expect, it } from "vitest";
import { USER_RUN_SIGNAL_METRICS, userRunSignals } from "../../../usecases/reconcile-user/run-signals.ts";
import type { UserRunState } from "../../../usecases/reconcile-user/run-state.ts";

const leaverRun = (extra: Partial<UserRunState>) =>
  ({
    runId: "run-1",
    user: { id: "00u1", login: null },
    plan: { decision: "revoke" },
    ...extra,
  }) as UserRunState;

describe("run signals of the Okta session clear", () => {
  it("a clear refused, or given up on after the workflow's waits and retries, makes the revocation partial (alarmed)", () => {
    expect(
      userRunSignals(leaverRun({ oktaSessions: { clearedAt: "2026-12-07T22:00:00.000Z" } })),
    ).not.toContain(USER_RUN_SIGNAL_METRICS.partial);
    expect(userRunSignals(leaverRun({ oktaSessions: { failed: "403 E0000006" } }))).toContain(
      USER_RUN_SIGNAL_METRICS.partial,
    );
    // The Catch after 15 minutes of yielding and the patient retry: the last pass's wait is still there
    const gaveUp = leaverRun({
      oktaSessions: { waitSeconds: 30, yieldingSince: "2026-12-07T21:30:00.000Z" },
      oktaSessionsError: { Error: "DependencyUnavailableError", Cause: "rate limit" },
    });
    expect(userRunSignals(gaveUp)).toContain(USER_RUN_SIGNAL_METRICS.partial);
  });
});
