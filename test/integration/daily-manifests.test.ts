import { HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManifestWriteError } from "../../adapters/daily-manifests.ts";
import { loadEvidencePeriod } from "../../adapters/evidence-reader.ts";
import { EvidenceStore, EvidenceWriteError } from "../../adapters/evidence-store.ts";
import { LocalEvidenceSigner } from "../../adapters/local-evidence-signer.ts";
import type { SignedManifest } from "../../core/evidence/manifest.ts";
import type { EvidenceDraft } from "../../core/evidence/record.ts";
import { verifyEvidence } from "../../core/evidence/verify-evidence.ts";
import { type StorageServers, startStorageServers } from "../../local/runtime/storage-servers.ts";

const draft = (recordId: string, createdAt: string): EvidenceDraft => ({
  schemaVersion: 1,
  recordId,
  runId: `run-${recordId}`,
  kind: "snapshot",
  createdAt,
  body: { rows: [] },
});

describe("signed daily manifests written by the evidence store (s3rver + dynalite)", () => {
  let servers: StorageServers;
  let signer: LocalEvidenceSigner;
  let bucketNumber = 0;
  beforeAll(async () => {
    servers = await startStorageServers({
      s3Port: 0,
      dynamoPort: 0,
      bucket: "manifests-0",
      tables: { idempotency: "idem-m", state: "state-m" },
    });
    signer = LocalEvidenceSigner.generate();
  });
  afterAll(() => servers.close());

  /** A store with its own bucket and state table (its own chain), one per test. */
  async function freshStore(options: { signed?: boolean } = {}) {
    const bucket = `manifests-${++bucketNumber}`;
    const { CreateBucketCommand } = await import("@aws-sdk/client-s3");
    const { CreateTableCommand, waitUntilTableExists } = await import("@aws-sdk/client-dynamodb");
    await servers.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const tableName = `state-m-${bucketNumber}`;
    await servers.dynamo.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [
          { AttributeName: "pk", AttributeType: "S" },
          { AttributeName: "sk", AttributeType: "S" },
        ],
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
        ],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    await waitUntilTableExists(
      { client: servers.dynamo, maxWaitTime: 10, minDelay: 0.05 },
      { TableName: tableName },
    );
    return new EvidenceStore({
      s3: servers.s3,
      bucket,
      table: { doc: servers.doc, tableName },
      ...(options.signed === false ? {} : { signer }),
    });
  }

  async function verify(store: EvidenceStore, from: string, to: string) {
    const period = { from, to };
    const loaded = await loadEvidencePeriod(store, period);
    return verifyEvidence({ period, ...loaded, publicKeysPem: [await signer.publicKeyPem()] });
  }

  it("stays complete under 20 concurrent appends: the last manifest written lists every record", async () => {
    // Prepare
    const store = await freshStore();

    // Act
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.append(draft(`c${i}`, `2024-06-01T10:00:00.${String(i).padStart(3, "0")}Z`), `w-c${i}`),
      ),
    );

    // Assess
    const signed = JSON.parse(await store.get("v1/chain/2024/06/01.json")) as SignedManifest;
    expect(signed.manifest.records.map((r) => r.sequence)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(signed.manifest).toMatchObject({
      firstSequence: 0,
      lastSequence: 19,
      previousRecord: null,
      previousManifest: null,
    });
    expect(signed.signature.keyId).toBe(signer.keyId);
    expect(await verify(store, "2024-06-01", "2024-06-01")).toMatchObject({ ok: true, records: 20 });
  });

  it("links each day's manifest to the previous one, and relinks a later day when a straggler changes an earlier one", async () => {
    // Prepare
    const store = await freshStore();
    await store.append(draft("d1", "2024-06-01T23:00:00.000Z"), "w-d1");
    await store.append(draft("d2", "2024-06-02T00:00:00.001Z"), "w-d2");
    const before = JSON.parse(await store.get("v1/chain/2024/06/02.json")) as SignedManifest;

    // Act: a run created just before midnight is chained after day 2's first record
    await store.append(draft("late", "2024-06-01T23:59:59.999Z"), "w-late");

    // Assess
    const day1 = JSON.parse(await store.get("v1/chain/2024/06/01.json")) as SignedManifest;
    const day2 = JSON.parse(await store.get("v1/chain/2024/06/02.json")) as SignedManifest;
    expect(day1.manifest.records.map((r) => r.sequence)).toEqual([0, 2]);
    expect(day2.manifest.previousManifest?.date).toBe("2024-06-01");
    expect(day2.manifest.previousManifest?.sha256).not.toBe(before.manifest.previousManifest?.sha256);
    expect(day2.manifest.previousRecord).toMatchObject({ sequence: 0 });
    expect(await verify(store, "2024-06-01", "2024-06-02")).toMatchObject({ ok: true, records: 3 });
    expect(await verify(store, "2024-06-02", "2024-06-02")).toMatchObject({ ok: true, records: 1 });
  });

  it("stores a record once: a retry that finds its record there (AWS answers 412) succeeds, a different object fails", async () => {
    // Prepare: AWS's conditional write, which s3rver does not implement: If-None-Match on an existing key
    const store = await freshStore();
    servers.s3.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Bucket?: string; Key?: string; IfNoneMatch?: string };
        if (context.commandName === "PutObjectCommand" && input.IfNoneMatch === "*") {
          const exists = await servers.s3
            .send(new HeadObjectCommand({ Bucket: input.Bucket, Key: input.Key }))
            .then(() => true)
            .catch(() => false);
          if (exists)
            throw Object.assign(new Error("At least one of the pre-conditions you specified did not hold"), {
              name: "PreconditionFailed",
            });
        }
        return next(args);
      },
      { step: "initialize", name: "conditionalWrites" },
    );
    try {
      const first = await store.append(draft("once", "2024-06-03T08:00:00.000Z"), "w-once");

      // Act
      const retried = await store.append(draft("once", "2024-06-03T08:00:05.000Z"), "w-once");
      await servers.s3.send(
        new PutObjectCommand({ Bucket: `manifests-${bucketNumber}`, Key: first.key, Body: "tampered" }),
      );
      const clash = store.append(draft("once", "2024-06-03T08:00:09.000Z"), "w-once");

      // Assess
      expect(retried).toEqual(first);
      await expect(clash).rejects.toBeInstanceOf(EvidenceWriteError);
      await expect(clash).rejects.toThrow("already holds a different object than the record chained there");
    } finally {
      servers.s3.middlewareStack.remove("conditionalWrites");
    }
  });

  it("lists more than one page of keys (s3rver cannot page ListObjectsV2 on Node >= 17)", async () => {
    // Prepare
    const store = await freshStore();
    const bucket = `manifests-${bucketNumber}`;
    const keys = Array.from(
      { length: 1_005 },
      (_, i) => `v1/runs/2024/06/05/${String(i).padStart(9, "0")}-k.json`,
    );
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(
        keys
          .slice(i, i + 50)
          .map((Key) => servers.s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: "{}" }))),
      );
    }

    // Act
    const listed = await store.list("v1/runs/2024/06/");

    // Assess
    expect(listed).toEqual(keys);
  });

  it("writes no manifest for a day without records, and cannot write one without a signer", async () => {
    // Prepare
    const signed = await freshStore();
    const unsigned = await freshStore({ signed: false });
    await unsigned.append(draft("u", "2024-06-04T08:00:00.000Z"), "w-u");

    // Act + Assess
    expect(await signed.writeDailyManifest("2024-06-04")).toBeNull();
    expect(await unsigned.list("v1/chain/")).toEqual([]);
    await expect(unsigned.writeDailyManifest("2024-06-04")).rejects.toBeInstanceOf(ManifestWriteError);
    expect((await verify(unsigned, "2024-06-04", "2024-06-04")).problems.map((p) => p.kind)).toEqual([
      "manifest-missing",
    ]);
  });
});
