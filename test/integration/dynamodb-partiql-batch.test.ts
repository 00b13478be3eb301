import {
  BatchExecuteStatementCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localClientConfig } from "../../local/emulators/aws-json-server.ts";
import { type StorageServers, startStorageServers } from "../../local/runtime/storage-servers.ts";

const insert = (table: string, id: string) => ({
  Statement: `INSERT INTO "${table}" VALUE {'id': ?, 'status': ?}`,
  Parameters: [{ S: id }, { S: "INPROGRESS" }],
});

describe("local/runtime/dynamodb-partiql-batch: BatchExecuteStatement INSERT in front of dynalite", () => {
  let storage: StorageServers;
  let client: DynamoDBClient;
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

  it("inserts new keys, answers DuplicateItem for a stored key and ResourceNotFound for an unknown table, in statement order", async () => {
    // Prepare
    await client.send(
      new PutItemCommand({ TableName: "idem", Item: { id: { S: "pb-stored" }, status: { S: "COMPLETED" } } }),
    );

    // Act
    const { Responses = [] } = await client.send(
      new BatchExecuteStatementCommand({
        Statements: [insert("idem", "pb-new"), insert("idem", "pb-stored"), insert("nope", "x")],
      }),
    );

    // Assess
    expect(Responses.map((r) => r.Error?.Code ?? "ok")).toEqual(["ok", "DuplicateItem", "ResourceNotFound"]);
    const stored = await client.send(
      new GetItemCommand({ TableName: "idem", Key: { id: { S: "pb-stored" } } }),
    );
    expect(stored.Item?.status?.S).toBe("COMPLETED");
    const inserted = await client.send(
      new GetItemCommand({ TableName: "idem", Key: { id: { S: "pb-new" } } }),
    );
    expect(inserted.Item?.status?.S).toBe("INPROGRESS");
  });

  it("of racing inserts of one key, and a racing conditional PutItem, exactly one goes through", async () => {
    // Act
    const batches = Array.from({ length: 5 }, () =>
      client.send(new BatchExecuteStatementCommand({ Statements: [insert("idem", "pb-race")] })),
    );
    const put = client
      .send(
        new PutItemCommand({
          TableName: "idem",
          Item: { id: { S: "pb-race" } },
          ConditionExpression: "attribute_not_exists(id)",
        }),
      )
      .then(
        () => "ok",
        (e: Error) => e.name,
      );
    const outcomes = [
      ...(await Promise.all(batches)).map((b) => b.Responses?.[0]?.Error?.Code ?? "ok"),
      await put,
    ];

    // Assess
    expect(outcomes.filter((o) => o === "ok")).toHaveLength(1);
  });

  it("refuses more than 25 statements, and what it does not model, with a ValidationException that says so", async () => {
    const many = Array.from({ length: 26 }, (_, i) => insert("idem", `pb-many-${i}`));
    await expect(client.send(new BatchExecuteStatementCommand({ Statements: many }))).rejects.toThrow();
    await expect(
      client.send(
        new BatchExecuteStatementCommand({
          Statements: [{ Statement: `SELECT * FROM "idem" WHERE id = ?`, Parameters: [{ S: "a" }] }],
        }),
      ),
    ).rejects.toThrow(/answers only INSERT INTO/);
    await expect(
      client.send(
        new BatchExecuteStatementCommand({
          Statements: [{ ...insert("idem", "pb-rv"), ReturnValuesOnConditionCheckFailure: "ALL_OLD" }],
        }),
      ),
    ).rejects.toThrow(/ReturnValuesOnConditionCheckFailure is not modelled/);
    await expect(
      client.send(
        new BatchExecuteStatementCommand({
          Statements: [insert("idem", "pb-twice"), insert("idem", "pb-twice")],
        }),
      ),
    ).rejects.toThrow(/the same key twice in one batch/);
  });
});
