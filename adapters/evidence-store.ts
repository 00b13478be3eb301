import { createHash } from "node:crypto";
import { createGzip, gunzipSync } from "node:zlib";
import {
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from "@aws-sdk/client-s3";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import type { KeptChainHead } from "../core/evidence/chain-head.ts";
import type { DeleteMarker } from "../core/evidence/delete-markers.ts";
import { prepareDraft, sha256Hex } from "../core/evidence/hash-chain.ts";
import { type Day, dayOfRecordKey } from "../core/evidence/layout.ts";
import type { EvidenceDraft, SnapshotObject, SnapshotRow } from "../core/evidence/record.ts";
import type { EvidenceSigner } from "../core/ports.ts";
import { type ClosedDays, DailyManifests, type WrittenManifest } from "./daily-manifests.ts";
import { BACKGROUND_BACKOFF_MS, ChainClaims } from "./evidence-chain-claims.ts";
import { CHAIN, getChainItem, pad, walkChainHead } from "./evidence-chain-table.ts";
import { listKeys } from "./list-keys.ts";
import type { StateTable } from "./state-table.ts";

export { evidenceKey } from "../core/evidence/layout.ts";
export { ChainContentionError } from "./evidence-chain-claims.ts";

/** Where a record landed in the bucket and the chain. */
export interface StoredEvidence {
  key: string;
  sequence: number;
  hash: string;
}

/** Thrown when the record could not be stored; the workflow retries it and then fails loudly. */
export class EvidenceWriteError extends Error {
  override name = "DependencyUnavailableError";
}

/** Where `evidence verify` reads the chain head kept in DynamoDB. */
export interface ChainHeadSource {
  /** The last record the chain claims; `null` for an empty chain. */
  readChainHead(): Promise<KeptChainHead | null>;
}

/** Reads the chain head kept in the state table (read-only: what an auditor's `evidence verify` needs). */
export class ChainHeadReader implements ChainHeadSource {
  readonly #table: StateTable;

  constructor(table: StateTable) {
    this.#table = table;
  }

  async readChainHead(): Promise<KeptChainHead | null> {
    const head = await walkChainHead(this.#table);
    if (head === null) return null;
    const claim = await getChainItem(this.#table, `record#${pad(head.sequence)}`);
    // The cached head's own claim always exists (it is written first); its key says where it is stored.
    return { sequence: head.sequence, hash: String(claim?.hash ?? head.hash), key: String(claim?.key ?? "") };
  }
}

/**
 * A conditional write (`If-None-Match: *`) lost a race to another one of the same key (S3 answers 409
 * ConditionalRequestConflict, "On a 409 failure you should retry the upload": PutObject API reference).
 */
const CONDITIONAL_CONFLICT_ATTEMPTS = 5;
const CONDITIONAL_CONFLICT_BACKOFF_MS = 50;

/** Reads the evidence bucket: what auditors and the CLI need (no write access). */
export class EvidenceBucket {
  protected readonly s3: S3Client;
  protected readonly bucket: string;

  constructor(options: { s3: S3Client; bucket: string }) {
    this.s3 = options.s3;
    this.bucket = options.bucket;
  }

  /**
   * Streams snapshot rows into one gzipped JSON Lines object (a 1,000-account estate has millions of
   * rows: far too many for one JSON record) and returns what the chained snapshot record carries.
   */
  async putSnapshotObject(key: string, rows: Iterable<SnapshotRow>): Promise<SnapshotObject> {
    const gzip = createGzip();
    const chunks: Buffer[] = [];
    gzip.on("data", (c: Buffer) => chunks.push(c));
    const ended = new Promise((resolve) => gzip.on("end", resolve));
    let count = 0;
    for (const row of rows) {
      count++;
      if (!gzip.write(`${JSON.stringify(row)}\n`)) await new Promise((r) => gzip.once("drain", r));
    }
    gzip.end();
    await ended;
    const body = Buffer.concat(chunks);
    const sha256 = createHash("sha256").update(body).digest("hex");
    // Write once, like records (the bucket policy refuses v1/snapshots/ uploads without If-None-Match).
    const put = await this.putIfAbsent({
      Key: key,
      Body: body,
      ContentType: "application/gzip",
      Metadata: { sha256, rows: String(count) },
    });
    if (put === "exists") {
      const stored = createHash("sha256")
        .update(await this.getBytes(key))
        .digest("hex");
      if (stored !== sha256) throw new Error(`${key} already holds a different snapshot`);
    }
    return { key, format: "jsonl.gz", rows: count, sha256 };
  }

  /**
   * Creates the object only if its key is free (`If-None-Match: *`): `"exists"` when S3 answers 412
   * PreconditionFailed (the key holds an object: the caller compares it), `"written"` otherwise. A 409
   * ConditionalRequestConflict (another conditional write of the key in flight) is retried with a short
   * full-jitter backoff, after which the other write has landed and S3 answers 412 or lets this one in.
   */
  protected async putIfAbsent(
    input: Omit<PutObjectCommandInput, "Bucket" | "IfNoneMatch">,
  ): Promise<"written" | "exists"> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.s3.send(new PutObjectCommand({ ...input, Bucket: this.bucket, IfNoneMatch: "*" }));
        return "written";
      } catch (error) {
        const name = (error as Error).name;
        if (name === "PreconditionFailed") return "exists";
        if (name !== "ConditionalRequestConflict" || attempt >= CONDITIONAL_CONFLICT_ATTEMPTS) throw error;
        await new Promise((r) =>
          setTimeout(r, Math.random() * CONDITIONAL_CONFLICT_BACKOFF_MS * 2 ** attempt),
        );
      }
    }
  }

  /** An object's bytes (a gzipped snapshot). */
  async getBytes(key: string): Promise<Uint8Array> {
    const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return (await object.Body?.transformToByteArray()) ?? new Uint8Array();
  }

  async get(key: string): Promise<string> {
    const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return (await object.Body?.transformToString("utf8")) ?? "";
  }

  /** Every key under `prefix`, sorted. */
  async list(prefix: string): Promise<string[]> {
    return listKeys(this.s3, this.bucket, prefix);
  }

  /**
   * Every delete marker under `prefix` (ListObjectVersions, `s3:ListBucketVersions`).
   * @throws the S3 error when the store cannot list versions (s3rver answers `NotImplemented`).
   */
  async deleteMarkers(prefix: string): Promise<DeleteMarker[]> {
    const markers: DeleteMarker[] = [];
    let KeyMarker: string | undefined;
    let VersionIdMarker: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectVersionsCommand({ Bucket: this.bucket, Prefix: prefix, KeyMarker, VersionIdMarker }),
      );
      for (const m of page.DeleteMarkers ?? []) {
        markers.push({
          key: String(m.Key),
          versionId: String(m.VersionId),
          lastModified: m.LastModified?.toISOString() ?? null,
        });
      }
      KeyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      VersionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (KeyMarker !== undefined);
    return markers;
  }
}

