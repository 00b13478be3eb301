import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3ServiceException,
} from "@aws-sdk/client-s3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EvidenceStore } from "../../adapters/evidence-store.ts";
import type { EvidenceDraft } from "../../core/evidence/record.ts";
import { verifyChain } from "../../core/evidence/verify-chain.ts";
import { type StorageServers, startStorageServers } from "../../local/runtime/storage-servers.ts";
import { isTransient } from "../../usecases/shared/dependency-unavailable.ts";

const BUCKET = "evidence";
const OTHER = "work";

const draft = (recordId: string): EvidenceDraft => ({
  schemaVersion: 1,
  recordId,
  runId: `run-${recordId}`,
  kind: "snapshot",
  createdAt: "2026-03-04T05:06:07.089Z",
  body: { rows: [] },
});

/** The rejection of `promise` (fails the test when it resolves). */
async function failure(promise: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await promise;
  } catch (error) {
    return error as S3ServiceException;
  }
  throw new Error("expected the call to fail");
}

describe("evidence bucket outage (503 from the S3 proxy in front of s3rver)", () => {
  let servers: StorageServers;
  beforeAll(async () => {
    servers = await startStorageServers({
      s3Port: 0,
      dynamoPort: 0,
      bucket: BUCKET,
      extraBuckets: [OTHER],
      tables: { idempotency: "idem", state: "state" },
    });
  });
  afterAll(() => servers.close());
  afterEach(() => servers.bucketOutage(BUCKET).clear());

  it("while on, a PutObject through the real client fails with a 503 SlowDown the SDK retried, and writes nothing", async () => {
    // Prepare
    const outage = servers.bucketOutage(BUCKET);
    outage.outage = true;
    const before = outage.answered.length;

    // Act
    const error = await failure(
      servers.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "down/a.json", Body: "{}" })),
    );
    outage.outage = false;
    const listed = await servers.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "down/" }));

    // Assess: a server-side, transient failure (the stack's client makes 3 attempts)
    expect(error.name).toBe("SlowDown");
    expect(error.message).toBe("Please reduce your request rate.");
    expect(error.$metadata.httpStatusCode).toBe(503);
    expect(error.$metadata.attempts).toBe(3);
    expect(isTransient(error)).toBe(true);
    expect(outage.answered.slice(before)).toEqual(
      Array(3).fill({ bucket: BUCKET, method: "PUT", code: "SlowDown" }),
    );
    expect(listed.KeyCount ?? 0).toBe(0);
  });

  it("after off, the same PutObject works and reads back", async () => {
    // Prepare
    const outage = servers.bucketOutage(BUCKET);
    outage.code = "ServiceUnavailable"; // not a throttling code: the SDK backs off 100 ms, not 500 ms
    outage.outage = true;
    await failure(servers.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "up/a.json", Body: "{}" })));

    // Act
    outage.outage = false;
    const put = await servers.s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: "up/a.json", Body: '{"ok":true}' }),
    );
    const read = await servers.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: "up/a.json" }));

    // Assess
    expect(put.$metadata.httpStatusCode).toBe(200);
    expect(await read.Body?.transformToString()).toBe('{"ok":true}');
  });

  it("takes only its bucket down: other buckets and DynamoDB stay up", async () => {
    // Prepare
    servers.bucketOutage(BUCKET).outage = true;

    // Act
    const other = await servers.s3.send(new PutObjectCommand({ Bucket: OTHER, Key: "k.json", Body: "{}" }));
    const item = await servers.dynamo.send(
      new GetItemCommand({ TableName: "state", Key: { pk: { S: "x" }, sk: { S: "y" } } }),
    );

    // Assess
    expect(other.$metadata.httpStatusCode).toBe(200);
    expect(item.$metadata.httpStatusCode).toBe(200);
  });

  it("answers ServiceUnavailable when asked, HEAD requests included", async () => {
    // Prepare
    const outage = servers.bucketOutage(BUCKET);
    outage.code = "ServiceUnavailable";
    outage.outage = true;

    // Act
    const put = await failure(
      servers.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "b", Body: "{}" })),
    );
    const head = await failure(servers.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "b" })));

    // Assess
    expect(put.name).toBe("ServiceUnavailable");
    expect(put.$metadata.httpStatusCode).toBe(503);
    expect(head.$metadata.httpStatusCode).toBe(503);
    expect(isTransient(head)).toBe(true);
  });

  it("an evidence append fails with the workflow-retried error during the outage, and the retried append keeps the chain whole", async () => {
    // Prepare
    const store = new EvidenceStore({
      s3: servers.s3,
      bucket: BUCKET,
      table: { doc: servers.doc, tableName: "state" },
    });
    await store.append(draft("first"), "writer-first");
    servers.bucketOutage(BUCKET).outage = true;

    // Act
    const during = store.append(draft("second"), "writer-second");
    await expect(during).rejects.toMatchObject({ name: "DependencyUnavailableError" });
    servers.bucketOutage(BUCKET).outage = false;
    const retried = await store.append(draft("second"), "writer-second");

    // Assess
    const keys = await store.list("v1/snapshots/");
    const records = await Promise.all(
      keys.map(async (key) => ({ key, record: JSON.parse(await store.get(key)) })),
    );
    records.sort((a, b) => a.record.sequence - b.record.sequence);
    expect(retried.sequence).toBe(1);
    expect(records.map((r) => r.record.recordId)).toEqual(["first", "second"]);
    expect(verifyChain(records)).toMatchObject({ ok: true, problems: [] });
  });
});
