import { createHash } from "node:crypto";
import { createGzip, gunzipSync, gzipSync } from "node:zlib";
import {
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from "@aws-sdk/client-s3";
import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { KeptChainHead } from "../core/evidence/chain-head.ts";
import type { DeleteMarker } from "../core/evidence/delete-markers.ts";
import { type ChainHead, type PreparedDraft, prepareDraft, sha256Hex } from "../core/evidence/hash-chain.ts";
import { type Day, dayOfRecordKey, evidenceKey } from "../core/evidence/layout.ts";
import type { EvidenceDraft, SnapshotObject, SnapshotRow } from "../core/evidence/record.ts";
import type { EvidenceSigner } from "../core/ports.ts";
import { type ClosedDays, DailyManifests, type WrittenManifest } from "./daily-manifests.ts";
import { listKeys } from "./list-keys.ts";
import type { StateTable } from "./state-table.ts";

export { evidenceKey } from "../core/evidence/layout.ts";

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

const CHAIN = "chain";
/** DynamoDB items hold at most 400 KB; keep the compressed body in the claim only below this. */
const MAX_CLAIMED_BODY_BYTES = 300_000;

/**
 * The gzipped record kept with its chain claim, so a retried write stores exactly the record the
 * chain already links to. A record too large for an item (a huge snapshot) is not kept: if its S3
 * write never succeeds, `evidence verify` reports the gap at its sequence.
 */
function recoverableBody(body: string): { body?: Uint8Array } {
  const zipped = gzipSync(body);
  return zipped.byteLength <= MAX_CLAIMED_BODY_BYTES ? { body: zipped } : {};
}
const pad = (n: number) => String(n).padStart(10, "0");

/** Where `evidence verify` reads the chain head kept in DynamoDB. */
export interface ChainHeadSource {
  /** The last record the chain claims; `null` for an empty chain. */
  readChainHead(): Promise<KeptChainHead | null>;
}

async function getChainItem(table: StateTable, sk: string) {
  const result = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: { pk: CHAIN, sk }, ConsistentRead: true }),
  );
  return result.Item;
}

/**
 * The chain's end: the cached `head` item, then the `record#<sequence>` claims after it (a crashed
 * writer may have claimed without moving the head). Claims are the truth: evidence writers may add
 * them but hold no `dynamodb:DeleteItem` on the chain partition.
 */
