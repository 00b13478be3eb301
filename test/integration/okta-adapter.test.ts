import { afterEach, describe, expect, it } from "vitest";
import {
  OktaAdapter,
  type OktaAdapterOptions,
  OktaAuthenticationError,
  OktaRateLimitError,
  OktaRequestRejectedError,
  OktaResponseValidationError,
  OktaServerError,
  OktaUntrustedLinkError,
  RATE_LIMIT_RESET_MARGIN_MS,
} from "../../adapters/okta.ts";
import type { EstateUser, OktaEmulatorOptions } from "../../local/emulators/okta/index.ts";
import { type RunningOktaEmulator, startOktaEmulatorServer } from "../../local/emulators/okta/server.ts";

const running: RunningOktaEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((okta) => okta.close()));
});

async function startOkta(options: OktaEmulatorOptions = {}): Promise<RunningOktaEmulator> {
  const okta = await startOktaEmulatorServer(options);
  running.push(okta);
  return okta;
}

function person(n: number, extra: Record<string, unknown> = {}): EstateUser {
  const login = `user${String(n).padStart(3, "0")}@example.com`;
  return { profile: { login, email: login, firstName: "User", lastName: String(n), ...extra } };
}

/** Real fetch, with every URL it was asked for recorded (not a mock: the calls reach the emulator). */
function recordingFetch(): { fetch: typeof globalThis.fetch; urls: string[] } {
  const urls: string[] = [];
  return {
    urls,
    fetch: (input, init) => {
      urls.push(String(input));
      return globalThis.fetch(input, init);
    },
  };
}

/** A clock shared by the emulator and the adapter; the adapter's sleep advances it instead of waiting. */
function fakeTime(startMs: number) {
  let now = startMs;
  const slept: number[] = [];
  return {
    now: () => now,
    slept,
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
  };
}

function adapterFor(okta: RunningOktaEmulator, options: Partial<OktaAdapterOptions> = {}): OktaAdapter {
  return new OktaAdapter({ orgUrl: okta.orgUrl, token: okta.emulator.apiToken, ...options });
}

