import { readFileSync } from "node:fs";
import path from "node:path";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { APIGatewayProxyStructuredResultV2, EventBridgeEvent } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createIdempotentPublisher } from "../../adapters/idempotent-publisher.ts";
import { LifecycleBus, type LifecycleBusDetail } from "../../adapters/lifecycle-bus.ts";
import { createOktaHookHandler } from "../../functions/okta-hook/create-handler.ts";
import { createOktaLogStreamHandler } from "../../functions/okta-logstream/create-handler.ts";
import {
  localClientConfig,
  type RunningServer,
  startAwsJsonServer,
} from "../../local/emulators/aws-json-server.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { createEventBusEmulator } from "../../local/runtime/event-bus-emulator.ts";
import { lambdaContext } from "../../local/runtime/lambda-context.ts";
import { type StorageServers, startStorageServers } from "../../local/runtime/storage-servers.ts";
import type { IngestSummary } from "../../usecases/ingest/ingest-log-events.ts";
import { hookRequest } from "../support/hook-request.ts";

const streamed = JSON.parse(
  readFileSync(
    path.join(import.meta.dirname, "../fixtures/okta/log-streaming-suspend.eventbridge.json"),
    "utf8",
  ),
);
const SECRET = randomHookSecret();
const withUuid = (uuid: string, published = new Date().toISOString()) => ({
  ...streamed,
  detail: { ...streamed.detail, uuid, published },
});

describe("okta-logstream handler (same idempotency store as the hook, on dynalite)", () => {
  let storage: StorageServers;
  let aws: RunningServer;
  const published: LifecycleBusDetail[] = [];
  let busFailure = false;
  let stream: (event: unknown) => Promise<IngestSummary>;
  let hook: (body: unknown) => Promise<APIGatewayProxyStructuredResultV2>;

  beforeAll(async () => {
    storage = await startStorageServers({
      s3Port: 0,
      dynamoPort: 0,
      bucket: "evidence",
      tables: { idempotency: "idem", state: "state" },
    });
    const bus = createEventBusEmulator("lifecycle", [
      {
        name: "capture",
        pattern: { source: ["okta-aws-lifecycle.ingress"] },
        target: async (e: EventBridgeEvent<string, unknown>) =>
          void published.push(e.detail as LifecycleBusDetail),
      },
    ]);
    aws = await startAwsJsonServer([
      {
        ...bus.service,
        beforeOperation: () => {
          if (busFailure) throw new Error("bus down");
        },
      },
    ]);
    // One publisher, as deployed: both functions share the bus and the idempotency table.
    const ingest = {
      normalizeOptions: { provisioningAppIds: [] },
      publish: createIdempotentPublisher({
        bus: new LifecycleBus({
          client: new EventBridgeClient(localClientConfig(aws.endpoint)),
          busName: "lifecycle",
          maxAttempts: 1,
        }),
        client: storage.dynamo,
        tableName: "idem",
      }),
      now: () => new Date().toISOString(),
    };
    const metrics = new Metrics({ namespace: "Test", serviceName: "ingress-test" });
    const streamHandler = createOktaLogStreamHandler({
      ...ingest,
      logger: new Logger({ serviceName: "okta-logstream-test", logLevel: "SILENT" }),
      metrics,
    });
    const hookHandler = createOktaHookHandler({
      ...ingest,
      logger: new Logger({ serviceName: "okta-hook-test", logLevel: "SILENT" }),
      metrics,
      hookSecrets: async () => [SECRET],
    });
    stream = (event) =>
      streamHandler(event as never, lambdaContext("okta-logstream")) as Promise<IngestSummary>;
    hook = (body) =>
      hookHandler(
        hookRequest("POST", body, { authorization: SECRET }) as never,
        lambdaContext("okta-hook"),
      ) as Promise<APIGatewayProxyStructuredResultV2>;
  });
  afterAll(async () => {
    await aws.close();
    await storage.close();
  });
  beforeEach(() => {
    published.length = 0;
    busFailure = false;
  });
  const settled = () => new Promise((r) => setTimeout(r, 30));

  it("publishes the documented Log Streaming event as a leaver, channel log-stream", async () => {
    // Act
    const summary = await stream(withUuid("stream-fixture-1", streamed.detail.published));
    await settled();

    // Assess: the fixture is from 2024, so it is accepted but flagged stale
    expect(summary).toMatchObject({
      received: 1,
      published: ["stream-fixture-1"],
      stale: ["stream-fixture-1"],
    });
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      channel: "log-stream",
      event: {
        kind: "leaver",
        eventType: "user.lifecycle.suspend",
        user: { id: "00u9x8w7v6u5t4s3r2q1", login: "jane.doe@example.com" },
      },
      stale: { maxAgeSeconds: 900 },
    });
  });

  it("a hook and the stream reporting the same LogEvent publish it once, whichever comes first", async () => {
    // Prepare
    const first = withUuid("same-event-stream-first");
    const second = withUuid("same-event-hook-first");
    const envelope = (detail: unknown) => ({ eventType: "com.okta.event_hook", data: { events: [detail] } });

    // Act
    const viaStream = await stream(first);
    const viaHook = JSON.parse(String((await hook(envelope(first.detail))).body));
    const hookFirst = JSON.parse(String((await hook(envelope(second.detail))).body));
    const streamSecond = await stream(second);
    await settled();

    // Assess
    expect(viaStream.published).toEqual(["same-event-stream-first"]);
    expect(viaHook).toMatchObject({ published: [], duplicates: ["same-event-stream-first"] });
    expect(hookFirst).toMatchObject({ published: ["same-event-hook-first"] });
    expect(streamSecond).toMatchObject({ published: [], duplicates: ["same-event-hook-first"] });
    expect(published.map((p) => [p.event.oktaEventId, p.channel])).toEqual([
      ["same-event-stream-first", "log-stream"],
      ["same-event-hook-first", "hook"],
    ]);
  });

  it("accounts for an invalid LogEvent or a foreign event without publishing or throwing", async () => {
    // Prepare
    const broken = withUuid("stream-broken-1");
    broken.detail.published = "yesterday";
    const foreign = { ...withUuid("stream-foreign-1"), source: "aws.partner/example.com/other" };

    // Act
    const invalid = await stream(broken);
    const notOkta = await stream(foreign);
    await settled();

    // Assess
    expect(invalid.invalid).toEqual([
      expect.objectContaining({ oktaEventId: "stream-broken-1", path: "detail.published" }),
    ]);
    expect(notOkta.invalid).toEqual([expect.objectContaining({ path: "(root)" })]);
    expect(published).toEqual([]);
  });

  it("throws when the event cannot be published, so EventBridge retries it, and publishes on the retry", async () => {
    // Prepare
    const event = withUuid("stream-retry-1");
    busFailure = true;

    // Act
    const failed = stream(event);
    await expect(failed).rejects.toThrow(/could not publish Okta event stream-retry-1/);
    busFailure = false;
    const retried = await stream(event);

    // Assess
    expect(retried.published).toEqual(["stream-retry-1"]);
  });
});
