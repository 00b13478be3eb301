import { randomUUID } from "node:crypto";
import {
  DynamoDBClient,
  GetItemCommand,
  IdempotentParameterMismatchException,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type TransactWriteItemsCommandInput,
} from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localClientConfig } from "../../local/emulators/aws-json-server.ts";
import { type StorageServers, startStorageServers } from "../../local/runtime/storage-servers.ts";

/** A put of (pk, sk) that goes through only if the item is new. */
const claim = (sk: string, by = "test", returnOld = false) => ({
  Put: {
    TableName: "state",
    Item: { pk: { S: "tx" }, sk: { S: sk }, by: { S: by } },
    ConditionExpression: "attribute_not_exists(#sk)",
    ExpressionAttributeNames: { "#sk": "sk" },
    ...(returnOld ? { ReturnValuesOnConditionCheckFailure: "ALL_OLD" as const } : {}),
  },
});

// Conformance: the SDK, generated from DynamoDB's service model, parses every answer below (a
// TransactionCanceledException's CancellationReasons, the modelled error shapes), so a shape the model
// does not define would surface here as an unknown error or a missing member.
describe("local/runtime/dynamodb-transact-write: TransactWriteItems in front of dynalite", () => {
  let storage: StorageServers;
  let client: DynamoDBClient;
  const by = async (sk: string) =>
    (await client.send(new GetItemCommand({ TableName: "state", Key: { pk: { S: "tx" }, sk: { S: sk } } })))
      .Item?.by?.S;
  const cancelled = async (input: TransactWriteItemsCommandInput) => {
    try {
      await client.send(new TransactWriteItemsCommand(input));
    } catch (error) {
      return error;
    }
    throw new Error("the transaction went through");
  };

  beforeAll(async () => {
    storage = await startStorageServers({
      s3Port: 0,
      dynamoPort: 0,
      bucket: "evidence",
      tables: { idempotency: "idem", state: "state" },
    });
    client = new DynamoDBClient(localClientConfig(storage.dynamoEndpoint));
  });
  afterAll(async () => {
    client.destroy();
    await storage.close();
  });

  it("writes every put when every condition holds", async () => {
    // Act
    await client.send(
      new TransactWriteItemsCommand({ TransactItems: [claim("a1"), claim("a2"), claim("a3")] }),
    );

    // Assess
    expect(await Promise.all(["a1", "a2", "a3"].map(by))).toEqual(["test", "test", "test"]);
  });

  it("writes nothing when one condition fails, and names the failed action in order (with the stored item on ALL_OLD)", async () => {
    // Prepare
    await client.send(
      new PutItemCommand({
        TableName: "state",
        Item: { pk: { S: "tx" }, sk: { S: "b2" }, by: { S: "other" } },
      }),
    );

    // Act
    const error = await cancelled({
      TransactItems: [claim("b1"), claim("b2", "test", true), claim("b3")],
    });

    // Assess
    expect(error).toBeInstanceOf(TransactionCanceledException);
    const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
    expect(reasons.map((r) => r.Code)).toEqual(["None", "ConditionalCheckFailed", "None"]);
    expect(reasons[1]?.Item?.by?.S).toBe("other");
    expect(await Promise.all(["b1", "b2", "b3"].map(by))).toEqual([undefined, "other", undefined]);
  });

  it("of racing transactions over overlapping items, each goes through whole or not at all", async () => {
    // Act: ten transactions, each claiming c<i>, c<i+1>, c<i+2>
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        client.send(
          new TransactWriteItemsCommand({
            TransactItems: [0, 1, 2].map((d) => claim(`c${i + d}`, `tx${i}`)),
          }),
        ),
      ),
    );

    // Assess: every item is held by one transaction that went through, and each of those holds all 3
    const won = outcomes.flatMap((o, i) => (o.status === "fulfilled" ? [i] : []));
    expect(won.length).toBeGreaterThan(0);
    const holders = await Promise.all(Array.from({ length: 12 }, (_, k) => by(`c${k}`)));
    for (const i of won) expect([0, 1, 2].map((d) => holders[i + d])).toEqual([`tx${i}`, `tx${i}`, `tx${i}`]);
    expect(holders.filter((h) => h !== undefined)).toHaveLength(3 * won.length);
    for (const o of outcomes)
      if (o.status === "rejected") expect(o.reason).toBeInstanceOf(TransactionCanceledException);
  });

  it("answers a repeated client token without writing again, and refuses the token with other parameters", async () => {
    // Prepare
    const token = randomUUID();
    await client.send(
      new TransactWriteItemsCommand({ TransactItems: [claim("d1")], ClientRequestToken: token }),
    );

    // Act: the repeat would fail its condition if it ran again
    const repeat = await client.send(
      new TransactWriteItemsCommand({ TransactItems: [claim("d1")], ClientRequestToken: token }),
    );
    const mismatch = await cancelled({ TransactItems: [claim("d2")], ClientRequestToken: token });

    // Assess
    expect(repeat.$metadata.httpStatusCode).toBe(200);
    expect(mismatch).toBeInstanceOf(IdempotentParameterMismatchException);
    expect(await by("d2")).toBeUndefined();
  });

  it("refuses, writing nothing: no action, more than 100, one item twice, and what it does not model", async () => {
    const refusals = [
      { TransactItems: [] },
      { TransactItems: Array.from({ length: 101 }, (_, i) => claim(`e${i}`)) },
      { TransactItems: [claim("e1"), claim("e1")] },
      {
        TransactItems: [
          {
            Update: {
              TableName: "state",
              Key: { pk: { S: "tx" }, sk: { S: "e1" } },
              UpdateExpression: "SET #b = :b",
              ExpressionAttributeNames: { "#b": "by" },
              ExpressionAttributeValues: { ":b": { S: "x" } },
            },
          },
        ],
      },
      { TransactItems: [{ Put: { ...claim("e2").Put, ConditionExpression: "attribute_exists(#sk)" } }] },
    ];

    // Act
    const errors = await Promise.all(refusals.map((input) => cancelled(input)));

    // Assess
    expect(errors.map((e) => (e as Error).name)).toEqual(Array(5).fill("ValidationException"));
    expect((errors[1] as Error).message).toMatch(/less than or equal to 100/);
    expect((errors[2] as Error).message).toMatch(/multiple operations on one item/);
    expect((errors[3] as Error).message).toMatch(/only Put actions.*Update/);
    expect((errors[4] as Error).message).toMatch(/attribute_not_exists/);
    expect(await Promise.all(["e0", "e1", "e2"].map(by))).toEqual([undefined, undefined, undefined]);
  });

  it("refuses a transaction whose items add up to more than 4 MB", async () => {
    // Act: 11 items of about 390 KB each
    const big = "x".repeat(390_000);
    const error = await cancelled({
      TransactItems: Array.from({ length: 11 }, (_, i) => ({
        Put: { TableName: "state", Item: { pk: { S: "tx" }, sk: { S: `f${i}` }, body: { S: big } } },
      })),
    });

    // Assess
    expect((error as Error).name).toBe("ValidationException");
    expect((error as Error).message).toMatch(/4 MB/);
    expect(await by("f0")).toBeUndefined();
  });
});