describe("OktaAdapter against the Okta emulator: reads and pagination", () => {
  it("lists 250 users by following the Link rel=next header to the end", async () => {
    // Prepare
    const okta = await startOkta({ estate: { users: Array.from({ length: 250 }, (_, i) => person(i)) } });
    const { fetch, urls } = recordingFetch();
    const adapter = adapterFor(okta, { fetch });

    // Act
    const users = await adapter.listUsers();

    // Assess
    expect(users).toHaveLength(250);
    expect(new Set(users.map((user) => user.login)).size).toBe(250);
    const plain = urls.filter((url) => !url.includes("filter="));
    expect(plain).toHaveLength(2);
    expect(plain[1]).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/users\?after=00u[0-9A-Za-z]{17}&limit=200$/,
    );
  });

  it("answers Link headers in Okta's format: self as requested, next ending with after and limit", async () => {
    // Prepare
    const okta = await startOkta({ estate: { users: Array.from({ length: 5 }, (_, i) => person(i)) } });
    const headers = { Authorization: `SSWS ${okta.emulator.apiToken}` };

    // Act
    const first = await fetch(`${okta.orgUrl}/api/v1/users?limit=2`, { headers });
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get("link") ?? "")?.[1] ?? "";
    const second = await fetch(next, { headers });
    const third = await fetch(/<([^>]+)>; rel="next"/.exec(second.headers.get("link") ?? "")?.[1] ?? "", {
      headers,
    });

    // Assess
    expect(first.headers.get("link")).toMatch(
      new RegExp(
        `^<${okta.orgUrl}/api/v1/users\\?limit=2>; rel="self", <${okta.orgUrl}/api/v1/users\\?after=00u[0-9A-Za-z]{17}&limit=2>; rel="next"$`,
      ),
    );
    const pages = [await first.json(), await second.json(), await third.json()] as { id: string }[][];
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(third.headers.get("link")).not.toContain('rel="next"');
    expect(new Set(pages.flat().map((user) => user.id)).size).toBe(5);
  });

  it("reads a user by id and by login, maps the profile, and returns null on 404", async () => {
    // Prepare
    const okta = await startOkta({ estate: { users: [person(1, { team: "platform", costCenter: 4200 })] } });
    const adapter = adapterFor(okta);
    const id = okta.emulator.state.users()[0]?.id ?? "";

    // Act
    const byId = await adapter.getUser(id);
    const byLogin = await adapter.getUser("USER001@example.com");
    const missing = await adapter.getUser("00unobody00000000000");

    // Assess
    expect(byId).toEqual({
      id,
      login: "user001@example.com",
      status: "ACTIVE",
      profile: {
        login: "user001@example.com",
        email: "user001@example.com",
        firstName: "User",
        lastName: "1",
        team: "platform",
        costCenter: "4200",
      },
    });
    expect(byLogin?.id).toBe(id);
    expect(missing).toBeNull();
  });

  it("finds a group by exact name although Okta's q is a prefix search, and lists groups and members", async () => {
    // Prepare
    const okta = await startOkta({
      estate: {
        users: [person(1), person(2)],
        groups: [
          { name: "aws-prod-readonly", members: ["user001@example.com"] },
          { name: "aws-prod", members: ["user001@example.com", "user002@example.com"] },
        ],
      },
    });
    const adapter = adapterFor(okta);
    const [alice, bob] = okta.emulator.state.users();

    // Act
    const [prod] = await adapter.findGroupsByName("aws-prod");
    const none = await adapter.findGroupsByName("aws");
    const all = await adapter.listGroups();
    const members = await adapter.listGroupMembers(prod?.id ?? "");
    const aliceGroups = await adapter.listUserGroups(alice?.id ?? "");

    // Assess
    expect(prod?.name).toBe("aws-prod");
    expect(none).toEqual([]);
    expect(all.map((group) => group.name).sort()).toEqual(["aws-prod", "aws-prod-readonly"]);
    expect(members.sort()).toEqual([alice?.id, bob?.id].sort());
    expect(aliceGroups.map((group) => group.name).sort()).toEqual(["aws-prod", "aws-prod-readonly"]);
  });

  it("reads the truth with DEPROVISIONED users included and a failed member read as null, never empty", async () => {
    // Prepare
    const okta = await startOkta({
      estate: {
        users: [person(1), { ...person(2), status: "DEPROVISIONED" }],
        groups: [
          { name: "aws-admins", members: ["user001@example.com"] },
          { name: "aws-readers", members: ["user001@example.com", "user002@example.com"] },
        ],
      },
    });
    const readers = okta.emulator.state.groupNamed("aws-readers");
    okta.emulator.faults.failGroupMemberListing(readers?.id ?? "");
    const adapter = adapterFor(okta, { sleep: async () => {} });

    // Act
    const truth = await adapter.readTruth(["aws-admins", "aws-readers", "no-such-group"]);

    // Assess
    expect(truth.users.map((user) => [user.login, user.status]).sort()).toEqual([
      ["user001@example.com", "ACTIVE"],
      ["user002@example.com", "DEPROVISIONED"],
    ]);
    expect(truth.groups.map((group) => [group.name, group.memberIds?.length ?? null])).toEqual([
      ["aws-admins", 1],
      ["aws-readers", null],
    ]);
  });

  it("treats a member list shorter than the group's stated usersCount as a failed read (issue 12, point 5)", async () => {
    // Prepare: a listing that ends early without a next link looks complete; only usersCount betrays it
    const okta = await startOkta({
      estate: {
        users: [person(1), person(2), person(3)],
        groups: [
          {
            name: "aws-developers",
            members: ["user001@example.com", "user002@example.com", "user003@example.com"],
          },
        ],
      },
    });
    const developers = okta.emulator.state.groupNamed("aws-developers");
    okta.emulator.faults.truncateGroupMemberListing(developers?.id ?? "", 1);
    const adapter = adapterFor(okta);

    // Act
    const [found] = await adapter.findGroupsByName("aws-developers");
    const truth = await adapter.readTruth(["aws-developers"]);

    // Assess
    expect(found?.usersCount).toBe(3);
    expect(await adapter.listGroupMembers(developers?.id ?? "")).toHaveLength(1);
    expect(truth.groups).toEqual([{ id: developers?.id, name: "aws-developers", memberIds: null }]);
  });
});

