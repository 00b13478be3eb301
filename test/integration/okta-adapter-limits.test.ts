import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import {
  OktaAdapter,
  type OktaAdapterOptions,
  OktaPermissionError,
  OktaRateLimitError,
  OktaRequestRejectedError,
  RATE_LIMIT_RESET_MARGIN_MS,
} from "../../adapters/okta.ts";
import type { AdminRole, OktaEmulatorOptions } from "../../local/emulators/okta/index.ts";
import { type RunningOktaEmulator, startOktaEmulatorServer } from "../../local/emulators/okta/server.ts";
import { isTransient } from "../../usecases/shared/dependency-unavailable.ts";

/*
 * The adapter under Okta's permissions and limits (issue 13): a 403 names what the token lacks and is
 * never retried; a 429 is waited out by Okta's clock (X-Rate-Limit-Reset against Date), never longer
 * than the caller has left, under each emulator switch the docs leave open.
 */

const running: RunningOktaEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((okta) => okta.close()));
});

const login = (name: string) => `${name}@example.com`;
const person = (name: string) => ({
  profile: { login: login(name), email: login(name), firstName: name, lastName: "Test" },
});

async function startOkta(options: OktaEmulatorOptions = {}) {
  const okta = await startOktaEmulatorServer({
    estate: {
      users: [person("ana"), person("ben")],
      groups: [{ name: "aws-dev", members: [login("ana")] }],
    },
    ...options,
  });
  running.push(okta);
  return okta;
}

function fakeTime(startMs: number, onSleep: () => void = () => {}) {
  let now = startMs;
  const slept: number[] = [];
  return {
    now: () => now,
    slept,
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
      onSleep();
    },
  };
}

/** A real fetch that counts the HTTP attempts. */
function countingFetch() {
  const calls: string[] = [];
  const fetch: typeof globalThis.fetch = (input, init) => {
    calls.push(`${init?.method ?? "GET"} ${String(input)}`);
    return globalThis.fetch(input, init);
  };
  return { fetch, calls };
}

const adapter = (okta: RunningOktaEmulator, token: string, options: Partial<OktaAdapterOptions> = {}) =>
  new OktaAdapter({ orgUrl: okta.orgUrl, token, ...options });
const tokenWith = (okta: RunningOktaEmulator, ...roles: AdminRole[]) =>
  okta.emulator.issueApiToken(roles).token;

describe("OktaAdapter: a call the token's role does not allow", () => {
  it("throws OktaPermissionError at once, naming the permission, a role that has it and the scope", async () => {
    // Prepare
    const okta = await startOkta();
    const { fetch, calls } = countingFetch();
    const readOnly = adapter(okta, tokenWith(okta, { type: "READ_ONLY_ADMIN" }), { fetch });
    const ana = okta.emulator.state.user(login("ana"))?.id ?? "";

    // Act
    const error = await readOnly.clearUserSessions(ana).catch((caught: unknown) => caught);

    // Assess: one attempt, not transient, a message that says what to grant
    expect(error).toBeInstanceOf(OktaPermissionError);
    expect(error).toBeInstanceOf(OktaRequestRejectedError);
    expect(error).toMatchObject({ status: 403, errorCode: "E0000006", attempts: 1 });
    expect(isTransient(error)).toBe(false);
    expect(calls).toHaveLength(1);
    const message = (error as Error).message;
    expect(message).toContain("may not clear a user's sessions");
    expect(message).toContain("okta.users.lifecycle.clearSessions");
    expect(message).toContain("Help Desk Administrator");
    expect(message).toContain("okta.users.manage");
    expect(message).not.toContain(okta.emulator.apiToken);
  });

  it("keeps a 403 about the user's status (E0000038) a plain rejection, not a permission error", async () => {
    // Prepare: ben is ACTIVE, and reactivate is for PROVISIONED users only
    const okta = await startOkta();
    const admin = adapter(okta, okta.emulator.apiToken);
    const ben = okta.emulator.state.user(login("ben"))?.id ?? "";

    // Act
    const error = await admin.lifecycle(ben, "reactivate").catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(OktaRequestRejectedError);
    expect(error).not.toBeInstanceOf(OktaPermissionError);
  });

  it("fails the whole truth read when the token may read users but not groups (never 'no members')", async () => {
    // Prepare
    const okta = await startOkta();
    const usersOnly = adapter(okta, tokenWith(okta, { type: "CUSTOM", permissions: ["okta.users.read"] }));

    // Act
    const error = await usersOnly.readTruth(["aws-dev"]).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(OktaPermissionError);
    expect((error as Error).message).toContain("okta.groups.read");
  });

  it("lets the Report Administrator's token poll the System Log and nothing else", async () => {
    // Prepare
    const okta = await startOkta();
    const report = adapter(okta, okta.emulator.reportAdminToken);

    // Act
    const page = await report.systemLogPage({ since: new Date(Date.now() - 60_000) });
    const users = await report.listUsers().catch((caught: unknown) => caught);

    // Assess
    expect(page.nextUrl).not.toBeNull();
    expect(users).toBeInstanceOf(OktaPermissionError);
    expect((users as Error).message).toContain("may not read users");
  });
});

