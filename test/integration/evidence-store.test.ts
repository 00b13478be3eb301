import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EvidenceStore, EvidenceWriteError, evidenceKey } from "../../adapters/evidence-store.ts";
import { sha256Hex } from "../../core/evidence/hash-chain.ts";
import type { EvidenceDraft } from "../../core/evidence/record.ts";
import { verifyChain } from "../../core/evidence/verify-chain.ts";
import { type StorageServers, startStorageServers } from "../../local/runtime/storage-servers.ts";

const draft = (recordId: string, createdAt = "2026-03-04T05:06:07.089Z"): EvidenceDraft => ({
  schemaVersion: 1,
  recordId,
  runId: `run-${recordId}`,
  kind: "snapshot",
  createdAt,
  body: { rows: [] },
});

describe("EvidenceStore against s3rver + dynalite", () => {
  let servers: StorageServers;
  let store: EvidenceStore;
  beforeAll(async () => {
    servers = await startStorageServers({
      s3Port: 0,
      dynamoPort: 0,
      bucket: "evidence",
      tables: { idempotency: "idem", state: "state" },
    });
    store = new EvidenceStore({
      s3: servers.s3,
      bucket: "evidence",
      table: { doc: servers.doc, tableName: "state" },
    });
  });
  afterAll(() => servers.close());

  it("chains concurrent appends without forking: unique sequences, and the stored chain verifies", async () => {
    // Act
    const stored = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.append(draft(`c${i}`), `writer-c${i}`)),
    );
    // Assess
    expect(stored.map((s) => s.sequence).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i),
    );
    const keys = await store.list("v1/snapshots/");
    const records = await Promise.all(
      keys.map(async (key) => ({ key, record: JSON.parse(await store.get(key)) })),
    );
    records.sort((a, b) => a.record.sequence - b.record.sequence);
    expect(verifyChain(records)).toMatchObject({ ok: true, problems: [] });
  });

  it("claims one process's appends in groups: 60 at once lose no race and take a few writes; a second process's still never fork", async () => {
    // Prepare: two stores (two processes) on one chain, one counting the claims DynamoDB refused
    let refused = 0;
    let reads = 0;
    let claimWrites = 0;
    const counting = {
      send: async (command: Parameters<typeof servers.doc.send>[0]) => {
        if (command.constructor.name === "GetCommand") reads += 1;
        const input = command.input as { Item?: { sk?: string } };
        if (command.constructor.name === "TransactWriteCommand") claimWrites += 1;
        if (command.constructor.name === "PutCommand" && input.Item?.sk?.startsWith("record#"))
          claimWrites += 1;
        try {
          return await servers.doc.send(command);
        } catch (error) {
          const name = (error as Error).name;
          if (name === "ConditionalCheckFailedException" || name === "TransactionCanceledException")
            refused += 1;
          throw error;
        }
      },
    };
    const busy = new EvidenceStore({
      s3: servers.s3,
      bucket: "evidence",
      table: { doc: counting as never, tableName: "state" },
    });
    const other = new EvidenceStore({
      s3: servers.s3,
      bucket: "evidence",
      table: { doc: servers.doc, tableName: "state" },
    });

    // Act: 60 appends from one, and 10 from the other at the same time
    const alone = await Promise.all(
      Array.from({ length: 60 }, (_, i) => busy.append(draft(`t${i}`), `writer-t${i}`)),
    );
    const refusedAlone = refused;
    const readsAlone = reads;
    const claimWritesAlone = claimWrites;
    const raced = await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => busy.append(draft(`u${i}`), `writer-u${i}`)),
      ...Array.from({ length: 10 }, (_, i) => other.append(draft(`v${i}`), `writer-v${i}`)),
    ]);

    // Assess
    expect(refusedAlone).toBe(0);
    // each append asks once whether its writer already claimed (a retry); the chain's head is read
    // once, then each claim takes the position after this process's last one
    expect(readsAlone).toBeLessThanOrEqual(60 + 2);
    // the writers that wait while a claim is in flight are claimed together, in one transaction
    expect(claimWritesAlone).toBeLessThanOrEqual(10);
    const sequences = [...alone, ...raced].map((s) => s.sequence);
    expect(new Set(sequences).size).toBe(90);
    const keys = await store.list("v1/snapshots/");
    const records = await Promise.all(
      keys.map(async (key) => ({ key, record: JSON.parse(await store.get(key)) })),
    );
    records.sort((a, b) => a.record.sequence - b.record.sequence);
    expect(verifyChain(records)).toMatchObject({ ok: true, problems: [] });
  });

  it("splits a group that would pass a transaction's 4 MB: 30 records of 250 KB each are all claimed, each kept in its claim", async () => {
    // Prepare: bodies that do not compress, just under the size kept with a claim
    const big = (i: number): EvidenceDraft => ({
      schemaVersion: 1,
      recordId: `big${i}`,
      runId: `run-big${i}`,
      kind: "snapshot",
      createdAt: "2026-03-04T05:06:07.089Z",
      body: {
        rows: Array.from({ length: 1_000 }, () => ({
          userId: randomBytes(90).toString("base64"),
          userName: randomBytes(90).toString("base64"),
          groupName: "g",
          permissionSetName: "p",
          accountId: "111122223333",
        })),
      },
    });
    const bigStore = new EvidenceStore({
      s3: servers.s3,
      bucket: "evidence",
      table: { doc: servers.doc, tableName: "state" },
    });

    // Act
    const stored = await Promise.all(
      Array.from({ length: 30 }, (_, i) => bigStore.append(big(i), `writer-big${i}`)),
    );

    // Assess: every record claimed once, and each claim keeps its record (a retry can store it again)
    expect(new Set(stored.map((s) => s.sequence)).size).toBe(30);
    const claims = await Promise.all(
      stored.map((s) =>
        servers.doc.send(
          new GetCommand({
            TableName: "state",
            Key: { pk: "chain", sk: `record#${String(s.sequence).padStart(10, "0")}` },
          }),
        ),
      ),
    );
    expect(claims.every((c) => c.Item?.body !== undefined)).toBe(true);
  });

  it("stores a retried write once: the same writer key returns the record it already claimed", async () => {
    const first = await store.append(draft("retry"), "writer-retry");
    const again = await store.append(draft("retry", "2026-03-04T05:06:08.000Z"), "writer-retry");
    expect(again).toEqual(first);
  });

  it("lays records out by kind and date", () => {
    expect(
      evidenceKey({ kind: "user-run", createdAt: "2026-11-23T21:53:07.123Z", recordId: "user-00u1-abc.run" }),
    ).toBe("v1/runs/2026/11/23/215307123-user-00u1-abc.run.json");
  });

  it("fails loudly, with a retryable error name, when the bucket is unavailable", async () => {
    const broken = new EvidenceStore({
      s3: servers.s3,
      bucket: "no-such-bucket",
      table: { doc: servers.doc, tableName: "state" },
    });
    const attempt = broken.append(draft("lost"), "writer-lost");
    await expect(attempt).rejects.toBeInstanceOf(EvidenceWriteError);
    await expect(attempt).rejects.toMatchObject({ name: "DependencyUnavailableError" });
  });
});

