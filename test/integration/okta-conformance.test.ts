import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OktaEmulatorOptions } from "../../local/emulators/okta/index.ts";
import { type RunningOktaEmulator, startOktaEmulatorServer } from "../../local/emulators/okta/server.ts";
import { OktaSpec, parseLinks } from "../support/okta-spec.ts";

/**
 * The Okta emulator answers to Okta's management spec (vendored in test/fixtures/okta/spec): every
 * operation the adapters, the CLI, the local stack and the e2e tests call is called here, and every answer
 * (status, body schema, headers, error code) is checked against the operation in the spec.
 */

const spec = new OktaSpec();
const answers: { call: string; operationId: string | null; problems: string[] }[] = [];

const person = (name: string) => ({
  profile: {
    login: `${name}@example.com`,
    email: `${name}@example.com`,
    firstName: name,
    lastName: "Conformance",
  },
});

/** Answers the verification GET as a hook endpoint would (the emulator's `fetch` option). */
const hookEndpoint: typeof fetch = async (_input, init) => {
  const challenge = new Headers(init?.headers).get("x-okta-verification-challenge");
  return challenge === null
    ? new Response(null, { status: 200 })
    : Response.json({ verification: challenge });
};

let okta: RunningOktaEmulator;

async function start(options: OktaEmulatorOptions = {}): Promise<RunningOktaEmulator> {
  return startOktaEmulatorServer({
    estate: {
      users: [
        person("ana"),
        person("ben"),
        person("cy"),
        { ...person("dee"), status: "STAGED" },
        { ...person("eve"), status: "PROVISIONED" },
        { ...person("gone"), status: "DEPROVISIONED" },
      ],
      groups: [
        { name: "aws-dev", members: ["ana@example.com", "ben@example.com", "cy@example.com"] },
        { name: "aws-prod", members: ["ana@example.com"] },
        { name: "finance" },
      ],
      apps: [{ id: "0oaawsfederation0001", name: "amazon_aws", label: "AWS", users: ["ana@example.com"] }],
    },
    fetch: hookEndpoint,
    ...options,
  });
}

