import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { AdminRole, OktaEmulatorOptions } from "../../local/emulators/okta/index.ts";
import { type RunningOktaEmulator, startOktaEmulatorServer } from "../../local/emulators/okta/server.ts";

/*
 * Okta's permissions and limits as the emulator models them (issue 13): admin roles on tokens
 * (admin-roles.ts), tokens that die with their creator, each token's share of a bucket, the org's
 * concurrency limit, and the Date header.
 */

const running: RunningOktaEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((okta) => okta.close()));
});

const person = (name: string) => ({
  profile: { login: `${name}@example.com`, email: `${name}@example.com`, firstName: name, lastName: "Test" },
});

async function startOkta(options: OktaEmulatorOptions = {}) {
  const okta = await startOktaEmulatorServer({
    estate: {
      users: [person("ana"), person("boss")],
      groups: [{ name: "aws-dev", members: ["ana@example.com"] }],
    },
    ...options,
  });
  running.push(okta);
  const call = (method: string, path: string, token = okta.emulator.apiToken, body?: unknown) =>
    fetch(`${okta.orgUrl}${path}`, {
      method,
      headers: { Authorization: `SSWS ${token}`, "Content-Type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const user = (name: string) => okta.emulator.state.user(`${name}@example.com`);
  const tokenFor = (...roles: AdminRole[]) => okta.emulator.issueApiToken(roles).token;
  return { okta, call, user, tokenFor };
}

const ACCESS_DENIED = {
  errorCode: "E0000006",
  errorSummary: "You do not have permission to perform the requested action",
  errorLink: "E0000006",
  errorId: expect.stringMatching(/^oae[0-9A-Za-z]{22}$/),
  errorCauses: [],
};

describe("Okta emulator: admin roles on API tokens", () => {
  it("lets the Report Administrator's token read the System Log and nothing else (403 E0000006 in Okta's error shape)", async () => {
    // Prepare
    const { okta, call, user } = await startOkta();
    const report = okta.emulator.reportAdminToken;

    // Act
    const logs = await call("GET", "/api/v1/logs", report);
    const users = await call("GET", "/api/v1/users", report);
    const clear = await call("DELETE", `/api/v1/users/${user("ana")?.id}/sessions`, report);

    // Assess
    expect([logs.status, users.status, clear.status]).toEqual([200, 403, 403]);
    expect(await users.json()).toEqual(ACCESS_DENIED);
    expect(await clear.json()).toEqual(ACCESS_DENIED);
    expect(okta.emulator.operations.sessionClears).toEqual([]);
  });

  it("lets a Read-only Administrator read users and groups but not clear sessions or deactivate; nothing changes", async () => {
    // Prepare
    const { okta, call, user, tokenFor } = await startOkta();
    const readOnly = tokenFor({ type: "READ_ONLY_ADMIN" });
    const ana = user("ana")?.id;

    // Act
    const reads = [
      await call("GET", `/api/v1/users/${ana}`, readOnly),
      await call("GET", `/api/v1/users/${ana}/groups`, readOnly),
      await call("GET", "/api/v1/groups", readOnly),
      await call("GET", "/api/v1/logs", readOnly),
    ];
    const writes = [
      await call("DELETE", `/api/v1/users/${ana}/sessions`, readOnly),
      await call("POST", `/api/v1/users/${ana}/lifecycle/deactivate`, readOnly),
      await call("DELETE", `/api/v1/groups/${okta.emulator.state.groups()[0]?.id}/users/${ana}`, readOnly),
      await call("POST", "/api/v1/eventHooks", readOnly, { name: "x" }),
    ];

    // Assess
    expect(reads.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(writes.map((r) => r.status)).toEqual([403, 403, 403, 403]);
    expect(user("ana")?.status).toBe("ACTIVE");
    expect(okta.emulator.operations.sessionClears).toEqual([]);
    expect(okta.emulator.state.memberIds(okta.emulator.state.groups()[0]?.id ?? "")).toEqual([ana]);
  });

  it("lets a Help Desk Administrator or a custom role with okta.users.lifecycle.clearSessions clear sessions, not deactivate", async () => {
    // Prepare
    const { okta, call, user, tokenFor } = await startOkta();
    const helpDesk = tokenFor({ type: "HELP_DESK_ADMIN" });
    const custom = tokenFor({
      type: "CUSTOM",
      permissions: ["okta.users.read", "okta.users.lifecycle.clearSessions"],
    });
    const ana = user("ana")?.id;

    // Act
    const statuses = [
      (await call("DELETE", `/api/v1/users/${ana}/sessions`, helpDesk)).status,
      (await call("DELETE", `/api/v1/users/${ana}/sessions`, custom)).status,
      (await call("POST", `/api/v1/users/${ana}/lifecycle/deactivate`, helpDesk)).status,
      (await call("GET", "/api/v1/groups", custom)).status,
    ];

    // Assess
    expect(statuses).toEqual([204, 204, 403, 403]);
    expect(okta.emulator.operations.sessionClears.map((c) => c.userId)).toEqual([ana, ana]);
  });

  it("gives a token its creator's roles as they are now", async () => {
    // Prepare
    const { okta, call } = await startOkta();
    const issued = okta.emulator.issueApiToken([{ type: "SUPER_ADMIN" }]);
    const before = await call("GET", "/api/v1/users", issued.token);

    // Act: the creator is demoted to Report Administrator
    okta.emulator.tokens.setCreatorRoles(issued.creator.id, [{ type: "REPORT_ADMIN" }]);
    const after = await call("GET", "/api/v1/users", issued.token);

    // Assess
    expect([before.status, after.status]).toEqual([200, 403]);
  });

  it("answers 401 E0000011 to a token whose creator is deactivated, and to a suspended creator's under the 'rejected' switch only", async () => {
    // Prepare: boss (a directory user) created a token
    const { okta, call, user } = await startOkta();
    const boss = user("boss");
    if (boss === undefined) throw new Error("no boss");
    const { token } = okta.emulator.issueApiToken([{ type: "SUPER_ADMIN" }], {
      id: boss.id,
      login: boss.profile.login,
      displayName: "Boss",
    });
    const status = async () => (await call("GET", "/api/v1/groups", token)).status;
    const active = await status();

    // Act
    okta.emulator.state.setStatus(boss, "SUSPENDED");
    const suspendedRejected = await status();
    okta.emulator.tokens.suspendedCreatorTokens = "accepted";
    const suspendedAccepted = await status();
    okta.emulator.state.setStatus(boss, "DEPROVISIONED");
    const deactivated = await call("GET", "/api/v1/groups", token);

    // Assess
    expect([active, suspendedRejected, suspendedAccepted, deactivated.status]).toEqual([200, 401, 200, 401]);
    expect(await deactivated.json()).toMatchObject({
      errorCode: "E0000011",
      errorSummary: "Invalid token provided",
    });
  });
});

describe("Okta emulator: rate limits per token and the concurrency limit", () => {
  it("gives each token 50% of a bucket by default; the org bucket still caps them all", async () => {
    // Prepare: 4 requests a minute on /api/v1/groups
    const { call, tokenFor } = await startOkta({ rateLimits: { "/api/v1/groups": 4 } });
    const [a, b, c] = [
      tokenFor({ type: "SUPER_ADMIN" }),
      tokenFor({ type: "SUPER_ADMIN" }),
      tokenFor({ type: "SUPER_ADMIN" }),
    ];

    // Act
    const statuses = [];
    for (const token of [a, a, a, b, b, c])
      statuses.push((await call("GET", "/api/v1/groups", token)).status);

    // Assess: a gets 2, b gets 2, c finds the org bucket empty
    expect(statuses).toEqual([200, 200, 429, 200, 200, 429]);
  });

  it("reports the token's share or the org bucket in the headers, per switch", async () => {
    for (const principalHeaders of ["principal", "org"] as const) {
      // Prepare
      const { call } = await startOkta({
        rateLimits: { "/api/v1/groups": 10 },
        rateLimitSettings: { principalHeaders },
      });

      // Act
      const res = await call("GET", "/api/v1/groups");

      // Assess
      const headers = [res.headers.get("x-rate-limit-limit"), res.headers.get("x-rate-limit-remaining")];
      expect(headers).toEqual(principalHeaders === "principal" ? ["5", "4"] : ["10", "9"]);
    }
  });

  it("sends a Date header from its own clock (what a client measures its skew against)", async () => {
    // Prepare: the emulator's clock runs 90 s ahead
    const skewed = Date.UTC(2024, 4, 1, 12, 1, 30);
    const { call } = await startOkta({ clock: () => skewed });

    // Act
    const res = await call("GET", "/api/v1/groups");

    // Assess
    expect(res.headers.get("date")).toBe("Wed, 01 May 2024 12:01:30 GMT");
    expect(res.headers.get("x-rate-limit-reset")).toBe(String(Date.UTC(2024, 4, 1, 12, 2, 0) / 1000));
  });

  it("answers 429 past the org's concurrency limit with the concurrent values in the headers, per reset switch", async () => {
    for (const concurrencyReset of ["next-second", "window-end"] as const) {
      // Prepare: one request in flight at most; a POST whose body never finishes holds the slot
      const now = Date.UTC(2024, 4, 1, 12, 0, 20, 500);
      const { okta, call } = await startOkta({
        clock: () => now,
        rateLimitSettings: { concurrencyLimit: 1, concurrencyReset },
      });
      const held = request(`${okta.orgUrl}/api/v1/groups`, {
        method: "POST",
        headers: { Authorization: `SSWS ${okta.emulator.apiToken}`, "Content-Type": "application/json" },
      });
      const heldAnswer = new Promise<number>((resolve) =>
        held.on("response", (r) => resolve(r.statusCode ?? 0)),
      );
      held.write("{");
      await new Promise((r) => setTimeout(r, 50));

      // Act
      const refused = await call("GET", "/api/v1/groups");
      held.end('"profile":{"name":"held"}}');
      const heldStatus = await heldAnswer;
      const after = await call("GET", "/api/v1/groups");

      // Assess
      expect([refused.status, heldStatus, after.status]).toEqual([429, 200, 200]);
      expect(await refused.json()).toMatchObject({ errorCode: "E0000047" });
      expect([
        refused.headers.get("x-rate-limit-limit"),
        refused.headers.get("x-rate-limit-remaining"),
        refused.headers.get("x-rate-limit-reset"),
      ]).toEqual([
        "1",
        "0",
        String(
          concurrencyReset === "next-second"
            ? Date.UTC(2024, 4, 1, 12, 0, 21) / 1000
            : Date.UTC(2024, 4, 1, 12, 1, 0) / 1000,
        ),
      ]);
    }
  });
});