/**
 * Appends evidence records to the hash chain and stores each as canonical JSON in the evidence
 * bucket. The chain is sequenced in DynamoDB: a record claims `record#<sequence>` with a conditional
 * write, so concurrent runs never fork the chain (evidence-chain-claims.ts: a process's writers claim
 * in groups); a retried write (same `writerKey`) stores the record
 * it already claimed instead of appending a second one. The chain head (`head`: sequence and hash of
 * the last record) is kept there too, and `evidence verify` checks the bucket against it. With a
 * `signer`, each append then lets the manifests catch up (daily-manifests.ts): the open day's manifest
 * at most every `manifestIntervalMs`, and a closing manifest for each day that is over; a failure there
 * fails the append, which the workflow retries.
 */
export class EvidenceStore extends EvidenceBucket implements ChainHeadSource {
  private readonly table: StateTable;
  private readonly manifests: DailyManifests;
  /** This process's chain claims, in groups (evidence-chain-claims.ts). */
  private readonly claims: ChainClaims;

  constructor(options: {
    s3: S3Client;
    bucket: string;
    table: StateTable;
    /** Signs the daily manifests; without one, records are indexed but no manifest is written. */
    signer?: EvidenceSigner;
    /** Clock of the manifests (`generatedAt`, when a day is over, when one is due). @default the system clock */
    now?: () => string;
    /** The open day's manifest is refreshed at most this often. @default 5000 */
    manifestIntervalMs?: number;
  }) {
    super(options);
    this.table = options.table;
    this.manifests = new DailyManifests(options);
    this.claims = new ChainClaims(options.table);
  }

