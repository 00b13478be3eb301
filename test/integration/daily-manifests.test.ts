import { DeleteObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManifestWriteError } from "../../adapters/daily-manifests.ts";
import { loadAndVerifyPeriod, loadEvidencePeriod } from "../../adapters/evidence-reader.ts";
import { EvidenceStore, EvidenceWriteError } from "../../adapters/evidence-store.ts";
import { LocalEvidenceSigner } from "../../adapters/local-evidence-signer.ts";
import { canonicalize } from "../../core/evidence/canonical-json.ts";
import {
  buildDailyManifest,
  type SignedManifest,
  signedManifestText,
  signManifest,
} from "../../core/evidence/manifest.ts";
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
  async function freshStore(options: { signed?: boolean; now?: () => string } = {}) {
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
      ...(options.now ? { now: options.now } : {}),
    });
  }

  /** A clock the test moves; starts at `start`. */
  function clock(start: string) {
    let at = Date.parse(start);
    return {
      now: () => new Date(at).toISOString(),
      set: (instant: string) => {
        at = Date.parse(instant);
      },
    };
  }

  /** Counts the manifest uploads the store makes while `act` runs. */
  async function countManifestWrites(act: () => Promise<void>): Promise<number> {
    let count = 0;
    servers.s3.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Key?: string };
        if (context.commandName === "PutObjectCommand" && input.Key?.startsWith("v1/chain/")) count++;
        return next(args);
      },
      { step: "initialize", name: "countManifestWrites" },
    );
    try {
      await act();
    } finally {
      servers.s3.middlewareStack.remove("countManifestWrites");
    }
    return count;
  }

  async function verifyOn(store: EvidenceStore, period: { from: string; to: string }, today: string) {
    const { verification } = await loadAndVerifyPeriod(store, period, [await signer.publicKeyPem()], {
      chainHead: store,
      today,
    });
    return verification;
  }

  const listed = async (store: EvidenceStore, day: string) =>
    (JSON.parse(await store.get(`v1/chain/${day.replaceAll("-", "/")}.json`)) as SignedManifest).manifest;

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
    // Prepare: the local S3 proxy answers If-None-Match on an existing key as AWS does (412)
    const store = await freshStore();
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
    expect(servers.conditionalWrites.refused.filter((r) => r.key === first.key).map((r) => r.code)).toEqual([
      "PreconditionFailed",
      "PreconditionFailed",
    ]);
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

  it("fails a truncated tail re-signed with the real key: the chain head kept in DynamoDB names the removed records", async () => {
    // Prepare: three records, then the last one removed and the day's manifest re-signed without it
    const store = await freshStore();
    const stored = [];
    for (const [i, at] of ["08:00", "09:00", "10:00"].entries()) {
      stored.push(await store.append(draft(`t${i}`, `2024-06-10T${at}:00.000Z`), `w-t${i}`));
    }
    const [first, second, third] = stored as [(typeof stored)[0], (typeof stored)[0], (typeof stored)[0]];
    const bucket = `manifests-${bucketNumber}`;
    await servers.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: third.key }));
    const resigned = buildDailyManifest({
      date: "2024-06-10",
      generatedAt: "2024-06-10T23:59:00.000Z",
      records: [first, second].map((r) => ({ key: r.key, sequence: r.sequence, sha256: r.hash })),
      firstPreviousHash: null,
      previousManifest: null,
    });
    await servers.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: "v1/chain/2024/06/10.json",
        Body: signedManifestText(await signManifest(resigned, signer)),
      }),
    );

    // Act
    const { verification } = await loadAndVerifyPeriod(
      store,
      { from: "2024-06-10", to: "2024-06-10" },
      [await signer.publicKeyPem()],
      { chainHead: store },
    );

    // Assess
    expect(verification.ok).toBe(false);
    expect(verification.problems).toEqual([
      expect.objectContaining({ kind: "chain-head", key: third.key, sequence: 2, storedThrough: 1 }),
    ]);
  });

  it("refreshes the open day's manifest at most once per interval; verify reports later records as not yet covered", async () => {
    // Prepare
    const time = clock("2024-07-01T10:00:00.000Z");
    const store = await freshStore({ now: time.now });
    const append = async (i: number, at: string) => {
      time.set(at);
      return store.append(draft(`o${i}`, at), `w-o${i}`);
    };

    // Act: one append opens the day's manifest; three more within 5 s do not rewrite it
    const writes = await countManifestWrites(async () => {
      await append(0, "2024-07-01T10:00:00.000Z");
      await append(1, "2024-07-01T10:00:01.000Z");
      await append(2, "2024-07-01T10:00:02.500Z");
      await append(3, "2024-07-01T10:00:04.999Z");
    });
    const open = await verifyOn(store, { from: "2024-07-01", to: "2024-07-01" }, "2024-07-01");
    const asIfClosed = await verifyOn(store, { from: "2024-07-01", to: "2024-07-01" }, "2024-07-02");
    const later = await countManifestWrites(async () => {
      await append(4, "2024-07-01T10:00:05.000Z");
    });

    // Assess
    expect(writes).toBe(1);
    expect(open).toMatchObject({ ok: true, problems: [], records: 4 });
    expect(
      open.notes.map((n) => [n.kind, n.kind === "not-yet-covered" ? n.latestManifestAt : n.check]),
    ).toEqual([
      ["check-unavailable", "delete-markers"],
      ["not-yet-covered", "2024-07-01T10:00:00.000Z"],
      ["not-yet-covered", "2024-07-01T10:00:00.000Z"],
      ["not-yet-covered", "2024-07-01T10:00:00.000Z"],
    ]);
    expect(asIfClosed.ok).toBe(false);
    expect(asIfClosed.problems.map((p) => p.kind)).toEqual([
      "unsigned-record",
      "unsigned-record",
      "unsigned-record",
    ]);
    expect(asIfClosed.problems[0]?.message).toContain("before the day ended");
    expect(later).toBe(1);
    expect((await listed(store, "2024-07-01")).records.map((r) => r.sequence)).toEqual([0, 1, 2, 3, 4]);
  });

  it("closes a day on the first append of the next: its closing manifest lists every record, and a straggler rewrites it", async () => {
    // Prepare: two records of day 1, the second not yet covered
    const time = clock("2024-07-01T23:59:58.000Z");
    const store = await freshStore({ now: time.now });
    await store.append(draft("a", "2024-07-01T23:59:58.000Z"), "w-a");
    time.set("2024-07-01T23:59:59.000Z");
    await store.append(draft("b", "2024-07-01T23:59:59.000Z"), "w-b");
    expect((await listed(store, "2024-07-01")).records).toHaveLength(1);

    // Act: the first write of day 2, then a straggler created before midnight and stored after it
    time.set("2024-07-02T00:00:01.000Z");
    await store.append(draft("c", "2024-07-02T00:00:01.000Z"), "w-c");
    const closing = await listed(store, "2024-07-01");
    time.set("2024-07-02T00:00:02.000Z");
    await store.append(draft("late", "2024-07-01T23:59:59.999Z"), "w-late");

    // Assess
    expect(closing.records.map((r) => r.sequence)).toEqual([0, 1]);
    expect(closing.generatedAt).toBe("2024-07-02T00:00:01.000Z");
    expect((await listed(store, "2024-07-01")).records.map((r) => r.sequence)).toEqual([0, 1, 3]);
    const both = await verifyOn(store, { from: "2024-07-01", to: "2024-07-02" }, "2024-07-02");
    expect(both).toMatchObject({ ok: true, problems: [], records: 4 });
    expect(both.notes.filter((n) => n.kind === "not-yet-covered")).toEqual([]);
  });

  it("closes past days on an explicit call, and finishes a closing a crashed writer left half done", async () => {
    // Prepare: day 1's last record is not yet covered when the day ends, and nothing is written on day 2
    const time = clock("2024-07-05T12:00:00.000Z");
    const store = await freshStore({ now: time.now });
    await store.append(draft("x", "2024-07-05T12:00:00.000Z"), "w-x");
    time.set("2024-07-05T12:00:01.000Z");
    await store.append(draft("y", "2024-07-05T12:00:01.000Z"), "w-y");
    time.set("2024-07-06T06:00:00.000Z");

    // Act
    const first = await store.closePastDays();
    const again = await store.closePastDays();
    // A closer that advanced the mark and crashed before writing day 2's closing manifest
    time.set("2024-07-06T06:00:01.000Z");
    await store.append(draft("z", "2024-07-06T06:00:01.000Z"), "w-z");
    time.set("2024-07-06T06:00:02.000Z");
    await store.append(draft("z2", "2024-07-06T06:00:02.000Z"), "w-z2");
    await servers.doc.send(
      new UpdateCommand({
        TableName: `state-m-${bucketNumber}`,
        Key: { pk: "chain", sk: "manifests" },
        UpdateExpression: "SET closedThrough = :d",
        ExpressionAttributeValues: { ":d": "2024-07-06" },
      }),
    );
    time.set("2024-07-06T06:00:02.500Z");
    await store.append(draft("z3", "2024-07-06T06:00:02.500Z"), "w-z3");

    // Assess
    expect(first).toEqual({ closedThrough: "2024-07-05", written: ["2024-07-05"] });
    expect(again).toEqual({ closedThrough: "2024-07-05", written: [] });
    expect((await listed(store, "2024-07-05")).records.map((r) => r.sequence)).toEqual([0, 1]);
    expect((await listed(store, "2024-07-06")).records.map((r) => r.sequence)).toEqual([2, 3, 4]);
    expect(await verifyOn(store, { from: "2024-07-05", to: "2024-07-06" }, "2024-07-07")).toMatchObject({
      ok: true,
      notes: [expect.objectContaining({ kind: "check-unavailable", check: "delete-markers" })],
    });
  });

  it("fails a record stored beyond the chain head kept in DynamoDB, and says when delete markers cannot be listed", async () => {
    // Prepare: a well-formed record of the chain's next position, put in the bucket by hand
    const store = await freshStore();
    const stored = await store.append(draft("h0", "2024-06-11T08:00:00.000Z"), "w-h0");
    const forged = {
      ...draft("h1", "2024-06-11T09:00:00.000Z"),
      sequence: 1,
      previousHash: stored.hash,
    };
    const forgedKey = "v1/snapshots/2024/06/11/090000000-h1.json";
    await servers.s3.send(
      new PutObjectCommand({
        Bucket: `manifests-${bucketNumber}`,
        Key: forgedKey,
        Body: canonicalize(forged),
      }),
    );

    // Act
    const verification = await verifyOn(store, { from: "2024-06-11", to: "2024-06-11" }, "2024-06-12");

    // Assess
    expect(verification.problems.map((p) => [p.kind, "key" in p ? p.key : null])).toEqual([
      ["unsigned-record", forgedKey],
      ["beyond-chain-head", forgedKey],
    ]);
    expect(verification.notes).toEqual([
      {
        kind: "check-unavailable",
        check: "delete-markers",
        message:
          "delete markers were not checked: this store cannot list object versions (ListObjectVersions: MethodNotAllowed)",
      },
    ]);
  });

  it("fails a record hidden by a delete marker (ListObjectVersions as AWS answers it, in pages)", async () => {
    // Prepare: s3rver cannot list versions, so the client answers for it, as S3 does for a versioned bucket
    const store = await freshStore();
    const stored = await store.append(draft("m0", "2024-06-12T08:00:00.000Z"), "w-m0");
    const asked: { Prefix?: string; KeyMarker?: string }[] = [];
    servers.s3.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== "ListObjectVersionsCommand") return next(args);
        const input = args.input as { Prefix?: string; KeyMarker?: string };
        asked.push({ ...input });
        const snapshots = input.Prefix === "v1/snapshots/2024/06/";
        const output =
          snapshots && input.KeyMarker === undefined
            ? { IsTruncated: true, NextKeyMarker: stored.key, NextVersionIdMarker: "v0", DeleteMarkers: [] }
            : snapshots
              ? {
                  IsTruncated: false,
                  DeleteMarkers: [
                    { Key: stored.key, VersionId: "v1", LastModified: new Date("2024-06-12T09:00:00.000Z") },
                  ],
                }
              : { IsTruncated: false };
        return { output: output as never, response: {} };
      },
      { step: "initialize", name: "versionedBucket" },
    );
    try {
      // Act
      const verification = await verifyOn(store, { from: "2024-06-12", to: "2024-06-12" }, "2024-06-13");

      // Assess
      expect(verification.problems).toEqual([
        {
          kind: "delete-marker",
          key: stored.key,
          versionId: "v1",
          message: `${stored.key} is hidden by a delete marker (version v1, 2024-06-12T09:00:00.000Z): evidence is never deleted, so someone hid it; its earlier versions are still in the bucket`,
        },
      ]);
      expect(verification.notes).toEqual([]);
      expect(asked.map((a) => a.Prefix)).toEqual([
        "v1/runs/2024/06/",
        "v1/snapshots/2024/06/",
        "v1/snapshots/2024/06/",
        "v1/chain/2024/06/",
      ]);
    } finally {
      servers.s3.middlewareStack.remove("versionedBucket");
    }
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
