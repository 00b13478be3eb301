import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OktaRateLimitError, OktaRequestRejectedError } from "../../../adapters/okta.ts";
import {
  CLEAR_SESSIONS_MAX_YIELD_MS,
  clearOktaSessions,
} from "../../../usecases/reconcile-user/clear-okta-sessions.ts";
import type { UserRunState } from "../../../usecases/reconcile-user/run-state.ts";
import { isTransient } from "../../../usecases/shared/dependency-unavailable.ts";

const NOW = "2026-12-07T21:00:00.000Z";

/** The client's answer when it yields: room comes in `waitMs`, nothing was sent. */
const yielded = (waitMs: number) =>
  new OktaRateLimitError("yields to the calls that revoke access", {
    method: "DELETE",
    url: "https://acme.okta.com/api/v1/users/00u1/sessions",
    attempts: 0,
    resetAt: null,
    waitMs,
  });

/** A leaver's state at ClearOktaSessions, after `previous` (a pass through the Wait state, if any). */
const leaver = (previous?: UserRunState["oktaSessions"]) =>
  ({
    user: { id: "00u1" },
    plan: { decision: "revoke" },
    truth: { okta: { found: true } },
    ...(previous === undefined ? {} : { oktaSessions: previous }),
  }) as unknown as UserRunState;

const task = (clear: () => Promise<void>) =>
  clearOktaSessions({ okta: { clearUserSessions: clear } as never, now: () => NOW });

describe("ClearOktaSessions: a clear that must yield hands the wait to the workflow", () => {
  it("hands back the wait in whole seconds, rounded up, and when it began yielding", async () => {
    // Act
    const outcome = await task(() => Promise.reject(yielded(4_200)))(leaver());

    // Assess
    expect(outcome).toEqual({ waitSeconds: 5, yieldingSince: NOW });
  });

  it("keeps the moment it began yielding across the workflow's waits", async () => {
    // Act
    const outcome = await task(() => Promise.reject(yielded(800)))(
      leaver({ waitSeconds: 30, yieldingSince: "2026-12-07T20:59:00.000Z" }),
    );

    // Assess
    expect(outcome).toEqual({ waitSeconds: 1, yieldingSince: "2026-12-07T20:59:00.000Z" });
  });

  it("clears after yielding: the outcome is the clear", async () => {
    // Act
    const outcome = await task(() => Promise.resolve())(
      leaver({ waitSeconds: 3, yieldingSince: "2026-12-07T20:59:00.000Z" }),
    );

    // Assess
    expect(outcome).toEqual({ clearedAt: NOW });
  });

  it("a 429 Okta answered is not a yield: it goes to the workflow's retry", async () => {
    // Prepare: the client sent the request (attempts 1) and Okta refused it
    const refused = new OktaRateLimitError("429", {
      method: "DELETE",
      url: "https://acme.okta.com/api/v1/users/00u1/sessions",
      attempts: 1,
      resetAt: NOW,
      waitMs: 5_000,
    });

    // Act
    const error = await task(() => Promise.reject(refused))(leaver()).catch((e: unknown) => e);

    // Assess
    expect(error).toBe(refused);
    expect(isTransient(error)).toBe(true);
  });

  it("a refused clear is recorded, not waited for", async () => {
    // Act
    const outcome = await task(() =>
      Promise.reject(
        new OktaRequestRejectedError("403", {
          method: "DELETE",
          url: "https://acme.okta.com/api/v1/users/00u1/sessions",
          status: 403,
          causes: [],
        }),
      ),
    )(leaver());

    // Assess
    expect(outcome.failed).toBeDefined();
  });

  it("property: waits at least as long as the client asked, by less than a second more, and never past the bound in all", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 120_000 }),
        fc.integer({ min: 0, max: 2 * CLEAR_SESSIONS_MAX_YIELD_MS }),
        async (waitMs, yieldedMs) => {
          const since = new Date(Date.parse(NOW) - yieldedMs).toISOString();
          const outcome = await task(() => Promise.reject(yielded(waitMs)))(
            leaver({ waitSeconds: 1, yieldingSince: since }),
          ).catch((e: unknown) => e);
          if (yieldedMs + waitMs > CLEAR_SESSIONS_MAX_YIELD_MS) {
            // Past the bound: the patient retry takes over
            expect(outcome).toBeInstanceOf(OktaRateLimitError);
            return;
          }
          const { waitSeconds, yieldingSince } = outcome as { waitSeconds: number; yieldingSince: string };
          expect(waitSeconds * 1000).toBeGreaterThanOrEqual(waitMs);
          expect(waitSeconds * 1000 - waitMs).toBeLessThan(1000);
          expect(yieldingSince).toBe(since);
        },
      ),
    );
  });
});