/** Calls the emulator, checks the answer against the spec, records the verdict; returns the parsed body. */
async function call(
  method: string,
  path: string,
  options: { body?: unknown; token?: string; server?: RunningOktaEmulator } = {},
): Promise<{ status: number; headers: Headers; body: unknown; problems: string[] }> {
  const server = options.server ?? okta;
  const url = path.startsWith("http") ? path : `${server.orgUrl}${path}`;
  const res = await fetch(url, {
    method,
    headers: {
      Authorization: `SSWS ${options.token ?? server.emulator.apiToken}`,
      Accept: "application/json",
      ...(options.body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await res.text();
  const verdict = spec.check(method, url, { status: res.status, headers: res.headers, text });
  answers.push({ call: `${method} ${new URL(url).pathname}`, ...verdict });
  return {
    status: res.status,
    headers: res.headers,
    body: text === "" ? undefined : (JSON.parse(text) as unknown),
    problems: verdict.problems,
  };
}

const idOf = (login: string) => okta.emulator.state.user(`${login}@example.com`)?.id ?? "";
const groupId = (name: string) => okta.emulator.state.groups().find((group) => group.name === name)?.id ?? "";

beforeAll(async () => {
  okta = await start();
});
afterAll(async () => {
  await okta.close();
});

describe("Okta emulator conformance to the management spec: users", () => {
  it("lists users (every page through Link: next), by filter, by q; gets one by id and by login", async () => {
    // Act
    const firstPage = await call("GET", "/api/v1/users?limit=2");
    const pages = [firstPage];
    let next = nextLink(firstPage.headers);
    while (next !== undefined) {
      const page = await call("GET", next);
      pages.push(page);
      next = nextLink(page.headers);
    }
    const filtered = await call(
      "GET",
      `/api/v1/users?filter=${encodeURIComponent('status eq "DEPROVISIONED"')}`,
    );
    const q = await call("GET", "/api/v1/users?q=an");
    const byId = await call("GET", `/api/v1/users/${idOf("ana")}`);
    const byLogin = await call("GET", `/api/v1/users/${encodeURIComponent("ben@example.com")}`);

    // Assess
    expect(pages.flatMap((page) => page.problems)).toEqual([]);
    expect(pages.flatMap((page) => page.body as { id: string }[]).length).toBe(5);
    expect([filtered, q, byId, byLogin].flatMap((answer) => answer.problems)).toEqual([]);
    expect(filtered.body).toMatchObject([{ status: "DEPROVISIONED" }]);
    expect(byLogin.body).toMatchObject({ profile: { login: "ben@example.com" } });
  });

  it("creates, updates and deletes a user", async () => {
    // Act
    const created = await call("POST", "/api/v1/users?activate=false", { body: person("fay") });
    const id = (created.body as { id: string }).id;
    const updated = await call("POST", `/api/v1/users/${id}`, { body: { profile: { title: "Engineer" } } });
    const deactivatedByDelete = await call("DELETE", `/api/v1/users/${id}`);
    const deleted = await call("DELETE", `/api/v1/users/${id}`);

    // Assess
    expect([created, updated, deactivatedByDelete, deleted].flatMap((answer) => answer.problems)).toEqual([]);
    expect([created.status, updated.status, deactivatedByDelete.status, deleted.status]).toEqual([
      200, 200, 204, 204,
    ]);
  });

  it("runs the lifecycle operations the pipeline uses, and answers Okta's status errors", async () => {
    // Act
    const answers = [
      await call("POST", `/api/v1/users/${idOf("cy")}/lifecycle/suspend`),
      await call("POST", `/api/v1/users/${idOf("cy")}/lifecycle/suspend`),
      await call("POST", `/api/v1/users/${idOf("cy")}/lifecycle/unsuspend`),
      await call("POST", `/api/v1/users/${idOf("cy")}/lifecycle/unsuspend`),
      await call("POST", `/api/v1/users/${idOf("cy")}/lifecycle/deactivate?sendEmail=false`),
      await call("POST", `/api/v1/users/${idOf("cy")}/lifecycle/activate?sendEmail=false`),
      await call("POST", `/api/v1/users/${idOf("cy")}/lifecycle/activate`),
      await call("POST", `/api/v1/users/${idOf("dee")}/lifecycle/activate`),
      await call("POST", `/api/v1/users/${idOf("eve")}/lifecycle/reactivate?sendEmail=false`),
      await call("POST", `/api/v1/users/${idOf("ana")}/lifecycle/reactivate`),
    ];

    // Assess
    expect(answers.flatMap((answer) => answer.problems)).toEqual([]);
    expect(answers.map((answer) => answer.status)).toEqual([
      200, 400, 200, 400, 200, 200, 403, 200, 200, 403,
    ]);
  });

  it("lists a user's groups and clears a user's sessions", async () => {
    // Act
    const groups = await call("GET", `/api/v1/users/${idOf("ana")}/groups`);
    const cleared = await call("DELETE", `/api/v1/users/${idOf("ana")}/sessions`);
    const clearedWithTokens = await call("DELETE", `/api/v1/users/${idOf("ana")}/sessions?oauthTokens=true`);

    // Assess
    expect([groups, cleared, clearedWithTokens].flatMap((answer) => answer.problems)).toEqual([]);
    expect((groups.body as unknown[]).length).toBe(2);
    expect([cleared.status, clearedWithTokens.status]).toEqual([204, 204]);
  });

  it("answers 404 E0000007 for an unknown user on every user operation", async () => {
    // Act
    const answers = [
      await call("GET", "/api/v1/users/00unosuchuser"),
      await call("POST", "/api/v1/users/00unosuchuser", { body: { profile: { title: "x" } } }),
      await call("DELETE", "/api/v1/users/00unosuchuser"),
      await call("GET", "/api/v1/users/00unosuchuser/groups"),
      await call("DELETE", "/api/v1/users/00unosuchuser/sessions"),
      await call("POST", "/api/v1/users/00unosuchuser/lifecycle/deactivate"),
      await call("POST", "/api/v1/users/00unosuchuser/lifecycle/suspend"),
    ];

    // Assess
    expect(answers.flatMap((answer) => answer.problems)).toEqual([]);
    expect(answers.map((answer) => (answer.body as { errorCode: string }).errorCode)).toEqual(
      Array(answers.length).fill("E0000007"),
    );
  });

  it("answers 400 E0000001 for a user created without the required profile", async () => {
    // Act
    const answer = await call("POST", "/api/v1/users", { body: { profile: { login: "x@example.com" } } });

    // Assess
    expect(answer.problems).toEqual([]);
    expect(answer.body).toMatchObject({ errorCode: "E0000001" });
  });
});

describe("Okta emulator conformance to the management spec: groups", () => {
  it("lists groups (pages, q, expand=stats), gets one, pages its members, adds and removes a member", async () => {
    // Act
    const pages = await followAll("/api/v1/groups?limit=2");
    const byName = await call("GET", "/api/v1/groups?q=aws-&expand=stats");
    const one = await call("GET", `/api/v1/groups/${groupId("aws-dev")}`);
    const members = await followAll(`/api/v1/groups/${groupId("aws-dev")}/users?limit=2`);
    const added = await call("PUT", `/api/v1/groups/${groupId("finance")}/users/${idOf("ben")}`);
    const addedAgain = await call("PUT", `/api/v1/groups/${groupId("finance")}/users/${idOf("ben")}`);
    const removed = await call("DELETE", `/api/v1/groups/${groupId("finance")}/users/${idOf("ben")}`);

    // Assess
    const all = [...pages, byName, one, ...members, added, addedAgain, removed];
    expect(all.flatMap((answer) => answer.problems)).toEqual([]);
    expect(pages.flatMap((page) => page.body as unknown[]).length).toBe(3);
    expect(members.flatMap((page) => page.body as unknown[]).length).toBeGreaterThanOrEqual(2);
    expect(byName.body).toMatchObject([{ _embedded: { stats: {} } }, { _embedded: { stats: {} } }]);
    expect([added.status, addedAgain.status, removed.status]).toEqual([204, 204, 204]);
  });

  it("creates and deletes a group", async () => {
    // Act
    const created = await call("POST", "/api/v1/groups", { body: { profile: { name: "aws-sandbox" } } });
    const deleted = await call("DELETE", `/api/v1/groups/${(created.body as { id: string }).id}`);
    const invalid = await call("POST", "/api/v1/groups", { body: { profile: {} } });

    // Assess
    expect([created, deleted, invalid].flatMap((answer) => answer.problems)).toEqual([]);
    expect([created.status, deleted.status, invalid.status]).toEqual([200, 204, 400]);
  });

  it("answers 404 E0000007 for an unknown group or member", async () => {
    // Act
    const answers = [
      await call("GET", "/api/v1/groups/00gnosuchgroup"),
      await call("DELETE", "/api/v1/groups/00gnosuchgroup"),
      await call("GET", "/api/v1/groups/00gnosuchgroup/users"),
      await call("PUT", `/api/v1/groups/00gnosuchgroup/users/${idOf("ana")}`),
      await call("DELETE", `/api/v1/groups/${groupId("aws-dev")}/users/00unosuchuser`),
    ];

    // Assess
    expect(answers.flatMap((answer) => answer.problems)).toEqual([]);
    expect(answers.map((answer) => answer.status)).toEqual([404, 404, 404, 404, 404]);
  });
});

describe("Okta emulator conformance to the management spec: System Log", () => {
  it("answers polling and bounded queries with LogEvents and Link headers, and errors with 400", async () => {
    // Prepare: the calls above wrote events.
    const since = new Date(Date.now() - 60 * 60 * 1000).toISOString();

    // Act
    const polling = await call("GET", `/api/v1/logs?since=${since}&sortOrder=ASCENDING&limit=3`);
    const following = await call("GET", nextLink(polling.headers) ?? "");
    const bounded = await call(
      "GET",
      `/api/v1/logs?since=${since}&until=${new Date(Date.now() + 1000).toISOString()}&sortOrder=DESCENDING&filter=${encodeURIComponent('eventType eq "user.lifecycle.suspend"')}`,
    );
    const badFilter = await call("GET", `/api/v1/logs?filter=${encodeURIComponent("eventType eq")}`);
    const badCursor = await call("GET", "/api/v1/logs?after=tampered");
    const badSince = await call("GET", "/api/v1/logs?since=yesterday");

    // Assess
    expect([polling, following, bounded, badFilter, badCursor, badSince].flatMap((a) => a.problems)).toEqual(
      [],
    );
    expect((polling.body as unknown[]).length).toBe(3);
    expect(bounded.body).toMatchObject([{ eventType: "user.lifecycle.suspend" }]);
    expect([badFilter.status, badCursor.status, badSince.status]).toEqual([400, 400, 400]);
  });
});

describe("Okta emulator conformance to the management spec: event hooks", () => {
  it("creates, verifies, activates, deactivates, replaces, gets and lists event hooks", async () => {
    // Prepare
    const hook = {
      name: "okta-aws-lifecycle",
      events: { type: "EVENT_TYPE", items: ["user.lifecycle.deactivate"] },
      channel: {
        type: "HTTP",
        version: "1.0.0",
        config: {
          uri: "https://hooks.example.com/okta",
          authScheme: { type: "HEADER", key: "Authorization", value: "a-secret-that-must-not-come-back" },
        },
      },
    };

    // Act
    const created = await call("POST", "/api/v1/eventHooks", { body: hook });
    const id = (created.body as { id: string }).id;
    const answers = [
      created,
      await call("POST", `/api/v1/eventHooks/${id}/lifecycle/verify`),
      await call("POST", `/api/v1/eventHooks/${id}/lifecycle/deactivate`),
      await call("POST", `/api/v1/eventHooks/${id}/lifecycle/activate`),
      await call("PUT", `/api/v1/eventHooks/${id}`, { body: { ...hook, name: "renamed" } }),
      await call("GET", `/api/v1/eventHooks/${id}`),
      await call("GET", "/api/v1/eventHooks"),
      await call("POST", "/api/v1/eventHooks", { body: { name: "no channel" } }),
      await call("GET", "/api/v1/eventHooks/whonosuchhook"),
      await call("POST", "/api/v1/eventHooks/whonosuchhook/lifecycle/verify"),
    ];

    // Assess
    expect(answers.flatMap((answer) => answer.problems)).toEqual([]);
    expect(answers.map((answer) => answer.status)).toEqual([
      200, 200, 200, 200, 200, 200, 200, 400, 404, 404,
    ]);
    expect(JSON.stringify(answers.map((answer) => answer.body))).not.toContain("a-secret-that-must-not");
  });
});

describe("Okta emulator conformance to the management spec: front-door errors", () => {
  it("answers 401 E0000011, 429 E0000047 and 500 E0000009 with Okta's error bodies", async () => {
    // Prepare
    const throttled = await start({ rateLimits: { "/api/v1/users": 1 } });
    try {
      // Act
      const badToken = await call("GET", "/api/v1/users", { token: "not-a-token", server: throttled });
      const allowed = await call("GET", "/api/v1/users", { server: throttled });
      const tooMany = await call("GET", "/api/v1/users", { server: throttled });
      throttled.emulator.faults.serverErrorRate = 1;
      const failed = await call("GET", `/api/v1/groups`, { server: throttled });

      // Assess
      expect([badToken, allowed, tooMany, failed].flatMap((answer) => answer.problems)).toEqual([]);
      expect([badToken.status, tooMany.status, failed.status]).toEqual([401, 429, 500]);
    } finally {
      await throttled.close();
    }
  });
});

describe("Okta emulator conformance to the management spec: answer switches", () => {
  it("logEventNulls omitted: System Log answers match the LogEvent schemas as written, no example nulls", async () => {
    // Prepare
    const strict = new OktaSpec({ exampleNulls: false });
    const omitting = await start({ answerSwitches: { logEventNulls: "omitted" } });
    try {
      const ana = omitting.emulator.state.user("ana@example.com")?.id ?? "";
      await call("POST", `/api/v1/users/${ana}/lifecycle/suspend`, { server: omitting });
      await call("DELETE", `/api/v1/users/${ana}/sessions`, { server: omitting });

      // Act
      const res = await fetch(
        `${omitting.orgUrl}/api/v1/logs?since=${new Date(Date.now() - 60_000).toISOString()}`,
        {
          headers: { Authorization: `SSWS ${omitting.emulator.apiToken}` },
        },
      );
      const text = await res.text();

      // Assess
      const verdict = strict.check("GET", res.url, { status: res.status, headers: res.headers, text });
      expect(verdict.problems).toEqual([]);
      expect(JSON.parse(text)).toHaveLength(2);
      expect(text).not.toMatch(/:null[,}\]]/);
    } finally {
      await omitting.close();
    }
  });

  it("lifecycleBody none: deactivate, suspend and unsuspend answer 200 with no body", async () => {
    // Prepare
    const bodiless = await start({ answerSwitches: { lifecycleBody: "none" } });
    try {
      const ben = bodiless.emulator.state.user("ben@example.com")?.id ?? "";

      // Act
      const answers = [
        await call("POST", `/api/v1/users/${ben}/lifecycle/suspend`, { server: bodiless }),
        await call("POST", `/api/v1/users/${ben}/lifecycle/unsuspend`, { server: bodiless }),
        await call("POST", `/api/v1/users/${ben}/lifecycle/deactivate`, { server: bodiless }),
        await call("POST", `/api/v1/users/${ben}/lifecycle/activate?sendEmail=false`, { server: bodiless }),
      ];

      // Assess
      expect(answers.flatMap((answer) => answer.problems)).toEqual([]);
      expect(answers.map((answer) => [answer.status, answer.body === undefined])).toEqual([
        [200, true],
        [200, true],
        [200, true],
        [200, false],
      ]);
    } finally {
      await bodiless.close();
    }
  });
});

describe("Okta emulator conformance to the management spec: a user's app links", () => {
  it("lists an assigned user's app links, none for an unassigned one, and 404 for an unknown user", async () => {
    // Act
    const assigned = await call("GET", `/api/v1/users/${idOf("ana")}/appLinks`);
    const unassigned = await call("GET", `/api/v1/users/${idOf("ben")}/appLinks`);
    const unknown = await call("GET", "/api/v1/users/00unobody00000000000/appLinks");

    // Assess
    expect([assigned, unassigned, unknown].flatMap((answer) => answer.problems)).toEqual([]);
    expect(assigned.body).toMatchObject([
      { appInstanceId: "0oaawsfederation0001", appName: "amazon_aws", id: idOf("ana") },
    ]);
    expect(unassigned.body).toEqual([]);
    expect(unknown.status).toBe(404);
  });
});

describe("Okta emulator conformance to the management spec: unsupported methods", () => {
  it("answers a method the path does not support with E0000022 as the catalogue documents it", async () => {
    // Act
    const res = await fetch(`${okta.orgUrl}/api/v1/users/${idOf("ana")}/groups`, {
      method: "POST",
      headers: { Authorization: `SSWS ${okta.emulator.apiToken}` },
    });
    const body = (await res.json()) as { errorCode: string };

    // Assess
    expect(spec.operation("POST", new URL(res.url).pathname)).toBeUndefined();
    expect(spec.checkErrorCode("POST listUserGroups", res.status, body)).toEqual([]);
    expect(body.errorCode).toBe("E0000022");
  });
});

describe("Okta emulator conformance to the management spec: coverage", () => {
  it("has called every vendored operation and validated every answer", () => {
    // Assess
    const called = new Set(answers.map((answer) => answer.operationId));
    const vendored = spec.operations.map((op) => String(op.definition.operationId));
    expect(vendored.filter((operationId) => !called.has(operationId))).toEqual([]);
    expect(answers.filter((answer) => answer.operationId === null)).toEqual([]);
    expect(answers.length).toBeGreaterThan(60);
  });
});

function nextLink(headers: Headers): string | undefined {
  const links = parseLinks(headers);
  return typeof links === "string" ? undefined : links.find((link) => link.rel === "next")?.url;
}

async function followAll(first: string) {
  const pages = [await call("GET", first)];
  for (let next = nextLink(pages[0]?.headers ?? new Headers()); next !== undefined; ) {
    const page = await call("GET", next);
    pages.push(page);
    next = nextLink(page.headers);
  }
  return pages;
}
