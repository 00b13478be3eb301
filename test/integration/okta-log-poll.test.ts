import type { Context } from "aws-lambda";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createIdempotentPublisher, type PublishOutcome } from "../../adapters/idempotent-publisher.ts";
import type { LifecycleBusDetail } from "../../adapters/lifecycle-bus.ts";
import { OktaAdapter, type SystemLogQuery } from "../../adapters/okta.ts";
import { SystemLogCursor } from "../../adapters/system-log-cursor.ts";
import { type RunningOktaEmulator, startOktaEmulatorServer } from "../../local/emulators/okta/server.ts";
import { lambdaContext } from "../../local/runtime/lambda-context.ts";
import { type StorageServers, startStorageServers } from "../../local/runtime/storage-servers.ts";
import { type PollDeps, pollSystemLog } from "../../usecases/ingest/poll-system-log.ts";

const USERS = Array.from({ length: 12 }, (_, i) => ({
  profile: { login: `user${i}@example.com`, email: `user${i}@example.com`, firstName: "U", lastName: `${i}` },
}));

describe("System Log poller (Okta emulator over HTTP, cursor and idempotency on dynalite)", () => {
  let okta: RunningOktaEmulator;
  let storage: StorageServers;
  let published: LifecycleBusDetail[];
  let requested: (string | SystemLogQuery)[];
  let sleeps: number[];
  /** What "waiting" does in a test: nothing, or (for the 429 test) the rate-limit window resetting. */
  let onSleep: () => void;
  let tables = 0;

  beforeEach(async () => {
    okta = await startOktaEmulatorServer({
      estate: { users: USERS, groups: [{ name: "aws-developers" }] },
      rateLimits: { "/api/v1/logs": 1000 },
    });
    tables++;
    storage = await startStorageServers({
      s3Port: 0,
      dynamoPort: 0,
      bucket: "evidence",
      tables: { idempotency: `idem${tables}`, state: `state${tables}` },
    });
    published = [];
    requested = [];
    sleeps = [];
    onSleep = () => {};
  });
  afterEach(async () => {
    await okta.close();
    await storage.close();
  });

  /** A poll's dependencies: the real adapter (sleeps recorded, not slept), cursor and a recording publisher. */
  function deps(overrides: Partial<PollDeps> = {}): PollDeps {
    const adapter = new OktaAdapter({
      orgUrl: okta.orgUrl,
      token: okta.emulator.apiToken,
      sleep: async (ms) => {
        sleeps.push(ms);
        onSleep();
      },
    });
    return {
      systemLog: {
        systemLogPage: (from) => {
          requested.push(from);
          return adapter.systemLogPage(from);
        },
      },
      cursor: new SystemLogCursor({ doc: storage.doc, tableName: `state${tables}` }),
      normalizeOptions: { provisioningAppIds: [] },
      publish: async (details) => {
        published.push(...details);
        return details.map((): PublishOutcome => "published");
      },
      now: () => new Date().toISOString(),
      limits: { pageSize: 5 },
      ...overrides,
    };
  }
  const context = (): Context => lambdaContext("okta-log-poll", 300_000);
  const act = (operation: "deactivate" | "suspend", login: string) => {
    const user = okta.emulator.state.user(login);
    if (!user) throw new Error(login);
    okta.emulator.operations.lifecycle(okta.emulator.internalContext(), user, operation);
  };
  const join = (login: string) => {
    const user = okta.emulator.state.user(login);
    const group = okta.emulator.state.groupNamed("aws-developers");
    if (!user || !group) throw new Error(login);
    okta.emulator.operations.addMember(okta.emulator.internalContext(), group, user);
  };

  it("first run: starts from the look-back with the lifecycle filter, follows every next link, persists the last", async () => {
    // Prepare: 7 leavers and 5 joins (12 lifecycle events: three pages of 5)
    for (let i = 0; i < 7; i++) act("deactivate", `user${i}@example.com`);
    for (let i = 7; i < 12; i++) join(`user${i}@example.com`);

    // Act
    const summary = await pollSystemLog(deps(), context());

    // Assess
    expect(summary).toMatchObject({
      received: 12,
      pages: 4,
      startedFrom: "look-back",
      stoppedBecause: "caught-up",
    });
    expect(summary.published).toHaveLength(12);
    expect(published.every((p) => p.channel === "poller")).toBe(true);
    const [first, ...rest] = requested;
    expect(first).toMatchObject({
      filter: expect.stringContaining('eventType eq "user.lifecycle.deactivate"'),
    });
    // Never a crafted cursor: each later request is exactly a next link Okta returned.
    for (const url of rest) expect(typeof url === "string" && url.startsWith(okta.orgUrl)).toBe(true);
    const stored = await new SystemLogCursor({ doc: storage.doc, tableName: `state${tables}` }).read();
    expect(stored).toBe(rest.at(-1));
  });

  it("next run: resumes from the persisted link and sees only what is new", async () => {
    // Prepare
    act("deactivate", "user0@example.com");
    await pollSystemLog(deps(), context());
    const cursor = await new SystemLogCursor({ doc: storage.doc, tableName: `state${tables}` }).read();
    published = [];
    requested = [];
    act("suspend", "user1@example.com");

    // Act
    const summary = await pollSystemLog(deps(), context());

    // Assess
    expect(summary.startedFrom).toBe("cursor");
    expect(requested[0]).toBe(cursor);
    expect(published.map((p) => p.event.eventType)).toEqual(["user.lifecycle.suspend"]);
  });

  it("is bounded per run by pages and by events, and the next run carries on where it stopped", async () => {
    // Prepare
    for (let i = 0; i < 12; i++) act("deactivate", `user${i}@example.com`);

    // Act
    const byPages = await pollSystemLog(deps({ limits: { pageSize: 5, maxPages: 1 } }), context());
    const byEvents = await pollSystemLog(deps({ limits: { pageSize: 5, maxEvents: 5 } }), context());
    const rest = await pollSystemLog(deps(), context());

    // Assess
    expect([byPages.stoppedBecause, byPages.received]).toEqual(["max-pages", 5]);
    expect([byEvents.stoppedBecause, byEvents.received]).toEqual(["max-events", 5]);
    expect([rest.stoppedBecause, rest.received]).toEqual(["caught-up", 2]);
    expect(new Set(published.map((p) => p.event.oktaEventId)).size).toBe(12);
  });

  it("stops before the invocation runs out of time, without losing its place", async () => {
    // Prepare
    act("deactivate", "user0@example.com");
    const almostOver = { ...context(), getRemainingTimeInMillis: () => 1_000 };

    // Act
    const summary = await pollSystemLog(deps(), almostOver);
    const next = await pollSystemLog(deps(), context());

    // Assess
    expect(summary).toMatchObject({ pages: 0, stoppedBecause: "time" });
    expect(next.published).toHaveLength(1);
  });

  it("waits out Okta's 429 as X-Rate-Limit-Reset says, then carries on", async () => {
    // Prepare
    act("deactivate", "user0@example.com");
    okta.emulator.rateLimits.limits["/api/v1/logs"] = 1;
    // The emulator's window resets while the adapter waits.
    onSleep = () => okta.emulator.rateLimits.reset();

    // Act
    const summary = await pollSystemLog(deps(), context());

    // Assess: each 429 was waited out (until the reset Okta announced, at most a minute), then retried
    expect(sleeps.length).toBeGreaterThan(0);
    for (const ms of sleeps) expect(ms).toBeLessThanOrEqual(60_000);
    expect(summary).toMatchObject({ stoppedBecause: "caught-up", published: [expect.any(String)] });
  });

  it("does not move the cursor past a page it could not publish; the next run publishes it", async () => {
    // Prepare
    act("deactivate", "user0@example.com");
    const failing = deps({ publish: async (details) => details.map((): PublishOutcome => "failed") });

    // Act
    const failed = await pollSystemLog(failing, context());
    const retried = await pollSystemLog(deps(), context());

    // Assess
    expect(failed).toMatchObject({ stoppedBecause: "publish-failed", failed: [expect.any(String)] });
    expect(retried.startedFrom).toBe("look-back");
    expect(retried.published).toEqual(failed.failed);
  });

  it("stops when another poll moved the cursor meanwhile", async () => {
    // Prepare
    act("deactivate", "user0@example.com");
    const cursor = new SystemLogCursor({ doc: storage.doc, tableName: `state${tables}` });
    const racing = deps({
      cursor: {
        read: () => cursor.read(),
        advance: async (previous, next, at) => {
          await cursor.advance(previous, `${next}&moved=elsewhere`, at);
          return cursor.advance(previous, next, at);
        },
      },
    });

    // Act
    const summary = await pollSystemLog(racing, context());

    // Assess
    expect(summary.stoppedBecause).toBe("cursor-moved");
    expect(await cursor.read()).toMatch(/moved=elsewhere$/);
  });

  it("a hook-published event is a duplicate for the poller (same idempotency store)", async () => {
    // Prepare
    act("deactivate", "user0@example.com");
    const bus = { publish: async () => [] } as never;
    const publish = createIdempotentPublisher({
      bus,
      client: storage.dynamo,
      tableName: `idem${tables}`,
    });
    const [event] = (
      await new OktaAdapter({ orgUrl: okta.orgUrl, token: okta.emulator.apiToken }).systemLogPage({
        since: new Date(Date.now() - 60_000),
      })
    ).events as { uuid: string }[];
    const viaHook = await pollSystemLog(deps({ publish }), context());

    // Act: the same event published again later, by the poller's next look (fresh cursor)
    const poller = await pollSystemLog(
      deps({ publish, cursor: { read: async () => null, advance: async () => true } }),
      context(),
    );

    // Assess
    expect(viaHook.published).toEqual([event?.uuid]);
    expect(poller).toMatchObject({ published: [], duplicates: [event?.uuid] });
  });
});
