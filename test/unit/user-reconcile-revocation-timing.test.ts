import { describe, expect, it } from "vitest";
import {
  revocationTimings,
  TIME_TO_ACCESS_REMOVED_METRIC,
  TIME_TO_REVOKE_METRIC,
} from "../../usecases/reconcile-user/revocation-timing.ts";
import type { UserRunState } from "../../usecases/reconcile-user/run-state.ts";
import { isTransient, retryableByWorkflow } from "../../usecases/shared/dependency-unavailable.ts";

const state = (overrides: Partial<UserRunState>): UserRunState =>
  ({
    runId: "user-00u1-abc",
    user: { id: "00u1", login: "jane@example.com" },
    trigger: { event: { published: "2026-11-23T10:00:00.000Z" } },
    plan: { decision: "revoke" },
    deny: { inForceAt: "2026-11-23T10:00:04.500Z", scpPolicyIds: [], overflow: 0, reprovisions: [] },
    verification: { passed: true, verifiedAt: "2026-11-23T10:00:30.000Z", details: [] },
    ...overrides,
  }) as never;

describe("functions/user-reconcile/revocation-timing", () => {
  it("measures Okta published -> Deny in force, and -> access verified removed", () => {
    // Act
    const timings = revocationTimings(state({}));

    // Assess
    expect(timings).toEqual([
      { name: TIME_TO_REVOKE_METRIC, seconds: 4.5 },
      { name: TIME_TO_ACCESS_REMOVED_METRIC, seconds: 30 },
    ]);
  });

  it("emits nothing for the lift record, a run that did not revoke, or a failed verification's removal", () => {
    // Act / Assess
    expect(revocationTimings(state({ lift: { liftedAt: "x", reprovisions: [] } }))).toEqual([]);
    expect(revocationTimings(state({ plan: { decision: "adjust" } as never }))).toEqual([]);
    expect(
      revocationTimings(
        state({ verification: { passed: false, verifiedAt: "2026-11-23T10:01:00.000Z", details: [] } }),
      ),
    ).toEqual([{ name: TIME_TO_REVOKE_METRIC, seconds: 4.5 }]);
  });
});

describe("functions/shared/dependency-unavailable", () => {
  it("retries throttling, conflicts and 5xx by renaming them DependencyUnavailableError, keeping the cause", async () => {
    // Prepare
    const throttled = Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });

    // Act
    const failure = retryableByWorkflow("read", async () => {
      throw throttled;
    }).catch((error: Error) => error);

    // Assess
    const error = await failure;
    expect(error).toMatchObject({ name: "DependencyUnavailableError", cause: throttled });
    expect(isTransient(Object.assign(new Error("x"), { $metadata: { httpStatusCode: 503 } }))).toBe(true);
    expect(isTransient(Object.assign(new Error("x"), { name: "ConcurrentModificationException" }))).toBe(
      true,
    );
  });

  it("lets a real failure fail the run as it is", async () => {
    // Prepare
    const denied = Object.assign(new Error("not authorized"), { name: "AccessDeniedException" });

    // Act
    const failure = retryableByWorkflow("read", async () => {
      throw denied;
    }).catch((error: Error) => error);

    // Assess
    expect(await failure).toBe(denied);
    expect(isTransient(null)).toBe(false);
  });
});
