import { readFileSync } from "node:fs";
import path from "node:path";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, EventBridgeEvent } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createIdempotentPublisher } from "../../adapters/idempotent-publisher.ts";
import { LifecycleBus, type LifecycleBusDetail } from "../../adapters/lifecycle-bus.ts";
import { createOktaHookHandler } from "../../functions/okta-hook/create-handler.ts";
import {
  localClientConfig,
  type RunningServer,
  startAwsJsonServer,
} from "../../local/emulators/aws-json-server.ts";
import { randomHookSecret } from "../../local/local-secrets.ts";
import { createEventBusEmulator } from "../../local/runtime/event-bus-emulator.ts";
import { lambdaContext } from "../../local/runtime/lambda-context.ts";
import { type StorageServers, startStorageServers } from "../../local/runtime/storage-servers.ts";
import { hookRequest } from "../support/hook-request.ts";

const SECRET = randomHookSecret();
const fixture = (name: string) =>
  JSON.parse(readFileSync(path.join(import.meta.dirname, "../fixtures/okta", name), "utf8"));
const deactivate = JSON.parse(
  readFileSync(
    path.join(import.meta.dirname, "../fixtures/okta/docs/user-lifecycle-deactivate.logevent.json"),
    "utf8",
  ),
);
const envelope = (events: unknown[]) => ({
  eventType: "com.okta.event_hook",
  eventTypeVersion: "1.0",
  cloudEventsVersion: "0.1",
  source: "https://example.okta.com/api/v1/eventHooks/who1",
  eventId: "e1",
  eventTime: "2026-01-01T00:00:00.000Z",
  contentType: "application/json",
  data: { events },
});

describe("okta-hook handler (Powertools Idempotency on dynalite, EventBridge emulator)", () => {
  let storage: StorageServers;
  let aws: RunningServer;
  const published: LifecycleBusDetail[] = [];
  let invoke: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
  let busFailure = false;

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
    const failing = {
      ...bus.service,
      beforeOperation: () => {
        if (busFailure) throw new Error("bus down");
      },
    };
    aws = await startAwsJsonServer([failing]);
    const handler = createOktaHookHandler({
      logger: new Logger({ serviceName: "okta-hook-test", logLevel: "SILENT" }),
      metrics: new Metrics({ namespace: "Test", serviceName: "okta-hook-test" }),
      hookSecrets: async () => ["Bearer old-secret", SECRET],
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
    });
    invoke = (event) =>
      handler(event as never, lambdaContext("okta-hook")) as Promise<APIGatewayProxyStructuredResultV2>;
    await bus.idle();
  });
  afterAll(async () => {
    await aws.close();
    await storage.close();
  });
  beforeEach(() => {
    published.length = 0;
    busFailure = false;
  });

  it("answers Okta's verification challenge", async () => {
    const res = await invoke(hookRequest("GET", "", { "x-okta-verification-challenge": "abc123" }));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(String(res.body))).toEqual({ verification: "abc123" });
  });

  it("rejects a wrong or missing Authorization header with 401 and publishes nothing", async () => {
    for (const headers of [{ authorization: "Bearer nope" }, {}] as Record<string, string>[]) {
      const res = await invoke(hookRequest("POST", envelope([deactivate]), headers));
      expect(res.statusCode).toBe(401);
    }
    expect(published).toEqual([]);
  });

  it("accepts either active secret during a rotation", async () => {
    const res = await invoke(hookRequest("POST", envelope([]), { authorization: "Bearer old-secret" }));
    expect(res.statusCode).toBe(200);
  });

  it("publishes a leaver once, and answers a second delivery of the same event as a duplicate", async () => {
    const event = { ...deactivate, uuid: "dup-test-uuid-1" };
    const first = await invoke(hookRequest("POST", envelope([event]), { authorization: SECRET }));
    const second = await invoke(hookRequest("POST", envelope([event]), { authorization: SECRET }));
    expect(first.statusCode).toBe(200);
    expect(JSON.parse(String(first.body))).toMatchObject({
      received: 1,
      published: ["dup-test-uuid-1"],
      duplicates: [],
    });
    expect(JSON.parse(String(second.body))).toMatchObject({
      received: 1,
      published: [],
      duplicates: ["dup-test-uuid-1"],
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(published.map((p) => [p.event.kind, p.event.oktaEventId, p.channel])).toEqual([
      ["leaver", "dup-test-uuid-1", "hook"],
    ]);
  });

  it("accounts for every event of a mixed batch: a malformed one does not sink the valid ones", async () => {
    const body = fixture("batched-delivery.hook.json");
    const broken = { ...deactivate, uuid: "broken-1", published: "yesterday" };
    body.data.events.push(broken, { ...deactivate, uuid: "valid-extra-1" });
    const res = await invoke(hookRequest("POST", body, { authorization: SECRET }));
    const summary = JSON.parse(String(res.body));
    expect(res.statusCode).toBe(200);
    expect(summary.invalid).toContainEqual(
      expect.objectContaining({ oktaEventId: "broken-1", path: expect.stringContaining("published") }),
    );
    expect(summary.published).toContain("valid-extra-1");
    const accounted =
      summary.published.length + summary.duplicates.length + summary.ignored.length + summary.invalid.length;
    expect(accounted).toBe(summary.received);
  });

  it("answers 400 naming the problem for a body that is not JSON or not a hook envelope", async () => {
    const notJson = await invoke(hookRequest("POST", "{nope", { authorization: SECRET }));
    expect(notJson.statusCode).toBe(400);
    expect(JSON.parse(String(notJson.body)).error).toMatch(/not valid JSON/);
    const notHook = await invoke(hookRequest("POST", { hello: "world" }, { authorization: SECRET }));
    expect(notHook.statusCode).toBe(400);
    expect(JSON.parse(String(notHook.body)).error).toMatch(/not an Okta event hook body/);
  });

  it("answers 413 past the size limit", async () => {
    const res = await invoke(hookRequest("POST", "x".repeat(1024 * 1024 + 1), { authorization: SECRET }));
    expect(res.statusCode).toBe(413);
  });

  it("answers 503 when an accepted event cannot be published, and publishes it on Okta's retry", async () => {
    const event = { ...deactivate, uuid: "retry-after-outage-1" };
    busFailure = true;
    const failed = await invoke(hookRequest("POST", envelope([event]), { authorization: SECRET }));
    expect(failed.statusCode).toBe(503);
    expect(JSON.parse(String(failed.body)).failed).toEqual(["retry-after-outage-1"]);
    busFailure = false;
    const retried = await invoke(hookRequest("POST", envelope([event]), { authorization: SECRET }));
    expect(retried.statusCode).toBe(200);
    expect(JSON.parse(String(retried.body)).published).toEqual(["retry-after-outage-1"]);
  });
});