describe("OktaAdapter against the Okta emulator: groups as real orgs hold them", () => {
  it("finds a group among more than 300 of the same prefix: it searches with search=, never an unpaged q=", async () => {
    // Prepare: 320 groups share the prefix; q would answer one page of them and no next link
    const okta = await startOkta({ estate: { users: [person(1)] } });
    for (let i = 0; i < 320; i += 1) okta.emulator.state.addGroup({ name: `aws-developers-${i}` });
    const wanted = okta.emulator.state.addGroup({ name: "aws-developers" });
    const { fetch, urls } = recordingFetch();
    const adapter = adapterFor(okta, { fetch });

    // Act
    const found = await adapter.findGroupsByName("aws-developers");

    // Assess
    expect(found.map((group) => group.id)).toEqual([wanted.id]);
    expect(urls.every((url) => !new URL(url).searchParams.has("q"))).toBe(true);
    expect(new URL(urls[0] ?? "").searchParams.get("search")).toBe('profile.name eq "aws-developers"');
    expect(new URL(urls[0] ?? "").searchParams.get("expand")).toBe("stats");
  });

  it("returns every group of a shared name, and readTruth reads neither's members but reads one named by id", async () => {
    // Prepare: an Active Directory group called like the OKTA_GROUP
    const okta = await startOkta({
      estate: { users: [person(1)], groups: [{ name: "aws-developers", members: ["user001@example.com"] }] },
    });
    const oktaGroup = okta.emulator.state.groupNamed("aws-developers");
    const adGroup = okta.emulator.state.addGroup({
      type: "APP_GROUP",
      sourceAppId: "0oa2v0el0gP90aqjJ0g7",
      name: "aws-developers",
    });
    const { fetch, urls } = recordingFetch();
    const adapter = adapterFor(okta, { fetch });

    // Act
    const found = await adapter.findGroupsByName("aws-developers");
    const byName = await adapter.readTruth(["aws-developers"]);
    const memberReads = urls.filter((url) => url.includes("/users?limit=1000")).length;
    const byId = await adapter.readTruth([], [oktaGroup?.id ?? ""]);
    const missing = await adapter.readTruth([], ["00gnosuchgroup000000"]);

    // Assess
    expect(found.map((group) => group.id).sort()).toEqual([oktaGroup?.id, adGroup.id].sort());
    expect(byName.groups.map((group) => [group.id, group.memberIds]).sort()).toEqual(
      [
        [oktaGroup?.id, null],
        [adGroup.id, null],
      ].sort(),
    );
    expect(memberReads).toBe(0);
    expect(byId.groups).toEqual([
      { id: oktaGroup?.id, name: "aws-developers", memberIds: [okta.emulator.state.users()[0]?.id] },
    ]);
    expect(missing.groups).toEqual([]);
  });
});

describe("OktaAdapter against the Okta emulator: changes", () => {
  it("applies Okta's status rules and surfaces refusals with their error codes", async () => {
    // Prepare
    const okta = await startOkta({ estate: { users: [person(1)] } });
    const adapter = adapterFor(okta);
    const id = okta.emulator.state.users()[0]?.id ?? "";
    const refusal = async (operation: Parameters<OktaAdapter["lifecycle"]>[1]) => {
      const error = await adapter.lifecycle(id, operation).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OktaRequestRejectedError);
      const rejected = error as OktaRequestRejectedError;
      return [rejected.status, rejected.errorCode];
    };
    const status = async () => (await adapter.getUser(id))?.status;

    // Act + Assess: one step at a time, each status checked through the API
    expect(await refusal("activate")).toEqual([403, "E0000016"]);
    expect(await refusal("unsuspend")).toEqual([400, "E0000001"]);
    expect(await refusal("reactivate")).toEqual([403, "E0000038"]);
    await adapter.lifecycle(id, "suspend");
    expect(await status()).toBe("SUSPENDED");
    expect(await refusal("suspend")).toEqual([400, "E0000001"]);
    await adapter.lifecycle(id, "unsuspend");
    expect(await status()).toBe("ACTIVE");
    await adapter.lifecycle(id, "deactivate");
    expect(await status()).toBe("DEPROVISIONED");
    expect(await refusal("deactivate")).toEqual([403, "E0000038"]);
    expect(await refusal("suspend")).toEqual([400, "E0000001"]);
    await adapter.lifecycle(id, "activate");
    expect(await status()).toBe("ACTIVE");
  });

  it("deletes like Okta: the first DELETE deactivates, the second deletes", async () => {
    // Prepare
    const okta = await startOkta({ estate: { users: [person(1)] } });
    const adapter = adapterFor(okta);
    const id = okta.emulator.state.users()[0]?.id ?? "";
    const del = () =>
      fetch(`${okta.orgUrl}/api/v1/users/${id}`, {
        method: "DELETE",
        headers: { Authorization: `SSWS ${okta.emulator.apiToken}` },
      });

    // Act
    const first = await del();
    const afterFirst = await adapter.getUser(id);
    const second = await del();
    const afterSecond = await adapter.getUser(id);

    // Assess
    expect([first.status, second.status]).toEqual([204, 204]);
    expect(afterFirst?.status).toBe("DEPROVISIONED");
    expect(afterSecond).toBeNull();
    expect(okta.emulator.systemLog.all().map((event) => event.eventType)).toEqual([
      "user.lifecycle.deactivate",
      "user.lifecycle.delete.initiated",
    ]);
  });

  it("adds and removes group members and clears sessions", async () => {
    // Prepare
    const okta = await startOkta({ estate: { users: [person(1)], groups: [{ name: "aws-dev" }] } });
    const adapter = adapterFor(okta);
    const user = okta.emulator.state.users()[0];
    const group = okta.emulator.state.groupNamed("aws-dev");
    const userId = user?.id ?? "";
    const groupId = group?.id ?? "";

    // Act
    await adapter.addToGroup(groupId, userId);
    await adapter.addToGroup(groupId, userId);
    const afterAdd = await adapter.listGroupMembers(groupId);
    await adapter.removeFromGroup(groupId, userId);
    const afterRemove = await adapter.listGroupMembers(groupId);
    await adapter.clearUserSessions(userId);

    // Assess
    expect(afterAdd).toEqual([userId]);
    expect(afterRemove).toEqual([]);
    expect(okta.emulator.operations.sessionClears.map((clear) => clear.userId)).toEqual([userId]);
    expect(okta.emulator.systemLog.all().map((event) => event.eventType)).toEqual([
      "group.user_membership.add",
      "group.user_membership.remove",
      "user.session.clear",
    ]);
  });
});