describe("OktaAdapter: rate limits by Okta's clock, within the caller's time", () => {
  it("waits X-Rate-Limit-Reset minus Okta's Date, whatever our clock says (90 s of skew)", async () => {
    // Prepare: Okta at 12:00:20.5, our clock 90 s behind; 2 requests a minute, 1 per token
    const oktaNow = Date.UTC(2024, 4, 1, 12, 0, 20, 500);
    const okta = await startOkta({ clock: () => oktaNow, rateLimits: { "/api/v1/users/{id}": 2 } });
    const time = fakeTime(oktaNow - 90_000, () => okta.emulator.rateLimits.reset());
    const client = adapter(okta, okta.emulator.apiToken, { now: time.now, sleep: time.sleep });
    const ana = okta.emulator.state.user(login("ana"))?.id ?? "";

    // Act
    await client.getUser(ana);
    const second = await client.getUser(ana);

    // Assess: 12:01:00 - 12:00:20 (Date has whole seconds), not the 130 s our clock would give
    expect(second?.id).toBe(ana);
    expect(time.slept).toEqual([40_000 + RATE_LIMIT_RESET_MARGIN_MS]);
  });

  it("throws the retryable OktaRateLimitError at once when the wait would not fit in the time left", async () => {
    // Prepare: the reset is 40 s away, the caller has 10 s left
    const oktaNow = Date.UTC(2024, 4, 1, 12, 0, 20);
    const okta = await startOkta({ clock: () => oktaNow, rateLimits: { "/api/v1/users/{id}": 2 } });
    const time = fakeTime(oktaNow);
    const client = adapter(okta, okta.emulator.apiToken, {
      now: time.now,
      sleep: time.sleep,
      remainingTimeMs: () => 10_000,
    });
    const ana = okta.emulator.state.user(login("ana"))?.id ?? "";
    await client.getUser(ana);

    // Act
    const error = await client.getUser(ana).catch((caught: unknown) => caught);

    // Assess: no sleep, a transient error the workflow retries, saying why
    expect(time.slept).toEqual([]);
    expect(error).toBeInstanceOf(OktaRateLimitError);
    expect(isTransient(error)).toBe(true);
    expect(error).toMatchObject({ attempts: 1, waitMs: 40_000 + RATE_LIMIT_RESET_MARGIN_MS });
    expect((error as Error).message).toContain("would not fit in the 10000 ms left");
  });

  it("gets its token's share under either header switch, waiting for the same reset", async () => {
    for (const principalHeaders of ["principal", "org"] as const) {
      // Prepare: 4 a minute, 2 for this token
      const oktaNow = Date.UTC(2024, 4, 1, 12, 0, 30);
      const okta = await startOkta({
        clock: () => oktaNow,
        rateLimits: { "/api/v1/users/{id}": 4 },
        rateLimitSettings: { principalHeaders },
      });
      const time = fakeTime(oktaNow, () => okta.emulator.rateLimits.reset());
      const client = adapter(okta, okta.emulator.apiToken, { now: time.now, sleep: time.sleep });
      const ana = okta.emulator.state.user(login("ana"))?.id ?? "";

      // Act
      for (let i = 0; i < 3; i++) await client.getUser(ana);

      // Assess
      expect(time.slept).toEqual([30_000 + RATE_LIMIT_RESET_MARGIN_MS]);
    }
  });

  it("waits out the concurrency limit under either reset switch, or hands the wait to the workflow when it would not fit", async () => {
    for (const concurrencyReset of ["next-second", "window-end"] as const) {
      // Prepare: one request in flight at most, and one held open; the first sleep lets it finish
      const oktaNow = Date.UTC(2024, 4, 1, 12, 0, 30, 250);
      const okta = await startOkta({
        clock: () => oktaNow,
        rateLimitSettings: { concurrencyLimit: 1, concurrencyReset },
      });
      const held = request(`${okta.orgUrl}/api/v1/groups`, {
        method: "POST",
        headers: { Authorization: `SSWS ${okta.emulator.apiToken}`, "Content-Type": "application/json" },
      });
      const heldDone = new Promise<void>((resolve) =>
        held.on("response", (r) => r.resume().on("end", resolve)),
      );
      held.write("{");
      await new Promise((r) => setTimeout(r, 50));
      const release = async () => {
        held.end('"profile":{"name":"held"}}');
        await heldDone;
      };
      const slept: number[] = [];
      const client = adapter(okta, okta.emulator.apiToken, {
        now: () => oktaNow,
        sleep: async (ms) => {
          slept.push(ms);
          await release();
        },
        remainingTimeMs: () => 5_000,
      });

      // Act
      const outcome = await client.listGroups().catch((caught: unknown) => caught);

      // Assess: the next second fits and is waited; the end of the minute (29 s) does not
      if (concurrencyReset === "next-second") {
        expect(slept).toEqual([1_000 + RATE_LIMIT_RESET_MARGIN_MS]);
        expect(Array.isArray(outcome)).toBe(true);
      } else {
        expect(slept).toEqual([]);
        expect(outcome).toBeInstanceOf(OktaRateLimitError);
        expect(isTransient(outcome)).toBe(true);
        await release();
      }
    }
  });
});