  /**
   * Appends a record to the chain. `background` writers (runs that changed nothing, such as a flood of
   * events for unknown ids) yield the chain to the others: they start after a random pause and back off
   * longer when they lose a race, so a revocation's record is not queued behind hundreds of them.
   */
  async append(
    draft: EvidenceDraft,
    writerKey: string,
    options: { priority?: "normal" | "background" } = {},
  ): Promise<StoredEvidence> {
    try {
      const claimed =
        (await this.findClaim(writerKey)) ??
        (await this.claimInTurn(draft, writerKey, options.priority === "background"));
      const day = dayOfRecordKey(claimed.key) as Day;
      // Indexed before it is stored: a record claimed but never stored is then listed by the manifest,
      // and `evidence verify` names it as missing instead of the chain silently skipping it.
      await this.manifests.index(day, {
        key: claimed.key,
        sequence: claimed.sequence,
        sha256: claimed.hash,
        previousHash: claimed.previousHash,
      });
      await this.putOnce(claimed);
      if (this.manifests.signs) await this.manifests.afterAppend(day);
      return { key: claimed.key, sequence: claimed.sequence, hash: claimed.hash };
    } catch (error) {
      throw new EvidenceWriteError(
        `evidence record for ${writerKey} was not stored: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }

  /**
   * (Re)writes the signed manifest of `day` from the records stored so far: for a schedule that seals
   * yesterday, or after an estate run. `null` for a day without records.
   * @throws ManifestWriteError when it cannot be written.
   */
  async writeDailyManifest(day: Day): Promise<WrittenManifest | null> {
    return this.manifests.writeDailyManifest(day);
  }

  /**
   * Writes the closing manifest of every day that is over and lacks one (an append does it too, on the
   * first write of a later day): for a schedule, or before verifying a day that just ended.
   */
  async closePastDays(): Promise<ClosedDays> {
    return this.manifests.closePastDays();
  }

  /** The chain head kept in DynamoDB, with the key its record is stored under (`null`: empty chain). */
  async readChainHead(): Promise<KeptChainHead | null> {
    return new ChainHeadReader(this.table).readChainHead();
  }

  /**
   * Stores a record once: `If-None-Match: *` (the bucket policy refuses record uploads without it), so
   * an existing object is never replaced. A retry that finds its own record already there (412) succeeds;
   * a different object there is a chain conflict: the chain links this record, not that one.
   */
  private async putOnce(claimed: { key: string; body: string; hash: string; sequence: number }) {
    const put = await this.putIfAbsent({
      Key: claimed.key,
      Body: claimed.body,
      ContentType: "application/json",
      Metadata: { sha256: claimed.hash, sequence: String(claimed.sequence) },
    });
    if (put === "exists" && sha256Hex(await this.get(claimed.key)) !== claimed.hash) {
      throw new Error(`${claimed.key} already holds a different object than the record chained there`);
    }
  }

  private async getItem(sk: string) {
    const result = await this.table.doc.send(
      new GetCommand({ TableName: this.table.tableName, Key: { pk: CHAIN, sk } }),
    );
    return result.Item;
  }

  private async findClaim(writerKey: string) {
    const writer = await this.getItem(`writer#${writerKey}`);
    if (!writer) return null;
    const item = await this.getItem(`record#${pad(Number(writer.sequence))}`);
    if (!item?.body) return null; // a record too large to keep in its claim: the retry appends anew
    const body = gunzipSync(item.body as Uint8Array).toString("utf8");
    return {
      key: String(item.key),
      body,
      hash: String(item.hash),
      sequence: Number(writer.sequence),
      previousHash: (JSON.parse(body) as { previousHash: string | null }).previousHash,
    };
  }

  private async claimInTurn(draft: EvidenceDraft, writerKey: string, background: boolean) {
    // Validated and serialized before the claim: a claim only links, hashes and writes.
    const prepared = prepareDraft(draft);
    if (background) await new Promise((r) => setTimeout(r, Math.random() * BACKGROUND_BACKOFF_MS));
    return this.claims.claim(prepared, writerKey, background);
  }
}
