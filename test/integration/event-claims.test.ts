import { randomUUID } from "node:crypto";
import { IdempotencyConfig, makeIdempotent } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import { DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventClaims, eventRecordKey, OKTA_EVENT_KEY_PREFIX } from "../../adapters/event-claims.ts";
import { localClientConfig } from "../../local/emulators/aws-json-server.ts";
import { countSdkRequests } from "../../local/runtime/sdk-request-counter.ts";
import { type StorageServers, startStorageServers } from "../../local/runtime/storage-servers.ts";

const TABLE = "idem";
const ids = (n: number) => Array.from({ length: n }, () => `evt-${randomUUID()}`);
const soon = () => Date.now() + 30_000;

describe("adapters/event-claims: batched idempotency records (dynalite behind the PartiQL front)", () => {
  let storage: StorageServers;
  let client: DynamoDBClient;
  let counter: ReturnType<typeof countSdkRequests>;
  let claims: EventClaims;
  beforeAll(async () => {
    storage = await startStorageServers({
      s3Port: 0,
      dynamoPort: 0,
      bucket: "evidence",
      tables: { idempotency: TABLE, state: "state" },
    });
    client = new DynamoDBClient({ ...localClientConfig(storage.dynamoEndpoint), maxAttempts: 3 });
    counter = countSdkRequests(client);
    claims = new EventClaims({ client, tableName: TABLE });
  });
  afterAll(async () => {
    client.destroy();
    await storage.close();
  });

  const record = async (id: string) =>
    (
      await client.send(
        new GetItemCommand({
          TableName: TABLE,
          Key: { id: { S: eventRecordKey(id) } },
          ConsistentRead: true,
        }),
      )
    ).Item;

  it("claims 100 new events in 4 requests and settles them in 4: 8 round trips in 2 waves", async () => {
    // Prepare
    const events = ids(100);
    counter.reset();

    // Act
    const outcomes = await claims.claim(events, "inv-1", soon());
    await claims.settle(events.slice(0, 90), events.slice(90), "inv-1");

    // Assess
    expect([...outcomes.values()].every((o) => o === "claimed")).toBe(true);
    expect(outcomes.size).toBe(100);
    expect(counter.counts().byCommand).toEqual({ BatchExecuteStatementCommand: 4, BatchWriteItemCommand: 4 });
    expect(counter.counts().waves).toBe(2);
    expect((await record(events[0] as string))?.status?.S).toBe("COMPLETED");
    expect(await record(events[95] as string)).toBeUndefined();
  });

  it("a repeat delivery costs 4 inserts and 1 read: every event a duplicate", async () => {
    // Prepare
    const events = ids(100);
    await claims.claim(events, "inv-a", soon());
    await claims.settle(events, [], "inv-a");
    counter.reset();

    // Act
    const outcomes = await claims.claim(events, "inv-b", soon());

    // Assess
    expect(new Set(outcomes.values())).toEqual(new Set(["duplicate"]));
    expect(counter.counts().byCommand).toEqual({ BatchExecuteStatementCommand: 4, BatchGetItemCommand: 1 });
  });

  it("of three concurrent deliveries of the same events, each event is claimed by exactly one", async () => {
    // Prepare
    const events = ids(60);

    // Act
    const results = await Promise.all(
      ["hook", "stream", "poller"].map((owner) => claims.claim(events, owner, soon())),
    );

    // Assess
    for (const id of events) {
      const claimedBy = results.filter((r) => r.get(id) === "claimed");
      expect(claimedBy).toHaveLength(1);
      expect(results.filter((r) => r.get(id) === "duplicate")).toHaveLength(2);
    }
  });

  it("a released event (its publish failed) is claimed again by the next delivery", async () => {
    // Prepare
    const [id] = ids(1) as [string];
    await claims.claim([id], "inv-1", soon());
    await claims.settle([], [id], "inv-1");

    // Act
    const again = await claims.claim([id], "inv-2", soon());

    // Assess
    expect(again.get(id)).toBe("claimed");
  });

  it("a crash after the claim: duplicate while the invocation could still be running, claimed once its time is up", async () => {
    // Prepare: claimed, never settled (the function died), in progress for a minute
    const [id] = ids(1) as [string];
    await claims.claim([id], "crashed", Date.now() + 60_000);

    // Act: a retry within the minute; then the minute is over (its in-progress time moved into the past)
    const during = await claims.claim([id], "retry-1", soon());
    await client.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: { id: { S: eventRecordKey(id) } },
        UpdateExpression: "SET in_progress_expiration = :past",
        ExpressionAttributeValues: { ":past": { N: String(Date.now() - 1) } },
      }),
    );
    const after = await claims.claim([id], "retry-2", soon());

    // Assess
    expect(during.get(id)).toBe("duplicate");
    expect(after.get(id)).toBe("claimed");
    expect((await record(id))?.claimed_by?.S).toBe("retry-2");
  });

  it("an expired completed record (past `expiration`, not yet removed by TTL) is taken over", async () => {
    // Prepare
    const [id] = ids(1) as [string];
    await client.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: {
          id: { S: eventRecordKey(id) },
          status: { S: "COMPLETED" },
          expiration: { N: String(Math.floor(Date.now() / 1000) - 10) },
        },
      }),
    );

    // Act
    const outcome = await claims.claim([id], "inv-late", soon());

    // Assess
    expect(outcome.get(id)).toBe("claimed");
  });

  it("an insert retried after its answer was lost finds its own claim: claimed, not a duplicate", async () => {
    // Prepare: the first attempt was stored
    const [id] = ids(1) as [string];
    await claims.claim([id], "inv-same", soon());

    // Act
    const retried = await claims.claim([id], "inv-same", soon());

    // Assess
    expect(retried.get(id)).toBe("claimed");
  });

  it("the same id twice in one delivery is claimed once", async () => {
    const [id] = ids(1) as [string];
    const outcomes = await claims.claim([id, id], "inv-twice", soon());
    expect([...outcomes.entries()]).toEqual([[id, "claimed"]]);
  });

  it("shares records with Powertools Idempotency (same key, same attributes), both ways", async () => {
    // Prepare: the Powertools publisher as it was before the batch path
    const config = new IdempotencyConfig({
      eventKeyJmesPath: "event.oktaEventId",
      expiresAfterSeconds: 3600,
    });
    const calls: string[] = [];
    const legacy = makeIdempotent(
      async (detail: { event: { oktaEventId: string } }) => {
        calls.push(detail.event.oktaEventId);
        return { publishedBy: "legacy" };
      },
      {
        persistenceStore: new DynamoDBPersistenceLayer({ tableName: TABLE, awsSdkV3Client: client }),
        config,
        keyPrefix: OKTA_EVENT_KEY_PREFIX,
      },
    );
    const [byLegacy, byBatch] = ids(2) as [string, string];

    // Act
    await legacy({ event: { oktaEventId: byLegacy } });
    const seen = await claims.claim([byLegacy], "inv-new", soon());
    await claims.claim([byBatch], "inv-new", soon());
    await claims.settle([byBatch], [], "inv-new");
    const replayed = await legacy({ event: { oktaEventId: byBatch } });

    // Assess
    expect(seen.get(byLegacy)).toBe("duplicate");
    expect(replayed).toEqual({ publishedBy: "inv-new" });
    expect(calls).toEqual([byLegacy]);
  });
});
