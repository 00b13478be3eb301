import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EvidenceStore, EvidenceWriteError, evidenceKey } from "../../adapters/evidence-store.ts";
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
