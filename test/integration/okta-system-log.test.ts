import { afterEach, describe, expect, it } from "vitest";
import { eventTypeFilter, OktaAdapter } from "../../adapters/okta.ts";
import { LIFECYCLE_EVENT_TYPES } from "../../core/okta/event-types.ts";
import type { NormalizeResult } from "../../core/okta/lifecycle-event.ts";
import { parseLogEvent } from "../../core/okta/log-event.ts";
import { normalize } from "../../core/okta/normalize.ts";
import type { EstateUser, OktaEmulatorOptions } from "../../local/emulators/okta/index.ts";
import { type RunningOktaEmulator, startOktaEmulatorServer } from "../../local/emulators/okta/server.ts";

const running: RunningOktaEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((okta) => okta.close()));
});

const JANE: EstateUser = {
  profile: {
    login: "jane.doe@example.com",
    email: "jane.doe@example.com",
    firstName: "Jane",
    lastName: "Doe",
    team: "payments",
    costCenter: "CC-100",
  },
};
const OMAR: EstateUser = {
  profile: { login: "omar@example.com", email: "omar@example.com", firstName: "Omar", lastName: "Haddad" },
};

async function startOkta(options: OktaEmulatorOptions = {}) {
  const okta = await startOktaEmulatorServer({
    estate: {
      users: [JANE, OMAR],
      groups: [{ name: "aws-prod-readonly", members: ["jane.doe@example.com"] }],
    },
    ...options,
  });
  running.push(okta);
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${okta.orgUrl}${path}`, {
      method,
      headers: { Authorization: `SSWS ${okta.emulator.apiToken}`, "Content-Type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const jane = okta.emulator.state.user("jane.doe@example.com");
  const group = okta.emulator.state.groupNamed("aws-prod-readonly");
  const adapter = new OktaAdapter({ orgUrl: okta.orgUrl, token: okta.emulator.apiToken });
  return { okta, call, janeId: jane?.id ?? "", groupId: group?.id ?? "", adapter };
}

/** What core/okta makes of a System Log event: parse must succeed, then normalize. */
function normalized(raw: unknown): NormalizeResult {
  const parsed = parseLogEvent(raw);
  if (!parsed.success)
    throw new Error(`emulator event failed core validation: ${JSON.stringify(parsed.errors)}`);
  const result = normalize(parsed.data, { provisioningAppIds: [] });
  if (result.kind === "invalid")
    throw new Error(`emulator event is invalid for its type: ${result.error.message}`);
  return result;
}

/** An hour back: within the 180 days Okta accepts, before anything the tests do. */
const SINCE = new Date(Date.now() - 3_600_000).toISOString();

describe("System Log events written by the emulator", () => {
  it("are LogEvents core/okta parses and normalizes: deactivate and suspend are leavers", async () => {
    // Prepare
    const { okta, call, janeId } = await startOkta();
    const omarId = okta.emulator.state.user("omar@example.com")?.id ?? "";

    // Act
    await call("POST", `/api/v1/users/${janeId}/lifecycle/deactivate`);
    await call("POST", `/api/v1/users/${omarId}/lifecycle/suspend`);
    const [deactivate, suspend] = okta.emulator.systemLog.all();

    // Assess
    expect(normalized(deactivate)).toMatchObject({
      kind: "leaver",
      subject: "user",
      eventType: "user.lifecycle.deactivate",
      user: { id: janeId, login: "jane.doe@example.com" },
      actor: { id: okta.emulator.admin.id, type: "User", login: "admin@example.com" },
      outcome: "SUCCESS",
    });
    expect(normalized(suspend)).toMatchObject({
      kind: "leaver",
      eventType: "user.lifecycle.suspend",
      user: { id: omarId, login: "omar@example.com" },
    });
  });

  it("write a membership removal with User then UserGroup targets: a mover through that group", async () => {
    // Prepare
    const { okta, call, janeId, groupId } = await startOkta();

    // Act
    await call("DELETE", `/api/v1/groups/${groupId}/users/${janeId}`);
    const [event] = okta.emulator.systemLog.all();

    // Assess
    const targets = (event?.target ?? []) as { type: string }[];
    expect(targets.map((target) => target.type)).toEqual(["User", "UserGroup"]);
    expect(event?.displayMessage).toBe("Remove user from group membership");
    expect(normalized(event)).toMatchObject({
      kind: "mover",
      eventType: "group.user_membership.remove",
      user: { id: janeId, login: "jane.doe@example.com" },
      group: { id: groupId, name: "aws-prod-readonly" },
    });
  });

  it("write create then activate for a new user: joiners, and a profile update names the changed attributes", async () => {
    // Prepare
    const { okta, call } = await startOkta();

    // Act
    const created = await call("POST", "/api/v1/users?activate=false", {
      profile: { login: "new@example.com", email: "new@example.com", firstName: "New", lastName: "Hire" },
    });
    const { id } = (await created.json()) as { id: string };
    await call("POST", `/api/v1/users/${id}/lifecycle/activate?sendEmail=false`);
    await call("POST", `/api/v1/users/${id}`, {
      profile: { team: "data", costCenter: "CC-7", firstName: "New" },
    });
    const results = okta.emulator.systemLog.all().map(normalized);

    // Assess
    expect(results.map((result) => [result.eventType, result.kind])).toEqual([
      ["user.lifecycle.create", "joiner"],
      ["user.lifecycle.activate", "joiner"],
      ["user.account.update_profile", "mover"],
    ]);
    expect(results[2]).toMatchObject({ user: { id }, changedAttributes: ["costCenter", "team"] });
  });

  it("write a group deletion naming only the group, and a user deletion as delete.initiated", async () => {
    // Prepare
    const { okta, call, janeId, groupId } = await startOkta();

    // Act
    await call("DELETE", `/api/v1/groups/${groupId}`);
    await call("DELETE", `/api/v1/users/${janeId}`);
    await call("DELETE", `/api/v1/users/${janeId}`);
    const results = okta.emulator.systemLog.all().map(normalized);

    // Assess
    expect(results.map((result) => [result.eventType, result.kind])).toEqual([
      ["group.lifecycle.delete", "mover"],
      ["user.lifecycle.deactivate", "leaver"],
      ["user.lifecycle.delete.initiated", "leaver"],
    ]);
    expect(results[0]).toMatchObject({ subject: "group", group: { id: groupId, name: "aws-prod-readonly" } });
  });

  it("carry the request's context: one transaction per request, the client IP in request.ipChain", async () => {
    // Prepare
    const { okta, call } = await startOkta();

    // Act
    await call("POST", "/api/v1/users?activate=true", {
      profile: { login: "x@example.com", email: "x@example.com", firstName: "X", lastName: "Y" },
    });
    const events = okta.emulator.systemLog.all() as {
      transaction: { id: string; detail: { requestApiTokenId?: string } };
      debugContext: { debugData: { requestId: string; requestUri: string } };
      request: { ipChain: { ip: string }[] };
      published: string;
    }[];

    // Assess
    expect(events).toHaveLength(2);
    expect(new Set(events.map((event) => event.transaction.id)).size).toBe(1);
    for (const event of events) {
      expect(event.transaction.id).toBe(event.debugContext.debugData.requestId);
      expect(event.transaction.detail.requestApiTokenId).toMatch(/^00T/);
      expect(event.debugContext.debugData.requestUri).toBe("/api/v1/users");
      expect(event.request.ipChain[0]?.ip).toBe("127.0.0.1");
      expect(event.published).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
  });
});

describe("System Log polling through the next link", () => {
  it("always returns a next link, and following it yields only events newer than the page", async () => {
    // Prepare
    const { okta, call, janeId, groupId, adapter } = await startOkta();
    await call("POST", `/api/v1/users/${janeId}/lifecycle/suspend`);

    // Act
    const first = await adapter.systemLogPage({ since: SINCE, filter: eventTypeFilter() });
    const idle = await adapter.systemLogPage(first.nextUrl ?? "");
    await call("DELETE", `/api/v1/groups/${groupId}/users/${janeId}`);
    await call("DELETE", `/api/v1/users/${janeId}/sessions`);
    const fresh = await adapter.systemLogPage(idle.nextUrl ?? "");
    const after = await adapter.systemLogPage(fresh.nextUrl ?? "");

    // Assess
    const types = (page: { events: unknown[] }) =>
      page.events.map((event) => (event as { eventType: string }).eventType);
    expect(types(first)).toEqual(["user.lifecycle.suspend"]);
    expect(idle.events).toEqual([]);
    expect(idle.nextUrl).not.toBeNull();
    // (an admin's session clear is a compromise signal, issue 13: the filter keeps it)
    expect(types(fresh)).toEqual(["group.user_membership.remove", "user.session.clear"]);
    expect(after.events).toEqual([]);
    expect(after.nextUrl).toMatch(new RegExp(`^${okta.orgUrl}/api/v1/logs\\?`));
    expect(okta.emulator.systemLog.all()).toHaveLength(3);
  });

  it("pages a burst by limit without skipping or repeating an event", async () => {
    // Prepare
    const { okta, call, adapter } = await startOkta();
    for (let i = 0; i < 5; i += 1) {
      await call("POST", "/api/v1/users?activate=false", {
        profile: {
          login: `p${i}@example.com`,
          email: `p${i}@example.com`,
          firstName: "P",
          lastName: String(i),
        },
      });
    }

    // Act
    const sizes: number[] = [];
    const seen: string[] = [];
    let page = await adapter.systemLogPage({ since: SINCE, limit: 2 });
    for (let i = 0; i < 4; i += 1) {
      sizes.push(page.events.length);
      seen.push(...page.events.map((event) => (event as { uuid: string }).uuid));
      page = await adapter.systemLogPage(page.nextUrl ?? "");
    }

    // Assess
    expect(sizes).toEqual([2, 2, 1, 0]);
    expect(seen).toEqual(okta.emulator.systemLog.all().map((event) => event.uuid));
  });

  it("filters on `eventType eq ... or ...` with every lifecycle type in one expression", async () => {
    // Prepare
    const { call, janeId, adapter } = await startOkta();
    await call("POST", "/api/v1/groups", { profile: { name: "not-a-lifecycle-event" } });
    await call("POST", `/api/v1/users/${janeId}/lifecycle/deactivate`);

    // Act
    const filtered = await adapter.systemLogPage({ since: SINCE, filter: eventTypeFilter() });
    const unfiltered = await adapter.systemLogPage({ since: SINCE });

    // Assess
    expect(eventTypeFilter(["a.b", "c.d"])).toBe('eventType eq "a.b" or eventType eq "c.d"');
    expect(eventTypeFilter().split(" or ")).toHaveLength(LIFECYCLE_EVENT_TYPES.length);
    expect(filtered.events.map((event) => (event as { eventType: string }).eventType)).toEqual([
      "user.lifecycle.deactivate",
    ]);
    expect(unfiltered.events).toHaveLength(2);
  });

  it("answers Okta's errors for an altered cursor, a bad filter, a bad date, a bad limit and a too-old since", async () => {
    // Prepare
    const { call, adapter } = await startOkta();
    const page = await adapter.systemLogPage({ since: SINCE });
    const tampered = new URL(page.nextUrl ?? "");
    tampered.searchParams.set("after", `${tampered.searchParams.get("after")}x`);
    const get = async (path: string) => {
      const response = await call("GET", path);
      return [response.status, ((await response.json()) as { errorCode: string }).errorCode];
    };

    // Act
    const cursor = await get(`${tampered.pathname}${tampered.search}`);
    const filter = await get(`/api/v1/logs?filter=${encodeURIComponent('eventType eqq "x"')}`);
    const date = await get("/api/v1/logs?since=yesterday");
    const limit = await get("/api/v1/logs?limit=1001");
    const tooOld = await get("/api/v1/logs?since=2000-01-01T00:00:00Z");

    // Assess
    expect(cursor).toEqual([400, "E0000029"]);
    expect(filter).toEqual([400, "E0000053"]);
    expect(date).toEqual([400, "E0000001"]);
    expect(limit).toEqual([400, "E0000001"]);
    expect(tooOld).toEqual([400, "E0000053"]);
  });

  it("orders a bounded query (since, until exclusive) by published and ends it without a next link", async () => {
    // Prepare
    let now = Date.UTC(2024, 4, 1, 12, 0, 0);
    const { call, janeId } = await startOkta({ clock: () => now });
    await call("POST", `/api/v1/users/${janeId}/lifecycle/suspend`);
    now += 1000;
    await call("POST", `/api/v1/users/${janeId}/lifecycle/unsuspend`);
    now += 1000;
    await call("POST", `/api/v1/users/${janeId}/lifecycle/suspend`);

    // Act
    const window = "since=2024-05-01T12:00:00.000Z&until=2024-05-01T12:00:02.000Z";
    const first = await call("GET", `/api/v1/logs?${window}&limit=1`);
    const nextUrl = /<([^>]+)>; rel="next"/.exec(first.headers.get("link") ?? "")?.[1] ?? "";
    const last = await call("GET", `${new URL(nextUrl).pathname}${new URL(nextUrl).search}`);
    const descending = await call("GET", `/api/v1/logs?${window}&sortOrder=DESCENDING`);

    // Assess
    expect(((await first.json()) as { eventType: string }[]).map((event) => event.eventType)).toEqual([
      "user.lifecycle.suspend",
    ]);
    expect(((await last.json()) as { eventType: string }[]).map((event) => event.eventType)).toEqual([
      "user.lifecycle.unsuspend",
    ]);
    expect(last.headers.get("link")).not.toContain('rel="next"');
    expect(((await descending.json()) as { eventType: string }[]).map((event) => event.eventType)).toEqual([
      "user.lifecycle.unsuspend",
      "user.lifecycle.suspend",
    ]);
  });
});
