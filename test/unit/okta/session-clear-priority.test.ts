import { describe, expect, it } from "vitest";
import { OktaAdapter, OktaRateLimitError } from "../../../adapters/okta.ts";
import { randomOktaApiToken } from "../../../local/local-secrets.ts";
import { isTransient } from "../../../usecases/shared/dependency-unavailable.ts";

const ORG = "https://acme.okta.com";
const START = Date.parse("2026-12-07T18:00:30.000Z");
const RESET = Date.parse("2026-12-07T18:01:00.000Z");

/** A fake Okta whose every answer is a 204 reporting `remaining` of 10 calls until RESET. */
function fakeOkta(remaining: () => number) {
  let now = START;
  const sent: { method: string; at: number }[] = [];
  const slept: number[] = [];
  const fetch: typeof globalThis.fetch = async (_input, init) => {
    sent.push({ method: init?.method ?? "GET", at: now });
    return new Response(null, {
      status: 204,
      headers: {
        date: new Date(now).toUTCString(),
        "x-rate-limit-limit": "10",
        "x-rate-limit-remaining": String(remaining()),
        "x-rate-limit-reset": String(RESET / 1000),
      },
    });
  };
  const options = {
    orgUrl: ORG,
    // Made per run: a committed literal would read like a credential.
    token: randomOktaApiToken(),
    fetch,
    now: () => now,
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
  };
  return { options, sent, slept };
}

describe("OktaAdapter.clearUserSessions: yields the /api/v1/users/{id} bucket to the reads that revoke", () => {
  it("goes at once while the bucket has room beyond the rest of the window's pace", async () => {
    // Prepare
    const okta = fakeOkta(() => 9);
    const adapter = new OktaAdapter(okta.options);

    // Act
    await adapter.clearUserSessions("00u1");
    await adapter.clearUserSessions("00u2");

    // Assess
    expect(okta.sent.map((s) => s.method)).toEqual(["DELETE", "DELETE"]);
    expect(okta.slept).toEqual([]);
  });

  it("never sleeps in its Lambda: even a short wait goes back to the workflow, with its length", async () => {
    // Prepare: after the first clear, 5 of 10 calls are left with 30 s to go: room in a moment
    const okta = fakeOkta(() => 5);
    const adapter = new OktaAdapter(okta.options);
    await adapter.clearUserSessions("00u1");

    // Act
    const error = await adapter.clearUserSessions("00u2").catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(OktaRateLimitError);
    expect((error as OktaRateLimitError).waitMs).toBeGreaterThan(0);
    expect((error as OktaRateLimitError).waitMs).toBeLessThan(23_000);
    expect(okta.sent).toHaveLength(1);
    expect(okta.slept).toEqual([]);
  });

  it("hands a longer wait back to the workflow: a transient OktaRateLimitError, nothing sent", async () => {
    // Prepare: after the first clear, 1 of 10 calls is left with 30 s to go: room only 6 s before the reset
    const okta = fakeOkta(() => 1);
    const adapter = new OktaAdapter(okta.options);
    await adapter.clearUserSessions("00u1");

    // Act
    const error = await adapter.clearUserSessions("00u2").catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(OktaRateLimitError);
    expect(isTransient(error)).toBe(true);
    expect((error as OktaRateLimitError).waitMs).toBeGreaterThan(23_000);
    expect(okta.sent).toHaveLength(1);
    expect(okta.slept).toEqual([]);
  });

  it("throws a transient OktaRateLimitError, sending nothing, when the wait would not fit the time left", async () => {
    // Prepare
    const okta = fakeOkta(() => 0);
    const adapter = new OktaAdapter({ ...okta.options, remainingTimeMs: () => 5_000 });
    await adapter.clearUserSessions("00u1");

    // Act
    const error = await adapter.clearUserSessions("00u2").catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(OktaRateLimitError);
    expect(isTransient(error)).toBe(true);
    expect(okta.sent).toHaveLength(1);
  });
});