async function walkChainHead(table: StateTable): Promise<ChainHead | null> {
  const cached = await getChainItem(table, "head");
  let head: ChainHead | null = cached
    ? { sequence: Number(cached.sequence), hash: String(cached.hash) }
    : null;
  for (;;) {
    const next = await getChainItem(table, `record#${pad(head === null ? 0 : head.sequence + 1)}`);
    if (!next) return head;
    head = { sequence: head === null ? 0 : head.sequence + 1, hash: String(next.hash) };
  }
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

/** How long one append tries to claim a chain position before it lets the workflow retry it. */
const CLAIM_BUDGET_MS = 15_000;
/** The longest pause of a background writer: before it claims, and after each lost race. */
const BACKGROUND_BACKOFF_MS = 3_000;

/** Too many concurrent writers for one append's attempts: transient, the workflow retries it. */
export class ChainContentionError extends Error {
  override name = "ChainContentionError";
}

/**
 * Appends evidence records to the hash chain and stores each as canonical JSON in the evidence
 * bucket. The chain is sequenced in DynamoDB: a record claims `record#<sequence>` with a conditional
 * write, so concurrent runs never fork the chain; a retried write (same `writerKey`) stores the record
 * it already claimed instead of appending a second one. The chain head (`head`: sequence and hash of
 * the last record) is kept there too, and `evidence verify` checks the bucket against it. With a
 * `signer`, each append then lets the manifests catch up (daily-manifests.ts): the open day's manifest
 * at most every `manifestIntervalMs`, and a closing manifest for each day that is over; a failure there
 * fails the append, which the workflow retries.
 */
export class EvidenceStore extends EvidenceBucket implements ChainHeadSource {
  private readonly table: StateTable;
  private readonly manifests: DailyManifests;

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

  /**
   * This process's claims, one at a time: its writers would only race each other for the next
   * position, each losing round costing a head read and a refused write (the local stack runs every
   * run in one process: a 1,000-leaver layoff lost 19 records to that contention). Other processes
   * (concurrent Lambda invocations) still race, and back off as below.
   */
  private claims: Promise<unknown> = Promise.resolve();

  /**
   * The last position this process claimed: its next claim tries the position after it without
   * reading the head (two consistent reads, and a walk while the head lags), and reads the head only
   * when another process took that position meanwhile.
   */
  private claimedHead: ChainHead | null = null;

  private async claimInTurn(draft: EvidenceDraft, writerKey: string, background: boolean) {
    // Validated and serialized before the turn: in it, a claim only links, hashes and writes.
    const prepared = prepareDraft(draft);
    if (background) await new Promise((r) => setTimeout(r, Math.random() * BACKGROUND_BACKOFF_MS));
    const turn = this.claims.then(() => this.claim(prepared, writerKey, background));
    this.claims = turn.catch(() => undefined);
    const claimed = await turn;
    // After the turn: the claim item is the truth (it names the writer), and these only speed up a
    // retried append (findClaim) and other processes' head reads.
    await Promise.all([
      this.table.doc.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: { pk: CHAIN, sk: `writer#${writerKey}`, sequence: claimed.sequence },
        }),
      ),
      this.table.doc
        .send(
          new UpdateCommand({
            TableName: this.table.tableName,
            Key: { pk: CHAIN, sk: "head" },
            UpdateExpression: "SET #s = :s, #h = :h",
            ConditionExpression: "attribute_not_exists(#s) OR #s < :s",
            ExpressionAttributeNames: { "#s": "sequence", "#h": "hash" },
            ExpressionAttributeValues: { ":s": claimed.sequence, ":h": claimed.hash },
          }),
        )
        .catch(() => undefined), // a later record already moved the head: fine
    ]);
    return claimed;
  }

  private async claim(draft: PreparedDraft, writerKey: string, background: boolean) {
    const maxBackoffMs = background ? BACKGROUND_BACKOFF_MS : 250;
    // Bounded in time too: a task must end well inside its Lambda timeout; the workflow retries it.
    const giveUpAt = Date.now() + CLAIM_BUDGET_MS;
    for (let attempt = 0; attempt < 50 && Date.now() < giveUpAt; attempt++) {
      const head = attempt === 0 && this.claimedHead !== null ? this.claimedHead : await this.head();
      const { record, head: next, canonical: body } = draft.link(head);
      const key = evidenceKey(record);
      try {
        await this.table.doc.send(
          new PutCommand({
            TableName: this.table.tableName,
            Item: {
              pk: CHAIN,
              sk: `record#${pad(next.sequence)}`,
              key,
              hash: next.hash,
              writerKey,
              ...recoverableBody(body),
            },
            ConditionExpression: "attribute_not_exists(sk)",
          }),
        );
      } catch (error) {
        if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
        // Another run took it. Back off with full jitter: a burst of runs (a flood of events, a layoff)
        // retrying at once would otherwise re-read the head in lockstep and starve each other.
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(maxBackoffMs, 5 * 2 ** attempt)));
        continue;
      }
      this.claimedHead = next;
      return { key, body, hash: next.hash, sequence: next.sequence, previousHash: record.previousHash };
    }
    throw new ChainContentionError(
      `could not claim a chain position within ${CLAIM_BUDGET_MS} ms or 50 attempts (too many concurrent writers)`,
    );
  }

  /** The chain's end, helping a crashed writer's claim along: the claimed records are the truth. */
  private async head(): Promise<ChainHead | null> {
    return walkChainHead(this.table);
  }
}
