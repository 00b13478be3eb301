import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { Client } from "@okta/okta-sdk-nodejs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OktaAnswerSwitches, OktaEmulator } from "../../local/emulators/okta/index.ts";
import { startOktaEmulatorServer } from "../../local/emulators/okta/server.ts";
import { OktaSpec } from "../support/okta-spec.ts";

/**
 * Okta's official Node SDK (@okta/okta-sdk-nodejs), used as a new user would (a Client with orgUrl and an
 * SSWS token), against the emulator: it must parse every answer without an error and see the fields
 * populated, and every answer it receives must conform to the vendored management spec.
 *
 * The SDK (8.x) accepts an `http://` org URL as it is (no HTTPS check), so no setting is needed for the
 * loopback emulator.
 */

const spec = new OktaSpec();

interface Org {
  emulator: OktaEmulator;
  orgUrl: string;
  client: Client;
  /** `METHOD path?query` of every request the SDK made. */
  requests: string[];
  /** Spec problems in the answers the SDK received. */
  problems: string[];
  close(): Promise<void>;
}

const person = (name: string) => ({
  profile: { login: `${name}@example.com`, email: `${name}@example.com`, firstName: name, lastName: "Sdk" },
});

/**
 * The emulator on its own server behind a recording proxy (the org URL the SDK is given): every answer is
 * checked against the spec on its way to the SDK. The emulator builds its links on the proxy's URL.
 */
async function startOrg(answerSwitches: Partial<OktaAnswerSwitches> = {}): Promise<Org> {
  const requests: string[] = [];
  const problems: string[] = [];
  let upstream = "";
  const proxy: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    void relay(req, res);
  });
  const relay = async (req: IncomingMessage, res: ServerResponse) => {
    const body = Buffer.from(await new Response(Readable.toWeb(req) as ReadableStream).arrayBuffer());
    const answer = await fetch(`${upstream}${req.url}`, {
      method: req.method ?? "GET",
      headers: Object.entries(req.headers).flatMap(([name, value]) =>
        name === "host" || value === undefined ? [] : [[name, String(value)] as [string, string]],
      ),
      ...(body.length === 0 ? {} : { body }),
    });
    const text = await answer.text();
    const url = `${orgUrl}${req.url}`;
    problems.push(
      ...spec.check(req.method ?? "GET", url, { status: answer.status, headers: answer.headers, text })
        .problems,
    );
    const headers: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (name !== "content-length" && name !== "transfer-encoding" && name !== "connection")
        headers[name] = value;
    });
    res.writeHead(answer.status, headers).end(text);
  };
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const orgUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const running = await startOktaEmulatorServer({
    orgUrl,
    answerSwitches,
    estate: {
      users: [person("ana"), person("ben"), person("cy"), person("dan"), person("eva")],
      groups: [
        { name: "aws-dev", members: ["ana@example.com", "ben@example.com", "cy@example.com"] },
        { name: "aws-prod" },
        { name: "finance" },
      ],
    },
  });
  upstream = running.orgUrl;
  // Exactly as a new user would: the org URL and an SSWS API token.
  const client = new Client({ orgUrl, token: running.emulator.apiToken });
  return {
    emulator: running.emulator,
    orgUrl,
    client,
    requests,
    problems,
    close: async () => {
      await running.close();
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}

/** Every item of an SDK collection (it yields `null` past the last item of a page it could not fill). */
async function all<T>(collection: AsyncIterable<T | null>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of collection) if (item !== null) items.push(item);
  return items;
}

