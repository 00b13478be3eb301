import { readFileSync } from "node:fs";
import path from "node:path";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { describe, expect, it } from "vitest";
import type { PublishOutcome } from "../../adapters/idempotent-publisher.ts";
import type { LifecycleBusDetail } from "../../adapters/lifecycle-bus.ts";
import { createOktaHookHandler, type OktaHookDeps } from "../../functions/okta-hook/create-handler.ts";
import { createOktaLogStreamHandler } from "../../functions/okta-logstream/create-handler.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { lambdaContext } from "../../local/runtime/lambda-context.ts";
import type { IngestDeps, IngestSummary } from "../../usecases/ingest/ingest-log-events.ts";
import { pollSystemLog } from "../../usecases/ingest/poll-system-log.ts";
import { hookRequest } from "../support/hook-request.ts";

/*
 * Issue 12, points 7 and 11 at ingress: a string that is not well-formed Unicode (a lone surrogate)
 * is refused with its field path on all three paths, without sinking the good events of the same
 * delivery or page; and an event dated in the future is flagged and dated when it was received.
 */

const SECRET = randomHookSecret();
const NOW = "2026-01-01T00:10:00.000Z";
const LONE = "\ud800";
const fixture = (name: string) =>
  JSON.parse(readFileSync(path.join(import.meta.dirname, "../fixtures/okta", name), "utf8"));
const deactivate = {
  ...fixture("user-lifecycle-deactivate.logevent.json"),
  published: "2026-01-01T00:09:00.000Z",
};
const streamed = fixture("log-streaming-suspend.eventbridge.json");
const envelope = (events: unknown[]) => ({ eventType: "com.okta.event_hook", data: { events } });
const withUser = (event: Record<string, unknown>, id: string) => ({
  ...event,
  target: (event.target as Record<string, unknown>[]).map((t) => (t.type === "User" ? { ...t, id } : t)),
});

/** The ingest dependencies with an in-memory publisher. */
function ingest(published: LifecycleBusDetail[]): IngestDeps {
  return {
    normalizeOptions: { provisioningAppIds: [] },
    publish: async (details) => {
      published.push(...details);
      return details.map((): PublishOutcome => "published");
    },
    now: () => NOW,
  };
}

function hook(overrides: Partial<OktaHookDeps> = {}) {
  const published: LifecycleBusDetail[] = [];
  const handler = createOktaHookHandler({
    logger: new Logger({ serviceName: "okta-hook-test", logLevel: "SILENT" }),
    metrics: new Metrics({ namespace: "Test", serviceName: "okta-hook-test" }),
    hookSecrets: async () => [SECRET],
    ...ingest(published),
    ...overrides,
  });
  const call = async (method: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = (await handler(
      hookRequest(method, body, { authorization: SECRET, ...headers }) as never,
      lambdaContext("okta-hook"),
    )) as APIGatewayProxyStructuredResultV2;
    return { status: res.statusCode, headers: res.headers ?? {}, body: JSON.parse(String(res.body)) };
  };
  return { call, post: (body: unknown) => call("POST", body), published };
}

describe("a lone surrogate at ingress (issue 12, point 7)", () => {
  it("event hook: the bad event is listed under invalid with its field path; the good one is published", async () => {
    // Prepare: JSON.parse turns the escape into a lone surrogate, as API Gateway's body would
    const { call, published } = hook();
    const good = { ...deactivate, uuid: "good-1" };
    const badUuid = { ...deactivate, uuid: `bad-${LONE}` };
    const badUser = withUser({ ...deactivate, uuid: "bad-user-1" }, `00u${LONE}`);
    const text = JSON.stringify(envelope([good, badUuid, badUser]));

    // Act
    const res = await call("POST", text);

    // Assess
    expect(text).toContain("\\ud800");
    expect(res.status).toBe(200);
    expect(res.body.published).toEqual(["good-1"]);
    expect(res.body.invalid).toEqual([
      expect.objectContaining({ index: 1, path: "data.events[1].uuid" }),
      expect.objectContaining({ index: 2, oktaEventId: "bad-user-1", path: "data.events[2].target[0].id" }),
    ]);
    expect(res.body.invalid[0]).not.toHaveProperty("oktaEventId");
    expect(published.map((d) => d.event.oktaEventId)).toEqual(["good-1"]);
  });

  it("Log Streaming: the event is invalid with its field path, and nothing is published", async () => {
    // Prepare
    const published: LifecycleBusDetail[] = [];
    const stream = createOktaLogStreamHandler({
      logger: new Logger({ serviceName: "okta-logstream-test", logLevel: "SILENT" }),
      metrics: new Metrics({ namespace: "Test", serviceName: "okta-logstream-test" }),
      ...ingest(published),
    });
    const bad = { ...streamed, detail: withUser({ ...streamed.detail, uuid: "stream-bad" }, `00u${LONE}x`) };

    // Act
    const summary = (await stream(bad as never, lambdaContext("okta-logstream"))) as IngestSummary;

    // Assess
    expect(summary.invalid).toEqual([
      expect.objectContaining({ index: 0, oktaEventId: "stream-bad", path: "detail.target[0].id" }),
    ]);
    expect(published).toEqual([]);
  });

  it("System Log poller: the bad event of a page is invalid with its path; the page's good one is published", async () => {
    // Prepare
    const published: LifecycleBusDetail[] = [];
    const good = { ...deactivate, uuid: "poll-good" };
    const bad = { ...deactivate, uuid: `poll-${LONE}` };
    let cursor: string | null = null;

    // Act
    const summary = await pollSystemLog(
      {
        ...ingest(published),
        systemLog: {
          systemLogPage: async (from) =>
            typeof from === "string"
              ? { events: [], nextUrl: from }
              : { events: [bad, good], nextUrl: "https://example.okta.com/api/v1/logs?after=1" },
        },
        cursor: {
          read: async () => cursor,
          advance: async (_previous, next) => {
            cursor = next;
            return true;
          },
        },
      },
      lambdaContext("okta-log-poll", 300_000),
    );

    // Assess
    expect(summary.invalid).toEqual([expect.objectContaining({ index: 0, path: "[0].uuid" })]);
    expect(summary.published).toEqual(["poll-good"]);
    expect(published.map((d) => d.event.oktaEventId)).toEqual(["poll-good"]);
  });
});

