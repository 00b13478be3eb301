import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { text } from "node:stream/consumers";
import { afterEach, describe, expect, it } from "vitest";
import { OktaAdapter } from "../../adapters/okta.ts";
import { parseHookBody } from "../../core/okta/hook-envelope.ts";
import { normalize } from "../../core/okta/normalize.ts";
import type { OktaEmulatorOptions } from "../../local/emulators/okta/index.ts";
import { type RunningOktaEmulator, startOktaEmulatorServer } from "../../local/emulators/okta/server.ts";

const SECRET = "hook-secret-value";
const DOC_QUOTES = JSON.parse(
  readFileSync(new URL("../fixtures/okta/docs/event-hooks-concept.quotes.json", import.meta.url), "utf8"),
) as { https: string; limit: string };

interface Received {
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
}
type Answer = { status: number; body?: string } | "hang";
type Responder = (request: Received, postIndex: number) => Answer | Promise<Answer>;

/** A stand-in for the pipeline's hook endpoint: answers verification, records every call. */
interface Receiver {
  url: string;
  requests: Received[];
  posts: () => Received[];
  close(): Promise<void>;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/** By default: the verification challenge is echoed, deliveries get 200. */
async function startReceiver(respond: Responder = () => ({ status: 200 })): Promise<Receiver> {
  const requests: Received[] = [];
  let posts = 0;
  const server: Server = createServer(async (req, res) => {
    const received = { method: req.method ?? "", headers: req.headers, body: await text(req) };
    requests.push(received);
    if (req.method === "GET") {
      const challenge = req.headers["x-okta-verification-challenge"];
      res
        .writeHead(200, { "Content-Type": "application/json" })
        .end(JSON.stringify({ verification: challenge }));
      return;
    }
    const answer = await respond(received, posts++);
    if (answer === "hang") return;
    res.writeHead(answer.status).end(answer.body ?? "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}/hooks/okta`,
    requests,
    posts: () => requests.filter((request) => request.method === "POST"),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  cleanups.push(() => receiver.close());
  return receiver;
}

async function startOkta(options: OktaEmulatorOptions = {}) {
  const okta: RunningOktaEmulator = await startOktaEmulatorServer({
    estate: {
      users: ["ana", "ben", "cy", "dee"].map((name) => ({
        profile: {
          login: `${name}@example.com`,
          email: `${name}@example.com`,
          firstName: name,
          lastName: "Test",
        },
      })),
      groups: [{ name: "aws-dev" }],
    },
    ...options,
  });
  // The receivers here listen on http://127.0.0.1: the local stack's named exception to Okta's HTTPS rule.
  okta.emulator.hookRegistry.allowLoopbackHttp = true;
  cleanups.push(() => okta.close());
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${okta.orgUrl}${path}`, {
      method,
      headers: { Authorization: `SSWS ${okta.emulator.apiToken}`, "Content-Type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const userId = (name: string) => okta.emulator.state.user(`${name}@example.com`)?.id ?? "";
  const groupId = okta.emulator.state.groupNamed("aws-dev")?.id ?? "";
  return { okta, call, userId, groupId };
}

/** Registers a hook through the Management API and verifies it; returns the hook JSON. */
async function registerHook(
  call: (method: string, path: string, body?: unknown) => Promise<Response>,
  uri: string,
  events = ["user.lifecycle.deactivate", "user.lifecycle.suspend", "group.user_membership.add"],
): Promise<{ id: string; verificationStatus: string }> {
  const created = await call("POST", "/api/v1/eventHooks", {
    name: "okta-aws-lifecycle",
    events: { type: "EVENT_TYPE", items: events },
    channel: {
      type: "HTTP",
      version: "1.0.0",
      config: {
        uri,
        headers: [{ key: "X-Other-Header", value: "other" }],
        authScheme: { type: "HEADER", key: "Authorization", value: SECRET },
      },
    },
  });
  const hook = (await created.json()) as { id: string };
  const verified = await call("POST", `/api/v1/eventHooks/${hook.id}/lifecycle/verify`);
  return (await verified.json()) as { id: string; verificationStatus: string };
}

describe("Okta emulator event hooks: registration and verification", () => {
  it("verifies with a GET carrying X-Okta-Verification-Challenge and the auth header, and never echoes the secret", async () => {
    // Prepare
    const receiver = await startReceiver();
    const { call } = await startOkta();

    // Act
    const hook = await registerHook(call, receiver.url);
    const listed = (await (await call("GET", "/api/v1/eventHooks")).json()) as unknown[];
    const fetched = await (await call("GET", `/api/v1/eventHooks/${hook.id}`)).json();

    // Assess
    expect(hook.verificationStatus).toBe("VERIFIED");
    expect(receiver.requests).toHaveLength(1);
    const [verification] = receiver.requests;
    expect(verification?.method).toBe("GET");
    expect(verification?.headers["x-okta-verification-challenge"]).toMatch(/^[0-9A-Za-z]{32}$/);
    expect(verification?.headers.authorization).toBe(SECRET);
    expect(listed).toHaveLength(1);
    expect(fetched).toMatchObject({
      id: hook.id,
      channel: { config: { authScheme: { key: "Authorization" } } },
    });
    expect(JSON.stringify([listed, fetched, hook])).not.toContain(SECRET);
  });

  it("refuses verification when the endpoint does not echo the challenge, and delivers nothing to it", async () => {
    // Prepare: an endpoint that answers GET with the wrong value
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(req.method ?? "");
      res.writeHead(200, { "Content-Type": "application/json" }).end('{"verification":"nope"}');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
    const uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const { okta, call, userId } = await startOkta();

    // Act
    const created = (await (
      await call("POST", "/api/v1/eventHooks", {
        name: "bad",
        events: { type: "EVENT_TYPE", items: ["user.lifecycle.deactivate"] },
        channel: { type: "HTTP", version: "1.0.0", config: { uri } },
      })
    ).json()) as { id: string };
    const verify = await call("POST", `/api/v1/eventHooks/${created.id}/lifecycle/verify`);
    await call("POST", `/api/v1/users/${userId("ana")}/lifecycle/deactivate`);
    await okta.emulator.hooks.idle();

    // Assess
    expect(verify.status).toBe(400);
    expect(await verify.json()).toMatchObject({ errorCode: "E0000001" });
    expect(okta.emulator.hookRegistry.get(created.id)?.verificationStatus).toBe("UNVERIFIED");
    expect(requests).toEqual(["GET"]);
    expect(okta.emulator.hooks.deliveries).toEqual([]);
  });
});

describe("Okta emulator event hooks: the concept page's rules", () => {
  const hookBody = (uri: string) => ({
    name: "okta-aws-lifecycle",
    events: { type: "EVENT_TYPE", items: ["user.lifecycle.deactivate"] },
    channel: { type: "HTTP", version: "1.0.0", config: { uri } },
  });

  it("takes only HTTPS hook URIs, and loopback http only behind allowLoopbackHttp", async () => {
    // Prepare: "They take the form of HTTPS REST calls to a URL you specify"
    expect(DOC_QUOTES.https).toContain("HTTPS REST calls");
    const { okta, call } = await startOkta();
    okta.emulator.hookRegistry.allowLoopbackHttp = false;

    // Act
    const plainHttp = await call("POST", "/api/v1/eventHooks", hookBody("http://hooks.example.com/okta"));
    const loopbackWithout = await call("POST", "/api/v1/eventHooks", hookBody("http://127.0.0.1:9/okta"));
    const https = await call("POST", "/api/v1/eventHooks", hookBody("https://hooks.example.com/okta"));
    okta.emulator.hookRegistry.allowLoopbackHttp = true;
    const loopbackWith = await call("POST", "/api/v1/eventHooks", hookBody("http://127.0.0.1:9/okta"));
    const remoteWith = await call("POST", "/api/v1/eventHooks", hookBody("http://hooks.example.com/okta"));

    // Assess
    expect([
      plainHttp.status,
      loopbackWithout.status,
      https.status,
      loopbackWith.status,
      remoteWith.status,
    ]).toEqual([400, 400, 200, 200, 400]);
    const refused = (await plainHttp.json()) as {
      errorCode: string;
      errorCauses: { errorSummary: string }[];
    };
    expect(refused.errorCode).toBe("E0000001");
    expect(refused.errorCauses[0]?.errorSummary).toMatch(/^channel\.config\.uri: must use https/);
    const loopback = (await loopbackWithout.json()) as { errorCauses: { errorSummary: string }[] };
    expect(loopback.errorCauses[0]?.errorSummary).toContain("hookRegistry.allowLoopbackHttp");
  });

  it("verifies up to 25 active hooks and refuses the 26th", async () => {
    // Prepare: "You can have a maximum of 25 active and verified event hooks set up in your org"
    expect(DOC_QUOTES.limit).toContain("maximum of 25 active and verified event hooks");
    const receiver = await startReceiver();
    const { call } = await startOkta({ rateLimits: { "/api/v1/eventHooks": 1000 } });

    // Act
    const answers: Record<string, unknown>[] = [];
    for (let i = 0; i < 26; i += 1) answers.push(await registerHook(call, receiver.url));

    // Assess
    expect(answers.slice(0, 25).every((answer) => answer.verificationStatus === "VERIFIED")).toBe(true);
    expect(answers[25]).toMatchObject({
      errorCode: "E0000001",
      errorCauses: [{ errorSummary: "At most 25 active, verified event hooks" }],
    });
  });
});

describe("Okta emulator event hooks: delivery", () => {
  it("POSTs an envelope core/okta accepts, with the configured Authorization header", async () => {
    // Prepare
    const receiver = await startReceiver();
    const { okta, call, userId } = await startOkta();
    const hook = await registerHook(call, receiver.url);

    // Act
    await call("POST", `/api/v1/users/${userId("ana")}/lifecycle/deactivate`);
    await okta.emulator.hooks.idle();

    // Assess
    const [post] = receiver.posts();
    expect(post?.headers.authorization).toBe(SECRET);
    expect(post?.headers["content-type"]).toBe("application/json");
    expect(post?.headers.accept).toBe("application/json");
    expect(post?.headers["x-other-header"]).toBe("other");
    expect(post?.headers["user-agent"]).toBe("Okta-Integrations");
    expect(post?.headers["x-okta-request-id"]).toMatch(/^[0-9A-Za-z]{27}$/);
    const body = JSON.parse(post?.body ?? "null");
    expect(body).toMatchObject({
      eventType: "com.okta.event_hook",
      eventTypeVersion: "1.0",
      cloudEventsVersion: "0.1",
      contentType: "application/json",
      source: `${okta.orgUrl}/api/v1/eventHooks/${hook.id}`,
      eventId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      eventTime: expect.stringMatching(/Z$/),
    });
    const parsed = parseHookBody(body);
    if (!parsed.success) throw new Error(JSON.stringify(parsed.errors));
    const [event] = parsed.data.events;
    if (!event?.success) throw new Error("the delivered event must be a valid LogEvent");
    expect(normalize(event.event, { provisioningAppIds: [] })).toMatchObject({
      kind: "leaver",
      user: { id: userId("ana"), login: "ana@example.com" },
    });
    const [record] = okta.emulator.hooks.deliveries;
    expect(record).toMatchObject({
      outcome: "delivered",
      eventId: body.eventId,
      eventTypes: ["user.lifecycle.deactivate"],
    });
    expect(record?.attempts.map((attempt) => attempt.status)).toEqual([200]);
    expect(record?.eventUuids).toEqual(okta.emulator.systemLog.all().map((logged) => logged.uuid));
  });

  it("answers the API call while the delivery is still in flight (delivery never blocks the change)", async () => {
    // Prepare: the endpoint holds the delivery until the test lets it go
    let arrived: () => void = () => {};
    const delivered = new Promise<void>((resolve) => (arrived = resolve));
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const receiver = await startReceiver(async () => {
      arrived();
      await held;
      return { status: 200 };
    });
    const { okta, call, userId } = await startOkta({ hookDelivery: { batchWindowMs: 5 } });
    await registerHook(call, receiver.url);

    // Act
    const response = await call("POST", `/api/v1/users/${userId("ana")}/lifecycle/suspend`);
    await delivered;
    const inFlight = okta.emulator.hooks.deliveries.map((record) => [record.outcome, record.attempts.length]);
    release();
    await okta.emulator.hooks.idle();

    // Assess
    expect(response.status).toBe(200);
    expect(inFlight).toEqual([["pending", 0]]);
    expect(okta.emulator.hooks.deliveries.map((record) => record.outcome)).toEqual(["delivered"]);
  });

  it("batches events that occur together into one delivery, and later ones into another", async () => {
    // Prepare
    const receiver = await startReceiver();
    const { okta, call, userId, groupId } = await startOkta({ hookDelivery: { batchWindowMs: 300 } });
    await registerHook(call, receiver.url);

    // Act
    await Promise.all(
      ["ana", "ben", "cy"].map((name) => call("PUT", `/api/v1/groups/${groupId}/users/${userId(name)}`)),
    );
    await call("POST", `/api/v1/users/${userId("dee")}/lifecycle/deactivate`);
    await okta.emulator.hooks.idle();
    await call("POST", `/api/v1/users/${userId("ana")}/lifecycle/suspend`);
    await okta.emulator.hooks.idle();

    // Assess
    const bodies = receiver
      .posts()
      .map((post) => JSON.parse(post.body) as { data: { events: { eventType: string }[] } });
    expect(bodies.map((body) => body.data.events.map((event) => event.eventType).sort())).toEqual([
      [
        "group.user_membership.add",
        "group.user_membership.add",
        "group.user_membership.add",
        "user.lifecycle.deactivate",
      ],
      ["user.lifecycle.suspend"],
    ]);
    expect(okta.emulator.hooks.deliveries.map((record) => record.eventUuids.length)).toEqual([4, 1]);
  });

  it("delivers only subscribed event types", async () => {
    // Prepare
    const receiver = await startReceiver();
    const { okta, call, userId, groupId } = await startOkta({ hookDelivery: { batchWindowMs: 5 } });
    await registerHook(call, receiver.url, ["user.lifecycle.deactivate"]);

    // Act
    await call("PUT", `/api/v1/groups/${groupId}/users/${userId("ana")}`);
    await call("DELETE", `/api/v1/users/${userId("ana")}/sessions`);
    await okta.emulator.hooks.idle();

    // Assess
    expect(receiver.posts()).toEqual([]);
    expect(okta.emulator.systemLog.all()).toHaveLength(2);
  });

  it("retries once on a 500 and then stops", async () => {
    // Prepare
    const receiver = await startReceiver(() => ({ status: 500 }));
    const { okta, call, userId } = await startOkta({ hookDelivery: { batchWindowMs: 5 } });
    await registerHook(call, receiver.url);

    // Act
    await call("POST", `/api/v1/users/${userId("ana")}/lifecycle/deactivate`);
    await okta.emulator.hooks.idle();

    // Assess
    const posts = receiver.posts();
    expect(posts).toHaveLength(2);
    expect(new Set(posts.map((post) => JSON.parse(post.body).eventId)).size).toBe(1);
    const [record] = okta.emulator.hooks.deliveries;
    expect(record?.outcome).toBe("failed");
    expect(record?.attempts.map((attempt) => attempt.status)).toEqual([500, 500]);
  });

  it("succeeds on the retry when the endpoint recovers", async () => {
    // Prepare
    const receiver = await startReceiver((_request, index) => ({ status: index === 0 ? 503 : 204 }));
    const { okta, call, userId } = await startOkta({ hookDelivery: { batchWindowMs: 5 } });
    await registerHook(call, receiver.url);

    // Act
    await call("POST", `/api/v1/users/${userId("ana")}/lifecycle/deactivate`);
    await okta.emulator.hooks.idle();

    // Assess
    const [record] = okta.emulator.hooks.deliveries;
    expect(record?.outcome).toBe("delivered");
    expect(record?.attempts.map((attempt) => attempt.status)).toEqual([503, 204]);
  });

  it("never retries a 4xx", async () => {
    // Prepare
    const receiver = await startReceiver(() => ({ status: 400, body: '{"error":"bad"}' }));
    const { okta, call, userId } = await startOkta({ hookDelivery: { batchWindowMs: 5 } });
    await registerHook(call, receiver.url);

    // Act
    await call("POST", `/api/v1/users/${userId("ana")}/lifecycle/deactivate`);
    await okta.emulator.hooks.idle();

    // Assess
    expect(receiver.posts()).toHaveLength(1);
    const [record] = okta.emulator.hooks.deliveries;
    expect(record?.outcome).toBe("failed");
    expect(record?.attempts.map((attempt) => attempt.status)).toEqual([400]);
  });

  it("retries once after a timeout (a short timeout stands in for Okta's 3 s)", async () => {
    // Prepare: the first delivery never gets an answer, the retry does
    const receiver = await startReceiver((_request, index) => (index === 0 ? "hang" : { status: 200 }));
    const { okta, call, userId } = await startOkta({ hookDelivery: { batchWindowMs: 5, timeoutMs: 100 } });
    await registerHook(call, receiver.url);

    // Act
    await call("POST", `/api/v1/users/${userId("ana")}/lifecycle/deactivate`);
    await okta.emulator.hooks.idle();

    // Assess
    const [record] = okta.emulator.hooks.deliveries;
    expect(record?.outcome).toBe("delivered");
    expect(record?.attempts.map((attempt) => [attempt.status, attempt.error])).toEqual([
      [null, "timeout"],
      [200, null],
    ]);
    expect(receiver.posts()).toHaveLength(2);
  });

  it("gives up after the retry also times out", async () => {
    // Prepare
    const receiver = await startReceiver(() => "hang");
    const { okta, call, userId } = await startOkta({ hookDelivery: { batchWindowMs: 5, timeoutMs: 50 } });
    await registerHook(call, receiver.url);

    // Act
    await call("POST", `/api/v1/users/${userId("ana")}/lifecycle/deactivate`);
    await okta.emulator.hooks.idle();

    // Assess
    const [record] = okta.emulator.hooks.deliveries;
    expect(record?.outcome).toBe("failed");
    expect(record?.attempts.map((attempt) => attempt.error)).toEqual(["timeout", "timeout"]);
  });

  it("drops deliveries when switched off, leaving the event for the System Log poller", async () => {
    // Prepare
    const receiver = await startReceiver();
    const { okta, call, userId } = await startOkta({ hookDelivery: { batchWindowMs: 5 } });
    await registerHook(call, receiver.url);
    okta.emulator.hooks.dropDeliveries = true;
    const adapter = new OktaAdapter({ orgUrl: okta.orgUrl, token: okta.emulator.apiToken });

    // Act
    await call("POST", `/api/v1/users/${userId("ana")}/lifecycle/deactivate`);
    await okta.emulator.hooks.idle();
    const polled = await adapter.systemLogPage({ since: new Date(Date.now() - 3_600_000) });

    // Assess
    expect(receiver.posts()).toEqual([]);
    expect(okta.emulator.hooks.deliveries.map((record) => [record.outcome, record.attempts.length])).toEqual([
      ["dropped", 0],
    ]);
    expect(polled.events.map((event) => (event as { eventType: string }).eventType)).toEqual([
      "user.lifecycle.deactivate",
    ]);
  });
});

describe("Okta emulator event hooks: seeded chaos (drop, duplicate, delay)", () => {
  /** One batch per event, so each lifecycle call below is its own delivery. */
  const oneEventPerBatch = { hookDelivery: { maxBatchSize: 1, batchWindowMs: 5 } };
  const postedEventIds = (receiver: Receiver) =>
    receiver.posts().map((post) => (JSON.parse(post.body) as { eventId: string }).eventId);
  const postedTypes = (receiver: Receiver) =>
    receiver
      .posts()
      .map((post) => (JSON.parse(post.body) as { data: { events: { eventType: string }[] } }).data.events)
      .map((events) => events.map((event) => event.eventType).join(","));

  it("records a seeded share of batches as dropped and never sends them; the System Log still has them", async () => {
    // Prepare: with seed 3 and dropRate 0.5, the third of four batches is dropped
    const receiver = await startReceiver();
    const { okta, call, userId } = await startOkta(oneEventPerBatch);
    await registerHook(call, receiver.url);
    okta.emulator.hooks.chaos.reseed(3);
    okta.emulator.hooks.chaos.dropRate = 0.5;

    // Act
    await call("POST", `/api/v1/users/${userId("ana")}/lifecycle/deactivate`);
    await call("POST", `/api/v1/users/${userId("ben")}/lifecycle/suspend`);
    await call("POST", `/api/v1/users/${userId("cy")}/lifecycle/deactivate`);
    await call("POST", `/api/v1/users/${userId("dee")}/lifecycle/suspend`);
    await okta.emulator.hooks.idle();

    // Assess
    const records = okta.emulator.hooks.deliveries;
    expect(records.map((record) => [record.outcome, record.chaos])).toEqual([
      ["delivered", []],
      ["delivered", []],
      ["dropped", ["dropped"]],
      ["delivered", []],
    ]);
    const dropped = records[2];
    expect(dropped?.attempts).toEqual([]);
    expect(postedEventIds(receiver)).toEqual(
      records.filter((record) => record.outcome === "delivered").map((record) => record.eventId),
    );
    const bodies = receiver.posts().map((post) => post.body);
    expect(bodies.some((body) => body.includes(dropped?.eventUuids[0] ?? "none"))).toBe(false);
    expect(okta.emulator.systemLog.all().map((event) => event.uuid)).toContain(dropped?.eventUuids[0]);
  });

  it("delivers a duplicated batch twice, as a second POST of the same envelope, and idle() waits for it", async () => {
    // Prepare: every batch is duplicated 150 ms after its (100 ms delayed) first send
    const receiver = await startReceiver();
    const { okta, call, userId } = await startOkta(oneEventPerBatch);
    await registerHook(call, receiver.url);
    const { chaos } = okta.emulator.hooks;
    chaos.duplicateRate = 1;
    chaos.delayMs = { min: 100, max: 100 };
    chaos.duplicateGapMs = { min: 150, max: 150 };

    // Act
    await call("POST", `/api/v1/users/${userId("ana")}/lifecycle/deactivate`);
    await okta.emulator.hooks.idle();

    // Assess: both sendings arrived before idle() resolved
    const posts = receiver.posts();
    expect(posts).toHaveLength(2);
    expect(posts[0]?.body).toBe(posts[1]?.body);
    expect(
      okta.emulator.hooks.deliveries.map((record) => [record.outcome, record.chaos, record.delayMs]),
    ).toEqual([
      ["delivered", ["delayed"], 100],
      ["delivered", ["duplicate"], 250],
    ]);
    expect(new Set(okta.emulator.hooks.deliveries.map((record) => record.eventId)).size).toBe(1);
  });

  it("holds each batch back a seeded delay, so batches can arrive in another order than they occurred", async () => {
    // Prepare: with seed 6 and delays in [0, 300] ms, the first batch waits 199 ms and the second 1 ms
    const receiver = await startReceiver();
    const { okta, call, userId } = await startOkta(oneEventPerBatch);
    await registerHook(call, receiver.url);
    okta.emulator.hooks.chaos.reseed(6);
    okta.emulator.hooks.chaos.delayMs = { min: 0, max: 300 };

    // Act
    await call("POST", `/api/v1/users/${userId("ana")}/lifecycle/deactivate`);
    await call("POST", `/api/v1/users/${userId("ben")}/lifecycle/suspend`);
    await okta.emulator.hooks.idle();

    // Assess: occurrence order (records) and arrival order (receiver) differ
    const records = okta.emulator.hooks.deliveries;
    expect(records.map((record) => [record.eventTypes.join(","), record.delayMs, record.chaos])).toEqual([
      ["user.lifecycle.deactivate", 199, ["delayed"]],
      ["user.lifecycle.suspend", 1, ["delayed"]],
    ]);
    expect(postedTypes(receiver)).toEqual(["user.lifecycle.suspend", "user.lifecycle.deactivate"]);
    expect(records.map((record) => record.outcome)).toEqual(["delivered", "delivered"]);
  });

  it("the emulator seed fixes the fates, and switching chaos on changes no id", async () => {
    // Prepare: the same seed twice with chaos on, once with it off
    const runs: { fates: string[]; eventIds: string[]; logged: string[] }[] = [];
    for (const chaosOn of [true, true, false]) {
      const receiver = await startReceiver();
      const { okta, call, userId } = await startOkta({ ...oneEventPerBatch, seed: 3 });
      await registerHook(call, receiver.url);
      if (chaosOn) {
        okta.emulator.hooks.chaos.dropRate = 0.4;
        okta.emulator.hooks.chaos.duplicateRate = 0.4;
        okta.emulator.hooks.chaos.duplicateGapMs = { min: 1, max: 5 };
      }

      // Act
      for (const name of ["ana", "ben", "cy", "dee"])
        await call("POST", `/api/v1/users/${userId(name)}/lifecycle/deactivate`);
      await okta.emulator.hooks.idle();
      const records = okta.emulator.hooks.deliveries;
      runs.push({
        fates: records.map((record) => record.chaos.join("+") || "plain"),
        eventIds: [...new Set(records.map((record) => record.eventId))],
        logged: okta.emulator.systemLog.all().map((event) => String(event.uuid)),
      });
    }

    // Assess
    const [first, second, calm] = runs;
    expect(first?.fates).toEqual(second?.fates);
    expect(first?.fates).toEqual(["plain", "dropped", "plain", "duplicate", "plain", "duplicate"]);
    expect(calm?.fates).toEqual(["plain", "plain", "plain", "plain"]);
    expect(first?.eventIds).toEqual(calm?.eventIds);
    expect(first?.logged).toEqual(calm?.logged);
  });
});