describe.each([
  { logEventNulls: "as-example", lifecycleBody: "empty-object" },
  { logEventNulls: "omitted", lifecycleBody: "none" },
] as const)("the official Okta Node SDK against the emulator (%o)", (answerSwitches) => {
  let org: Org;
  beforeAll(async () => {
    org = await startOrg(answerSwitches);
  });
  afterAll(async () => {
    await org.close();
  });
  const idOf = (name: string) => org.emulator.state.user(`${name}@example.com`)?.id ?? "";
  const groupId = (name: string) =>
    org.emulator.state.groups().find((group) => group.name === name)?.id ?? "";

  it("gets a user and lists users, following Link: next across pages", async () => {
    // Act
    const ana = await org.client.userApi.getUser({ userId: idOf("ana") });
    const users = await all(await org.client.userApi.listUsers({ limit: 2 }));

    // Assess
    expect(ana).toMatchObject({ id: idOf("ana"), status: "ACTIVE", profile: { login: "ana@example.com" } });
    expect(ana.created).toBeInstanceOf(Date);
    expect(ana._links?.self?.href).toBe(`${org.orgUrl}/api/v1/users/${idOf("ana")}`);
    expect(users.map((user) => user.profile?.login).sort()).toEqual(
      ["ana", "ben", "cy", "dan", "eva"].map((name) => `${name}@example.com`),
    );
    expect(org.requests.filter((request) => request.startsWith("GET /api/v1/users?")).length).toBe(3);
    expect(org.problems).toEqual([]);
  });

  it("suspends, unsuspends, deactivates and activates a user", async () => {
    // Act
    await org.client.userApi.suspendUser({ userId: idOf("dan") });
    const suspended = await org.client.userApi.getUser({ userId: idOf("dan") });
    await org.client.userApi.unsuspendUser({ userId: idOf("dan") });
    await org.client.userApi.deactivateUser({ userId: idOf("dan"), sendEmail: false });
    const deactivated = await org.client.userApi.getUser({ userId: idOf("dan") });
    const token = await org.client.userApi.activateUser({ userId: idOf("dan"), sendEmail: false });
    const activated = await org.client.userApi.getUser({ userId: idOf("dan") });

    // Assess
    expect([suspended.status, deactivated.status, activated.status]).toEqual([
      "SUSPENDED",
      "DEPROVISIONED",
      "ACTIVE",
    ]);
    expect(token.activationToken).toEqual(expect.any(String));
    expect(token.activationUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(org.problems).toEqual([]);
  });

  it("lists groups and members across pages, adds and removes a member", async () => {
    // Act
    const groups = await all(await org.client.groupApi.listGroups({ limit: 2 }));
    const members = await all(
      await org.client.groupApi.listGroupUsers({ groupId: groupId("aws-dev"), limit: 2 }),
    );
    await org.client.groupApi.assignUserToGroup({ groupId: groupId("finance"), userId: idOf("eva") });
    const afterAdd = await all(await org.client.groupApi.listGroupUsers({ groupId: groupId("finance") }));
    await org.client.groupApi.unassignUserFromGroup({ groupId: groupId("finance"), userId: idOf("eva") });
    const afterRemove = await all(await org.client.groupApi.listGroupUsers({ groupId: groupId("finance") }));

    // Assess
    expect(groups.map((group) => group.profile?.name).sort()).toEqual(["aws-dev", "aws-prod", "finance"]);
    expect(groups.every((group) => group.type === "OKTA_GROUP" && group.id !== undefined)).toBe(true);
    expect(members.map((user) => user.profile?.login).sort()).toEqual(
      ["ana", "ben", "cy"].map((name) => `${name}@example.com`),
    );
    expect(afterAdd.map((user) => user.id)).toEqual([idOf("eva")]);
    expect(afterRemove).toEqual([]);
    expect(org.requests.filter((request) => request.startsWith("GET /api/v1/groups?")).length).toBe(2);
    expect(org.problems).toEqual([]);
  });

  it("revokes a user's sessions and reads the System Log", async () => {
    // Act
    await org.client.userApi.revokeUserSessions({ userId: idOf("ben"), oauthTokens: true });
    const since = new Date(Date.now() - 60_000).toISOString();
    const page = await org.client.systemLogApi.listLogEvents({ since, limit: 100 });
    const events: NonNullable<Awaited<ReturnType<typeof page.next>>["value"]>[] = [];
    // A polling query's next link never ends (System Log API): read the first page only.
    for await (const event of page) {
      if (event !== null) events.push(event);
      if (events.length === org.emulator.systemLog.all().length) break;
    }

    // Assess
    expect(events.map((event) => event.eventType)).toContain("user.session.clear");
    const clear = events.find((event) => event.eventType === "user.session.clear");
    expect(clear?.uuid).toEqual(expect.any(String));
    expect(clear?.published).toBeInstanceOf(Date);
    expect(clear?.actor?.alternateId).toBe("admin@example.com");
    expect(clear?.target?.[0]?.id).toBe(idOf("ben"));
    expect(org.problems).toEqual([]);
  });
});