/**
 * A conditional PUT of `key` that stays in flight (headers and part of the body sent) until `abort`:
 * another writer of the same key, mid-upload. s3rver accepts it unsigned, through the enforcing proxy.
 */
async function holdConditionalPut(servers: StorageServers, bucket: string, key: string) {
  const endpoint = new URL(servers.s3Endpoint);
  const held = request({
    host: endpoint.hostname,
    port: endpoint.port,
    method: "PUT",
    path: `/${bucket}/${key}`,
    headers: { "If-None-Match": "*", "Content-Length": "1000" },
  });
  held.on("error", () => {}); // aborted on purpose
  held.write("{");
  const id = `${bucket}/${key}`;
  while (!servers.conditionalWrites.inFlight().includes(id)) await new Promise((r) => setTimeout(r, 5));
  return { abort: () => held.destroy() };
}

const refusedFor = (servers: StorageServers, key: string) =>
  servers.conditionalWrites.refused.filter((r) => r.key === key).map((r) => r.code);

describe("EvidenceStore: S3 conditional writes over the wire (412 and 409 from the local S3 proxy)", () => {
  let servers: StorageServers;
  let store: EvidenceStore;
  beforeAll(async () => {
    servers = await startStorageServers({
      s3Port: 0,
      dynamoPort: 0,
      bucket: "evidence",
      tables: { idempotency: "idem", state: "state" },
    });
    store = new EvidenceStore({
      s3: servers.s3,
      bucket: "evidence",
      table: { doc: servers.doc, tableName: "state" },
    });
  });
  afterAll(() => servers.close());

  it("the bucket refuses to overwrite a record: 412 PreconditionFailed, the record unchanged", async () => {
    // Prepare
    const stored = await store.append(draft("kept"), "writer-kept");
    const before = await store.get(stored.key);

    // Act
    const overwrite = await servers.s3
      .send(new PutObjectCommand({ Bucket: "evidence", Key: stored.key, Body: "{}", IfNoneMatch: "*" }))
      .catch((e: Error & { $metadata?: { httpStatusCode?: number } }) => e);

    // Assess
    expect(overwrite).toMatchObject({ name: "PreconditionFailed", $metadata: { httpStatusCode: 412 } });
    expect(await store.get(stored.key)).toBe(before);
    expect(refusedFor(servers, stored.key)).toEqual(["PreconditionFailed"]);
  });

  it("412 on a retried write whose record is already stored: compared, and treated as done", async () => {
    // Prepare
    const first = await store.append(draft("again"), "writer-again");

    // Act
    const retried = await store.append(draft("again", "2026-03-04T05:06:09.000Z"), "writer-again");

    // Assess
    expect(retried).toEqual(first);
    expect(refusedFor(servers, first.key)).toEqual(["PreconditionFailed"]);
    expect(sha256Hex(await store.get(first.key))).toBe(first.hash);
  });

  it("412 on a record key that holds another object: a chain conflict, never an overwrite", async () => {
    // Prepare: an object at the key the next record will take (keys come from kind, time and id)
    const clash = draft("clash");
    const key = evidenceKey(clash);
    await servers.s3.send(new PutObjectCommand({ Bucket: "evidence", Key: key, Body: "not the record" }));

    // Act
    const attempt = store.append(clash, "writer-clash");

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(EvidenceWriteError);
    await expect(attempt).rejects.toThrow("already holds a different object than the record chained there");
    expect(await store.get(key)).toBe("not the record");
  });

  it("409 while another conditional write of the key is in flight: retried, then the record is stored", async () => {
    // Prepare: another writer is mid-upload at the key this record takes
    const raced = draft("raced");
    const key = evidenceKey(raced);
    const other = await holdConditionalPut(servers, "evidence", key);

    // Act: the append meets the race; the other upload is abandoned once the store has seen the 409
    const appending = store.append(raced, "writer-raced");
    while (!refusedFor(servers, key).includes("ConditionalRequestConflict")) {
      await new Promise((r) => setTimeout(r, 5));
    }
    other.abort();
    const stored = await appending;

    // Assess
    expect(refusedFor(servers, key)[0]).toBe("ConditionalRequestConflict");
    expect(sha256Hex(await store.get(key))).toBe(stored.hash);
  });

  it("409 that does not clear within the store's attempts fails the append with a retryable error", async () => {
    // Prepare
    const stuck = draft("stuck");
    const key = evidenceKey(stuck);
    const other = await holdConditionalPut(servers, "evidence", key);

    // Act
    const attempt = store.append(stuck, "writer-stuck").catch((e: Error) => e);
    const error = await attempt;
    other.abort();

    // Assess: every attempt met the conflict; the workflow's task retry takes it from here
    expect(error).toBeInstanceOf(EvidenceWriteError);
    expect(error).toMatchObject({ name: "DependencyUnavailableError" });
    expect(refusedFor(servers, key)).toEqual(Array(5).fill("ConditionalRequestConflict"));
  });
});