describe("OktaAdapter against the Okta emulator: app assignments", () => {
  it("lists the apps a user is assigned to, one per app; an unassigned or unknown user has none", async () => {
    // Arrange
    const okta = await startOkta({
      estate: {
        users: [person(1), person(2)],
        apps: [
          { id: "0oaawsfederation0001", name: "amazon_aws", label: "AWS", users: ["user001@example.com"] },
          { id: "0oaslack000000000001", name: "slack", label: "Slack", users: ["user001@example.com"] },
        ],
      },
    });
    const adapter = adapterFor(okta);
    const id = (login: string) => okta.emulator.state.user(login)?.id ?? "";

    // Act
    const assigned = await adapter.listAppLinks(id("user001@example.com"));
    const unassigned = await adapter.listAppLinks(id("user002@example.com"));
    const unknown = await adapter.listAppLinks("00unobody00000000000");

    // Assess
    expect(assigned).toEqual([
      { appId: "0oaawsfederation0001", appName: "amazon_aws", label: "AWS" },
      { appId: "0oaslack000000000001", appName: "slack", label: "Slack" },
    ]);
    expect(unassigned).toEqual([]);
    expect(unknown).toEqual([]);
  });
});

describe("OktaAdapter against the Okta emulator: failures", () => {
  it("fails with OktaAuthenticationError carrying Okta's E0000011 on a wrong token", async () => {
    // Prepare
    const okta = await startOkta({ estate: { users: [person(1)] } });
    const adapter = new OktaAdapter({ orgUrl: okta.orgUrl, token: "wrong" });

    // Act
    const error = await adapter.listUsers().catch((caught: unknown) => caught);
    const raw = await fetch(`${okta.orgUrl}/api/v1/users`, { headers: { Authorization: "SSWS wrong" } });

    // Assess
    expect(error).toBeInstanceOf(OktaAuthenticationError);
    expect(error).toMatchObject({
      status: 401,
      errorCode: "E0000011",
      errorSummary: "Invalid token provided",
    });
    expect(String(error)).not.toContain("wrong");
    expect(raw.status).toBe(401);
    expect(await raw.json()).toEqual({
      errorCode: "E0000011",
      errorSummary: "Invalid token provided",
      errorLink: "E0000011",
      errorId: expect.stringMatching(/^oae[0-9A-Za-z]{22}$/),
      errorCauses: [],
    });
  });

  it("waits until X-Rate-Limit-Reset after a 429 and then succeeds", async () => {
    // Prepare: 4 requests a minute on /api/v1/users/{id}, 2 for this token (Okta's 50% per token);
    // the clock sits 20.5 s into a window
    const time = fakeTime(Date.UTC(2024, 4, 1, 12, 0, 20, 500));
    const okta = await startOkta({
      estate: { users: [person(1)] },
      clock: time.now,
      rateLimits: { "/api/v1/users/{id}": 4 },
    });
    const adapter = adapterFor(okta, { now: time.now, sleep: time.sleep });
    const id = okta.emulator.state.users()[0]?.id ?? "";

    // Act
    await adapter.getUser(id);
    await adapter.getUser(id);
    const third = await adapter.getUser(id);

    // Assess: one wait, to the reset second (12:01:00) from Okta's Date (12:00:20, whole seconds) plus the margin
    expect(third?.id).toBe(id);
    expect(time.slept).toEqual([40_000 + RATE_LIMIT_RESET_MARGIN_MS]);
  });

  it("gives up with OktaRateLimitError after maxRetries when every answer is 429", async () => {
    // Prepare
    const time = fakeTime(Date.UTC(2024, 4, 1, 12, 0, 0, 0));
    const okta = await startOkta({ estate: { users: [person(1)] }, clock: time.now });
    okta.emulator.faults.force429Rate = 1;
    const adapter = adapterFor(okta, { now: time.now, sleep: time.sleep, maxRetries: 2 });

    // Act
    const error = await adapter.listGroups().catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(OktaRateLimitError);
    expect(error).toMatchObject({ status: 429, errorCode: "E0000047", attempts: 3 });
    expect((error as OktaRateLimitError).resetAt).toMatch(/^2024-05-01T12:0\d:00\.000Z$/);
    expect(time.slept).toHaveLength(2);
  });

  it("retries a 5xx on reads and succeeds once the fault clears", async () => {
    // Prepare: the first attempt fails; the adapter's backoff sleep clears the fault
    const okta = await startOkta({ estate: { users: [person(1)] } });
    okta.emulator.faults.serverErrorRate = 1;
    const slept: number[] = [];
    const adapter = adapterFor(okta, {
      random: () => 0.5,
      sleep: async (ms) => {
        slept.push(ms);
        okta.emulator.faults.serverErrorRate = 0;
      },
    });

    // Act
    const users = await adapter.listUsers();

    // Assess
    expect(users).toHaveLength(1);
    expect(slept.length).toBeGreaterThanOrEqual(1);
    expect(slept.every((ms) => ms === 100)).toBe(true);
  });

  it("stops after maxRetries on persistent 5xx and never repeats a non-idempotent lifecycle POST", async () => {
    // Prepare
    const okta = await startOkta({ estate: { users: [person(1)] } });
    okta.emulator.faults.serverErrorRate = 1;
    const { fetch, urls } = recordingFetch();
    const adapter = adapterFor(okta, { fetch, maxRetries: 2, sleep: async () => {} });
    const id = okta.emulator.state.users()[0]?.id ?? "";

    // Act
    const readError = await adapter.getUser(id).catch((caught: unknown) => caught);
    const readCalls = urls.length;
    const writeError = await adapter.lifecycle(id, "suspend").catch((caught: unknown) => caught);

    // Assess
    expect(readError).toBeInstanceOf(OktaServerError);
    expect(readError).toMatchObject({ status: 500, errorCode: "E0000009", attempts: 3 });
    expect(readCalls).toBe(3);
    expect(writeError).toBeInstanceOf(OktaServerError);
    expect(urls.length - readCalls).toBe(1);
    expect(okta.emulator.state.users()[0]?.status).toBe("ACTIVE");
  });

  it("rejects a response that lacks a field it relies on, naming the field", async () => {
    // Prepare: real emulator answers, with the fourth user's status blanked on the way back
    const okta = await startOkta({ estate: { users: Array.from({ length: 5 }, (_, i) => person(i)) } });
    const corrupting: typeof globalThis.fetch = async (input, init) => {
      const response = await globalThis.fetch(input, init);
      const body = (await response.json()) as Record<string, unknown>[];
      const fourth = body[3];
      if (fourth !== undefined) delete fourth.status;
      return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
    };
    const adapter = adapterFor(okta, { fetch: corrupting });

    // Act
    const error = await adapter.listUsers().catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(OktaResponseValidationError);
    expect((error as OktaResponseValidationError).field).toBe("[3].status");
    expect(String(error)).toContain("[3].status");
  });

  it("refuses to send the token to a next link outside the org", async () => {
    // Prepare
    const okta = await startOkta();
    const { fetch, urls } = recordingFetch();
    const adapter = adapterFor(okta, { fetch });

    // Act
    const error = await adapter
      .systemLogPage("https://attacker.example/api/v1/logs?after=x")
      .catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(OktaUntrustedLinkError);
    expect(urls).toEqual([]);
  });
});
