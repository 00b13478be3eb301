import { afterEach, describe, expect, it } from "vitest";
import type { OktaChange, OktaEmulatorOptions } from "../../local/emulators/okta/index.ts";
import { type RunningOktaEmulator, startOktaEmulatorServer } from "../../local/emulators/okta/server.ts";

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
      users: [person("ana"), person("ben")],
      groups: [
        { name: "aws-dev", members: ["ana@example.com", "ben@example.com"] },
        { name: "aws-devops" },
        { name: "aws-prod" },
        { name: "finance" },
      ],
    },
    ...options,
  });
  running.push(okta);
  const call = (method: string, path: string, body?: unknown, token = okta.emulator.apiToken) =>
    fetch(`${okta.orgUrl}${path}`, {
      method,
      headers: { Authorization: `SSWS ${token}`, "Content-Type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const id = (name: string) => okta.emulator.state.user(`${name}@example.com`)?.id ?? "";
  return { okta, call, id };
}

describe("Okta emulator REST surface: rate limits and errors", () => {
  it("puts X-Rate-Limit-* headers on every response, successes and errors alike", async () => {
    // Prepare: 30 s into a minute
    const now = Date.UTC(2024, 4, 1, 12, 0, 30);
    const { call } = await startOkta({ clock: () => now, rateLimits: { "/api/v1/groups": 50 } });

    // Act
    const responses = [
      await call("GET", "/api/v1/groups"),
      await call("GET", "/api/v1/groups/00gmissing"),
      await call("GET", "/api/v1/groups", undefined, "bad-token"),
    ];

    // Assess: the token sees its share (50% of 50); the unauthenticated call is metered on the org bucket
    expect(responses.map((response) => response.status)).toEqual([200, 404, 401]);
    expect(responses.map((response) => response.headers.get("x-rate-limit-limit"))).toEqual([
      "25",
      "25",
      "50",
    ]);
    expect(responses.map((response) => response.headers.get("x-rate-limit-remaining"))).toEqual([
      "24",
      "23",
      "47",
    ]);
    expect(new Set(responses.map((response) => response.headers.get("x-rate-limit-reset")))).toEqual(
      new Set([String(Date.UTC(2024, 4, 1, 12, 1, 0) / 1000)]),
    );
  });

  it("meters endpoint families separately and answers 429 E0000047 when one is exhausted", async () => {
    // Prepare
    const { call, id } = await startOkta({ rateLimits: { "/api/v1/users/{id}": 1 } });

    // Act
    const first = await call("GET", `/api/v1/users/${id("ana")}`);
    const second = await call("GET", `/api/v1/users/${id("ana")}`);
    const otherFamily = await call("GET", "/api/v1/users");

    // Assess
    expect([first.status, second.status, otherFamily.status]).toEqual([200, 429, 200]);
    expect(second.headers.get("x-rate-limit-remaining")).toBe("0");
    expect(await second.json()).toMatchObject({
      errorCode: "E0000047",
      errorSummary: "API call exceeded rate limit due to too many requests.",
      errorLink: "E0000047",
      errorCauses: [],
    });
  });

  it("answers unknown paths with E0000007 and known paths with the wrong method with 405 E0000022, and leaves other paths alone", async () => {
    // Prepare
    const { okta, call } = await startOkta();

    // Act
    const unknown = await call("GET", "/api/v1/nothing-here");
    const wrongMethod = await call("PATCH", "/api/v1/users");
    const notOkta = await fetch(`${okta.orgUrl}/hooks/okta`);

    // Assess
    expect([unknown.status, ((await unknown.json()) as { errorCode: string }).errorCode]).toEqual([
      404,
      "E0000007",
    ]);
    // Okta's error codes list: E0000022 "HTTP request method not supported exception", statusCode 405
    expect([wrongMethod.status, ((await wrongMethod.json()) as { errorCode: string }).errorCode]).toEqual([
      405,
      "E0000022",
    ]);
    expect(notOkta.status).toBe(404);
    expect(await notOkta.text()).toBe("Not an Okta API path");
  });

  it("injects 500 E0000009 at the configured rate without changing anything", async () => {
    // Prepare
    const { okta, call, id } = await startOkta();
    okta.emulator.faults.serverErrorRate = 1;

    // Act
    const response = await call("POST", `/api/v1/users/${id("ana")}/lifecycle/suspend`);
    okta.emulator.faults.clear();
    const after = await call("GET", `/api/v1/users/${id("ana")}`);

    // Assess
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({
      errorCode: "E0000009",
      errorSummary: "Internal Server Error",
    });
    expect(((await after.json()) as { status: string }).status).toBe("ACTIVE");
    expect(okta.emulator.systemLog.all()).toEqual([]);
  });
});

describe("Okta emulator REST surface: users and groups", () => {
  it("creates users like Okta: STAGED by default, ACTIVE with activate=true, groupIds honoured, logins unique", async () => {
    // Prepare
    const { okta, call } = await startOkta();
    const devId = okta.emulator.state.groupNamed("aws-dev")?.id ?? "";
    const profile = (name: string) => ({
      login: name,
      email: name,
      firstName: "N",
      lastName: "M",
      team: "core",
    });

    // Act
    const staged = await call("POST", "/api/v1/users?activate=false", { profile: profile("s@example.com") });
    const active = await call("POST", "/api/v1/users?activate=true", {
      profile: profile("a@example.com"),
      groupIds: [devId],
    });
    const duplicate = await call("POST", "/api/v1/users", { profile: profile("A@EXAMPLE.COM") });
    const blank = await call("POST", "/api/v1/users", { profile: { login: "b@example.com" } });
    const notJson = await fetch(`${okta.orgUrl}/api/v1/users`, {
      method: "POST",
      headers: { Authorization: `SSWS ${okta.emulator.apiToken}` },
      body: "{",
    });

    // Assess
    const activeUser = (await active.json()) as { id: string; status: string; profile: { team: string } };
    expect(((await staged.json()) as { status: string }).status).toBe("STAGED");
    expect(activeUser).toMatchObject({ status: "ACTIVE", profile: { team: "core" } });
    expect(activeUser.id).toMatch(/^00u[0-9A-Za-z]{17}$/);
    expect(okta.emulator.state.memberIds(devId)).toContain(activeUser.id);
    expect(duplicate.status).toBe(400);
    expect(await duplicate.json()).toMatchObject({
      errorCode: "E0000001",
      errorCauses: [
        { errorSummary: "login: An object with this field already exists in the current organization" },
      ],
    });
    expect(blank.status).toBe(400);
    expect(((await blank.json()) as { errorCauses: unknown[] }).errorCauses).toHaveLength(3);
    expect([notJson.status, ((await notJson.json()) as { errorCode: string }).errorCode]).toEqual([
      400,
      "E0000003",
    ]);
  });

  it("updates a profile partially with POST /api/v1/users/{id}", async () => {
    // Prepare
    const { call, id } = await startOkta();

    // Act
    const response = await call("POST", `/api/v1/users/${id("ana")}`, { profile: { costCenter: "CC-9" } });

    // Assess
    expect(await response.json()).toMatchObject({
      profile: { login: "ana@example.com", firstName: "ana", costCenter: "CC-9" },
    });
  });

  it("searches groups by name prefix with q and pages them with Link headers", async () => {
    // Prepare
    const { okta, call } = await startOkta();

    // Act
    const prefixed = await call("GET", "/api/v1/groups?q=AWS-DEV");
    const first = await call("GET", "/api/v1/groups?limit=3");
    const nextUrl = /<([^>]+)>; rel="next"/.exec(first.headers.get("link") ?? "")?.[1] ?? "";
    const second = await fetch(nextUrl, { headers: { Authorization: `SSWS ${okta.emulator.apiToken}` } });

    // Assess
    const names = (groups: unknown) =>
      (groups as { profile: { name: string } }[]).map((group) => group.profile.name);
    expect(names(await prefixed.json()).sort()).toEqual(["aws-dev", "aws-devops"]);
    expect(nextUrl).toMatch(new RegExp(`^${okta.orgUrl}/api/v1/groups\\?after=00g[0-9A-Za-z]{17}&limit=3$`));
    const all = [...names(await first.json()), ...names(await second.json())];
    expect(all.sort()).toEqual(["aws-dev", "aws-devops", "aws-prod", "finance"]);
    expect(second.headers.get("link")).not.toContain('rel="next"');
  });

  it("pages a group's members, creates and deletes groups, and fails a member listing on demand", async () => {
    // Prepare
    const { okta, call } = await startOkta();
    const devId = okta.emulator.state.groupNamed("aws-dev")?.id ?? "";

    // Act
    const page = await call("GET", `/api/v1/groups/${devId}/users?limit=1`);
    const created = await call("POST", "/api/v1/groups", { profile: { name: "aws-new", description: "x" } });
    const duplicate = await call("POST", "/api/v1/groups", { profile: { name: "AWS-NEW" } });
    const createdId = ((await created.json()) as { id: string }).id;
    const deleted = await call("DELETE", `/api/v1/groups/${createdId}`);
    const gone = await call("GET", `/api/v1/groups/${createdId}`);
    okta.emulator.faults.failGroupMemberListing(devId);
    const failing = await call("GET", `/api/v1/groups/${devId}/users`);

    // Assess
    expect(((await page.json()) as unknown[]).length).toBe(1);
    expect(page.headers.get("link")).toContain('rel="next"');
    expect(createdId).toMatch(/^00g/);
    expect([duplicate.status, deleted.status, gone.status, failing.status]).toEqual([400, 204, 404, 500]);
    expect(await gone.json()).toMatchObject({
      errorCode: "E0000007",
      errorSummary: expect.stringContaining("(UserGroup)"),
    });
    expect(okta.emulator.systemLog.all().map((event) => event.eventType)).toEqual([
      "group.lifecycle.create",
      "group.lifecycle.delete",
    ]);
  });
});

describe("Okta emulator: change listener and determinism", () => {
  it("reports user status and membership changes to listeners, in order, until unsubscribed", async () => {
    // Prepare
    const { okta, call, id } = await startOkta();
    const devId = okta.emulator.state.groupNamed("aws-dev")?.id ?? "";
    const changes: OktaChange[] = [];
    const unsubscribe = okta.emulator.on("change", (change) => changes.push(change));

    // Act
    await call("POST", `/api/v1/users/${id("ana")}/lifecycle/suspend`);
    await call("DELETE", `/api/v1/groups/${devId}/users/${id("ben")}`);
    await call("PUT", `/api/v1/groups/${devId}/users/${id("ben")}`);
    const refused = await call("POST", `/api/v1/users/${id("ana")}/lifecycle/suspend`);
    unsubscribe();
    await call("POST", `/api/v1/users/${id("ana")}/lifecycle/unsuspend`);

    // Assess: the refused second suspend (400) reports nothing
    expect(refused.status).toBe(400);
    expect(changes).toEqual([
      { kind: "user-status", userId: id("ana"), login: "ana@example.com", from: "ACTIVE", to: "SUSPENDED" },
      {
        kind: "membership-removed",
        groupId: devId,
        groupName: "aws-dev",
        userId: id("ben"),
        login: "ben@example.com",
      },
      {
        kind: "membership-added",
        groupId: devId,
        groupName: "aws-dev",
        userId: id("ben"),
        login: "ben@example.com",
      },
    ]);
  });

  it("keeps the API answering when a listener throws", async () => {
    // Prepare
    const errors: unknown[] = [];
    const { okta, call, id } = await startOkta({ onUnexpectedError: (error) => errors.push(error) });
    okta.emulator.on("change", () => {
      throw new Error("listener bug");
    });

    // Act
    const response = await call("POST", `/api/v1/users/${id("ana")}/lifecycle/suspend`);

    // Assess
    expect(response.status).toBe(200);
    expect(errors.map(String)).toEqual(["Error: listener bug"]);
  });

  it("generates the same ids and event uuids from the same seed, and others from another seed", async () => {
    // Prepare
    const runs = [1, 1, 2].map(async (seed) => {
      const { okta, call } = await startOkta({ seed, clock: () => Date.UTC(2024, 0, 1) });
      await call("POST", "/api/v1/users?activate=true", {
        profile: { login: "n@example.com", email: "n@example.com", firstName: "N", lastName: "M" },
      });
      return {
        users: okta.emulator.state.users().map((user) => user.id),
        uuids: okta.emulator.systemLog.all().map((event) => event.uuid),
      };
    });

    // Act
    const [a, b, c] = await Promise.all(runs);

    // Assess
    expect(a).toEqual(b);
    expect(a?.users).toHaveLength(3);
    expect(c?.users).not.toEqual(a?.users);
    expect(c?.uuids).not.toEqual(a?.uuids);
  });
});
