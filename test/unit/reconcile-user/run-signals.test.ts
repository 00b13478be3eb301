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
const summary = { ended: 3, failed: 0, problems: 0, denyIds: [] };

describe("run signals of the credential step (issue 16)", () => {
  it("a credential not ended, or the whole step failing, makes the revocation partial (alarmed)", () => {
    expect(userRunSignals(leaverRun({ credentials: summary }))).not.toContain(
      USER_RUN_SIGNAL_METRICS.partial,
    );
    expect(userRunSignals(leaverRun({ credentials: { ...summary, failed: 1 } }))).toContain(
      USER_RUN_SIGNAL_METRICS.partial,
    );
    expect(userRunSignals(leaverRun({ credentialsError: { Error: "States.Timeout" } }))).toContain(
      USER_RUN_SIGNAL_METRICS.partial,
    );
  });

  it("a lift record with only credential Denies lifted reports nothing (the run's record already did)", () => {
    const lifted = leaverRun({
      credentials: { ...summary, failed: 1 },
      credentialLift: { liftedAt: "x", lifted: [] },
    });
    expect(userRunSignals(lifted)).toEqual([]);
  });
});

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
