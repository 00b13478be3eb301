import { afterEach, describe, expect, it } from "vitest";
import { OktaAdapter, OktaRateLimitError } from "../../adapters/okta.ts";
import type { RateLimitSwitches } from "../../local/emulators/okta/rate-limits.ts";
import { type RunningOktaEmulator, startOktaEmulatorServer } from "../../local/emulators/okta/server.ts";

/*
 * Which bucket meters `DELETE /api/v1/users/{id}/sessions` Okta does not say ("Management rate limits"
 * lists `/api/v1/users/{id}` and sends the endpoints it does not list to the org's dashboard), so the
 * emulator has a switch per reading (`sessionClearBucket`: the user's family, the catch-all `/api/v1`,
 * or a bucket of its own). Under each, a layoff in miniature: the leavers' reads use most of the token's
 * share of `/api/v1/users/{id}` while the session clears are asked for; the clears wait as the workflow
 * does (the client's wait handed back, then asked again), on a clock both sides share.
 */

const running: RunningOktaEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((okta) => okta.close()));
});

const login = (i: number) => `user${i}@example.com`;
const WINDOW_START = Date.UTC(2026, 11, 7, 21, 0, 0);
/** `/api/v1/users/{id}` at 600 a minute: the token's share is 300, of which the reads take 240. */
const USERS_ID_LIMIT = 600;
const READS = 240;
const CLEARS = 100;

async function layoffInMiniature(sessionClearBucket: RateLimitSwitches["sessionClearBucket"]) {
  let now = WINDOW_START;
  const okta = await startOktaEmulatorServer({
    estate: {
      users: Array.from({ length: READS + CLEARS }, (_, i) => ({
        profile: { login: login(i), email: login(i), firstName: `u${i}`, lastName: "Test" },
      })),
    },
    clock: () => now,
    rateLimits: { "/api/v1/users/{id}": USERS_ID_LIMIT },
    rateLimitSettings: { sessionClearBucket },
  });
  running.push(okta);
  const refused: string[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const response = await globalThis.fetch(input, init);
    if (response.status === 429) refused.push(`${init?.method ?? "GET"} ${new URL(String(input)).pathname}`);
    return response;
  };
  // As deployed: the reads and the clears are made by different functions, each with its own client.
  const options = {
    orgUrl: okta.orgUrl,
    token: okta.emulator.apiToken,
    fetch,
    now: () => now,
    // A read refused waits for the reset on the shared clock (and is counted above).
    sleep: async (ms: number) => {
      now += ms;
    },
  };
  const reader = new OktaAdapter(options);
  const clearer = new OktaAdapter(options);
  const id = (i: number) => okta.emulator.state.user(login(i))?.id ?? "";

  const readAt = Array.from({ length: READS }, (_, i) => WINDOW_START + i * 250);
  const clears = Array.from({ length: CLEARS }, (_, i) => ({
    user: id(READS + i),
    dueAt: WINDOW_START,
    doneAt: 0,
  }));
  for (; now < WINDOW_START + 180_000; now += 250) {
    while (readAt[0] !== undefined && readAt[0] <= now) {
      readAt.shift();
      await reader.getUser(id(READS - 1 - readAt.length));
    }
    for (const clear of clears.filter((c) => c.doneAt === 0 && c.dueAt <= now)) {
      try {
        await clearer.clearUserSessions(clear.user);
        clear.doneAt = now;
      } catch (error) {
        // The workflow's AwaitOktaRoom: wait what the client said, in whole seconds, then ask again.
        if (!(error instanceof OktaRateLimitError) || error.waitMs === null) throw error;
        clear.dueAt = now + Math.ceil(error.waitMs / 1000) * 1000;
      }
    }
  }
  return { refused, clearedAt: clears.map((c) => c.doneAt - WINDOW_START) };
}

describe("session clears under each reading of their Okta bucket", () => {
  for (const bucket of ["users-id", "default", "own"] as const) {
    it(`sessionClearBucket: ${bucket}: no read is refused, and every clear is done within the next window`, async () => {
      // Act
      const { refused, clearedAt } = await layoffInMiniature(bucket);

      // Assess
      expect(refused.filter((r) => r.startsWith("GET"))).toEqual([]);
      expect(clearedAt.every((t) => t >= 0 && t < 120_000)).toBe(true);
      if (bucket !== "users-id") {
        // In a bucket the reads do not use, the clears go within seconds (once two answers show nobody
        // else calls there), and none is refused
        expect(Math.max(...clearedAt)).toBeLessThan(15_000);
        expect(refused).toEqual([]);
      }
    });
  }

  it("the emulator meters the clear where the switch says, and its headers report that bucket", async () => {
    for (const [bucket, expected] of [
      ["users-id", { limit: "300", remaining: "294" }],
      ["default", { limit: "300", remaining: "299" }],
      ["own", { limit: "300", remaining: "299" }],
    ] as const) {
      // Prepare: 5 reads of /api/v1/users/{id} first
      const okta = await startOktaEmulatorServer({
        estate: { users: [{ profile: { login: login(0), email: login(0), firstName: "u", lastName: "T" } }] },
        rateLimits: { "/api/v1/users/{id}": USERS_ID_LIMIT },
        rateLimitSettings: { sessionClearBucket: bucket },
      });
      running.push(okta);
      const user = okta.emulator.state.user(login(0))?.id ?? "";
      const call = (method: string, path: string) =>
        fetch(`${okta.orgUrl}${path}`, {
          method,
          headers: { authorization: `SSWS ${okta.emulator.apiToken}`, accept: "application/json" },
        });
      for (let i = 0; i < 5; i++) await call("GET", `/api/v1/users/${user}`);

      // Act
      const cleared = await call("DELETE", `/api/v1/users/${user}/sessions`);

      // Assess: the token's share of the bucket the clear went to (catch-all /api/v1: 600, share 300)
      expect(cleared.status).toBe(204);
      expect({
        limit: cleared.headers.get("x-rate-limit-limit"),
        remaining: cleared.headers.get("x-rate-limit-remaining"),
      }).toEqual(expected);
    }
  });
});