describe("an event dated in the future (issue 12, point 11)", () => {
  it("is flagged like a stale one and published dated when received, never with Okta's future instant", async () => {
    // Prepare: received at 00:10; one a minute ahead (clock skew), one in 2099
    const { post, published } = hook();
    const skewed = { ...deactivate, uuid: "skewed-1", published: "2026-01-01T00:11:00.000Z" };
    const future = { ...deactivate, uuid: "future-1", published: "2099-01-01T00:00:00.000Z" };

    // Act
    const res = await post(envelope([skewed, future]));

    // Assess
    expect(res.body).toMatchObject({
      published: ["skewed-1", "future-1"],
      stale: ["future-1"],
      futureDated: ["future-1"],
    });
    const bySkew = published.find((d) => d.event.oktaEventId === "skewed-1");
    const byFuture = published.find((d) => d.event.oktaEventId === "future-1");
    expect(bySkew?.event.published).toBe("2026-01-01T00:11:00.000Z");
    expect(bySkew?.stale).toBeUndefined();
    expect(byFuture?.event.published).toBe(NOW);
    expect(byFuture?.stale).toEqual({ ageSeconds: 0, maxAgeSeconds: 900 });
  });
});

describe("delivery size and the hook's answers (issue 12, points 8 and 11)", () => {
  it("refuses a delivery of more events than Okta batches with a 400 naming data.events and the limit, publishing nothing", async () => {
    // Prepare
    const { post, published } = hook();
    const many = Array.from({ length: 101 }, (_, i) =>
      withUser({ ...deactivate, uuid: `flood-${i}` }, `00uflood${i}`),
    );

    // Act
    const over = await post(envelope(many));
    const atLimit = await post(envelope(many.slice(0, 100)));

    // Assess
    expect(over.status).toBe(400);
    expect(over.body).toMatchObject({ path: "data.events", limit: 100 });
    expect(over.body.error).toContain("data.events: expected at most 100 events in one delivery, found 101");
    expect(atLimit.status).toBe(200);
    expect(published).toHaveLength(100);
  });

  it("says nosniff on every answer", async () => {
    // Prepare
    const { call } = hook();

    // Act
    const answers = [
      await call("GET", "", { "x-okta-verification-challenge": "abc" }),
      await call("GET", ""),
      await call("POST", envelope([])),
      await call("POST", envelope([]), { authorization: "wrong" }),
      await call("PUT", ""),
      await call("POST", "{", {}),
    ];

    // Assess
    for (const answer of answers) expect(answer.headers["x-content-type-options"]).toBe("nosniff");
    expect(answers.map((a) => a.status)).toEqual([200, 400, 200, 401, 405, 400]);
  });

  it("answers a verification challenge of up to 256 characters, and refuses a longer one", async () => {
    // Prepare
    const { call } = hook();
    const longest = "c".repeat(256);

    // Act
    const ok = await call("GET", "", { "x-okta-verification-challenge": longest });
    const tooLong = await call("GET", "", { "x-okta-verification-challenge": `${longest}c` });

    // Assess
    expect(ok).toMatchObject({ status: 200, body: { verification: longest } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error).toContain("at most 256 characters");
  });
});
