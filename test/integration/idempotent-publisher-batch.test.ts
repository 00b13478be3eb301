import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIdempotentPublisher } from "../../adapters/idempotent-publisher.ts";
import type { LifecycleBusDetail, PublishFailure } from "../../adapters/lifecycle-bus.ts";
import { localClientConfig } from "../../local/emulators/aws-json-server.ts";
import { lambdaContext } from "../../local/runtime/lambda-context.ts";
import { countSdkRequests } from "../../local/runtime/sdk-request-counter.ts";
import { type StorageServers, startStorageServers } from "../../local/runtime/storage-servers.ts";

const delivery = (n: number) =>
  Array.from(
    { length: n },
    () =>
      ({
        event: { oktaEventId: `evt-${randomUUID()}` },
        channel: "hook",
        receivedAt: new Date().toISOString(),
      }) as unknown as LifecycleBusDetail,
  );

/** A bus that records what it published and fails the ids it is told to. */
function recordingBus() {
  const published: string[] = [];
  const failing = new Set<string>();
  let down = false;
  return {
    published,
    failing,
    setDown: (value: boolean) => {
      down = value;
    },
    publish: async (details: readonly LifecycleBusDetail[]): Promise<PublishFailure[]> => {
      if (down) throw new Error("EventBridge unavailable");
      const failures = details
        .filter((d) => failing.has(d.event.oktaEventId))
        .map((d) => ({ oktaEventId: d.event.oktaEventId, errorCode: "InternalFailure" }));
      published.push(...details.map((d) => d.event.oktaEventId).filter((id) => !failing.has(id)));
      return failures;
    },
  };
}

describe("adapters/idempotent-publisher: one delivery, batched records (dynalite)", () => {
  let storage: StorageServers;
  let client: DynamoDBClient;
  let counter: ReturnType<typeof countSdkRequests>;
  beforeAll(async () => {
    storage = await startStorageServers({
      s3Port: 0,
      dynamoPort: 0,
      bucket: "evidence",
      tables: { idempotency: "idem", state: "state" },
    });
    client = new DynamoDBClient({ ...localClientConfig(storage.dynamoEndpoint), maxAttempts: 3 });
    counter = countSdkRequests(client);
  });
  afterAll(async () => {
    client.destroy();
    await storage.close();
  });

  it("publishes a 100-event delivery with at most 10 DynamoDB round trips; its redelivery publishes nothing", async () => {
    // Prepare
    const bus = recordingBus();
    const publish = createIdempotentPublisher({ bus, client, tableName: "idem" });
    const details = delivery(100);
    counter.reset();

    // Act
    const first = await publish(details, lambdaContext("okta-hook"));
    const firstCounts = counter.counts();
    counter.reset();
    const again = await publish(details, lambdaContext("okta-hook"));

    // Assess
    expect(new Set(first)).toEqual(new Set(["published"]));
    expect(firstCounts.total).toBeLessThanOrEqual(10);
    expect(firstCounts.waves).toBe(2);
    expect(new Set(again)).toEqual(new Set(["duplicate"]));
    expect(counter.counts().total).toBeLessThanOrEqual(5);
    expect(bus.published).toHaveLength(100);
  });

  it("an event the bus refused is failed, released, and published by the next delivery", async () => {
    // Prepare
    const bus = recordingBus();
    const publish = createIdempotentPublisher({ bus, client, tableName: "idem" });
    const details = delivery(30);
    const refused = details.slice(0, 3).map((d) => d.event.oktaEventId);
    for (const id of refused) bus.failing.add(id);

    // Act
    const first = await publish(details, lambdaContext("okta-hook"));
    bus.failing.clear();
    const retry = await publish(details, lambdaContext("okta-hook"));

    // Assess
    expect(first.slice(0, 3)).toEqual(["failed", "failed", "failed"]);
    expect(first.slice(3).every((o) => o === "published")).toBe(true);
    expect(retry.slice(0, 3)).toEqual(["published", "published", "published"]);
    expect(retry.slice(3).every((o) => o === "duplicate")).toBe(true);
    expect(bus.published.toSorted()).toEqual(details.map((d) => d.event.oktaEventId).toSorted());
  });

  it("a bus outage fails the whole delivery and leaves every event to the retry", async () => {
    // Prepare
    const bus = recordingBus();
    const publish = createIdempotentPublisher({ bus, client, tableName: "idem" });
    const details = delivery(12);
    bus.setDown(true);

    // Act
    const during = await publish(details, lambdaContext("okta-hook"));
    bus.setDown(false);
    const after = await publish(details, lambdaContext("okta-hook"));

    // Assess
    expect(new Set(during)).toEqual(new Set(["failed"]));
    expect(new Set(after)).toEqual(new Set(["published"]));
  });

  it("three channels delivering the same 100 events at once publish each exactly once", async () => {
    // Prepare
    const bus = recordingBus();
    const publishers = [0, 1, 2].map(() => createIdempotentPublisher({ bus, client, tableName: "idem" }));
    const details = delivery(100);

    // Act
    const outcomes = await Promise.all(publishers.map((p) => p(details, lambdaContext("okta-hook"))));

    // Assess
    expect(bus.published.toSorted()).toEqual(details.map((d) => d.event.oktaEventId).toSorted());
    details.forEach((_, i) => {
      expect(outcomes.map((o) => o[i]).toSorted()).toEqual(["duplicate", "duplicate", "published"]);
    });
  });

  it("the same event twice in one delivery is published once", async () => {
    const bus = recordingBus();
    const publish = createIdempotentPublisher({ bus, client, tableName: "idem" });
    const [detail] = delivery(1) as [LifecycleBusDetail];
    const outcomes = await publish([detail, { ...detail, channel: "hook" }], lambdaContext("okta-hook"));
    expect(outcomes).toEqual(["published", "duplicate"]);
    expect(bus.published).toHaveLength(1);
  });
});