describe("large snapshots", () => {
  it("streams rows into one gzipped JSON Lines object and returns its row count and SHA-256", async () => {
    const servers = await startStorageServers({
      s3Port: 0,
      dynamoPort: 0,
      bucket: "evidence",
      tables: { idempotency: "idem", state: "state" },
    });
    try {
      const store = new EvidenceStore({
        s3: servers.s3,
        bucket: "evidence",
        table: { doc: servers.doc, tableName: "state" },
      });
      function* rows() {
        for (let i = 0; i < 20_000; i++) {
          yield {
            userId: `u${i}`,
            userName: `user${i}@example.com`,
            groupName: "g",
            permissionSetName: "ReadOnly",
            accountId: "111111111111",
          };
        }
      }
      const object = await store.putSnapshotObject("v1/snapshots/2026/11/23/run.jsonl.gz", rows());
      const { GetObjectCommand } = await import("@aws-sdk/client-s3");
      const { gunzipSync } = await import("node:zlib");
      const { createHash } = await import("node:crypto");
      const got = await servers.s3.send(new GetObjectCommand({ Bucket: "evidence", Key: object.key }));
      const bytes = Buffer.from(
        await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
      );
      expect(object).toMatchObject({
        format: "jsonl.gz",
        rows: 20_000,
        sha256: createHash("sha256").update(bytes).digest("hex"),
      });
      const lines = gunzipSync(bytes).toString("utf8").trim().split("\n");
      expect(lines).toHaveLength(20_000);
      expect(JSON.parse(lines[19_999] ?? "")).toMatchObject({ userId: "u19999" });
    } finally {
      await servers.close();
    }
  });
});
